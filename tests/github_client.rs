//! The GitHub client against a fake GitHub on loopback: paging, the log redirect to another
//! host, missing logs, refusals, rate limits on a driven clock, retries, bad JSON, timeouts.

use std::sync::Arc;
use std::time::Duration;

use gha_triage::github::auth::Token;
use gha_triage::github::client::{GitHub, RateWaitNotice};
use gha_triage::github::clock::ManualClock;
use gha_triage::github::error::GithubError;
use gha_triage::github::model::{JobId, RunId, Status};
use gha_triage::github::repo::Repo;
use gha_triage::github::retry::RetryPolicy;
use jiff::Timestamp;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "ghp_FAKE_test_token_do_not_leak";
const NOW: i64 = 1_765_800_000;

fn repo() -> Repo {
    "octo-org/widgets".parse().unwrap()
}

fn policy() -> RetryPolicy {
    RetryPolicy { timeout: Duration::from_secs(5), ..RetryPolicy::default() }
}

fn client(server: &MockServer, policy: RetryPolicy) -> (GitHub, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::starting_at(Timestamp::from_second(NOW).unwrap()));
    let github = GitHub::new(&server.uri(), Some(&Token::new(SECRET)), policy, clock.clone());
    (github.unwrap(), clock)
}

fn run_json(id: u64, number: u64) -> Value {
    json!({
        "id": id, "name": "CI", "node_id": "WFR_x", "head_branch": "main",
        "head_sha": "77ded8d2642bac2bd97c316fbb98830f6d6e3487", "path": ".github/workflows/ci.yml",
        "display_title": "Fix the parser", "run_number": number, "run_attempt": 1,
        "event": "push", "status": "completed", "conclusion": "failure",
        "workflow_id": 199_004_511_u64, "check_suite_id": 52_410_000_649_u64,
        "url": format!("https://api.github.com/repos/octo-org/widgets/actions/runs/{id}"),
        "html_url": format!("https://github.com/octo-org/widgets/actions/runs/{id}"),
        "pull_requests": [], "created_at": "2025-12-15T13:26:41Z",
        "updated_at": "2025-12-15T13:27:00Z", "run_started_at": "2025-12-15T13:26:41Z",
        "actor": {"login": "mvisser", "id": 48_231_907}, "head_commit": null,
        "previous_attempt_url": null
    })
}

fn api_log_route(job: u64) -> String {
    format!("/repos/octo-org/widgets/actions/jobs/{job}/logs")
}

fn authorization_of(request: &wiremock::Request) -> Option<String> {
    request.headers.get("authorization").map(|v| v.to_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn runs_follow_the_link_header_across_three_pages() {
    let server = MockServer::start().await;
    let route = "/repos/octo-org/widgets/actions/runs";
    for page in 1..=3_u64 {
        let runs: Vec<Value> =
            (0..2).map(|i| run_json(20_000_000_000 + page * 10 + i, page * 10 + i)).collect();
        let mut answer = ResponseTemplate::new(200)
            .set_body_json(json!({"total_count": 6, "workflow_runs": runs}));
        if page < 3 {
            let next = format!("{}{route}?per_page=100&page={}", server.uri(), page + 1);
            let last = format!("{}{route}?per_page=100&page=3", server.uri());
            let link = format!("<{next}>; rel=\"next\", <{last}>; rel=\"last\"");
            answer = answer.insert_header("link", link.as_str());
        }
        let mock = Mock::given(method("GET")).and(path(route));
        let mock = if page == 1 {
            mock.and(query_param_is_missing("page"))
        } else {
            mock.and(query_param("page", page.to_string()))
        };
        mock.respond_with(answer).expect(1).mount(&server).await;
    }
    let (github, _) = client(&server, policy());

    let runs = github.runs(&repo(), 100).await.unwrap();

    assert_eq!(runs.len(), 6);
    assert_eq!(runs[0].id, RunId(20_000_000_010));
    assert_eq!(runs[5].id, RunId(20_000_000_031));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| authorization_of(r).as_deref() == Some(&*format!("Bearer {SECRET}")))
    );
}

