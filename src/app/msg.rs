//! Everything that can happen to the TUI, as messages: input, time, and the answers of effects
//! (past tense, carrying the request they answer).

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{KeyEvent, MouseEvent};
use jiff::Timestamp;

use super::state::RequestId;
use super::suspects::CommitRange;
use crate::github::act::RunAction;
use crate::github::compare::Comparison;
use crate::github::model::{Job, Run, RunId, Workflow};
use crate::github::ratelimit::RateState;
use crate::logdoc::search::SearchResult;
use crate::logdoc::{IndexChunk, LogBytes};
use crate::triage::Report;

/// One event for `update`.
#[derive(Debug)]
pub enum Msg {
    /// A key was pressed.
    Key(KeyEvent),
    /// The mouse was used.
    Mouse(MouseEvent),
    /// The terminal changed size.
    Resize(u16, u16),
    /// Time passed.
    Tick(Timestamp),
    /// The process was asked to end (SIGTERM).
    Terminate,
    /// GitHub's rate limit changed: the budget left, or a wait began or ended.
    RateNoted(RateState),
    /// The runs list arrived.
    RunsLoaded {
        /// The request it answers.
        request: RequestId,
        /// Workflows and runs, or why not.
        result: Result<(Vec<Workflow>, Vec<Run>), String>,
    },
    /// The runs the local store kept, shown while the live list is on its way.
    RunsStored {
        /// The request the live list will answer.
        request: RequestId,
        /// Workflows and runs as kept.
        result: (Vec<Workflow>, Vec<Run>),
    },
    /// A run attempt's jobs arrived.
    JobsLoaded {
        /// The request it answers.
        request: RequestId,
        /// The jobs, or why not.
        result: Result<Vec<Job>, String>,
    },
    /// A run attempt was triaged.
    Triaged {
        /// The request it answers.
        request: RequestId,
        /// Which run attempt.
        key: (RunId, u32),
        /// The findings, or why not.
        result: Result<Arc<Report>, String>,
    },
    /// The commits of a failing streak were compared.
    Compared {
        /// The request it answers.
        request: RequestId,
        /// The range compared.
        range: CommitRange,
        /// The commits, `None` where the source cannot compare them, or why not.
        result: Result<Option<Comparison>, String>,
    },
    /// A job's log was opened.
    LogOpened {
        /// The request it answers.
        request: RequestId,
        /// The bytes, or why not.
        result: Result<LogBytes, String>,
    },
    /// A chunk of the log's line index is ready.
    LogIndexed {
        /// The request it answers (the log's).
        request: RequestId,
        /// The chunk.
        chunk: IndexChunk,
    },
    /// A search made progress.
    SearchProgressed {
        /// The search.
        request: RequestId,
        /// Share done, 0.0 to 1.0.
        share: f32,
    },
    /// A search ended.
    Searched {
        /// The search.
        request: RequestId,
        /// The matches.
        result: SearchResult,
    },
    /// The runs list's selection stayed where it was for a moment.
    SelectionRested {
        /// The wait it ends.
        request: RequestId,
    },
    /// The time between two polls has passed.
    PollDue {
        /// The poll.
        request: RequestId,
    },
    /// A run and its latest attempt's jobs were read again.
    Refreshed {
        /// The poll it answers.
        request: RequestId,
        /// The run and its jobs, or why not.
        result: Result<Box<(Run, Vec<Job>)>, String>,
    },
    /// GitHub answered a rerun or cancel.
    Acted {
        /// The request it answers.
        request: RequestId,
        /// The run.
        run: RunId,
        /// What was asked.
        action: RunAction,
        /// GitHub's status, or a few words on why not (`403: token lacks actions: write`).
        result: Result<u16, String>,
    },
    /// The write-up was written.
    Exported {
        /// Where, or why not.
        result: Result<PathBuf, String>,
    },
    /// An outside action (browser, clipboard) finished.
    Done {
        /// What to tell the user.
        result: Result<String, String>,
    },
}
