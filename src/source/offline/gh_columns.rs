//! `gh run view --log` output taken apart: one raw runner log per value of the job column, in
//! the order jobs first appear, and each job's steps from the step column with the times their
//! lines carry. Reads the columns only; what a line says is the job log's business.

use std::sync::Arc;

use crate::joblog::{StepMeta, line};
use crate::logdoc::LogBytes;

/// How many non-blank lines at the start decide whether a log has `gh` columns.
const SNIFF_LINES: usize = 5;

/// One job of the output: its name, its lines without the columns, and its steps.
#[derive(Debug)]
pub struct ColumnJob {
    /// The job column's value.
    pub name: String,
    /// The job's lines as the runner wrote them (timestamp, marker, message).
    pub log: LogBytes,
    /// The step column's values in order of appearance, numbered from 1, with the span of
    /// their lines' times.
    pub steps: Vec<StepMeta>,
}

/// Whether `log` is `gh run view --log` output, judged by its first non-blank lines.
pub fn has_columns(log: &[u8]) -> bool {
    log.split(|byte| *byte == b'\n')
        .filter(|text| !text.iter().all(u8::is_ascii_whitespace))
        .take(SNIFF_LINES)
        .any(line::looks_like_gh_columns)
}

/// The jobs of `gh` output; a line without columns stays with the job before it.
pub fn split(log: &[u8]) -> Vec<ColumnJob> {
    let mut jobs: Vec<(String, Vec<u8>, Vec<StepMeta>)> = Vec::new();
    let mut current = None;
    let body = log.strip_suffix(b"\n").unwrap_or(log);
    for raw in body.split(|byte| *byte == b'\n') {
        let parts = line::split(raw, true);
        if let Some(job) = parts.gh_job {
            let name = String::from_utf8_lossy(job).into_owned();
            let found = jobs.iter().position(|(known, _, _)| *known == name);
            current = Some(found.unwrap_or_else(|| {
                jobs.push((name, Vec::new(), Vec::new()));
                jobs.len() - 1
            }));
        }
        let Some(index) = current else { continue };
        let (_, text, steps) = &mut jobs[index];
        text.extend_from_slice(runner_line(raw));
        text.push(b'\n');
        if let Some(step) = parts.gh_step {
            note_step(steps, &String::from_utf8_lossy(step), parts.time);
        }
    }
    jobs.into_iter()
        .map(|(name, text, steps)| ColumnJob {
            name,
            log: LogBytes::Shared(Arc::from(text)),
            steps,
        })
        .collect()
}

/// What follows the two columns: the line as the runner wrote it.
fn runner_line(raw: &[u8]) -> &[u8] {
    let raw = line::trim_line_end(raw);
    let mut columns = raw.splitn(3, |byte| *byte == b'\t');
    match (columns.next(), columns.next(), columns.next()) {
        (Some(_), Some(_), Some(rest)) => rest,
        _ => raw,
    }
}

/// Counts a line of step `name` at `time`: a new step when it differs from the last one.
fn note_step(steps: &mut Vec<StepMeta>, name: &str, time: Option<line::LogTime>) {
    let seconds = time.map(line::LogTime::unix_seconds);
    let same = steps.last().is_some_and(|last| last.name == name);
    if !same {
        let number = u32::try_from(steps.len() + 1).unwrap_or(u32::MAX);
        let window = seconds.map(|at| (at, at));
        steps.push(StepMeta { number, name: name.to_owned(), window });
        return;
    }
    let (Some(at), Some(last)) = (seconds, steps.last_mut()) else { return };
    last.window = Some(last.window.map_or((at, at), |(start, end)| (start.min(at), end.max(at))));
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_JOBS: &str =
        "build\tSet up job\t2025-12-15T10:00:00.0000000Z Current runner version: '2.330.0'
build\tRun tests\t2025-12-15T10:00:02.0000000Z ##[group]Run npm test
lint\tRun lint\t2025-12-15T10:00:03.0000000Z ##[error]Process completed with exit code 1.
build\tRun tests\t2025-12-15T10:00:05.0000000Z ##[error]Process completed with exit code 1.
";

    #[test]
    fn each_job_column_value_becomes_a_raw_runner_log_with_its_steps() {
        assert!(has_columns(TWO_JOBS.as_bytes()));

        let jobs = split(TWO_JOBS.as_bytes());

        let names: Vec<_> = jobs.iter().map(|job| job.name.as_str()).collect();
        assert_eq!(names, ["build", "lint"]);
        assert_eq!(
            String::from_utf8_lossy(jobs[0].log.as_slice()),
            "2025-12-15T10:00:00.0000000Z Current runner version: '2.330.0'\n\
             2025-12-15T10:00:02.0000000Z ##[group]Run npm test\n\
             2025-12-15T10:00:05.0000000Z ##[error]Process completed with exit code 1.\n"
        );
        let steps: Vec<_> =
            jobs[0].steps.iter().map(|step| (step.number, step.name.as_str())).collect();
        assert_eq!(steps, [(1, "Set up job"), (2, "Run tests")]);
        let (started, completed) = jobs[0].steps[1].window.expect("times");
        assert_eq!(completed - started, 3);
    }

    #[test]
    fn a_raw_runner_log_has_no_columns() {
        assert!(!has_columns(b"2025-12-15T10:00:00.0000000Z ##[error]boom\ttab\tthere\n"));
    }
}
