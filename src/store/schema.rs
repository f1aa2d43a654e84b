//! The store's schema as a list of migrations, and bringing a database up to date on open.
//! `PRAGMA user_version` is the number of migrations applied; each open applies the rest inside
//! one immediate transaction, so two processes opening a new store at once do not race.

use rusqlite::{Connection, TransactionBehavior};

/// Migration `n` takes a database from version `n` to `n + 1`. Append only: never edit one
/// that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: runs, jobs, steps and logs.
    "CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        repo TEXT NOT NULL,
        workflow_id INTEGER NOT NULL,
        workflow TEXT,
        branch TEXT,
        head_sha TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        conclusion TEXT,
        created_at TEXT NOT NULL,
        json TEXT NOT NULL,
        stored_at INTEGER NOT NULL
    );
    CREATE INDEX runs_by_repo ON runs (repo, created_at);
    CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        name TEXT NOT NULL,
        conclusion TEXT,
        json TEXT NOT NULL
    );
    CREATE INDEX jobs_by_attempt ON jobs (run_id, attempt);
    CREATE TABLE steps (
        job_id INTEGER NOT NULL,
        number INTEGER NOT NULL,
        name TEXT NOT NULL,
        conclusion TEXT,
        PRIMARY KEY (job_id, number)
    );
    CREATE TABLE logs (
        job_id INTEGER PRIMARY KEY,
        size INTEGER NOT NULL,
        stored_at INTEGER NOT NULL,
        deflated BLOB NOT NULL
    );",
    // 2: findings with their fingerprints, and ETags of polled lists.
    "CREATE TABLE fingerprints (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        shape TEXT NOT NULL
    );
    CREATE TABLE findings (
        job_id INTEGER NOT NULL,
        ordinal INTEGER NOT NULL,
        run_id INTEGER NOT NULL,
        attempt INTEGER NOT NULL,
        fingerprint TEXT NOT NULL,
        rule TEXT NOT NULL,
        line INTEGER NOT NULL,
        text TEXT NOT NULL,
        title TEXT NOT NULL,
        PRIMARY KEY (job_id, ordinal)
    );
    CREATE INDEX findings_by_fingerprint ON findings (fingerprint);
    CREATE INDEX findings_by_run ON findings (run_id, attempt);
    CREATE TABLE etags (
        url TEXT PRIMARY KEY,
        etag TEXT NOT NULL,
        body BLOB NOT NULL,
        stored_at INTEGER NOT NULL
    );",
    // 3: what each finding is (its severity, category, and whether it is a symptom of another),
    // so history counts causes; runs by commit, for flakiness.
    "ALTER TABLE findings ADD COLUMN severity TEXT;
    ALTER TABLE findings ADD COLUMN category TEXT;
    ALTER TABLE findings ADD COLUMN symptom INTEGER;
    CREATE INDEX runs_by_sha ON runs (head_sha);",
    // 4: the Link header beside each ETag, so paging goes on after a 304.
    "ALTER TABLE etags ADD COLUMN link TEXT;",
    // 5: the check-run annotations of completed jobs, for offline triage.
    "CREATE TABLE annotations (
        job_id INTEGER PRIMARY KEY,
        json TEXT NOT NULL,
        stored_at INTEGER NOT NULL
    );",
    // 6: the repository at a run's commit (file list and workflow files), for offline triage.
    "CREATE TABLE commits (
        repo TEXT NOT NULL,
        sha TEXT NOT NULL,
        json BLOB NOT NULL,
        stored_at INTEGER NOT NULL,
        PRIMARY KEY (repo, sha)
    );",
];

/// The schema version this build writes.
#[expect(clippy::cast_possible_truncation, reason = "a handful of migrations")]
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// What stops a database from being brought up to date.
#[derive(Debug)]
pub enum Outdated {
    /// A newer gha-triage wrote it.
    Newer(u32),
    /// SQLite refused.
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for Outdated {
    fn from(error: rusqlite::Error) -> Outdated {
        Outdated::Sqlite(error)
    }
}

/// Applies the migrations the database has not had yet.
pub fn migrate(connection: &mut Connection) -> Result<(), Outdated> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: u32 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > VERSION {
        return Err(Outdated::Newer(version));
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        transaction.execute_batch(migration)?;
        transaction.pragma_update(None, "user_version", index + 1)?;
    }
    transaction.commit()?;
    Ok(())
}
