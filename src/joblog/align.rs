//! Puts official step names on the segments a scan found. The steps come from metadata (the
//! run log archive's per-step files, later the REST API) in number order; segments are matched
//! to them by kind (set-up, main, post, complete), by title where a title says the name, and
//! by order where the counts agree. Where it cannot tell, it says so (`None`) instead of
//! guessing. It reads no log and knows nothing of findings.

use super::steps::{Segment, SegmentKind};

/// A step as metadata names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepMeta {
    /// The step's number in its job (1 is "Set up job").
    pub number: u32,
    /// The step's name as shown on the web page (or as the archive spells it).
    pub name: String,
    /// When it ran, `(started, completed)` in whole Unix seconds, when metadata says (REST).
    pub window: Option<(i64, i64)>,
}

/// Slack around a step's whole-second window: log lines carry 100 ns, the API whole seconds.
const WINDOW_SLACK_SECONDS: i64 = 1;

/// Whether the segment's first line falls in the step's time window; unknown times fit.
fn fits_in_time(segment: &Segment, step: &StepMeta) -> bool {
    let (Some(time), Some((started, completed))) = (segment.first_time, step.window) else {
        return true;
    };
    let seconds = time.unix_seconds();
    seconds >= started - WINDOW_SLACK_SECONDS && seconds <= completed + WINDOW_SLACK_SECONDS
}

/// The runner's own first step.
const SET_UP: &str = "Set up job";
/// The runner's own last step.
const COMPLETE: &str = "Complete job";
/// The step that starts service containers, between "Set up job" and the first user step.
const CONTAINERS: &str = "Initialize containers";

/// Which part of a job a step or segment belongs to; only like is matched with like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    SetUp,
    Containers,
    Main,
    Post,
    Complete,
}

/// For each segment, the name of the step it belongs to, or `None` where that cannot be told.
/// `steps` must be in number order; steps without output may be missing from it. A segment
/// whose title names its step keeps the title, which still has the `/` and `:` that file names
/// in the archive lose (`Run actions/checkout@v4`, not `Run actionscheckout@v4`).
pub fn align(segments: &[Segment], steps: &[StepMeta]) -> Vec<Option<String>> {
    let mut names = vec![None; segments.len()];
    if steps.is_empty() {
        return names;
    }
    if segments.iter().any(|segment| segment.kind == SegmentKind::Named) {
        name_by_title(segments, steps, &mut names);
        return names;
    }

    for phase in [Phase::SetUp, Phase::Containers, Phase::Main, Phase::Post, Phase::Complete] {
        let in_segments: Vec<usize> = (0..segments.len())
            .filter(|&index| segment_phase(&segments[index]) == Some(phase))
            .collect();
        let in_steps: Vec<&StepMeta> =
            steps.iter().filter(|step| step_phase(&step.name) == phase).collect();
        for (segment, step, by_title) in match_in_order(segments, &in_segments, &in_steps) {
            let name = if by_title { &segments[segment].title } else { &in_steps[step].name };
            names[segment] = Some(name.clone());
        }
    }
    names
}

/// Debug logs name each step exactly (`##[debug]Starting: …`): match names, nothing else.
fn name_by_title(segments: &[Segment], steps: &[StepMeta], names: &mut [Option<String>]) {
    for (index, segment) in segments.iter().enumerate() {
        let mut found = steps.iter().filter(|step| names_step(&step.name, &segment.title));
        if let (Some(_), None) = (found.next(), found.next()) {
            names[index] = Some(segment.title.clone());
        }
    }
}

fn segment_phase(segment: &Segment) -> Option<Phase> {
    match segment.kind {
        SegmentKind::SetUp if !segment.title.is_empty() => Some(Phase::SetUp),
        SegmentKind::BeforeSteps => Some(Phase::Containers),
        SegmentKind::Run | SegmentKind::Column => Some(Phase::Main),
        SegmentKind::Post => Some(Phase::Post),
        SegmentKind::Complete => Some(Phase::Complete),
        SegmentKind::SetUp | SegmentKind::Queue | SegmentKind::Named => None,
    }
}

fn step_phase(name: &str) -> Phase {
    match name {
        SET_UP => Phase::SetUp,
        COMPLETE => Phase::Complete,
        CONTAINERS => Phase::Containers,
        _ if name.starts_with("Post ") || name == "Stop containers" => Phase::Post,
        _ => Phase::Main,
    }
}

