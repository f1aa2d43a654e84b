//! Live GitHub through the local store: what cannot change any more (the jobs of a settled
//! attempt, the log of a completed job) is answered from the store without a request; what
//! can (the run list, jobs in progress) is asked of GitHub and kept. With `--offline` there is
//! no GitHub at all and everything comes from the store. Store faults never stop triage: they
//! are logged and the live answer is used as it is; a full store and a corrupt one moved aside
//! are also told to the user once, through [`CachedSource::take_notice`].

mod notices;

use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Arc;

use crate::github::act::{Accepted, RunAction};
use crate::github::act_error::ActionError;
use crate::github::annotations::Annotation;
use crate::github::compare::Comparison;
use crate::github::error::GithubError;
use crate::github::model::{Job, JobId, Run, RunId, Status, Workflow};
use crate::github::ratelimit::RateState;
use crate::github::repo::Repo;
use crate::github::run_filter::RunFilter;
use crate::logdoc::LogBytes;
use crate::source::live::LiveSource;
use crate::source::stored::filter::lets_through;
use crate::source::{Source, SourceError, SourceInfo, SourceKind};
use crate::store::Store;
use crate::triage::Report;
use crate::triage::recall::Recall;
use crate::workflow::repo::RepoView;
use notices::Notices;

/// A repository's runs from GitHub and the store, or from the store alone.
#[derive(Debug)]
pub struct CachedSource {
    live: Option<LiveSource>,
    store: Option<Arc<Store>>,
    repo: Repo,
    repo_dir: Option<PathBuf>,
    offline_filter: RunFilter,
    notices: Notices,
}

impl CachedSource {
    /// GitHub, with what it answers kept in `store` (when there is one).
    pub fn online(live: LiveSource, store: Option<Arc<Store>>) -> CachedSource {
        let repo = live.repo().clone();
        CachedSource {
            live: Some(live),
            store,
            repo,
            repo_dir: None,
            offline_filter: RunFilter::default(),
            notices: Notices::default(),
        }
    }

    /// The store alone: nothing is sent anywhere.
    pub fn offline(repo: Repo, store: Arc<Store>) -> CachedSource {
        CachedSource {
            live: None,
            store: Some(store),
            repo,
            repo_dir: None,
            offline_filter: RunFilter::default(),
            notices: Notices::default(),
        }
    }

    /// Offline, lists only the kept runs `filter` lets through, as GitHub would list them
    /// (online, the live source's filter is used).
    #[must_use]
    pub fn with_filter(mut self, filter: RunFilter) -> CachedSource {
        self.offline_filter = filter;
        self
    }

    /// Which runs are listed: the live source's filter, or offline the one given.
    pub fn run_filter(&self) -> &RunFilter {
        self.live.as_ref().map_or(&self.offline_filter, LiveSource::filter)
    }

    /// Reads the repository behind a run from the checkout in `dir` rather than from GitHub.
    #[must_use]
    pub fn with_repo_dir(mut self, dir: PathBuf) -> CachedSource {
        self.repo_dir = Some(dir);
        self
    }

    /// The repository.
    pub fn repo(&self) -> &Repo {
        &self.repo
    }

    /// Whether this reads the store alone.
    pub fn is_offline(&self) -> bool {
        self.live.is_none()
    }

    /// One run: from GitHub (and kept), or offline from the store.
    pub fn run(&self, run: RunId) -> Result<Run, GithubError> {
        let Some(live) = &self.live else {
            let kept = self.store.as_ref().and_then(|store| stored(store.run(run)));
            return kept.ok_or_else(|| GithubError::NotKept { what: format!("run {run}") });
        };
        let found = live.run(run)?;
        self.keep(|store| store.put_run(&self.repo.to_string(), &found));
        Ok(found)
    }

