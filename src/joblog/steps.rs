//! Splits a whole job log into step segments from the lines that mark step boundaries.
//! Owns the boundary rules of the reference (`##[group]Run …`, `Post job cleanup.`, the set-up
//! and complete-job lines, the end of the queue, `##[debug]Starting:`); it sees only the lines
//! it is shown, keeps one record per segment, and never guesses a step's official name (see
//! `joblog::align`).

use super::line::{LogTime, Marker, RawParts};

/// First line of "Set up job"; what comes before it is the queue.
const RUNNER_VERSION: &str = "Current runner version:";
/// Last line of "Set up job".
const JOB_NAME: &str = "Complete job name:";
/// First line of every post step.
const POST_JOB: &str = "Post job cleanup.";
/// Lines that open "Complete job".
const COMPLETE_JOB: [&str; 2] = ["Evaluate and set job outputs", "Cleaning up orphan processes"];

/// How the lines that open a segment without a `##[` marker start; whoever picks the lines a
/// stepper is shown (the matcher's prefilter) must pick every line that starts so.
pub const BOUNDARY_STARTS: [&str; 5] =
    [RUNNER_VERSION, JOB_NAME, POST_JOB, COMPLETE_JOB[0], COMPLETE_JOB[1]];

/// What opened a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentKind {
    /// Lines GitHub writes while the job waits for a runner, before "Set up job" starts.
    Queue,
    /// The runner's "Set up job" lines at the start of the log.
    SetUp,
    /// Lines after `Complete job name:` and before the first step (e.g. containers).
    BeforeSteps,
    /// A step opened by `##[group]Run …`.
    Run,
    /// A post step, opened by `Post job cleanup.`.
    Post,
    /// The runner's "Complete job" lines.
    Complete,
    /// A step named exactly by `##[debug]Starting: …` (debug logging on).
    Named,
    /// A step named by the `gh run view --log` step column.
    Column,
}

/// A stretch of the log that belongs to one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// How the segment was recognised.
    pub kind: SegmentKind,
    /// A readable title: `Run <command>`, `Set up job`, or the exact step name when known.
    pub title: String,
    /// The job this segment belongs to, when the log says (`gh` output).
    pub job: Option<String>,
    /// 1-based number of the segment's first line.
    pub first_line: u64,
    /// Time of the segment's first line, when it has one.
    pub first_time: Option<LogTime>,
    /// Whether an `##[error]` line falls inside it.
    pub has_error: bool,
}

/// How boundaries are recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// From the runner's fixed lines and `##[group]Run …`.
    Markers,
    /// From `##[debug]Starting:` lines only, once one was seen.
    DebugNames,
    /// From the step column of `gh run view --log` output.
    Columns,
}

/// Tracks segments while a log is read line by line.
#[derive(Debug)]
pub struct Stepper {
    segments: Vec<Segment>,
    group_open: bool,
    mode: Mode,
    /// Whether the runner's set-up lines were seen, so the first segment really is set-up.
    setup_seen: bool,
}

impl Stepper {
    /// A stepper for a raw job log (`columns` false) or `gh run view --log` output.
    pub fn new(columns: bool) -> Stepper {
        let mut segments = Vec::new();
        if !columns {
            segments.push(Segment {
                kind: SegmentKind::SetUp,
                title: "Set up job".to_owned(),
                job: None,
                first_line: 1,
                first_time: None,
                has_error: false,
            });
        }
        let mode = if columns { Mode::Columns } else { Mode::Markers };
        Stepper { segments, group_open: false, mode, setup_seen: false }
    }

    /// The segments so far, in log order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Hands the segments over once the log is read. Without the runner's set-up lines the
    /// first segment is untitled: a log excerpt starts wherever it was cut.
    pub fn into_segments(mut self) -> Vec<Segment> {
        if let Some(first) = self.segments.first_mut()
            && first.kind == SegmentKind::SetUp
            && !self.setup_seen
        {
            first.title.clear();
        }
        self.segments
    }

    /// Index of the segment the last observed line belongs to.
    pub fn current(&self) -> Option<usize> {
        self.segments.len().checked_sub(1)
    }

