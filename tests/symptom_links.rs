//! Which findings are filed as symptoms of which causes when many job logs are read at once:
//! only within one job log, or (a cancellation) within one run when the input says which
//! jobs form a run; a symptom from another file than its cause names that file; and the lines
//! pytest prints about one failing test are symptoms of its assertion.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

/// A job that failed on Docker Hub's pull rate limit.
const RATE_LIMITED: &str = "\
2025-12-15T10:21:30.1000000Z ##[group]Run docker pull python:3.12-slim
2025-12-15T10:21:30.2000000Z docker pull python:3.12-slim
2025-12-15T10:21:30.3000000Z ##[endgroup]
2025-12-15T10:21:31.4000000Z Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit
2025-12-15T10:21:31.5000000Z ##[error]Process completed with exit code 1.
";

/// A job that was canceled while its tests ran, saying nothing of why.
const CANCELED: &str = "\
2025-12-15T10:21:30.1000000Z ##[group]Run pytest -q
2025-12-15T10:21:30.2000000Z pytest -q
2025-12-15T10:21:30.3000000Z ##[endgroup]
2025-12-15T10:21:31.4000000Z collected 12 items
2025-12-15T10:21:39.5000000Z ##[error]The operation was canceled.
";

/// A pytest run with two failing tests, each with its own traceback and summary line.
const TWO_FAILURES: &str = "\
2025-12-15T10:21:30.1000000Z ##[group]Run pytest
2025-12-15T10:21:30.2000000Z pytest
2025-12-15T10:21:30.3000000Z ##[endgroup]
2025-12-15T10:21:31.0000000Z =================================== FAILURES ===================================
2025-12-15T10:21:31.0000000Z __________________________________ test_one ___________________________________
2025-12-15T10:21:31.0000000Z >       assert add(1, 1) == 3
2025-12-15T10:21:31.0000000Z E       assert 2 == 3
2025-12-15T10:21:31.0000000Z 
2025-12-15T10:21:31.0000000Z tests/test_math.py:4: AssertionError
2025-12-15T10:21:31.0000000Z __________________________________ test_two ___________________________________
2025-12-15T10:21:31.0000000Z >       open(\"missing.txt\")
2025-12-15T10:21:31.0000000Z E       FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt'
2025-12-15T10:21:31.0000000Z 
2025-12-15T10:21:31.0000000Z tests/test_io.py:9: FileNotFoundError
2025-12-15T10:21:31.0000000Z =========================== short test summary info ============================
2025-12-15T10:21:31.0000000Z FAILED tests/test_math.py::test_one - assert 2 == 3
2025-12-15T10:21:31.0000000Z FAILED tests/test_io.py::test_two - FileNotFoundError: [Errno 2] No such file
2025-12-15T10:21:31.0000000Z ========================= 2 failed, 3 passed in 0.10s ==========================
2025-12-15T10:21:31.5000000Z ##[error]Process completed with exit code 1.
";

fn folder(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, text) in files {
        fs::write(dir.path().join(name), text).expect("the log is written");
    }
    dir
}

fn classify(path: &Path, format: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .arg("classify")
        .arg(path)
        .args(["--format", format, "--no-user-rules"])
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8 output")
}

/// The JSON finding whose evidence is `text`.
fn finding_with<'a>(findings: &'a [Value], text: &str) -> &'a Value {
    findings.iter().find(|finding| finding["text"] == text).expect("the finding is reported")
}

fn findings(json: &str) -> Vec<Value> {
    let report: Value = serde_json::from_str(json).expect("valid JSON");
    report["findings"].as_array().expect("a findings list").clone()
}

#[test]
fn plain_logs_that_may_come_from_different_runs_do_not_explain_each_others_cancellations() {
    let dir = folder(&[("59867998302.log", RATE_LIMITED), ("59992718702.log", CANCELED)]);

    let findings = findings(&classify(dir.path(), "json"));

    let canceled = finding_with(&findings, "The operation was canceled.");
    assert_eq!(canceled["symptom_of"], Value::Null, "{findings:#?}");
    let text = classify(dir.path(), "text");
    assert!(!text.contains("symptom, line 5: The operation was canceled."), "{text}");
}