/// Pairs segments with steps of one phase, both in order: first the pairs whose titles name
/// the step (the longest such chain), then, between those anchors, stretches where segments
/// and steps are equally many, each pair checked against the step's time window when times are
/// known. In unequal stretches a segment is paired only with the one step whose time window
/// holds its first line. Each pair is (segment index, step position, whether the title names
/// the step).
fn match_in_order(
    segments: &[Segment],
    in_segments: &[usize],
    steps: &[&StepMeta],
) -> Vec<(usize, usize, bool)> {
    let anchors = longest_anchor_chain(segments, in_segments, steps);
    let mut pairs = Vec::new();
    let (mut segment_from, mut step_from) = (0, 0);
    let ends = anchors.iter().copied().chain(std::iter::once((in_segments.len(), steps.len())));
    for (segment_to, step_to) in ends {
        if segment_to - segment_from == step_to - step_from {
            let stretch = (segment_from..segment_to).zip(step_from..step_to);
            pairs.extend(
                stretch
                    .filter(|(segment, step)| {
                        fits_in_time(&segments[in_segments[*segment]], steps[*step])
                    })
                    .map(|(segment, step)| (in_segments[segment], step, false)),
            );
        } else {
            pairs.extend(place_by_time(
                segments,
                in_segments,
                steps,
                segment_from..segment_to,
                step_from..step_to,
            ));
        }
        if segment_to < in_segments.len() {
            pairs.push((in_segments[segment_to], step_to, true));
        }
        (segment_from, step_from) = (segment_to + 1, step_to + 1);
    }
    pairs
}

/// Pairs of an unequal stretch: each segment with the only step whose window holds its time.
fn place_by_time(
    segments: &[Segment],
    in_segments: &[usize],
    steps: &[&StepMeta],
    segment_range: std::ops::Range<usize>,
    step_range: std::ops::Range<usize>,
) -> Vec<(usize, usize, bool)> {
    let mut pairs = Vec::new();
    for position in segment_range {
        let segment = &segments[in_segments[position]];
        if segment.first_time.is_none() {
            continue;
        }
        let mut fitting = step_range
            .clone()
            .filter(|step| steps[*step].window.is_some() && fits_in_time(segment, steps[*step]));
        if let (Some(step), None) = (fitting.next(), fitting.next()) {
            pairs.push((in_segments[position], step, false));
        }
    }
    pairs
}

/// The longest chain of (segment, step) positions, increasing in both, whose titles name the
/// step; a plain longest-common-subsequence table, the lists being a few dozen long.
fn longest_anchor_chain(
    segments: &[Segment],
    in_segments: &[usize],
    steps: &[&StepMeta],
) -> Vec<(usize, usize)> {
    let (rows, columns) = (in_segments.len(), steps.len());
    let named = |row: usize, column: usize| {
        names_step(&steps[column].name, &segments[in_segments[row]].title)
    };
    let mut best = vec![vec![0_usize; columns + 1]; rows + 1];
    for row in (0..rows).rev() {
        for column in (0..columns).rev() {
            best[row][column] = if named(row, column) {
                best[row + 1][column + 1] + 1
            } else {
                best[row + 1][column].max(best[row][column + 1])
            };
        }
    }

    let mut chain = Vec::new();
    let (mut row, mut column) = (0, 0);
    while row < rows && column < columns {
        if named(row, column) {
            chain.push((row, column));
            (row, column) = (row + 1, column + 1);
        } else if best[row + 1][column] >= best[row][column + 1] {
            row += 1;
        } else {
            column += 1;
        }
    }
    chain
}

