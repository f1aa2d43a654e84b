//! Reading the run log archive GitHub serves: both layouts, jobs with only step files, the
//! junk real archives carry, and every way an archive can be bad (unsafe names, zip bombs,
//! truncated or damaged data, binary entries, nothing to read). Library calls check what each
//! job's context says; the binary checks what a user sees: JSON `file` and `line`, or exit
//! code 2 with one line naming the file.

#[path = "input_support/fixtures.rs"]
#[allow(dead_code, reason = "each test file uses its part of the fixtures")]
mod fixtures;

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gha_triage::classify::Engine;
use gha_triage::input::archive;
use gha_triage::input::{Input, InputError, Limits};
use gha_triage::triage::Report;
use gha_triage::triage::rank::{JobContext, LogSpan};
use tempfile::TempDir;

use fixtures::{FAILED_STEP, FAILURE_LINES, JOB};

/// Writes `entries` as `name` in a new temporary folder.
fn zip_of(entries: &[fixtures::Entry], stored: bool) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("logs_123.zip");
    fixtures::write_zip(&path, entries, stored);
    (dir, path)
}

/// Every job the input hands out, with its context and text; read errors become
/// `Unreadable`, as the scan's do.
fn read_all(path: &Path, limits: Limits) -> Result<Vec<(JobContext, String)>, InputError> {
    let input = Input::open(&path.display().to_string())?;
    let mut jobs = Vec::new();
    input.for_each_job(limits, &mut |context, reader| {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|source| InputError::Unreadable {
            path: context.file.clone().unwrap_or_default(),
            source,
        })?;
        jobs.push((context, String::from_utf8_lossy(&bytes).into_owned()));
        Ok(())
    })?;
    Ok(jobs)
}

fn classify(path: &Path) -> Report {
    let engine = Engine::builtin().expect("the built-in rules load");
    let input = Input::open(&path.display().to_string()).expect("opens");
    engine.classify(&input, Limits::default()).expect("classifies")
}

fn files(jobs: &[(JobContext, String)]) -> Vec<String> {
    jobs.iter().map(|(context, _)| context.file.clone().unwrap_or_default()).collect()
}

fn gha(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(args)
        .arg("--no-user-rules")
        .output()
        .expect("the binary runs")
}

