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
use gha_triage::github::run_filter::{RunFilter, WorkflowRef};
use jiff::Timestamp;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
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

fn run_json(id: u64, number: u64) -> Value {
    json!({
        "id": id, "name": "CI", "head_branch": "feature/a b", "run_number": number,
        "head_sha": "77ded8d2642bac2bd97c316fbb98830f6d6e3487", "run_attempt": 1,
        "event": "push", "status": "completed", "conclusion": "failure",
        "workflow_id": 199_004_511_u64, "created_at": "2025-12-15T13:26:41Z",
        "updated_at": "2025-12-15T13:27:00Z", "actor": {"login": "mvisser"}
    })
}

fn run_page(ids: &[u64]) -> Value {
    let runs: Vec<Value> = ids.iter().map(|id| run_json(*id, *id)).collect();
    json!({"total_count": 6, "workflow_runs": runs})
}

#[tokio::test]
async fn filtered_runs_send_every_filter_and_stop_at_the_cap_across_pages() {
    let server = MockServer::start().await;
    let route = "/repos/octo-org/widgets/actions/runs";
    let filtered = || {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("branch", "feature/a b"))
            .and(query_param("status", "failure"))
            .and(query_param("event", "push"))
            .and(query_param("actor", "mvisser"))
            .and(query_param("created", ">=2025-12-01"))
            .and(query_param("head_sha", "77ded8d2642bac2bd97c316fbb98830f6d6e3487"))
    };
    for page in 1..=3_u64 {
        let next = format!("<{}{route}?page={}&per_page=2>; rel=\"next\"", server.uri(), page + 1);
        let mut answer =
            ResponseTemplate::new(200).set_body_json(run_page(&[page * 2 - 1, page * 2]));
        if page < 3 {
            answer = answer.insert_header("link", next.as_str());
        }
        let asked = if page == 1 {
            filtered().and(query_param_is_missing("page"))
        } else {
            Mock::given(method("GET")).and(path(route)).and(query_param("page", page.to_string()))
        };
        asked.respond_with(answer).mount(&server).await;
    }
    let filter = RunFilter {
        branch: Some("feature/a b".to_owned()),
        status: Some("failure".to_owned()),
        event: Some("push".to_owned()),
        actor: Some("mvisser".to_owned()),
        created: Some(">=2025-12-01".to_owned()),
        head_sha: Some("77ded8d2642bac2bd97c316fbb98830f6d6e3487".to_owned()),
        workflow: None,
    };

    let runs = client(&server).filtered_runs(&repo(), &filter, 5).await.unwrap();

    let ids: Vec<u64> = runs.iter().map(|run| run.id.0).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_workflow_named_by_its_name_is_looked_up_then_listed_by_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/widgets/actions/workflows"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total_count": 2,
            "workflows": [
                {"id": 1, "name": "Lint", "path": ".github/workflows/lint.yml", "state": "active"},
                {"id": 199_004_511_u64, "name": "CI", "path": ".github/workflows/ci.yml",
                 "state": "active"}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/widgets/actions/workflows/199004511/runs"))
        .and(query_param("branch", "main"))
        .respond_with(ResponseTemplate::new(200).set_body_json(run_page(&[9])))
        .mount(&server)
        .await;
    let github = client(&server);
    let filter = |workflow: &str| RunFilter {
        workflow: Some(WorkflowRef::parse(workflow)),
        branch: Some("main".to_owned()),
        ..RunFilter::default()
    };

    let runs = github.filtered_runs(&repo(), &filter("ci"), 100).await.unwrap();
    let unknown = github.filtered_runs(&repo(), &filter("Deploy"), 100).await.unwrap_err();

    assert_eq!(runs.len(), 1);
    let message = unknown.to_string();
    assert!(
        message.contains("\"Deploy\"") && message.contains("\"CI\" (.github/workflows/ci.yml)")
    );
}

