//! Reruns and cancels against a fake GitHub on loopback: the route and body each action sends,
//! GitHub's answers (201, 202, 403 without permission, 409 and "already running"), and which
//! failures are sent again: only a connection that never opened and a rate limit, never a 5xx
//! or a connection dropped after the request left.

use std::sync::Arc;
use std::time::Duration;

use gha_triage::github::act::{Accepted, DebugLogging, RunAction};
use gha_triage::github::act_error::ActionError;
use gha_triage::github::auth::Token;
use gha_triage::github::client::GitHub;
use gha_triage::github::clock::ManualClock;
use gha_triage::github::error::GithubError;
use gha_triage::github::model::{JobId, RunId};
use gha_triage::github::repo::Repo;
use gha_triage::github::retry::RetryPolicy;
use jiff::Timestamp;
use serde_json::{Value, json};
use tokio::io::AsyncReadExt as _;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "ghp_FAKE_act_token_do_not_leak";
const NOW: i64 = 1_765_800_000;
const RUN: RunId = RunId(36_607_354_457);

fn repo() -> Repo {
    "octo-org/widgets".parse().unwrap()
}

fn policy() -> RetryPolicy {
    RetryPolicy { timeout: Duration::from_secs(5), ..RetryPolicy::default() }
}

fn client_at(url: &str) -> (GitHub, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::starting_at(Timestamp::from_second(NOW).unwrap()));
    let github = GitHub::new(url, Some(&Token::new(SECRET)), policy(), clock.clone()).unwrap();
    (github, clock)
}

/// Answers every POST with `status` and `body`.
async fn answering(status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// The one request the fake received: its path and its body (empty when none was sent).
async fn only_request(server: &MockServer) -> (String, String) {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "the request was sent {} times", requests.len());
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    (request.url.path().to_owned(), String::from_utf8_lossy(&request.body).into_owned())
}

#[tokio::test]
async fn a_debug_rerun_of_failed_jobs_posts_the_debug_flag_and_is_accepted() {
    let server = answering(201, json!({})).await;
    let (github, _) = client_at(&server.uri());

    let action = RunAction::RerunFailed(DebugLogging::On);
    let accepted = github.act(&repo(), RUN, action).await.unwrap();

    assert_eq!(accepted, Accepted { status: 201 });
    let (route, body) = only_request(&server).await;
    assert_eq!(route, "/repos/octo-org/widgets/actions/runs/36607354457/rerun-failed-jobs");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"enable_debug_logging": true})
    );
}

#[tokio::test]
async fn a_plain_rerun_sends_no_body_at_all() {
    let server = answering(201, json!({})).await;
    let (github, _) = client_at(&server.uri());

    github.act(&repo(), RUN, RunAction::Rerun(DebugLogging::Off)).await.unwrap();

    let (route, body) = only_request(&server).await;
    assert_eq!(route, "/repos/octo-org/widgets/actions/runs/36607354457/rerun");
    assert_eq!(body, "");
}

#[tokio::test]
async fn one_job_is_rerun_at_the_job_route() {
    let server = answering(201, json!({})).await;
    let (github, _) = client_at(&server.uri());

    let action = RunAction::RerunJob(JobId(109_539_655_758), DebugLogging::Off);
    github.act(&repo(), RUN, action).await.unwrap();

    let (route, _) = only_request(&server).await;
    assert_eq!(route, "/repos/octo-org/widgets/actions/jobs/109539655758/rerun");
}

#[tokio::test]
async fn cancel_and_force_cancel_are_accepted_with_202() {
    for (action, end) in [(RunAction::Cancel, "cancel"), (RunAction::ForceCancel, "force-cancel")] {
        let server = answering(202, json!({})).await;
        let (github, _) = client_at(&server.uri());

        let accepted = github.act(&repo(), RUN, action).await.unwrap();

        assert_eq!(accepted.status, 202);
        let (route, body) = only_request(&server).await;
        assert_eq!(route, format!("/repos/octo-org/widgets/actions/runs/36607354457/{end}"));
        assert_eq!(body, "");
    }
}

#[tokio::test]
async fn a_token_that_may_only_read_is_told_it_needs_actions_write() {
    let body = json!({
        "message": "Resource not accessible by integration",
        "documentation_url": "https://docs.github.com/rest/actions/workflow-runs#re-run-a-workflow",
        "status": "403"
    });
    let server = answering(403, body).await;
    let (github, _) = client_at(&server.uri());

    let error = github.act(&repo(), RUN, RunAction::Rerun(DebugLogging::Off)).await.unwrap_err();

    assert!(matches!(error, ActionError::NoPermission { .. }), "{error:?}");
    assert!(error.is_refusal());
    assert!(error.to_string().contains("actions: write"), "{error}");
    assert_eq!(error.short(), "403: token lacks actions: write");
}

