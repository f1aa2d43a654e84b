//! Where runs, jobs and logs come from: one trait for the TUI and the commands, with the
//! embedded demo and local files (a log, a folder, a run log zip) as implementations; live
//! GitHub plugs in behind the same trait. Sources block; callers run them off the render loop.

pub mod archive_fallback;
pub mod cached;
pub mod demo;
pub mod live;
pub mod offline;
pub mod recall;
pub mod stored;

use crate::github::act::{Accepted, RunAction};
use crate::github::act_error::ActionError;
use crate::github::annotations::Annotation;
use crate::github::compare::Comparison;
use crate::github::model::{Job, JobId, Run, RunId, Workflow};
use crate::github::ratelimit::RateState;
use crate::logdoc::LogBytes;
use crate::workflow::repo::RepoView;

/// What kind of source this is, for the status bar and for what actions may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// The embedded demo: nothing is ever sent anywhere.
    Demo,
    /// Local files: nothing is ever sent anywhere.
    Offline,
    /// A repository's runs from the local store alone (`--offline`): nothing is sent.
    Stored,
    /// GitHub's API.
    Live,
}

/// What the screens show about the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceInfo {
    /// What kind of source it is.
    pub kind: SourceKind,
    /// `owner/repo`, or the path that was opened.
    pub name: String,
}

/// A source could not answer.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The thing asked for does not exist there.
    #[error("{0}")]
    NotFound(String),
    /// The data could not be read.
    #[error("{0}")]
    Unreadable(String),
}

/// Runs, jobs and logs, from wherever they are.
pub trait Source: Send + Sync {
    /// What the source is.
    fn info(&self) -> SourceInfo;
    /// Workflows of the repository.
    fn workflows(&self) -> Result<Vec<Workflow>, SourceError>;
    /// Runs, newest first.
    fn runs(&self) -> Result<Vec<Run>, SourceError>;
    /// The runs kept from an earlier session, to show while `runs` asks again; `None` where
    /// nothing is kept or `runs` is as quick.
    fn stored_runs(&self) -> Option<(Vec<Workflow>, Vec<Run>)> {
        None
    }
    /// Jobs of one attempt of a run.
    fn jobs(&self, run: RunId, attempt: u32) -> Result<Vec<Job>, SourceError>;
    /// A job's raw log.
    fn log(&self, job: JobId) -> Result<LogBytes, SourceError>;
    /// A job's check-run annotations (none where the source has no such thing).
    fn annotations(&self, job: JobId) -> Result<Vec<Annotation>, SourceError> {
        let _ = job;
        Ok(Vec::new())
    }
    /// The repository at the run's head commit (its file list and workflow files), where the
    /// source can read one; `None` where it has none.
    fn repo_view(&self, run: &Run) -> Result<Option<RepoView>, SourceError> {
        let _ = run;
        Ok(None)
    }
    /// Keeps what triage found in a run, where the source has somewhere to keep it.
    fn remember(&self, run: &Run, attempt: u32, jobs: &[Job], report: &crate::triage::Report) {
        let _ = (run, attempt, jobs, report);
    }
    /// What is known of a triaged run's findings from other runs (seen before, flaky, new since
    /// the job last passed); nothing where the source keeps no history.
    fn recall(
        &self,
        run: &Run,
        attempt: u32,
        jobs: &[Job],
        report: &crate::triage::Report,
    ) -> crate::triage::recall::Recall {
        let _ = (run, attempt, jobs, report);
        crate::triage::recall::Recall::default()
    }
    /// Something the user should be told once about where the source keeps things (a full
    /// store); `None` when there is nothing to tell.
    fn take_notice(&self) -> Option<String> {
        None
    }
    /// The commits after `base` up to `head`, oldest first: the suspects of a failing streak.
    /// `None` where the source cannot compare commits (local files, the local store alone).
    fn compare(&self, base: &str, head: &str) -> Result<Option<Comparison>, SourceError> {
        let _ = (base, head);
        Ok(None)
    }
    /// The web page of a run, when there is one.
    fn run_url(&self, run: &Run) -> Option<String> {
        run.html_url.clone()
    }
    /// The run as it is now, for polling one in progress.
    fn refresh_run(&self, run: RunId) -> Result<Run, SourceError> {
        self.runs()?
            .into_iter()
            .find(|candidate| candidate.id == run)
            .ok_or_else(|| SourceError::NotFound(format!("run {run} is no longer listed")))
    }
    /// GitHub's rate limit as last seen (none where there is no GitHub).
    fn rate(&self) -> Option<RateState> {
        None
    }
    /// Asks for a rerun or a cancel; only a live source can send one.
    fn act(&self, run: RunId, action: RunAction) -> Result<Accepted, ActionError> {
        let _ = (run, action);
        Err(ActionError::NotLive(self.info().name))
    }
}
