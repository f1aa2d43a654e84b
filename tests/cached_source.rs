//! Live GitHub through the local store: a run triaged once is triaged again without asking
//! GitHub for its jobs or logs, `--offline` triages it with no GitHub at all, and the token is
//! never kept in the store; the ETags of what GitHub answered are kept too, so a second process
//! revalidates instead of downloading.

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
    assert!(stderr.contains("run 42 is not in the local store: open it once without --offline"));
    assert!(
        !stderr.contains("404") && !stderr.contains("--repo"),
        "one message, not two: {stderr}"
    );
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

#[tokio::test]
async fn a_second_process_asks_with_the_etag_the_first_kept_and_a_304_reuses_the_kept_body() {
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, ResponseTemplate};

    let cache = tempfile::tempdir().unwrap();
    let api = serve(&[failed_run()]).await;
    let id = failed_run().run.to_string();
    let route = format!("/repos/{REPO}/actions/runs/{id}");
    Mock::given(method("GET"))
        .and(path(route.as_str()))
        .and(header("if-none-match", "\"run-v1\""))
        .respond_with(ResponseTemplate::new(304).insert_header("etag", "\"run-v1\""))
        .with_priority(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path(route.as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"run-v1\"")
                .set_body_json(failed_run().run_json()),
        )
        .with_priority(2)
        .mount(&api)
        .await;

    let first = gha_triage(Some(&api), cache.path(), &["classify", "--run", &id]).await;
    assert!(first.status.success(), "{}", text(&first.stderr));
    let second = gha_triage(Some(&api), cache.path(), &["classify", "--run", &id]).await;
    assert!(second.status.success(), "{}", text(&second.stderr));

    assert_eq!(text(&second.stdout), text(&first.stdout));
    let asked: Vec<Option<String>> = api
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|request| request.url.path() == route)
        .map(|request| {
            request.headers.get("if-none-match").map(|value| value.to_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(asked, [None, Some("\"run-v1\"".to_owned())], "the second process revalidated");
}

#[tokio::test]
async fn offline_triage_keeps_the_cause_only_an_annotation_gave() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    let cache = tempfile::tempdir().unwrap();
    let api = serve(&[failed_run()]).await;
    let id = failed_run().run.to_string();
    let lost = "The hosted runner: GitHub Actions 12 lost communication with the server. \
                Anything in your workflow that terminates the runner process, starves it for \
                CPU/Memory, or blocks its network access can cause this error.";
    let annotation = serde_json::json!([{"path": ".github", "blob_href": null, "start_line": 1,
        "end_line": 1, "start_column": null, "end_column": null, "annotation_level": "failure",
        "title": ".github#L1", "message": lost, "raw_details": null}]);
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/check-runs/{}/annotations", failed_run().job_id())))
        .respond_with(ResponseTemplate::new(200).set_body_json(annotation))
        .with_priority(1)
        .mount(&api)
        .await;
    let online = gha_triage(Some(&api), cache.path(), &["classify", "--run", &id]).await;
    assert!(online.status.success(), "{}", text(&online.stderr));
    assert!(text(&online.stdout).contains("lost communication"), "{}", text(&online.stdout));
    drop(api);

    let offline = gha_triage(None, cache.path(), &["classify", "--run", &id]).await;
    assert!(offline.status.success(), "{}", text(&offline.stderr));
    assert_eq!(text(&offline.stdout), text(&online.stdout));
}

#[test]
fn offline_the_store_compares_no_commits_so_the_tui_has_no_suspects() {
    use gha_triage::source::Source as _;
    use gha_triage::source::cached::CachedSource;
    use gha_triage::store::Store;

    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    let source = CachedSource::offline(REPO.parse().unwrap(), store);

    let compared = source.compare("1111111", "2222222").expect("no error offline");

    assert_eq!(compared, None);
}

#[test]
fn a_full_store_is_told_once_and_triage_goes_on() {
    use gha_triage::source::cached::CachedSource;
    use gha_triage::store::Store;
    use gha_triage::triage::Report;

    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    store.limit_pages(40).unwrap();
    let source = CachedSource::offline(REPO.parse().unwrap(), store);
    let report = Report {
        source: "run".to_owned(),
        findings: Vec::new(),
        jobs: Vec::new(),
        notices: Vec::new(),
        recall: gha_triage::triage::recall::Recall::default(),
    };
    let mut notices = Vec::new();
    for number in 0..2_000 {
        let mut run: gha_triage::github::model::Run =
            serde_json::from_value(failed_run().run_json()).unwrap();
        run.id = gha_triage::github::model::RunId(run.id.0 + number);
        run.display_title = Some("a long title ".repeat(20));
        source.remember_report(&run, 1, &[], &report);
        notices.extend(source.take_notice());
    }
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("is full: free disk space or run `gha-triage cache prune"));
}

