//! The steps of a job read from local files, as the run screen lists them: numbers and names
//! from the files (an archive's per-step files, the step column of `gh` output), each named as
//! the triage will name the log's segment that belongs to it, and the step triage blames marked
//! failed. Reads the log's step boundaries only; no rules.

use jiff::Timestamp;

use crate::github::model::{Conclusion, Status, Step};
use crate::joblog::{Segment, SegmentKind, StepMeta, Stepper, align, line};

/// The steps of a job whose files name `steps`, given its raw log; none when no file names any.
pub fn of(log: &[u8], steps: &[StepMeta]) -> Vec<Step> {
    if steps.is_empty() {
        return Vec::new();
    }
    let segments = segments(log);
    let names = align::align(&segments, steps);
    let failed = failed_segment(&segments).and_then(|index| names[index].clone());
    steps
        .iter()
        .map(|meta| {
            let shown = names
                .iter()
                .flatten()
                .find(|name| align::names_step(&meta.name, name))
                .unwrap_or(&meta.name);
            let conclusion = if failed.as_ref() == Some(shown) {
                Conclusion::Failure
            } else {
                Conclusion::Success
            };
            let at = |seconds: i64| Timestamp::from_second(seconds).ok();
            Step {
                name: shown.clone(),
                status: Some(Status::Completed),
                conclusion: Some(conclusion),
                number: meta.number,
                started_at: meta.window.and_then(|(started, _)| at(started)),
                completed_at: meta.window.and_then(|(_, completed)| at(completed)),
            }
        })
        .collect()
}

/// The log's step segments, as a scan finds them.
fn segments(log: &[u8]) -> Vec<Segment> {
    let mut stepper = Stepper::new(false);
    let body = log.strip_suffix(b"\n").unwrap_or(log);
    for (index, raw) in body.split(|byte| *byte == b'\n').enumerate() {
        stepper.observe(index as u64 + 1, &line::split(raw, false));
    }
    stepper.into_segments()
}

/// The segment that failed the job: the last one with an `##[error]` line, clean-up aside.
fn failed_segment(segments: &[Segment]) -> Option<usize> {
    segments.iter().rposition(|segment| {
        segment.has_error && !matches!(segment.kind, SegmentKind::Post | SegmentKind::Complete)
    })
}
