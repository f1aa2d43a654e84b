//! What changed since it last passed: the lines of a failing job log that the last passing log
//! of the same job never printed, compared after normalising (see [`crate::fingerprint`]) so
//! ids, times and paths that differ in every run do not count as new. Owns the comparison
//! only; finding the passing log is the caller's job.

use std::collections::HashSet;

use crate::fingerprint::normalise;
use crate::joblog::Marker;
use crate::joblog::line::{looks_like_gh_columns, readable_into, split};

/// A line of the failing log that the passing log did not have.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NewLine {
    /// 1-based line number in the failing log.
    pub line: u64,
    /// The line as a reader sees it.
    pub text: String,
}

/// The comparison of a failing log with a passing one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogDiff {
    /// Lines of the failing log with text in them, the count a reader faces without the diff.
    pub failing_lines: u64,
    /// The failing log's lines the passing log did not have, in log order.
    pub new_lines: Vec<NewLine>,
}

/// The lines of `failing` whose normalised text never appears in `passing`. Blank lines and
/// group markers are left out of both.
pub fn new_lines(passing: &[u8], failing: &[u8]) -> LogDiff {
    let mut seen = HashSet::new();
    for_each_line(passing, |_, _, shape| {
        seen.insert(shape.to_owned());
    });

    let mut diff = LogDiff::default();
    for_each_line(failing, |line, text, shape| {
        diff.failing_lines += 1;
        if !seen.contains(shape) {
            diff.new_lines.push(NewLine { line, text: text.to_owned() });
        }
    });
    diff
}

/// Calls `visit(line number, readable text, normalised text)` for each line with text in it.
fn for_each_line(log: &[u8], mut visit: impl FnMut(u64, &str, &str)) {
    let first = log.split(|byte| *byte == b'\n').next().unwrap_or_default();
    let gh_columns = looks_like_gh_columns(first);
    let mut text = String::new();
    for (index, raw) in log.split(|byte| *byte == b'\n').enumerate() {
        let parts = split(raw, gh_columns);
        if matches!(parts.marker, Marker::Group | Marker::EndGroup) && parts.message.is_empty() {
            continue;
        }
        readable_into(parts.message, &mut text);
        if text.is_empty() {
            continue;
        }
        let shape = normalise(&text);
        visit(index as u64 + 1, &text, &shape);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSING: &str = "\
2025-12-14T09:00:01.1000000Z ##[group]Run pytest -q
2025-12-14T09:00:01.1000000Z \x1b[36;1mpytest -q\x1b[0m
2025-12-14T09:00:01.2000000Z ##[endgroup]
2025-12-14T09:00:09.5000000Z ..........                                 [100%]
2025-12-14T09:00:09.6000000Z 10 passed in 8.31s
";

    const FAILING: &str = "\
2025-12-15T11:30:02.7000000Z ##[group]Run pytest -q
2025-12-15T11:30:02.7000000Z \x1b[36;1mpytest -q\x1b[0m
2025-12-15T11:30:02.8000000Z ##[endgroup]
2025-12-15T11:30:10.1000000Z .........F                                 [100%]
2025-12-15T11:30:10.2000000Z FAILED tests/test_api.py::test_login - KeyError: 'token'
2025-12-15T11:30:10.3000000Z 1 failed, 9 passed in 7.02s
2025-12-15T11:30:10.4000000Z ##[error]Process completed with exit code 1.
";

    #[test]
    fn only_what_the_passing_log_never_printed_is_new() {
        let diff = new_lines(PASSING.as_bytes(), FAILING.as_bytes());
        let lines: Vec<u64> = diff.new_lines.iter().map(|line| line.line).collect();
        assert_eq!(lines, [4, 5, 6, 7]);
        assert_eq!(
            diff.new_lines[1].text,
            "FAILED tests/test_api.py::test_login - KeyError: 'token'"
        );
        assert_eq!(diff.failing_lines, 6);
    }

    #[test]
    fn the_same_log_on_another_day_has_nothing_new() {
        let later = PASSING.replace("2025-12-14T09", "2025-12-20T17").replace("8.31s", "9.02s");
        let diff = new_lines(PASSING.as_bytes(), later.as_bytes());
        assert_eq!(diff.new_lines, []);
    }
}
