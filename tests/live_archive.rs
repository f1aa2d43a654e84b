//! A job whose log route answers 404 is triaged from its run attempt's log archive: the zip
//! GitHub serves behind a redirect, read for that job's entry.

#[path = "store_support/fake.rs"]
#[allow(dead_code, reason = "each test file uses its part of the fake")]
mod fake;

use std::io::Write as _;

use fake::{Attempt, REPO, gha_triage, requests_to, serve, text};
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