#[tokio::test]
async fn jobs_with_big_ids_nulls_and_unknown_values_parse() {
    let server = MockServer::start().await;
    let job = json!({
        "id": 109_539_655_758_u64, "run_id": 36_607_354_457_u64, "run_attempt": 2,
        "node_id": "CR_x", "head_sha": "abc", "head_branch": null, "workflow_name": null,
        "status": "brand_new_status", "conclusion": null, "created_at": "2025-12-15T13:26:41Z",
        "started_at": "2025-12-15T13:26:45Z", "completed_at": null, "name": "build (linux)",
        "steps": [{"name": "Set up job", "status": "completed", "conclusion": "success",
                   "number": 1, "started_at": "2025-12-15T13:26:45Z", "completed_at": null}],
        "labels": ["ubuntu-latest"], "runner_id": null, "runner_name": null,
        "runner_group_id": null, "runner_group_name": null, "some_new_field": {"x": 1}
    });
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/widgets/actions/runs/36607354457/attempts/2/jobs"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"total_count": 1, "jobs": [job]})),
        )
        .mount(&server)
        .await;
    let (github, _) = client(&server, policy());

    let jobs = github.jobs(&repo(), RunId(36_607_354_457), 2).await.unwrap();

    assert_eq!(jobs[0].id, JobId(109_539_655_758));
    assert_eq!(jobs[0].status, Some(Status::Unknown));
    assert_eq!(jobs[0].steps.len(), 1);
}

#[tokio::test]
async fn a_job_log_follows_the_redirect_without_sending_the_token_to_the_storage_host() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let signed = format!("{}/blobs/job-41?sv=2021&sig=SIGNATURE", storage.uri());
    Mock::given(method("GET"))
        .and(path(api_log_route(41)))
        .respond_with(ResponseTemplate::new(302).insert_header("location", signed.as_str()))
        .expect(1)
        .mount(&api)
        .await;
    let log = "\u{feff}2025-12-15T13:26:45.1234567Z ##[group]Run cargo test\n\
               2025-12-15T13:26:50.0000000Z error[E0308]: mismatched types\n";
    Mock::given(method("GET"))
        .and(path("/blobs/job-41"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(log, "text/plain"))
        .expect(1)
        .mount(&storage)
        .await;
    let (github, _) = client(&api, policy());

    let bytes = github.job_log(&repo(), JobId(41), 1 << 20).await.unwrap();

    assert_eq!(bytes.as_slice(), log.as_bytes());
    let at_api = api.received_requests().await.unwrap();
    assert!(authorization_of(&at_api[0]).is_some_and(|auth| auth.contains(SECRET)));
    let at_storage = storage.received_requests().await.unwrap();
    assert_eq!(at_storage.len(), 1);
    assert_eq!(authorization_of(&at_storage[0]), None, "the token reached the storage host");
}

#[tokio::test]
async fn a_log_still_being_written_is_a_notice_not_an_error_page() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let signed = format!("{}/blobs/job-42?sig=S", storage.uri());
    Mock::given(method("GET"))
        .and(path(api_log_route(42)))
        .respond_with(ResponseTemplate::new(302).insert_header("location", signed.as_str()))
        .mount(&api)
        .await;
    let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>BlobNotFound</Code>\
               <Message>The specified blob does not exist.</Message></Error>";
    Mock::given(method("GET"))
        .and(path("/blobs/job-42"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(xml, "application/xml"))
        .mount(&storage)
        .await;
    let (github, _) = client(&api, policy());

    let error = github.job_log(&repo(), JobId(42), 1 << 20).await.unwrap_err();

    assert!(matches!(error, GithubError::LogNotReady { job: JobId(42) }), "{error:?}");
    assert!(error.to_string().contains("still running"));
    assert!(!error.to_string().contains("BlobNotFound"));
}

#[tokio::test]
async fn a_plain_text_404_from_the_log_storage_is_a_log_not_written_yet() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let signed = format!("{}/blobs/job-45?sig=S", storage.uri());
    Mock::given(method("GET"))
        .and(path(api_log_route(45)))
        .respond_with(ResponseTemplate::new(302).insert_header("location", signed.as_str()))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/blobs/job-45"))
        .respond_with(ResponseTemplate::new(404).set_body_raw("Not Found\n", "text/plain"))
        .mount(&storage)
        .await;
    let (github, _) = client(&api, policy());

    let error = github.job_log(&repo(), JobId(45), 1 << 20).await.unwrap_err();

    assert!(matches!(error, GithubError::LogNotReady { job: JobId(45) }), "{error:?}");
    assert!(error.to_string().contains("still running"), "{error}");
}

