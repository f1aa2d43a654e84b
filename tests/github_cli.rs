//! The binary against a fake GitHub: `classify --run` and `report --run` read a run, its jobs
//! and its failed jobs' logs through `--api-url`, within a counted number of requests, and
//! never print the token. The report run is the demo's, served as GitHub would serve it.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "ghp_FAKE_e2e_token_do_not_leak";
const REPO: &str = "octo-org/vehicle-inspections";

fn demo_file(name: &str) -> Vec<u8> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo").join(name);
    std::fs::read(&file).unwrap_or_else(|error| panic!("{}: {error}", file.display()))
}

fn demo_json(name: &str) -> Value {
    serde_json::from_slice(&demo_file(name)).unwrap()
}

fn demo_json_or(name: &str, otherwise: Value) -> Value {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo").join(name);
    std::fs::read(file).map_or(otherwise, |bytes| serde_json::from_slice(&bytes).unwrap())
}

/// A job's check-run annotations, as `GET …/check-runs/{job}/annotations` serves them.
async fn serve_annotations(api: &MockServer, job: u64, annotations: Value) {
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/check-runs/{job}/annotations")))
        .respond_with(ResponseTemplate::new(200).set_body_json(annotations))
        .mount(api)
        .await;
}

/// Runs the binary with a token, no user rules and the fake server; returns its output.
async fn gha_triage(server: &MockServer, args: &[&str]) -> Output {
    let config = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_gha-triage"));
    command
        .args(args)
        .args(["--repo", REPO, "--api-url", &server.uri(), "--no-user-rules"])
        .env("GH_TOKEN", SECRET)
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_HOST")
        .env_remove("GITHUB_ACTIONS")
        .env("GHA_TRIAGE_CONFIG_DIR", config.path())
        .env("GHA_TRIAGE_CACHE_DIR", config.path().join("cache"))
        .env("NO_COLOR", "1");
    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET), "the token was printed");
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Requests `report` makes for the jobs of the branch's earlier runs, looking for the failed
/// job's last pass, when the fake serves none of them: the 5 runs it looks through at most.
const PASS_PROBES: usize = 5;

