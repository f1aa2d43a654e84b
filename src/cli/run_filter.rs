//! The run-list filters every live command takes (`--workflow`, `--branch`, `--status`,
//! `--event`, `--actor`, `--created`, `--commit`, `--limit`): for the TUI's run list, `runs`,
//! and the latest failed run `report` picks. Owns the options; their checks are the filter's.

use clap::Args;

use crate::github::run_filter::{MAX_LISTED_RUNS, RunFilter, WorkflowRef};

/// The runs a list shows unless `--limit` says otherwise.
const DEFAULT_LIMIT: u16 = 100;

/// Which runs are listed.
#[derive(Debug, Default, Args)]
pub struct RunFilterArgs {
    /// Only this workflow's runs: its name, file (ci.yml) or id.
    #[arg(long, value_name = "WORKFLOW", global = true)]
    pub workflow: Option<String>,
    /// Only runs on this branch.
    #[arg(long, value_name = "BRANCH", global = true)]
    pub branch: Option<String>,
    #[expect(clippy::doc_markdown, reason = "clap shows this line as help; backticks would show")]
    /// Only runs with this status or conclusion (failure, success, in_progress, queued…).
    #[arg(long, value_name = "STATUS", global = true)]
    pub status: Option<String>,
    #[expect(clippy::doc_markdown, reason = "clap shows this line as help; backticks would show")]
    /// Only runs triggered by this event (push, pull_request, schedule, workflow_dispatch…).
    #[arg(long, value_name = "EVENT", global = true)]
    pub event: Option<String>,
    /// Only runs triggered by this user.
    #[arg(long, value_name = "LOGIN", global = true)]
    pub actor: Option<String>,
    /// Only runs created then: 2025-12-15, >=2025-12-01, 2025-12-01..2025-12-15.
    #[arg(long, value_name = "DATES", global = true, allow_hyphen_values = true)]
    pub created: Option<String>,
    /// Only runs of this commit (the full SHA).
    #[arg(long, value_name = "SHA", global = true, alias = "head-sha")]
    pub commit: Option<String>,
    /// The most runs listed (GitHub lists at most 1000 for a filter).
    #[arg(
        long,
        value_name = "N",
        global = true,
        default_value_t = DEFAULT_LIMIT,
        value_parser = clap::value_parser!(u16).range(1..=1000)
    )]
    pub limit: u16,
}

impl RunFilterArgs {
    /// The filter the options describe.
    pub fn filter(&self) -> RunFilter {
        RunFilter {
            workflow: self.workflow.as_deref().map(WorkflowRef::parse),
            branch: self.branch.clone(),
            status: self.status.clone(),
            event: self.event.clone(),
            actor: self.actor.clone(),
            created: self.created.clone(),
            head_sha: self.commit.clone(),
        }
    }

    /// The most runs listed, within GitHub's limit.
    pub fn limit(&self) -> usize {
        usize::from(self.limit).min(MAX_LISTED_RUNS)
    }
}
