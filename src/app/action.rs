//! What a user can ask for, independent of which key asked: the keymap turns keys into
//! actions and `update` acts on them. Names are the kebab-case ids of the config file.

use std::fmt;
use std::str::FromStr;

/// One user intent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Leave the program.
    Quit,
    /// Show or hide the key help.
    Help,
    /// Go back one screen, close an overlay, or cancel a search.
    Back,
    /// Move focus between the main view and the findings pane.
    FocusNext,
    /// Suspend to the shell (Ctrl-Z).
    Suspend,
    /// Write the markdown write-up of the run in view.
    Export,
    /// Copy the evidence line or the run's link.
    Copy,
    /// Open the run in the browser.
    OpenBrowser,
    /// Ask to rerun the failed jobs.
    RerunFailed,
    /// Ask to rerun the whole run.
    RerunAll,
    /// Ask to rerun the selected job.
    RerunJob,
    /// Ask to rerun the failed jobs with debug logging.
    RerunDebug,
    /// Ask to cancel the run.
    CancelRun,
    /// Ask to force-cancel the run (past `always()` steps).
    ForceCancel,
    /// Ask to rerun the whole run with debug logging.
    RerunAllDebug,
    /// Ask to rerun the selected job with debug logging.
    RerunJobDebug,
    /// Move up one row.
    Up,
    /// Move down one row.
    Down,
    /// Move up one page.
    PageUp,
    /// Move down one page.
    PageDown,
    /// Go to the first row.
    Top,
    /// Go to the last row.
    Bottom,
    /// Open what is selected.
    Select,
    /// Start an incremental search.
    Search,
    /// Cycle the status filter.
    FilterStatus,
    /// Cycle the workflow filter.
    FilterWorkflow,
    /// Cycle the branch filter.
    FilterBranch,
    /// Clear every filter and the search.
    ClearFilters,
    /// Show the previous attempt of the run.
    PreviousAttempt,
    /// Show the next attempt of the run.
    NextAttempt,
    /// Open the whole job's log instead of the selected step's.
    WholeJobLog,
    /// Jump to the next search match.
    NextMatch,
    /// Jump to the previous search match.
    PreviousMatch,
    /// Jump to the next `##[error]` line.
    NextError,
    /// Jump to the previous `##[error]` line.
    PreviousError,
    /// Jump to the next finding's evidence line.
    NextFinding,
    /// Jump to the previous finding's evidence line.
    PreviousFinding,
    /// Fold or unfold the group under the cursor.
    ToggleGroup,
    /// Fold every group.
    FoldAll,
    /// Unfold every group.
    UnfoldAll,
    /// Show or hide timestamps.
    ToggleTimestamps,
    /// Wrap long lines or cut them.
    ToggleWrap,
}

/// Every action with its config id and the help text the help overlay shows.
pub const ACTIONS: &[(Action, &str, &str)] = &[
    (Action::Quit, "quit", "quit"),
    (Action::Help, "help", "show or hide this help"),
    (Action::Back, "back", "back, close, or cancel a search"),
    (Action::FocusNext, "focus-next", "switch between the view and the findings pane"),
    (Action::Suspend, "suspend", "suspend to the shell"),
    (Action::Export, "export", "write the run's markdown write-up to a file"),
    (Action::Copy, "copy", "copy the evidence line or the run's link"),
    (Action::OpenBrowser, "open-browser", "open the run in the browser"),
    (Action::RerunFailed, "rerun-failed", "rerun the failed jobs (asks first)"),
    (Action::RerunAll, "rerun-all", "rerun the whole run (asks first)"),
    (Action::RerunJob, "rerun-job", "rerun the selected job (asks first)"),
    (Action::RerunDebug, "rerun-debug", "rerun the failed jobs with debug logging (asks first)"),
    (Action::CancelRun, "cancel-run", "cancel the run (asks first)"),
    (Action::ForceCancel, "force-cancel", "force-cancel the run, past always() steps (asks first)"),
    (
        Action::RerunAllDebug,
        "rerun-all-debug",
        "rerun the whole run with debug logging (asks first)",
    ),
    (
        Action::RerunJobDebug,
        "rerun-job-debug",
        "rerun the selected job with debug logging (asks first)",
    ),
    (Action::Up, "up", "up"),
    (Action::Down, "down", "down"),
    (Action::PageUp, "page-up", "page up"),
    (Action::PageDown, "page-down", "page down"),
    (Action::Top, "top", "first row"),
    (Action::Bottom, "bottom", "last row"),
    (Action::Select, "select", "open the selection"),
    (Action::Search, "search", "search: runs as you type, the log by regex"),
    (Action::FilterStatus, "filter-status", "cycle the status filter"),
    (Action::FilterWorkflow, "filter-workflow", "cycle the workflow filter"),
    (Action::FilterBranch, "filter-branch", "cycle the branch filter"),
    (Action::ClearFilters, "clear-filters", "clear filters and search"),
    (Action::PreviousAttempt, "previous-attempt", "previous attempt"),
    (Action::NextAttempt, "next-attempt", "next attempt"),
    (Action::WholeJobLog, "whole-job-log", "open the whole job's log"),
    (Action::NextMatch, "next-match", "next match"),
    (Action::PreviousMatch, "previous-match", "previous match"),
    (Action::NextError, "next-error", "next error line"),
    (Action::PreviousError, "previous-error", "previous error line"),
    (Action::NextFinding, "next-finding", "next finding"),
    (Action::PreviousFinding, "previous-finding", "previous finding"),
    (Action::ToggleGroup, "toggle-group", "fold or unfold the group"),
    (Action::FoldAll, "fold-all", "fold every group"),
    (Action::UnfoldAll, "unfold-all", "unfold every group"),
    (Action::ToggleTimestamps, "toggle-timestamps", "show or hide timestamps"),
    (Action::ToggleWrap, "toggle-wrap", "wrap or cut long lines"),
];

impl Action {
    /// The config id, e.g. `rerun-failed`.
    pub fn id(self) -> &'static str {
        ACTIONS.iter().find(|(action, _, _)| *action == self).map_or("", |(_, id, _)| id)
    }

    /// What the help overlay says it does.
    pub fn description(self) -> &'static str {
        ACTIONS.iter().find(|(action, _, _)| *action == self).map_or("", |(_, _, text)| text)
    }
}

impl FromStr for Action {
    type Err = String;

    fn from_str(id: &str) -> Result<Action, String> {
        ACTIONS
            .iter()
            .find(|(_, name, _)| *name == id)
            .map(|(action, _, _)| *action)
            .ok_or_else(|| format!("unknown action `{id}`"))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
