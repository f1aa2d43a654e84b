//! History and flakiness over a synthetic run history served by a fake GitHub: a cause seen in
//! two runs (one of them flaky: its attempt 2 passed on the same commit), a new cause, and a
//! cause of another workflow; `history` as JSON and text, with `--since`, `--workflow` and
//! `--offline`, and "new" / "seen in N runs" and what is new since the job last passed in the
//! report.

#[path = "store_support/fake.rs"]
mod fake;

use fake::{Attempt, gha_triage, requests_to, serve, text};
use serde_json::Value;

const X: &str = "E   ModuleNotFoundError: No module named 'requests'";
const Y: &str = "E   ModuleNotFoundError: No module named 'yaml'";
const Z: &str =
    "fatal: could not read Username for 'https://github.com': terminal prompts disabled";

const CI: (u64, &str) = (161_335, "CI");
const NIGHTLY: (u64, &str) = (161_336, "Nightly");

const RUN_1: u64 = 20_000_000_101;
const RUN_2: u64 = 20_000_000_202;
const RUN_3: u64 = 20_000_000_303;
const RUN_4: u64 = 20_000_000_404;

fn attempt(run: u64, attempt: u32, sha: &'static str, day: &'static str) -> Attempt {
    Attempt {
        run,
        attempt,
        sha,
        branch: "main",
        workflow: CI,
        job: "test (3.12)",
        day,
        cause: None,
    }
}

/// Run 1 fails with X on sha A and passes on attempt 2; run 2 fails with X on sha B on a
/// feature branch; run 3 fails with a new cause Y; run 4, of another workflow and older, fails
/// with Z.
fn history() -> Vec<Attempt> {
    vec![
        Attempt { cause: Some(X), ..attempt(RUN_1, 1, "a1a1a1a1a1a1a1a1a1a1", "2025-12-14") },
        attempt(RUN_1, 2, "a1a1a1a1a1a1a1a1a1a1", "2025-12-14"),
        Attempt {
            cause: Some(X),
            branch: "feature/login",
            ..attempt(RUN_2, 1, "b2b2b2b2b2b2b2b2b2b2", "2025-12-15")
        },
        Attempt { cause: Some(Y), ..attempt(RUN_3, 1, "c3c3c3c3c3c3c3c3c3c3", "2025-12-16") },
        Attempt {
            cause: Some(Z),
            workflow: NIGHTLY,
            job: "docs",
            ..attempt(RUN_4, 1, "d4d4d4d4d4d4d4d4d4d4", "2025-12-13")
        },
    ]
}

async fn run_ok(
    api: Option<&wiremock::MockServer>,
    cache: &std::path::Path,
    args: &[&str],
) -> String {
    let output = gha_triage(api, cache, args).await;
    assert!(output.status.success(), "{args:?}: {}", text(&output.stderr));
    text(&output.stdout)
}

/// Classifies every attempt, as a user triaging them one by one would.
async fn classify_all(api: &wiremock::MockServer, cache: &std::path::Path) {
    for run in [RUN_1, RUN_2, RUN_3, RUN_4] {
        run_ok(Some(api), cache, &["classify", "--run", &run.to_string()]).await;
    }
    run_ok(Some(api), cache, &["classify", "--run", &RUN_1.to_string(), "--attempt", "1"]).await;
}

fn causes(json: &str) -> Vec<Value> {
    let value: Value = serde_json::from_str(json).unwrap();
    value["causes"].as_array().unwrap().clone()
}

fn titles(causes: &[Value]) -> Vec<&str> {
    causes.iter().map(|cause| cause["title"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn history_lists_the_new_cause_first_then_the_most_frequent_with_its_flake_rate() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&history()).await;
    classify_all(&api, cache.path()).await;

    let json = run_ok(Some(&api), cache.path(), &["history", "--format", "json"]).await;
    let causes = causes(&json);
    assert_eq!(
        titles(&causes),
        [
            "Python cannot import yaml",
            "Python cannot import requests",
            "git has no credentials for https://github.com"
        ],
        "{json}"
    );
    let (y, x) = (&causes[0], &causes[1]);
    assert_eq!(y["new"], true);
    assert_eq!(y["runs"], 1);
    assert_eq!(x["new"], false);
    assert_eq!(x["runs"], 2);
    assert_eq!(x["flaky_runs"], 1, "run 1 passed on attempt 2: flake rate 1/2");
    assert_eq!(x["first_seen"], "2025-12-14T10:01:00Z", "run 1's day and time");
    assert_eq!(x["last_seen"], "2025-12-15T10:42:00Z");
    assert_eq!(x["jobs"], serde_json::json!(["test (3.12)"]));
    assert_eq!(x["branches"], serde_json::json!(["main", "feature/login"]));
    assert_eq!(x["workflows"], serde_json::json!(["CI"]));
    assert_eq!(causes[2]["new"], false, "older than the newest run's day");

    let value: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["new_since"], "2025-12-16T00:00:00Z", "new: first seen on the newest day");
    assert_eq!(value["runs"], 4);
    let job = &value["jobs"][0];
    assert_eq!(
        (job["job"].as_str(), job["flaky_runs"].as_u64(), job["failed_runs"].as_u64()),
        (Some("test (3.12)"), Some(1), Some(3))
    );
}

