//! The run log archive GitHub serves (zip), read in place: each log entry is streamed to the
//! visitor through the unpacked-bytes cap, never extracted to disk nor held whole in memory.
//! Owns the archive's safety checks (unsafe entry names, the cap, corrupt or truncated data)
//! and how they are told to the user; which entry holds which job is `layout`'s business, how
//! job names are mangled into file names is `names`'.

pub mod capped;
pub mod layout;
pub mod names;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use zip::ZipArchive;
use zip::read::ZipFile;
use zip::result::ZipError;

use self::capped::{Budget, Capped};
use self::layout::{JobFiles, LogFile};
use super::{InputError, Limits, Visitor, sniff};
use crate::triage::rank::JobContext;

type Zip = ZipArchive<BufReader<File>>;

/// Streams each job log in the archive at `path`, jobs in a stable order.
pub fn for_each_job(
    path: &Path,
    limits: Limits,
    visit: &mut Visitor<'_>,
) -> Result<(), InputError> {
    let label = path.display().to_string();
    let file = File::open(path)
        .map_err(|source| InputError::Unreadable { path: label.clone(), source })?;
    for_each_job_in(file, &label, limits, visit)
}

/// Like [`for_each_job`], for an archive already open (standard input spooled to a temporary
/// file), named `label` in errors.
pub fn for_each_job_in(
    file: File,
    label: &str,
    limits: Limits,
    visit: &mut Visitor<'_>,
) -> Result<(), InputError> {
    let label = label.to_owned();
    let mut zip = ZipArchive::new(BufReader::new(file)).map_err(|error| corrupt(&label, &error))?;
    let jobs = jobs_of(&mut zip, &label)?;

    let mut budget = Budget::new(limits.max_unpacked);
    let mut read_any = false;
    for job in &jobs {
        for (file, mut context) in job.reads() {
            context.run = Some(label.clone());
            read_any |= read_entry(&mut zip, &label, file, &mut budget, context, visit)?;
        }
    }
    if !read_any {
        return Err(InputError::NoLogs { path: label });
    }
    Ok(())
}

/// The jobs in the archive at `path` and the entries holding their logs (ids are entry
/// indices), checking every entry name but reading no log.
pub fn list(path: &Path) -> Result<Vec<JobFiles>, InputError> {
    let label = path.display().to_string();
    let mut zip = open(path, &label)?;
    jobs_of(&mut zip, &label)
}

fn open(path: &Path, label: &str) -> Result<Zip, InputError> {
    let file = File::open(path)
        .map_err(|source| InputError::Unreadable { path: label.to_owned(), source })?;
    ZipArchive::new(BufReader::new(file)).map_err(|error| corrupt(label, &error))
}

fn jobs_of(zip: &mut Zip, label: &str) -> Result<Vec<JobFiles>, InputError> {
    let entries = entry_names(zip, label)?;
    Ok(layout::jobs(entries, &mut |id| zip.by_index(id).is_ok_and(layout::is_prepare_log)))
}

/// Names of the file entries, refusing the whole archive if any name is unsafe.
fn entry_names(zip: &mut Zip, label: &str) -> Result<Vec<(usize, String)>, InputError> {
    let mut names = Vec::with_capacity(zip.len());
    for index in 0..zip.len() {
        let entry = zip.by_index_raw(index).map_err(|error| corrupt(label, &error))?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if !is_safe(&entry, &name) {
            return Err(InputError::UnsafeEntry { path: label.to_owned(), entry: name });
        }
        if entry.is_file() {
            names.push((index, name));
        }
    }
    Ok(names)
}

/// Whether an entry's name stays inside the archive: relative (no root, no drive), no `..`,
/// no NUL. `enclosed_name` alone would accept `/etc/x` (it drops the root) and `a/../b`.
fn is_safe<R: Read>(entry: &ZipFile<'_, R>, name: &str) -> bool {
    let drive = name.as_bytes().get(1) == Some(&b':') && name.as_bytes()[0].is_ascii_alphabetic();
    let absolute = drive || name.starts_with(['/', '\\']);
    let climbs = name.split(['/', '\\']).any(|part| part == "..");
    entry.enclosed_name().is_some() && !absolute && !climbs
}

/// Hands one entry to the visitor; `Ok(false)` when the entry is empty and was skipped.
fn read_entry(
    zip: &mut Zip,
    label: &str,
    file: &LogFile,
    budget: &mut Budget,
    context: JobContext,
    visit: &mut Visitor<'_>,
) -> Result<bool, InputError> {
    let entry = zip.by_index(file.id).map_err(|error| corrupt_entry(label, &file.name, &error))?;
    let place = format!("{label} (entry `{}`)", file.name);
    let outcome = match sniff::checked(Capped::new(entry, budget), &place) {
        Err(InputError::Empty { .. }) => Ok(false),
        Err(error) => Err(error),
        Ok(mut reader) => visit(context, &mut reader).map(|()| true),
    };
    outcome.map_err(|error| entry_error(error, label, &file.name, budget))
}

/// Turns what came back from reading an entry into what the user should hear: the cap
/// first (the scan only saw a read error), then read errors as corruption.
fn entry_error(error: InputError, label: &str, entry: &str, budget: &Budget) -> InputError {
    if budget.exceeded() {
        return InputError::TooLarge { path: label.to_owned(), limit: budget.limit() };
    }
    match error {
        InputError::Unreadable { source, .. } => InputError::CorruptArchive {
            path: label.to_owned(),
            detail: format!("entry `{entry}`: {source}"),
        },
        other => other,
    }
}

fn corrupt(label: &str, error: &ZipError) -> InputError {
    InputError::CorruptArchive { path: label.to_owned(), detail: error.to_string() }
}

fn corrupt_entry(label: &str, entry: &str, error: &ZipError) -> InputError {
    InputError::CorruptArchive {
        path: label.to_owned(),
        detail: format!("entry `{entry}`: {error}"),
    }
}