#[tokio::test]
async fn a_404_from_the_api_for_a_log_is_an_unknown_job_not_a_log_in_progress() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_log_route(46)))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&api)
        .await;
    let (github, _) = client(&api, policy());

    let error = github.job_log(&repo(), JobId(46), 1 << 20).await.unwrap_err();

    assert!(matches!(error, GithubError::NotFound { .. }), "{error:?}");
}

#[tokio::test]
async fn an_expired_log_says_so() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_log_route(43)))
        .respond_with(ResponseTemplate::new(410).set_body_json(json!({"message": "Gone"})))
        .mount(&api)
        .await;
    let (github, _) = client(&api, policy());

    let error = github.job_log(&repo(), JobId(43), 1 << 20).await.unwrap_err();

    assert!(matches!(error, GithubError::LogExpired { job: JobId(43) }), "{error:?}");
    assert!(error.to_string().contains("expired"));
}

#[tokio::test]
async fn a_log_over_the_cap_is_refused_rather_than_cut() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(api_log_route(44)))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![b'x'; 4096], "text/plain"))
        .mount(&api)
        .await;
    let (github, _) = client(&api, policy());

    let error = github.job_log(&repo(), JobId(44), 1024).await.unwrap_err();

    assert!(matches!(error, GithubError::LogTooLarge { .. }), "{error:?}");
}

async fn refused(status: u16, body: Value) -> GithubError {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    let (github, clock) = client(&server, policy());
    let error = github.run(&repo(), RunId(7)).await.unwrap_err();
    assert_eq!(clock.sleeps(), Vec::<Duration>::new(), "a refusal is not retried");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(!error.to_string().contains(SECRET));
    error
}

#[tokio::test]
async fn bad_credentials_say_how_to_get_a_new_token() {
    let error = refused(401, json!({"message": "Bad credentials", "status": "401"})).await;
    assert!(matches!(error, GithubError::BadCredentials));
    assert!(error.to_string().contains("GH_TOKEN"));
}

#[tokio::test]
async fn a_token_without_the_actions_permission_is_told_which_one_it_needs() {
    let body = json!({"message": "Resource not accessible by integration", "status": "403"});
    let error = refused(403, body).await;
    assert!(matches!(error, GithubError::NotAccessible { .. }), "{error:?}");
    assert!(error.to_string().contains("Actions"));
}

#[tokio::test]
async fn an_unknown_repository_or_run_points_at_repo_and_the_run_id() {
    let error = refused(404, json!({"message": "Not Found"})).await;
    assert!(matches!(error, GithubError::NotFound { .. }), "{error:?}");
    assert!(error.to_string().contains("--repo") && error.to_string().contains("run 7"));
}

async fn limited_then_ok(
    limit: ResponseTemplate,
    max_wait: Duration,
) -> (Result<(), GithubError>, Vec<Duration>, usize) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(limit)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(run_json(7, 1)))
        .mount(&server)
        .await;
    let (github, clock) = client(&server, RetryPolicy { max_rate_wait: max_wait, ..policy() });
    let result = github.run(&repo(), RunId(7)).await.map(|_| ());
    (result, clock.sleeps(), server.received_requests().await.unwrap().len())
}

#[tokio::test]
async fn a_used_up_budget_waits_until_the_reset_on_the_clock() {
    let reset = (NOW + 30).to_string();
    let limit = ResponseTemplate::new(403)
        .insert_header("x-ratelimit-limit", "5000")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", reset.as_str())
        .set_body_json(json!({"message": "API rate limit exceeded for user ID 1."}));

    let (result, sleeps, requests) = limited_then_ok(limit, Duration::from_secs(60)).await;

    result.unwrap();
    assert_eq!(sleeps, vec![Duration::from_secs(31)]);
    assert_eq!(requests, 2);
}

#[tokio::test]
async fn retry_after_on_a_403_is_a_secondary_limit_waited_out_on_the_clock() {
    let limit = ResponseTemplate::new(403)
        .insert_header("retry-after", "4")
        .set_body_json(json!({"message": "You have exceeded a secondary rate limit."}));

    let (result, sleeps, requests) = limited_then_ok(limit, Duration::from_secs(60)).await;

    result.unwrap();
    assert_eq!(sleeps, vec![Duration::from_secs(4)]);
    assert_eq!(requests, 2);
}

#[tokio::test]
async fn retry_after_on_a_429_is_honoured() {
    let limit = ResponseTemplate::new(429)
        .insert_header("retry-after", "5")
        .set_body_json(json!({"message": "You have exceeded a secondary rate limit."}));

    let (result, sleeps, requests) = limited_then_ok(limit, Duration::from_secs(60)).await;

    result.unwrap();
    assert_eq!(sleeps, vec![Duration::from_secs(5)]);
    assert_eq!(requests, 2);
}