#[tokio::test]
async fn the_tui_s_triage_fills_new_or_seen_before_and_what_is_new_since_the_job_passed() {
    use gha_triage::app::effect::Effect;
    use gha_triage::app::msg::Msg;
    use gha_triage::app::runner::Runner;
    use gha_triage::github::model::{Job, JobId, Run, RunId};
    use gha_triage::source::cached::CachedSource;
    use gha_triage::store::Store;

    let at = |run: u64, day: &'static str, cause: Option<&'static str>| Attempt {
        run,
        day,
        cause,
        sha: "3f4c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
        ..failed_run()
    };
    let (green, seen, red) = (
        at(101, "2025-12-13", None),
        at(102, "2025-12-14", Some(CAUSE)),
        at(103, "2025-12-15", Some(CAUSE)),
    );
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
    for attempt in [&green, &seen, &red] {
        let run: Run = serde_json::from_value(attempt.run_json()).unwrap();
        let jobs: Vec<Job> = serde_json::from_value(attempt.jobs_json()["jobs"].clone()).unwrap();
        store.put_run(REPO, &run).unwrap();
        store.put_jobs(run.id, 1, &jobs).unwrap();
        store.put_log(JobId(attempt.job_id()), attempt.log().as_bytes()).unwrap();
    }
    let source = std::sync::Arc::new(CachedSource::offline(REPO.parse().unwrap(), store));
    let sources = gha_triage::rules::RuleSources { builtin: true, files: vec![], disable: vec![] };
    let engine = std::sync::Arc::new(gha_triage::classify::Engine::load(&sources).unwrap());
    let (sender, mut messages) = tokio::sync::mpsc::unbounded_channel();
    let runner = Runner::new(source.clone(), engine, sender);
    let triage = |attempt: &Attempt| Effect::Triage {
        request: attempt.run,
        run: serde_json::from_value(attempt.run_json()).unwrap(),
        attempt: 1,
    };

    runner.spawn(triage(&seen));
    let Some(Msg::Triaged { .. }) = messages.recv().await else { panic!("triaged") };
    runner.spawn(triage(&red));
    let Some(Msg::Triaged { key, result: Ok(report), .. }) = messages.recv().await else {
        panic!("triaged")
    };

    assert_eq!(key, (RunId(103), 1));
    let cause = report.causes().next().map(|(index, _)| index).unwrap();
    let seen = &report.recall.seen[&cause];
    assert_eq!(seen.summary(), "seen in 2 runs since 2025-12-14");
    let since = report.recall.for_job("test (3.12)").expect("compared with run 101's log");
    assert_eq!(since.passed_number, 101);
    assert!(since.lines.iter().any(|line| line.text == CAUSE), "{since:?}");
}