async fn api_requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// The demo's Stage 2 run #36, served at the routes `report` reads.
async fn serve_demo_report_run(api: &MockServer, storage: &MockServer) -> Value {
    let runs = demo_json("runs.json")["workflow_runs"].as_array().unwrap().clone();
    let run = runs
        .iter()
        .find(|run| run["name"] == "Stage 2 - Data Processing" && run["run_number"] == 36)
        .unwrap()
        .clone();
    let (id, attempt) = (run["id"].as_u64().unwrap(), run["run_attempt"].as_u64().unwrap_or(1));
    let base = format!("/repos/{REPO}/actions");
    Mock::given(method("GET"))
        .and(path(format!("{base}/runs/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&run))
        .mount(api)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/runs")))
        .and(query_param("status", "failure"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": 1, "workflow_runs": [run]})),
        )
        .mount(api)
        .await;
    let jobs = demo_json(&format!("jobs/{id}-{attempt}.json"));
    Mock::given(method("GET"))
        .and(path(format!("{base}/runs/{id}/attempts/{attempt}/jobs")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&jobs))
        .mount(api)
        .await;
    for job in jobs["jobs"].as_array().unwrap() {
        let id = job["id"].as_u64().unwrap();
        serve_log(api, storage, id, Some(demo_file(&format!("logs/{id}.log")))).await;
        let annotations = format!("annotations/{id}.json");
        let annotations = demo_json_or(&annotations, json!([]));
        serve_annotations(api, id, annotations).await;
    }
    let history: Vec<&Value> = runs
        .iter()
        .filter(|other| {
            other["workflow_id"] == run["workflow_id"] && other["head_branch"] == run["head_branch"]
        })
        .collect();
    let compare =
        "316cd86d70e1af901f26c3c588e08e5988fdaea1...849afb92f43199b53d60d78016ebac5d8c4cf191";
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/compare/{compare}")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(demo_json(&format!("compare/{compare}.json"))),
        )
        .mount(api)
        .await;
    serve_demo_repository(api, run["head_sha"].as_str().unwrap()).await;
    let workflow = run["workflow_id"].as_u64().unwrap();
    Mock::given(method("GET"))
        .and(path(format!("{base}/workflows/{workflow}/runs")))
        .and(query_param("branch", run["head_branch"].as_str().unwrap()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": history.len(), "workflow_runs": history})),
        )
        .mount(api)
        .await;
    run
}

/// The demo's repository at commit `sha`, as the trees and contents APIs serve it: the file
/// list of `tree.json` and each workflow file in base64, in lines as GitHub writes them.
async fn serve_demo_repository(api: &MockServer, sha: &str) {
    use base64::Engine as _;
    let tree = demo_json("tree.json");
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/git/trees/{sha}")))
        .and(query_param("recursive", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&tree))
        .mount(api)
        .await;
    let workflows = tree["tree"].as_array().unwrap().iter().filter_map(|entry| {
        let path = entry["path"].as_str()?;
        (entry["type"] == "blob" && path.starts_with(".github/workflows/")).then_some(path)
    });
    for file in workflows {
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(demo_file(&format!("repo/{file}")));
        let lines: Vec<&str> = encoded
            .as_bytes()
            .chunks(60)
            .map(|chunk| std::str::from_utf8(chunk).unwrap())
            .collect();
        let body = json!({"type": "file", "encoding": "base64", "path": file,
            "content": format!("{}\n", lines.join("\n"))});
        Mock::given(method("GET"))
            .and(path(format!("/repos/{REPO}/contents/{file}")))
            .and(query_param("ref", sha))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(api)
            .await;
    }
}

/// A job's log: a redirect to the storage server, or 410 when `log` is `None`.
async fn serve_log(api: &MockServer, storage: &MockServer, job: u64, log: Option<Vec<u8>>) {
    let route = format!("/repos/{REPO}/actions/jobs/{job}/logs");
    let Some(log) = log else {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(410).set_body_json(json!({"message": "Gone"})))
            .mount(api)
            .await;
        return;
    };
    let signed = format!("{}/logs/{job}?sv=2021-08-06&sig=SIGNED", storage.uri());
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(302).insert_header("location", signed.as_str()))
        .mount(api)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/logs/{job}")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(log, "text/plain"))
        .mount(storage)
        .await;
}

async fn assert_no_token_reached(storage: &MockServer) {
    for request in storage.received_requests().await.unwrap() {
        assert!(request.headers.get("authorization").is_none(), "the token reached the storage");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn report_of_a_live_run_reads_like_the_demo_report_workflow_files_included() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let run = serve_demo_report_run(&api, &storage).await;
    let id = run["id"].as_u64().unwrap().to_string();

    let live = gha_triage(&api, &["report", "--run", &id]).await;
    let demo = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["report", "--demo", "--no-user-rules"])
        .env("GHA_TRIAGE_CONFIG_DIR", tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();

    assert!(live.status.success(), "{}", text(&live.stderr));
    assert!(demo.status.success() && text(&demo.stdout).contains("Stage 2 - Data Processing"));
    assert_eq!(text(&live.stdout), text(&demo.stdout));
    assert!(text(&live.stdout).contains("### Check-run annotations"));
    let suspects = "- `13069dd` @mvisser: Stage 2: bump raw-data cache key to v2 <https://";
    assert!(text(&live.stdout).contains(suspects), "{}", text(&live.stdout));
    let root_causes = ["data_process.yml:", "uv sync --frozen", "raw-data-v2-"];
    assert!(root_causes.iter().all(|cause| text(&live.stdout).contains(cause)));
    // The run, its jobs, the one failed job's log and annotations, the tree at the head commit
    // and its 4 workflow files, the workflow's runs for the streak and the compare call for its
    // suspects: 2 + 2F + (1 + W) + 2 with F = 1, W = 4; then the jobs of the branch's earlier
    // runs, looked through for the failed job's last pass (this fake serves none of them).
    assert_eq!(api_requests(&api).await, 11 + PASS_PROBES);
    assert_eq!(storage.received_requests().await.unwrap().len(), 1);
    assert_no_token_reached(&storage).await;
}

/// Copies a folder's files into another, recursively.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn report_with_repo_dir_reads_the_workflow_files_from_the_checkout_not_github() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let run = serve_demo_report_run(&api, &storage).await;
    let id = run["id"].as_u64().unwrap().to_string();
    let checkout = tempfile::tempdir().unwrap();
    copy_tree(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo/repo"), checkout.path());
    let dir = checkout.path().to_str().unwrap();

    let live = gha_triage(&api, &["report", "--run", &id, "--repo-dir", dir]).await;

    assert!(live.status.success(), "{}", text(&live.stderr));
    let report = text(&live.stdout);
    let root_causes = ["data_process.yml:51", "uv sync --frozen", "is restored but never saved"];
    assert!(root_causes.iter().all(|cause| report.contains(cause)), "{report}");
    // The folder is no git checkout of the run's commit: its files, with a note.
    let stderr = text(&live.stderr);
    assert!(stderr.contains("is not a git checkout, so its working tree was read"), "{stderr}");
    let requests = api.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| !r.url.path().contains("/git/trees/")));
    assert!(requests.iter().all(|r| !r.url.path().contains("/contents/")));
    let no_files = 6 + PASS_PROBES;
    assert_eq!(requests.len(), no_files, "2 + 2F + 2: no tree, no workflow file from GitHub");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_that_may_not_read_the_files_gets_the_logs_only_report_with_a_note() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let refused = json!({"message": "Resource not accessible by integration"});
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex(r"^/repos/[^/]+/[^/]+/git/trees/"))
        .respond_with(ResponseTemplate::new(403).set_body_json(refused))
        .with_priority(1)
        .mount(&api)
        .await;
    let run = serve_demo_report_run(&api, &storage).await;
    let id = run["id"].as_u64().unwrap().to_string();

    let live = gha_triage(&api, &["report", "--run", &id]).await;
    let logs_only = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["report", "--demo", "--logs-only", "--no-user-rules"])
        .env("GHA_TRIAGE_CONFIG_DIR", tempfile::tempdir().unwrap().path())
        .output()
        .unwrap();

    assert!(live.status.success(), "{}", text(&live.stderr));
    assert_eq!(text(&live.stdout), text(&logs_only.stdout));
    let stderr = text(&live.stderr);
    assert!(stderr.contains("workflow files were not read") && stderr.contains("Contents: Read"));
    assert!(stderr.contains("from the logs alone"), "{stderr}");
    let asked = api_requests(&api).await;
    assert_eq!(asked, 7 + PASS_PROBES, "the tree was asked once, no file after it");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_workflow_file_github_will_not_send_inline_is_skipped_with_a_note() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let symlink = json!({"type": "symlink", "target": "../shared/ci.yml", "path": "x"});
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/contents/.github/workflows/ci.yml")))
        .respond_with(ResponseTemplate::new(200).set_body_json(symlink))
        .with_priority(1)
        .mount(&api)
        .await;
    let run = serve_demo_report_run(&api, &storage).await;
    let id = run["id"].as_u64().unwrap().to_string();

    let live = gha_triage(&api, &["report", "--run", &id]).await;

    assert!(live.status.success(), "{}", text(&live.stderr));
    let stderr = text(&live.stderr);
    assert!(
        stderr.contains("a workflow file was skipped") && stderr.contains("ci.yml"),
        "{stderr}"
    );
    let report = text(&live.stdout);
    assert!(
        report.contains("data_process.yml:51") && report.contains("is restored but never saved")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn report_without_a_run_writes_up_the_latest_failed_run() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    serve_demo_report_run(&api, &storage).await;

    let live = gha_triage(&api, &["report"]).await;

    assert!(live.status.success(), "{}", text(&live.stderr));
    assert!(text(&live.stdout).contains("Stage 2 - Data Processing run #36"));
    // The failed-runs list, the jobs, the log, the annotations, the tree and 4 workflow files,
    // the streak's runs, the compare, the earlier runs' jobs probed for a pass.
    assert_eq!(api_requests(&api).await, 11 + PASS_PROBES);
}