#[tokio::test]
async fn a_wait_past_the_cap_fails_at_once_with_the_reset_time() {
    let reset = (NOW + 3600).to_string();
    let limit = ResponseTemplate::new(403)
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", reset.as_str())
        .set_body_json(json!({"message": "API rate limit exceeded"}));

    let (result, sleeps, requests) = limited_then_ok(limit, Duration::from_secs(60)).await;

    let error = result.unwrap_err();
    assert!(matches!(error, GithubError::RateLimited { .. }), "{error:?}");
    let reset_words =
        Timestamp::from_second(NOW + 3600).unwrap().strftime("%H:%M:%S UTC").to_string();
    assert!(error.to_string().contains(&reset_words), "{error}");
    assert!(error.to_string().contains("--max-wait"));
    assert!(sleeps.is_empty());
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn a_server_error_is_retried_after_a_jittered_backoff() {
    let limit = ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>");

    let (result, sleeps, requests) = limited_then_ok(limit, Duration::from_secs(60)).await;

    result.unwrap();
    assert_eq!(requests, 2);
    assert_eq!(sleeps.len(), 1);
    assert!(sleeps[0] >= Duration::from_millis(500) && sleeps[0] <= Duration::from_secs(1));
}

#[tokio::test]
async fn server_errors_give_up_after_the_policy_s_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let (github, clock) = client(&server, policy());

    let error = github.run(&repo(), RunId(7)).await.unwrap_err();

    assert!(matches!(error, GithubError::Server { status: 500, attempts: 4, .. }), "{error:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 3);
    assert!(sleeps[2] >= Duration::from_secs(2) && sleeps[2] <= Duration::from_secs(4));
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_named() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = closed.local_addr().unwrap();
    drop(closed);
    let clock = Arc::new(ManualClock::starting_at(Timestamp::from_second(NOW).unwrap()));
    let url = format!("http://{address}");
    let github = GitHub::new(&url, Some(&Token::new(SECRET)), policy(), clock.clone()).unwrap();

    let error = github.run(&repo(), RunId(7)).await.unwrap_err();

    assert!(matches!(error, GithubError::Connection { attempts: 4, .. }), "{error:?}");
    assert_eq!(clock.sleeps().len(), 3);
    assert!(error.to_string().contains("127.0.0.1"));
}

#[tokio::test]
async fn malformed_json_is_reported_with_what_was_asked() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("{\"id\": 7, \"run_numb", "application/json"),
        )
        .mount(&server)
        .await;
    let (github, _) = client(&server, policy());

    let error = github.run(&repo(), RunId(7)).await.unwrap_err();

    assert!(matches!(error, GithubError::Malformed { .. }), "{error:?}");
    assert!(error.to_string().contains("run 7 in octo-org/widgets"));
}

#[tokio::test]
async fn a_slow_answer_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(run_json(7, 1))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let quick = RetryPolicy { timeout: Duration::from_millis(200), ..policy() };
    let (github, _) = client(&server, quick);
    let started = std::time::Instant::now();

    let error = github.run(&repo(), RunId(7)).await.unwrap_err();

    assert!(matches!(error, GithubError::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_budget_of_the_last_answer_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(run_json(7, 1))
                .insert_header("x-ratelimit-limit", "5000")
                .insert_header("x-ratelimit-remaining", "4321"),
        )
        .mount(&server)
        .await;
    let (github, _) = client(&server, policy());

    github.run(&repo(), RunId(7)).await.unwrap();

    let budget = github.budget().unwrap();
    assert_eq!((budget.limit, budget.remaining), (Some(5000), 4321));
    assert!(!format!("{github:?}").contains(SECRET));
}

#[tokio::test]
async fn the_caller_is_told_before_a_rate_limit_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(run_json(7, 1)))
        .mount(&server)
        .await;
    let (github, _) = client(&server, policy());
    let told = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = told.clone();
    let github = github.with_rate_wait_notice(RateWaitNotice(Arc::new(move |hit| {
        sink.lock().unwrap().push(hit.wait);
    })));

    github.run(&repo(), RunId(7)).await.unwrap();

    assert_eq!(*told.lock().unwrap(), vec![Duration::from_secs(3)]);
    assert_eq!(github.rate().waiting_until, None, "the wait is over once answered");
}
