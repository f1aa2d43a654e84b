//! A folder of logs: laid out like the run log archive (job folders with per-step files beside
//! the whole-job files), or holding plain `*.log` / `*.txt` logs, each a job named by its file
//! stem. Looks one level deep, skips symlinks, hidden files and junk, and streams each file to
//! the visitor; it writes nothing. Which file is which job is the archive layout's business.
//! A folder laid out like the archive is one run; plain logs may come from many.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use super::archive::layout;
use super::{InputError, Visitor, sniff};
use crate::triage::rank::JobContext;

/// Streams each job log found under `path`, jobs in a stable order.
pub fn for_each_job(path: &Path, visit: &mut Visitor<'_>) -> Result<(), InputError> {
    let label = path.display().to_string();
    let files = log_files(path)?;
    let entries = files.iter().enumerate().map(|(id, (name, _))| (id, name.clone()));
    let jobs =
        layout::jobs(entries, &mut |id| File::open(&files[id].1).is_ok_and(layout::is_prepare_log));

    let one_run = jobs.iter().all(|job| job.ordinal.is_some() || !job.steps.is_empty());
    let mut read_any = false;
    for job in &jobs {
        for (file, mut context) in job.reads() {
            context.run = one_run.then(|| label.clone());
            read_any |= read_file(&files[file.id].1, context, visit)?;
        }
    }
    if !read_any {
        return Err(InputError::NoLogs { path: label });
    }
    Ok(())
}

/// Regular files at the top and inside top-level folders, as (`/`-separated name, path),
/// sorted by name; hidden entries and symlinks are left out.
fn log_files(path: &Path) -> Result<Vec<(String, PathBuf)>, InputError> {
    let mut files = Vec::new();
    for (name, entry, kind) in visible_entries(path)? {
        if kind.is_file() {
            files.push((name, entry));
        } else if kind.is_dir() {
            let inner = visible_entries(&entry)?;
            let inner = inner.into_iter().filter(|(_, _, kind)| kind.is_file());
            files.extend(inner.map(|(file, path, _)| (format!("{name}/{file}"), path)));
        }
    }
    files.sort();
    Ok(files)
}

/// Entries of one folder that are not hidden and not symlinks, with their kinds.
fn visible_entries(folder: &Path) -> Result<Vec<(String, PathBuf, fs::FileType)>, InputError> {
    let unreadable =
        |source: io::Error| InputError::Unreadable { path: folder.display().to_string(), source };
    let mut entries = Vec::new();
    for entry in fs::read_dir(folder).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().map_err(unreadable)?;
        if name.starts_with('.') || kind.is_symlink() {
            continue;
        }
        entries.push((name, entry.path(), kind));
    }
    Ok(entries)
}

/// Hands one file to the visitor; `Ok(false)` when it is empty and was skipped.
fn read_file(
    path: &Path,
    context: JobContext,
    visit: &mut Visitor<'_>,
) -> Result<bool, InputError> {
    let label = path.display().to_string();
    let opened = File::open(path)
        .map_err(|source| InputError::Unreadable { path: label.clone(), source })?;
    let mut reader = match sniff::checked(opened, &label) {
        Err(InputError::Empty { .. }) => return Ok(false),
        other => other?,
    };
    visit(context, &mut reader).map_err(|error| match error {
        InputError::Unreadable { source, .. } => InputError::Unreadable { path: label, source },
        other => other,
    })?;
    Ok(true)
}
