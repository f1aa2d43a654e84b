//! What can go wrong talking to GitHub, worded for the person at the terminal: each variant
//! says what happened and what to do. Owns wording only; it never holds a token or a signed
//! URL's query string.

use std::time::Duration;

use jiff::Timestamp;

use crate::github::model::JobId;

/// A request to GitHub that did not give what was asked.
#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    /// 401: the token is wrong, expired or revoked.
    #[error(
        "GitHub refused the token (401 Bad credentials): it is wrong, expired or revoked. \
         Make a new one (`gh auth login`, or a token that can read Actions) and set GH_TOKEN"
    )]
    BadCredentials,
    /// 403 "Resource not accessible by integration": the token lacks a permission.
    #[error(
        "the token may not read {what} (403 Resource not accessible by integration): give it \
         the Actions read permission (fine-grained token: Actions: Read; in a workflow: \
         `permissions: actions: read`)"
    )]
    NotAccessible {
        /// What was asked for.
        what: String,
    },
    /// 403 "Resource not accessible by integration" on check-run annotations.
    #[error(
        "the token may not read {what} (403 Resource not accessible by integration): give it \
         the Checks read permission (fine-grained token: Checks: Read; in a workflow: \
         `permissions: checks: read`)"
    )]
    ChecksNotAccessible {
        /// What was asked for.
        what: String,
    },
    /// Another 403 that is not a rate limit.
    #[error("GitHub refused {what} (403: {message}); check that the token can see the repository")]
    Forbidden {
        /// What was asked for.
        what: String,
        /// GitHub's message.
        message: String,
    },
    /// 404: the repository, run or job does not exist, or the token cannot see it.
    #[error(
        "{what} was not found (404): check the owner/name given to --repo and the run id; a \
         private repository also answers 404 when the token cannot see it"
    )]
    NotFound {
        /// What was asked for.
        what: String,
    },
    /// The rate limit is used up for longer than the caller agreed to wait.
    #[error(
        "GitHub's API rate limit is used up until {reset} ({wait}); that is longer than the \
         {cap} this command waits (--max-wait). Try again after the reset, or use a token with \
         a larger budget", reset = reset_time(*reset), wait = wait_words(*wait), cap = seconds(*cap)
    )]
    RateLimited {
        /// When the budget comes back, when GitHub said.
        reset: Option<Timestamp>,
        /// How long GitHub asked to wait.
        wait: Duration,
        /// The longest wait the caller allows.
        cap: Duration,
    },
    /// 5xx on every attempt.
    #[error(
        "GitHub answered {status} to {what} {attempts} times in a row: it may be having \
         trouble; try again in a few minutes"
    )]
    Server {
        /// The last status.
        status: u16,
        /// What was asked for.
        what: String,
        /// How many tries were made.
        attempts: u32,
    },
    /// The connection failed on every attempt.
    #[error(
        "cannot reach {host} ({detail}) after {attempts} tries; check the network, a proxy, \
         or --api-url"
    )]
    Connection {
        /// The host asked.
        host: String,
        /// What the network layer said.
        detail: String,
        /// How many tries were made.
        attempts: u32,
    },
    /// No answer in time.
    #[error("{host} did not answer {what} within {limit}; try again later", limit = seconds(*limit))]
    Timeout {
        /// The host asked.
        host: String,
        /// What was asked for.
        what: String,
        /// The time allowed.
        limit: Duration,
    },
    /// The answer was not the JSON expected.
    #[error(
        "GitHub's answer for {what} could not be read ({detail}); if --api-url points at a \
         proxy or another server, check it answers like GitHub's REST API"
    )]
    Malformed {
        /// What was asked for.
        what: String,
        /// The parser's complaint.
        detail: String,
    },
    /// Any other status.
    #[error("GitHub answered {status} to {what}: {message}")]
    Status {
        /// The status.
        status: u16,
        /// What was asked for.
        what: String,
        /// GitHub's message, or the status's name.
        message: String,
    },
    /// The job is still running: its log does not exist yet.
    #[error("job {job} has no log yet: it is still running; its log appears when it completes")]
    LogNotReady {
        /// The job.
        job: JobId,
    },
    /// The log passed its retention period.
    #[error(
        "job {job}'s log has expired (GitHub keeps logs 90 days unless the repository says \
         less); only the job's metadata is left"
    )]
    LogExpired {
        /// The job.
        job: JobId,
    },
    /// The log is larger than the download cap.
    #[error("job {job}'s log is larger than the {cap} MiB download limit; it was not read", cap = cap >> 20)]
    LogTooLarge {
        /// The job.
        job: JobId,
        /// The cap in bytes.
        cap: u64,
    },
    /// A run's log archive is larger than the download cap.
    #[error("the log archive of run {run} is larger than the {cap} MiB download limit; it was not read", cap = cap >> 20)]
    ArchiveTooLarge {
        /// The run.
        run: crate::github::model::RunId,
        /// The cap in bytes.
        cap: u64,
    },
    /// The downloaded log could not be kept in a temporary file.
    #[error("cannot keep the downloaded log in a temporary file: {0}")]
    Disk(#[source] std::io::Error),
    /// The runtime that carries requests could not start.
    #[error("cannot start the network runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// A URL could not be built or followed.
    #[error("cannot use the address {0}: is --api-url a URL like https://HOST/api/v3?")]
    BadUrl(String),
    /// The CA bundle could not be read or holds no certificate.
    #[error(
        "cannot use the CA bundle {path}: {detail} (--ca-bundle or GHA_TRIAGE_CA_BUNDLE name a \
         PEM file of certificates to trust besides the system's)", path = path.display()
    )]
    CaBundle {
        /// The file given.
        path: std::path::PathBuf,
        /// What was wrong with it.
        detail: String,
    },
    /// TLS could not be set up.
    #[error("cannot set up TLS: {0}")]
    Tls(String),
    /// `--workflow NAME` names no workflow of the repository.
    #[error("{repo} has no workflow named {name:?}; its workflows are: {known}")]
    UnknownWorkflow {
        /// The repository.
        repo: String,
        /// The name given.
        name: String,
        /// The names it has, with their files.
        known: String,
    },
    /// Offline, and the local store does not hold what was asked for.
    #[error("{what} is not in the local store: open it once without --offline to keep it")]
    NotKept {
        /// What was asked for.
        what: String,
    },
}

fn seconds(duration: Duration) -> String {
    format!("{} s", duration.as_secs())
}

fn wait_words(wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60);
    if minutes <= 1 { format!("in {} s", wait.as_secs()) } else { format!("in {minutes} min") }
}

fn reset_time(reset: Option<Timestamp>) -> String {
    reset.map_or_else(
        || "GitHub's next reset".to_owned(),
        |reset| reset.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}
