//! Live GitHub as a source: runs, a run attempt's jobs and job logs of one repository through
//! the GitHub client. Blocking, like every source: it owns a small Tokio runtime and waits on
//! it, so the TUI calls it from its blocking workers and the commands call it directly.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use crate::github::act::{Accepted, RunAction};
use crate::github::act_error::ActionError;
use crate::github::actions::MAX_RUNS;
use crate::github::actions_env::ActionsEnv;
use crate::github::annotations::Annotation;
use crate::github::auth::{NoToken, Token, token_from_environment};
use crate::github::client::{ClientSetup, GitHub, RateWaitNotice};
use crate::github::clock::{Clock, SystemClock};
use crate::github::compare::Comparison;
use crate::github::endpoint::Endpoint;
use crate::github::error::GithubError;
use crate::github::etags::{EtagStore, MemoryEtagStore};
use crate::github::logs::DEFAULT_MAX_LOG_BYTES;
use crate::github::model::{Job, JobId, Run, RunId, Status, Workflow};
use crate::github::ratelimit::RateState;
use crate::github::repo::{Repo, RepoError, repo_from_remotes};
use crate::github::retry::RetryPolicy;
use crate::github::run_filter::RunFilter;
use crate::logdoc::LogBytes;
use crate::source::archive_fallback::{ArchiveFallback, archived_log};
use crate::source::{Source, SourceError, SourceInfo, SourceKind};
use crate::workflow::repo::RepoView;

/// What a live source needs.
#[derive(Debug)]
pub struct LiveOptions {
    /// The server.
    pub endpoint: Endpoint,
    /// The token.
    pub token: Token,
    /// The repository.
    pub repo: Repo,
    /// Retries, timeouts and the longest rate-limit wait.
    pub policy: RetryPolicy,
    /// The largest log downloaded.
    pub max_log_bytes: u64,
    /// The clock waits go through.
    pub clock: Arc<dyn Clock>,
    /// Told before each rate-limit wait, when someone should know.
    pub on_rate_wait: Option<RateWaitNotice>,
    /// Which runs the run list shows and the latest failed run is picked from.
    pub filter: RunFilter,
    /// The most runs a run list reads.
    pub max_runs: usize,
    /// Where entity tags and bodies are kept for conditional requests (in memory unless a store
    /// replaces it).
    pub etags: Arc<dyn EtagStore>,
    /// A PEM file of certificates to trust besides the system's (`--ca-bundle`).
    pub ca_bundle: Option<std::path::PathBuf>,
}