/// Serves the run list at `/actions/runs` whatever its query asks for, as a server that ignores
/// `status=failure` would, ahead of the list that honours it.
async fn serve_runs_ignoring_the_query(api: &MockServer, runs: &[Value]) {
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/actions/runs")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": runs.len(), "workflow_runs": runs})),
        )
        .with_priority(1)
        .mount(api)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn report_without_a_run_skips_green_runs_a_server_sent_despite_status_failure() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let failed = serve_demo_report_run(&api, &storage).await;
    let mut green = failed.clone();
    green["id"] = json!(1);
    green["run_number"] = json!(37);
    green["conclusion"] = json!("success");
    serve_runs_ignoring_the_query(&api, &[green, failed]).await;

    let live = gha_triage(&api, &["report"]).await;

    assert!(live.status.success(), "{}", text(&live.stderr));
    assert!(
        text(&live.stdout).contains("Stage 2 - Data Processing run #36"),
        "{}",
        text(&live.stdout)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn report_without_a_run_says_no_failed_run_when_the_server_sent_only_green_runs() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let mut green = serve_demo_report_run(&api, &storage).await;
    green["conclusion"] = json!("success");
    serve_runs_ignoring_the_query(&api, &[green]).await;

    let live = gha_triage(&api, &["report"]).await;

    assert_eq!(live.status.code(), Some(2), "{}", text(&live.stdout));
    assert!(text(&live.stderr).contains("no failed run"), "{}", text(&live.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn classify_of_a_live_run_reads_failed_jobs_logs_and_annotations_in_2_plus_2f_requests() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let base = format!("/repos/{REPO}/actions");
    let mut run = demo_json("runs.json")["workflow_runs"][0].clone();
    run["id"] = json!(30_433_642_001_u64);
    run["run_attempt"] = json!(2);
    run["conclusion"] = json!("failure");
    Mock::given(method("GET"))
        .and(path(format!("{base}/runs/30433642001")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&run))
        .mount(&api)
        .await;
    let template = demo_json("jobs/20758968196-1.json")["jobs"][0].clone();
    let job = |id: u64, name: &str, conclusion: &str| {
        let mut job = template.clone();
        job["id"] = json!(id);
        job["run_id"] = json!(30_433_642_001_u64);
        job["run_attempt"] = json!(2);
        job["name"] = json!(name);
        job["conclusion"] = json!(conclusion);
        job
    };
    let jobs = json!({"total_count": 3, "jobs": [
        job(70_000_000_001, "process (linux)", "failure"),
        job(70_000_000_002, "process (windows)", "failure"),
        job(70_000_000_003, "lint", "success"),
    ]});
    Mock::given(method("GET"))
        .and(path(format!("{base}/runs/30433642001/attempts/2/jobs")))
        .respond_with(ResponseTemplate::new(200).set_body_json(jobs))
        .mount(&api)
        .await;
    serve_log(&api, &storage, 70_000_000_001, Some(demo_file("logs/59985111101.log"))).await;
    serve_log(&api, &storage, 70_000_000_002, None).await;
    serve_annotations(&api, 70_000_000_001, demo_json("annotations/59985111101.json")).await;
    let lost = "The hosted runner: GitHub Actions 12 lost communication with the server. \
                Anything in your workflow that terminates the runner process, starves it for \
                CPU/Memory, or blocks its network access can cause this error.";
    let annotation = json!([{"path": ".github", "blob_href": null, "start_line": 1,
        "end_line": 1, "start_column": null, "end_column": null, "annotation_level": "failure",
        "title": ".github#L1", "message": lost, "raw_details": null}]);
    serve_annotations(&api, 70_000_000_002, annotation).await;

    let output = gha_triage(&api, &["classify", "--run", "30433642001", "--format", "json"]).await;
    let as_text = gha_triage(&api, &["classify", "--run", "30433642001"]).await;

    assert!(output.status.success(), "{}", text(&output.stderr));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["job"] == "process (linux)"), "{report}");
    // The windows job's log expired: only its annotation tells that the runner went away.
    let lost = findings
        .iter()
        .find(|f| f["rule"] == "runner-lost-communication")
        .unwrap_or_else(|| panic!("no finding from the annotation: {report}"));
    assert_eq!(lost["job"], "process (windows)");
    assert_eq!(lost["file"], "check-run annotations");
    assert!(text(&output.stderr).contains("process (windows)"));
    assert!(text(&output.stderr).contains("expired"));
    assert!(text(&as_text.stdout).contains("annotations of process (windows)"));
    // This fake has no tree for the run's commit: the findings are the logs', with a note.
    let notices = report["notices"].as_array().unwrap();
    assert!(notices.iter().any(|n| n.as_str().unwrap().contains("workflow files were not read")));
    assert!(text(&output.stderr).contains("the findings come from the logs alone"));
    // 2 + 2F + 1 with F = 2 failed jobs: the run, its jobs, per failed job its log and its
    // annotations, and the tree GitHub did not give (each command once).
    assert_eq!(api_requests(&api).await, 2 * (2 + 2 * 2 + 1));
    // Without the workflow files, 2 + 2F exactly, and the same findings.
    let args = ["classify", "--run", "30433642001", "--logs-only", "--format", "json"];
    let logs_only = gha_triage(&api, &args).await;
    assert!(logs_only.status.success(), "{}", text(&logs_only.stderr));
    assert_eq!(api_requests(&api).await, 2 * (2 + 2 * 2 + 1) + (2 + 2 * 2));
    assert!(!text(&logs_only.stderr).contains("workflow files were not read"));
    let logs_only: Value = serde_json::from_slice(&logs_only.stdout).unwrap();
    assert_eq!(logs_only["findings"], report["findings"]);
    assert_no_token_reached(&storage).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limit_past_max_wait_exits_2_with_the_reset_time() {
    let api = MockServer::start().await;
    let reset = jiff::Timestamp::now().as_second() + 1800;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", reset.to_string().as_str())
                .set_body_json(json!({"message": "API rate limit exceeded for user ID 1."})),
        )
        .mount(&api)
        .await;

    let output = gha_triage(&api, &["classify", "--run", "5", "--max-wait", "10"]).await;

    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    let reset_words =
        jiff::Timestamp::from_second(reset).unwrap().strftime("%H:%M:%S UTC").to_string();
    assert!(stderr.contains(&reset_words) && stderr.contains("10 s"), "{stderr}");
    assert_eq!(api_requests(&api).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rate_limit_within_max_wait_is_waited_out_with_a_notice_and_the_command_succeeds() {
    let api = MockServer::start().await;
    let runs = format!("/repos/{REPO}/actions/runs");
    Mock::given(method("GET"))
        .and(path(runs.as_str()))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path(runs.as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": 0, "workflow_runs": []})),
        )
        .mount(&api)
        .await;

    let output = gha_triage(&api, &["runs", "--max-wait", "5"]).await;

    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("rate limit is used up; waiting 1 s"), "{stderr}");
    assert!(stderr.contains("(--max-wait 5)"), "{stderr}");
    assert_eq!(api_requests(&api).await, 2, "asked once more after the wait");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_credentials_exit_2_with_what_to_do() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "Bad credentials"})),
        )
        .mount(&api)
        .await;

    let output = gha_triage(&api, &["report", "--run", "5"]).await;

    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("GH_TOKEN"));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_repo_the_repository_comes_from_the_folder_s_git_remote() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    serve_demo_report_run(&api, &storage).await;
    let clone = tempfile::tempdir().unwrap();
    std::fs::create_dir(clone.path().join(".git")).unwrap();
    let remote = format!("[remote \"origin\"]\n\turl = git@127.0.0.1:{REPO}.git\n");
    std::fs::write(clone.path().join(".git/config"), remote).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_gha-triage"));
    command
        .args(["report", "--api-url", &api.uri(), "--no-user-rules"])
        .current_dir(clone.path())
        .env("GH_TOKEN", SECRET)
        .env_remove("GH_HOST")
        .env("GHA_TRIAGE_CONFIG_DIR", clone.path())
        .env("GHA_TRIAGE_CACHE_DIR", clone.path().join("cache"));

    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("Stage 2 - Data Processing run #36"));
}

