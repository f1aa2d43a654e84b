//! `gha-triage cache info` and `cache prune` as a user runs them, on a store in a folder of
//! the test's own (`GHA_TRIAGE_CACHE_DIR`) with a config folder of its own.

use std::path::Path;
use std::process::{Command, Output};

use gha_triage::github::model::{Job, JobId, Run, RunId};
use gha_triage::store::{FILE_NAME, Store};

fn gha_triage(cache: &Path, config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(args)
        .env("GHA_TRIAGE_CACHE_DIR", cache)
        .env("GHA_TRIAGE_CONFIG_DIR", config)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fill(dir: &Path, now: jiff::Timestamp) {
    let store = Store::open(dir).unwrap();
    for (id, days_ago) in [(1_u64, 400_i64), (2, 10), (3, 1)] {
        let created = now.checked_sub(jiff::SignedDuration::from_hours(24 * days_ago)).unwrap();
        let run: Run = serde_json::from_value(serde_json::json!({
            "id": id, "run_number": id, "workflow_id": 7, "head_sha": "3f4c2a9",
            "status": "completed", "conclusion": "failure",
            "created_at": created.to_string(), "updated_at": created.to_string(),
        }))
        .unwrap();
        let job: Job = serde_json::from_value(serde_json::json!({
            "id": id * 100, "run_id": id, "name": "test", "conclusion": "failure",
        }))
        .unwrap();
        store.put_run("octo-org/app", &run).unwrap();
        store.put_jobs(RunId(id), 1, &[job]).unwrap();
        let log = format!("2025-12-15T10:21:33.0000000Z ##[error]job {id} failed\n").repeat(5_000);
        store.put_log(JobId(id * 100), log.as_bytes()).unwrap();
    }
}

#[test]
fn info_names_the_location_and_counts_what_is_kept() {
    let (cache, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    fill(cache.path(), jiff::Timestamp::now());
    let output = gha_triage(cache.path(), config.path(), &["cache", "info"]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(stdout.contains(&cache.path().join(FILE_NAME).display().to_string()), "{stdout}");
    assert!(stdout.contains("runs          3"), "{stdout}");
    assert!(stdout.contains("logs          3"), "{stdout}");

    let output = gha_triage(cache.path(), config.path(), &["cache", "info", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["jobs"], 3);
    assert!(json["bytes"].as_u64().unwrap() > 0);
}

#[test]
fn prune_by_age_removes_old_runs_and_keeps_recent_ones() {
    let (cache, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    fill(cache.path(), jiff::Timestamp::now());
    let output = gha_triage(cache.path(), config.path(), &["cache", "prune", "--older-than", "30"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).starts_with("removed 1 runs older than 30 days"),
        "{}",
        text(&output.stdout)
    );
    let store = Store::open(cache.path()).unwrap();
    assert_eq!(store.run(RunId(1)).unwrap(), None);
    assert!(store.run(RunId(2)).unwrap().is_some());
}

#[test]
fn prune_without_options_uses_the_limits_of_the_config() {
    let (cache, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    fill(cache.path(), jiff::Timestamp::now());
    std::fs::write(config.path().join("config.toml"), "[cache]\nmax-size-mb = 0\n").unwrap();
    let output = gha_triage(cache.path(), config.path(), &["cache", "prune"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let info = Store::open(cache.path()).unwrap().info().unwrap();
    assert_eq!(info.logs, 0, "a 0 MB cap leaves no log");
    assert_eq!(info.runs, 2, "the default age of 90 days keeps the recent runs");
}

#[test]
fn a_bad_cache_limit_in_the_config_names_the_file() {
    let (cache, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(config.path().join("config.toml"), "[cache]\nmax-size-mb = \"big\"\n").unwrap();
    let output = gha_triage(cache.path(), config.path(), &["cache", "prune"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("config.toml:2: ") && stderr.lines().count() == 1, "{stderr}");
}

#[test]
fn a_corrupt_store_is_moved_aside_and_the_command_says_where() {
    let (cache, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::write(cache.path().join(FILE_NAME), b"not a database at all".repeat(300)).unwrap();
    let output = gha_triage(cache.path(), config.path(), &["cache", "info"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("was corrupt: moved it to") && stderr.contains(".corrupt-"),
        "{stderr}"
    );
    assert!(text(&output.stdout).contains("runs          0"));
}

#[test]
fn prune_drops_a_kept_commit_with_the_last_run_that_named_it() {
    let (cache, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    fill(cache.path(), jiff::Timestamp::now());
    let store = Store::open(cache.path()).unwrap();
    let snapshot = gha_triage::workflow::repo::RepoSnapshot {
        files: ["requirements.txt".to_owned()].into(),
        ..Default::default()
    };
    store.put_commit("octo-org/app", "3f4c2a9", &snapshot).unwrap();
    store.put_commit("octo-org/app", "0ld5ha1", &snapshot).unwrap();
    drop(store);

    let output = gha_triage(cache.path(), config.path(), &["cache", "prune", "--older-than", "30"]);

    assert!(output.status.success(), "{}", text(&output.stderr));
    let store = Store::open(cache.path()).unwrap();
    let kept = store.commit("octo-org/app", "3f4c2a9").unwrap().expect("runs 2 and 3 name it");
    assert!(kept.files.contains("requirements.txt"));
    assert!(store.commit("octo-org/app", "0ld5ha1").unwrap().is_none(), "no run names it");
}

#[test]
fn a_store_damaged_past_its_header_is_moved_aside_and_info_reads_the_new_one() {
    let (cache, config) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    fill(cache.path(), jiff::Timestamp::now());
    let file = cache.path().join(FILE_NAME);
    let mut bytes = std::fs::read(&file).unwrap();
    for byte in bytes.iter_mut().skip(4096) {
        *byte = b'J';
    }
    std::fs::write(&file, bytes).unwrap();

    let output = gha_triage(cache.path(), config.path(), &["cache", "info"]);

    assert!(output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("was corrupt: moved it to") && stderr.contains(".corrupt-"),
        "{stderr}"
    );
    assert!(text(&output.stdout).contains("runs          0"), "{}", text(&output.stdout));
    let again = gha_triage(cache.path(), config.path(), &["cache", "info"]);
    assert!(again.status.success() && again.stderr.is_empty(), "{}", text(&again.stderr));
}
