//! GitHub's rate-limit headers: the budget every answer reports, and whether a 403 or 429 is
//! a rate limit and how long it asks to wait. Pure: headers and a time in, a decision out.

use std::time::Duration;

use http::HeaderMap;
use jiff::Timestamp;

use super::retry::SECONDARY_LIMIT_WAIT;

/// The request budget an answer reported (`x-ratelimit-*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateBudget {
    /// Requests allowed per window.
    pub limit: Option<u64>,
    /// Requests left in this window.
    pub remaining: u64,
    /// When the window resets.
    pub reset: Option<Timestamp>,
}

impl RateBudget {
    /// The budget in `headers`, when they carry one.
    pub fn from_headers(headers: &HeaderMap) -> Option<RateBudget> {
        Some(RateBudget {
            limit: number(headers, "x-ratelimit-limit"),
            remaining: number(headers, "x-ratelimit-remaining")?,
            reset: reset(headers),
        })
    }
}

/// GitHub's rate limit as the client last saw it, for the screens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateState {
    /// The budget the last API answer reported.
    pub budget: Option<RateBudget>,
    /// When a rate-limit wait under way ends.
    pub waiting_until: Option<Timestamp>,
}

/// A rate limit an answer announced: how long to wait and until when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitHit {
    /// How long to wait before trying again.
    pub wait: Duration,
    /// When the budget comes back, when known.
    pub reset: Option<Timestamp>,
}

/// Whether an answer is a rate limit, following GitHub's guidance: `retry-after` first, then
/// `x-ratelimit-remaining: 0` until `x-ratelimit-reset`, then a secondary-limit message.
pub fn rate_limit_hit(
    status: u16,
    headers: &HeaderMap,
    message: &str,
    now: Timestamp,
) -> Option<RateLimitHit> {
    if status != 403 && status != 429 {
        return None;
    }
    if let Some(seconds) = number(headers, "retry-after") {
        let wait = Duration::from_secs(seconds);
        let reset = jiff::SignedDuration::try_from(wait).ok().and_then(|d| now.checked_add(d).ok());
        return Some(RateLimitHit { wait, reset });
    }
    if number(headers, "x-ratelimit-remaining") == Some(0) {
        let reset = reset(headers);
        let wait = reset
            .map(|reset| reset.duration_since(now))
            .and_then(|left| Duration::try_from(left).ok())
            .unwrap_or(Duration::ZERO)
            + Duration::from_secs(1);
        return Some(RateLimitHit { wait, reset });
    }
    let message = message.to_ascii_lowercase();
    if status == 429 || message.contains("secondary rate limit") {
        return Some(RateLimitHit { wait: SECONDARY_LIMIT_WAIT, reset: None });
    }
    None
}

fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

fn reset(headers: &HeaderMap) -> Option<Timestamp> {
    let seconds = i64::try_from(number(headers, "x-ratelimit-reset")?).ok()?;
    Timestamp::from_second(seconds).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn retry_after_wins_over_the_reset_time() {
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        let map = headers(&[("retry-after", "7"), ("x-ratelimit-remaining", "0")]);
        let hit = rate_limit_hit(429, &map, "", now).unwrap();
        assert_eq!(hit.wait, Duration::from_secs(7));
    }

    #[test]
    fn an_exhausted_budget_waits_until_one_second_after_the_reset() {
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        let map = headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1700000030")]);
        let hit = rate_limit_hit(403, &map, "API rate limit exceeded", now).unwrap();
        assert_eq!(hit.wait, Duration::from_secs(31));
        assert_eq!(hit.reset, Timestamp::from_second(1_700_000_030).ok());
    }

    #[test]
    fn a_plain_403_is_not_a_rate_limit() {
        let now = Timestamp::from_second(1_700_000_000).unwrap();
        let map = headers(&[("x-ratelimit-remaining", "4999")]);
        assert_eq!(rate_limit_hit(403, &map, "Resource not accessible by integration", now), None);
    }
}
