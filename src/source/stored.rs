//! The runs list as the local store kept it, for the TUI to show at once while GitHub is asked
//! again; and the workflows those runs name. Reads the store only; the live list replaces it.

use crate::github::model::{Run, Workflow};
use crate::source::cached::CachedSource;

impl CachedSource {
    /// The runs kept for the repository and their workflows, when online with no run filter
    /// (the store cannot apply GitHub's filters) and something is kept.
    pub fn stored_run_list(&self) -> Option<(Vec<Workflow>, Vec<Run>)> {
        if self.is_offline() || !self.filter().describe().is_empty() {
            return None;
        }
        let runs = self
            .store()?
            .runs(&self.repo().to_string())
            .inspect_err(|error| tracing::warn!(%error, "runs not read from the local store"))
            .ok()?;
        if runs.is_empty() {
            return None;
        }
        Some((workflows_of(&runs), runs))
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
