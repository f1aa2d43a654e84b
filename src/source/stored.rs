//! The runs list as the local store kept it, for the TUI to show at once while GitHub is asked
//! again, filtered as GitHub would filter it; and the workflows those runs name. The live list
//! replaces it. Also keeps the runs listed outside the `Source` trait, such as the failing
//! streak's, and tells whether a kept run can be triaged offline.

pub mod filter;

use crate::github::model::{Conclusion, Run, Workflow};
use crate::source::cached::CachedSource;

impl CachedSource {
    /// The runs kept for the repository that the run filter lets through, and their
    /// workflows, when online and some are kept. Only the newest runs kept are looked at
    /// (`MAX_STORED_RUNS`), so a narrow filter may show fewer than GitHub will.
    pub fn stored_run_list(&self) -> Option<(Vec<Workflow>, Vec<Run>)> {
        if self.is_offline() {
            return None;
        }
        let mut runs = self
            .store()?
            .runs(&self.repo().to_string())
            .inspect_err(|error| tracing::warn!(%error, "runs not read from the local store"))
            .ok()?;
        runs.retain(|run| filter::lets_through(self.run_filter(), run));
        if runs.is_empty() {
            return None;
        }
        Some((workflows_of(&runs), runs))
    }
}

impl CachedSource {
    /// Keeps runs listed outside the `Source` trait (the failing streak's), so offline has them.
    pub fn keep_runs(&self, runs: &[Run]) {
        let Some(store) = self.store() else { return };
        let repo = self.repo().to_string();
        for run in runs {
            if let Err(error) = store.put_run(&repo, run) {
                tracing::warn!(%error, "not kept in the local store");
                return;
            }
        }
    }
}

impl CachedSource {
    /// Whether one attempt of `run` can be triaged from the store alone: its jobs are kept,
    /// and so is the log of each job that failed or was canceled.
    pub fn triage_kept(&self, run: &Run, attempt: u32) -> bool {
        let Ok(jobs) = self.attempt_jobs(run.id, attempt) else { return false };
        jobs.iter()
            .filter(|job| job.failed() || job.conclusion == Some(Conclusion::Cancelled))
            .all(|job| self.job_log(job.id).is_ok())
    }
}

/// The workflows `runs` belong to, in the order they first appear.
pub fn workflows_of(runs: &[Run]) -> Vec<Workflow> {
    let mut workflows: Vec<Workflow> = Vec::new();
    for run in runs {
        if workflows.iter().all(|workflow| workflow.id != run.workflow_id) {
            workflows.push(Workflow {
                id: run.workflow_id,
                name: run.name.clone().unwrap_or_default(),
                path: run.path.clone().unwrap_or_default(),
                state: "active".to_owned(),
            });
        }
    }
    workflows
}
