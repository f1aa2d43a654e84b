//! Which entries of a run log archive (or a folder laid out like one) hold which job's log:
//! top-level whole-job files `<N>_<job>.txt` (legacy `-<id>_<job>.txt`), per-step files
//! `<job folder>/<N>_<step>.txt`, and the junk to skip (`__MACOSX/`, hidden files,
//! `system.txt`, folders). Works on entry names, plus a look at the first line of a file the
//! caller opens where names alone are ambiguous; it opens nothing itself.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;

use super::names;
use crate::joblog::{Marker, StepMeta, line};
use crate::triage::rank::{JobContext, LogSpan};

/// Extensions of log files at the top level (compared without regard to case).
const LOG_EXTENSIONS: [&str; 2] = [".txt", ".log"];

/// How much of a top-level file is read to tell a "Prepare job" log from a job's log.
const PROBE_BYTES: u64 = 256;

/// The first line of the log GitHub keeps of preparing a job (matrix, timeout, display name).
const PREPARE_JOB: &[u8] = b"Starting: Prepare job";

/// One file of the layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogFile {
    /// The caller's handle for it (an index into the caller's own list of entries).
    pub id: usize,
    /// Its name inside the archive or folder, `/`-separated.
    pub name: String,
}

/// A per-step file of a job folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepFile {
    /// The step, from the file name `<number>_<name>.txt`.
    pub step: StepMeta,
    /// The file.
    pub file: LogFile,
}

/// A job and the files that hold its log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobFiles {
    /// The job's name as the archive spells it.
    pub name: String,
    /// The number in front of the whole-job file's name (not a job id, except when negative).
    pub ordinal: Option<i64>,
    /// The whole job's log, when the archive has it.
    pub whole: Option<LogFile>,
    /// The job folder's per-step files, in step-number order.
    pub steps: Vec<StepFile>,
}

/// What an entry's name says it is.
enum Entry {
    Whole { ordinal: Option<i64>, job: String },
    Step { folder: String, step: StepMeta },
    Junk,
}

/// A top-level file while folders are being paired with it.
struct Whole {
    ordinal: Option<i64>,
    job: String,
    file: LogFile,
    folder: Option<String>,
}

/// The jobs found among `entries` (`(id, name)` pairs), in a stable order: by ordinal, then
/// name. `is_prepare(id)` says whether a top-level file is a "Prepare job" log; it is asked
/// only about files that could belong to a job folder.
pub fn jobs(
    entries: impl IntoIterator<Item = (usize, String)>,
    is_prepare: &mut dyn FnMut(usize) -> bool,
) -> Vec<JobFiles> {
    let mut wholes = Vec::new();
    let mut folders: BTreeMap<String, Vec<StepFile>> = BTreeMap::new();
    for (id, name) in entries {
        match entry(&name) {
            Entry::Whole { ordinal, job } => {
                wholes.push(Whole { ordinal, job, file: LogFile { id, name }, folder: None });
            }
            Entry::Step { folder, step } => {
                folders
                    .entry(folder)
                    .or_default()
                    .push(StepFile { step, file: LogFile { id, name } });
            }
            Entry::Junk => {}
        }
    }
    for steps in folders.values_mut() {
        steps.sort_by(|a, b| (a.step.number, &a.file.name).cmp(&(b.step.number, &b.file.name)));
    }

    let folder_names: Vec<String> = folders.keys().cloned().collect();
    let paired = pair(&mut wholes, &folder_names, is_prepare);
    let mut jobs: Vec<JobFiles> = wholes
        .into_iter()
        .map(|whole| {
            let steps = whole.folder.and_then(|folder| folders.remove(&folder)).unwrap_or_default();
            JobFiles { name: whole.job, ordinal: whole.ordinal, whole: Some(whole.file), steps }
        })
        .collect();
    jobs.extend(
        folders
            .into_iter()
            .filter(|(folder, _)| !paired.contains(folder))
            .map(|(folder, steps)| JobFiles { name: folder, ordinal: None, whole: None, steps }),
    );
    jobs.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    jobs
}

impl JobFiles {
    /// The files to read for this job, each with the context its findings carry: the whole
    /// log with every step as metadata, or else each step file on its own.
    pub fn reads(&self) -> Vec<(&LogFile, JobContext)> {
        let context = |file: &LogFile, steps: Vec<StepMeta>, span: LogSpan| JobContext {
            name: Some(self.name.clone()),
            file: Some(file.name.clone()),
            steps,
            span,
            ..JobContext::default()
        };
        if let Some(whole) = &self.whole {
            let steps = self.steps.iter().map(|step| step.step.clone()).collect();
            return vec![(whole, context(whole, steps, LogSpan::Job))];
        }
        self.steps
            .iter()
            .map(|step| (&step.file, context(&step.file, vec![step.step.clone()], LogSpan::Step)))
            .collect()
    }
}

