//! `--repo-dir`: a local checkout read at the run's commit through git, whatever is checked out
//! now, and its working tree (with a note) when the commit is not there.

use std::path::Path;
use std::process::Command;

use gha_triage::workflow::checkout;
use gha_triage::workflow::{self, CheckId};

const INSTALL: &str = "\
name: Tests
on: push
jobs:
  unit:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements-dev.txt
";

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A repository whose first commit lacks the requirements file and whose second adds it.
fn two_commits() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let flows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&flows).expect("mkdir");
    std::fs::write(flows.join("tests.yml"), INSTALL).expect("write");
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "tests"]);
    let before = git(dir.path(), &["rev-parse", "HEAD"]);
    std::fs::write(dir.path().join("requirements-dev.txt"), "pytest\n").expect("write");
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "requirements"]);
    let after = git(dir.path(), &["rev-parse", "HEAD"]);
    (dir, before, after)
}

fn missing(view: &gha_triage::workflow::repo::RepoView) -> Vec<String> {
    let found = workflow::lint(view).into_iter().filter(|p| p.check == CheckId::MissingFile);
    found.map(|p| p.subject).collect()
}

#[test]
fn the_checkout_is_read_at_the_run_s_commit_not_at_what_is_checked_out() {
    let (dir, before, after) = two_commits();

    let old = checkout::at_commit(dir.path(), &before).expect("readable");
    let new = checkout::at_commit(dir.path(), &after).expect("readable");

    assert_eq!(missing(&old), ["requirements-dev.txt"], "the file came one commit later");
    assert!(missing(&new).is_empty());
    assert!(old.notes.is_empty() && new.notes.is_empty());
}

#[test]
fn a_commit_the_checkout_lacks_reads_the_working_tree_with_a_note() {
    let (dir, _, _) = two_commits();
    git(dir.path(), &["rm", "-q", "requirements-dev.txt"]);

    let view = checkout::at_commit(dir.path(), "0123456789abcdef0123456789abcdef01234567")
        .expect("readable");

    assert_eq!(missing(&view), ["requirements-dev.txt"], "the working tree, deletion included");
    let note = view.notes.first().expect("a note");
    assert!(note.contains("commit 0123456 is not in") && note.contains("working tree"), "{note}");
}

#[test]
fn a_folder_that_is_not_there_is_an_error_not_a_panic() {
    let error = checkout::at_commit(Path::new("/nonexistent/checkout"), "abc").unwrap_err();
    assert!(error.to_string().contains("not a folder"), "{error}");
}
