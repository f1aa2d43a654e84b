//! The store's memory of a triaged run, read through the cached source: for each finding the
//! other runs that had its cause, and for each failed job the lines new since its last passing
//! run (that run's jobs and log read through the cache, so they are kept too). With no other
//! run triaged yet, nothing is called new. A fault here is logged and recalls less; it never
//! fails triage.

use std::collections::HashMap;

use crate::fingerprint::Fingerprint;
use crate::github::model::{Conclusion, Job, Run, Status};
use crate::logdiff;
use crate::source::cached::CachedSource;
use crate::triage::Report;
use crate::triage::recall::{KEPT_NEW_LINES, Recall, Recurrence, SincePassed};

/// How many earlier runs of the workflow and branch are searched for the job's last pass (one
/// request each for a run whose jobs are not kept).
const PASS_CANDIDATES: usize = 5;

impl CachedSource {
    /// What the store knows of `report`'s findings from other runs than `run`.
    pub fn recall_run(&self, run: &Run, jobs: &[Job], report: &Report) -> Recall {
        let mut recall = Recall::default();
        let Some(store) = self.store() else { return recall };
        let repo = self.repo().to_string();
        let ids: Vec<_> =
            report.findings.iter().map(|finding| Fingerprint::of_finding(finding).id()).collect();
        self.keep_later_attempts(run, jobs);
        let known = store.other_triaged_runs(&repo, run.id).unwrap_or(0) > 0;
        match store.seen(&repo, &ids, run.id).map(|seen| if known { seen } else { HashMap::new() })
        {
            Ok(mut seen) => {
                for (index, id) in ids.iter().enumerate() {
                    let Some(known) = seen.remove(id) else { continue };
                    let recurrence = Recurrence {
                        runs: known.runs,
                        first_seen: known.first_seen,
                        flaky_runs: known.flaky_runs,
                    };
                    recall.seen.insert(index, recurrence);
                }
            }
            Err(error) => tracing::warn!(%error, "history not read from the local store"),
        }
        recall.since_passed = jobs
            .iter()
            .filter(|job| job.failed())
            .filter_map(|job| self.since_passed(run, job))
            .collect();
        recall
    }

    /// Reads (and so keeps) the jobs of the run's attempts after the one in view, so that a
    /// failure a rerun of the same commit passed is counted flaky. Settled attempts are read
    /// from GitHub once; other runs of the commit count once they are kept (listed and
    /// triaged, or through `history`).
    fn keep_later_attempts(&self, run: &Run, jobs: &[Job]) {
        let viewed = jobs.iter().find_map(|job| job.run_attempt).unwrap_or(1);
        for later in viewed + 1..=run.run_attempt.unwrap_or(1) {
            if let Err(error) = self.attempt_jobs(run.id, later) {
                tracing::info!(%error, later, "a later attempt's jobs were not read");
            }
        }
    }

    /// The lines `job` printed in `run` that its last passing run of the same workflow and
    /// branch did not, when such a run is kept and both logs can be read.
    fn since_passed(&self, run: &Run, job: &Job) -> Option<SincePassed> {
        let (passed_run, passing) = self.last_pass(run, &job.name)?;
        let failing = self.job_log(job.id).ok()?;
        let diff = logdiff::new_lines(passing.as_slice(), failing.as_slice());
        let new_lines = diff.new_lines.len() as u64;
        let mut lines = diff.new_lines;
        lines.truncate(KEPT_NEW_LINES);
        Some(SincePassed {
            job: job.name.clone(),
            passed_run: passed_run.id,
            passed_number: passed_run.run_number,
            lines,
            new_lines,
            failing_lines: diff.failing_lines,
        })
    }

    /// The newest earlier run in which a job named `name` passed, with that job's log, among
    /// the runs kept: the TUI keeps the runs it lists, and `report` the branch's last runs of
    /// the workflow, which it lists for the failing streak before recalling.
    fn last_pass(&self, run: &Run, name: &str) -> Option<(Run, crate::logdoc::LogBytes)> {
        let store = self.store()?;
        let runs = store
            .runs(&self.repo().to_string())
            .inspect_err(|error| tracing::warn!(%error, "runs not read from the local store"))
            .ok()?;
        let mut candidates: Vec<Run> = runs
            .into_iter()
            .filter(|other| other.id != run.id && other.workflow_id == run.workflow_id)
            .filter(|other| other.head_branch == run.head_branch)
            .filter(|other| other.created_at < run.created_at)
            .filter(|other| other.status == Some(Status::Completed))
            .collect();
        // Green runs first (newest first within each kind): their jobs all passed, so the first
        // one read usually holds the job; a red run is read only when no green one is kept.
        candidates.sort_by_key(|other| other.conclusion != Some(Conclusion::Success));
        for candidate in candidates.into_iter().take(PASS_CANDIDATES) {
            let attempt = candidate.run_attempt.unwrap_or(1);
            let Ok(jobs) = self.attempt_jobs(candidate.id, attempt) else { continue };
            let passed = jobs
                .iter()
                .find(|other| other.name == name && other.conclusion == Some(Conclusion::Success));
            let Some(passed) = passed else { continue };
            match self.job_log(passed.id) {
                Ok(log) => return Some((candidate, log)),
                Err(error) => tracing::info!(%error, "the last passing log is not readable"),
            }
        }
        None
    }
}