/// Pairs each job folder with its whole-job file, as `gh` does but stricter: names anchored
/// at both ends, "Prepare job" logs set aside, exact names before dedup-suffixed ones, and a
/// folder with several candidates left unpaired (its step files are then not read either: the
/// whole log is among the candidates, read on its own). Returns the folders dealt with.
fn pair(
    wholes: &mut [Whole],
    folders: &[String],
    is_prepare: &mut dyn FnMut(usize) -> bool,
) -> HashSet<String> {
    let mut prepare: HashMap<usize, bool> = HashMap::new();
    let mut dealt = HashSet::new();
    let passes =
        [false, true].into_iter().flat_map(|dedup| folders.iter().map(move |f| (dedup, f)));
    for (dedup, folder) in passes {
        if dealt.contains(folder) {
            continue;
        }
        let candidates: Vec<usize> = (0..wholes.len())
            .filter(|&index| wholes[index].folder.is_none())
            .filter(|&index| fits(folder, &wholes[index].job, dedup))
            .filter(|&index| {
                let id = wholes[index].file.id;
                !*prepare.entry(id).or_insert_with(|| is_prepare(id))
            })
            .collect();
        match candidates.as_slice() {
            [] => continue,
            [only] => claim(&mut wholes[*only], folder, dedup),
            _ => tracing::debug!(folder, "several whole-job files fit this job folder"),
        }
        dealt.insert(folder.clone());
    }
    dealt
}

/// Makes `whole` the log of `folder`; a file found under a dedup suffix takes the folder's name.
fn claim(whole: &mut Whole, folder: &str, dedup: bool) {
    whole.folder = Some(folder.to_owned());
    if dedup {
        folder.clone_into(&mut whole.job);
    }
}

/// Whether a log starts like the "Prepare job" log GitHub files under a job's name
/// (`##[section]Starting: Prepare job …`); reads a few hundred bytes at most.
pub fn is_prepare_log(log: impl Read) -> bool {
    let mut start = Vec::new();
    if log.take(PROBE_BYTES).read_to_end(&mut start).is_err() {
        return false;
    }
    let first = start.split(|byte| *byte == b'\n').next().unwrap_or_default();
    let parts = line::split(first, false);
    parts.marker == Marker::Other && parts.message.starts_with(PREPARE_JOB)
}

fn fits(folder: &str, job: &str, dedup: bool) -> bool {
    if !dedup {
        return names::same_job(folder, job);
    }
    names::without_dedup_suffix(job).is_some_and(|base| names::same_job(folder, base))
}

fn order_key(job: &JobFiles) -> (bool, i64, &str, &str) {
    let file = job.whole.as_ref().or(job.steps.first().map(|step| &step.file));
    (job.ordinal.is_none(), job.ordinal.unwrap_or(0), &job.name, file.map_or("", |f| &f.name))
}

/// Reads an entry name; anything that is not a log file of the layout is junk.
fn entry(name: &str) -> Entry {
    let parts: Vec<&str> = name.split('/').collect();
    let junk = parts.iter().any(|part| part.is_empty() || part.starts_with('.'))
        || parts[0] == "__MACOSX"
        || parts.last().is_some_and(|file| file.eq_ignore_ascii_case("system.txt"));
    if junk {
        return Entry::Junk;
    }
    match parts.as_slice() {
        [file] => whole_entry(file),
        [folder, file] => step_entry(folder, file),
        _ => Entry::Junk,
    }
}

fn whole_entry(file: &str) -> Entry {
    let Some(stem) = LOG_EXTENSIONS.iter().find_map(|extension| strip_extension(file, extension))
    else {
        return Entry::Junk;
    };
    match numbered(stem, true) {
        Some((ordinal, job)) => Entry::Whole { ordinal: Some(ordinal), job: job.to_owned() },
        None => Entry::Whole { ordinal: None, job: stem.to_owned() },
    }
}

fn step_entry(folder: &str, file: &str) -> Entry {
    let Some((number, name)) = strip_extension(file, ".txt").and_then(|stem| numbered(stem, false))
    else {
        return Entry::Junk;
    };
    let Ok(number) = u32::try_from(number) else { return Entry::Junk };
    Entry::Step {
        folder: folder.to_owned(),
        step: StepMeta { number, name: name.to_owned(), window: None },
    }
}

/// Splits `<digits>_<rest>` (or `-<digits>_<rest>` when `signed`) into the number and the rest.
fn numbered(stem: &str, signed: bool) -> Option<(i64, &str)> {
    let (number, rest) = stem.split_once('_')?;
    let digits = if signed { number.strip_prefix('-').unwrap_or(number) } else { number };
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) || rest.is_empty() {
        return None;
    }
    Some((number.parse().ok()?, rest))
}

