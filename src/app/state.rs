//! Everything the TUI shows, in one plain struct that `update` changes and views read.
//! Owns no I/O and no clock: time and data arrive in messages.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use jiff::Timestamp;

use super::suspects::{CommitRange, Suspects};
use crate::config::Config;
use crate::github::act::RunAction;
use crate::github::model::{Job, Run, RunId, Workflow, WorkflowId};
use crate::github::ratelimit::RateState;
use crate::logdoc::{LineIndex, LogBytes};
use crate::source::SourceInfo;
use crate::triage::{Finding, Report};

/// Identifies one request so that stale answers can be dropped.
pub type RequestId = u64;

/// Which screen is in view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The list of runs.
    Runs,
    /// One run's jobs and steps.
    Run,
    /// One job's log.
    Log,
}

/// Which pane has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The screen's own view.
    Main,
    /// The findings pane.
    Findings,
}

/// A pop-up over the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    /// The key help.
    Help,
    /// A question that needs a yes or no.
    Confirm(Confirm),
    /// A line of text being typed.
    Prompt(Prompt),
}

/// What a confirmation is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    /// The question.
    pub title: String,
    /// What would happen, line by line.
    pub body: Vec<String>,
    /// The rerun or cancel a yes sends.
    pub action: Option<PendingAction>,
}

/// A rerun or cancel waiting for a yes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingAction {
    /// The run.
    pub run: RunId,
    /// What to do to it.
    pub action: RunAction,
}

/// What a prompt's text is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// Incremental search in the runs list.
    RunSearch,
    /// Regex search in the log.
    LogSearch,
}

/// A line being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// What it is for.
    pub kind: PromptKind,
    /// The text so far.
    pub text: String,
}

/// Which runs the list shows, by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    /// Every run.
    #[default]
    All,
    /// Failed, timed out or startup failure.
    Failed,
    /// Succeeded.
    Succeeded,
    /// Queued or in progress.
    Active,
}

/// The runs list and its filters.
#[derive(Clone, Debug, Default)]
pub struct RunsState {
    /// Workflows of the repository.
    pub workflows: Vec<Workflow>,
    /// Every run loaded, newest first.
    pub all: Vec<Run>,
    /// Whether a load is under way.
    pub loading: bool,
    /// Why the last load failed, shown where the runs would be.
    pub error: Option<String>,
    /// Index into the filtered list.
    pub selected: usize,
    /// Status filter.
    pub status: StatusFilter,
    /// Workflow filter.
    pub workflow: Option<WorkflowId>,
    /// Branch filter.
    pub branch: Option<String>,
    /// Incremental search text (title, workflow, branch, actor).
    pub search: String,
}

/// A row of the run screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunRow {
    /// The header of a matrix: its base name and the job indices of its legs.
    Matrix(String, Vec<usize>),
    /// A job (index into `jobs`).
    Job(usize),
    /// A step of a job (job index, step index).
    Step(usize, usize),
}

/// One run's jobs and steps.
#[derive(Clone, Debug)]
pub struct RunState {
    /// The run.
    pub run: Run,
    /// The attempt in view.
    pub attempt: u32,
    /// Jobs of that attempt.
    pub jobs: Vec<Job>,
    /// Whether jobs are being loaded.
    pub loading: bool,
    /// Selected row.
    pub selected: usize,
    /// Polls left to wait for GitHub to show a rerun or cancel just accepted.
    pub grace: u8,
    /// A finding whose evidence line opens once the jobs arrive (Enter on it from the runs list).
    pub pending_evidence: Option<Finding>,
}

/// Search state of the log.
#[derive(Clone, Debug, Default)]
pub struct LogSearch {
    /// The regex as typed.
    pub query: String,
    /// 0-based matching lines.
    pub matches: Vec<usize>,
    /// Index into `matches` of the current one.
    pub current: Option<usize>,
    /// The running search and its cancel flag.
    pub running: Option<(RequestId, Arc<AtomicBool>)>,
    /// Share of the log searched so far.
    pub progress: f32,
    /// Whether the match list was cut.
    pub capped: bool,
}

/// One job's log in view.
#[derive(Clone, Debug)]
pub struct LogState {
    /// The job.
    pub job: Job,
    /// Lines limited to one step: `(title, first line, last line)`, 0-based.
    pub step: Option<(String, usize, usize)>,
    /// The bytes, once loaded.
    pub bytes: Option<LogBytes>,
    /// The line index, growing while indexing.
    pub index: LineIndex,
    /// First line on screen (0-based).
    pub top: usize,
    /// Line under the cursor (0-based).
    pub cursor: usize,
    /// Header lines of folded groups.
    pub folded: BTreeSet<usize>,
    /// Whether every group starts folded once indexed.
    pub fold_new_groups: bool,
    /// Show timestamps.
    pub timestamps: bool,
    /// Wrap long lines.
    pub wrap: bool,
    /// Search state.
    pub search: LogSearch,
    /// A line to jump to once indexed that far.
    pub pending_jump: Option<usize>,
    /// Why the log could not be shown.
    pub error: Option<String>,
}