    /// Takes note of one line; must be called in line order for every line that may be a
    /// boundary (all marker lines and the runner's fixed lines).
    pub fn observe(&mut self, line: u64, parts: &RawParts<'_>) {
        if self.mode == Mode::Columns {
            self.observe_columns(line, parts);
        } else {
            self.observe_raw(line, parts);
        }
        if parts.marker == Marker::Error
            && let Some(current) = self.segments.last_mut()
        {
            current.has_error = true;
        }
        if let Some(current) = self.segments.last_mut()
            && current.first_time.is_none()
            && current.first_line == line
        {
            current.first_time = parts.time;
        }
    }

    fn observe_columns(&mut self, line: u64, parts: &RawParts<'_>) {
        let job = parts.gh_job.map(|job| String::from_utf8_lossy(job).into_owned());
        let step = parts.gh_step.map(|step| String::from_utf8_lossy(step).into_owned());
        let Some(step) = step else { return };
        let same = self.segments.last().is_some_and(|last| last.job == job && last.title == step);
        if !same {
            self.open(line, SegmentKind::Column, step, parts.time);
            if let Some(last) = self.segments.last_mut() {
                last.job = job;
            }
        }
    }

    fn observe_raw(&mut self, line: u64, parts: &RawParts<'_>) {
        let message = parts.message;
        match parts.marker {
            Marker::Debug => {
                if let Some(name) = message.strip_prefix(b"Starting: ") {
                    self.mode = Mode::DebugNames;
                    let name = String::from_utf8_lossy(name).trim().to_owned();
                    self.open(line, SegmentKind::Named, name, parts.time);
                }
                return;
            }
            Marker::Group => {
                let opens_step =
                    !self.group_open && self.mode == Mode::Markers && message.starts_with(b"Run ");
                self.group_open = true;
                if opens_step {
                    let title = crate::joblog::line::readable(message);
                    self.open(line, SegmentKind::Run, title, parts.time);
                }
                return;
            }
            Marker::EndGroup => {
                self.group_open = false;
                return;
            }
            Marker::None => {}
            _ => return,
        }
        if self.mode == Mode::DebugNames {
            return;
        }

        if message.starts_with(RUNNER_VERSION.as_bytes()) {
            self.end_queue(line, parts.time);
        } else if message.starts_with(POST_JOB.as_bytes()) {
            self.group_open = false;
            self.open(line, SegmentKind::Post, "Post job cleanup".to_owned(), parts.time);
        } else if message.starts_with(JOB_NAME.as_bytes()) {
            self.setup_seen = true;
            if self.segments.last().is_some_and(|last| last.kind == SegmentKind::SetUp) {
                self.open(
                    line + 1,
                    SegmentKind::BeforeSteps,
                    "Before the first step".to_owned(),
                    None,
                );
            }
        } else if COMPLETE_JOB.iter().any(|start| message.starts_with(start.as_bytes()))
            && self.segments.last().is_none_or(|last| last.kind != SegmentKind::Complete)
        {
            self.group_open = false;
            self.open(line, SegmentKind::Complete, "Complete job".to_owned(), parts.time);
        }
    }

    /// The runner's first line: lines before it were written while the job waited for a
    /// runner, and belong to no step.
    fn end_queue(&mut self, line: u64, time: Option<LogTime>) {
        let [first] = self.segments.as_mut_slice() else { return };
        if first.kind != SegmentKind::SetUp || first.first_line >= line || self.setup_seen {
            return;
        }
        first.kind = SegmentKind::Queue;
        "Waiting for a runner".clone_into(&mut first.title);
        self.open(line, SegmentKind::SetUp, "Set up job".to_owned(), time);
    }

