//! The line index of a log: where each line starts, which lines open and close groups, and
//! which carry `##[error]` or `##[warning]`. Built in chunks so the first screen needs only the
//! first chunk; pure functions over bytes.

use crate::joblog::line::{self, Marker};

/// Lines indexed per chunk before a progress report.
pub const LINES_PER_CHUNK: usize = 250_000;

/// What is known of the lines indexed so far.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Byte offset of each line's start.
    pub starts: Vec<u64>,
    /// `(first line, last line)` of each `##[group]` … `##[endgroup]`, 0-based.
    pub groups: Vec<(usize, usize)>,
    /// 0-based lines marked `##[error]`.
    pub errors: Vec<usize>,
    /// 0-based lines marked `##[warning]`.
    pub warnings: Vec<usize>,
    /// Whether the whole log is indexed.
    pub complete: bool,
    /// Bytes indexed so far.
    pub indexed_bytes: u64,
    open_group: Option<usize>,
}

/// One chunk of index work, to be appended in order.
#[derive(Clone, Debug, Default)]
pub struct IndexChunk {
    /// Line starts found in this chunk.
    pub starts: Vec<u64>,
    /// Markers of those lines: `(line, marker)` for groups, end of groups, errors and warnings.
    pub marks: Vec<(usize, Marker)>,
    /// Where the next chunk begins, in bytes.
    pub next_offset: u64,
    /// Whether this is the last chunk.
    pub last: bool,
}

impl LineIndex {
    /// Number of lines indexed.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether no line is indexed yet.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Appends a chunk computed by [`index_chunk`].
    pub fn append(&mut self, chunk: IndexChunk) {
        self.starts.extend(chunk.starts);
        for (line, marker) in chunk.marks {
            match marker {
                Marker::Group => {
                    if let Some(open) = self.open_group.take() {
                        self.groups.push((open, line.saturating_sub(1)));
                    }
                    self.open_group = Some(line);
                }
                Marker::EndGroup => {
                    if let Some(open) = self.open_group.take() {
                        self.groups.push((open, line));
                    }
                }
                Marker::Error => self.errors.push(line),
                Marker::Warning => self.warnings.push(line),
                _ => {}
            }
        }
        self.indexed_bytes = chunk.next_offset;
        self.complete = chunk.last;
        if self.complete
            && let Some(open) = self.open_group.take()
        {
            self.groups.push((open, self.starts.len().saturating_sub(1)));
        }
    }

    /// The group whose header is `line`, if any.
    pub fn group_at(&self, line: usize) -> Option<(usize, usize)> {
        let position = self.groups.partition_point(|(start, _)| *start < line);
        self.groups.get(position).copied().filter(|(start, _)| *start == line)
    }
}

/// Indexes up to [`LINES_PER_CHUNK`] lines of `bytes` from `offset`; `first_line` is the number
/// of lines already indexed.
pub fn index_chunk(bytes: &[u8], offset: u64, first_line: usize) -> IndexChunk {
    let mut chunk = IndexChunk::default();
    let mut position = usize::try_from(offset).unwrap_or(bytes.len()).min(bytes.len());
    while position < bytes.len() && chunk.starts.len() < LINES_PER_CHUNK {
        let end = memchr::memchr(b'\n', &bytes[position..]).map_or(bytes.len(), |n| position + n);
        chunk.starts.push(position as u64);
        let line_number = first_line + chunk.starts.len() - 1;
        let head = &bytes[position..end.min(position + 64)];
        if memchr::memmem::find(head, b"##[").is_some() || head.starts_with(b"Error:") {
            let marker = line::split(&bytes[position..end], false).marker;
            if matches!(marker, Marker::Group | Marker::EndGroup | Marker::Error | Marker::Warning)
            {
                chunk.marks.push((line_number, marker));
            }
        }
        position = end + 1;
    }
    chunk.next_offset = position.min(bytes.len()) as u64;
    chunk.last = position >= bytes.len();
    chunk
}

/// Indexes the whole log at once (small logs and tests).
pub fn index_all(bytes: &[u8]) -> LineIndex {
    let mut index = LineIndex::default();
    let mut offset = 0;
    loop {
        let chunk = index_chunk(bytes, offset, index.len());
        offset = chunk.next_offset;
        let last = chunk.last;
        index.append(chunk);
        if last {
            return index;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logdoc::line_bytes;

    const LOG: &[u8] = b"\xEF\xBB\xBF2025-01-01T00:00:00.0000000Z start\r
2025-01-01T00:00:01.0000000Z ##[group]Run make
2025-01-01T00:00:01.1000000Z make
2025-01-01T00:00:01.2000000Z ##[endgroup]
2025-01-01T00:00:02.0000000Z ##[error]Process completed with exit code 2.
no newline at end";

    #[test]
    fn lines_groups_and_errors_are_indexed() {
        let index = index_all(LOG);
        assert_eq!(index.len(), 6);
        assert!(index.complete);
        assert_eq!(index.groups, vec![(1, 3)]);
        assert_eq!(index.errors, vec![4]);
        assert_eq!(line_bytes(LOG, &index, 5), Some(&b"no newline at end"[..]));
        assert_eq!(line_bytes(LOG, &index, 0).unwrap().last(), Some(&b't'));
    }

    #[test]
    fn an_empty_log_has_no_lines() {
        let index = index_all(b"");
        assert!(index.is_empty() && index.complete);
    }
}
