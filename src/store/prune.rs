//! How big the store is and what is in it, and making it smaller: runs older than an age go
//! with everything kept for them; past a size cap the oldest logs go first.

use rusqlite::{Connection, params};

use crate::store::{Store, StoreError};

/// What `cache info` shows.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct StoreInfo {
    /// The database file.
    pub path: String,
    /// Bytes on disk, the write-ahead log included.
    pub bytes: u64,
    /// Runs kept.
    pub runs: u64,
    /// Jobs kept.
    pub jobs: u64,
    /// Logs kept.
    pub logs: u64,
    /// Their size before compression.
    pub log_bytes: u64,
    /// Findings kept.
    pub findings: u64,
    /// Distinct causes (fingerprints).
    pub fingerprints: u64,
    /// ETags kept.
    pub etags: u64,
}

/// What a prune removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Runs removed with their jobs, steps, findings and logs.
    pub runs: u64,
    /// Logs removed (those of removed runs included).
    pub logs: u64,
    /// Bytes on disk before.
    pub bytes_before: u64,
    /// Bytes on disk after.
    pub bytes_after: u64,
}

fn count(connection: &Connection, sql: &str) -> rusqlite::Result<u64> {
    connection.query_row(sql, [], |row| row.get(0))
}

impl Store {
    /// Bytes the database takes on disk, its write-ahead log included.
    pub fn disk_bytes(&self) -> u64 {
        let size = |suffix: &str| {
            let mut name = self.path.as_os_str().to_owned();
            name.push(suffix);
            std::fs::metadata(name).map_or(0, |meta| meta.len())
        };
        size("") + size("-wal")
    }

    /// Location, size and counts.
    pub fn info(&self) -> Result<StoreInfo, StoreError> {
        let connection = self.connection();
        let counts = (|| {
            Ok::<_, rusqlite::Error>([
                count(&connection, "SELECT count(*) FROM runs")?,
                count(&connection, "SELECT count(*) FROM jobs")?,
                count(&connection, "SELECT count(*) FROM logs")?,
                count(&connection, "SELECT coalesce(sum(size), 0) FROM logs")?,
                count(&connection, "SELECT count(*) FROM findings")?,
                count(&connection, "SELECT count(*) FROM fingerprints")?,
                count(&connection, "SELECT count(*) FROM etags")?,
            ])
        })();
        drop(connection);
        let [runs, jobs, logs, log_bytes, findings, fingerprints, etags] = self.check(counts)?;
        Ok(StoreInfo {
            path: self.path.display().to_string(),
            bytes: self.disk_bytes(),
            runs,
            jobs,
            logs,
            log_bytes,
            findings,
            fingerprints,
            etags,
        })
    }

    /// Removes runs created before `before` (with their jobs, steps, findings and logs), then
    /// the oldest logs until the file fits in `max_bytes`, and compacts the file.
    pub fn prune(
        &self,
        before: Option<jiff::Timestamp>,
        max_bytes: Option<u64>,
    ) -> Result<Pruned, StoreError> {
        let bytes_before = self.disk_bytes();
        let mut pruned = Pruned { bytes_before, ..Pruned::default() };
        if let Some(before) = before {
            let (runs, logs) = self.prune_runs(before)?;
            pruned.runs = runs;
            pruned.logs = logs;
        }
        if let Some(max_bytes) = max_bytes {
            pruned.logs += self.prune_logs(max_bytes)?;
        }

        let connection = self.connection();
        let compacted = connection.execute_batch(
            "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);",
        );
        drop(connection);
        self.check(compacted)?;
        pruned.bytes_after = self.disk_bytes();
        Ok(pruned)
    }

    fn prune_runs(&self, before: jiff::Timestamp) -> Result<(u64, u64), StoreError> {
        let cutoff = before.to_string();
        let mut connection = self.connection();
        let result = connection.transaction().and_then(|transaction| {
            let old_jobs = "SELECT id FROM jobs WHERE run_id IN
                                (SELECT id FROM runs WHERE created_at < ?1)";
            let logs = transaction
                .execute(&format!("DELETE FROM logs WHERE job_id IN ({old_jobs})"), [&cutoff])?;
            transaction
                .execute(&format!("DELETE FROM steps WHERE job_id IN ({old_jobs})"), [&cutoff])?;
            transaction.execute(
                &format!("DELETE FROM annotations WHERE job_id IN ({old_jobs})"),
                [&cutoff],
            )?;
            transaction.execute(
                "DELETE FROM findings WHERE run_id IN (SELECT id FROM runs WHERE created_at < ?1)",
                [&cutoff],
            )?;
            transaction.execute(
                "DELETE FROM jobs WHERE run_id IN (SELECT id FROM runs WHERE created_at < ?1)",
                [&cutoff],
            )?;
            let runs = transaction.execute("DELETE FROM runs WHERE created_at < ?1", [&cutoff])?;
            transaction.execute(
                "DELETE FROM commits WHERE NOT EXISTS
                     (SELECT 1 FROM runs WHERE runs.repo = commits.repo
                         AND runs.head_sha = commits.sha)",
                [],
            )?;
            transaction.execute("DELETE FROM etags WHERE stored_at < ?1", [before.as_second()])?;
            transaction.commit()?;
            Ok((runs as u64, logs as u64))
        });
        self.check(result)
    }

    /// Removes the oldest logs until the logs left and everything else fit in `max_bytes`.
    fn prune_logs(&self, max_bytes: u64) -> Result<u64, StoreError> {
        let disk = self.disk_bytes();
        let connection = self.connection();
        let result = (|| {
            let logs_total =
                count(&connection, "SELECT coalesce(sum(length(deflated)), 0) FROM logs")?;
            let mut over = disk.saturating_sub(max_bytes);
            let mut statement = connection
                .prepare("SELECT job_id, length(deflated) FROM logs ORDER BY stored_at, job_id")?;
            let rows = statement
                .query_map([], |row| Ok((row.get::<_, u64>(0)?, row.get::<_, u64>(1)?)))?;
            let mut doomed = Vec::new();
            for row in rows {
                if over == 0 || logs_total == 0 {
                    break;
                }
                let (job, bytes) = row?;
                doomed.push(job);
                over = over.saturating_sub(bytes);
            }
            for job in &doomed {
                connection.execute("DELETE FROM logs WHERE job_id = ?1", params![job])?;
            }
            Ok(doomed.len() as u64)
        })();
        self.check(result)
    }
}