#[tokio::test]
async fn a_workflow_file_goes_straight_to_its_own_list() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/widgets/actions/workflows/ci.yml/runs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(run_page(&[9])))
        .mount(&server)
        .await;
    let filter = RunFilter {
        workflow: Some(WorkflowRef::parse(".github/workflows/ci.yml")),
        ..RunFilter::default()
    };

    let runs = client(&server).filtered_runs(&repo(), &filter, 100).await.unwrap();

    assert_eq!(runs.len(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A page of runs that answers 304 when asked again with its `ETag`.
async fn serve_revalidated_page(server: &MockServer, page: u64, next: Option<u64>) {
    let route = "/repos/octo-org/widgets/actions/runs";
    let etag = format!("W/\"runs-page-{page}\"");
    let asked = || {
        let matcher = Mock::given(method("GET")).and(path(route));
        if page == 1 {
            matcher.and(query_param_is_missing("page"))
        } else {
            matcher.and(query_param("page", page.to_string()))
        }
    };
    asked()
        .and(header("if-none-match", etag.as_str()))
        .respond_with(ResponseTemplate::new(304).insert_header("etag", etag.as_str()))
        .with_priority(1)
        .mount(server)
        .await;
    let mut answer = ResponseTemplate::new(200)
        .insert_header("etag", etag.as_str())
        .set_body_json(run_page(&[page * 10 + 1, page * 10 + 2]));
    if let Some(next) = next {
        let link = format!("<{}{route}?per_page=100&page={next}>; rel=\"next\"", server.uri());
        answer = answer.insert_header("link", link.as_str());
    }
    asked().respond_with(answer).with_priority(2).mount(server).await;
}

#[tokio::test]
async fn a_second_listing_revalidates_with_if_none_match_and_reuses_what_a_304_confirms() {
    let server = MockServer::start().await;
    serve_revalidated_page(&server, 1, Some(2)).await;
    serve_revalidated_page(&server, 2, None).await;
    let github = client(&server);

    let first = github.runs(&repo(), 100).await.unwrap();
    let second = github.runs(&repo(), 100).await.unwrap();

    assert_eq!(first.len(), 4);
    assert_eq!(first, second);
    let requests = server.received_requests().await.unwrap();
    let sent: Vec<Option<&str>> = requests
        .iter()
        .map(|r| r.headers.get("if-none-match").map(|v| v.to_str().unwrap()))
        .collect();
    assert_eq!(
        sent,
        [None, None, Some("W/\"runs-page-1\""), Some("W/\"runs-page-2\"")],
        "the second listing asks with the ETags of the first, page by page"
    );
}

#[tokio::test]
async fn a_changed_list_is_downloaded_again_and_kept_with_its_new_etag() {
    let server = MockServer::start().await;
    let route = "/repos/octo-org/widgets/actions/runs";
    Mock::given(method("GET"))
        .and(path(route))
        .and(header("if-none-match", "\"v1\""))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"v2\"")
                .set_body_json(run_page(&[2, 1])),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(header("if-none-match", "\"v2\""))
        .respond_with(ResponseTemplate::new(304))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"v1\"")
                .set_body_json(run_page(&[1])),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    let github = client(&server);

    let mut lists = Vec::new();
    for _ in 0..3 {
        let runs = github.runs(&repo(), 100).await.unwrap();
        lists.push(runs.iter().map(|run| run.id.0).collect::<Vec<u64>>());
    }

    assert_eq!(lists, [vec![1], vec![2, 1], vec![2, 1]]);
}

#[tokio::test]
async fn the_compare_call_reads_the_commits_oldest_first() {
    let server = MockServer::start().await;
    let (base, head) =
        ("316cd86d70e1af901f26c3c588e08e5988fdaea1", "849afb92f43199b53d60d78016ebac5d8c4cf191");
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("assets/demo/compare/{base}...{head}.json"));
    Mock::given(method("GET"))
        .and(path(format!("/repos/octo-org/widgets/compare/{base}...{head}")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(std::fs::read(file).unwrap(), "application/json"),
        )
        .mount(&server)
        .await;

    let comparison = client(&server).compare(&repo(), base, head).await.unwrap();

    let subjects: Vec<&str> = comparison
        .commits
        .iter()
        .map(gha_triage::github::compare::ComparedCommit::subject)
        .collect();
    assert_eq!(subjects.len(), 4);
    assert_eq!(subjects[0], "Move Python deps to uv (scripts/pyproject.toml)");
    assert_eq!(comparison.commits[2].author_name(), "@mvisser");
}

#[tokio::test]
async fn annotations_a_token_may_not_read_say_it_needs_checks_read() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            json!({"message": "Resource not accessible by integration", "status": "403"}),
        ))
        .mount(&server)
        .await;

    let error = client(&server).annotations(&repo(), JobId(7)).await.unwrap_err();

    assert!(error.to_string().contains("`permissions: checks: read`"), "{error}");
    assert!(!error.to_string().contains("Actions read"), "{error}");
}