    /// A job's check-run annotations: from the store when kept, else from GitHub (and kept:
    /// triage asks only for completed jobs'); offline and not kept, none.
    pub fn job_annotations(&self, job: JobId) -> Result<Vec<Annotation>, GithubError> {
        if let Some(kept) = self.store.as_ref().and_then(|store| stored(store.annotations(job))) {
            return Ok(kept);
        }
        let Some(live) = &self.live else { return Ok(Vec::new()) };
        let annotations = live.job_annotations(job)?;
        self.keep(|store| store.put_annotations(job, &annotations));
        Ok(annotations)
    }

    /// The store, when one could be opened.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_deref()
    }

    /// The jobs of one attempt: from the store when the attempt had settled when kept, else
    /// from GitHub (and kept).
    pub fn attempt_jobs(&self, run: RunId, attempt: u32) -> Result<Vec<Job>, GithubError> {
        if let Some(jobs) = self.stored_jobs(run, attempt).filter(|jobs| settled(jobs)) {
            return Ok(jobs);
        }
        let Some(live) = &self.live else {
            return Err(GithubError::NotKept { what: format!("run {run} attempt {attempt}") });
        };
        let jobs = live.attempt_jobs(run, attempt)?;
        self.keep(|store| store.put_jobs(run, attempt, &jobs));
        Ok(jobs)
    }

    /// A job's log: from the store when kept, else from GitHub (and kept: a log GitHub serves
    /// is a completed job's, and never changes).
    pub fn job_log(&self, job: JobId) -> Result<LogBytes, GithubError> {
        if let Some(log) = self.store.as_ref().and_then(|store| stored(store.log(job))) {
            return Ok(LogBytes::Shared(Arc::from(log)));
        }
        let Some(live) = &self.live else {
            return Err(GithubError::NotKept { what: format!("the log of job {job}") });
        };
        let log = live.job_log(job)?;
        self.keep(|store| store.put_log(job, log.as_slice()));
        Ok(log)
    }

    /// Keeps a triaged run: the run itself and each job's findings with their fingerprints
    /// (offline, only for jobs with none kept yet).
    pub fn remember_report(&self, run: &Run, attempt: u32, jobs: &[Job], report: &Report) {
        let repo = self.repo.to_string();
        self.keep(|store| store.put_run(&repo, run));
        for job in jobs {
            let findings: Vec<_> = report
                .findings
                .iter()
                .filter(|finding| finding.job.as_deref() == Some(job.name.as_str()))
                .cloned()
                .collect();
            let nothing_to_keep = !job.failed() && findings.is_empty();
            if nothing_to_keep || self.kept_online(job.id) {
                continue;
            }
            self.keep(|store| store.put_findings(run.id, attempt, job.id, &findings));
        }
    }

    /// Offline, whether the job's findings are already kept: an offline triage lacks the
    /// workflow files, so its findings would only replace fuller ones.
    fn kept_online(&self, job: JobId) -> bool {
        self.live.is_none()
            && self.store.as_ref().is_some_and(|store| store.has_findings(job).unwrap_or(false))
    }

    fn stored_jobs(&self, run: RunId, attempt: u32) -> Option<Vec<Job>> {
        stored(self.store.as_ref()?.jobs(run, attempt))
    }

    /// Runs `write` on the store, logging (not returning) a failure; the first full store is
    /// also kept for [`CachedSource::take_notice`].
    fn keep(&self, write: impl FnOnce(&Store) -> Result<(), crate::store::StoreError>) {
        if let Some(store) = &self.store
            && let Err(error) = write(store)
        {
            tracing::warn!(%error, "not kept in the local store");
            self.notices.failed_write(&error);
        }
    }
}

/// The value of a store read, a failure logged and read as absent.
fn stored<T>(read: Result<Option<T>, crate::store::StoreError>) -> Option<T> {
    read.unwrap_or_else(|error| {
        tracing::warn!(%error, "local store not read");
        None
    })
}

fn settled(jobs: &[Job]) -> bool {
    jobs.iter().all(|job| job.status == Some(Status::Completed))
}

