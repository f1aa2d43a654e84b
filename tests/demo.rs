//! The embedded demo reaches the conclusions `spec/demo-scenario.md` asks of Stage 2 run #36,
//! from the logs alone: the missing requirements file first, the cache 400 explained as an
//! outdated cache client, the cancellation as a symptom, and the failing streak.

use std::process::Command;

use gha_triage::category::Category;
use gha_triage::classify::Engine;
use gha_triage::demo::Demo;
use gha_triage::streak::failing_streak;
use gha_triage::triage::run::{JobChoice, classify_run, classify_run_annotated};

fn stage2_report() -> gha_triage::triage::Report {
    let demo = Demo::load().expect("the demo loads");
    let run = demo.report_run().expect("Stage 2 #36 exists");
    let jobs = demo.jobs(run.id, run.run_attempt).expect("its jobs");
    let engine = Engine::builtin().expect("rules load");
    classify_run(&engine, "demo", &jobs, JobChoice::Failed, |job| {
        demo.log(job.id).map(|log| Box::new(log) as Box<dyn std::io::Read>)
    })
    .expect("the logs classify")
}

#[test]
fn the_missing_requirements_file_is_the_first_cause() {
    let report = stage2_report();
    let first = &report.findings[0];
    assert_eq!(first.category, Category::MissingFile, "{:#?}", report.findings);
    assert!(first.text.contains("requirements.txt"));
    assert!(first.symptom_of.is_none());
}

#[test]
fn the_cancellation_is_a_symptom_not_a_cause() {
    let report = stage2_report();
    let canceled = report
        .findings
        .iter()
        .find(|finding| finding.text == "The operation was canceled.")
        .expect("the cancellation is found");
    assert!(canceled.symptom_of.is_some(), "{canceled:#?}");
}

#[test]
fn the_cache_400_is_explained_as_an_outdated_client_not_a_missing_key() {
    let report = stage2_report();
    let cache = report
        .findings
        .iter()
        .find(|finding| finding.category == Category::Cache)
        .expect("the cache warning is found");
    assert!(cache.text.contains("Cache service responded with 400"));
    assert!(cache.fix.contains("not a missing key"), "{}", cache.fix);
    assert!(cache.fix.contains("actions/cache"), "{}", cache.fix);
}

#[test]
fn stage2_has_failed_three_times_since_the_last_green_run() {
    let demo = Demo::load().expect("the demo loads");
    let run = demo.report_run().expect("Stage 2 #36 exists");
    let streak = failing_streak(&demo.runs, run).expect("a failing streak");
    assert_eq!(
        streak.to_string(),
        "failing since #34 on 2025-12-14, 3 in a row, last green #33 on 2025-12-10"
    );
}

#[test]
fn report_demo_writes_the_whole_write_up() {
    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["report", "--demo", "--no-user-rules"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(text.starts_with("# Stage 2 - Data Processing run #36"), "{text}");
    assert!(text.contains("failing since #34 on 2025-12-14, 3 in a row, last green #33"));
    assert!(text.contains("**Most likely cause:** pip cannot open requirements.txt"), "{text}");
    assert!(text.contains("## Symptoms explained"));
    assert!(text.contains("`The operation was canceled.`"));
    assert!(text.contains("## Resolution"));
}

#[test]
fn report_demo_names_the_commit_by_its_subject_not_the_run_s_title() {
    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["report", "--demo", "--no-user-rules"])
        .output()
        .expect("the binary runs");

    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        text.contains("- **Commit:** `849afb9` README: describe the two pipeline stages\n"),
        "{text}"
    );
}

#[test]
fn report_to_a_dash_writes_to_standard_output_not_a_file_named_dash() {
    let folder = tempfile::tempdir().expect("a working folder");
    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["report", "--demo", "--no-user-rules", "-o", "-"])
        .current_dir(folder.path())
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("# Stage 2 - Data Processing"));
    assert!(!folder.path().join("-").exists(), "no file named - is written");
}

/// CI #105 as the live mode reads it: every failed or canceled job's log with its check-run
/// annotations.
fn ci_105_report_with_annotations() -> gha_triage::triage::Report {
    let demo = Demo::load().expect("the demo loads");
    let run = demo.runs.iter().find(|run| run.run_number == 105).expect("CI #105 exists");
    let jobs = demo.jobs(run.id, run.run_attempt).expect("its jobs");
    let engine = Engine::builtin().expect("rules load");
    classify_run_annotated(
        &engine,
        "CI 105",
        &jobs,
        JobChoice::Failed,
        |job| demo.log(job.id).map(|log| Box::new(log) as Box<dyn std::io::Read>),
        |job| demo.annotations(job.id).expect("annotations parse"),
    )
    .expect("the logs classify")
}

#[test]
fn a_fail_fast_cancellation_from_annotations_is_a_symptom_of_the_failed_leg() {
    let report = ci_105_report_with_annotations();
    let canceled: Vec<_> = report
        .findings
        .iter()
        .filter(|finding| finding.title.starts_with("Canceled because job"))
        .collect();

    assert!(!canceled.is_empty(), "{:#?}", report.findings);
    for finding in canceled {
        let cause = finding.symptom_of.map(|index| &report.findings[index]);
        let cause_job = cause.and_then(|cause| cause.job.as_deref());
        assert_eq!(cause_job, Some("Test (Python 3.13)"), "{finding:#?}\n{:#?}", report.findings);
    }
}
