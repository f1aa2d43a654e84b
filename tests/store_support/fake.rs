//! A fake GitHub serving a synthetic run history in the REST shapes: runs with their head
//! SHA, branch and workflow, one job per attempt, and that job's log behind a redirect. Each
//! failing job prints the cause it is given, with ids and times that differ from run to run.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const REPO: &str = "octo-org/widgets";
pub const TOKEN: &str = "ghp_FAKE_store_token_never_kept";

/// One attempt of one run.
#[derive(Clone, Debug)]
#[expect(clippy::struct_field_names, reason = "the REST API's own word")]
pub struct Attempt {
    pub run: u64,
    pub attempt: u32,
    pub sha: &'static str,
    pub branch: &'static str,
    pub workflow: (u64, &'static str),
    pub job: &'static str,
    pub day: &'static str,
    /// The cause the failing job prints; `None` for a green attempt.
    pub cause: Option<&'static str>,
}

impl Attempt {
    pub fn job_id(&self) -> u64 {
        self.run * 10 + u64::from(self.attempt)
    }

    fn created(&self) -> String {
        format!("{}T10:{:02}:00Z", self.day, self.run % 60)
    }

    fn conclusion(&self) -> &'static str {
        if self.cause.is_some() { "failure" } else { "success" }
    }

    pub fn run_json(&self) -> Value {
        json!({
            "id": self.run, "name": self.workflow.1, "display_title": "Bump deps",
            "run_number": self.run % 1000, "run_attempt": self.attempt, "event": "push",
            "status": "completed", "conclusion": self.conclusion(),
            "workflow_id": self.workflow.0, "head_branch": self.branch, "head_sha": self.sha,
            "path": ".github/workflows/ci.yml",
            "html_url": format!("https://github.com/{REPO}/actions/runs/{}", self.run),
            "created_at": self.created(), "updated_at": self.created(),
            "run_started_at": self.created(),
        })
    }

    pub fn jobs_json(&self) -> Value {
        let step_conclusion = self.conclusion();
        json!({"total_count": 1, "jobs": [{
            "id": self.job_id(), "run_id": self.run, "run_attempt": self.attempt,
            "name": self.job, "workflow_name": self.workflow.1, "status": "completed",
            "conclusion": self.conclusion(),
            "started_at": self.created(), "completed_at": self.created(),
            "steps": [
                {"name": "Set up job", "status": "completed", "conclusion": "success",
                 "number": 1, "started_at": self.created(), "completed_at": self.created()},
                {"name": "Run tests", "status": "completed", "conclusion": step_conclusion,
                 "number": 2, "started_at": self.created(), "completed_at": self.created()}
            ]
        }]})
    }

    pub fn log(&self) -> String {
        let stamp =
            format!("{}T10:{:02}:1{}.{:07}Z", self.day, self.run % 60, self.attempt, self.run);
        let log = format!(
            "{stamp} ##[group]Run pytest -q\n{stamp} pytest -q\n{stamp} ##[endgroup]\n\
             {stamp} collected 212 items in /home/runner/work/widgets/widgets (run {})\n",
            self.run
        );
        let tail = match self.cause {
            Some(cause) => {
                format!("{stamp} {cause}\n{stamp} ##[error]Process completed with exit code 1.\n")
            }
            None => format!("{stamp} 212 passed in {}.{}s\n", self.run % 50, self.attempt),
        };
        log + &tail
    }
}

/// Serves `history` (the newest attempt of each run in the run list) on a new fake GitHub.
pub async fn serve(history: &[Attempt]) -> MockServer {
    let api = MockServer::start().await;
    let base = format!("/repos/{REPO}/actions");
    let mut latest: Vec<&Attempt> = Vec::new();
    for attempt in history {
        latest.retain(|kept| kept.run != attempt.run);
        latest.push(attempt);
    }
    latest.sort_by_key(|attempt| std::cmp::Reverse(attempt.created()));
    for attempt in &latest {
        Mock::given(method("GET"))
            .and(path(format!("{base}/runs/{}", attempt.run)))
            .respond_with(ResponseTemplate::new(200).set_body_json(attempt.run_json()))
            .mount(&api)
            .await;
    }
    let runs: Vec<Value> = latest.iter().map(|attempt| attempt.run_json()).collect();
    let mut workflows: Vec<&Value> = runs.iter().map(|run| &run["workflow_id"]).collect();
    workflows.dedup();
    for workflow in workflows {
        let of_workflow: Vec<&Value> =
            runs.iter().filter(|run| run["workflow_id"] == *workflow).collect();
        Mock::given(method("GET"))
            .and(path(format!("{base}/workflows/{workflow}/runs")))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"total_count": of_workflow.len(), "workflow_runs": of_workflow}),
            ))
            .mount(&api)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(format!("{base}/runs")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": runs.len(), "workflow_runs": runs})),
        )
        .mount(&api)
        .await;
    for attempt in history {
        let (run, number, job) = (attempt.run, attempt.attempt, attempt.job_id());
        Mock::given(method("GET"))
            .and(path(format!("{base}/runs/{run}/attempts/{number}/jobs")))
            .respond_with(ResponseTemplate::new(200).set_body_json(attempt.jobs_json()))
            .mount(&api)
            .await;
        let signed = format!("{}/storage/logs/{job}?sig=SIGNED", api.uri());
        Mock::given(method("GET"))
            .and(path(format!("{base}/jobs/{job}/logs")))
            .respond_with(ResponseTemplate::new(302).insert_header("location", signed.as_str()))
            .mount(&api)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/storage/logs/{job}")))
            .respond_with(ResponseTemplate::new(200).set_body_raw(attempt.log(), "text/plain"))
            .mount(&api)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/repos/{REPO}/check-runs/{job}/annotations")))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .mount(&api)
            .await;
        // The commit's file list: no workflow files, so findings are the logs' alone.
        let tree = json!({"sha": attempt.sha, "tree": [], "truncated": false});
        Mock::given(method("GET"))
            .and(path(format!("/repos/{REPO}/git/trees/{}", attempt.sha)))
            .respond_with(ResponseTemplate::new(200).set_body_json(tree))
            .mount(&api)
            .await;
    }
    api
}

/// How many requests reached the fake whose path contains `part`.
pub async fn requests_to(api: &MockServer, part: &str) -> usize {
    let requests = api.received_requests().await.unwrap_or_default();
    requests.iter().filter(|request| request.url.path().contains(part)).count()
}

/// Runs the binary against `api` (or offline when `None`) with its store in `cache`.
pub async fn gha_triage(api: Option<&MockServer>, cache: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gha-triage"));
    command
        .args(args)
        .args(["--repo", REPO, "--no-user-rules"])
        .env("GH_TOKEN", TOKEN)
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_HOST")
        .env_remove("GITHUB_ACTIONS")
        .env("GHA_TRIAGE_CONFIG_DIR", cache.join("config"))
        .env("GHA_TRIAGE_CACHE_DIR", cache);
    match api {
        Some(api) => command.args(["--api-url", &api.uri()]),
        None => command.args(["--offline", "--api-url", "http://127.0.0.1:9"]),
    };
    tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