/// Whether a segment title names the step (`Run actions/checkout@v4` names the archive's
/// `Run actionscheckout@v4`): equal once the characters the archive mangles
/// (`/`, `:`, `_`) and surrounding space are set aside.
pub fn names_step(step: &str, title: &str) -> bool {
    let comparable = |text: &str| -> String {
        text.trim().chars().filter(|c| !matches!(c, '/' | ':' | '_' | '\\')).collect()
    };
    !title.is_empty() && comparable(step) == comparable(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(kind: SegmentKind, title: &str, first_line: u64) -> Segment {
        Segment {
            kind,
            title: title.to_owned(),
            job: None,
            first_line,
            first_time: None,
            has_error: false,
        }
    }

    fn steps(names: &[(u32, &str)]) -> Vec<StepMeta> {
        names
            .iter()
            .map(|(number, name)| StepMeta {
                number: *number,
                name: (*name).to_owned(),
                window: None,
            })
            .collect()
    }

    fn job() -> Vec<Segment> {
        vec![
            segment(SegmentKind::Queue, "Waiting for a runner", 1),
            segment(SegmentKind::SetUp, "Set up job", 4),
            segment(SegmentKind::Run, "Run actions/checkout@v4", 30),
            segment(SegmentKind::Run, "Run pip install tables", 60),
            segment(SegmentKind::Run, "Run python -m pytest", 90),
            segment(SegmentKind::Post, "Post job cleanup", 200),
            segment(SegmentKind::Complete, "Complete job", 210),
        ]
    }

    fn at(mut segment: Segment, seconds: i64) -> Segment {
        segment.first_time = Some(crate::joblog::LogTime(seconds * 1_000_000_000 + 250_000_000));
        segment
    }

    fn timed(number: u32, name: &str, window: (i64, i64)) -> StepMeta {
        StepMeta { number, name: name.to_owned(), window: Some(window) }
    }

    #[test]
    fn times_place_segments_when_a_step_printed_nothing() {
        let segments = vec![
            at(segment(SegmentKind::Run, "Run make", 30), 100),
            at(segment(SegmentKind::Run, "Run make check", 60), 130),
        ];
        let steps = vec![
            timed(2, "Build", (99, 120)),
            timed(3, "Notify", (121, 121)),
            timed(4, "Test", (122, 180)),
        ];
        assert_eq!(
            align(&segments, &steps),
            vec![Some("Build".to_owned()), Some("Test".to_owned())]
        );
    }

    #[test]
    fn a_segment_outside_its_steps_time_window_stays_unnamed() {
        let segments = vec![at(segment(SegmentKind::Run, "Run make", 30), 500)];
        let steps = vec![timed(2, "Build", (99, 120))];
        assert_eq!(align(&segments, &steps), vec![None]);
    }

    #[test]
    fn steps_named_by_the_archive_replace_run_titles_that_do_not_name_them() {
        let metadata = steps(&[
            (1, "Set up job"),
            (2, "Run actionscheckout@v4"),
            (3, "Install tables on 3.10"),
            (4, "Run tests on 3.10"),
            (7, "Post Run actionscheckout@v4"),
            (8, "Complete job"),
        ]);
        let names = align(&job(), &metadata);
        assert_eq!(
            names,
            vec![
                None,
                Some("Set up job".to_owned()),
                Some("Run actions/checkout@v4".to_owned()),
                Some("Install tables on 3.10".to_owned()),
                Some("Run tests on 3.10".to_owned()),
                Some("Post Run actionscheckout@v4".to_owned()),
                Some("Complete job".to_owned()),
            ]
        );
    }

    #[test]
    fn a_stretch_with_more_segments_than_steps_stays_unnamed() {
        let mut segments = job();
        segments.insert(4, segment(SegmentKind::Run, "Run echo inside a script", 70));
        let metadata = steps(&[
            (1, "Set up job"),
            (2, "Run actionscheckout@v4"),
            (3, "Install tables"),
            (4, "Run tests"),
            (8, "Complete job"),
        ]);
        let names = align(&segments, &metadata);
        assert_eq!(names[2].as_deref(), Some("Run actions/checkout@v4"));
        assert_eq!(&names[3..6], &[None, None, None]);
        assert_eq!(names[6], None, "no post step in the metadata");
        assert_eq!(names[7].as_deref(), Some("Complete job"));
    }

    #[test]
    fn a_title_that_names_a_step_anchors_the_order_around_it() {
        let segments = vec![
            segment(SegmentKind::Run, "Run make", 1),
            segment(SegmentKind::Run, "Run ./scripts/extra.sh", 5),
            segment(SegmentKind::Run, "Run actions/upload-artifact@v4", 9),
            segment(SegmentKind::Run, "Run make deploy", 12),
        ];
        let metadata = steps(&[(2, "Build"), (3, "Run actionsupload-artifact@v4"), (4, "Deploy")]);
        let names = align(&segments, &metadata);
        assert_eq!(
            names,
            vec![
                None,
                None,
                Some("Run actions/upload-artifact@v4".to_owned()),
                Some("Deploy".to_owned())
            ]
        );
    }

    #[test]
    fn debug_names_are_kept_where_they_name_exactly_one_step() {
        let segments = vec![
            segment(SegmentKind::Named, "Set up job", 1),
            segment(SegmentKind::Named, "Build: release", 9),
            segment(SegmentKind::Named, "Something else", 12),
        ];
        let metadata = steps(&[(1, "Set up job"), (2, "Build release")]);
        let names = align(&segments, &metadata);
        assert_eq!(
            names,
            vec![Some("Set up job".to_owned()), Some("Build: release".to_owned()), None]
        );
    }

    #[test]
    fn without_metadata_nothing_is_named() {
        assert_eq!(align(&job(), &[]), vec![None; 7]);
    }
}
