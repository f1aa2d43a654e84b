//! What the user is told about the local store, each thing once: a corrupt store moved aside,
//! a full one (not at every write that fails), one that could not be opened. Held until
//! someone can tell it: standard error for a command, the status line for the TUI.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::source::cached::CachedSource;
use crate::store::StoreError;

/// Notices not yet told.
#[derive(Debug, Default)]
pub(super) struct Notices {
    full_told: AtomicBool,
    pending: Mutex<Vec<String>>,
}

impl Notices {
    /// Holds a write's failure when it is the first full store.
    pub(super) fn failed_write(&self, error: &StoreError) {
        let full = matches!(error, StoreError::Full { .. });
        if full && !self.full_told.swap(true, Ordering::SeqCst) {
            self.pending().push(format!("{error}; triage goes on without keeping what it reads"));
        }
    }

    fn pending(&self) -> MutexGuard<'_, Vec<String>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl CachedSource {
    /// Holds `text` for [`CachedSource::take_notice`], for a user who cannot be told now (the
    /// TUI is about to take the screen).
    #[must_use]
    pub fn with_notice(self, text: String) -> CachedSource {
        self.notices.pending().push(text);
        self
    }

    /// What the user should be told about the store, each thing once: that a corrupt one was
    /// moved aside and a new one started, that it is full, that it could not be opened.
    pub fn take_notice(&self) -> Option<String> {
        let held = std::mem::take(&mut *self.notices.pending());
        let moved = self.store().and_then(crate::store::Store::take_recovery_note);
        let notices: Vec<String> = moved.into_iter().chain(held).collect();
        (!notices.is_empty()).then(|| notices.join("; "))
    }
}
