//! The local store: round trips, migration from an older schema, and its faults (a writer killed
//! mid-write, two processes at once, a corrupt file, a full disk). Writer processes are this
//! test binary run again on an ignored test that only works when told to by the environment.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gha_triage::github::model::{Job, JobId, Run, RunId};
use gha_triage::store::{FILE_NAME, SCHEMA_VERSION, Store, StoreError};

const WRITER_DIR: &str = "GHA_TRIAGE_TEST_WRITER_DIR";
const WRITER_FIRST: &str = "GHA_TRIAGE_TEST_WRITER_FIRST";
const WRITER_COUNT: &str = "GHA_TRIAGE_TEST_WRITER_COUNT";

fn run(id: u64, sha: &str, conclusion: &str, created: &str) -> Run {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": "CI", "run_number": id % 1000, "event": "push",
        "status": "completed", "conclusion": conclusion, "workflow_id": 161_335,
        "head_branch": "main", "head_sha": sha, "run_attempt": 1,
        "created_at": created, "updated_at": created,
    }))
    .expect("run JSON")
}

fn job(id: u64, run: u64, name: &str) -> Job {
    serde_json::from_value(serde_json::json!({
        "id": id, "run_id": run, "run_attempt": 1, "name": name, "status": "completed",
        "conclusion": "failure",
        "steps": [
            {"name": "Set up job", "status": "completed", "conclusion": "success", "number": 1},
            {"name": "Run tests", "status": "completed", "conclusion": "failure", "number": 2}
        ]
    }))
    .expect("job JSON")
}

/// A log whose last line says how many lines came before, so a cut one is easy to tell.
fn log_of(job: u64) -> Vec<u8> {
    let lines = 2_000 + job % 500;
    let mut log = String::new();
    for number in 0..lines {
        let second = number % 60;
        let _ = writeln!(
            log,
            "2025-12-15T10:21:{second:02}.{number:07}Z job {job} line {number} compiling crate_{number}"
        );
    }
    let _ =
        writeln!(log, "2025-12-15T10:22:00.0000000Z ##[error]end of job {job} after {lines} lines");
    log.into_bytes()
}

fn assert_whole(store: &Store, job: u64) {
    if let Some(log) = store.log(JobId(job)).expect("log read") {
        assert_eq!(log, log_of(job), "job {job}'s log is served cut or changed");
    }
}

#[test]
fn runs_jobs_and_logs_come_back_as_they_went_in() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let first = run(20_758_968_196, "3f4c2a9", "failure", "2025-12-15T10:20:00Z");
    let second = run(20_758_968_300, "91ab0c7", "success", "2025-12-15T11:20:00Z");
    store.put_run("octo-org/app", &first).unwrap();
    store.put_run("octo-org/app", &second).unwrap();
    store.put_run("octo-org/other", &run(5, "aaaaaaa", "success", "2025-12-16T00:00:00Z")).unwrap();
    let jobs =
        [job(61_000_000_001, first.id.0, "test (3.12)"), job(61_000_000_002, first.id.0, "lint")];
    store.put_jobs(first.id, 1, &jobs).unwrap();
    store.put_log(JobId(61_000_000_001), &log_of(1)).unwrap();
    drop(store);

    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.runs("octo-org/app").unwrap(), [second, first.clone()]);
    assert_eq!(store.run(RunId(20_758_968_196)).unwrap(), Some(first));
    assert_eq!(store.jobs(RunId(20_758_968_196), 1).unwrap(), Some(jobs.to_vec()));
    assert_eq!(store.jobs(RunId(20_758_968_196), 2).unwrap(), None);
    assert_eq!(store.log(JobId(61_000_000_001)).unwrap(), Some(log_of(1)));
    assert_eq!(store.log(JobId(61_000_000_002)).unwrap(), None);
    let info = store.info().unwrap();
    assert_eq!((info.runs, info.jobs, info.logs), (3, 2, 1));
    assert!(info.bytes > 0 && info.bytes < log_of(1).len() as u64, "logs are compressed");
}

