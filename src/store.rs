//! The local store: one SQLite database in the user's cache folder holding runs, jobs, steps,
//! logs (deflate-compressed), findings with their fingerprints and ETags. Owns opening (WAL,
//! busy timeout, migrations) and the wording of store errors; a corrupt file moved aside and
//! rebuilt lives in `store::recovery`, what is kept in `store::records`, sizes and pruning in
//! `store::prune`,
//! causes across runs in `store::history` and `store::seen`, flakiness in `store::flaky`,
//! conditional requests in `store::etags`. It never holds a token.

pub mod commits;
pub mod etags;
pub mod flaky;
pub mod history;
pub mod prune;
pub mod records;
mod recovery;
mod schema;
pub mod seen;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use recovery::{Held, Recovery};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode};

pub use schema::VERSION as SCHEMA_VERSION;

/// The database's file name inside the cache folder.
pub const FILE_NAME: &str = "store.sqlite3";

/// How long a writer waits for another process holding the lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No cache folder could be found or made.
    #[error(
        "cannot use the cache folder {path}: {message}; set GHA_TRIAGE_CACHE_DIR to a writable folder"
    )]
    Folder {
        /// The folder.
        path: String,
        /// Why.
        message: String,
    },
    /// The disk (or the database's page limit) is full.
    #[error(
        "the cache {path} is full: free disk space or run `gha-triage cache prune --max-size MB`"
    )]
    Full {
        /// The database file.
        path: String,
    },
    /// A newer gha-triage wrote the database.
    #[error(
        "the cache {path} has schema {found}, newer than this gha-triage knows ({known}); update gha-triage or move the file away"
    )]
    Newer {
        /// The database file.
        path: String,
        /// Its schema version.
        found: u32,
        /// The newest this build knows.
        known: u32,
    },
    /// A corrupt database could not be moved aside.
    #[error("the cache {path} is corrupt and cannot be moved aside ({message}); delete it")]
    Stuck {
        /// The database file.
        path: String,
        /// Why the move failed.
        message: String,
    },
    /// Pages of the database are damaged past its header (found while reading it); it is
    /// moved aside and a new one started as the call that found it ends.
    #[error(
        "the cache {path} is damaged ({source}): it is moved aside and a new, empty one started \
         (it held only copies of what GitHub has)"
    )]
    Damaged {
        /// The database file.
        path: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// SQLite refused for another reason.
    #[error("the cache {path}: {source}")]
    Sqlite {
        /// The database file.
        path: String,
        /// What SQLite said.
        source: rusqlite::Error,
    },
}

/// How a connection shares the database with other processes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sharing {
    /// `PRAGMA journal_mode`: `wal`, so readers never wait for a writer.
    pub journal_mode: String,
    /// `PRAGMA busy_timeout`: how long a write waits for another process's lock.
    pub busy_timeout: Duration,
}

/// The store, shared by the threads of one process; other processes may have it open too.
#[derive(Debug)]
pub struct Store {
    connection: Mutex<Connection>,
    path: PathBuf,
    recovery: Mutex<Recovery>,
}

/// The cache folder: `GHA_TRIAGE_CACHE_DIR`, else the platform's cache folder for gha-triage.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("GHA_TRIAGE_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "gha-triage").map(|dirs| dirs.cache_dir().to_path_buf())
}

impl Store {
    /// Opens the store in the cache folder.
    pub fn open_default() -> Result<Store, StoreError> {
        let Some(dir) = cache_dir() else {
            return Err(StoreError::Folder {
                path: "(none)".to_owned(),
                message: "no home folder".to_owned(),
            });
        };
        Store::open(&dir)
    }

