//! The live source as the TUI uses it: called from blocking workers of another runtime and
//! dropped inside async code, answering runs, jobs, logs and the suspects' comparison from a
//! fake GitHub.

use std::sync::Arc;

use gha_triage::app::effect::Effect;
use gha_triage::app::msg::Msg;
use gha_triage::app::runner::Runner;
use gha_triage::app::suspects::CommitRange;
use gha_triage::github::auth::Token;
use gha_triage::github::clock::ManualClock;
use gha_triage::github::endpoint::Endpoint;
use gha_triage::github::model::{JobId, RunId};
use gha_triage::source::live::{LiveOptions, LiveSource};
use gha_triage::source::{Source, SourceError, SourceKind};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn options(server: &MockServer) -> LiveOptions {
    let endpoint = Endpoint::choose(Some(&server.uri()), None).expect("the fake's URL");
    let mut options =
        LiveOptions::new(endpoint, Token::new("ghp_FAKE"), "octo-org/widgets".parse().unwrap());
    options.clock = Arc::new(ManualClock::starting_at(jiff::Timestamp::UNIX_EPOCH));
    options
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tui_s_blocking_workers_can_call_the_live_source_and_drop_it_in_async_code() {
    let server = MockServer::start().await;
    let run = json!({"id": 30_433_642_001_u64, "name": "CI", "run_number": 7, "event": "push",
        "status": "completed", "conclusion": "failure", "workflow_id": 1, "head_sha": "abc",
        "created_at": "2025-12-15T13:26:41Z", "updated_at": "2025-12-15T13:27:00Z"});
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/widgets/actions/runs"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": 1, "workflow_runs": [run]})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/widgets/actions/jobs/9/logs"))
        .respond_with(ResponseTemplate::new(410))
        .mount(&server)
        .await;
    let options = options(&server);

    let (source, runs, log) = tokio::task::spawn_blocking(move || {
        let source = LiveSource::connect(options).unwrap();
        let runs = source.runs();
        let log = source.log(JobId(9));
        (source, runs, log)
    })
    .await
    .unwrap();

    assert_eq!(source.info().kind, SourceKind::Live);
    assert_eq!(source.info().name, "octo-org/widgets");
    assert_eq!(runs.unwrap()[0].id, RunId(30_433_642_001));
    let Err(SourceError::NotFound(notice)) = log else { panic!("{log:?}") };
    assert!(notice.contains("expired"), "{notice}");
    drop(source);
}

#[tokio::test(flavor = "multi_thread")]
async fn completed_jobs_and_read_logs_are_asked_for_once() {
    let server = MockServer::start().await;
    let job = json!({"id": 9, "run_id": 5, "name": "build", "status": "completed",
        "conclusion": "failure", "steps": []});
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/widgets/actions/runs/5/attempts/1/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"jobs": [job]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/widgets/actions/jobs/9/logs"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string("2025-12-15T13:26:45.1234567Z hi\n"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let options = options(&server);

    tokio::task::spawn_blocking(move || {
        let source = LiveSource::connect(options).unwrap();
        for _ in 0..2 {
            assert_eq!(source.jobs(RunId(5), 1).unwrap().len(), 1);
            assert!(source.log(JobId(9)).unwrap().as_slice().ends_with(b"hi\n"));
        }
    })
    .await
    .unwrap();

    server.verify().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tui_s_suspects_are_the_commits_github_compares_between_green_and_red() {
    let server = MockServer::start().await;
    let commit = json!({"sha": "9e1f0c2b7a6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f", "html_url": null,
        "commit": {"author": {"name": "Ada Quill"}, "message": "Pin the runner image\n\nbody"},
        "author": {"login": "aquill"}});
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/widgets/compare/1111111...2222222"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_commits": 1, "commits": [commit]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let options = options(&server);
    let source = tokio::task::spawn_blocking(move || LiveSource::connect(options).unwrap());
    let source = Arc::new(source.await.unwrap());
    let engine = Arc::new(gha_triage::classify::Engine::builtin().unwrap());
    let (sender, mut messages) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner::new(source, engine, sender);
    let range = CommitRange { base: "1111111".to_owned(), head: "2222222".to_owned() };

    runner.spawn(Effect::Compare { request: 7, range: range.clone() });

    let Some(Msg::Compared { request: 7, range: answered, result }) = messages.recv().await else {
        panic!("the runner answers the compare")
    };
    assert_eq!(answered, range);
    let comparison = result.unwrap().expect("a live source compares commits");
    let commit = &comparison.commits[0];
    assert_eq!(
        (commit.short_sha(), commit.author_name().as_str(), commit.subject()),
        ("9e1f0c2", "@aquill", "Pin the runner image")
    );
    server.verify().await;
}
