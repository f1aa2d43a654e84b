//! The binary's `rerun` and `cancel` against a fake GitHub: the route and body the fake
//! receives for each form of the command (the debug flag only with `--debug`), the exit codes
//! (0 accepted, 1 refused, 2 bad use), and the 403 and 409 messages. The token is never printed.

use std::process::{Command, Output};

use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "ghp_FAKE_act_cli_token_do_not_leak";
const REPO: &str = "octo-org/vehicle-inspections";
const RUN: &str = "20123456789012";

/// Runs the binary against the fake server with a token; returns its output.
async fn gha_triage(server: &MockServer, args: &[&str]) -> Output {
    let config = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_gha-triage"));
    command
        .args(args)
        .args(["--repo", REPO, "--api-url", &server.uri()])
        .env("GH_TOKEN", SECRET)
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_HOST")
        .env_remove("GITHUB_ACTIONS")
        .env("GHA_TRIAGE_CONFIG_DIR", config.path())
        .env("NO_COLOR", "1");
    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET), "the token was printed");
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fake GitHub that answers every POST with `status` and `body`.
async fn answering(status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

/// The requests the fake received, as `METHOD path body`.
async fn received(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    for request in &requests {
        let authorization = request.headers.get("authorization").map(|v| v.to_str().unwrap());
        assert_eq!(authorization, Some(&*format!("Bearer {SECRET}")));
    }
    requests
        .iter()
        .map(|r| format!("{} {} {}", r.method, r.url.path(), text(&r.body)).trim_end().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_form_of_rerun_and_cancel_posts_its_route_and_body_once() {
    let base = format!("/repos/{REPO}/actions");
    let cases: [(&[&str], u16, String); 8] = [
        (&["rerun", RUN], 201, format!("POST {base}/runs/{RUN}/rerun")),
        (
            &["rerun", RUN, "--debug"],
            201,
            format!("POST {base}/runs/{RUN}/rerun {{\"enable_debug_logging\":true}}"),
        ),
        (&["rerun", RUN, "--failed"], 201, format!("POST {base}/runs/{RUN}/rerun-failed-jobs")),
        (
            &["rerun", RUN, "--failed", "--debug"],
            201,
            format!("POST {base}/runs/{RUN}/rerun-failed-jobs {{\"enable_debug_logging\":true}}"),
        ),
        (
            &["rerun", RUN, "--job", "59985111101"],
            201,
            format!("POST {base}/jobs/59985111101/rerun"),
        ),
        (
            &["rerun", RUN, "--job", "59985111101", "--debug"],
            201,
            format!("POST {base}/jobs/59985111101/rerun {{\"enable_debug_logging\":true}}"),
        ),
        (&["cancel", RUN], 202, format!("POST {base}/runs/{RUN}/cancel")),
        (&["cancel", RUN, "--force"], 202, format!("POST {base}/runs/{RUN}/force-cancel")),
    ];
    for (args, status, expected) in cases {
        let server = answering(status, json!({})).await;

        let output = gha_triage(&server, args).await;

        assert_eq!(output.status.code(), Some(0), "{args:?}: {}", text(&output.stderr));
        assert_eq!(received(&server).await, vec![expected.clone()], "{args:?}");
        let said = text(&output.stdout);
        let word = if args[0] == "rerun" { "rerun requested" } else { "cancel requested" };
        assert!(said.contains(word) && said.contains(&status.to_string()), "{said}");
        println!("gha-triage {}  ->  {expected}  ->  {status}", args.join(" "));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_without_actions_write_exits_1_and_names_the_permission() {
    let body = json!({
        "message": "Resource not accessible by integration",
        "documentation_url": "https://docs.github.com/rest/actions/workflow-runs#re-run-failed-jobs-from-a-workflow-run",
        "status": "403"
    });
    let server = answering(403, body).await;

    let output = gha_triage(&server, &["rerun", RUN, "--failed"]).await;

    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("403") && stderr.contains("actions: write"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn canceling_a_completed_run_exits_1_and_says_why() {
    let message = "Cannot cancel a workflow run that is completed.";
    let server = answering(409, json!({"message": message})).await;

    let output = gha_triage(&server, &["cancel", RUN]).await;

    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("409") && stderr.contains("already completed"), "{stderr}");
    assert!(stderr.contains(message), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn rerunning_a_run_still_in_progress_exits_1_and_says_so() {
    let server = answering(403, json!({"message": "This workflow is already running"})).await;

    let output = gha_triage(&server, &["rerun", RUN]).await;

    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("still in progress"), "{}", text(&output.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_run_exits_2_and_points_at_the_run_id() {
    let server = answering(404, json!({"message": "Not Found"})).await;

    let output = gha_triage(&server, &["cancel", RUN]).await;

    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("404"), "{}", text(&output.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_and_job_together_are_bad_use_and_send_nothing() {
    let server = answering(201, json!({})).await;

    let both = gha_triage(&server, &["rerun", RUN, "--failed", "--job", "7"]).await;
    let not_a_number = gha_triage(&server, &["cancel", "latest"]).await;

    assert_eq!(both.status.code(), Some(2));
    assert!(text(&both.stderr).contains("--job"), "{}", text(&both.stderr));
    assert_eq!(not_a_number.status.code(), Some(2));
    assert!(received(&server).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn run_or_job_id_0_is_bad_use_and_sends_nothing() {
    let server = answering(202, json!({})).await;

    let cancel = gha_triage(&server, &["cancel", "0"]).await;
    let rerun = gha_triage(&server, &["rerun", "0"]).await;
    let job = gha_triage(&server, &["rerun", RUN, "--job", "0"]).await;

    for output in [&cancel, &rerun, &job] {
        assert_eq!(output.status.code(), Some(2), "{}", text(&output.stdout));
        assert!(text(&output.stderr).contains("start at 1"), "{}", text(&output.stderr));
    }
    assert!(received(&server).await.is_empty());
}
