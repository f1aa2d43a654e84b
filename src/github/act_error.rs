//! What can go wrong acting on a run, worded for the person who asked: a missing permission,
//! a run in the wrong state, another refusal, or an answer too unclear to know whether GitHub
//! acted. Owns wording and the short form the TUI's status line shows; never holds a token.

use super::error::GithubError;

/// A rerun or cancel that GitHub did not confirm.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// 403 "Resource not accessible by integration": the token may read but not act.
    #[error(
        "the token may not {what} (403 Resource not accessible by integration): it needs the \
         Actions write permission (fine-grained token: Actions: Read and write; classic token: \
         the repo scope; in a workflow: `permissions: actions: write`)"
    )]
    NoPermission {
        /// What was asked, e.g. `rerun the failed jobs of run 5`.
        what: String,
    },
    /// 409, or 403 "already running": the run is not in a state that allows it.
    #[error("GitHub refused to {what} ({status}: {message}): {state}")]
    WrongState {
        /// What was asked.
        what: String,
        /// The status.
        status: u16,
        /// GitHub's message.
        message: String,
        /// Why, in plain words, with what to do.
        state: &'static str,
        /// Why, in a few words: `run is still in progress`.
        short: &'static str,
    },
    /// Another 403 (a run older than 30 days, a run that cannot be retried).
    #[error("GitHub refused to {what} (403: {message})")]
    Refused {
        /// What was asked.
        what: String,
        /// GitHub's message.
        message: String,
    },
    /// The request may have reached GitHub, but no clear answer came back; it is not resent.
    #[error(
        "no clear answer to the request to {what} ({cause}); GitHub may have acted on it, so \
         it was not sent again: check the run's state before asking again"
    )]
    Unsure {
        /// What was asked.
        what: String,
        /// What happened instead of an answer.
        cause: String,
    },
    /// The source is the demo or local files: nothing can be sent.
    #[error("nothing was sent: {0} is not a repository on GitHub")]
    NotLive(String),
    /// The request never got through (token, repository, network, rate limit).
    #[error(transparent)]
    Github(#[from] GithubError),
}

impl ActionError {
    /// Whether GitHub answered and said no (exit code 1), rather than not being reachable or
    /// usable (exit code 2).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            ActionError::NoPermission { .. }
                | ActionError::WrongState { .. }
                | ActionError::Refused { .. }
        )
    }

    /// A few words for a status line: `403: token lacks actions: write`.
    pub fn short(&self) -> String {
        match self {
            ActionError::NoPermission { .. } => "403: token lacks actions: write".to_owned(),
            ActionError::WrongState { status, short, .. } => format!("{status}: {short}"),
            ActionError::Refused { message, .. } => format!("403: {message}"),
            ActionError::Unsure { .. } => {
                "no clear answer; GitHub may have acted: check the run before asking again"
                    .to_owned()
            }
            ActionError::NotLive(_) | ActionError::Github(_) => self.to_string(),
        }
    }
}