#[test]
fn an_older_schema_is_migrated_on_open_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let connection = rusqlite::Connection::open(dir.path().join(FILE_NAME)).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE runs (id INTEGER PRIMARY KEY, repo TEXT NOT NULL,
                 workflow_id INTEGER NOT NULL, workflow TEXT, branch TEXT, head_sha TEXT NOT NULL,
                 attempt INTEGER NOT NULL, conclusion TEXT, created_at TEXT NOT NULL,
                 json TEXT NOT NULL, stored_at INTEGER NOT NULL);
             CREATE INDEX runs_by_repo ON runs (repo, created_at);
             CREATE TABLE jobs (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,
                 attempt INTEGER NOT NULL, name TEXT NOT NULL, conclusion TEXT, json TEXT NOT NULL);
             CREATE INDEX jobs_by_attempt ON jobs (run_id, attempt);
             CREATE TABLE steps (job_id INTEGER NOT NULL, number INTEGER NOT NULL,
                 name TEXT NOT NULL, conclusion TEXT, PRIMARY KEY (job_id, number));
             CREATE TABLE logs (job_id INTEGER PRIMARY KEY, size INTEGER NOT NULL,
                 stored_at INTEGER NOT NULL, deflated BLOB NOT NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    let old = run(7, "3f4c2a9", "failure", "2025-12-14T08:00:00Z");
    connection
        .execute(
            "INSERT INTO runs VALUES (7, 'octo-org/app', 161335, 'CI', 'main', '3f4c2a9', 1,
                 'failure', '2025-12-14T08:00:00Z', ?1, 0)",
            [serde_json::to_string(&old).unwrap()],
        )
        .unwrap();
    drop(connection);

    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.runs("octo-org/app").unwrap(), [old]);
    store
        .put_etag("https://api.github.com/repos/octo-org/app/actions/runs", "W/\"abc\"", b"{}")
        .unwrap();
    let version: u32 = rusqlite::Connection::open(dir.path().join(FILE_NAME))
        .unwrap()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn a_store_from_a_newer_version_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let connection = rusqlite::Connection::open(dir.path().join(FILE_NAME)).unwrap();
    connection.execute_batch("PRAGMA user_version = 99;").unwrap();
    drop(connection);
    let error = Store::open(dir.path()).unwrap_err();
    assert!(matches!(error, StoreError::Newer { found: 99, .. }), "{error}");
    assert!(error.to_string().contains("update gha-triage"), "{error}");
}

#[test]
fn a_corrupt_file_is_moved_aside_with_a_message_and_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(FILE_NAME);
    std::fs::write(&file, b"these bytes were never an SQLite database, not even close".repeat(100))
        .unwrap();

    let store = Store::open(dir.path()).unwrap();
    let aside = store.moved_aside().expect("moved aside");
    assert!(aside.exists(), "{} is kept for a post-mortem", aside.display());
    let note = store.take_recovery_note().unwrap();
    assert!(note.contains(&aside.display().to_string()) && note.contains("corrupt"), "{note}");
    store.put_log(JobId(1), &log_of(1)).unwrap();
    assert_eq!(store.log(JobId(1)).unwrap(), Some(log_of(1)));
    assert_eq!(store.integrity().unwrap(), "ok");
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_store_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.put_log(JobId(1), &log_of(1)).unwrap();
    store.limit_pages(40).unwrap();

    let mut failure = None;
    for job in 2..200 {
        if let Err(error) = store.put_log(JobId(job), &log_of(job)) {
            failure = Some(error);
            break;
        }
    }
    let error = failure.expect("a 40-page database fills up");
    assert!(matches!(error, StoreError::Full { .. }), "{error:?}");
    assert!(error.to_string().contains("gha-triage cache prune"), "{error}");
    assert_eq!(store.log(JobId(1)).unwrap(), Some(log_of(1)));
    assert_eq!(store.integrity().unwrap(), "ok");
}

fn writer(dir: &Path, first: u64, count: Option<u64>) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", "writer_process", "--ignored", "--nocapture"])
        .env(WRITER_DIR, dir)
        .env(WRITER_FIRST, first.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    if let Some(count) = count {
        command.env(WRITER_COUNT, count.to_string());
    }
    command
}

/// Not a test: the writer process the fault tests start. Writes runs, jobs and logs from
/// `GHA_TRIAGE_TEST_WRITER_FIRST` on, `…_COUNT` of them or until killed.
#[test]
#[ignore = "started by the fault tests"]
fn writer_process() {
    let Some(dir) = std::env::var_os(WRITER_DIR) else { return };
    let first: u64 = std::env::var(WRITER_FIRST).unwrap().parse().unwrap();
    let count: u64 = std::env::var(WRITER_COUNT).map_or(u64::MAX, |text| text.parse().unwrap());
    let store = Store::open(Path::new(&dir)).unwrap();
    for job in first..first.saturating_add(count) {
        let this = run(job, "3f4c2a9", "failure", "2025-12-15T10:20:00Z");
        store.put_run("octo-org/app", &this).unwrap();
        store.put_jobs(this.id, 1, &[self::job(job, job, "test")]).unwrap();
        store.put_log(JobId(job), &log_of(job)).unwrap();
    }
}

