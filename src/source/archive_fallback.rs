//! A job's log out of its run attempt's log archive, for when the job log route answers 404
//! (GitHub serves some logs only in the archive). Remembers the run attempt and name of each
//! job listed, and keeps each archive downloaded for the other jobs of the same attempt. Owns
//! the bookkeeping and the picking; the download is `github/run_logs.rs`'s.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::github::error::GithubError;
use crate::github::model::{Job, JobId, RunId};
use crate::input::Limits;
use crate::input::archive::names::same_job;
use crate::logdoc::LogBytes;
use crate::source::live::LiveSource;

/// How many downloaded archives are kept.
const KEPT_ARCHIVES: usize = 4;

/// Where a job's log is in the archives, and the archives downloaded.
#[derive(Debug, Default)]
pub struct ArchiveFallback {
    places: Mutex<HashMap<JobId, Place>>,
    archives: Mutex<HashMap<(RunId, u32), Arc<tempfile::TempPath>>>,
}

/// The run attempt whose archive holds a job's log, and the job's name in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The run.
    pub run: RunId,
    /// The attempt.
    pub attempt: u32,
    /// The job's name, as the archive's entries are named after it.
    pub name: String,
}

impl ArchiveFallback {
    /// Remembers where the logs of `jobs`, the jobs of `attempt` of `run`, are in its archive.
    pub fn note(&self, run: RunId, attempt: u32, jobs: &[Job]) {
        let mut places = lock(&self.places);
        for job in jobs {
            places.insert(job.id, Place { run, attempt, name: job.name.clone() });
        }
    }

    /// Where `job`'s log is, when its run attempt was listed.
    pub fn place(&self, job: JobId) -> Option<Place> {
        lock(&self.places).get(&job).cloned()
    }

    /// The archive of `place`'s run attempt: kept, or from `fetch` (and kept).
    pub fn archive(
        &self,
        place: &Place,
        fetch: impl FnOnce() -> Result<tempfile::TempPath, GithubError>,
    ) -> Result<Arc<tempfile::TempPath>, GithubError> {
        let key = (place.run, place.attempt);
        if let Some(kept) = lock(&self.archives).get(&key) {
            return Ok(kept.clone());
        }
        let fetched = Arc::new(fetch()?);
        let mut archives = lock(&self.archives);
        if archives.len() >= KEPT_ARCHIVES {
            archives.clear();
        }
        archives.insert(key, fetched.clone());
        Ok(fetched)
    }
}

/// `job`'s log out of its run attempt's archive, read through `live` and kept in `archives`;
/// `None` when the attempt was never listed, the archive cannot be had or the job is not in it
/// (the caller keeps its own error).
pub fn archived_log(
    live: &LiveSource,
    archives: &ArchiveFallback,
    job: JobId,
    cap: u64,
) -> Option<LogBytes> {
    let place = archives.place(job)?;
    let fetch = || {
        let archive = live.github().run_log_archive(live.repo(), place.run, place.attempt, cap);
        live.block_on(archive)
    };
    let found =
        archives.archive(&place, fetch).and_then(|archive| job_log_in(&archive, &place.name, cap));
    match found {
        Ok(log) => log,
        Err(error) => {
            tracing::warn!(%error, %job, "no log in the run's archive either");
            None
        }
    }
}

/// The log of the job called `name` in the archive at `path` (its whole-job file, else its
/// step files one after the other), at most `cap` bytes unpacked; `None` when it is not there.
pub fn job_log_in(path: &Path, name: &str, cap: u64) -> Result<Option<LogBytes>, GithubError> {
    let mut log = Vec::new();
    let mut found = false;
    let limits = Limits { max_unpacked: cap };
    crate::input::archive::for_each_job(path, limits, &mut |context, reader| {
        if context.name.as_deref().is_some_and(|entry| same_job(entry, name)) {
            found = true;
            reader.read_to_end(&mut log).map_err(|source| {
                crate::input::InputError::Unreadable { path: path.display().to_string(), source }
            })?;
        }
        Ok(())
    })
    .map_err(|error| GithubError::Malformed {
        what: "the run's log archive".to_owned(),
        detail: error.to_string(),
    })?;
    Ok(found.then(|| LogBytes::Shared(Arc::from(log))))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
