//! Fingerprints stay the same when only ids, times and paths change between runs, and differ
//! when the cause differs. The lines are written in the formats runners print.

use gha_triage::fingerprint::{Fingerprint, normalise};

fn same(rule: &str, first: &str, second: &str) {
    let (a, b) = (Fingerprint::of(rule, first), Fingerprint::of(rule, second));
    assert_eq!(a.id(), b.id(), "\n{first}\n{second}\nshapes: {}\n        {}", a.shape, b.shape);
}

fn different(rule: &str, first: &str, second: &str) {
    let (a, b) = (Fingerprint::of(rule, first), Fingerprint::of(rule, second));
    assert_ne!(a.id(), b.id(), "\n{first}\n{second}\nshape: {}", a.shape);
}

#[test]
fn a_missing_file_in_two_workspaces_is_one_cause() {
    same(
        "python-file-not-found",
        "ERROR: Could not open requirements file: [Errno 2] No such file or directory: '/home/runner/work/app/app/requirements.txt'",
        "ERROR: Could not open requirements file: [Errno 2] No such file or directory: '/home/runner/work/widgets/widgets/requirements.txt'",
    );
}

#[test]
fn windows_and_macos_workspaces_are_placeholders_too() {
    assert_eq!(
        normalise(r"D:\a\app\app\src\Program.cs(12,5): error CS1002: ; expected"),
        r"<workspace>\src\Program.cs(#,#): error CS#: ; expected"
    );
    same(
        "npm-missing-script",
        "npm error path /Users/runner/work/site/site/package.json",
        "npm error path /Users/runner/work/blog/blog/package.json",
    );
}

#[test]
fn commit_shas_and_container_ids_do_not_split_a_cause() {
    same(
        "git-checkout-failed",
        "fatal: reference is not a tree: 3f4c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39",
        "fatal: reference is not a tree: 91ab0c7e5d3f2a1b4c6d8e0f2a4b6c8d0e2f4a61",
    );
    same(
        "docker-run-failed",
        "docker: Error response from daemon: container 4e7d9c1b2a3f failed to start.",
        "docker: Error response from daemon: container a81f3c5e6d70 failed to start.",
    );
}

#[test]
fn times_durations_and_counts_do_not_split_a_cause() {
    same(
        "pytest-failed",
        "FAILED tests/test_api.py::test_login - AssertionError: 401 != 200 ===== 1 failed, 212 passed in 41.37s =====",
        "FAILED tests/test_api.py::test_login - AssertionError: 401 != 200 ===== 1 failed, 214 passed in 38.02s =====",
    );
    same(
        "gradle-test-failed",
        "2021-12-01 13:01:04.378 ERROR LogDifferTest > testGithubParsing() FAILED at LogDifferTest.java:61",
        "2021-12-03 09:44:51.102 ERROR LogDifferTest > testGithubParsing() FAILED at LogDifferTest.java:64",
    );
}

#[test]
fn uuids_temp_folders_and_generated_names_do_not_split_a_cause() {
    same(
        "runner-lost",
        "The self-hosted runner: runner-7c2f lost communication with the server. Request id 1d8c5a52-6b3e-4f7a-9d2c-0e1f2a3b4c5d",
        "The self-hosted runner: runner-7c2f lost communication with the server. Request id 0a9b8c7d-6e5f-4a3b-8c1d-2e3f4a5b6c7d",
    );
    same(
        "pip-build-failed",
        "error: subprocess-exited-with-error in /tmp/pip-install-k2x8q0vd/numpy/setup.py",
        "error: subprocess-exited-with-error in /tmp/pip-install-w9m3z7ab/numpy/setup.py",
    );
    same(
        "script-failed",
        "/home/runner/work/_temp/3c1f0a2e-1b4d-4e6f-8a9b-0c1d2e3f4a5b.sh: line 3: make: command not found",
        "/home/runner/work/_temp/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d.sh: line 3: make: command not found",
    );
    same(
        "artifact-upload",
        "Artifact name is not valid: build-output-a7k2m9x4q1",
        "Artifact name is not valid: build-output-p3z8w1n6c5",
    );
}