#[tokio::test]
async fn history_since_a_day_counts_only_the_runs_from_that_day_on() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&history()).await;
    classify_all(&api, cache.path()).await;

    let json =
        run_ok(Some(&api), cache.path(), &["history", "--since", "2025-12-15", "-f", "json"]).await;
    let causes = causes(&json);
    assert_eq!(titles(&causes), ["Python cannot import yaml", "Python cannot import requests"]);
    assert_eq!(causes[1]["runs"], 1, "run 2 only");
    assert_eq!(causes[1]["first_seen"], "2025-12-14T10:01:00Z", "first seen before the window");
    assert_eq!(causes[1]["new"], false);
    assert_eq!(causes[0]["new"], true);
}

#[tokio::test]
async fn history_of_one_workflow_leaves_the_others_out() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&history()).await;
    classify_all(&api, cache.path()).await;

    let json =
        run_ok(None, cache.path(), &["history", "--workflow", "Nightly", "-f", "json"]).await;
    let causes = causes(&json);
    assert_eq!(titles(&causes), ["git has no credentials for https://github.com"]);
    assert_eq!(causes[0]["jobs"], serde_json::json!(["docs"]));

    let ci = run_ok(None, cache.path(), &["history", "--workflow", "CI", "-f", "json"]).await;
    assert_eq!(
        titles(&self::causes(&ci)),
        ["Python cannot import yaml", "Python cannot import requests"]
    );
}

#[tokio::test]
async fn history_counts_causes_unless_all_asks_for_symptoms_too() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&history()).await;
    classify_all(&api, cache.path()).await;

    let causes_only = run_ok(None, cache.path(), &["history", "-f", "json"]).await;
    let everything = run_ok(None, cache.path(), &["history", "--all", "-f", "json"]).await;
    let exit = "Step failed with exit code 1";
    assert!(!titles(&causes(&causes_only)).iter().any(|title| title.contains("exit code")));
    let all = causes(&everything);
    let symptom = all.iter().find(|cause| cause["title"].as_str().unwrap().contains(exit));
    assert_eq!(symptom.map(|cause| cause["runs"].as_u64()), Some(Some(4)), "{everything}");
}

#[tokio::test]
async fn history_online_triages_what_the_store_lacks_and_offline_reads_it_back() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&history()).await;
    let online = run_ok(Some(&api), cache.path(), &["history"]).await;
    let logs = requests_to(&api, "/logs").await;
    let again = run_ok(Some(&api), cache.path(), &["history"]).await;
    assert_eq!(again, online);
    assert_eq!(requests_to(&api, "/logs").await, logs, "no log is fetched twice");
    drop(api);

    let offline = run_ok(None, cache.path(), &["history"]).await;
    assert_eq!(offline, online);
    assert!(
        online.starts_with("causes in octo-org/widgets in every run kept: 4 runs with a cause"),
        "{online}"
    );
    let yaml = online.lines().find(|line| line.contains("cannot import yaml")).unwrap();
    assert!(yaml.starts_with("new     1      -  2025-12-16"), "{online}");
    let requests = online.lines().find(|line| line.contains("cannot import requests")).unwrap();
    assert!(requests.starts_with("        2    1/2  2025-12-14  2025-12-15"), "{online}");
    assert!(online.contains("CI › test (3.12) on main, feature/login"), "{online}");
    assert!(online.contains("flaky jobs (failed, then passed on the same commit)\n  CI › test (3.12): 1 of 3 failed runs"), "{online}");
}

#[tokio::test]
async fn the_report_says_whether_a_cause_is_new_or_seen_before_and_what_is_new_since_it_passed() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&history()).await;
    classify_all(&api, cache.path()).await;

    let third = run_ok(Some(&api), cache.path(), &["report", "--run", &RUN_3.to_string()]).await;
    assert!(third.contains("- Across runs: new\n"), "{third}");
    assert!(
        third.contains("### `test (3.12)`: New since it last passed (run #101): 2 of 5 lines"),
        "{third}"
    );
    let new_lines = third.split("New since it last passed").nth(1).unwrap();
    assert!(new_lines.contains(Y), "{third}");
    assert!(!new_lines.contains("pytest -q\n"), "the lines both logs printed are left out");

    let second = run_ok(Some(&api), cache.path(), &["report", "--run", &RUN_2.to_string()]).await;
    assert!(
        second.contains(
            "- Across runs: seen in 2 runs since 2025-12-14 · flaky 1/2 (the same commit passed \
             on a later try)"
        ),
        "{second}"
    );
}

