//! What the screens say about GitHub's rate limit: the budget left, for the header, and a
//! countdown while a wait is under way, for the status line. Reads the state only.

use crate::app::state::State;

/// The budget left, `API 4812/5000 left`, once GitHub has reported one.
pub fn budget(state: &State) -> Option<String> {
    let budget = state.rate?.budget?;
    Some(match budget.limit {
        Some(limit) => format!("API {}/{limit} left", budget.remaining),
        None => format!("API {} left", budget.remaining),
    })
}

/// Whether the budget is nearly used up (under a tenth of the limit, or under 100 requests).
pub fn budget_is_low(state: &State) -> bool {
    let Some(budget) = state.rate.and_then(|rate| rate.budget) else { return false };
    let floor = budget.limit.map_or(100, |limit| (limit / 10).min(100));
    budget.remaining < floor
}

/// The countdown of a rate-limit wait under way, by the last tick's time.
pub fn countdown(state: &State) -> Option<String> {
    let until = state.rate?.waiting_until?;
    let left = until.duration_since(state.now);
    if left <= jiff::SignedDuration::ZERO {
        return None;
    }
    let seconds = left.as_secs() + i64::from(left.subsec_nanos() > 0);
    let clock = until.strftime("%H:%M:%S UTC");
    Some(format!("GitHub's rate limit: waiting {seconds} s, until {clock}"))
}