#[test]
fn different_exit_codes_and_statuses_are_different_causes() {
    different(
        "exit-code",
        "Process completed with exit code 1.",
        "Process completed with exit code 137.",
    );
    different(
        "cache-service",
        "Failed to restore: Cache service responded with 400",
        "Failed to restore: Cache service responded with 503",
    );
}

#[test]
fn different_missing_modules_or_files_are_different_causes() {
    different(
        "python-module-not-found",
        "ModuleNotFoundError: No module named 'requests'",
        "ModuleNotFoundError: No module named 'yaml'",
    );
    different(
        "python-file-not-found",
        "No such file or directory: '/home/runner/work/app/app/requirements.txt'",
        "No such file or directory: '/home/runner/work/app/app/requirements-dev.txt'",
    );
}

#[test]
fn the_rule_is_part_of_the_fingerprint() {
    let text = "Process completed with exit code 2.";
    assert_ne!(Fingerprint::of("exit-code", text).id(), Fingerprint::of("make-failed", text).id());
}

#[test]
fn ordinary_words_survive_normalising() {
    assert_eq!(
        normalise("error: could not compile `serde_json` (lib) due to 2 previous errors"),
        "error: could not compile `serde_json` (lib) due to # previous errors"
    );
    assert_eq!(normalise("python312 deadbeef sha256sum"), "python# deadbeef sha#sum");
}

/// A version pinned or asked for is part of the cause: `numpy==1.26.0` failing to build and
/// `numpy==2.0.0` failing to build are two causes with two fixes, and "have we seen this
/// before" should not answer yes for the other pin. Counts, times and ids around it still go.
#[test]
fn another_pinned_version_is_another_cause() {
    different(
        "pip-no-matching-distribution",
        "ERROR: No matching distribution found for numpy==1.26.0",
        "ERROR: No matching distribution found for numpy==2.0.0",
    );
    different(
        "node-deprecated",
        "Node.js 16 actions are deprecated. Please update the following actions to use Node.js 20: actions/checkout@v3",
        "Node.js 16 actions are deprecated. Please update the following actions to use Node.js 20: actions/checkout@v4",
    );
    different(
        "python-version-not-found",
        "Error: The version '3.7' with architecture 'x64' was not found for Ubuntu 24.04. Requested version 3.7",
        "Error: The version '3.8' with architecture 'x64' was not found for Ubuntu 24.04. Requested version 3.8",
    );
    different(
        "pip-requires-python",
        "ERROR: Package 'widgets' requires a different Python: 3.8.18 not in '>=3.9'",
        "ERROR: Package 'widgets' requires a different Python: 3.8.18 not in '>=3.10'",
    );
    assert_eq!(
        normalise("Collecting numpy==2.0.0rc1 (from -r requirements.txt (line 3))"),
        "Collecting numpy==2.0.0rc1 (from -r requirements.txt (line #))"
    );
    assert_eq!(
        normalise("uses: actions/setup-node@v4 with node@18"),
        "uses: actions/setup-node@v4 with node@18"
    );
}

#[test]
fn the_same_pin_in_another_run_is_still_one_cause() {
    same(
        "pip-build-failed",
        "2025-12-14T08:01:12.1234567Z ERROR: Failed building wheel for numpy==1.26.0 in /tmp/pip-wheel-k2x8q0vd (12.3s)",
        "2025-12-15T10:44:03.7654321Z ERROR: Failed building wheel for numpy==1.26.0 in /tmp/pip-wheel-w9m3z7ab (9.8s)",
    );
    same(
        "assertion",
        "FAILED tests/test_api.py::test_total - assert 212 == 214",
        "FAILED tests/test_api.py::test_total - assert 198 == 200",
    );
}