fn strip_extension<'a>(file: &'a str, extension: &str) -> Option<&'a str> {
    let cut = file.len().checked_sub(extension.len())?;
    let stem = file.get(..cut)?;
    let tail = file.get(cut..)?;
    (tail.eq_ignore_ascii_case(extension) && !stem.is_empty()).then_some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(names: &[&str], prepare: &[&str]) -> Vec<JobFiles> {
        let entries: Vec<(usize, String)> =
            names.iter().enumerate().map(|(id, name)| (id, (*name).to_owned())).collect();
        let prepare_ids: Vec<usize> = prepare
            .iter()
            .map(|name| names.iter().position(|n| n == name).expect("listed"))
            .collect();
        jobs(entries, &mut |id| prepare_ids.contains(&id))
    }

    fn summary(jobs: &[JobFiles]) -> Vec<(String, Option<String>, Vec<u32>)> {
        jobs.iter()
            .map(|job| {
                let whole = job.whole.as_ref().map(|file| file.name.clone());
                (job.name.clone(), whole, job.steps.iter().map(|step| step.step.number).collect())
            })
            .collect()
    }

    #[test]
    fn job_folders_pair_with_their_whole_job_files() {
        let jobs = layout(
            &[
                "2_test.txt",
                "test/",
                "test/2_Run tests.txt",
                "test/10_Post Run actionscheckout@v4.txt",
                "test/1_Set up job.txt",
                "test/system.txt",
                "1_build.txt",
            ],
            &[],
        );
        assert_eq!(
            summary(&jobs),
            vec![
                ("build".to_owned(), Some("1_build.txt".to_owned()), vec![]),
                ("test".to_owned(), Some("2_test.txt".to_owned()), vec![1, 2, 10]),
            ]
        );
        assert_eq!(jobs[1].steps[2].step.name, "Post Run actionscheckout@v4");
    }

    #[test]
    fn junk_entries_are_skipped() {
        let jobs = layout(
            &[
                "__MACOSX/job/._1_step.txt",
                "job/.DS_Store",
                ".hidden.txt",
                "job/notes.md",
                "job/deeper/1_x.txt",
                "README",
                "job/1_step.txt",
            ],
            &[],
        );
        assert_eq!(summary(&jobs), vec![("job".to_owned(), None, vec![1])]);
    }

    #[test]
    fn a_prepare_job_file_under_the_same_name_is_not_the_job_log() {
        let names = [
            "1_Build source distribution.txt",
            "1_Build source distribution (1).txt",
            "Build source distribution/1_Set up job.txt",
            "1_Twine check.txt",
            "5_Twine check.txt",
            "Twine check/1_Set up job.txt",
        ];
        let jobs = layout(&names, &["1_Build source distribution.txt", "5_Twine check.txt"]);
        let paired: Vec<_> = summary(&jobs).into_iter().filter(|job| !job.2.is_empty()).collect();
        assert_eq!(
            paired,
            vec![
                (
                    "Build source distribution".to_owned(),
                    Some("1_Build source distribution (1).txt".to_owned()),
                    vec![1]
                ),
                ("Twine check".to_owned(), Some("1_Twine check.txt".to_owned()), vec![1]),
            ]
        );
        assert_eq!(jobs.len(), 4, "the prepare-job files are still read, as jobs of their own");
    }

    #[test]
    fn two_whole_files_for_one_folder_pair_with_neither() {
        let jobs = layout(&["1_lint.txt", "2_lint.txt", "lint/1_Set up job.txt"], &[]);
        assert_eq!(
            summary(&jobs),
            vec![
                ("lint".to_owned(), Some("1_lint.txt".to_owned()), vec![]),
                ("lint".to_owned(), Some("2_lint.txt".to_owned()), vec![]),
            ]
        );
    }

    #[test]
    fn a_matrix_name_in_parentheses_is_not_taken_for_a_dedup_suffix() {
        let jobs = layout(&["1_test.txt", "2_test (1).txt", "test/1_Set up job.txt"], &[]);
        assert_eq!(summary(&jobs)[0], ("test".to_owned(), Some("1_test.txt".to_owned()), vec![1]));
        assert_eq!(
            summary(&jobs)[1],
            ("test (1)".to_owned(), Some("2_test (1).txt".to_owned()), vec![])
        );
    }

    #[test]
    fn new_layout_files_and_legacy_ids_are_jobs_in_ordinal_order() {
        let jobs =
            layout(&["10_deploy.txt", "2_build.txt", "-2147483648_old.txt", "notes.log"], &[]);
        let names: Vec<_> = jobs.iter().map(|job| (job.name.as_str(), job.ordinal)).collect();
        assert_eq!(
            names,
            vec![
                ("old", Some(-2_147_483_648)),
                ("build", Some(2)),
                ("deploy", Some(10)),
                ("notes", None)
            ]
        );
    }

    #[test]
    fn a_job_with_only_step_files_is_read_step_by_step() {
        let jobs = layout(&["cool job/2_b.txt", "cool job/1_a.txt"], &[]);
        let reads: Vec<_> = jobs[0]
            .reads()
            .into_iter()
            .map(|(file, context)| (file.name.clone(), context.span, context.steps[0].number))
            .collect();
        assert_eq!(
            reads,
            vec![
                ("cool job/1_a.txt".to_owned(), LogSpan::Step, 1),
                ("cool job/2_b.txt".to_owned(), LogSpan::Step, 2),
            ]
        );
    }
}
