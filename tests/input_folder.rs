//! Reading a folder of logs: laid out like the run log archive, or holding plain log files;
//! symlinks, hidden files and junk left alone; and the folders that hold nothing to read.
//! Library calls check each job's context; the binary checks what a user sees.

#[path = "input_support/fixtures.rs"]
#[allow(dead_code, reason = "each test file uses its part of the fixtures")]
mod fixtures;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use gha_triage::input::{Input, InputError, Limits};
use gha_triage::triage::rank::{JobContext, LogSpan};
use tempfile::TempDir;

use fixtures::{FAILED_STEP, FAILURE_LINES, JOB};

fn folder_of(entries: &[fixtures::Entry]) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    fixtures::write_folder(dir.path(), entries);
    dir
}

/// Every job the folder hands out, with its context and text.
fn read_all(path: &Path) -> Result<Vec<(JobContext, String)>, InputError> {
    let input = Input::open(&path.display().to_string())?;
    assert!(matches!(input, Input::Folder(_)));
    let mut jobs = Vec::new();
    input.for_each_job(Limits::default(), &mut |context, reader| {
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

/// Asserts exit code 2 and one line on standard error that names `path` and holds `needle`.
fn assert_refused(output: &Output, path: &Path, needle: &str) {
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {message}");
    assert_eq!(message.trim_end().lines().count(), 1, "one line, got: {message}");
    assert!(message.contains(&path.display().to_string()), "the path is not in {message:?}");
    assert!(message.contains(needle), "{needle:?} is not in {message:?}");
}

#[test]
fn a_folder_in_the_archive_layout_reads_like_the_archive() {
    let dir = folder_of(&fixtures::old_layout());
    let jobs = read_all(dir.path()).expect("reads");

    assert_eq!(files(&jobs), vec![format!("1_{JOB}.txt"), "2_lint.txt".to_owned()]);
    let (context, text) = &jobs[0];
    assert_eq!(context.name.as_deref(), Some(JOB));
    assert_eq!(context.span, LogSpan::Job);
    assert_eq!(context.steps.len(), fixtures::STEPS.len());
    assert_eq!(text.as_bytes(), fixtures::job_log());
}

#[test]
fn a_folder_of_job_folders_alone_reads_each_step_file() {
    let dir = folder_of(&fixtures::step_entries());
    let jobs = read_all(dir.path()).expect("reads");
    assert_eq!(jobs.len(), fixtures::STEPS.len());
    assert_eq!(jobs[2].0.file.as_deref(), Some(format!("{JOB}/3_{FAILED_STEP}.txt").as_str()));
    assert_eq!(jobs[2].0.span, LogSpan::Step);
}

#[test]
fn a_folder_of_plain_logs_makes_one_job_per_file_named_by_its_stem() {
    let dir = folder_of(&[
        ("build.log".into(), fixtures::job_log()),
        ("lint.txt".into(), fixtures::lint_log()),
        ("notes.md".into(), b"# not a log\n".to_vec()),
    ]);
    let jobs = read_all(dir.path()).expect("reads");
    let names: Vec<_> = jobs.iter().map(|(context, _)| context.name.clone().unwrap()).collect();
    assert_eq!(names, vec!["build", "lint"]);
    assert_eq!(files(&jobs), vec!["build.log", "lint.txt"]);
}

#[test]
fn symlinks_hidden_files_and_junk_are_skipped() {
    let dir = folder_of(&[
        ("1_build.txt".into(), fixtures::job_log()),
        (".2_hidden.txt".into(), fixtures::lint_log()),
        (".cache/3_inside_hidden.txt".into(), fixtures::lint_log()),
        ("__MACOSX/._1_build.txt".into(), vec![0, 5, 22, 7]),
        ("build/system.txt".into(), fixtures::lint_log()),
    ]);
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("1_build.txt"), dir.path().join("4_link.txt"))
        .expect("a symlink");
    let jobs = read_all(dir.path()).expect("reads");
    assert_eq!(files(&jobs), vec!["1_build.txt"]);
}

#[test]
fn an_empty_folder_has_no_logs() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let error = read_all(dir.path()).expect_err("nothing to read");
    assert!(matches!(error, InputError::NoLogs { .. }), "{error}");

    let output = gha(&["classify", "--format", "json", &dir.path().display().to_string()]);
    assert_refused(&output, dir.path(), "no log files");
}

#[test]
fn a_folder_without_logs_has_no_logs() {
    let dir = folder_of(&[
        ("README.md".into(), b"# runs\n".to_vec()),
        ("empty.log".into(), Vec::new()),
        ("blank.txt".into(), b"\n \n".to_vec()),
        ("deep/er/1_x.txt".into(), fixtures::job_log()),
    ]);
    let error = read_all(dir.path()).expect_err("nothing to read");
    assert!(matches!(error, InputError::NoLogs { .. }), "{error}");

    let output = gha(&["classify", "--format", "json", &dir.path().display().to_string()]);
    assert_refused(&output, dir.path(), "no log files");
}

#[test]
fn a_binary_file_in_a_folder_is_refused_by_name() {
    let dir = folder_of(&[
        ("1_build.txt".into(), fixtures::job_log()),
        ("2_core.log".into(), vec![0x7f, b'E', b'L', b'F', 0, 0]),
    ]);
    let error = read_all(dir.path()).expect_err("refused");
    assert!(matches!(error, InputError::Binary { .. }), "{error}");

    let output = gha(&["classify", "--format", "json", &dir.path().display().to_string()]);
    assert_refused(&output, &dir.path().join("2_core.log"), "binary");
}

#[test]
fn the_cli_gives_the_file_and_the_line_of_a_folder_log() {
    let dir = folder_of(&fixtures::old_layout());
    let output = gha(&["classify", "--format", "json", &dir.path().display().to_string()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let first = &json["findings"][0];
    assert_eq!(first["file"], format!("1_{JOB}.txt"));
    assert!(FAILURE_LINES.contains(&first["line"].as_u64().expect("a line")), "{first}");
    assert_eq!(first["step"], FAILED_STEP);
}

#[test]
fn a_folder_that_cannot_be_listed_is_unreadable() {
    let dir = folder_of(&[("job/1_Set up job.txt".into(), fixtures::lint_log())]);
    let missing = dir.path().join("gone");
    fs::create_dir(&missing).expect("a folder");
    let input = Input::open(&missing.display().to_string()).expect("opens");
    fs::remove_dir(&missing).expect("removed");
    let error = input.for_each_job(Limits::default(), &mut |_, _| Ok(())).expect_err("gone");
    assert!(matches!(error, InputError::Unreadable { .. }), "{error}");
}
