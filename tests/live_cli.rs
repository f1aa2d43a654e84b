//! The binary on runs of the synthetic fake GitHub: a job whose log route answers 404 is
//! triaged from its run attempt's log archive (the zip behind a redirect), `--attempt N` reads
//! that attempt and no other, and inside GitHub Actions the attempt the `workflow_run` event
//! names is the one written up.

#[path = "store_support/fake.rs"]
#[allow(dead_code, reason = "each test file uses its part of the fake")]
mod fake;

use std::io::Write as _;
use std::process::Command;

use fake::{Attempt, REPO, TOKEN, gha_triage, requests_to, serve, text};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

fn failed_run() -> Attempt {
    Attempt {
        run: 20_758_968_197,
        attempt: 1,
        sha: "3f4c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
        branch: "main",
        workflow: (161_335, "CI"),
        job: "test (3.12)",
        day: "2025-12-15",
        cause: Some("E   ModuleNotFoundError: No module named 'requests'"),
    }
}

/// A run log zip holding the job's whole log, as `<N>_<job>.txt`.
fn archive(job: &str) -> Vec<u8> {
    let stamp = "2025-12-15T10:17:11.0000000Z";
    let log = format!(
        "{stamp} ##[group]Run pytest -q\n{stamp} pytest -q\n{stamp} ##[endgroup]\n\
         {stamp} E   ModuleNotFoundError: No module named 'requests'\n\
         {stamp} ##[error]Process completed with exit code 1.\n"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file(format!("0_{job}.txt"), options).unwrap();
    zip.write_all(log.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[tokio::test]
async fn a_job_log_github_answers_404_for_is_read_from_the_run_s_log_archive() {
    let cache = tempfile::tempdir().unwrap();
    let run = failed_run();
    let api = serve(std::slice::from_ref(&run)).await;
    let base = format!("/repos/{REPO}/actions");
    Mock::given(method("GET"))
        .and(path(format!("{base}/jobs/{}/logs", run.job_id())))
        .respond_with(ResponseTemplate::new(404).set_body_string(r#"{"message":"Not Found"}"#))
        .with_priority(1)
        .mount(&api)
        .await;
    let signed = format!("{}/storage/archives/{}?sig=SIGNED", api.uri(), run.run);
    Mock::given(method("GET"))
        .and(path(format!("{base}/runs/{}/attempts/1/logs", run.run)))
        .respond_with(ResponseTemplate::new(302).insert_header("location", signed.as_str()))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/storage/archives/{}", run.run)))
        .respond_with(ResponseTemplate::new(200).set_body_raw(archive(run.job), "application/zip"))
        .mount(&api)
        .await;

    let id = run.run.to_string();
    let output = gha_triage(Some(&api), cache.path(), &["classify", "--run", &id]).await;

    assert!(output.status.success(), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("Python cannot import requests"), "{stdout}");
    assert_eq!(requests_to(&api, "/attempts/1/logs").await, 1, "the archive, once");
    assert_eq!(requests_to(&api, "/storage/archives/").await, 1);
}

/// Run 20758968197 twice: attempt 1 failed on the missing module, attempt 2 (the latest) passed.
fn two_attempts() -> [Attempt; 2] {
    let green = Attempt { attempt: 2, cause: None, ..failed_run() };
    [failed_run(), green]
}

#[tokio::test]
async fn attempt_n_reads_that_attempt_s_jobs_and_logs_and_no_other() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&two_attempts()).await;
    let id = failed_run().run.to_string();

    let output =
        gha_triage(Some(&api), cache.path(), &["classify", "--run", &id, "--attempt", "1"]).await;

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("Python cannot import requests"),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(requests_to(&api, "/attempts/1/jobs").await, 1);
    assert_eq!(requests_to(&api, "/attempts/2/jobs").await, 0, "the latest attempt was not read");
}

/// `gha-triage report` as a `workflow_run` workflow runs it, with `payload` as the event.
async fn report_in_actions(api: &wiremock::MockServer, payload: &str) -> std::process::Output {
    let runner = tempfile::tempdir().unwrap();
    let event = runner.path().join("event.json");
    std::fs::write(&event, payload).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_gha-triage"));
    command
        .args(["report", "--no-user-rules"])
        .current_dir(runner.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_REPOSITORY", REPO)
        .env("GITHUB_API_URL", api.uri())
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_TOKEN", TOKEN)
        .env_remove("GH_TOKEN")
        .env_remove("GH_HOST")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("GHA_TRIAGE_CONFIG_DIR", runner.path())
        .env("GHA_TRIAGE_CACHE_DIR", runner.path().join("cache"));
    tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap()
}

#[tokio::test]
async fn in_github_actions_the_attempt_the_workflow_run_event_names_is_written_up() {
    let api = serve(&two_attempts()).await;
    let payload =
        format!(r#"{{"workflow_run": {{"id": {}, "run_attempt": 1}}}}"#, failed_run().run);

    let output = report_in_actions(&api, &payload).await;

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("No module named 'requests'"),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(requests_to(&api, "/attempts/1/jobs").await, 1);
    let later = requests_to(&api, "/attempts/2/jobs").await;
    assert_eq!(later, 1, "the later attempt is read once, for whether a rerun passed");
    let report = text(&output.stdout);
    assert!(report.contains("- **Attempt:** 1\n"), "the attempt written up:\n{report}");
    assert!(report.contains("failure"), "attempt 1's outcome, not the latest's:\n{report}");
}

#[tokio::test]
async fn an_event_without_a_workflow_run_is_a_note_and_the_latest_failed_run_is_written_up() {
    let api = serve(&[failed_run()]).await;

    let output = report_in_actions(&api, r#"{"push": {"ref": "refs/heads/main"}}"#).await;

    assert!(output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("names no workflow_run.id"), "{stderr}");
    assert!(
        text(&output.stdout).contains("No module named 'requests'"),
        "{}",
        text(&output.stdout)
    );
}