fn source_error(error: GithubError) -> SourceError {
    match error {
        GithubError::NotFound { .. }
        | GithubError::NotKept { .. }
        | GithubError::LogNotReady { .. }
        | GithubError::LogExpired { .. } => SourceError::NotFound(error.to_string()),
        other => SourceError::Unreadable(other.to_string()),
    }
}

impl Deref for CachedSource {
    type Target = LiveSource;

    /// The live source, for calls only GitHub can answer.
    ///
    /// # Panics
    ///
    /// Offline; the commands that reach for GitHub are not started offline.
    fn deref(&self) -> &LiveSource {
        self.live.as_ref().expect("offline sources are not asked for GitHub")
    }
}

impl Source for CachedSource {
    fn info(&self) -> SourceInfo {
        match &self.live {
            Some(live) => live.info(),
            None => SourceInfo { kind: SourceKind::Stored, name: self.repo.to_string() },
        }
    }

    fn workflows(&self) -> Result<Vec<Workflow>, SourceError> {
        if let Some(live) = &self.live {
            return live.workflows();
        }
        Ok(crate::source::stored::workflows_of(&self.runs()?))
    }

    fn runs(&self) -> Result<Vec<Run>, SourceError> {
        let Some(live) = &self.live else {
            let store = self.store.as_ref().expect("an offline source has a store");
            let mut runs = store
                .runs(&self.repo.to_string())
                .map_err(|error| SourceError::Unreadable(error.to_string()))?;
            runs.retain(|run| lets_through(&self.offline_filter, run));
            return Ok(runs);
        };
        let runs = live.runs()?;
        let repo = self.repo.to_string();
        for run in &runs {
            self.keep(|store| store.put_run(&repo, run));
        }
        Ok(runs)
    }

    fn stored_runs(&self) -> Option<(Vec<Workflow>, Vec<Run>)> {
        self.stored_run_list()
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

    fn remember(&self, run: &Run, attempt: u32, jobs: &[Job], report: &Report) {
        self.remember_report(run, attempt, jobs, report);
    }

    fn repo_view(&self, run: &Run) -> Result<Option<RepoView>, SourceError> {
        if let Some(dir) = &self.repo_dir {
            let view = crate::workflow::checkout::at_commit(dir, &run.head_sha)
                .map_err(|error| SourceError::Unreadable(error.to_string()))?;
            return Ok(Some(view));
        }
        if run.head_sha.is_empty() {
            return Ok(None);
        }
        let repo = self.repo.to_string();
        if let Some(kept) = self.store.as_ref().and_then(|s| stored(s.commit(&repo, &run.head_sha)))
        {
            return Ok(Some(kept.view()));
        }
        let Some(live) = &self.live else { return Ok(None) };
        let snapshot = live.repo_snapshot(&run.head_sha).map_err(source_error)?;
        self.keep(|store| store.put_commit(&repo, &run.head_sha, &snapshot));
        Ok(Some(snapshot.view()))
    }

    fn recall(&self, run: &Run, _attempt: u32, jobs: &[Job], report: &Report) -> Recall {
        self.recall_run(run, jobs, report)
    }

    fn take_notice(&self) -> Option<String> {
        CachedSource::take_notice(self)
    }

    /// GitHub compares commits; the store keeps no comparison, so offline has none.
    fn compare(&self, base: &str, head: &str) -> Result<Option<Comparison>, SourceError> {
        match &self.live {
            Some(live) => live.compare(base, head),
            None => Ok(None),
        }
    }

    /// The run itself (`GET …/runs/{id}`), not the filtered list it may have left.
    fn refresh_run(&self, run: RunId) -> Result<Run, SourceError> {
        self.run(run).map_err(source_error)
    }

    fn act(&self, run: RunId, action: RunAction) -> Result<Accepted, ActionError> {
        match &self.live {
            Some(live) => live.act(run, action),
            None => Err(ActionError::NotLive(self.info().name)),
        }
    }

    fn rate(&self) -> Option<RateState> {
        self.live.as_ref().and_then(Source::rate)
    }
}