#[test]
fn without_a_token_the_message_says_how_to_get_one_and_that_the_demo_needs_none() {
    let empty = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["classify", "--run", "5", "--repo", REPO, "--api-url", "http://127.0.0.1:9"])
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_TOKEN")
        .env("PATH", empty.path())
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("GH_TOKEN") && stderr.contains("gh auth login"), "{stderr}");
    assert!(stderr.contains("gha-triage demo"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn inside_github_actions_report_writes_up_the_triggering_run_into_the_step_summary() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let run = serve_demo_report_run(&api, &storage).await;
    let runner = tempfile::tempdir().unwrap();
    let event = runner.path().join("event.json");
    let payload =
        json!({"action": "completed", "workflow_run": {"id": run["id"], "conclusion": "failure"}});
    std::fs::write(&event, payload.to_string()).unwrap();
    let summary = runner.path().join("step_summary.md");
    std::fs::write(&summary, "# Earlier step\n").unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_gha-triage"));
    command
        .args(["report", "--no-user-rules"])
        .current_dir(runner.path())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_REPOSITORY", REPO)
        .env("GITHUB_API_URL", api.uri())
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_TOKEN", SECRET)
        .env_remove("GH_TOKEN")
        .env_remove("GH_HOST")
        .env("GHA_TRIAGE_CONFIG_DIR", runner.path())
        .env("GHA_TRIAGE_CACHE_DIR", runner.path().join("cache"));

    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();

    assert!(output.status.success(), "{}", text(&output.stderr));
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(written.starts_with("# Earlier step\n"));
    assert!(written.contains("Stage 2 - Data Processing run #36"), "{written}");
    assert!(!written.contains(SECRET));
    // The triggering run by id (no list), its jobs, the failed job's log and annotations, the
    // tree and 4 workflow files, the streak's runs, the compare, the earlier runs' jobs probed.
    assert_eq!(api_requests(&api).await, 11 + PASS_PROBES);
    let requests = api.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| !r.url.as_str().contains("status=failure")));
}

