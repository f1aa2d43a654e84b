//! How well the step splitter finds the runner's step boundaries, measured on real logs whose
//! steps are known: a run log archive in the older layout (per-step files beside each whole-job
//! file), and `gh run view --log` output (a step column before each line). Each whole job log
//! is split with the `Stepper`, and a step counts when it comes out as exactly one segment.
//! The logs are evaluation data read in place from `../shared/corpus`; a test whose data is
//! absent is skipped with a note. Run with `cargo test --test step_split -- --nocapture` to
//! see the figures.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use gha_triage::input::archive::{self, layout::JobFiles};
use gha_triage::joblog::{Segment, Stepper, align, line};
use gha_triage::rules::Matcher;
use gha_triage::triage::scan::Scanner;
use zip::ZipArchive;

/// Share of step files that must come out as one segment each.
const FLOOR: f64 = 0.95;

type Zip = ZipArchive<BufReader<File>>;

/// A matcher without rules: its prefilter picks only the structural lines.
static MATCHER: std::sync::LazyLock<Matcher> =
    std::sync::LazyLock::new(|| Matcher::new(&[]).expect("an empty matcher builds"));

fn corpus(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/full").join(name);
    if path.exists() {
        return Some(path);
    }
    println!("skipped: {} is absent", path.display());
    None
}

fn open(path: &Path) -> (Zip, Vec<JobFiles>) {
    let jobs = archive::list(path).expect("the archive lists");
    let zip = ZipArchive::new(BufReader::new(File::open(path).expect("open"))).expect("zip");
    (zip, jobs)
}

