//! Reading GitHub against a fake on loopback, beyond the basics of `github_client.rs`:
//! check-run annotations across pages, run-list filters, conditional requests, the compare API.

use std::sync::Arc;
use std::time::Duration;

use gha_triage::github::annotations::AnnotationLevel;
use gha_triage::github::auth::Token;
use gha_triage::github::client::GitHub;
use gha_triage::github::clock::ManualClock;
use gha_triage::github::model::JobId;
use gha_triage::github::repo::Repo;
use gha_triage::github::retry::RetryPolicy;
use jiff::Timestamp;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "ghp_FAKE_reading_token_do_not_leak";

fn repo() -> Repo {
    "octo-org/widgets".parse().unwrap()
}

fn client(server: &MockServer) -> GitHub {
    let clock = Arc::new(ManualClock::starting_at(Timestamp::from_second(1_765_800_000).unwrap()));
    let policy = RetryPolicy { timeout: Duration::from_secs(5), ..RetryPolicy::default() };
    GitHub::new(&server.uri(), Some(&Token::new(SECRET)), policy, clock).unwrap()
}

fn annotation(level: &str, message: &str) -> Value {
    json!({"path": ".github", "blob_href": "https://github.com/o/r/blob/x/.github",
        "start_line": 1, "end_line": 1, "start_column": null, "end_column": null,
        "annotation_level": level, "title": ".github#L1", "message": message,
        "raw_details": ""})
}

#[tokio::test]
async fn annotations_follow_the_link_header_to_their_second_page() {
    let server = MockServer::start().await;
    let route = "/repos/octo-org/widgets/check-runs/59985111101/annotations";
    let next = format!("<{}{route}?per_page=100&page=2>; rel=\"next\"", server.uri());
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", next.as_str())
                .set_body_json(json!([annotation("warning", "Failed to restore")])),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([annotation(
            "failure",
            "The runner has received a shutdown signal."
        )])))
        .mount(&server)
        .await;

    let annotations = client(&server).annotations(&repo(), JobId(59_985_111_101)).await.unwrap();

    assert_eq!(annotations.len(), 2);
    assert_eq!(annotations[1].level(), AnnotationLevel::Failure);
    assert_eq!(annotations[1].message, "The runner has received a shutdown signal.");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_job_without_a_check_run_has_no_annotations() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&server)
        .await;

    let annotations = client(&server).annotations(&repo(), JobId(7)).await.unwrap();

    assert!(annotations.is_empty());
}
