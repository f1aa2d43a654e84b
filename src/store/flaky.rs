//! Flakiness from what the store kept: a failed job is flaky when a job of the same name passed
//! later for the same commit of the same workflow (a later attempt of its run, or a later run).
//! Reads the jobs and runs tables only; it does not fetch the attempts it lacks.

use std::collections::{BTreeMap, HashSet};

use jiff::Timestamp;
use rusqlite::params;
use serde::Serialize;

use crate::github::model::RunId;
use crate::store::{Store, StoreError};

/// One failed job of one run attempt, and whether the same commit later passed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedJob {
    /// The run.
    pub run: RunId,
    /// The attempt that failed.
    pub attempt: u32,
    /// The job's name.
    pub job: String,
    /// The workflow's name.
    pub workflow: String,
    /// When the run was created.
    pub created_at: Option<Timestamp>,
    /// Whether the same job passed later on the same commit.
    pub flaky: bool,
}

/// How often one job of one workflow failed and later passed on the same commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct JobFlakes {
    /// The workflow's name.
    pub workflow: String,
    /// The job's name.
    pub job: String,
    /// Runs in which the job failed.
    pub failed_runs: u64,
    /// Of those, the runs where it later passed on the same commit.
    pub flaky_runs: u64,
}

/// The conclusions that count as a failed job.
const FAILED: &str = "('failure', 'timed_out', 'startup_failure')";

impl Store {
    /// Every failed job kept for `repo`, oldest run first, each marked flaky or not.
    pub fn failed_jobs(&self, repo: &str) -> Result<Vec<FailedJob>, StoreError> {
        let sql = format!(
            "SELECT j.run_id, j.attempt, j.name, COALESCE(r.workflow, ''), r.created_at,
                 EXISTS (SELECT 1 FROM jobs k JOIN runs s ON s.id = k.run_id
                     WHERE k.name = j.name AND k.conclusion = 'success'
                       AND s.repo = r.repo AND s.head_sha = r.head_sha
                       AND s.workflow_id = r.workflow_id
                       AND ((s.id = r.id AND k.attempt > j.attempt)
                            OR (s.id <> r.id AND s.created_at > r.created_at)))
             FROM jobs j JOIN runs r ON r.id = j.run_id
             WHERE r.repo = ?1 AND j.conclusion IN {FAILED}
             ORDER BY r.created_at, j.run_id, j.attempt"
        );
        let connection = self.connection();
        let result = connection.prepare(&sql).and_then(|mut statement| {
            let rows = statement.query_map(params![repo], |row| {
                Ok(FailedJob {
                    run: RunId(row.get(0)?),
                    attempt: row.get(1)?,
                    job: row.get(2)?,
                    workflow: row.get(3)?,
                    created_at: row.get::<_, String>(4)?.parse().ok(),
                    flaky: row.get(5)?,
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<FailedJob>>>()
        });
        self.check(result)
    }
}

/// The `(run, attempt, job)` triples of `failed` that were flaky.
pub fn flaky_set(failed: &[FailedJob]) -> HashSet<(RunId, u32, String)> {
    failed
        .iter()
        .filter(|job| job.flaky)
        .map(|job| (job.run, job.attempt, job.job.clone()))
        .collect()
}

/// Flake rates per workflow and job over `failed`, the flakiest first, then the most failed.
pub fn job_flakes(failed: &[FailedJob]) -> Vec<JobFlakes> {
    let mut runs: BTreeMap<(String, String), (HashSet<RunId>, HashSet<RunId>)> = BTreeMap::new();
    for job in failed {
        let entry = runs.entry((job.workflow.clone(), job.job.clone())).or_default();
        entry.0.insert(job.run);
        if job.flaky {
            entry.1.insert(job.run);
        }
    }
    let mut flakes: Vec<JobFlakes> = runs
        .into_iter()
        .map(|((workflow, job), (failed, flaky))| JobFlakes {
            workflow,
            job,
            failed_runs: failed.len() as u64,
            flaky_runs: flaky.len() as u64,
        })
        .collect();
    flakes.sort_by(|a, b| {
        (b.flaky_runs, b.failed_runs).cmp(&(a.flaky_runs, a.failed_runs)).then(a.job.cmp(&b.job))
    });
    flakes
}