/// The TUI's source on `api` with no store, listing only failed runs.
fn tui_source(api: &wiremock::MockServer) -> gha_triage::source::cached::CachedSource {
    use gha_triage::github::endpoint::Endpoint;
    use gha_triage::source::live::{LiveOptions, LiveSource};
    let endpoint = Endpoint::choose(Some(&api.uri()), None).expect("the fake's URL");
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

/// The TUI's source on GitHub at `api`, keeping what it reads in `store`, listing the runs
/// `filter` lets through.
fn stored_source(
    api: &str,
    store: std::sync::Arc<gha_triage::store::Store>,
    filter: gha_triage::github::run_filter::RunFilter,
) -> gha_triage::source::cached::CachedSource {
    use gha_triage::github::endpoint::Endpoint;
    use gha_triage::source::live::{LiveOptions, LiveSource};
    let endpoint = Endpoint::choose(Some(api), None).expect("the fake's URL");
    let token = gha_triage::github::auth::Token::new(TOKEN);
    let mut options = LiveOptions::new(endpoint, token, REPO.parse().unwrap());
    options.filter = filter;
    options.etags = store.clone();
    gha_triage::source::cached::CachedSource::online(
        LiveSource::connect(options).unwrap(),
        Some(store),
    )
}

/// A run as GitHub lists it, with the fields the run filters look at.
fn listed_run(
    id: u64,
    (workflow_id, workflow, file): (u64, &str, &str),
    (branch, event, actor): (&str, &str, &str),
    (conclusion, created): (&str, &str),
) -> gha_triage::github::model::Run {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": workflow, "display_title": format!("run {id}"), "run_number": id,
        "run_attempt": 1, "event": event, "status": "completed", "conclusion": conclusion,
        "workflow_id": workflow_id, "head_branch": branch,
        "head_sha": format!("{id:0>40}"), "path": format!(".github/workflows/{file}"),
        "created_at": created, "updated_at": created, "actor": {"login": actor},
    }))
    .unwrap()
}

const CI_YML: (u64, &str, &str) = (161_335, "CI", "ci.yml");
const NIGHTLY_YML: (u64, &str, &str) = (161_336, "Nightly", "nightly.yml");

/// Five kept runs that differ in one filtered field each from run 1.
fn kept_runs() -> Vec<gha_triage::github::model::Run> {
    let main_push = ("main", "push", "octocat");
    vec![
        listed_run(1, CI_YML, main_push, ("failure", "2025-12-15T10:00:00Z")),
        listed_run(
            2,
            CI_YML,
            ("feature/login", "push", "octocat"),
            ("failure", "2025-12-15T11:00:00Z"),
        ),
        listed_run(3, NIGHTLY_YML, main_push, ("failure", "2025-12-15T12:00:00Z")),
        listed_run(
            4,
            CI_YML,
            ("main", "pull_request", "hubot"),
            ("success", "2025-12-16T09:00:00Z"),
        ),
        listed_run(5, CI_YML, main_push, ("success", "2025-12-14T09:00:00Z")),
    ]
}

/// A store in `dir` holding [`kept_runs`].
fn store_of_kept_runs(dir: &std::path::Path) -> std::sync::Arc<gha_triage::store::Store> {
    let store = std::sync::Arc::new(gha_triage::store::Store::open(dir).unwrap());
    for run in kept_runs() {
        store.put_run(REPO, &run).unwrap();
    }
    store
}

#[test]
fn the_stored_list_shown_first_is_filtered_as_github_filters_the_live_one() {
    use gha_triage::github::run_filter::{RunFilter, WorkflowRef};
    let dir = tempfile::tempdir().unwrap();
    let store = store_of_kept_runs(dir.path());
    let listed = |filter: RunFilter| -> Vec<u64> {
        let source = stored_source("http://127.0.0.1:9", store.clone(), filter);
        let listed = source.stored_run_list().map(|(_, runs)| runs).unwrap_or_default();
        listed.iter().map(|run| run.id.0).collect()
    };
    let text = |value: &str| Some(value.to_owned());

    assert_eq!(listed(RunFilter::default()), [4, 3, 2, 1, 5], "newest first, all of them");
    let branch = RunFilter { branch: text("main"), ..RunFilter::default() };
    assert_eq!(listed(branch), [4, 3, 1, 5]);
    let failed = RunFilter { status: text("failure"), ..RunFilter::default() };
    assert_eq!(listed(failed), [3, 2, 1]);
    let completed = RunFilter { status: text("completed"), ..RunFilter::default() };
    assert_eq!(listed(completed).len(), 5, "a status matches as a conclusion does");
    let pull_request = RunFilter { event: text("pull_request"), ..RunFilter::default() };
    assert_eq!(listed(pull_request), [4]);
    let hubot = RunFilter { actor: text("hubot"), ..RunFilter::default() };
    assert_eq!(listed(hubot), [4]);
    let commit = RunFilter { head_sha: text(&format!("{:0>40}", 2)), ..RunFilter::default() };
    assert_eq!(listed(commit), [2]);
    let day = RunFilter { created: text("2025-12-15"), ..RunFilter::default() };
    assert_eq!(listed(day), [3, 2, 1]);
    let since = RunFilter { created: text(">=2025-12-15T11:00:00Z"), ..RunFilter::default() };
    assert_eq!(listed(since), [4, 3, 2]);
    for workflow in ["nightly.yml", "Nightly", "nightly", "161336"] {
        let nightly =
            RunFilter { workflow: Some(WorkflowRef::parse(workflow)), ..RunFilter::default() };
        assert_eq!(listed(nightly), [3], "--workflow {workflow}");
    }
    let both = RunFilter { branch: text("main"), status: text("success"), ..RunFilter::default() };
    assert_eq!(listed(both), [4, 5]);
    let none = RunFilter { branch: text("release"), ..RunFilter::default() };
    assert_eq!(listed(none), Vec::<u64>::new(), "nothing kept matches: the list waits for GitHub");
}

