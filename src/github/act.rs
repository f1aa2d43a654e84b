//! Acting on a run: rerun it whole, its failed jobs or one job (each optionally with debug
//! logging, a body octocrab's typed calls never send), cancel and force-cancel, as POSTs on
//! the client's transport. Owns the routes, the bodies, which failures are sent again, and what
//! GitHub's refusals mean; reading endpoints live in `actions.rs`.
//!
//! A POST is sent again only when it cannot have taken effect: the connection failed before the
//! request left (refused, DNS, TLS: hyper's "connect" errors), or a rate limit turned it away
//! (GitHub does not process a rate-limited request). A 5xx, a timeout or a connection dropped
//! after sending may hide a rerun that did start; sending it again could start a second
//! attempt, so those end as [`ActionError::Unsure`] and the person checks the run.

use serde_json::{Value, json};

use super::act_error::ActionError;
use super::client::{GitHub, Refusal, host_of, transport_detail};
use super::error::GithubError;
use super::model::{JobId, RunId};
use super::ratelimit::rate_limit_hit;
use super::repo::Repo;

/// Whether a rerun turns on runner diagnostic and step debug logging.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DebugLogging {
    /// The run's usual logging.
    #[default]
    Off,
    /// `enable_debug_logging: true`: `##[debug]` lines and runner diagnostics.
    On,
}

/// Something done to a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunAction {
    /// Rerun every job of the run.
    Rerun(DebugLogging),
    /// Rerun the failed jobs and the jobs that need them.
    RerunFailed(DebugLogging),
    /// Rerun one job and the jobs that need it.
    RerunJob(JobId, DebugLogging),
    /// Ask the run to stop; `always()` steps still run.
    Cancel,
    /// Stop the run even past `always()` conditions (when cancel does not respond).
    ForceCancel,
}

impl RunAction {
    /// The REST route, below the API's base URL.
    pub fn route(self, repo: &Repo, run: RunId) -> String {
        let base = format!("/repos/{repo}/actions");
        match self {
            RunAction::Rerun(_) => format!("{base}/runs/{run}/rerun"),
            RunAction::RerunFailed(_) => format!("{base}/runs/{run}/rerun-failed-jobs"),
            RunAction::RerunJob(job, _) => format!("{base}/jobs/{job}/rerun"),
            RunAction::Cancel => format!("{base}/runs/{run}/cancel"),
            RunAction::ForceCancel => format!("{base}/runs/{run}/force-cancel"),
        }
    }

    /// The JSON body: `{"enable_debug_logging": true}` for a debug rerun, none otherwise.
    pub fn body(self) -> Option<Value> {
        (self.debug() == DebugLogging::On).then(|| json!({"enable_debug_logging": true}))
    }

    /// Whether debug logging was asked for.
    pub fn debug(self) -> DebugLogging {
        match self {
            RunAction::Rerun(debug)
            | RunAction::RerunFailed(debug)
            | RunAction::RerunJob(_, debug) => debug,
            RunAction::Cancel | RunAction::ForceCancel => DebugLogging::Off,
        }
    }

    /// Whether this starts jobs (rather than stopping them).
    pub fn is_rerun(self) -> bool {
        !matches!(self, RunAction::Cancel | RunAction::ForceCancel)
    }

    /// What is asked, as a verb phrase: `rerun the failed jobs of run 5 with debug logging`.
    pub fn describe(self, run: RunId) -> String {
        let what = match self {
            RunAction::Rerun(_) => format!("rerun run {run}"),
            RunAction::RerunFailed(_) => format!("rerun the failed jobs of run {run}"),
            RunAction::RerunJob(job, _) => format!("rerun job {job} of run {run}"),
            RunAction::Cancel => format!("cancel run {run}"),
            RunAction::ForceCancel => format!("force-cancel run {run}"),
        };
        match self.debug() {
            DebugLogging::On => format!("{what} with debug logging"),
            DebugLogging::Off => what,
        }
    }

    /// What GitHub's acceptance means: `rerun requested`, `cancel requested`.
    pub fn accepted(self) -> &'static str {
        match self {
            RunAction::Cancel => "cancel requested",
            RunAction::ForceCancel => "force-cancel requested",
            _ => "rerun requested",
        }
    }

    /// What a refusal for the run's state means: in full, and in a few words.
    fn wrong_state(self) -> (&'static str, &'static str) {
        if self.is_rerun() {
            (
                "the run is still in progress; rerun it once it has completed, or cancel it first",
                "run is still in progress",
            )
        } else {
            (
                "the run has already completed; only a queued or running run can be canceled",
                "run has already completed",
            )
        }
    }
}

/// GitHub took the action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// The status: 201 for a rerun, 202 for a cancel.
    pub status: u16,
}

