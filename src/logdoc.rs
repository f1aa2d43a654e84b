//! A job log opened for reading in the TUI: its bytes (embedded, in memory or memory-mapped),
//! an index of line starts built in the background, and the lines' markers. Owns random access
//! by line number at a cost that does not depend on the log's size; it does not draw.

pub mod index;
pub mod search;

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

pub use index::{IndexChunk, LineIndex};

/// The bytes of a log, however they are held.
#[derive(Clone, Debug)]
pub enum LogBytes {
    /// Embedded in the binary (the demo).
    Static(&'static [u8]),
    /// Read into memory (archive entries, standard input).
    Shared(Arc<[u8]>),
    /// A file mapped into memory; pages are read on demand.
    Mapped(Arc<memmap2::Mmap>),
}

impl LogBytes {
    /// Maps a file. The map is read-only; a file truncated underneath by another program is
    /// the one hazard every memory-mapping viewer shares.
    pub fn map_file(path: &Path) -> std::io::Result<LogBytes> {
        let file = File::open(path)?;
        if file.metadata()?.len() == 0 {
            return Ok(LogBytes::Shared(Arc::from(Vec::new())));
        }
        #[expect(
            unsafe_code,
            reason = "memory-mapping is the only way to open a 1 GB log in well under a second without holding it in memory"
        )]
        // SAFETY: the map is read-only and lives as long as the Arc; the file is only read.
        let map = unsafe { memmap2::Mmap::map(&file)? };
        Ok(LogBytes::Mapped(Arc::new(map)))
    }

    /// All the bytes.
    pub fn as_slice(&self) -> &[u8] {
        match self {
            LogBytes::Static(bytes) => bytes,
            LogBytes::Shared(bytes) => bytes,
            LogBytes::Mapped(map) => map,
        }
    }

    /// Size in bytes.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }
}

/// One line's bytes, without its line ending, from a log and its index.
pub fn line_bytes<'a>(bytes: &'a [u8], index: &LineIndex, line: usize) -> Option<&'a [u8]> {
    let start = usize::try_from(*index.starts.get(line)?).ok()?;
    let end = index
        .starts
        .get(line + 1)
        .and_then(|next| usize::try_from(*next).ok())
        .unwrap_or(bytes.len());
    let end = end.min(bytes.len()).max(start);
    let mut line = &bytes[start..end];
    if let Some(rest) = line.strip_suffix(b"\n") {
        line = rest;
    }
    Some(line.strip_suffix(b"\r").unwrap_or(line))
}

impl AsRef<[u8]> for LogBytes {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}
