//! A block of log reduced to what patterns can see, for the literal prefilter: of each line
//! only the marker and message, without byte-order mark, timestamp, colour codes or other
//! controls, so the prefilter neither searches timestamps nor misses a literal a colour code
//! splits. Owns the copy and where each of its lines came from; it matches nothing.

use crate::joblog::line;

/// A reusable copy of one block at a time.
#[derive(Default)]
pub struct Messages {
    bytes: Vec<u8>,
    /// The raw start and end of each line of the copy, in order.
    raw: Vec<(usize, usize)>,
}

impl Messages {
    /// Makes the copy of `block`: the same lines in the same order, one `\n` after each but
    /// where `block` has none after its last.
    pub fn fill(&mut self, block: &[u8]) {
        self.bytes.clear();
        self.raw.clear();
        let body = block.strip_suffix(b"\n").unwrap_or(block);
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len()));
        for end in ends.take_while(|_| !block.is_empty()) {
            self.raw.push((start, end));
            self.push_message(&block[start..end]);
            self.bytes.push(b'\n');
            start = end + 1;
        }
        if !block.ends_with(b"\n") {
            self.bytes.pop();
        }
    }

    /// The copy of the last block filled.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// How many lines the last block filled holds, a last one without `\n` included.
    pub fn line_count(&self) -> usize {
        self.raw.len()
    }

    /// The raw start and end, in the block, of line `index` of the copy.
    pub fn raw_line(&self, index: usize) -> (usize, usize) {
        self.raw[index]
    }

    fn push_message(&mut self, raw_line: &[u8]) {
        let message = line::after_timestamp(line::trim_line_end(raw_line));
        if has_control(message) {
            line::strip_controls(message, &mut self.bytes);
        } else {
            self.bytes.extend_from_slice(message);
        }
    }
}

/// Whether `text` holds a control character other than a tab (a C1 control is `0xC2`
/// followed by `0x80` to `0x9F`). The first pass compiles to a few vector instructions.
fn has_control(text: &[u8]) -> bool {
    let may = |byte: u8| (byte < 0x20 && byte != b'\t') || byte == 0x7F || byte == 0xC2;
    if text.iter().fold(0, |seen, byte| seen | u8::from(may(*byte))) == 0 {
        return false;
    }
    text.iter().enumerate().any(|(at, byte)| match *byte {
        0xC2 => text.get(at + 1).is_some_and(|next| (0x80..0xA0).contains(next)),
        byte => may(byte),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_keeps_lines_and_drops_timestamps_and_colours() {
        let block = "\u{feff}2025-01-02T03:04:05.1234567Z plain\r\n\
                     2025-01-02T03:04:06.1234567Z \x1b[31merr\x1b[0mor: x\n\
                     ##[group]Run make\n\
                     2025-01-02T03:04:07.1234567Z °C \u{85}cut";
        let mut messages = Messages::default();
        messages.fill(block.as_bytes());
        assert_eq!(messages.bytes(), "plain\nerror: x\n##[group]Run make\n°C cut".as_bytes());
        let raw = &block.as_bytes()[messages.raw_line(2).0..messages.raw_line(2).1];
        assert_eq!(raw, b"##[group]Run make");
    }

    #[test]
    fn a_block_ending_in_a_newline_has_no_empty_last_line() {
        let mut messages = Messages::default();
        messages.fill(b"one\ntwo\n");
        assert_eq!(messages.bytes(), b"one\ntwo\n");
        assert_eq!(messages.line_count(), 2);
        messages.fill(b"one\n2025-01-02T03:04:05.1234567Z ");
        assert_eq!(messages.line_count(), 2);
        messages.fill(b"");
        assert_eq!(messages.bytes(), b"");
        assert_eq!(messages.line_count(), 0);
    }
}