/// Triage of one run attempt.
#[derive(Clone, Debug)]
pub enum Triage {
    /// Logs are being read.
    Loading,
    /// Findings are ready.
    Ready(Arc<Report>),
    /// It could not be done.
    Failed(String),
}

/// How loud a notice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Information that stays until another notice replaces it.
    Info,
    /// Information about the last key alone (nothing that way, press again): gone at the next.
    Hint,
    /// Something went wrong; says what to do.
    Error,
}

/// The status bar's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The text.
    pub text: String,
    /// How loud it is.
    pub level: Level,
}

/// Requests whose answers are awaited, one slot each.
#[derive(Clone, Debug, Default)]
pub struct Requests {
    /// The last id handed out.
    pub last: RequestId,
    /// The runs list.
    pub runs: Option<RequestId>,
    /// The jobs of the run in view.
    pub jobs: Option<RequestId>,
    /// The log in view (loading and indexing).
    pub log: Option<RequestId>,
    /// Triage per run attempt.
    pub triage: HashMap<(RunId, u32), RequestId>,
    /// The suspects of failing streaks, per commit range.
    pub compare: HashMap<CommitRange, RequestId>,
    /// The rerun or cancel sent last.
    pub action: Option<RequestId>,
    /// The poll of the run in view, while it is followed.
    pub poll: Option<RequestId>,
    /// The wait before the runs list's selection is triaged, on a live source.
    pub rest: Option<RequestId>,
}

impl Requests {
    /// A new id.
    pub fn issue(&mut self) -> RequestId {
        self.last += 1;
        self.last
    }
}

/// The whole TUI state.
#[derive(Clone, Debug)]
pub struct State {
    /// Where the data comes from.
    pub source: SourceInfo,
    /// Keys and colours.
    pub config: Arc<Config>,
    /// The screen in view.
    pub screen: Screen,
    /// The pane with the keyboard.
    pub focus: Focus,
    /// A pop-up, if any.
    pub overlay: Option<Overlay>,
    /// The runs list.
    pub runs: RunsState,
    /// The run in view.
    pub run: Option<RunState>,
    /// The log in view.
    pub log: Option<LogState>,
    /// Findings per run attempt.
    pub triage: HashMap<(RunId, u32), Triage>,
    /// The suspect commits of failing streaks, per commit range.
    pub suspects: HashMap<CommitRange, Suspects>,
    /// Selected row of the findings pane.
    pub finding: usize,
    /// The status bar's message.
    pub notice: Option<Notice>,
    /// The current time, from the last tick.
    pub now: Timestamp,
    /// GitHub's rate limit as last sampled (none for the demo and local files).
    pub rate: Option<RateState>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Awaited answers.
    pub requests: Requests,
    /// Set when the program should end.
    pub quit: bool,
    /// How it ends: by the user's key, or by a signal that the exit code reports.
    pub ending: Ending,
}

/// How the TUI ended, for the exit code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ending {
    /// A quit key (q, ctrl-c): a normal end.
    #[default]
    Quit,
    /// SIGTERM: the shell's convention is exit 128 + 15.
    Terminated,
}

impl State {
    /// A fresh state for a source.
    pub fn new(source: SourceInfo, config: Arc<Config>, now: Timestamp, size: (u16, u16)) -> State {
        State {
            source,
            config,
            screen: Screen::Runs,
            focus: Focus::Main,
            overlay: None,
            runs: RunsState::default(),
            run: None,
            log: None,
            triage: HashMap::new(),
            suspects: HashMap::new(),
            finding: 0,
            notice: None,
            now,
            rate: None,
            size,
            requests: Requests::default(),
            quit: false,
            ending: Ending::Quit,
        }
    }

    /// Rows the main view has for content; matches the layout `ui` draws.
    pub fn page_rows(&self) -> usize {
        let (main, _) = split_heights(self.size);
        usize::from(main.saturating_sub(3)).max(1)
    }

    /// Rows of the log screen's lines: the main area inside its border.
    pub fn log_rows(&self) -> usize {
        let (main, _) = split_heights(self.size);
        usize::from(main.saturating_sub(2)).max(1)
    }

    /// Shows an information notice.
    pub fn inform(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice { text: text.into(), level: Level::Info });
    }

    /// Shows a hint about the key just pressed; the next key takes it away.
    pub fn hint(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice { text: text.into(), level: Level::Hint });
    }

    /// Shows an error notice.
    pub fn warn(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice { text: text.into(), level: Level::Error });
    }
}

/// Widest terminal at which the findings pane goes below the main view instead of beside it.
pub const SIDE_BY_SIDE_COLUMNS: u16 = 100;

/// Heights of the main view and of the findings pane below it (0 when it is beside it), for a
/// terminal of `(columns, rows)`: one row each goes to the header and the status bar.
pub fn split_heights((columns, rows): (u16, u16)) -> (u16, u16) {
    let body = rows.saturating_sub(2);
    if columns >= SIDE_BY_SIDE_COLUMNS {
        return (body, 0);
    }
    let pane = body * 2 / 5;
    (body - pane, pane)
}
