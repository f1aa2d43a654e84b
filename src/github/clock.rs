//! The clock every wait of the GitHub client goes through: the system clock in the program, a
//! manual clock in tests, so backoff and rate-limit waits are checked without sleeping.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;

/// A sleep that the caller awaits.
pub type Sleep<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Tells the time and waits.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time.
    fn now(&self) -> Timestamp;
    /// Waits for `duration`.
    fn sleep(&self, duration: Duration) -> Sleep<'_>;
}

/// The real clock: `tokio`'s timer and the system time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }

    fn sleep(&self, duration: Duration) -> Sleep<'_> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that tests drive: sleeping returns at once, moves the time forward and is recorded.
#[derive(Debug)]
pub struct ManualClock {
    state: Mutex<ManualState>,
}

#[derive(Debug)]
struct ManualState {
    now: Timestamp,
    slept: Vec<Duration>,
}

impl ManualClock {
    /// A clock that starts at `now`.
    pub fn starting_at(now: Timestamp) -> ManualClock {
        ManualClock { state: Mutex::new(ManualState { now, slept: Vec::new() }) }
    }

    /// Every wait asked for so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.lock().slept.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ManualState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        self.lock().now
    }

    fn sleep(&self, duration: Duration) -> Sleep<'_> {
        let mut state = self.lock();
        state.slept.push(duration);
        let step = jiff::SignedDuration::try_from(duration).unwrap_or(jiff::SignedDuration::MAX);
        state.now = state.now.saturating_add(step).unwrap_or(state.now);
        Box::pin(std::future::ready(()))
    }
}