/// Feeds the runner's answers to `update` until `done` says the user has seen enough, and
/// gives back every status line shown on the way.
async fn settle(
    state: &mut gha_triage::app::state::State,
    messages: &mut tokio::sync::mpsc::UnboundedReceiver<gha_triage::app::msg::Msg>,
    done: impl Fn(&gha_triage::app::state::State) -> bool,
) -> Vec<String> {
    let mut shown = Vec::new();
    while !done(state) {
        let wait = std::time::Duration::from_secs(20);
        let msg = tokio::time::timeout(wait, messages.recv()).await.expect("an answer in time");
        let _ = gha_triage::app::update::update(state, msg.expect("the runner answers"));
        shown.extend(state.notice.as_ref().map(|notice| notice.text.clone()));
    }
    shown
}

/// The TUI at its start over `source`: the state and the runner that carries out its effects.
fn tui_over(
    source: std::sync::Arc<dyn gha_triage::source::Source>,
) -> (
    gha_triage::app::state::State,
    gha_triage::app::runner::Runner,
    tokio::sync::mpsc::UnboundedReceiver<gha_triage::app::msg::Msg>,
) {
    let config = std::sync::Arc::new(gha_triage::config::Config::defaults());
    let now = "2025-12-16T12:00:00Z".parse().unwrap();
    let mut state = gha_triage::app::state::State::new(source.info(), config, now, (120, 40));
    let engine = std::sync::Arc::new(gha_triage::classify::Engine::builtin().unwrap());
    let (sender, messages) = tokio::sync::mpsc::unbounded_channel();
    let runner = gha_triage::app::runner::Runner::new(source, engine, sender);
    for effect in gha_triage::app::update::start(&mut state) {
        runner.spawn(effect);
    }
    (state, runner, messages)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filtered_tui_shows_the_stored_runs_first_then_github_s_list() {
    use gha_triage::github::run_filter::RunFilter;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, ResponseTemplate};
    let api = wiremock::MockServer::start().await;
    let workflows = serde_json::json!({"total_count": 1, "workflows": [{"id": 161_335,
        "name": "CI", "path": ".github/workflows/ci.yml", "state": "active"}]});
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/actions/workflows")))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflows))
        .mount(&api)
        .await;
    let newer =
        listed_run(6, CI_YML, ("main", "push", "octocat"), ("failure", "2025-12-16T11:00:00Z"));
    let live = serde_json::json!({"total_count": 2, "workflow_runs": [newer, kept_runs()[0]]});
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/actions/runs")))
        .and(query_param("branch", "main"))
        .and(query_param("status", "failure"))
        .respond_with(ResponseTemplate::new(200).set_body_json(live))
        .expect(1)
        .mount(&api)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let store = store_of_kept_runs(dir.path());
    let filter = RunFilter {
        branch: Some("main".to_owned()),
        status: Some("failure".to_owned()),
        ..RunFilter::default()
    };
    let source = stored_source(&api.uri(), store, filter);
    let (mut state, _runner, mut messages) = tui_over(std::sync::Arc::new(source));

    let shown = settle(&mut state, &mut messages, |state| !state.runs.all.is_empty()).await;
    let ids = |state: &gha_triage::app::state::State| -> Vec<u64> {
        state.runs.all.iter().map(|run| run.id.0).collect()
    };
    assert_eq!(ids(&state), [3, 1], "the kept runs on main that failed, before GitHub answers");
    assert_eq!(shown.last().unwrap(), "2 runs from the local store; refreshing…");

    let shown = settle(&mut state, &mut messages, |state| state.requests.runs.is_none()).await;
    assert_eq!(ids(&state), [6, 1], "GitHub's list replaces the kept one");
    assert_eq!(shown.last().unwrap(), &format!("2 runs of {REPO}"));
    api.verify().await;
}