#[test]
fn a_writer_killed_mid_write_leaves_a_sound_store_and_no_half_log() {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path()).unwrap();
    for round in 0..3_u64 {
        let mut child = writer(dir.path(), 1_000 * (round + 1), None).spawn().unwrap();
        let started = Instant::now();
        let probe = Store::open(dir.path()).unwrap();
        while probe.info().unwrap().logs < 5 * (round + 1)
            && started.elapsed() < Duration::from_secs(60)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(37 * round));
        child.kill().unwrap();
        child.wait().unwrap();
    }

    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.integrity().unwrap(), "ok");
    let info = store.info().unwrap();
    assert!(info.logs >= 15, "the writers wrote {} logs before they were killed", info.logs);
    for round in 1..=3 {
        for job in 1_000 * round..1_000 * round + 200 {
            assert_whole(&store, job);
        }
    }
}

#[test]
fn two_processes_write_at_once_and_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = writer(dir.path(), 100, Some(40)).spawn().unwrap();
    let mut second = writer(dir.path(), 500, Some(40)).spawn().unwrap();
    assert!(first.wait().unwrap().success(), "the first writer failed");
    assert!(second.wait().unwrap().success(), "the second writer failed");

    let store = Store::open(dir.path()).unwrap();
    let info = store.info().unwrap();
    assert_eq!((info.runs, info.logs), (80, 80));
    for job in (100..140).chain(500..540) {
        assert_eq!(store.log(JobId(job)).unwrap(), Some(log_of(job)), "job {job}");
    }
}

#[test]
fn prune_removes_old_runs_and_then_the_oldest_logs_past_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for (id, created) in
        [(1, "2025-10-01T00:00:00Z"), (2, "2025-12-01T00:00:00Z"), (3, "2025-12-10T00:00:00Z")]
    {
        store.put_run("octo-org/app", &run(id, "abc1234", "failure", created)).unwrap();
        store.put_jobs(RunId(id), 1, &[job(id * 10, id, "test")]).unwrap();
        store.put_log(JobId(id * 10), &log_of(id)).unwrap();
    }

    let pruned = store.prune(Some("2025-11-15T00:00:00Z".parse().unwrap()), None).unwrap();
    assert_eq!((pruned.runs, pruned.logs), (1, 1));
    assert_eq!(store.run(RunId(1)).unwrap(), None);
    assert_eq!(store.log(JobId(10)).unwrap(), None);
    assert!(store.log(JobId(20)).unwrap().is_some());

    let pruned = store.prune(None, Some(1)).unwrap();
    assert_eq!(pruned.logs, 2);
    assert!(pruned.bytes_after < pruned.bytes_before);
    assert_eq!(store.info().unwrap().logs, 0);
    assert_eq!(store.info().unwrap().runs, 2, "runs stay for history when only logs must go");
}

/// The findings of a failing pytest log, as triage makes them.
fn findings_of(module: &str) -> Vec<gha_triage::triage::Finding> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("test.log");
    let log = format!(
        "2025-12-15T10:21:00.0000000Z ##[group]Run pytest -q\n\
         2025-12-15T10:21:01.0000000Z E   ModuleNotFoundError: No module named '{module}'\n\
         2025-12-15T10:21:02.0000000Z ##[error]Process completed with exit code 1.\n"
    );
    std::fs::write(&file, log).unwrap();
    let sources = gha_triage::rules::RuleSources { builtin: true, files: vec![], disable: vec![] };
    let engine = gha_triage::classify::Engine::load(&sources).unwrap();
    let input = gha_triage::input::Input::open(file.to_str().unwrap()).unwrap();
    let mut report = engine.classify(&input, gha_triage::input::Limits::default()).unwrap();
    for finding in &mut report.findings {
        finding.job = Some("test (3.12)".to_owned());
    }
    report.findings
}

