//! The one retry policy of the GitHub client: how many tries, how long to back off between
//! them (bounded exponential with jitter), how long one request may take, and the longest
//! rate-limit wait. Owns numbers and arithmetic only; the client does the waiting.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// How the client retries and waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries per request for 5xx answers and dropped connections, the first included.
    pub attempts: u32,
    /// The backoff before the second try; it doubles for each later one.
    pub base_delay: Duration,
    /// No backoff is longer than this.
    pub max_delay: Duration,
    /// How long a request may wait for its answer's headers, and a download for its next chunk.
    pub timeout: Duration,
    /// The longest rate-limit wait; a longer one fails with the reset time.
    pub max_rate_wait: Duration,
    /// How many rate-limit waits one request may go through.
    pub rate_waits: u32,
}

/// The default number of tries.
pub const DEFAULT_ATTEMPTS: u32 = 4;
/// The default time allowed for one answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default longest rate-limit wait.
pub const DEFAULT_MAX_RATE_WAIT: Duration = Duration::from_secs(60);
/// The wait after a secondary rate limit that names no time ("wait a few minutes").
pub const SECONDARY_LIMIT_WAIT: Duration = Duration::from_secs(60);

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: DEFAULT_ATTEMPTS,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
            timeout: DEFAULT_TIMEOUT,
            max_rate_wait: DEFAULT_MAX_RATE_WAIT,
            rate_waits: 3,
        }
    }
}

impl RetryPolicy {
    /// The wait before try number `next` (2 for the first retry): the bounded exponential
    /// delay, scaled by a random factor between one half and one ("equal jitter").
    pub fn backoff(&self, next: u32) -> Duration {
        let doublings = next.saturating_sub(2).min(16);
        let full = self.base_delay.saturating_mul(1 << doublings).min(self.max_delay);
        let half = full / 2;
        let jitter = u32::try_from(random() % 1001).unwrap_or(0);
        half + half.mul_f64(f64::from(jitter) / 1000.0)
    }
}

/// A random number from the standard library's per-process random hasher keys.
fn random() -> u64 {
    let mut hasher = std::hash::RandomState::new().build_hasher();
    hasher.write_u64(0x9e37_79b9_7f4a_7c15);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_stays_within_its_bounds_and_jitters() {
        let policy = RetryPolicy::default();
        for _ in 0..50 {
            let first = policy.backoff(2);
            assert!(first >= Duration::from_millis(500) && first <= Duration::from_secs(1));
            let third = policy.backoff(4);
            assert!(third >= Duration::from_secs(2) && third <= Duration::from_secs(4));
            let late = policy.backoff(30);
            assert!(late <= policy.max_delay && late >= policy.max_delay / 2);
        }
    }
}