#[test]
fn a_cancellation_in_a_sibling_job_of_one_run_is_a_symptom_that_names_its_file() {
    let dir = folder(&[("0_build.txt", RATE_LIMITED), ("1_test.txt", CANCELED)]);

    let findings = findings(&classify(dir.path(), "json"));

    let canceled = finding_with(&findings, "The operation was canceled.");
    let index = canceled["symptom_of"].as_u64().expect("a symptom");
    let cause = &findings[usize::try_from(index).expect("an index")];
    assert_eq!(cause["category"], "rate_limit");
    assert_eq!(canceled["file"], "1_test.txt");
    assert_eq!(cause["file"], "0_build.txt");
    let text = classify(dir.path(), "text");
    assert!(text.contains("└ symptom, 1_test.txt line 5: The operation was canceled."), "{text}");
    let markdown = classify(dir.path(), "markdown");
    assert!(markdown.contains("symptom (`1_test.txt` line 5)"), "{markdown}");
}

#[test]
fn the_write_up_names_the_file_of_a_symptom_found_in_a_sibling_job() {
    let dir = folder(&[("0_build.txt", RATE_LIMITED), ("1_test.txt", CANCELED)]);
    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .arg("report")
        .arg(dir.path())
        .arg("--no-user-rules")
        .output()
        .expect("the binary runs");

    let markdown = String::from_utf8_lossy(&output.stdout);

    assert!(
        markdown.contains("- `The operation was canceled.` (file `1_test.txt`, job `test`"),
        "{markdown}"
    );
    assert!(
        markdown.contains("- `Process completed with exit code 1.` (job `build`"),
        "{markdown}"
    );
}

#[test]
fn a_symptom_in_its_causes_own_file_is_shown_by_line_alone() {
    let dir = folder(&[("0_build.txt", RATE_LIMITED), ("1_test.txt", CANCELED)]);

    let text = classify(dir.path(), "text");

    assert!(text.contains("└ symptom, line 5: Process completed with exit code 1."), "{text}");
}

#[test]
fn one_failing_pytest_test_is_one_cause_with_its_location_and_summary_as_symptoms() {
    for log in ["59754592705.log", "59992718708.log"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/logs").join(log);

        let findings = findings(&classify(&path, "json"));

        let causes: Vec<&Value> =
            findings.iter().filter(|finding| finding["symptom_of"].is_null()).collect();
        assert_eq!(causes.len(), 1, "{log}: {causes:#?}");
        assert_eq!(causes[0]["rule"], "pytest-assertion");
        assert!(causes[0]["text"].as_str().is_some_and(|text| text.starts_with("E   ")));
        let symptoms: Vec<&str> =
            findings.iter().filter_map(|finding| finding["rule"].as_str()).skip(1).collect();
        for rule in ["pytest-failure-location", "pytest-failed-test", "test-runner-summary-failed"]
        {
            assert!(symptoms.contains(&rule), "{log}: {rule} is not a symptom in {symptoms:?}");
        }
    }
}

#[test]
fn each_failed_summary_line_of_pytest_is_filed_under_the_error_it_repeats() {
    let dir = folder(&[("pytest.log", TWO_FAILURES)]);
    let path = dir.path().join("pytest.log");

    let findings = findings(&classify(&path, "json"));

    let cause_of = |text: &str| {
        let symptom = finding_with(&findings, text);
        let index = symptom["symptom_of"].as_u64().expect("a symptom");
        findings[usize::try_from(index).expect("an index")]["text"].as_str().unwrap_or_default()
    };
    let one = "FAILED tests/test_math.py::test_one - assert 2 == 3";
    let two = "FAILED tests/test_io.py::test_two - FileNotFoundError: [Errno 2] No such file";
    assert_eq!(cause_of(one), "E       assert 2 == 3");
    assert!(cause_of(two).contains("FileNotFoundError"), "{findings:#?}");
    assert_eq!(cause_of("tests/test_math.py:4: AssertionError"), "E       assert 2 == 3");
}