fn classify_json(path: &Path) -> serde_json::Value {
    let output = gha(&["classify", "--format", "json", &path.display().to_string()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// Asserts exit code 2 and one line on standard error that names `path` and holds `needle`.
fn assert_refused(output: &Output, path: &Path, needle: &str) {
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {message}");
    assert_eq!(message.trim_end().lines().count(), 1, "one line, got: {message}");
    assert!(message.contains(&path.display().to_string()), "the path is not in {message:?}");
    assert!(message.contains(needle), "{needle:?} is not in {message:?}");
}

#[test]
fn the_older_layout_reads_each_whole_job_log_with_its_step_files_as_metadata() {
    let (_dir, path) = zip_of(&fixtures::old_layout(), false);
    let jobs = read_all(&path, Limits::default()).expect("reads");

    assert_eq!(files(&jobs), vec![format!("1_{JOB}.txt"), "2_lint.txt".to_owned()]);
    let (context, text) = &jobs[0];
    assert_eq!(context.name.as_deref(), Some(JOB));
    assert_eq!(context.span, LogSpan::Job);
    assert_eq!(text.as_bytes(), fixtures::job_log());
    let steps: Vec<(u32, &str)> =
        context.steps.iter().map(|step| (step.number, step.name.as_str())).collect();
    let expected: Vec<(u32, &str)> =
        fixtures::STEPS.iter().map(|(number, name, ..)| (*number, *name)).collect();
    assert_eq!(steps, expected);
    assert_eq!(jobs[1].0.steps.len(), 1, "lint has one step file");
}

#[test]
fn findings_in_the_older_layout_name_the_archives_step_and_count_lines_in_the_whole_log() {
    let (_dir, path) = zip_of(&fixtures::old_layout(), false);
    let report = classify(&path);

    let first = report.findings.first().expect("the failure is found");
    assert_eq!(first.file.as_deref(), Some(format!("1_{JOB}.txt").as_str()));
    assert!(FAILURE_LINES.contains(&first.line), "line {} in the whole log", first.line);
    assert_eq!(first.step.as_deref(), Some(FAILED_STEP));
    let build = &report.jobs[0];
    let names: Vec<&str> = build
        .steps
        .iter()
        .map(|step| step.name.as_str())
        .filter(|name| *name != "Waiting for a runner")
        .collect();
    assert_eq!(
        names,
        vec![
            "Set up job",
            "Run actions/checkout@v4",
            FAILED_STEP,
            "Post Run actionscheckout@v4",
            "Complete job"
        ],
        "a title that names its step keeps its `/`"
    );
}

#[test]
fn the_newer_layout_reads_whole_job_files_and_skips_system_txt() {
    let (_dir, path) = zip_of(&fixtures::new_layout(), false);
    let jobs = read_all(&path, Limits::default()).expect("reads");

    assert_eq!(files(&jobs), vec![format!("0_{JOB}.txt"), "1_lint.txt".to_owned()]);
    assert!(jobs.iter().all(|(context, _)| context.steps.is_empty()));
    let report = classify(&path);
    let first = report.findings.first().expect("the failure is found");
    assert!(FAILURE_LINES.contains(&first.line));
    assert_eq!(first.step.as_deref(), Some("Run python -m pip install tables==9.9"));
}

#[test]
fn a_job_with_only_step_files_is_read_file_by_file_in_step_order() {
    let mut entries = fixtures::step_entries();
    entries.reverse();
    let (_dir, path) = zip_of(&entries, false);
    let jobs = read_all(&path, Limits::default()).expect("reads");

    let expected: Vec<String> = fixtures::STEPS
        .iter()
        .map(|(number, name, ..)| format!("{JOB}/{number}_{name}.txt"))
        .collect();
    assert_eq!(files(&jobs), expected);
    assert!(jobs.iter().all(|(context, _)| context.span == LogSpan::Step));

    let report = classify(&path);
    let first = report.findings.first().expect("the failure is found");
    assert_eq!(first.file.as_deref(), Some(format!("{JOB}/3_{FAILED_STEP}.txt").as_str()));
    assert!((5..=7).contains(&first.line), "line {} counts in the step file", first.line);
    assert_eq!(first.step.as_deref(), Some(FAILED_STEP));
}

#[test]
fn jobs_come_in_ordinal_order_whatever_the_entry_order() {
    let mut entries = fixtures::new_layout();
    entries.insert(0, ("10_deploy.txt".into(), fixtures::lint_log()));
    entries.reverse();
    let (_dir, path) = zip_of(&entries, false);
    let jobs = read_all(&path, Limits::default()).expect("reads");
    assert_eq!(
        files(&jobs),
        vec![format!("0_{JOB}.txt"), "1_lint.txt".into(), "10_deploy.txt".into()]
    );
}

#[test]
fn an_entry_whose_name_climbs_out_refuses_the_whole_archive() {
    for name in ["../x.txt", "/etc/x.txt", "job/../../x.txt"] {
        let entries =
            vec![("1_build.txt".into(), fixtures::job_log()), (name.into(), fixtures::job_log())];
        let (_dir, path) = zip_of(&entries, false);
        let error = read_all(&path, Limits::default()).expect_err("refused");
        assert!(
            matches!(&error, InputError::UnsafeEntry { entry, .. } if entry == name),
            "{name}: {error}"
        );
    }
}

#[test]
fn unpacking_past_the_cap_refuses_the_archive() {
    let big = fixtures::job_log().repeat(100);
    let (_dir, path) = zip_of(&[("1_big.txt".into(), big)], false);
    let error = read_all(&path, Limits { max_unpacked: 10_000 }).expect_err("refused");
    assert!(matches!(error, InputError::TooLarge { limit: 10_000, .. }), "{error}");
}

#[test]
fn the_cap_counts_every_entry_together() {
    let log = fixtures::job_log();
    let entries = vec![("1_a.txt".into(), log.clone()), ("2_b.txt".into(), log.clone())];
    let (_dir, path) = zip_of(&entries, false);
    let limit = log.len() as u64 * 3 / 2;
    let error = read_all(&path, Limits { max_unpacked: limit }).expect_err("refused");
    assert!(matches!(error, InputError::TooLarge { .. }), "{error}");
    let engine = Engine::builtin().expect("rules");
    let input = Input::open(&path.display().to_string()).expect("opens");
    let error = engine.classify(&input, Limits { max_unpacked: limit }).expect_err("refused");
    assert!(matches!(error, InputError::TooLarge { .. }), "through a scan: {error}");
}

#[test]
fn a_truncated_archive_is_corrupt() {
    let (_dir, path) = zip_of(&fixtures::old_layout(), false);
    let bytes = std::fs::read(&path).expect("read");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("cut");
    let error = read_all(&path, Limits::default()).expect_err("refused");
    assert!(matches!(error, InputError::CorruptArchive { .. }), "{error}");
}

#[test]
fn a_damaged_entry_is_corrupt_and_named() {
    let (_dir, path) = zip_of(&[("1_build.txt".into(), fixtures::job_log())], true);
    let mut bytes = std::fs::read(&path).expect("read");
    let at = find(&bytes, b"Complete job name").expect("stored text");
    bytes[at..at + 8].copy_from_slice(b"XXXXXXXX");
    std::fs::write(&path, &bytes).expect("damage");

    let engine = Engine::builtin().expect("rules");
    let input = Input::open(&path.display().to_string()).expect("opens");
    let error = engine.classify(&input, Limits::default()).expect_err("refused");
    assert!(
        matches!(&error, InputError::CorruptArchive { detail, .. } if detail.contains("1_build.txt")),
        "{error}"
    );
}

#[test]
fn a_binary_entry_is_refused_naming_archive_and_entry() {
    let entries = vec![
        ("1_build.txt".into(), fixtures::job_log()),
        ("2_core.txt".into(), vec![0x7f, b'E', b'L', b'F', 0, 0]),
    ];
    let (_dir, path) = zip_of(&entries, false);
    let error = read_all(&path, Limits::default()).expect_err("refused");
    let message = error.to_string();
    assert!(matches!(error, InputError::Binary { offset: 4, .. }), "{message}");
    assert!(
        message.contains(&path.display().to_string()) && message.contains("2_core.txt"),
        "{message}"
    );
}

#[test]
fn empty_entries_are_skipped() {
    let entries =
        vec![("1_build.txt".into(), Vec::new()), ("2_lint.txt".into(), fixtures::lint_log())];
    let (_dir, path) = zip_of(&entries, false);
    let jobs = read_all(&path, Limits::default()).expect("reads");
    assert_eq!(files(&jobs), vec!["2_lint.txt".to_owned()]);
}

#[test]
fn an_archive_of_junk_and_empty_entries_has_no_logs() {
    let entries = vec![
        ("__MACOSX/._1_build.txt".into(), vec![0, 5, 22, 7]),
        ("build/".into(), Vec::new()),
        ("build/system.txt".into(), b"2025-06-01T10:00:00.0000000Z queued\n".to_vec()),
        ("1_build.txt".into(), b"\n\n".to_vec()),
        ("README.md".into(), b"not a log".to_vec()),
    ];
    let (_dir, path) = zip_of(&entries, false);
    let error = read_all(&path, Limits::default()).expect_err("nothing to read");
    assert!(matches!(error, InputError::NoLogs { .. }), "{error}");
}

#[test]
fn the_gh_cli_fixture_lists_its_real_jobs_and_steps_and_skips_the_junk() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/full/ghcli-run-log-fixture.zip");
    if !path.is_file() {
        println!("skipped: {} is absent", path.display());
        return;
    }
    let jobs = archive::list(&path).expect("lists");
    let listed: Vec<(String, Vec<String>)> = jobs
        .iter()
        .map(|job| {
            (job.name.clone(), job.steps.iter().map(|step| step.file.name.clone()).collect())
        })
        .collect();
    let emoji = format!("Emoji Test {}\u{FFFD}", "😅".repeat(39));
    let long = format!("{}thisisnine", "thisisnineteenchars_".repeat(4));
    let expected = [
        (emoji.as_str(), vec!["1_Emoji Job.txt"]),
        ("ad job", vec!["1_barf the quux.txt"]),
        ("cool job", vec!["1_fob the barz.txt", "2_barz the fob.txt"]),
        ("cool job  with colon", vec!["1_fob the barz.txt"]),
        ("cool job  with slash", vec!["1_fob the barz.txt"]),
        ("sad job", vec!["1_barf the quux.txt", "2_quux the barf.txt"]),
        (long.as_str(), vec!["1_Long Name Job.txt"]),
    ];
    let expected: Vec<(String, Vec<String>)> = expected
        .iter()
        .map(|(job, steps)| {
            let files = steps.iter().map(|step| format!("{job}/{step}")).collect();
            ((*job).to_owned(), files)
        })
        .collect();
    assert_eq!(listed, expected);

    let read = read_all(&path, Limits::default()).expect("reads every step file");
    assert_eq!(read.len(), 9);
    let junk = read.iter().filter(|(context, _)| {
        context
            .file
            .as_deref()
            .is_none_or(|file| file.contains("__MACOSX") || file.contains(".DS_Store"))
    });
    assert_eq!(junk.count(), 0);
}

#[test]
fn the_cli_gives_the_file_and_the_line_in_the_whole_job_log() {
    let (_dir, path) = zip_of(&fixtures::old_layout(), false);
    let json = classify_json(&path);
    let first = &json["findings"][0];
    assert_eq!(first["file"], format!("1_{JOB}.txt"));
    assert!(FAILURE_LINES.contains(&first["line"].as_u64().expect("a line")), "{first}");
    assert_eq!(first["step"], FAILED_STEP);
    assert_eq!(first["job"], JOB);
}

#[test]
fn a_run_log_zip_piped_to_standard_input_is_read_as_the_archive_it_is() {
    let (_dir, path) = zip_of(&fixtures::old_layout(), false);
    let from_file = classify_json(&path);
    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["classify", "--format", "json", "--no-user-rules", "-"])
        .stdin(std::fs::File::open(&path).expect("the zip"))
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let from_stdin: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(from_stdin["findings"], from_file["findings"]);
    assert_eq!(from_stdin["findings"][0]["file"], format!("1_{JOB}.txt"));
}

#[test]
fn the_cli_refuses_a_zip_bomb_by_counting_what_it_unpacks() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("bomb.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    let options = zip::write::SimpleFileOptions::default().large_file(true);
    zip.start_file("1_build.txt", options).expect("start");
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..50 {
        io::Write::write_all(&mut zip, &zeros).expect("write");
    }
    zip.finish().expect("finish");
    assert!(std::fs::metadata(&path).expect("written").len() < 1 << 20, "it is a bomb");

    let output = gha(&[
        "classify",
        "--format",
        "json",
        "--max-unpacked",
        "1000000",
        &path.display().to_string(),
    ]);
    assert_refused(&output, &path, "more than 1000000 bytes");
}

#[test]
fn the_cli_refuses_bad_archives_with_one_line_naming_the_file() {
    let good = || vec![("1_build.txt".to_owned(), fixtures::job_log())];
    let mut unsafe_name = good();
    unsafe_name.push(("../x.txt".into(), fixtures::job_log()));
    let mut binary = good();
    binary.push(("2_core.txt".into(), vec![0; 64]));

    for (entries, cut, needle) in [
        (unsafe_name, false, "entry `../x.txt` has an unsafe path"),
        (binary, false, "2_core.txt"),
        (good(), true, "corrupt or truncated"),
    ] {
        let (_dir, path) = zip_of(&entries, false);
        if cut {
            let bytes = std::fs::read(&path).expect("read");
            std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("cut");
        }
        let output = gha(&["classify", "--format", "json", &path.display().to_string()]);
        assert_refused(&output, &path, needle);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}
