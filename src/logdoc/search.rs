//! Regex search over a whole log, off the render loop: lines are matched as a reader sees them
//! (no timestamp, no colour codes), progress is reported, and a flag cancels it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use regex::Regex;

use crate::joblog::line;

/// Most matches kept; a search stops counting lines past this many.
pub const MAX_MATCHES: usize = 1_000_000;

/// How often progress is reported, in lines.
pub const PROGRESS_EVERY: usize = 500_000;

/// Lines that matched, in order, and whether the search ran to the end.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchResult {
    /// 0-based matching lines.
    pub lines: Vec<usize>,
    /// Whether every line was looked at.
    pub finished: bool,
    /// Whether the match list was cut at [`MAX_MATCHES`].
    pub capped: bool,
}

/// Searches every line of `bytes`; `progress` is called with the share done (0.0 to 1.0).
pub fn search(
    bytes: &[u8],
    regex: &Regex,
    cancel: &Arc<AtomicBool>,
    mut progress: impl FnMut(f32),
) -> SearchResult {
    let mut result = SearchResult::default();
    let mut start = 0;
    let mut number = 0;
    while start < bytes.len() {
        if number % PROGRESS_EVERY == 0 && number > 0 {
            if cancel.load(Ordering::Relaxed) {
                return result;
            }
            progress(share(start, bytes.len()));
        }
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |n| start + n);
        let raw = line::trim_line_end(&bytes[start..end]);
        let text = line::readable(line::split(raw, false).message);
        if regex.is_match(&text) {
            result.lines.push(number);
            if result.lines.len() >= MAX_MATCHES {
                result.capped = true;
                return result;
            }
        }
        number += 1;
        start = end + 1;
    }
    result.finished = true;
    result
}

/// `part / whole` as a fraction for progress display.
#[expect(clippy::cast_precision_loss, reason = "a progress fraction needs no exact bytes")]
pub fn share(part: usize, whole: usize) -> f32 {
    part as f32 / whole.max(1) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_ignore_timestamps_and_colours() {
        let log = b"2025-01-01T00:00:00.0000000Z \x1b[31mfatal\x1b[0m: nope\n2025-01-01T00:00:01.0000000Z fine\n";
        let regex = Regex::new("^fatal: nope$").unwrap();
        let cancel = Arc::new(AtomicBool::new(false));
        let result = search(log, &regex, &cancel, |_| {});
        assert_eq!(result.lines, vec![0]);
        assert!(result.finished);
    }
}
