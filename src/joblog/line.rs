//! One log line taken apart: byte-order mark, timestamp, `gh` prefix, marker, label and colours.
//! Owns the clean-up that turns raw bytes into the text a reader (and a rule) sees; it keeps no
//! state between lines and never allocates for lines it is not asked to clean.

mod controls;

pub use controls::{strip_ansi, strip_controls};

/// The byte-order mark U+FEFF in UTF-8; the runner writes one at the start of each page file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Longest evidence text kept for a line, in bytes; longer lines are cut with an ellipsis.
pub const MAX_TEXT_BYTES: usize = 4096;

/// The runner's marker right after the timestamp (or the label of text copied from the web).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Marker {
    /// `##[error]`, or `Error:` in text copied from the web page.
    Error,
    /// `##[warning]`, or `Warning:` in copied text.
    Warning,
    /// `##[notice]`, or `Notice:` in copied text.
    Notice,
    /// `##[debug]`, only with step debug logging.
    Debug,
    /// `##[command]`, a command echoed by the runner.
    Command,
    /// `##[group]`, the start of a foldable group.
    Group,
    /// `##[endgroup]`, the end of a group.
    EndGroup,
    /// `##[section]` and other bracketed markers the runner may write.
    Other,
    /// No marker: ordinary output.
    None,
}

/// A point in time read from a log line, in nanoseconds since the Unix epoch (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogTime(pub i64);

impl LogTime {
    /// Whole seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1_000_000_000)
    }
}

/// The parts of a raw line, borrowed from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawParts<'a> {
    /// The job column of `gh run view --log` output.
    pub gh_job: Option<&'a [u8]>,
    /// The step column of `gh run view --log` output.
    pub gh_step: Option<&'a [u8]>,
    /// The line's timestamp, when it has one.
    pub time: Option<LogTime>,
    /// The marker or label in front of the message.
    pub marker: Marker,
    /// What follows the marker, colours still in.
    pub message: &'a [u8],
}

/// Splits a raw line (without its line ending) into its parts.
///
/// `gh_columns` says whether lines carry `gh run view --log`'s `job<TAB>step<TAB>` prefix.
pub fn split(line: &[u8], gh_columns: bool) -> RawParts<'_> {
    let mut rest = trim_line_end(line);
    let (mut gh_job, mut gh_step) = (None, None);
    if gh_columns && let Some((job, step, after)) = split_gh_columns(rest) {
        gh_job = Some(job);
        gh_step = Some(step);
        rest = after;
    }

    rest = rest.strip_prefix(BOM).unwrap_or(rest);
    let (time, after_time) = split_timestamp(rest);
    rest = after_time;
    if time.is_some() {
        rest = rest.strip_prefix(BOM).unwrap_or(rest);
    }

    let (marker, message) = split_marker(rest);
    RawParts { gh_job, gh_step, time, marker, message }
}

/// What [`split`] leaves of a line without `gh` columns once byte-order marks and timestamp
/// are off: marker and message, read without working out the time.
pub fn after_timestamp(line: &[u8]) -> &[u8] {
    let rest = line.strip_prefix(BOM).unwrap_or(line);
    let Some(used) = timestamp_len(rest) else {
        return rest;
    };
    let rest = &rest[used..];
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    rest.strip_prefix(BOM).unwrap_or(rest)
}

