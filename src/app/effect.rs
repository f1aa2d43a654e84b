//! What `update` asks the outside world to do. Effects are data; `app::runner` carries them
//! out off the render loop and answers with messages.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use regex::Regex;

use super::state::RequestId;
use super::suspects::CommitRange;
use crate::export::writeup::RunFacts;
use crate::github::act::RunAction;
use crate::github::model::{JobId, Run, RunId};
use crate::logdoc::LogBytes;
use crate::triage::Report;

/// One thing to do outside `update`.
#[derive(Debug)]
pub enum Effect {
    /// Load workflows and runs.
    LoadRuns {
        /// The request.
        request: RequestId,
    },
    /// Load one attempt's jobs.
    LoadJobs {
        /// The request.
        request: RequestId,
        /// The run.
        run: RunId,
        /// The attempt.
        attempt: u32,
    },
    /// Read the failed jobs' logs of a run attempt and rank findings.
    Triage {
        /// The request.
        request: RequestId,
        /// The run.
        run: Box<Run>,
        /// The attempt.
        attempt: u32,
    },
    /// Open a job's log.
    OpenLog {
        /// The request.
        request: RequestId,
        /// The job.
        job: JobId,
    },
    /// Index a log in chunks, reporting each.
    IndexLog {
        /// The log's request.
        request: RequestId,
        /// Its bytes.
        bytes: LogBytes,
    },
    /// Search a log.
    Search {
        /// The request.
        request: RequestId,
        /// The bytes.
        bytes: LogBytes,
        /// What to look for.
        regex: Regex,
        /// Set to stop early.
        cancel: Arc<AtomicBool>,
    },
    /// Ask for the commits of a failing streak (its suspects).
    Compare {
        /// The request.
        request: RequestId,
        /// After which commit, up to which.
        range: CommitRange,
    },
    /// Write the write-up of a run to a file.
    Export {
        /// What is known of the run.
        facts: Box<RunFacts>,
        /// Its findings.
        report: Arc<Report>,
        /// Where to write.
        path: PathBuf,
    },
    /// Wait, then say that a poll is due (a timer: nothing is read).
    PollAfter {
        /// The poll.
        request: RequestId,
        /// How long to wait.
        after: std::time::Duration,
    },
    /// Wait, then say that the runs list's selection rested (a timer: nothing is read).
    TriageAfter {
        /// The wait.
        request: RequestId,
        /// How long to wait.
        after: std::time::Duration,
    },
    /// Read a run and its latest attempt's jobs again.
    Refresh {
        /// The poll.
        request: RequestId,
        /// The run.
        run: RunId,
    },
    /// Ask GitHub to rerun or cancel a run.
    Act {
        /// The request.
        request: RequestId,
        /// The run.
        run: RunId,
        /// What to do to it.
        action: RunAction,
    },
    /// Copy text to the clipboard (OSC 52 through the terminal).
    Copy(String),
    /// Open a page in the browser.
    OpenUrl(String),
    /// Give the terminal back to the shell until resumed.
    Suspend,
}
