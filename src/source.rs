//! Where runs, jobs and logs come from: one trait for the TUI and the commands, with the
//! embedded demo and local files (a log, a folder, a run log zip) as implementations; live
//! GitHub plugs in behind the same trait. Sources block; callers run them off the render loop.

pub mod archive_fallback;
pub mod cached;
pub mod demo;
pub mod live;
pub mod offline;

use crate::github::act::{Accepted, RunAction};
use crate::github::act_error::ActionError;
use crate::github::annotations::Annotation;
use crate::github::model::{Job, JobId, Run, RunId, Workflow};
use crate::github::ratelimit::RateState;
use crate::logdoc::LogBytes;

/// What kind of source this is, for the status bar and for what actions may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// The embedded demo: nothing is ever sent anywhere.
    Demo,
    /// Local files: nothing is ever sent anywhere.
    Offline,
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
    /// Jobs of one attempt of a run.
    fn jobs(&self, run: RunId, attempt: u32) -> Result<Vec<Job>, SourceError>;
    /// A job's raw log.
    fn log(&self, job: JobId) -> Result<LogBytes, SourceError>;
    /// A job's check-run annotations (none where the source has no such thing).
    fn annotations(&self, job: JobId) -> Result<Vec<Annotation>, SourceError> {
        let _ = job;
        Ok(Vec::new())
    }
    /// Keeps what triage found in a run, where the source has somewhere to keep it.
    fn remember(&self, run: &Run, attempt: u32, jobs: &[Job], report: &crate::triage::Report) {
        let _ = (run, attempt, jobs, report);
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