impl GitHub {
    /// Asks GitHub to do `action` to `run`; rate limits are waited out, nothing else is resent.
    pub async fn act(
        &self,
        repo: &Repo,
        run: RunId,
        action: RunAction,
    ) -> Result<Accepted, ActionError> {
        let what = action.describe(run);
        let uri = action.route(repo, run);
        tracing::info!(%repo, %run, ?action, "acting on a run");
        match self.post(&uri, action.body().as_ref(), &what).await? {
            Ok(status) => Ok(Accepted { status }),
            Err(refusal) => Err(refused(action, refusal, what)),
        }
    }

    /// Sends a POST to the API: the status of a 2xx answer, a [`Refusal`] for a 4xx.
    async fn post(
        &self,
        uri: &str,
        body: Option<&Value>,
        what: &str,
    ) -> Result<Result<u16, Refusal>, ActionError> {
        let unsure = |cause: String| ActionError::Unsure { what: what.to_owned(), cause };
        // The connect and read timeouts (one policy timeout each) fire inside octocrab first;
        // this outer bound only catches a request stuck between them.
        let limit = self.policy.timeout.saturating_mul(2);
        let (mut attempt, mut rate_waits) = (1, 0);
        loop {
            let slot = self.slots.take().await;
            let sent = tokio::time::timeout(limit, self.api._post(uri, body)).await;
            let response = match sent {
                Err(_) => return Err(unsure(format!("no answer within {} s", limit.as_secs()))),
                Ok(Err(error)) if !never_sent(&error) => {
                    return Err(unsure(transport_detail(&error)));
                }
                Ok(Err(error)) => {
                    if attempt >= self.policy.attempts {
                        let host = host_of(self.api_url()).unwrap_or_default();
                        let detail = transport_detail(&error);
                        return Err(
                            GithubError::Connection { host, detail, attempts: attempt }.into()
                        );
                    }
                    attempt += 1;
                    drop(slot);
                    self.clock.sleep(self.policy.backoff(attempt)).await;
                    continue;
                }
                Ok(Ok(response)) => response,
            };
            self.note_budget(response.headers());
            let status = response.status();
            if status.is_success() {
                return Ok(Ok(status.as_u16()));
            }
            let headers = response.headers().clone();
            let refusal = self.refusal(response).await;
            if status.as_u16() < 400 || status.is_server_error() {
                return Err(unsure(format!("GitHub answered {status}")));
            }
            let now = self.clock.now();
            let Some(hit) = rate_limit_hit(status.as_u16(), &headers, &refusal.message, now) else {
                return Ok(Err(refusal));
            };
            let cap = self.policy.max_rate_wait;
            if hit.wait > cap || rate_waits >= self.policy.rate_waits {
                let (reset, wait) = (hit.reset, hit.wait);
                return Err(GithubError::RateLimited { reset, wait, cap }.into());
            }
            rate_waits += 1;
            drop(slot);
            self.wait_out(hit).await;
        }
    }
}

/// Whether a transport error happened before the request left: hyper's connector failed
/// (refused, DNS, TLS), so GitHub cannot have seen it.
fn never_sent(error: &octocrab::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(inner) = source {
        if let Some(client) = inner.downcast_ref::<hyper_util::client::legacy::Error>() {
            return client.is_connect();
        }
        source = inner.source();
    }
    false
}

/// The user-worded error for GitHub's refusal of `action`.
fn refused(action: RunAction, refusal: Refusal, what: String) -> ActionError {
    let message = refusal.message;
    let (state, short) = action.wrong_state();
    match refusal.status {
        403 if message.contains("Resource not accessible") => ActionError::NoPermission { what },
        403 if message.to_ascii_lowercase().contains("already running") => {
            ActionError::WrongState { what, status: 403, message, state, short }
        }
        409 => ActionError::WrongState { what, status: 409, message, state, short },
        403 => ActionError::Refused { what, message },
        status => {
            let refusal = Refusal { status, message, body: refusal.body };
            ActionError::Github(refusal.into_error(&what))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_debug_rerun_carries_a_body() {
        assert_eq!(
            RunAction::RerunFailed(DebugLogging::On).body(),
            Some(json!({"enable_debug_logging": true}))
        );
        assert_eq!(RunAction::Rerun(DebugLogging::Off).body(), None);
        assert_eq!(RunAction::Cancel.body(), None);
    }

    #[test]
    fn a_job_rerun_goes_to_the_job_route() {
        let repo: Repo = "octo-org/widgets".parse().unwrap();
        let route = RunAction::RerunJob(JobId(7), DebugLogging::Off).route(&repo, RunId(5));
        assert_eq!(route, "/repos/octo-org/widgets/actions/jobs/7/rerun");
    }
}