/// Removes a trailing carriage return, so CRLF logs read like LF ones.
pub fn trim_line_end(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Whether a line looks like `gh run view --log` output: two tab-separated columns before text.
pub fn looks_like_gh_columns(line: &[u8]) -> bool {
    let Some((_, _, after)) = split_gh_columns(trim_line_end(line)) else {
        return false;
    };
    let after = after.strip_prefix(BOM).unwrap_or(after);
    split_timestamp(after).0.is_some()
}

fn split_gh_columns(line: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let first = memchr::memchr(b'\t', line)?;
    let second = first + 1 + memchr::memchr(b'\t', &line[first + 1..])?;
    Some((&line[..first], &line[first + 1..second], &line[second + 1..]))
}

/// Reads a leading `YYYY-MM-DDTHH:MM:SS[.fraction]Z ` timestamp, lenient about the fraction.
pub fn split_timestamp(line: &[u8]) -> (Option<LogTime>, &[u8]) {
    let Some(time) = parse_timestamp(line) else {
        return (None, line);
    };
    let (time, used) = time;
    let rest = &line[used..];
    (Some(time), rest.strip_prefix(b" ").unwrap_or(rest))
}

/// Length of a leading `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with fields in range, when it is
/// followed by a space or nothing.
fn timestamp_len(line: &[u8]) -> Option<usize> {
    if line.len() < 20 {
        return None;
    }
    let shape = b"dddd-dd-ddTdd:dd:dd";
    for (byte, want) in line.iter().zip(shape) {
        let fits = if *want == b'd' { byte.is_ascii_digit() } else { byte == want };
        if !fits {
            return None;
        }
    }
    let two = |at: usize| (line[at] - b'0') * 10 + (line[at + 1] - b'0');
    let (month, day, hour, minute) = (two(5), two(8), two(11), two(14));
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }

    let mut used = 19;
    if line.get(used) == Some(&b'.') {
        let digits = line[used + 1..].iter().take_while(|byte| byte.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        used += 1 + digits;
    }
    if line.get(used) != Some(&b'Z') {
        return None;
    }
    used += 1;
    if line.get(used).is_some_and(|byte| *byte != b' ') {
        return None;
    }
    Some(used)
}

fn parse_timestamp(line: &[u8]) -> Option<(LogTime, usize)> {
    let used = timestamp_len(line)?;
    let number = |from: usize, to: usize| -> i64 {
        line[from..to].iter().fold(0, |total, digit| total * 10 + i64::from(digit - b'0'))
    };
    let (year, month, day) = (number(0, 4), number(5, 7), number(8, 10));
    let (hour, minute, second) = (number(11, 13), number(14, 16), number(17, 19));
    let fraction = line.get(20..used - 1).unwrap_or_default();
    let mut nanos = 0_i64;
    let mut place = 100_000_000_i64;
    for digit in fraction.iter().take(9) {
        nanos += i64::from(digit - b'0') * place;
        place /= 10;
    }

    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    Some((LogTime(seconds * 1_000_000_000 + nanos), used))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn split_marker(line: &[u8]) -> (Marker, &[u8]) {
    if let Some(rest) = line.strip_prefix(b"##[") {
        let Some(close) = memchr::memchr(b']', rest) else {
            return (Marker::None, line);
        };
        let marker = match &rest[..close] {
            b"error" => Marker::Error,
            b"warning" => Marker::Warning,
            b"notice" => Marker::Notice,
            b"debug" => Marker::Debug,
            b"command" => Marker::Command,
            b"group" => Marker::Group,
            b"endgroup" => Marker::EndGroup,
            name if name.iter().all(|byte| byte.is_ascii_lowercase() || *byte == b'-') => {
                Marker::Other
            }
            _ => return (Marker::None, line),
        };
        return (marker, &rest[close + 1..]);
    }

    for (label, marker) in [
        (&b"Error:"[..], Marker::Error),
        (b"Warning:", Marker::Warning),
        (b"Notice:", Marker::Notice),
    ] {
        if let Some(rest) = line.strip_prefix(label) {
            return (marker, rest.strip_prefix(b" ").unwrap_or(rest));
        }
    }
    (Marker::None, line)
}

/// The message as a reader sees it: valid UTF-8, no colour codes or control characters,
/// trimmed, and cut at [`MAX_TEXT_BYTES`].
pub fn readable(message: &[u8]) -> String {
    let mut text = String::new();
    readable_into(message, &mut text);
    text
}

/// [`readable`] written over `text`, so a caller reading many lines reuses one buffer.
pub fn readable_into(message: &[u8], text: &mut String) {
    text.clear();
    let decoded = String::from_utf8_lossy(message);
    controls::strip_ansi_into(&decoded, text);
    let trimmed_end = text.trim_end().len();
    text.truncate(trimmed_end);
    let leading = text.len() - text.trim_start().len();
    text.drain(..leading);
    cut(text, MAX_TEXT_BYTES);
}

/// Cuts `text` to at most `max` bytes on a character boundary, marking the cut with `…`.
pub fn cut(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push('…');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_runner_line_loses_bom_timestamp_and_marker() {
        let line =
            "\u{feff}2025-12-15T10:21:33.1234567Z ##[error]Process completed with exit code 1.";
        let parts = split(line.as_bytes(), false);
        assert_eq!(parts.marker, Marker::Error);
        assert_eq!(parts.message, b"Process completed with exit code 1.");
        let time = parts.time.expect("timestamp");
        assert_eq!(time.unix_seconds(), 1_765_794_093);
        assert_eq!(time.0 % 1_000_000_000, 123_456_700);
    }

    #[test]
    fn short_fraction_and_missing_fraction_are_both_timestamps() {
        for line in ["2024-10-03T19:14:27.79Z hello", "2024-10-03T19:14:27Z hello"] {
            let parts = split(line.as_bytes(), false);
            assert!(parts.time.is_some(), "{line}");
            assert_eq!(parts.message, b"hello");
        }
    }

    #[test]
    fn text_copied_from_the_web_keeps_its_label_as_marker() {
        let parts = split(b"Warning: Failed to restore: Cache service responded with 400", false);
        assert_eq!(parts.marker, Marker::Warning);
        assert_eq!(parts.message, b"Failed to restore: Cache service responded with 400");
        assert_eq!(parts.time, None);
    }

    #[test]
    fn gh_columns_are_split_off_before_the_timestamp() {
        let line = b"build (3.12)\tRun tests\t2025-01-02T03:04:05.0000000Z \xEF\xBB\xBFok\r";
        assert!(looks_like_gh_columns(line));
        let parts = split(line, true);
        assert_eq!(parts.gh_job, Some(&b"build (3.12)"[..]));
        assert_eq!(parts.gh_step, Some(&b"Run tests"[..]));
        assert_eq!(parts.message, b"ok");
    }

    #[test]
    fn colours_and_control_characters_leave_readable_text() {
        let text = readable(b"\x1b[36;1mpip install -r requirements.txt\x1b[0m\x07  ");
        assert_eq!(text, "pip install -r requirements.txt");
        let osc = readable(b"\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\");
        assert_eq!(osc, "link");
    }

    #[test]
    fn invalid_utf8_is_replaced_not_rejected() {
        assert_eq!(readable(b"bad \xff byte"), "bad \u{fffd} byte");
    }

    #[test]
    fn not_a_timestamp_when_shape_or_range_is_wrong() {
        assert_eq!(split_timestamp(b"2025-13-01T00:00:00Z x").0, None);
        assert_eq!(split_timestamp(b"2025-01-01 00:00:00Z x").0, None);
        assert_eq!(split_timestamp(b"2025-01-01T00:00:00.Z x").0, None);
    }

    #[test]
    fn after_timestamp_leaves_what_split_reads_the_marker_from() {
        for line in [
            "\u{feff}2025-12-15T10:21:33.1234567Z \u{feff}##[error]boom",
            "2025-12-15T10:21:33Z plain",
            "2025-13-15T10:21:33Z not a time",
            "no time at all",
        ] {
            let parts = split(line.as_bytes(), false);
            let rest = after_timestamp(line.as_bytes());
            assert!(rest.ends_with(parts.message), "{line}");
            assert_eq!(split_marker(rest).0, parts.marker, "{line}");
        }
    }

    #[test]
    fn cut_keeps_characters_whole() {
        let mut text = "ééé".to_owned();
        cut(&mut text, 3);
        assert_eq!(text, "é…");
    }
}