    fn open(&mut self, line: u64, kind: SegmentKind, title: String, time: Option<LogTime>) {
        let segment = Segment {
            kind,
            title,
            job: None,
            first_line: line,
            first_time: time,
            has_error: false,
        };
        match self.segments.last_mut() {
            Some(last) if last.first_line >= line => *last = segment,
            _ => self.segments.push(segment),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::joblog::line::split;

    fn segments_of(log: &str) -> Vec<(SegmentKind, String, u64)> {
        let mut stepper = Stepper::new(false);
        for (index, line) in log.lines().enumerate() {
            stepper.observe(index as u64 + 1, &split(line.as_bytes(), false));
        }
        stepper.into_segments().into_iter().map(|s| (s.kind, s.title, s.first_line)).collect()
    }

    const JOB: &str = "\u{feff}2025-01-01T00:00:00.0000000Z Current runner version: '2.330.0'
2025-01-01T00:00:00.1000000Z Complete job name: build
2025-01-01T00:00:01.0000000Z ##[group]Run actions/checkout@v4
2025-01-01T00:00:01.1000000Z with:
2025-01-01T00:00:01.2000000Z ##[endgroup]
2025-01-01T00:00:02.0000000Z ##[group]Fetching the repository
2025-01-01T00:00:02.1000000Z ##[group]Run inside a group is no step
2025-01-01T00:00:02.2000000Z ##[endgroup]
2025-01-01T00:00:03.0000000Z ##[group]Run make test
2025-01-01T00:00:03.1000000Z ##[endgroup]
2025-01-01T00:00:04.0000000Z ##[error]Process completed with exit code 2.
2025-01-01T00:00:05.0000000Z Post job cleanup.
2025-01-01T00:00:06.0000000Z Cleaning up orphan processes
";

    #[test]
    fn a_raw_job_log_splits_at_runner_boundaries() {
        let segments = segments_of(JOB);
        let titles: Vec<_> = segments.iter().map(|s| (s.0, s.1.as_str(), s.2)).collect();
        assert_eq!(
            titles,
            vec![
                (SegmentKind::SetUp, "Set up job", 1),
                (SegmentKind::Run, "Run actions/checkout@v4", 3),
                (SegmentKind::Run, "Run make test", 9),
                (SegmentKind::Post, "Post job cleanup", 12),
                (SegmentKind::Complete, "Complete job", 13),
            ]
        );
    }

    #[test]
    fn lines_written_while_the_job_waited_for_a_runner_belong_to_no_step() {
        let log = "2025-01-01T00:00:00.0000000Z Requested labels: ubuntu-latest
2025-01-01T00:00:00.1000000Z Waiting for a runner to pick up this job...
2025-01-01T00:00:05.0000000Z Current runner version: '2.330.0'
2025-01-01T00:00:05.1000000Z Complete job name: build
2025-01-01T00:00:06.0000000Z ##[group]Run make
2025-01-01T00:00:06.1000000Z ##[endgroup]
";
        let segments = segments_of(log);
        let kinds: Vec<_> = segments.iter().map(|s| (s.0, s.2)).collect();
        assert_eq!(
            kinds,
            vec![(SegmentKind::Queue, 1), (SegmentKind::SetUp, 3), (SegmentKind::Run, 5)]
        );
        assert_eq!(segments[1].1, "Set up job");
    }

    #[test]
    fn a_runner_version_line_after_set_up_opens_nothing() {
        let log = "2025-01-01T00:00:00.0000000Z Current runner version: '2.330.0'
2025-01-01T00:00:00.1000000Z Complete job name: build
2025-01-01T00:00:01.0000000Z ##[group]Run echo \"Current runner version: x\"
2025-01-01T00:00:01.1000000Z ##[endgroup]
2025-01-01T00:00:01.2000000Z Current runner version: x
";
        let kinds: Vec<_> = segments_of(log).into_iter().map(|s| s.0).collect();
        assert_eq!(kinds, vec![SegmentKind::SetUp, SegmentKind::Run]);
    }

    #[test]
    fn debug_starting_lines_name_steps_exactly() {
        let log = "2025-01-01T00:00:00.0000000Z ##[debug]Starting: Set up job
2025-01-01T00:00:01.0000000Z ##[debug]Starting: Install deps
2025-01-01T00:00:01.1000000Z ##[group]Run pip install -r requirements.txt
2025-01-01T00:00:02.0000000Z ##[debug]Starting: Complete job
2025-01-01T00:00:02.1000000Z Cleaning up orphan processes
";
        let titles: Vec<_> = segments_of(log).into_iter().map(|s| s.1).collect();
        assert_eq!(titles, vec!["Set up job", "Install deps", "Complete job"]);
    }

    #[test]
    fn gh_columns_name_job_and_step() {
        let mut stepper = Stepper::new(true);
        let lines = [
            "test (3.12)\tSet up job\t2025-01-01T00:00:00.0000000Z Current runner version",
            "test (3.12)\tRun tests\t2025-01-01T00:00:01.0000000Z ok",
            "lint\tRun tests\t2025-01-01T00:00:01.0000000Z ok",
        ];
        for (index, line) in lines.iter().enumerate() {
            stepper.observe(index as u64 + 1, &split(line.as_bytes(), true));
        }
        let segments = stepper.into_segments();
        assert_eq!(segments.len(), 3);
        assert_eq!(segments[2].job.as_deref(), Some("lint"));
        assert_eq!(segments[1].title, "Run tests");
    }
}
