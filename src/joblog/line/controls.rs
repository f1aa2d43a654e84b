//! Control characters and ANSI escape sequences taken out of log text, the colour codes tools
//! print included. Owns what counts as a control and where an escape sequence ends; it works
//! on one line at a time and never looks at what the remaining text means.

use std::borrow::Cow;

/// The escape character that starts an ANSI sequence.
const ESC: u8 = 0x1b;

/// Removes ANSI escape sequences and other control characters except tabs.
pub fn strip_ansi(text: &str) -> Cow<'_, str> {
    if control_at(text.as_bytes(), 0).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    strip_ansi_into(text, &mut out);
    Cow::Owned(out)
}

/// Appends `text` to `out` without ANSI escape sequences and control characters but tabs.
pub(super) fn strip_ansi_into(text: &str, out: &mut String) {
    for_each_kept(text.as_bytes(), |from, to| out.push_str(&text[from..to]));
}

/// Appends raw line bytes to `out` as [`strip_ansi`] would clean them, invalid UTF-8 kept as
/// it is: what the literal prefilter searches in a coloured line.
pub fn strip_controls(line: &[u8], out: &mut Vec<u8>) {
    for_each_kept(line, |from, to| out.extend_from_slice(&line[from..to]));
}

/// Calls `keep` with each run of bytes between control characters and escape sequences. Every
/// control is ASCII or, for the C1 controls U+0080 to U+009F, two bytes, and every sequence
/// ends after an ASCII byte or a whole character, so valid UTF-8 is cut only between
/// characters.
fn for_each_kept(bytes: &[u8], mut keep: impl FnMut(usize, usize)) {
    let mut copied = 0;
    while let Some(control) = control_at(bytes, copied) {
        keep(copied, control);
        copied = match bytes[control] {
            ESC => escape_end(bytes, control + 1),
            byte if byte < 0x80 => control + 1,
            _ => control + 2,
        };
    }
    keep(copied, bytes.len());
}

/// Offset of the first control character (other than a tab) at or after `from`.
fn control_at(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        at += bytes.get(at..)?.iter().position(|byte| MAY_CONTROL[usize::from(*byte)])?;
        if bytes[at] != 0xC2 || bytes.get(at + 1).is_some_and(|next| (0x80..0xA0).contains(next)) {
            return Some(at);
        }
        at += 1;
    }
}

/// Bytes that are a control character other than a tab, or may start a C1 control (`0xC2`).
const MAY_CONTROL: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = byte != 0x09;
        byte += 1;
    }
    table[0x7F] = true;
    table[0xC2] = true;
    table
};

/// Where the escape sequence whose introducer follows the ESC at `start - 1` ends: a CSI
/// (`ESC [`) after its final byte, an OSC (`ESC ]`) after BEL or `ESC \`, anything else
/// after one character.
fn escape_end(bytes: &[u8], start: usize) -> usize {
    let rest = &bytes[start.min(bytes.len())..];
    let found = match rest.first() {
        None => return bytes.len(),
        Some(b'[') => rest[1..].iter().position(|byte| (b'@'..=b'~').contains(byte)),
        Some(b']') => osc_end(&rest[1..]),
        Some(_) => return start + char_width(rest),
    };
    found.map_or(bytes.len(), |at| start + 1 + at + 1)
}

/// Offset of the last byte of an OSC string's terminator (BEL or `ESC \`), if any.
fn osc_end(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            0x07 => return Some(at),
            ESC if bytes.get(at + 1) == Some(&b'\\') => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// Length of the character `bytes` starts with; for invalid UTF-8, of the bytes one
/// replacement character would stand for.
fn char_width(bytes: &[u8]) -> usize {
    let head = &bytes[..bytes.len().min(4)];
    let valid = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(error) if error.valid_up_to() > 0 => {
            std::str::from_utf8(&head[..error.valid_up_to()]).unwrap_or_default()
        }
        Err(error) => return error.error_len().map_or(head.len(), usize::from),
    };
    valid.chars().next().map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        strip_controls(bytes, &mut out);
        out
    }

    #[test]
    fn colour_codes_and_controls_go_and_tabs_stay() {
        assert_eq!(strip_ansi("\x1b[1m\x1b[32mok\x1b[0m\tdone\r"), "ok\tdone");
        assert_eq!(strip_ansi("a\u{85}b\u{7f}c"), "abc");
    }

    #[test]
    fn unfinished_sequences_run_to_the_end() {
        assert_eq!(strip_ansi("kept\x1b[31"), "kept");
        assert_eq!(strip_ansi("kept\x1b]8;;http://x"), "kept");
        assert_eq!(strip_ansi("kept\x1b"), "kept");
    }

    #[test]
    fn an_escape_before_a_character_takes_the_whole_character() {
        assert_eq!(strip_ansi("\x1bébc"), "bc");
        assert_eq!(stripped("\x1bébc".as_bytes()), b"bc");
    }

    #[test]
    fn raw_bytes_are_cleaned_like_text_and_invalid_bytes_survive() {
        let raw = b"\xff\x1b[31merror\x1b[0m: x\x1b\xE2\x82A \xC2B";
        assert_eq!(stripped(raw), b"\xfferror: xA \xC2B");
        let text = String::from_utf8_lossy(raw);
        assert_eq!(strip_ansi(&text), "\u{fffd}error: xA \u{fffd}B");
    }
}
