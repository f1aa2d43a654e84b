//! What the store keeps and gives back: runs, an attempt's jobs with their steps, job logs
//! (deflate-compressed, written in one transaction so a log is whole or absent), findings with
//! their fingerprints, check-run annotations, and ETags with the bodies they confirm.

use std::io::{Read as _, Write as _};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use rusqlite::{OptionalExtension as _, params};

use crate::fingerprint::Fingerprint;
use crate::github::annotations::Annotation;
use crate::github::model::{Conclusion, Job, JobId, Run, RunId};
use crate::store::{Store, StoreError};
use crate::triage::Finding;

/// How many runs [`Store::runs`] gives at most.
pub const MAX_STORED_RUNS: u32 = 500;

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

fn conclusion(value: Option<Conclusion>) -> Option<&'static str> {
    value.map(Conclusion::id)
}

fn json_error(error: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(error))
}

impl Store {
    /// Keeps a run of `repo`, replacing what was kept of it.
    pub fn put_run(&self, repo: &str, run: &Run) -> Result<(), StoreError> {
        let json = serde_json::to_string(run).map_err(json_error);
        let connection = self.connection();
        let result = json.and_then(|json| {
            connection.execute(
                "INSERT OR REPLACE INTO runs (id, repo, workflow_id, workflow, branch, head_sha,
                     attempt, conclusion, created_at, json, stored_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    run.id.0,
                    repo,
                    run.workflow_id.0,
                    run.name,
                    run.head_branch,
                    run.head_sha,
                    run.run_attempt.unwrap_or(1),
                    conclusion(run.conclusion),
                    run.created_at.to_string(),
                    json,
                    now(),
                ],
            )
        });
        self.check(result).map(|_| ())
    }

    /// The runs kept for `repo`, newest first.
    pub fn runs(&self, repo: &str) -> Result<Vec<Run>, StoreError> {
        let connection = self.connection();
        let result = connection
            .prepare(
                "SELECT json FROM runs WHERE repo = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2",
            )
            .and_then(|mut statement| {
                let rows = statement
                    .query_map(params![repo, MAX_STORED_RUNS], |row| row.get::<_, String>(0))?;
                rows.collect::<rusqlite::Result<Vec<String>>>()
            });
        let texts = self.check(result)?;
        Ok(texts.iter().filter_map(|text| serde_json::from_str(text).ok()).collect())
    }

    /// One run, when kept.
    pub fn run(&self, run: RunId) -> Result<Option<Run>, StoreError> {
        let connection = self.connection();
        let result = connection
            .query_row("SELECT json FROM runs WHERE id = ?1", [run.0], |row| {
                row.get::<_, String>(0)
            })
            .optional();
        let text = self.check(result)?;
        Ok(text.and_then(|text| serde_json::from_str(&text).ok()))
    }

    /// Keeps the jobs of one attempt (steps included), replacing what was kept of it.
    pub fn put_jobs(&self, run: RunId, attempt: u32, jobs: &[Job]) -> Result<(), StoreError> {
        let mut connection = self.connection();
        let result = connection.transaction().and_then(|transaction| {
            transaction.execute(
                "DELETE FROM steps WHERE job_id IN
                     (SELECT id FROM jobs WHERE run_id = ?1 AND attempt = ?2)",
                params![run.0, attempt],
            )?;
            transaction.execute(
                "DELETE FROM jobs WHERE run_id = ?1 AND attempt = ?2",
                params![run.0, attempt],
            )?;
            for job in jobs {
                let json = serde_json::to_string(job).map_err(json_error)?;
                transaction.execute(
                    "INSERT OR REPLACE INTO jobs (id, run_id, attempt, name, conclusion, json)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![job.id.0, run.0, attempt, job.name, conclusion(job.conclusion), json],
                )?;
                for step in &job.steps {
                    transaction.execute(
                        "INSERT OR REPLACE INTO steps (job_id, number, name, conclusion)
                         VALUES (?1, ?2, ?3, ?4)",
                        params![job.id.0, step.number, step.name, conclusion(step.conclusion)],
                    )?;
                }
            }
            transaction.commit()
        });
        self.check(result)
    }

    /// The jobs kept for one attempt, or `None` when that attempt was never kept.
    pub fn jobs(&self, run: RunId, attempt: u32) -> Result<Option<Vec<Job>>, StoreError> {
        let connection = self.connection();
        let result = connection
            .prepare("SELECT json FROM jobs WHERE run_id = ?1 AND attempt = ?2 ORDER BY id")
            .and_then(|mut statement| {
                let rows =
                    statement.query_map(params![run.0, attempt], |row| row.get::<_, String>(0))?;
                rows.collect::<rusqlite::Result<Vec<String>>>()
            });
        let texts = self.check(result)?;
        if texts.is_empty() {
            return Ok(None);
        }
        Ok(Some(texts.iter().filter_map(|text| serde_json::from_str(text).ok()).collect()))
    }

    /// Keeps a job's log, compressed. The row is written in one transaction: a process killed
    /// while writing leaves the old state, never part of a log.
    pub fn put_log(&self, job: JobId, log: &[u8]) -> Result<(), StoreError> {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
        let deflated = encoder.write_all(log).and_then(|()| encoder.finish());
        let deflated = deflated.map_err(|error| StoreError::Sqlite {
            path: self.path.display().to_string(),
            source: rusqlite::Error::ToSqlConversionFailure(Box::new(error)),
        })?;
        let connection = self.connection();
        let result = connection.execute(
            "INSERT OR REPLACE INTO logs (job_id, size, stored_at, deflated) VALUES (?1, ?2, ?3, ?4)",
            params![job.0, log.len() as u64, now(), deflated],
        );
        self.check(result).map(|_| ())
    }

    /// A job's log, when kept whole.
    pub fn log(&self, job: JobId) -> Result<Option<Vec<u8>>, StoreError> {
        let connection = self.connection();
        let result = connection
            .query_row("SELECT size, deflated FROM logs WHERE job_id = ?1", [job.0], |row| {
                Ok((row.get::<_, u64>(0)?, row.get::<_, Vec<u8>>(1)?))
            })
            .optional();
        let Some((size, deflated)) = self.check(result)? else {
            return Ok(None);
        };
        let mut log = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        let read = DeflateDecoder::new(deflated.as_slice()).read_to_end(&mut log);
        if read.is_err() || log.len() as u64 != size {
            tracing::warn!(%job, "a stored log did not inflate to its size; ignored");
            return Ok(None);
        }
        Ok(Some(log))
    }

    /// Whether findings of `job` are kept.
    pub fn has_findings(&self, job: JobId) -> Result<bool, StoreError> {
        let connection = self.connection();
        let result = connection.query_row(
            "SELECT EXISTS (SELECT 1 FROM findings WHERE job_id = ?1)",
            [job.0],
            |row| row.get::<_, bool>(0),
        );
        self.check(result)
    }

    /// Keeps the findings of one job of a run attempt, with their fingerprints.
    pub fn put_findings(
        &self,
        run: RunId,
        attempt: u32,
        job: JobId,
        findings: &[Finding],
    ) -> Result<(), StoreError> {
        let mut connection = self.connection();
        let result = connection.transaction().and_then(|transaction| {
            transaction.execute("DELETE FROM findings WHERE job_id = ?1", [job.0])?;
            for (ordinal, finding) in findings.iter().enumerate() {
                let fingerprint = Fingerprint::of_finding(finding);
                let id = fingerprint.id().0;
                transaction.execute(
                    "INSERT OR IGNORE INTO fingerprints (id, rule, shape) VALUES (?1, ?2, ?3)",
                    params![id, fingerprint.rule, fingerprint.shape],
                )?;
                transaction.execute(
                    "INSERT INTO findings (job_id, ordinal, run_id, attempt, fingerprint, rule,
                         line, text, title, severity, category, symptom)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    params![
                        job.0,
                        ordinal as u64,
                        run.0,
                        attempt,
                        id,
                        finding.rule,
                        finding.line,
                        finding.text,
                        finding.title,
                        finding.severity.id(),
                        finding.category.id(),
                        finding.symptom_of.is_some(),
                    ],
                )?;
            }
            transaction.commit()
        });
        self.check(result)
    }

    /// Keeps a completed job's check-run annotations (they no longer change).
    pub fn put_annotations(
        &self,
        job: JobId,
        annotations: &[Annotation],
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(annotations).map_err(json_error);
        let connection = self.connection();
        let result = json.and_then(|json| {
            connection.execute(
                "INSERT OR REPLACE INTO annotations (job_id, json, stored_at) VALUES (?1, ?2, ?3)",
                params![job.0, json, now()],
            )
        });
        self.check(result).map(|_| ())
    }

    /// A job's check-run annotations, when kept.
    pub fn annotations(&self, job: JobId) -> Result<Option<Vec<Annotation>>, StoreError> {
        let connection = self.connection();
        let result = connection
            .query_row("SELECT json FROM annotations WHERE job_id = ?1", [job.0], |row| {
                row.get::<_, String>(0)
            })
            .optional();
        let text = self.check(result)?;
        Ok(text.and_then(|text| serde_json::from_str(&text).ok()))
    }

    /// Keeps the ETag GitHub gave for `url` with the body it stands for.
    pub fn put_etag(&self, url: &str, etag: &str, body: &[u8]) -> Result<(), StoreError> {
        let connection = self.connection();
        let result = connection.execute(
            "INSERT OR REPLACE INTO etags (url, etag, body, stored_at) VALUES (?1, ?2, ?3, ?4)",
            params![url, etag, body, now()],
        );
        self.check(result).map(|_| ())
    }

    /// The ETag kept for `url` and its body.
    pub fn etag(&self, url: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let connection = self.connection();
        let result = connection
            .query_row("SELECT etag, body FROM etags WHERE url = ?1", [url], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional();
        self.check(result)
    }
}