/// A live source could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LiveSetupError {
    /// No token.
    #[error(transparent)]
    Token(#[from] NoToken),
    /// No repository.
    #[error(transparent)]
    Repo(#[from] RepoError),
    /// The client could not be built.
    #[error(transparent)]
    Client(#[from] GithubError),
    /// The API URL cannot name a server.
    #[error(transparent)]
    Endpoint(#[from] crate::github::endpoint::BadEndpoint),
}

impl LiveOptions {
    /// Options from the command line and the environment: the repository from `repo`, inside
    /// GitHub Actions `GITHUB_REPOSITORY`, else the current folder's git remotes; the server
    /// from `api_url`, `GITHUB_API_URL` inside Actions, or `GH_HOST`; the token from
    /// `GH_TOKEN`, `GITHUB_TOKEN` or the GitHub CLI.
    pub fn from_environment(
        repo: Option<&str>,
        api_url: Option<&str>,
    ) -> Result<LiveOptions, LiveSetupError> {
        let actions = ActionsEnv::from_process().unwrap_or_default();
        let api_url = api_url.or(actions.api_url.as_deref());
        let repo = repo.or(actions.repository.as_deref());
        let gh_host = std::env::var("GH_HOST").ok();
        let endpoint = Endpoint::choose(api_url, gh_host.as_deref())?;
        let repo = if let Some(text) = repo {
            text.parse()?
        } else {
            let here = std::env::current_dir().unwrap_or_default();
            repo_from_remotes(&here, &endpoint.host)?
        };
        let (token, origin) = token_from_environment(&endpoint.host)?;
        tracing::info!(?origin, %repo, api = %endpoint.api_url, "live source");
        Ok(LiveOptions::new(endpoint, token, repo))
    }

    /// Options with the default policy, log cap and the system clock.
    pub fn new(endpoint: Endpoint, token: Token, repo: Repo) -> LiveOptions {
        LiveOptions {
            endpoint,
            token,
            repo,
            policy: RetryPolicy::default(),
            max_log_bytes: DEFAULT_MAX_LOG_BYTES,
            clock: Arc::new(SystemClock),
            on_rate_wait: None,
            filter: RunFilter::default(),
            max_runs: MAX_RUNS,
            etags: Arc::new(MemoryEtagStore::default()),
            ca_bundle: None,
        }
    }
}

/// How many downloaded logs are kept for reopening.
const KEPT_LOGS: usize = 32;

/// How many commits' repository views are kept.
const KEPT_VIEWS: usize = 8;

/// One repository on GitHub.
#[derive(Debug)]
pub struct LiveSource {
    github: GitHub,
    repo: Repo,
    filter: RunFilter,
    max_runs: usize,
    max_log_bytes: u64,
    settled: Mutex<Settled>,
    archives: ArchiveFallback,
    runtime: Option<tokio::runtime::Runtime>,
}

/// What cannot change any more, kept so the TUI does not ask twice: the jobs of attempts
/// whose jobs all completed, logs read, and the repository at commits read.
#[derive(Debug, Default)]
struct Settled {
    jobs: HashMap<(RunId, u32), Vec<Job>>,
    logs: HashMap<JobId, LogBytes>,
    views: HashMap<String, RepoView>,
}

impl LiveSource {
    /// Builds the client on a runtime of its own; nothing is sent yet.
    pub fn connect(options: LiveOptions) -> Result<LiveSource, GithubError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("gha-triage-http")
            .enable_all()
            .build()
            .map_err(GithubError::Runtime)?;
        let github = {
            let _entered = runtime.enter();
            let LiveOptions {
                endpoint, token, policy, clock, on_rate_wait, etags, ca_bundle, ..
            } = options;
            let setup = ClientSetup { policy, clock, etags, ca_bundle };
            let github = GitHub::build(&endpoint.api_url, Some(&token), setup)?;
            match on_rate_wait {
                Some(notice) => github.with_rate_wait_notice(notice),
                None => github,
            }
        };
        Ok(LiveSource {
            github,
            repo: options.repo,
            filter: options.filter,
            max_runs: options.max_runs,
            max_log_bytes: options.max_log_bytes,
            settled: Mutex::new(Settled::default()),
            archives: ArchiveFallback::default(),
            runtime: Some(runtime),
        })
    }

    /// The repository read.
    pub fn repo(&self) -> &Repo {
        &self.repo
    }

    /// The client, for calls the `Source` trait does not cover.
    pub fn github(&self) -> &GitHub {
        &self.github
    }

    /// Waits for `future` on the source's runtime. Must not be called from async code.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.as_ref().expect("the runtime lives until drop").block_on(future)
    }

    /// One run.
    pub fn run(&self, run: RunId) -> Result<Run, GithubError> {
        self.block_on(self.github.run(&self.repo, run))
    }

    /// The newest failed run among those the filter lets through, if any.
    pub fn latest_failed_run(&self) -> Result<Option<Run>, GithubError> {
        self.block_on(self.github.latest_failed_run(&self.repo, &self.filter))
    }

    /// The runs the filter lets through, newest first, with the client's error.
    pub fn filtered_runs(&self) -> Result<Vec<Run>, GithubError> {
        self.block_on(self.github.filtered_runs(&self.repo, &self.filter, self.max_runs))
    }

    /// The filter in force.
    pub fn filter(&self) -> &RunFilter {
        &self.filter
    }

    /// The jobs of one attempt, with the client's error.
    pub fn attempt_jobs(&self, run: RunId, attempt: u32) -> Result<Vec<Job>, GithubError> {
        if let Some(jobs) = self.settled().jobs.get(&(run, attempt)) {
            return Ok(jobs.clone());
        }
        let jobs = self.block_on(self.github.jobs(&self.repo, run, attempt))?;
        self.archives.note(run, attempt, &jobs);
        if jobs.iter().all(|job| job.status == Some(Status::Completed)) {
            self.settled().jobs.insert((run, attempt), jobs.clone());
        }
        Ok(jobs)
    }

    /// A job's log, with the client's error (in progress and expired logs included); when the
    /// job log route answers 404, from the run attempt's log archive.
    pub fn job_log(&self, job: JobId) -> Result<LogBytes, GithubError> {
        if let Some(bytes) = self.settled().logs.get(&job) {
            return Ok(bytes.clone());
        }
        let bytes = match self.block_on(self.github.job_log(&self.repo, job, self.max_log_bytes)) {
            Err(error @ GithubError::NotFound { .. }) => {
                archived_log(self, &self.archives, job, self.max_log_bytes).ok_or(error)?
            }
            other => other?,
        };
        let mut settled = self.settled();
        if settled.logs.len() >= KEPT_LOGS {
            settled.logs.clear();
        }
        settled.logs.insert(job, bytes.clone());
        Ok(bytes)
    }

    /// The repository at commit `sha`, its file list and workflow files (1 + W requests, kept:
    /// a commit never changes), with the client's error.
    pub fn repo_at(&self, sha: &str) -> Result<RepoView, GithubError> {
        if let Some(view) = self.settled().views.get(sha) {
            return Ok(view.clone());
        }
        let view = self.block_on(self.github.repo_view(&self.repo, sha))?;
        let mut settled = self.settled();
        if settled.views.len() >= KEPT_VIEWS {
            settled.views.clear();
        }
        settled.views.insert(sha.to_owned(), view.clone());
        Ok(view)
    }

    /// The repository at commit `sha` as read from GitHub, in the form the store keeps.
    pub fn repo_snapshot(
        &self,
        sha: &str,
    ) -> Result<crate::workflow::repo::RepoSnapshot, GithubError> {
        self.block_on(self.github.repo_snapshot(&self.repo, sha))
    }

    /// A job's check-run annotations, with the client's error.
    pub fn job_annotations(&self, job: JobId) -> Result<Vec<Annotation>, GithubError> {
        self.block_on(self.github.annotations(&self.repo, job))
    }

    fn settled(&self) -> std::sync::MutexGuard<'_, Settled> {
        self.settled.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for LiveSource {
    fn drop(&mut self) {
        // A source may be dropped inside async code, where a runtime may not block to stop.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn source_error(error: GithubError) -> SourceError {
    match error {
        GithubError::NotFound { .. }
        | GithubError::LogNotReady { .. }
        | GithubError::LogExpired { .. } => SourceError::NotFound(error.to_string()),
        other => SourceError::Unreadable(other.to_string()),
    }
}

impl Source for LiveSource {
    fn info(&self) -> SourceInfo {
        SourceInfo { kind: SourceKind::Live, name: self.repo.to_string() }
    }

    fn workflows(&self) -> Result<Vec<Workflow>, SourceError> {
        self.block_on(self.github.workflows(&self.repo)).map_err(source_error)
    }

    fn runs(&self) -> Result<Vec<Run>, SourceError> {
        self.filtered_runs().map_err(source_error)
    }

    fn refresh_run(&self, run: RunId) -> Result<Run, SourceError> {
        LiveSource::run(self, run).map_err(source_error)
    }

    fn act(&self, run: RunId, action: RunAction) -> Result<Accepted, ActionError> {
        self.block_on(self.github.act(&self.repo, run, action))
    }

    fn rate(&self) -> Option<RateState> {
        Some(self.github.rate())
    }

    fn jobs(&self, run: RunId, attempt: u32) -> Result<Vec<Job>, SourceError> {
        self.attempt_jobs(run, attempt).map_err(source_error)
    }

    fn log(&self, job: JobId) -> Result<LogBytes, SourceError> {
        self.job_log(job).map_err(source_error)
    }

    fn annotations(&self, job: JobId) -> Result<Vec<Annotation>, SourceError> {
        self.job_annotations(job).map_err(source_error)
    }

    fn repo_view(&self, run: &Run) -> Result<Option<RepoView>, SourceError> {
        if run.head_sha.is_empty() {
            return Ok(None);
        }
        self.repo_at(&run.head_sha).map(Some).map_err(source_error)
    }

    fn compare(&self, base: &str, head: &str) -> Result<Option<Comparison>, SourceError> {
        let compared = self.block_on(self.github.compare(&self.repo, base, head));
        compared.map(Some).map_err(source_error)
    }
}
