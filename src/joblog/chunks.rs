//! Reads a log as large blocks of whole lines, so callers can search a block at once.
//! Owns line-length limits: a line longer than [`MAX_LINE_BYTES`] is cut and the rest of it
//! skipped, so memory stays bounded whatever the input. It never interprets the lines.

use std::io::{self, Read};

/// Longest line kept, in bytes; the rest of a longer line is skipped and counted.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// How much is read at a time; a block holds at least one whole (or cut) line.
const BLOCK_BYTES: usize = 2 * MAX_LINE_BYTES;

/// Yields blocks of whole lines from a reader; the last line of a block may lack its `\n`.
pub struct Chunks<R> {
    reader: R,
    buffer: Vec<u8>,
    /// Start of bytes not yet handed out.
    start: usize,
    /// End of bytes read so far.
    end: usize,
    finished: bool,
    skipping: bool,
    cut_lines: u64,
    bytes_read: u64,
}

impl<R: Read> Chunks<R> {
    /// Wraps a reader.
    pub fn new(reader: R) -> Self {
        Chunks {
            reader,
            buffer: vec![0; BLOCK_BYTES],
            start: 0,
            end: 0,
            finished: false,
            skipping: false,
            cut_lines: 0,
            bytes_read: 0,
        }
    }

    /// How many lines were longer than [`MAX_LINE_BYTES`] and cut.
    pub fn cut_lines(&self) -> u64 {
        self.cut_lines
    }

    /// How many bytes were read from the input.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// The next block of lines, or `None` at the end of the input.
    pub fn next_block(&mut self) -> io::Result<Option<&[u8]>> {
        loop {
            self.compact();
            self.fill()?;

            if self.skipping {
                let Some(newline) = memchr::memchr(b'\n', &self.buffer[..self.end]) else {
                    self.end = 0;
                    if self.finished {
                        return Ok(None);
                    }
                    continue;
                };
                self.start = newline + 1;
                self.skipping = false;
                continue;
            }

            if self.end == 0 {
                return Ok(None);
            }
            if let Some(last) = memchr::memrchr(b'\n', &self.buffer[..self.end]) {
                self.start = last + 1;
                return Ok(Some(&self.buffer[..=last]));
            }
            if self.finished {
                self.start = self.end;
                return Ok(Some(&self.buffer[..self.end]));
            }

            let keep = cut_point(&self.buffer[..MAX_LINE_BYTES]);
            self.cut_lines += 1;
            self.skipping = true;
            self.start = self.end;
            return Ok(Some(&self.buffer[..keep]));
        }
    }

    fn compact(&mut self) {
        if self.start == 0 {
            return;
        }
        self.buffer.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
    }

    fn fill(&mut self) -> io::Result<()> {
        while !self.finished && self.end < self.buffer.len() {
            match self.reader.read(&mut self.buffer[self.end..]) {
                Ok(0) => self.finished = true,
                Ok(count) => {
                    self.end += count;
                    self.bytes_read += count as u64;
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }
}

/// Where to cut a long line so that a UTF-8 character is not split.
fn cut_point(bytes: &[u8]) -> usize {
    let mut end = bytes.len();
    while end > 0 && end > bytes.len().saturating_sub(4) && (bytes[end - 1] & 0xC0) == 0x80 {
        end -= 1;
    }
    if end > 0 && bytes[end - 1] >= 0xC0 { end - 1 } else { bytes.len() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(input: &[u8]) -> (Vec<Vec<u8>>, u64) {
        let mut chunks = Chunks::new(input);
        let mut lines = Vec::new();
        while let Some(block) = chunks.next_block().expect("read") {
            let block = block.strip_suffix(b"\n").unwrap_or(block);
            lines.extend(block.split(|byte| *byte == b'\n').map(<[u8]>::to_vec));
        }
        (lines, chunks.cut_lines())
    }

    #[test]
    fn a_last_line_without_newline_is_kept() {
        let (lines, cut) = lines_of(b"one\ntwo\nthree");
        assert_eq!(lines, vec![b"one".to_vec(), b"two".to_vec(), b"three".to_vec()]);
        assert_eq!(cut, 0);
    }

    #[test]
    fn a_huge_line_is_cut_and_the_next_line_survives() {
        let mut input = vec![b'a'; 3 * MAX_LINE_BYTES + 17];
        input.extend_from_slice(b"\nafter\n");
        let (lines, cut) = lines_of(&input);
        assert_eq!(cut, 1);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].len(), MAX_LINE_BYTES);
        assert_eq!(lines[1], b"after");
    }

    #[test]
    fn a_cut_never_splits_a_character() {
        let mut input = vec![b'a'; MAX_LINE_BYTES - 1];
        input.extend_from_slice("é".repeat(MAX_LINE_BYTES).as_bytes());
        let (lines, _) = lines_of(&input);
        assert!(std::str::from_utf8(&lines[0]).is_ok());
    }
}