fn text_of(zip: &mut Zip, id: usize) -> String {
    let mut bytes = Vec::new();
    zip.by_index(id).expect("entry").read_to_end(&mut bytes).expect("read");
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A line as compared: no byte-order mark, no timestamp, no carriage return.
fn comparable(raw: &str) -> String {
    let bytes = line::trim_line_end(raw.as_bytes());
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let (_, rest) = line::split_timestamp(bytes);
    let rest = rest.strip_prefix("\u{feff}".as_bytes()).unwrap_or(rest);
    String::from_utf8_lossy(rest).into_owned()
}

fn segments_of(lines: &[&str]) -> Vec<Segment> {
    let mut stepper = Stepper::new(false);
    for (index, raw) in lines.iter().enumerate() {
        stepper.observe(index as u64 + 1, &line::split(raw.as_bytes(), false));
    }
    stepper.into_segments()
}

/// The lines of each segment, as compared.
fn segment_texts(lines: &[String], segments: &[Segment]) -> Vec<Vec<String>> {
    let starts: Vec<usize> =
        segments.iter().map(|s| usize::try_from(s.first_line - 1).unwrap()).collect();
    let ends = starts.iter().skip(1).copied().chain(std::iter::once(lines.len()));
    starts.iter().zip(ends).map(|(&start, end)| lines[start.min(end)..end].to_vec()).collect()
}

/// Step files seen, those equal to one segment (also when the scanner picks the lines the
/// stepper sees), matched segments `align` did not name after their step file, and the misses.
struct Tally {
    files: usize,
    matched: usize,
    matched_in_scan: usize,
    wrong_names: Vec<String>,
    misses: Vec<String>,
}

fn measure(zip: &mut Zip, job: &JobFiles, tally: &mut Tally) {
    let Some(whole) = &job.whole else { return };
    let text = text_of(zip, whole.id);
    let raw_lines: Vec<&str> = text.lines().collect();
    let lines: Vec<String> = raw_lines.iter().map(|raw| comparable(raw)).collect();
    let segments = segments_of(&raw_lines);
    let texts = segment_texts(&lines, &segments);
    let scanned = Scanner::new(&[], &MATCHER).scan(text.as_bytes()).expect("scan").segments;
    let scanned_texts = segment_texts(&lines, &scanned);
    let steps: Vec<_> = job.steps.iter().map(|step| step.step.clone()).collect();
    let names = align(&segments, &steps);

    for step in &job.steps {
        tally.files += 1;
        let step_text = text_of(zip, step.file.id);
        let step_lines: Vec<String> = step_text.lines().map(comparable).collect();
        let Some(index) = texts.iter().position(|segment| *segment == step_lines) else {
            tally.misses.push(format!("{} — {}", job.name, step.step.name));
            continue;
        };
        tally.matched += 1;
        tally.matched_in_scan += usize::from(scanned_texts.contains(&step_lines));
        let forms = names[index].as_deref().map(archive::names::archive_forms);
        if !forms.is_some_and(|forms| forms.contains(&step.step.name)) {
            tally
                .wrong_names
                .push(format!("{}: {:?} for {}", job.name, names[index], step.step.name));
        }
    }
}

#[test]
fn whole_job_logs_split_into_the_archives_step_files() {
    let Some(path) = corpus("pytables-wheels-run-200-logs.zip") else { return };
    let (mut zip, jobs) = open(&path);
    let mut tally = Tally {
        files: 0,
        matched: 0,
        matched_in_scan: 0,
        wrong_names: Vec::new(),
        misses: Vec::new(),
    };
    for job in &jobs {
        measure(&mut zip, job, &mut tally);
    }

    #[expect(clippy::cast_precision_loss, reason = "a few hundred files")]
    let share = tally.matched as f64 / tally.files as f64;
    println!("step files matched: {}/{} ({:.1}%)", tally.matched, tally.files, share * 100.0);
    println!(
        "  of those, also when a scan picks the lines: {} (the scan shows the stepper only the \
         lines its prefilter picks)",
        tally.matched_in_scan
    );
    for miss in &tally.misses {
        println!("  not one segment: {miss}");
    }
    assert!(tally.files > 100, "the archive's step files were found ({})", tally.files);
    assert!(share >= FLOOR, "{:.1}% is below the floor of {:.0}%", share * 100.0, FLOOR * 100.0);
    assert!(tally.wrong_names.is_empty(), "align did not name these: {:#?}", tally.wrong_names);
}

#[test]
fn every_job_folder_of_the_archive_has_its_whole_job_log() {
    let Some(path) = corpus("pytables-wheels-run-200-logs.zip") else { return };
    let (_, jobs) = open(&path);
    let folders_without_log: Vec<_> =
        jobs.iter().filter(|job| job.whole.is_none()).map(|job| job.name.clone()).collect();
    assert!(folders_without_log.is_empty(), "{folders_without_log:?}");
    let with_steps = jobs.iter().filter(|job| !job.steps.is_empty()).count();
    assert_eq!(with_steps, 18, "the run has 18 jobs");
    let sdist =
        jobs.iter().find(|job| job.name == "Build source distribution" && !job.steps.is_empty());
    let sdist = sdist.expect("the sdist job");
    assert_eq!(
        sdist.whole.as_ref().map(|file| file.name.as_str()),
        Some("1_Build source distribution (1).txt"),
        "the other file under that name is the Prepare job log"
    );
}

#[test]
fn gh_output_splits_into_its_step_column() {
    let Some(folder) = corpus("breakages/cidiff_11") else { return };
    let (mut steps, mut matched) = (0, 0);
    for log in ["fail.log", "pass.log"] {
        let text = std::fs::read_to_string(folder.join(log)).expect("read");
        let rows: Vec<(&str, &str)> = text
            .lines()
            .map(|row| {
                let mut columns = row.splitn(3, '\t');
                let (_, step) = (columns.next(), columns.next().unwrap_or_default());
                (step, columns.next().unwrap_or_default())
            })
            .collect();
        let raw_lines: Vec<&str> = rows.iter().map(|(_, raw)| *raw).collect();
        let lines: Vec<String> = raw_lines.iter().map(|raw| comparable(raw)).collect();
        let texts = segment_texts(&lines, &segments_of(&raw_lines));

        let mut start = 0;
        while start < rows.len() {
            let end =
                (start..rows.len()).find(|&row| rows[row].0 != rows[start].0).unwrap_or(rows.len());
            steps += 1;
            matched += usize::from(texts.contains(&lines[start..end].to_vec()));
            start = end;
        }
    }
    println!("gh output steps matched: {matched}/{steps}");
    assert_eq!(matched, steps);
}
