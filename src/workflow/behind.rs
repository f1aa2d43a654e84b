//! The workflow files behind a run, read through the run's source and linked to its report. A
//! repository that cannot be read (no access, a commit GitHub no longer has) leaves the report
//! to the logs, with a notice saying why; it never fails the triage.

use super::link;
use crate::github::model::{Job, Run};
use crate::source::Source;
use crate::triage::Report;

/// Reads the repository at the run's head commit from `source` and links the report to the
/// run's workflow (`jobs`, the run's jobs, tell which matrix leg failed first). Returns the
/// notices added (also in `report.notices`) for a command to print.
pub fn link_from_source<S: Source + ?Sized>(
    source: &S,
    run: &Run,
    jobs: &[Job],
    report: &mut Report,
) -> Vec<String> {
    if report.findings.is_empty() {
        // A green run, or logs with nothing found: no finding to link, so nothing is read.
        return Vec::new();
    }
    let before = report.notices.len();
    match source.repo_view(run) {
        Ok(Some(view)) => link::link_run(report, &view, run, jobs),
        Ok(None) => {}
        Err(error) => report.notices.push(format!(
            "the workflow files were not read ({error}), so the findings come from the logs alone"
        )),
    }
    report.notices[before..].to_vec()
}
