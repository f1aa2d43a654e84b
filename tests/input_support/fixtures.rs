//! Job logs in the runner's real format, laid out the ways GitHub serves them: the older run
//! log archive (per-step files beside the whole-job file), the newer one (whole-job files only,
//! plus `system.txt`), and the same layouts as folders. Written into temporary folders by the
//! tests that use them; nothing here is read from the shared corpus.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::Write as _;
use std::path::Path;

use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// The job the fixtures log.
pub const JOB: &str = "build (3.10)";

/// The whole job's log, one line per row; rows 25 to 27 are the failure, in the step the
/// archive calls "Install tables on 3.10".
const ROWS: [&str; 31] = [
    "Requested labels: ubuntu-latest",
    "Job defined at: octo-org/app/.github/workflows/ci.yml@refs/heads/main",
    "Waiting for a runner to pick up this job...",
    "Current runner version: '2.325.0'",
    "##[group]Operating System",
    "Ubuntu",
    "24.04.2",
    "LTS",
    "##[endgroup]",
    "Secret source: Actions",
    "Prepare workflow directory",
    "Prepare all required actions",
    "Getting action download info",
    "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)",
    "Complete job name: build (3.10)",
    "##[group]Run actions/checkout@v4",
    "with:",
    "  repository: octo-org/app",
    "##[endgroup]",
    "Syncing repository: octo-org/app",
    "##[group]Run python -m pip install tables==9.9",
    "\u{1b}[36;1mpython -m pip install tables==9.9\u{1b}[0m",
    "shell: /usr/bin/bash -e {0}",
    "##[endgroup]",
    "ERROR: Could not find a version that satisfies the requirement tables==9.9 (from versions: 3.9.0, 3.9.1)",
    "ERROR: No matching distribution found for tables==9.9",
    "##[error]Process completed with exit code 1.",
    "Post job cleanup.",
    "[command]/usr/bin/git version",
    "git version 2.49.0",
    "Cleaning up orphan processes",
];

/// The archive's step files: number, name, and the rows (1-based, inclusive) they hold.
/// Step 4 ("Run tests") was skipped and has no file.
pub const STEPS: [(u32, &str, usize, usize); 5] = [
    (1, "Set up job", 4, 15),
    (2, "Run actionscheckout@v4", 16, 20),
    (3, "Install tables on 3.10", 21, 27),
    (5, "Post Run actionscheckout@v4", 28, 30),
    (6, "Complete job", 31, 31),
];

/// The step the failure is in, as the archive names it.
pub const FAILED_STEP: &str = "Install tables on 3.10";

/// Lines of the whole log that hold the failure.
pub const FAILURE_LINES: std::ops::RangeInclusive<u64> = 25..=27;

/// An entry: its name (a trailing `/` makes a folder) and its bytes.
pub type Entry = (String, Vec<u8>);

/// Rows `from..=to` (1-based) with the runner's timestamps and the first line's BOM.
pub fn log_rows(from: usize, to: usize) -> Vec<u8> {
    let mut text = String::new();
    for row in from..=to {
        if row == from {
            text.push('\u{feff}');
        }
        let seconds = row / 10;
        let fraction = row % 10;
        let row_text = ROWS[row - 1];
        writeln!(text, "2025-06-01T10:00:{seconds:02}.{fraction}000000Z {row_text}")
            .expect("writing to a string");
    }
    text.into_bytes()
}

/// The whole job's log.
pub fn job_log() -> Vec<u8> {
    log_rows(1, ROWS.len())
}

/// A second job's log, for layouts with more than one job.
pub fn lint_log() -> Vec<u8> {
    b"2025-06-01T10:00:00.0000000Z Current runner version: '2.325.0'\n\
2025-06-01T10:00:01.0000000Z Complete job name: lint\n\
2025-06-01T10:00:02.0000000Z ##[group]Run ruff check .\n\
2025-06-01T10:00:02.1000000Z ##[endgroup]\n\
2025-06-01T10:00:03.0000000Z All checks passed!\n\
2025-06-01T10:00:04.0000000Z Cleaning up orphan processes\n"
        .to_vec()
}

/// The lint job's "Set up job" step file.
pub fn lint_set_up() -> Vec<u8> {
    let log = lint_log();
    let second_newline = log.iter().enumerate().filter(|(_, b)| **b == b'\n').nth(1).unwrap().0;
    log[..=second_newline].to_vec()
}

/// The job folder's step files.
pub fn step_entries() -> Vec<Entry> {
    let mut entries = vec![(format!("{JOB}/"), Vec::new())];
    for (number, name, from, to) in STEPS {
        entries.push((format!("{JOB}/{number}_{name}.txt"), log_rows(from, to)));
    }
    entries
}

/// The older layout: whole-job files beside job folders of step files, with macOS junk.
pub fn old_layout() -> Vec<Entry> {
    let mut entries = vec![(format!("1_{JOB}.txt"), job_log()), ("2_lint.txt".into(), lint_log())];
    entries.extend(step_entries());
    entries.push(("lint/".into(), Vec::new()));
    entries.push(("lint/1_Set up job.txt".into(), lint_set_up()));
    entries.push((format!("__MACOSX/{JOB}/._1_Set up job.txt"), vec![0, 5, 22, 7, 0, 2]));
    entries.push((format!("{JOB}/.DS_Store"), vec![0, 0, 0, 1, 66, 117, 100, 49]));
    entries
}

/// The newer layout: only whole-job files, and each job folder's `system.txt`.
pub fn new_layout() -> Vec<Entry> {
    vec![
        (format!("0_{JOB}.txt"), job_log()),
        ("1_lint.txt".into(), lint_log()),
        (format!("{JOB}/"), Vec::new()),
        (
            format!("{JOB}/system.txt"),
            b"2025-06-01T10:00:00.0000000Z Job is about to start running on the runner\n".to_vec(),
        ),
    ]
}

/// Writes `entries` as a zip archive at `path`, deflated unless `stored`.
pub fn write_zip(path: &Path, entries: &[Entry], stored: bool) {
    let mut zip = ZipWriter::new(File::create(path).expect("create the zip"));
    let method =
        if stored { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
    let options = SimpleFileOptions::default().compression_method(method).large_file(true);
    for (name, bytes) in entries {
        if let Some(folder) = name.strip_suffix('/') {
            zip.add_directory(folder, options).expect("add a folder");
            continue;
        }
        zip.start_file(name, options).expect("start an entry");
        zip.write_all(bytes).expect("write an entry");
    }
    zip.finish().expect("finish the zip");
}

/// Writes `entries` as files under `root`.
pub fn write_folder(root: &Path, entries: &[Entry]) {
    for (name, bytes) in entries {
        let path = root.join(name);
        if name.ends_with('/') {
            fs::create_dir_all(&path).expect("create a folder");
            continue;
        }
        fs::create_dir_all(path.parent().expect("inside root")).expect("create the parent");
        fs::write(&path, bytes).expect("write a file");
    }
}