/// Overwrites every page of the store in `dir` past the first two, as a failing disk might:
/// the header is sound, so the file opens, and reads find the damage.
fn damage_past_the_header(dir: &std::path::Path) {
    let file = dir.join(gha_triage::store::FILE_NAME);
    let mut bytes = std::fs::read(&file).unwrap();
    for byte in bytes.iter_mut().skip(8192) {
        *byte = b'J';
    }
    std::fs::write(&file, bytes).unwrap();
}

#[tokio::test]
async fn classify_over_a_damaged_store_reads_github_and_says_the_store_was_moved_aside() {
    let cache = tempfile::tempdir().unwrap();
    let api = serve(&[failed_run()]).await;
    let id = failed_run().run.to_string();
    let first = gha_triage(Some(&api), cache.path(), &["classify", "--run", &id]).await;
    assert!(first.status.success(), "{}", text(&first.stderr));
    damage_past_the_header(cache.path());

    let second = gha_triage(Some(&api), cache.path(), &["classify", "--run", &id]).await;

    assert!(second.status.success(), "{}", text(&second.stderr));
    assert_eq!(text(&second.stdout), text(&first.stdout), "the same findings, read from GitHub");
    let stderr = text(&second.stderr);
    assert_eq!(stderr.matches("was corrupt: moved it to").count(), 1, "told once: {stderr}");
    let third = gha_triage(Some(&api), cache.path(), &["classify", "--run", &id]).await;
    assert!(third.stderr.is_empty(), "the new store is sound: {}", text(&third.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tui_over_a_damaged_store_lists_github_s_runs_and_says_the_store_was_moved_aside() {
    let api = serve(&[failed_run()]).await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path(format!("/repos/{REPO}/actions/workflows")))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"total_count": 0, "workflows": []})),
        )
        .mount(&api)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let store = gha_triage::store::Store::open(dir.path()).unwrap();
    for number in 0..200 {
        let run = listed_run(
            number + 1,
            CI_YML,
            ("main", "push", "octocat"),
            ("failure", "2025-12-15T10:00:00Z"),
        );
        store.put_run(REPO, &run).unwrap();
    }
    drop(store);
    damage_past_the_header(dir.path());
    let store = std::sync::Arc::new(gha_triage::store::Store::open(dir.path()).unwrap());
    let source =
        stored_source(&api.uri(), store, gha_triage::github::run_filter::RunFilter::default());
    let (mut state, _runner, mut messages) = tui_over(std::sync::Arc::new(source));

    let shown = settle(&mut state, &mut messages, |state| {
        state.notice.as_ref().is_some_and(|notice| notice.text.contains("was corrupt"))
    })
    .await;

    let ids: Vec<u64> = state.runs.all.iter().map(|run| run.id.0).collect();
    assert_eq!(ids, [failed_run().run], "GitHub's list: {shown:?}");
    let notice = state.notice.as_ref().unwrap();
    assert_eq!(notice.level, gha_triage::app::state::Level::Error, "{shown:?}");
    assert!(notice.text.contains("moved it to") && notice.text.contains(".corrupt-"), "{shown:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_offline_tui_over_a_corrupt_store_says_on_its_status_line_where_it_was_moved() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(gha_triage::store::FILE_NAME);
    std::fs::write(&file, b"not a database at all".repeat(300)).unwrap();
    let store = std::sync::Arc::new(gha_triage::store::Store::open(dir.path()).unwrap());
    let source = gha_triage::source::cached::CachedSource::offline(REPO.parse().unwrap(), store);
    let (mut state, _runner, mut messages) = tui_over(std::sync::Arc::new(source));

    settle(&mut state, &mut messages, |state| {
        state.notice.as_ref().is_some_and(|notice| notice.text.contains("was corrupt"))
    })
    .await;

    let notice = &state.notice.as_ref().unwrap().text;
    assert!(
        notice.contains(&file.display().to_string()) && notice.contains(".corrupt-"),
        "{notice}"
    );
}

