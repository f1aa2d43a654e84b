//! A folder of logs, laid out like the run log archive or holding plain log files.
//! TODO(#2): read the archive layout from a folder (being written in this issue).

use std::path::Path;

use super::{InputError, Visitor};

/// Streams each job log found under `path`.
pub fn for_each_job(path: &Path, _visit: &mut Visitor<'_>) -> Result<(), InputError> {
    Err(InputError::NoLogs { path: path.display().to_string() })
}
