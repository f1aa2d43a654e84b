//! Live GitHub through the local store: what cannot change any more (the jobs of a settled
//! attempt, the log of a completed job) is answered from the store without a request; what
//! can (the run list, jobs in progress) is asked of GitHub and kept. With `--offline` there is
//! no GitHub at all and everything comes from the store. Store faults never stop triage: they
//! are logged and the live answer is used as it is.

use std::ops::Deref;
use std::sync::Arc;

use crate::github::act::{Accepted, RunAction};
use crate::github::act_error::ActionError;
use crate::github::annotations::Annotation;
use crate::github::error::GithubError;
use crate::github::model::{Job, JobId, Run, RunId, Status, Workflow};
use crate::github::ratelimit::RateState;
use crate::github::repo::Repo;
use crate::logdoc::LogBytes;
use crate::source::live::LiveSource;
use crate::source::{Source, SourceError, SourceInfo, SourceKind};
use crate::store::Store;
use crate::triage::Report;

/// A repository's runs from GitHub and the store, or from the store alone.
#[derive(Debug)]
pub struct CachedSource {
    live: Option<LiveSource>,
    store: Option<Arc<Store>>,
    repo: Repo,
}

impl CachedSource {
    /// GitHub, with what it answers kept in `store` (when there is one).
    pub fn online(live: LiveSource, store: Option<Arc<Store>>) -> CachedSource {
        let repo = live.repo().clone();
        CachedSource { live: Some(live), store, repo }
    }

    /// The store alone: nothing is sent anywhere.
    pub fn offline(repo: Repo, store: Arc<Store>) -> CachedSource {
        CachedSource { live: None, store: Some(store), repo }
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
            return kept
                .ok_or_else(|| GithubError::NotFound { what: not_kept(&format!("run {run}")) });
        };
        let found = live.run(run)?;
        self.keep(|store| store.put_run(&self.repo.to_string(), &found));
        Ok(found)
    }

    /// A job's check-run annotations: from GitHub; offline, none.
    pub fn job_annotations(&self, job: JobId) -> Result<Vec<Annotation>, GithubError> {
        match &self.live {
            Some(live) => live.job_annotations(job),
            None => Ok(Vec::new()),
        }
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
            return Err(GithubError::NotFound {
                what: not_kept(&format!("run {run} attempt {attempt}")),
            });
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
            return Err(GithubError::NotFound { what: not_kept(&format!("the log of job {job}")) });
        };
        let log = live.job_log(job)?;
        self.keep(|store| store.put_log(job, log.as_slice()));
        Ok(log)
    }

    /// Keeps a triaged run: the run itself and each job's findings with their fingerprints.
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
            if job.failed() || !findings.is_empty() {
                self.keep(|store| store.put_findings(run.id, attempt, job.id, &findings));
            }
        }
    }

    fn stored_jobs(&self, run: RunId, attempt: u32) -> Option<Vec<Job>> {
        stored(self.store.as_ref()?.jobs(run, attempt))
    }

    /// Runs `write` on the store, logging (not returning) a failure.
    fn keep(&self, write: impl FnOnce(&Store) -> Result<(), crate::store::StoreError>) {
        if let Some(store) = &self.store
            && let Err(error) = write(store)
        {
            tracing::warn!(%error, "not kept in the local store");
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

fn not_kept(what: &str) -> String {
    format!("{what} (offline: not in the local store; open it once without --offline)")
}

fn source_error(error: GithubError) -> SourceError {
    match error {
        GithubError::NotFound { .. }
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
            None => SourceInfo {
                kind: SourceKind::Offline,
                name: format!("{} · local store, offline", self.repo),
            },
        }
    }

    fn workflows(&self) -> Result<Vec<Workflow>, SourceError> {
        if let Some(live) = &self.live {
            return live.workflows();
        }
        let mut workflows: Vec<Workflow> = Vec::new();
        for run in self.runs()? {
            if workflows.iter().all(|workflow| workflow.id != run.workflow_id) {
                workflows.push(Workflow {
                    id: run.workflow_id,
                    name: run.name.clone().unwrap_or_default(),
                    path: run.path.clone().unwrap_or_default(),
                    state: "active".to_owned(),
                });
            }
        }
        Ok(workflows)
    }

    fn runs(&self) -> Result<Vec<Run>, SourceError> {
        let Some(live) = &self.live else {
            let store = self.store.as_ref().expect("an offline source has a store");
            return store
                .runs(&self.repo.to_string())
                .map_err(|error| SourceError::Unreadable(error.to_string()));
        };
        let runs = live.runs()?;
        let repo = self.repo.to_string();
        for run in &runs {
            self.keep(|store| store.put_run(&repo, run));
        }
        Ok(runs)
    }

    fn jobs(&self, run: RunId, attempt: u32) -> Result<Vec<Job>, SourceError> {
        self.attempt_jobs(run, attempt).map_err(source_error)
    }

    fn log(&self, job: JobId) -> Result<LogBytes, SourceError> {
        self.job_log(job).map_err(source_error)
    }

    fn annotations(&self, job: JobId) -> Result<Vec<Annotation>, SourceError> {
        // TODO(#5): annotations are not kept, so offline triage lacks the causes that appear
        // only there (a lost runner); a table beside findings would keep them.
        match &self.live {
            Some(live) => live.annotations(job),
            None => Ok(Vec::new()),
        }
    }

    fn remember(&self, run: &Run, attempt: u32, jobs: &[Job], report: &Report) {
        self.remember_report(run, attempt, jobs, report);
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
