//! What the command line says before a rate-limit wait, on standard error: on a terminal a
//! countdown redrawn in place each second, otherwise one line. Never used under the TUI.

use std::io::{IsTerminal as _, Write as _};
use std::sync::Arc;
use std::time::Duration;

use crate::github::client::RateWaitNotice;
use crate::github::ratelimit::RateLimitHit;

/// The notice for a command whose longest wait is `cap` seconds (`--max-wait`).
pub fn notice(cap: u64) -> RateWaitNotice {
    let terminal = std::io::stderr().is_terminal();
    RateWaitNotice(Arc::new(move |hit| {
        if terminal {
            count_down(hit, cap);
        } else {
            let _ = writeln!(std::io::stderr().lock(), "{}", words(hit, hit.wait.as_secs(), cap));
        }
    }))
}

/// `gha-triage: GitHub's rate limit is used up; waiting 42 s (until 12:03:10 UTC) (--max-wait 60)`
fn words(hit: RateLimitHit, left: u64, cap: u64) -> String {
    let until = hit.reset.map(|reset| reset.strftime(" (until %H:%M:%S UTC)").to_string());
    let until = until.unwrap_or_default();
    format!(
        "gha-triage: GitHub's rate limit is used up; waiting {left} s{until} (--max-wait {cap})"
    )
}

/// Redraws the line each second on a thread of its own while the client sleeps; the line is
/// ended in the wait's last second, before the command writes anything else.
fn count_down(hit: RateLimitHit, cap: u64) {
    std::thread::spawn(move || {
        let mut left = hit.wait.as_secs().max(1);
        loop {
            let line = words(hit, left, cap);
            if left <= 1 {
                let _ = writeln!(std::io::stderr().lock(), "\r{line}\x1b[K");
                return;
            }
            let _ = write!(std::io::stderr().lock(), "\r{line}\x1b[K");
            std::thread::sleep(Duration::from_secs(1));
            left -= 1;
        }
    });
}
