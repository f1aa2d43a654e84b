//! Opening what the user points at: a log file, standard input, a folder of logs, or the run
//! log archive (zip) GitHub serves. Owns input errors and their wording; hands each job's log
//! to a visitor as a stream and never writes anything to disk.

pub mod archive;
pub mod folder;
pub mod sniff;

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::triage::rank::JobContext;

/// Default cap on the bytes unpacked from one archive, whatever its headers claim.
pub const DEFAULT_MAX_UNPACKED: u64 = 8 << 30;

/// [`DEFAULT_MAX_UNPACKED`] as the command line writes it.
pub const DEFAULT_MAX_UNPACKED_TEXT: &str = "8GiB";

/// What a path turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-`).
    Stdin,
    /// One log file.
    File(PathBuf),
    /// A folder laid out like the run log archive, or holding log files.
    Folder(PathBuf),
    /// A run log archive (zip).
    Archive(PathBuf),
}

/// Limits that protect against hostile input.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Most bytes unpacked from one archive.
    pub max_unpacked: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_unpacked: DEFAULT_MAX_UNPACKED }
    }
}

/// Input that cannot be read as a log; each names the path and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The path does not exist.
    #[error("{path}: no such file or folder; check the path")]
    Missing {
        /// The path as given.
        path: String,
    },
    /// The path exists but cannot be read.
    #[error("{path}: cannot read it: {source}")]
    Unreadable {
        /// The path as given.
        path: String,
        /// What the system said.
        source: io::Error,
    },
    /// The file holds nothing.
    #[error(
        "{path}: the file is empty; give a job log (raw, copied from the web page, or `gh run view --log` output)"
    )]
    Empty {
        /// The path as given.
        path: String,
    },
    /// The file is not text.
    #[error(
        "{path}: this is a binary file, not a log (NUL byte at offset {offset}); give a job log or the run's log zip"
    )]
    Binary {
        /// The path as given.
        path: String,
        /// Where the first NUL byte is.
        offset: usize,
    },
    /// A folder or archive with nothing that looks like a log.
    #[error(
        "{path}: holds no log files (*.txt or *.log, at the top or in job folders); point at a log file, a folder of logs, or a run log zip"
    )]
    NoLogs {
        /// The path as given.
        path: String,
    },
    /// The archive cannot be opened or read.
    #[error("{path}: the zip archive is corrupt or truncated ({detail}); download it again")]
    CorruptArchive {
        /// The path as given.
        path: String,
        /// What the zip reader said.
        detail: String,
    },
    /// An archive entry whose name escapes the archive.
    #[error("{path}: refusing the archive: entry `{entry}` has an unsafe path")]
    UnsafeEntry {
        /// The archive path.
        path: String,
        /// The entry's name.
        entry: String,
    },
    /// An archive that unpacks to more than the cap.
    #[error(
        "{path}: refusing the archive: it unpacks to more than {limit} bytes (counted while reading, not taken from its headers); raise --max-unpacked if it is genuine"
    )]
    TooLarge {
        /// The archive path.
        path: String,
        /// The cap in bytes.
        limit: u64,
    },
}

/// Receives each job's context and log stream.
pub type Visitor<'v> = dyn FnMut(JobContext, &mut dyn Read) -> Result<(), InputError> + 'v;

impl Input {
    /// Finds out what `path` is: `-` is standard input; folders and zips by what they are.
    pub fn open(path: &str) -> Result<Input, InputError> {
        if path == "-" {
            return Ok(Input::Stdin);
        }
        let location = Path::new(path);
        let metadata = std::fs::metadata(location).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => InputError::Missing { path: path.to_owned() },
            _ => InputError::Unreadable { path: path.to_owned(), source },
        })?;
        if metadata.is_dir() {
            return Ok(Input::Folder(location.to_path_buf()));
        }
        let mut magic = [0_u8; 4];
        let mut file = File::open(location)
            .map_err(|source| InputError::Unreadable { path: path.to_owned(), source })?;
        let read = read_up_to(&mut file, &mut magic)
            .map_err(|source| InputError::Unreadable { path: path.to_owned(), source })?;
        if read >= 2 && magic.starts_with(b"PK") {
            return Ok(Input::Archive(location.to_path_buf()));
        }
        Ok(Input::File(location.to_path_buf()))
    }

    /// What was read, for the report's `source`.
    pub fn label(&self) -> String {
        match self {
            Input::Stdin => "-".to_owned(),
            Input::File(path) | Input::Folder(path) | Input::Archive(path) => {
                path.display().to_string()
            }
        }
    }

    /// Streams each job's log to `visit`, in a stable order.
    pub fn for_each_job(&self, limits: Limits, visit: &mut Visitor<'_>) -> Result<(), InputError> {
        match self {
            Input::Stdin => stdin_jobs(limits, visit),
            Input::File(path) => {
                let label = path.display().to_string();
                let file = File::open(path)
                    .map_err(|source| InputError::Unreadable { path: label.clone(), source })?;
                let mut reader = sniff::checked(file, &label)?;
                visit(JobContext::default(), &mut reader)
            }
            Input::Folder(path) => folder::for_each_job(path, visit),
            Input::Archive(path) => archive::for_each_job(path, limits, visit),
        }
    }
}

/// Standard input: a log, or a run log zip (`gh api …/logs > run.zip` piped in), which is
/// spooled to an unnamed temporary file because a zip is read from its end.
fn stdin_jobs(limits: Limits, visit: &mut Visitor<'_>) -> Result<(), InputError> {
    let unreadable = |source| InputError::Unreadable { path: "-".to_owned(), source };
    let mut stdin = io::stdin().lock();
    let mut magic = [0_u8; 4];
    let read = read_up_to(&mut stdin, &mut magic).map_err(unreadable)?;
    let start = io::Cursor::new(magic[..read].to_vec());
    if read < 4 || magic != *b"PK\x03\x04" {
        let mut reader = sniff::checked(start.chain(stdin), "-")?;
        return visit(JobContext::default(), &mut reader);
    }
    let mut spool = tempfile::tempfile().map_err(unreadable)?;
    let cap = limits.max_unpacked;
    let copied = io::copy(&mut start.chain(stdin).take(cap.saturating_add(1)), &mut spool)
        .map_err(unreadable)?;
    if copied > cap {
        return Err(InputError::TooLarge { path: "-".to_owned(), limit: cap });
    }
    io::Seek::rewind(&mut spool).map_err(unreadable)?;
    archive::for_each_job_in(spool, "-", limits, visit)
}

fn read_up_to(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(count) => filled += count,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}
