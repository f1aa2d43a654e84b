//! What other runs say of one run's causes: for each fingerprint, how many runs had it, since
//! when, and how many of them were flaky; and whether any other run was triaged at all. Reads
//! what `store::records` kept, through the rows `store::history` reads.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use rusqlite::params;

use crate::fingerprint::FingerprintId;
use crate::github::model::RunId;
use crate::store::flaky;
use crate::store::history::Sightings;
use crate::store::{Store, StoreError};

/// What the store knows of one cause from other runs than the one being read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// Other runs that had it.
    pub other_runs: u64,
    /// When it was first seen, in any run this one included.
    pub first_seen: Option<Timestamp>,
    /// Runs with it (this one included) whose failure later passed on the same commit.
    pub flaky_runs: u64,
    /// Runs with it, this one included.
    pub runs: u64,
}

impl Store {
    /// What other runs of `repo` than `current` say of each fingerprint, for "new" or "seen in
    /// N runs since" beside a finding. Every kept finding counts, symptoms included.
    pub fn seen(
        &self,
        repo: &str,
        fingerprints: &[FingerprintId],
        current: RunId,
    ) -> Result<HashMap<FingerprintId, Seen>, StoreError> {
        let flaky = flaky::flaky_set(&self.failed_jobs(repo)?);
        let wanted: HashSet<&str> = fingerprints.iter().map(|id| id.0.as_str()).collect();
        let mut seen: HashMap<FingerprintId, Sightings> = HashMap::new();
        for row in
            self.rows(repo)?.into_iter().filter(|row| wanted.contains(row.fingerprint.as_str()))
        {
            seen.entry(FingerprintId(row.fingerprint.clone())).or_default().add(&row, &flaky);
        }
        let mut answers = HashMap::new();
        for id in fingerprints {
            let sighted = seen.remove(id).unwrap_or_default();
            let other_runs = sighted.runs.iter().filter(|run| **run != current).count() as u64;
            answers.insert(
                id.clone(),
                Seen {
                    other_runs,
                    first_seen: sighted.first,
                    flaky_runs: sighted.flaky.len() as u64,
                    runs: (sighted.runs.len() as u64).max(other_runs + 1),
                },
            );
        }
        Ok(answers)
    }

    /// How many runs of `repo` other than `current` have findings kept: with none, "new" says
    /// nothing yet.
    pub fn other_triaged_runs(&self, repo: &str, current: RunId) -> Result<u64, StoreError> {
        let connection = self.connection();
        let count = connection.query_row(
            "SELECT COUNT(DISTINCT f.run_id) FROM findings f JOIN runs r ON r.id = f.run_id
             WHERE r.repo = ?1 AND f.run_id <> ?2",
            params![repo, current.0],
            |row| row.get(0),
        );
        self.check(count)
    }

    /// Whether findings are kept for this attempt of `run` (it was triaged and found some).
    pub fn triaged(&self, run: RunId, attempt: u32) -> Result<bool, StoreError> {
        let connection = self.connection();
        let found = connection.query_row(
            "SELECT EXISTS (SELECT 1 FROM findings WHERE run_id = ?1 AND attempt = ?2)",
            params![run.0, attempt],
            |row| row.get(0),
        );
        self.check(found)
    }
}
