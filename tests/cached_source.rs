//! Live GitHub through the local store: a run triaged once is triaged again without asking
//! GitHub for its jobs or logs, `--offline` triages it with no GitHub at all, and the token is
//! never kept in the store.

#[path = "store_support/fake.rs"]
mod fake;

use fake::{Attempt, REPO, TOKEN, gha_triage, requests_to, serve, text};

const CAUSE: &str = "E   ModuleNotFoundError: No module named 'requests'";

fn failed_run() -> Attempt {
    Attempt {
        run: 20_758_968_196,
        attempt: 1,
        sha: "3f4c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
        branch: "main",
        workflow: (161_335, "CI"),
        job: "test (3.12)",
        day: "2025-12-15",
        cause: Some(CAUSE),
    }
}

#[tokio::test]
async fn a_run_triaged_once_is_triaged_again_from_the_store() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&[failed_run()]).await;
    let id = failed_run().run.to_string();

    let first = gha_triage(Some(&api), cache.path(), &["classify", "--run", &id]).await;
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("Python cannot import requests"),
        "{}",
        text(&first.stdout)
    );
    assert_eq!(requests_to(&api, "/logs").await, 2, "the log, through its redirect");

    let second = gha_triage(Some(&api), cache.path(), &["classify", "--run", &id]).await;
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert_eq!(text(&second.stdout), text(&first.stdout));
    assert_eq!(requests_to(&api, "/logs").await, 2, "the log was not asked for again");
    assert_eq!(requests_to(&api, "/attempts/1/jobs").await, 1, "nor the settled jobs");
}

#[tokio::test]
async fn offline_classify_reads_the_store_alone() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&[failed_run()]).await;
    let id = failed_run().run.to_string();
    let online = gha_triage(Some(&api), cache.path(), &["classify", "--run", &id]).await;
    assert!(online.status.success(), "{}", text(&online.stderr));
    drop(api);

    let offline = gha_triage(None, cache.path(), &["classify", "--run", &id]).await;
    assert!(offline.status.success(), "{}", text(&offline.stderr));
    assert_eq!(text(&offline.stdout), text(&online.stdout));
}

#[tokio::test]
async fn offline_a_run_never_stored_is_a_clear_error() {
    let cache = tempfile::tempdir().unwrap();
    let output = gha_triage(None, cache.path(), &["classify", "--run", "42"]).await;
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("run 42") && stderr.contains("not in the local store"), "{stderr}");
}

#[tokio::test]
async fn the_token_is_never_written_to_the_store() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&[failed_run()]).await;
    let id = failed_run().run.to_string();
    let output = gha_triage(Some(&api), cache.path(), &["report", "--run", &id]).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    for entry in std::fs::read_dir(cache.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            let found = bytes.windows(TOKEN.len()).any(|window| window == TOKEN.as_bytes());
            assert!(!found, "the token is in {}", path.display());
        }
    }
    let store = gha_triage::store::Store::open(cache.path()).unwrap();
    assert_eq!(store.runs(REPO).unwrap().len(), 1);
}

/// The TUI's source on `api` with no store, listing only failed runs.
fn tui_source(api: &wiremock::MockServer) -> gha_triage::source::cached::CachedSource {
    use gha_triage::github::endpoint::Endpoint;
    use gha_triage::source::live::{LiveOptions, LiveSource};
    let endpoint = Endpoint::choose(Some(&api.uri()), None);
    let token = gha_triage::github::auth::Token::new(TOKEN);
    let mut options = LiveOptions::new(endpoint, token, REPO.parse().unwrap());
    options.filter.status = Some("failure".to_owned());
    gha_triage::source::cached::CachedSource::online(LiveSource::connect(options).unwrap(), None)
}

#[tokio::test]
async fn a_rerun_asked_in_the_tui_is_posted_once_to_github() {
    use gha_triage::github::act::{DebugLogging, RunAction};
    use gha_triage::github::model::RunId;
    use gha_triage::source::Source as _;
    use wiremock::matchers::{method, path};
    let api = serve(&[failed_run()]).await;
    let route = format!("/repos/{REPO}/actions/runs/{}/rerun-failed-jobs", failed_run().run);
    wiremock::Mock::given(method("POST"))
        .and(path(route.as_str()))
        .respond_with(wiremock::ResponseTemplate::new(201).set_body_string("{}"))
        .expect(1)
        .mount(&api)
        .await;
    let source = tui_source(&api);

    let action = RunAction::RerunFailed(DebugLogging::Off);
    let answer = tokio::task::spawn_blocking(move || {
        let answer = source.act(RunId(failed_run().run), action);
        (source, answer)
    })
    .await
    .unwrap();

    assert_eq!(answer.1.unwrap().status, 201);
    assert_eq!(requests_to(&api, "/rerun-failed-jobs").await, 1);
    api.verify().await;
}

#[tokio::test]
async fn following_a_run_reads_that_run_and_not_the_filtered_list() {
    use gha_triage::github::model::RunId;
    use gha_triage::source::Source as _;
    let api = serve(&[failed_run()]).await;
    let source = tui_source(&api);

    let id = RunId(failed_run().run);
    let refreshed = tokio::task::spawn_blocking(move || {
        let refreshed = source.refresh_run(id);
        (source, refreshed)
    })
    .await
    .unwrap();

    assert_eq!(refreshed.1.unwrap().id, id);
    let requests = api.received_requests().await.unwrap();
    let paths: Vec<&str> = requests.iter().map(|request| request.url.path()).collect();
    assert_eq!(paths, [format!("/repos/{REPO}/actions/runs/{}", failed_run().run)]);
}