    /// Opens (creating and migrating as needed) the store in `dir`. A file that is not a
    /// database, or a corrupt one, is renamed to `store.sqlite3.corrupt-<time>` and a new store
    /// is made; [`Store::moved_aside`] says where it went. Pages damaged past the header are
    /// found by the first read of them, which does the same (checking every page here would
    /// cost up to seconds on a large store).
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|error| StoreError::Folder {
            path: dir.display().to_string(),
            message: error.to_string(),
        })?;
        let path = dir.join(FILE_NAME);
        match connect(&path) {
            Ok(connection) => Ok(Store::new(connection, path, None)),
            Err(Opened::Corrupt) => {
                let aside = recovery::move_aside(&path).map_err(|error| StoreError::Stuck {
                    path: path.display().to_string(),
                    message: error.to_string(),
                })?;
                tracing::warn!(moved = %aside.display(), "corrupt store moved aside");
                let connection = connect(&path).map_err(|error| error.into_store_error(&path))?;
                Ok(Store::new(connection, path, Some(aside)))
            }
            Err(other) => Err(other.into_store_error(&path)),
        }
    }

    fn new(connection: Connection, path: PathBuf, moved_aside: Option<PathBuf>) -> Store {
        Store {
            connection: Mutex::new(connection),
            path,
            recovery: Mutex::new(Recovery::moved(moved_aside)),
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Caps the database at `pages` pages, as a full disk would; for tests of that fault.
    pub fn limit_pages(&self, pages: u64) -> Result<(), StoreError> {
        let connection = self.connection();
        let set: rusqlite::Result<u64> =
            connection.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |row| row.get(0));
        self.check(set).map(|_| ())
    }

    /// `PRAGMA integrity_check`: `ok`, or what is wrong.
    pub fn integrity(&self) -> Result<String, StoreError> {
        let connection = self.connection();
        let answer = connection.query_row("PRAGMA integrity_check", [], |row| row.get(0));
        self.check(answer)
    }

    /// How this connection shares the file with other processes: the journal mode (`wal`)
    /// and how long a write waits for another writer's lock.
    pub fn sharing(&self) -> Result<Sharing, StoreError> {
        let connection = self.connection();
        let answer = connection.query_row("PRAGMA journal_mode", [], |row| row.get(0)).and_then(
            |journal_mode| {
                let waited: u64 =
                    connection.query_row("PRAGMA busy_timeout", [], |row| row.get(0))?;
                Ok(Sharing { journal_mode, busy_timeout: Duration::from_millis(waited) })
            },
        );
        self.check(answer)
    }

    fn connection(&self) -> Held<'_> {
        Held::new(self.connection.lock().unwrap_or_else(PoisonError::into_inner), self)
    }

    fn recovery(&self) -> MutexGuard<'_, Recovery> {
        self.recovery.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// SQLite's answer in the store's words: a full database is [`StoreError::Full`]; damaged
    /// pages are [`StoreError::Damaged`], and the file is moved aside before the caller sees
    /// the error (here when the caller let go of the connection, else as it lets go).
    fn check<T>(&self, result: rusqlite::Result<T>) -> Result<T, StoreError> {
        let error = match result {
            Ok(value) => return Ok(value),
            Err(source) => self.refusal(source),
        };
        if matches!(error, StoreError::Damaged { .. })
            && let Ok(guard) = self.connection.try_lock()
        {
            drop(Held::new(guard, self));
        }
        Err(error)
    }

    /// The error for what SQLite refused; once moving a damaged file aside failed, every
    /// refusal is [`StoreError::Stuck`].
    fn refusal(&self, source: rusqlite::Error) -> StoreError {
        let mut recovery = self.recovery();
        if let Some(message) = recovery.stuck() {
            let message = message.to_owned();
            return StoreError::Stuck { path: self.path.display().to_string(), message };
        }
        let error = sqlite_error(&self.path, source);
        if matches!(error, StoreError::Damaged { .. }) {
            recovery.found_damage();
        }
        error
    }
}

fn sqlite_error(path: &Path, source: rusqlite::Error) -> StoreError {
    let path = path.display().to_string();
    match source.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => StoreError::Full { path },
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            StoreError::Damaged { path, source }
        }
        _ => StoreError::Sqlite { path, source },
    }
}

/// Why a connection could not be made ready.
enum Opened {
    Corrupt,
    Newer(u32),
    Failed(rusqlite::Error),
}

impl Opened {
    fn into_store_error(self, path: &Path) -> StoreError {
        let shown = path.display().to_string();
        match self {
            Opened::Corrupt => StoreError::Stuck {
                path: shown,
                message: "still corrupt after a new start".to_owned(),
            },
            Opened::Newer(found) => {
                StoreError::Newer { path: shown, found, known: schema::VERSION }
            }
            Opened::Failed(source) => sqlite_error(path, source),
        }
    }
}

impl From<rusqlite::Error> for Opened {
    fn from(error: rusqlite::Error) -> Opened {
        match error.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Opened::Corrupt,
            _ => Opened::Failed(error),
        }
    }
}

/// Opens the file, sets WAL and the busy timeout, and migrates.
fn connect(path: &Path) -> Result<Connection, Opened> {
    let mut connection = Connection::open(path)?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    let _mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    match schema::migrate(&mut connection) {
        Ok(()) => Ok(connection),
        Err(schema::Outdated::Newer(found)) => Err(Opened::Newer(found)),
        Err(schema::Outdated::Sqlite(error)) => Err(error.into()),
    }
}
