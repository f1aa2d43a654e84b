//! The run log archive GitHub serves (zip).
//! TODO(#2): read both archive layouts (being written in this issue).

use std::path::Path;

use super::{InputError, Limits, Visitor};

/// Streams each job log in the archive at `path`.
pub fn for_each_job(
    path: &Path,
    _limits: Limits,
    _visit: &mut Visitor<'_>,
) -> Result<(), InputError> {
    Err(InputError::CorruptArchive {
        path: path.display().to_string(),
        detail: "not read yet".into(),
    })
}
