//! Waiting out a rate limit: the caller told, the wait's end kept where the TUI can show a
//! countdown, and the sleep on the client's clock. The decision to wait is `ratelimit.rs`'s.

use std::sync::PoisonError;

use super::client::GitHub;
use super::ratelimit::{RateLimitHit, RateState};

impl GitHub {
    /// The budget the last API answer reported and the end of a rate-limit wait under way.
    pub fn rate(&self) -> RateState {
        let waiting_until = *self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        RateState { budget: self.budget(), waiting_until }
    }

    /// Waits out `hit`: the notice first, then the sleep, with its end shown by [`GitHub::rate`]
    /// meanwhile (the latest end when several requests wait at once).
    pub(super) async fn wait_out(&self, hit: RateLimitHit) {
        tracing::info!(wait = ?hit.wait, "rate limited; waiting");
        if let Some(notice) = &self.on_rate_wait {
            (notice.0)(hit);
        }
        let step = jiff::SignedDuration::try_from(hit.wait).unwrap_or(jiff::SignedDuration::MAX);
        let until = self.clock.now().saturating_add(step).ok();
        {
            let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
            *waiting = (*waiting).max(until);
        }
        self.clock.sleep(hit.wait).await;
        let mut waiting = self.waiting.lock().unwrap_or_else(PoisonError::into_inner);
        if *waiting == until {
            *waiting = None;
        }
    }
}
