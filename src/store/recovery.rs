//! A corrupt database moved aside and a new one started in its place: on open when SQLite
//! rejects the file, and when a read first finds pages damaged past the header. Owns the
//! connection guard that does the move once the call that found the damage lets go, and the
//! note for the user, given once. It never deletes what it moves.

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::MutexGuard;

use rusqlite::Connection;

use crate::store::Store;

/// What became of a corrupt database.
#[derive(Debug, Default)]
pub(super) struct Recovery {
    /// A read found damaged pages: the file is moved aside when that read lets go.
    found: bool,
    /// Where the corrupt database went.
    aside: Option<PathBuf>,
    /// Whether the user has been told where it went.
    told: bool,
    /// Why it could not be moved aside or started again, once that failed.
    stuck: Option<String>,
}

impl Recovery {
    /// A database moved aside on open.
    pub(super) fn moved(aside: Option<PathBuf>) -> Recovery {
        Recovery { aside, ..Recovery::default() }
    }

    /// Why the store cannot be used any more, once moving it aside failed.
    pub(super) fn stuck(&self) -> Option<&str> {
        self.stuck.as_deref()
    }

    /// Notes damage found by a read, for the move when that read lets go.
    pub(super) fn found_damage(&mut self) {
        self.found = true;
    }
}

/// The connection while one call uses it. When the call found damage, letting go moves the
/// database aside and puts a new one in its place before the next call can lock it.
pub(super) struct Held<'a> {
    guard: MutexGuard<'a, Connection>,
    store: &'a Store,
}

impl<'a> Held<'a> {
    pub(super) fn new(guard: MutexGuard<'a, Connection>, store: &'a Store) -> Held<'a> {
        Held { guard, store }
    }
}

impl Deref for Held<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.guard
    }
}

impl DerefMut for Held<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.guard
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        let found = std::mem::take(&mut self.store.recovery().found);
        if found {
            self.store.start_again(&mut self.guard);
        }
    }
}

impl Store {
    /// Where a corrupt database was moved (on open, or when a read found it damaged), if one
    /// was.
    pub fn moved_aside(&self) -> Option<PathBuf> {
        self.recovery().aside.clone()
    }

    /// What to tell the user about a corrupt database moved aside, once: the first call after
    /// a move says where it went, later calls give `None` until the next move.
    pub fn take_recovery_note(&self) -> Option<String> {
        let mut recovery = self.recovery();
        if recovery.told {
            return None;
        }
        let aside = recovery.aside.clone()?;
        recovery.told = true;
        Some(format!(
            "the cache {} was corrupt: moved it to {} and started a new one",
            self.path.display(),
            aside.display()
        ))
    }

    /// Closes the damaged database, moves it aside and opens a new one in its place; when that
    /// fails, every later call says the store is stuck.
    fn start_again(&self, connection: &mut Connection) {
        let placeholder = match Connection::open_in_memory() {
            Ok(placeholder) => placeholder,
            Err(error) => {
                self.recovery().stuck = Some(error.to_string());
                return;
            }
        };
        drop(std::mem::replace(connection, placeholder));

        let started = move_aside(&self.path).map_err(|error| error.to_string()).and_then(|aside| {
            let fresh = super::connect(&self.path)
                .map_err(|error| error.into_store_error(&self.path).to_string())?;
            Ok((aside, fresh))
        });
        let mut recovery = self.recovery();
        match started {
            Ok((aside, fresh)) => {
                tracing::warn!(moved = %aside.display(), "damaged store moved aside");
                *connection = fresh;
                recovery.aside = Some(aside);
                recovery.told = false;
            }
            Err(message) => {
                tracing::warn!(%message, "damaged store not moved aside");
                recovery.stuck = Some(message);
            }
        }
    }
}

/// Renames the database to `<name>.corrupt-<unix seconds>` and removes its WAL files.
pub(super) fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = jiff::Timestamp::now().as_second();
    let aside = path.with_extension(format!("sqlite3.corrupt-{stamp}"));
    std::fs::rename(path, &aside)?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(side));
    }
    Ok(aside)
}