#[test]
fn findings_come_back_as_causes_with_their_fingerprint_and_symptoms_left_out() {
    use gha_triage::store::history::{Counted, Window};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for (id, day) in [(1, "2025-12-14"), (2, "2025-12-15")] {
        store
            .put_run("octo-org/app", &run(id, "3f4c2a9", "failure", &format!("{day}T08:00:00Z")))
            .unwrap();
        store.put_jobs(RunId(id), 1, &[job(id * 10, id, "test (3.12)")]).unwrap();
        store.put_findings(RunId(id), 1, JobId(id * 10), &findings_of("requests")).unwrap();
    }

    let history = store.history("octo-org/app", &Window::default()).unwrap();
    let titles: Vec<&str> = history.causes.iter().map(|cause| cause.title.as_str()).collect();
    assert_eq!(titles, ["Python cannot import requests"], "the exit-code symptom is left out");
    let cause = &history.causes[0];
    assert_eq!((cause.runs, cause.jobs.as_slice()), (2, ["test (3.12)".to_owned()].as_slice()));
    assert_eq!(cause.shape, "E ModuleNotFoundError: No module named 'requests'");
    assert_eq!(cause.first_seen.to_string(), "2025-12-14T08:00:00Z");

    let everything = Window { counted: Counted::Everything, ..Window::default() };
    let all = store.history("octo-org/app", &everything).unwrap();
    assert_eq!(all.causes.len(), 2, "the symptom counts with --all");

    let id = gha_triage::fingerprint::Fingerprint::of_finding(&findings_of("requests")[0]).id();
    let seen = store.seen("octo-org/app", std::slice::from_ref(&id), RunId(2)).unwrap();
    assert_eq!((seen[&id].other_runs, seen[&id].runs), (1, 2));
}

#[test]
fn annotations_and_etags_come_back_as_kept() {
    use gha_triage::github::etags::{EtagEntry, EtagStore as _};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let annotations: Vec<gha_triage::github::annotations::Annotation> =
        serde_json::from_value(serde_json::json!([{"path": ".github", "blob_href": null,
            "start_line": 1, "end_line": 1, "start_column": null, "end_column": null,
            "annotation_level": "failure", "title": ".github#L1",
            "message": "The runner lost communication", "raw_details": null}]))
        .unwrap();
    store.put_annotations(JobId(5), &annotations).unwrap();
    assert_eq!(store.annotations(JobId(5)).unwrap(), Some(annotations));
    assert_eq!(store.annotations(JobId(6)).unwrap(), None);

    let url = "https://api.github.com/repos/octo-org/app/actions/runs?page=1";
    let entry = EtagEntry {
        etag: "W/\"runs-1\"".to_owned(),
        link: Some("<https://api.github.com/…?page=2>; rel=\"next\"".to_owned()),
        body: bytes::Bytes::from_static(b"{\"total_count\":0}"),
    };
    store.put(url, entry.clone());
    let reopened = Store::open(dir.path()).unwrap();
    assert_eq!(reopened.get(url), Some(entry));
}

#[test]
fn a_store_damaged_past_its_header_is_moved_aside_and_rebuilt_when_read() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    for job in 1..40 {
        store.put_log(JobId(job), &log_of(job)).unwrap();
    }
    drop(store);
    let file = dir.path().join(FILE_NAME);
    let mut bytes = std::fs::read(&file).unwrap();
    for byte in bytes.iter_mut().skip(8192) {
        *byte = b'J';
    }
    std::fs::write(&file, bytes).unwrap();

    let store = Store::open(dir.path()).expect("the header is sound, so it opens");
    let error = (1..40)
        .find_map(|job| store.log(JobId(job)).err())
        .expect("a read finds the damaged pages");

    assert!(matches!(error, StoreError::Damaged { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("is damaged") && message.contains("moved aside"), "{message}");
    assert!(message.contains(&file.display().to_string()), "{message}");
    let aside = store.moved_aside().expect("moved aside");
    assert!(aside.exists(), "{} is kept for a post-mortem", aside.display());
    let note = store.take_recovery_note().expect("a note for the user");
    assert!(note.contains(&aside.display().to_string()) && note.contains("corrupt"), "{note}");
    assert_eq!(store.take_recovery_note(), None, "told once");
    assert_eq!(store.log(JobId(1)).unwrap(), None, "the new store starts empty");
    store.put_log(JobId(1), &log_of(1)).unwrap();
    assert_eq!(store.integrity().unwrap(), "ok");
    drop(store);

    let reopened = Store::open(dir.path()).unwrap();
    assert_eq!(reopened.moved_aside(), None);
    assert_eq!(reopened.log(JobId(1)).unwrap(), Some(log_of(1)));
    assert_eq!(reopened.info().unwrap().logs, 1);
}

#[test]
fn the_store_opens_in_wal_mode_with_a_busy_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();

    let sharing = store.sharing().unwrap();

    assert_eq!(sharing.journal_mode, "wal");
    assert!(
        sharing.busy_timeout >= Duration::from_secs(1),
        "a second writer waits rather than fails: {sharing:?}"
    );
    drop(store);
    let outside = rusqlite::Connection::open(dir.path().join(FILE_NAME)).unwrap();
    let mode: String = outside.query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal", "WAL is kept in the file, so every process uses it");
}