#[tokio::test]
async fn report_offline_writes_up_the_newest_failed_run_kept_with_its_streak_and_last_pass_from_the_store()
 {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&history()).await;
    classify_all(&api, cache.path()).await;
    let online = run_ok(Some(&api), cache.path(), &["report", "--run", &RUN_3.to_string()]).await;
    assert!(online.contains("New since it last passed (run #101)"), "{online}");
    drop(api);

    let output = gha_triage(None, cache.path(), &["report"]).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(report.starts_with("# CI run #303\n"), "{report}");
    assert!(
        report.contains(
            "- **History:** failing since #303 on 2025-12-16, 1 in a row, last green #101 on \
             2025-12-14\n"
        ),
        "{report}"
    );
    assert!(report.contains("- Across runs: new\n"), "{report}");
    assert!(report.contains("New since it last passed (run #101)"), "{report}");
    assert!(
        text(&output.stderr).contains("offline: no suspect commits"),
        "{}",
        text(&output.stderr)
    );
}

#[tokio::test]
async fn a_first_report_of_a_run_finds_what_is_new_since_the_job_last_passed() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&history()).await;

    let report = run_ok(Some(&api), cache.path(), &["report", "--run", &RUN_3.to_string()]).await;

    assert!(report.contains("New since it last passed (run #101)"), "{report}");
    let new_lines = report.split("New since it last passed").nth(1).unwrap();
    assert!(new_lines.contains(Y), "{report}");
}

#[tokio::test]
async fn a_report_of_a_failed_attempt_a_rerun_passed_calls_it_flaky_without_history() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&history()).await;
    run_ok(Some(&api), cache.path(), &["classify", "--run", &RUN_2.to_string()]).await;

    let args = ["report", "--run", &RUN_1.to_string(), "--attempt", "1"];
    let first_try = run_ok(Some(&api), cache.path(), &args).await;

    assert!(
        first_try.contains("· flaky 1/2 (the same commit passed on a later try)"),
        "{first_try}"
    );
    assert_eq!(requests_to(&api, &format!("/runs/{RUN_1}/attempts/2/jobs")).await, 1);
}

#[tokio::test]
async fn a_failure_whose_commit_passed_in_a_later_run_counts_as_flaky() {
    const RUN_5: u64 = 20_000_000_545; // created at 10:25, after run 3 (10:23)
    const RUN_0: u64 = 20_000_000_500; // created at 10:40, before run 2 (10:42)
    let cache = tempfile::tempdir().unwrap();
    let mut runs = history();
    runs.push(attempt(RUN_5, 1, "c3c3c3c3c3c3c3c3c3c3", "2025-12-16"));
    runs.push(attempt(RUN_0, 1, "b2b2b2b2b2b2b2b2b2b2", "2025-12-15"));
    let api = serve(&runs).await;
    classify_all(&api, cache.path()).await;
    for green in [RUN_5, RUN_0] {
        run_ok(Some(&api), cache.path(), &["classify", "--run", &green.to_string()]).await;
    }

    let json = run_ok(None, cache.path(), &["history", "--format", "json"]).await;

    let causes = causes(&json);
    let yaml = causes.iter().find(|cause| cause["title"] == "Python cannot import yaml").unwrap();
    assert_eq!(
        (yaml["runs"].as_u64(), yaml["flaky_runs"].as_u64()),
        (Some(1), Some(1)),
        "run 3 failed on c3c3…, and run 5 passed on it later: {json}"
    );
    let value: Value = serde_json::from_str(&json).unwrap();
    let job = &value["jobs"][0];
    assert_eq!(
        (job["job"].as_str(), job["flaky_runs"].as_u64(), job["failed_runs"].as_u64()),
        (Some("test (3.12)"), Some(2), Some(3)),
        "runs 1 and 3 passed on their commit later; run 2's commit passed only before it failed"
    );
    let requests = causes.iter().find(|cause| cause["title"] == "Python cannot import requests");
    assert_eq!(requests.unwrap()["flaky_runs"], 1, "run 1's, not run 2's");
}

#[tokio::test]
async fn report_offline_with_a_branch_writes_up_the_newest_failed_run_kept_on_that_branch() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&history()).await;
    classify_all(&api, cache.path()).await;
    drop(api);

    let report = run_ok(None, cache.path(), &["report", "--branch", "feature/login"]).await;

    assert!(report.starts_with("# CI run #202\n"), "{report}");
}

#[tokio::test]
async fn history_offline_on_an_empty_store_says_to_triage_a_failed_run_online_first() {
    let cache = tempfile::tempdir().unwrap();

    let offline = run_ok(None, cache.path(), &["history"]).await;

    assert_eq!(
        offline.lines().next().unwrap_or_default(),
        "no causes kept for octo-org/widgets yet: triage a failed run online first \
         (gha-triage history without --offline does it for every failed run)",
        "{offline}"
    );
}