#[tokio::test(flavor = "multi_thread")]
async fn runs_lists_what_the_filters_ask_github_for() {
    let api = MockServer::start().await;
    let runs = demo_json("runs.json");
    let stage2: Vec<Value> = runs["workflow_runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|run| run["name"] == "Stage 2 - Data Processing" && run["conclusion"] == "failure")
        .cloned()
        .collect();
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/actions/workflows/data_process.yml/runs")))
        .and(query_param("branch", "main"))
        .and(query_param("status", "failure"))
        .and(query_param("created", "2025-12-14..2025-12-15"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": stage2.len(), "workflow_runs": stage2})),
        )
        .mount(&api)
        .await;
    let filters = [
        "--workflow",
        ".github/workflows/data_process.yml",
        "--branch",
        "main",
        "--status",
        "failure",
        "--created",
        "2025-12-14..2025-12-15",
    ];

    let output = gha_triage(&api, &[&["runs"][..], &filters].concat()).await;

    assert!(output.status.success(), "{}", text(&output.stderr));
    let listed = text(&output.stdout);
    assert_eq!(listed.lines().count(), 3, "{listed}");
    assert!(listed.lines().all(|line| line.contains("failure")), "{listed}");
    assert!(listed.contains("Stage 2 - Data Processing #36"), "{listed}");
    assert_eq!(api_requests(&api).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn report_picks_the_latest_failed_run_of_the_workflow_and_branch_asked_for() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let run = serve_demo_report_run(&api, &storage).await;
    let workflow = run["workflow_id"].as_u64().unwrap();
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/actions/workflows/{workflow}/runs")))
        .and(query_param("status", "failure"))
        .and(query_param("branch", "main"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": 3, "workflow_runs": [run]})),
        )
        .with_priority(1)
        .mount(&api)
        .await;

    let by_id = workflow.to_string();
    let output = gha_triage(&api, &["report", "--workflow", &by_id, "--branch", "main"]).await;

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("Stage 2 - Data Processing run #36"));
    let requests = api.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| r.url.path() != format!("/repos/{REPO}/actions/runs")));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_filter_value_exits_2_naming_it_before_any_request() {
    let api = MockServer::start().await;

    let output = gha_triage(&api, &["runs", "--created", "last week"]).await;
    let status = gha_triage(&api, &["report", "--status", "red"]).await;

    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--created last week: not a date or range"));
    assert_eq!(status.status.code(), Some(2));
    assert!(text(&status.stderr).contains("--status red"));
    assert_eq!(api_requests(&api).await, 0);
}

#[test]
fn without_a_token_a_wrong_option_value_is_named_rather_than_the_missing_token() {
    let empty = tempfile::tempdir().unwrap();
    let without_token = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_gha-triage"))
            .args(args)
            .args(["--repo", REPO, "--no-user-rules"])
            .env_remove("GH_TOKEN")
            .env_remove("GITHUB_TOKEN")
            .env_remove("GITHUB_ACTIONS")
            .env("PATH", empty.path())
            .env("GHA_TRIAGE_CONFIG_DIR", empty.path())
            .env("GHA_TRIAGE_CACHE_DIR", empty.path().join("cache"))
            .output()
            .unwrap()
    };

    let created = without_token(&["runs", "--created", "2025-13-45"]);
    let status = without_token(&["runs", "--status", "bogus"]);
    let api_url = without_token(&["runs", "--api-url", "ftp://example.com"]);

    assert_eq!(created.status.code(), Some(2));
    assert!(text(&created.stderr).contains("--created 2025-13-45"), "{}", text(&created.stderr));
    assert_eq!(status.status.code(), Some(2));
    assert!(text(&status.stderr).contains("--status bogus"), "{}", text(&status.stderr));
    assert_eq!(api_url.status.code(), Some(2));
    assert!(text(&api_url.stderr).contains("ftp://example.com"), "{}", text(&api_url.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_created_range_that_ends_before_it_starts_exits_2_naming_both_days() {
    let api = MockServer::start().await;

    let output = gha_triage(&api, &["runs", "--created", "2025-12-15..2025-12-01"]).await;

    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("2025-12-15") && stderr.contains("2025-12-01"), "{stderr}");
    assert_eq!(api_requests(&api).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_comparison_github_cannot_make_is_a_note_and_the_report_is_still_written() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex(r"^/repos/[^/]+/[^/]+/compare/"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .with_priority(1)
        .mount(&api)
        .await;
    let run = serve_demo_report_run(&api, &storage).await;
    let id = run["id"].as_u64().unwrap().to_string();

    let output = gha_triage(&api, &["report", "--run", &id]).await;

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("no suspect commits"), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(
        !report.contains("## Suspects") && report.contains("- **Suspects:** the commits after")
    );
}

#[test]
fn an_api_url_without_a_scheme_exits_2_at_once_and_names_it() {
    let started = std::time::Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["classify", "--run", "1", "--repo", "o/r", "--api-url", "127.0.0.1:9"])
        .env("GH_TOKEN", "dummy")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();

    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("`127.0.0.1:9` is not an API URL"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(3), "no retries for a bad URL");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_command_and_without_a_terminal_the_tui_says_so_and_sends_nothing() {
    let api = MockServer::start().await;

    let output = gha_triage(&api, &[]).await;

    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("the TUI needs a terminal"), "{stderr}");
    assert!(stderr.contains("`classify` or `report`"), "{stderr}");
    assert_eq!(api_requests(&api).await, 0, "nothing is asked before the terminal is checked");
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_triage_reads_the_kept_workflow_files_and_never_replaces_findings() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let run = serve_demo_report_run(&api, &storage).await;
    let id = run["id"].as_u64().unwrap().to_string();
    let home = tempfile::tempdir().unwrap();
    let api_url = api.uri();
    let classify = |offline: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gha-triage"));
        command
            .args(["classify", "--run", &id, "--repo", REPO, "--no-user-rules"])
            .args(["--api-url", &api_url])
            .env("GH_TOKEN", SECRET)
            .env_remove("GITHUB_ACTIONS")
            .env("GHA_TRIAGE_CONFIG_DIR", home.path())
            .env("GHA_TRIAGE_CACHE_DIR", home.path().join("cache"));
        if offline {
            command.arg("--offline");
        }
        command
    };
    let rules = || {
        let store = home.path().join("cache").join(gha_triage::store::FILE_NAME);
        let connection = rusqlite::Connection::open(store).unwrap();
        let mut rules: Vec<String> = connection
            .prepare("SELECT rule FROM findings")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rules.sort();
        rules
    };

    let online = classify(false).output().unwrap();
    assert!(online.status.success(), "{}", text(&online.stderr));
    let kept = rules();
    assert!(kept.iter().any(|rule| rule.starts_with("workflow/")), "{kept:?}");
    let again = classify(false).output().unwrap();
    assert_eq!(text(&again.stdout), text(&online.stdout));
    let requests = api.received_requests().await.unwrap();
    let trees = requests.iter().filter(|r| r.url.path().contains("/git/trees/")).count();
    assert_eq!(trees, 1, "a commit's files are read from GitHub once, then from the store");
    drop(api);
    let offline = classify(true).output().unwrap();

    assert!(offline.status.success(), "{}", text(&offline.stderr));
    assert_eq!(rules(), kept, "the workflow-linked cause is still kept");
    let listed = text(&offline.stdout);
    assert_eq!(listed, text(&online.stdout), "offline, the kept workflow files link the same");
    assert!(listed.contains(".github/workflows/data_process.yml:36"), "{listed}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cause_found_in_the_workflow_file_is_placed_at_its_workflow_line_not_line_0() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let run = serve_demo_report_run(&api, &storage).await;
    let id = run["id"].as_u64().unwrap().to_string();

    let text_output = gha_triage(&api, &["classify", "--run", &id]).await;
    let markdown = gha_triage(&api, &["classify", "--run", &id, "--format", "markdown"]).await;

    let listed = text(&text_output.stdout);
    assert!(listed.contains("Restore raw data from cache · .github/workflows/data_process.yml:36"));
    assert!(!listed.contains("line 0"), "{listed}");
    let written = text(&markdown.stdout);
    assert!(written.contains("evidence, `.github/workflows/data_process.yml:36`"), "{written}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_repo_dir_that_is_not_there_exits_2_naming_it_before_any_request() {
    let api = MockServer::start().await;

    let output =
        gha_triage(&api, &["classify", "--run", "1", "--repo-dir", "/no/such/checkout"]).await;

    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("/no/such/checkout: no such folder"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(api_requests(&api).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn listing_runs_again_revalidates_with_the_etag_the_store_kept() {
    use wiremock::matchers::header;
    let api = MockServer::start().await;
    let list = format!("/repos/{REPO}/actions/runs");
    let runs = demo_json("runs.json");
    Mock::given(method("GET"))
        .and(path(list.as_str()))
        .and(header("if-none-match", "\"runs-v1\""))
        .respond_with(ResponseTemplate::new(304).insert_header("etag", "\"runs-v1\""))
        .with_priority(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path(list.as_str()))
        .respond_with(
            ResponseTemplate::new(200).insert_header("etag", "\"runs-v1\"").set_body_json(&runs),
        )
        .mount(&api)
        .await;
    let home = tempfile::tempdir().unwrap();
    let list_runs = || {
        Command::new(env!("CARGO_BIN_EXE_gha-triage"))
            .args(["runs", "--repo", REPO, "--api-url", &api.uri(), "--limit", "5"])
            .env("GH_TOKEN", SECRET)
            .env_remove("GITHUB_ACTIONS")
            .env("GHA_TRIAGE_CONFIG_DIR", home.path())
            .env("GHA_TRIAGE_CACHE_DIR", home.path().join("cache"))
            .output()
            .unwrap()
    };

    let first = list_runs();
    let second = list_runs();

    assert!(first.status.success() && second.status.success(), "{}", text(&second.stderr));
    assert_eq!(text(&second.stdout), text(&first.stdout), "a 304 reuses the kept list");
    let requests = api.received_requests().await.unwrap();
    let revalidated = requests.iter().filter(|r| r.headers.contains_key("if-none-match")).count();
    assert_eq!((requests.len(), revalidated), (2, 1));
}

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_is_in_neither_the_trace_log_nor_the_local_store() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    let run = serve_demo_report_run(&api, &storage).await;
    let id = run["id"].as_u64().unwrap().to_string();
    let home = tempfile::tempdir().unwrap();
    let (state, cache) = (home.path().join("state"), home.path().join("cache"));

    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["report", "--run", &id, "--repo", REPO, "--api-url", &api.uri(), "--no-user-rules"])
        .env("GH_TOKEN", SECRET)
        .env_remove("GITHUB_TOKEN")
        .env_remove("GITHUB_ACTIONS")
        .env("GHA_TRIAGE_LOG", "trace")
        .env("XDG_STATE_HOME", &state)
        .env("GHA_TRIAGE_CONFIG_DIR", home.path())
        .env("GHA_TRIAGE_CACHE_DIR", &cache)
        .output()
        .unwrap();

    assert!(output.status.success(), "{}", text(&output.stderr));
    let log = std::fs::read_to_string(state.join("gha-triage").join("gha-triage.log")).unwrap();
    assert!(log.contains("gha-triage started"), "{log}");
    assert!(log.contains(&format!("/actions/runs/{id}")), "the requests are traced: {log}");
    let kept = files_under(home.path());
    assert!(kept.iter().any(|file| file.starts_with(&cache)), "the store was written: {kept:?}");
    for file in kept {
        let bytes = std::fs::read(&file).unwrap();
        let leaked = bytes.windows(SECRET.len()).any(|window| window == SECRET.as_bytes());
        assert!(!leaked, "the token is in {}", file.display());
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn without_a_token_variable_the_github_cli_s_login_is_used_for_the_api_s_host() {
    use std::os::unix::fs::PermissionsExt as _;
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/actions/runs")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": 0, "workflow_runs": []})),
        )
        .mount(&api)
        .await;
    let bin = tempfile::tempdir().unwrap();
    let asked = bin.path().join("asked");
    let gh = bin.path().join("gh");
    let script =
        format!("#!/bin/sh\nprintf '%s\\n' \"$*\" > '{}'\nprintf '{SECRET}\\n'\n", asked.display());
    std::fs::write(&gh, script).unwrap();
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    let home = tempfile::tempdir().unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["runs", "--repo", REPO, "--api-url", &api.uri(), "--no-user-rules"])
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_HOST")
        .env_remove("GITHUB_ACTIONS")
        .env("PATH", bin.path())
        .env("GHA_TRIAGE_CONFIG_DIR", home.path())
        .env("GHA_TRIAGE_CACHE_DIR", home.path().join("cache"))
        .output()
        .unwrap();

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(std::fs::read_to_string(&asked).unwrap().trim(), "auth token --hostname 127.0.0.1");
    let requests = api.received_requests().await.unwrap();
    let authorization = requests[0].headers.get("authorization").unwrap().to_str().unwrap();
    assert!(authorization.ends_with(SECRET), "the CLI's token is sent: {authorization}");
    assert!(!text(&output.stdout).contains(SECRET) && !text(&output.stderr).contains(SECRET));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_green_run_costs_its_run_and_jobs_and_reads_no_workflow_file() {
    let api = MockServer::start().await;
    let runs = demo_json("runs.json")["workflow_runs"].as_array().unwrap().clone();
    let green = runs.iter().find(|run| run["conclusion"] == "success").unwrap().clone();
    let (id, attempt) = (green["id"].as_u64().unwrap(), green["run_attempt"].as_u64().unwrap());
    let base = format!("/repos/{REPO}/actions");
    Mock::given(method("GET"))
        .and(path(format!("{base}/runs/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(&green))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/runs/{id}/attempts/{attempt}/jobs")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(demo_json(&format!("jobs/{id}-{attempt}.json"))),
        )
        .mount(&api)
        .await;

    let output = gha_triage(&api, &["classify", "--run", &id.to_string()]).await;

    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(!text(&output.stderr).contains("workflow files"), "{}", text(&output.stderr));
    assert_eq!(api_requests(&api).await, 2, "the run and its jobs");
}