const CHILD_CACHE: &str = "GHA_TRIAGE_TEST_CHILD_CACHE";

/// Not a test: `--offline` parsed as the binary parses it and the source the TUI would get,
/// run in a process of its own so the cache folder can come from the environment. Prints the
/// source's kind and its notice.
#[test]
#[ignore = "started by offline_gives_the_tui_the_stored_source_and_holds_its_notes_for_the_status_line"]
fn tui_source_process() {
    use clap::Parser as _;
    use gha_triage::source::Source as _;
    if std::env::var_os(CHILD_CACHE).is_none() {
        return;
    }
    let cli =
        gha_triage::cli::Cli::try_parse_from(["gha-triage", "--offline", "--repo", REPO]).unwrap();
    let source =
        gha_triage::cli::cache::cached_source(&cli.live, gha_triage::cli::WaitNotes::Quiet)
            .unwrap();
    println!("kind: {:?}", source.info().kind);
    println!("notice: {}", source.take_notice().unwrap_or_default());
}

#[test]
fn offline_gives_the_tui_the_stored_source_and_holds_its_notes_for_the_status_line() {
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(cache.path().join(gha_triage::store::FILE_NAME), b"garbage".repeat(900))
        .unwrap();

    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "tui_source_process", "--ignored", "--nocapture", "--test-threads", "1"])
        .env(CHILD_CACHE, "1")
        .env("GHA_TRIAGE_CACHE_DIR", cache.path())
        .output()
        .unwrap();

    assert!(output.status.success(), "{}", text(&output.stderr));
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(stdout.contains("kind: Stored\n"), "{stdout}");
    assert!(stdout.contains("notice: the cache ") && stdout.contains("was corrupt: moved it to"));
    assert!(!stderr.contains("corrupt"), "nothing printed under the TUI: {stderr}");
}

#[test]
fn offline_a_run_filter_lists_the_kept_runs_it_lets_through() {
    use gha_triage::github::run_filter::RunFilter;
    use gha_triage::source::Source as _;
    let dir = tempfile::tempdir().unwrap();
    let store = store_of_kept_runs(dir.path());
    let filter = RunFilter {
        branch: Some("main".to_owned()),
        status: Some("failure".to_owned()),
        ..RunFilter::default()
    };
    let source = gha_triage::source::cached::CachedSource::offline(REPO.parse().unwrap(), store)
        .with_filter(filter);

    let listed: Vec<u64> = source.runs().unwrap().iter().map(|run| run.id.0).collect();

    assert_eq!(listed, [3, 1]);
    let workflows: Vec<String> = source.workflows().unwrap().into_iter().map(|w| w.name).collect();
    assert_eq!(workflows, ["Nightly", "CI"], "the workflows of the runs listed");
}

#[tokio::test]
async fn offline_report_without_a_run_writes_up_the_newest_failed_run_whose_logs_are_kept() {
    let cache = tempfile::tempdir().unwrap();
    let newer = Attempt { run: 20_761_685_123, day: "2025-12-16", ..failed_run() };
    let api = serve(&[failed_run(), newer]).await;
    let kept = failed_run().run.to_string();
    let online = gha_triage(Some(&api), cache.path(), &["report", "--run", &kept]).await;
    assert!(online.status.success(), "{}", text(&online.stderr));
    drop(api);

    let offline = gha_triage(None, cache.path(), &["report"]).await;

    assert!(offline.status.success(), "{}", text(&offline.stderr));
    assert!(text(&offline.stdout).starts_with("# CI run #196\n"), "{}", text(&offline.stdout));
    assert!(text(&offline.stderr).contains("run 20761685123"), "{}", text(&offline.stderr));
}