#[tokio::test]
async fn canceling_a_completed_run_says_it_has_already_completed() {
    let body = json!({
        "message": "Cannot cancel a workflow run that is completed.",
        "documentation_url": "https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run",
        "status": "409"
    });
    let server = answering(409, body).await;
    let (github, _) = client_at(&server.uri());

    let error = github.act(&repo(), RUN, RunAction::Cancel).await.unwrap_err();

    assert!(error.is_refusal());
    let words = error.to_string();
    assert!(words.contains("409") && words.contains("already completed"), "{words}");
    assert!(words.contains("Cannot cancel a workflow run that is completed."), "{words}");
}

#[tokio::test]
async fn rerunning_a_run_in_progress_says_it_is_still_in_progress() {
    for (status, message) in [(409, "Conflict"), (403, "This workflow is already running")] {
        let server = answering(status, json!({"message": message})).await;
        let (github, _) = client_at(&server.uri());

        let action = RunAction::RerunFailed(DebugLogging::Off);
        let error = github.act(&repo(), RUN, action).await.unwrap_err();

        assert!(matches!(error, ActionError::WrongState { .. }), "{error:?}");
        assert_eq!(error.short(), format!("{status}: run is still in progress"));
        assert!(error.to_string().contains("rerun it once it has completed"), "{error}");
    }
}

#[tokio::test]
async fn another_403_carries_github_s_own_words() {
    let message = "Unable to retry this workflow run because it was created over a month ago";
    let server = answering(403, json!({"message": message})).await;
    let (github, _) = client_at(&server.uri());

    let error = github.act(&repo(), RUN, RunAction::Rerun(DebugLogging::Off)).await.unwrap_err();

    assert!(matches!(error, ActionError::Refused { .. }), "{error:?}");
    assert!(error.to_string().contains(message));
}

#[tokio::test]
async fn a_server_error_is_not_sent_again_because_the_rerun_may_have_started() {
    let server = answering(502, json!({"message": "Server Error"})).await;
    let (github, clock) = client_at(&server.uri());

    let error = github.act(&repo(), RUN, RunAction::Rerun(DebugLogging::Off)).await.unwrap_err();

    assert!(matches!(error, ActionError::Unsure { .. }), "{error:?}");
    assert!(!error.is_refusal());
    assert!(error.to_string().contains("check the run"), "{error}");
    only_request(&server).await;
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn a_rate_limited_rerun_waits_and_is_sent_once_more() {
    let server = MockServer::start().await;
    let route = "/repos/octo-org/widgets/actions/runs/36607354457/rerun-failed-jobs";
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "42")
                .set_body_json(json!({"message": "You have exceeded a secondary rate limit."})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&server)
        .await;
    let (github, clock) = client_at(&server.uri());

    let accepted = github.act(&repo(), RUN, RunAction::RerunFailed(DebugLogging::Off)).await;

    assert_eq!(accepted.unwrap().status, 201);
    assert_eq!(clock.sleeps(), vec![Duration::from_secs(42)]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_connection_that_never_opened_is_tried_again_then_named() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let (github, clock) = client_at(&format!("http://{address}"));

    let error = github.act(&repo(), RUN, RunAction::Cancel).await.unwrap_err();

    let ActionError::Github(GithubError::Connection { attempts, .. }) = error else {
        panic!("{error:?}");
    };
    assert_eq!(attempts, policy().attempts);
    assert_eq!(clock.sleeps().len(), usize::try_from(policy().attempts).unwrap() - 1);
}

#[tokio::test]
async fn a_connection_dropped_after_the_request_left_is_not_sent_again() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = tokio::spawn(async move {
        let mut connections = 0;
        while let Ok(Ok((mut socket, _))) =
            tokio::time::timeout(Duration::from_secs(2), listener.accept()).await
        {
            connections += 1;
            let mut request = [0_u8; 4096];
            let _ = socket.read(&mut request).await;
            drop(socket);
        }
        connections
    });
    let (github, _) = client_at(&format!("http://{address}"));

    let error = github.act(&repo(), RUN, RunAction::Rerun(DebugLogging::Off)).await.unwrap_err();

    assert!(matches!(error, ActionError::Unsure { .. }), "{error:?}");
    assert_eq!(accepted.await.unwrap(), 1);
}
