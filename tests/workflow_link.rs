//! Log findings linked to the workflow lines behind them, on small repositories of our own: a
//! cache miss to the key no workflow saves, a refused token to its own step's missing scope or
//! to a `permissions:` block to add, an old action named in a deprecation warning, and a run
//! whose workflow file does not parse.

use std::collections::BTreeSet;
use std::process::Command;

use gha_triage::category::{Category, Severity};
use gha_triage::triage::{Finding, Report};
use gha_triage::workflow::link;
use gha_triage::workflow::repo::{RepoView, WorkflowFile};
use gha_triage::workflow::{self, CheckId};

fn repo(files: &[(&str, &str)]) -> RepoView {
    let list: BTreeSet<String> = files.iter().map(|(path, _)| (*path).to_owned()).collect();
    let workflows = files
        .iter()
        .filter(|(path, _)| path.starts_with(".github/workflows/"))
        .map(|(path, text)| WorkflowFile { path: (*path).to_owned(), text: (*text).to_owned() })
        .collect();
    RepoView::new(list, workflows)
}

/// A log finding as triage makes it.
fn finding(rule: &str, category: Category, job: &str, step: &str, text: &str) -> Finding {
    Finding {
        rule: rule.to_owned(),
        category,
        severity: Severity::Error,
        transient: false,
        title: rule.to_owned(),
        fix: String::new(),
        job: Some(job.to_owned()),
        step: Some(step.to_owned()),
        line: 10,
        text: text.to_owned(),
        symptom_of: None,
        file: None,
        count: 1,
        also_at: Vec::new(),
        references: Vec::new(),
        priority: 50,
        in_failed_step: true,
        job_index: 0,
        workflow: None,
    }
}

fn report(findings: Vec<Finding>) -> Report {
    Report {
        source: "test".to_owned(),
        findings,
        jobs: Vec::new(),
        notices: Vec::new(),
        recall: gha_triage::triage::recall::Recall::default(),
    }
}

/// Applies `patch` to the files in a new git repository and lints the result.
fn lint_after(files: &[(&str, &str)], patch: &str) -> Vec<workflow::Problem> {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }
    std::fs::write(dir.path().join("fix.patch"), patch).expect("write patch");
    for args in [&["init", "-q"][..], &["apply", "--check", "fix.patch"], &["apply", "fix.patch"]] {
        let output = Command::new("git").arg("-C").arg(dir.path()).args(args).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    std::fs::remove_file(dir.path().join("fix.patch")).expect("remove patch");
    let view = RepoView::from_dir(dir.path()).expect("readable");
    assert!(view.errors.is_empty(), "{:?}", view.errors);
    workflow::lint(&view)
}

const NIGHTLY: &str = "\
name: Nightly bundle
on: push
jobs:
  bundle:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Restore compiled assets
        uses: actions/cache/restore@v4
        with:
          path: compiled
          key: assets-${{ github.run_id }}
      - name: Bundle
        timeout-minutes: 3
        run: ./bundle.sh compiled
";

#[test]
fn a_cache_miss_is_linked_to_the_key_no_workflow_saves_and_the_wait_becomes_its_symptom() {
    let view = repo(&[(".github/workflows/nightly.yml", NIGHTLY), ("bundle.sh", "")]);
    let miss = finding(
        "cache-not-found",
        Category::Cache,
        "bundle",
        "Restore compiled assets",
        "Cache not found for input keys: assets-81723",
    );
    let waited = finding(
        "step-timeout",
        Category::Timeout,
        "bundle",
        "Bundle",
        "##[error]The action 'Bundle' has timed out after 3 minutes.",
    );
    let mut report = report(vec![miss, waited]);

    link::link(&mut report, &view, ".github/workflows/nightly.yml");

    let linked = report.findings[0].workflow.as_ref().expect("the miss is linked");
    assert_eq!((linked.check, linked.line), ("cache-key-never-saved", 12));
    assert_eq!(report.findings.len(), 2, "no second finding for the same key");
    assert_eq!(report.findings[1].symptom_of, Some(0), "the timeout waited for the cache");
}

const RELEASE: &str = "\
name: Release notes
on: push
permissions:
  contents: read
jobs:
  notes:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Open the notes PR
        run: gh pr create --fill
      - name: Push the tag
        run: git push origin v1.2.3
";

#[test]
fn a_refused_token_is_linked_to_the_missing_scope_of_its_own_step() {
    let view = repo(&[(".github/workflows/release.yml", RELEASE)]);
    let refused = finding(
        "git-push-denied",
        Category::Auth,
        "notes",
        "Push the tag",
        "remote: Permission to acme/notes.git denied to github-actions[bot].",
    );
    let mut report = report(vec![refused]);

    link::link(&mut report, &view, ".github/workflows/release.yml");

    let linked = report.findings[0].workflow.as_ref().expect("linked");
    assert_eq!(linked.line, 13, "the push, not the pull request two lines up");
    assert!(linked.message.contains("contents: write"), "{}", linked.message);
}

const LABELER: &str = "\
name: Label issues
on: issues
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - name: Label it
        run: gh issue edit 7 --add-label triage
";

#[test]
fn a_refused_token_without_any_permissions_block_gets_a_block_to_add() {
    let files = [(".github/workflows/label.yml", LABELER)];
    let view = repo(&files);
    assert!(workflow::lint(&view).is_empty(), "without a block the files alone say nothing");
    let refused = finding(
        "resource-not-accessible-by-integration",
        Category::Auth,
        "label",
        "Label it",
        "GraphQL: Resource not accessible by integration (addLabelsToLabelable)",
    );
    let mut report = report(vec![refused]);

    link::link(&mut report, &view, ".github/workflows/label.yml");

    let linked = report.findings[0].workflow.as_ref().expect("linked");
    assert_eq!(linked.line, 8);
    assert!(linked.message.contains("sets no `permissions:`"), "{}", linked.message);
    let patch = linked.patch.as_deref().expect("a block to add");
    assert!(patch.contains("+    permissions:\n+      contents: read\n+      issues: write\n"));
    assert!(lint_after(&files, patch).is_empty());
}

#[test]
fn a_deprecation_warning_is_linked_to_the_outdated_uses_line() {
    let flow = NIGHTLY.replace("actions/checkout@v4", "actions/checkout@v3");
    let view = repo(&[(".github/workflows/nightly.yml", &flow), ("bundle.sh", "")]);
    let old = finding(
        "node16-deprecated",
        Category::Action,
        "bundle",
        "Post Run actions/checkout@v3",
        "Node.js 16 actions are deprecated. Please update the following actions to use \
         Node.js 20: actions/checkout@v3.",
    );
    let mut report = report(vec![old]);

    link::link(&mut report, &view, ".github/workflows/nightly.yml");

    let linked = report.findings[0].workflow.as_ref().expect("linked");
    assert_eq!((linked.check, linked.line), (CheckId::DeprecatedAction.id(), 7));
    assert!(
        linked.patch.as_deref().is_some_and(|p| p.contains("+      - uses: actions/checkout@v5"))
    );
}

#[test]
fn a_run_whose_workflow_does_not_parse_gets_a_finding_saying_so() {
    let broken = "name: Broken\non: push\njobs:\n  build:\n    steps: [\n      - run: make\n";
    let view = repo(&[(".github/workflows/broken.yml", broken)]);
    let mut report = report(Vec::new());

    link::link(&mut report, &view, ".github/workflows/broken.yml");

    let found = report.findings.first().expect("a finding for the file");
    assert_eq!(found.rule, "workflow/invalid-yaml");
    assert_eq!(found.severity, Severity::Error);
    assert!(found.title.contains("broken.yml") && found.title.contains("not valid YAML"));
    assert!(found.workflow.as_ref().is_some_and(|link| link.line >= 5));
}

const SUITE: &str = "\
name: Suite
on: push
concurrency:
  group: suite-${{ github.ref }}
  cancel-in-progress: true
jobs:
  shard:
    name: Shard ${{ matrix.part }}
    runs-on: ubuntu-latest
    timeout-minutes: 40
    strategy:
      matrix:
        part: [a, b, c]
    steps:
      - name: Integration
        timeout-minutes: 12
        run: ./integration.sh
";

fn suite_link(findings: Vec<Finding>, at: usize) -> link::WorkflowLink {
    let view = repo(&[(".github/workflows/suite.yml", SUITE), ("integration.sh", "")]);
    let mut report = report(findings);
    link::link(&mut report, &view, ".github/workflows/suite.yml");
    report.findings[at].workflow.clone().expect("linked")
}

#[test]
fn a_leg_canceled_because_another_failed_names_that_leg_and_fail_fast() {
    let canceled = finding(
        "fail-fast-canceled",
        Category::Canceled,
        "Shard c",
        "Integration",
        "##[error]The job was canceled because \"Shard a\" failed.",
    );
    let linked = suite_link(vec![canceled], 0);
    assert_eq!(linked.line, 12, "fail-fast, though timeouts and concurrency are set too");
    assert!(linked.message.contains("`Shard a` failed first"), "{}", linked.message);
    assert!(linked.patch.as_deref().is_some_and(|p| p.contains("+      fail-fast: false")));
}

#[test]
fn without_words_for_it_the_first_leg_that_failed_by_itself_is_named() {
    let broke = finding("pytest-failed", Category::Test, "Shard b", "Integration", "FAILED x");
    let canceled = finding(
        "operation-canceled",
        Category::Canceled,
        "Shard c",
        "Set up job",
        "##[error]The operation was canceled.",
    );
    let view = repo(&[
        (".github/workflows/suite.yml", &SUITE.replace("    timeout-minutes: 40\n", "")),
        ("integration.sh", ""),
    ]);
    let mut report = report(vec![broke, canceled]);
    link::link(&mut report, &view, ".github/workflows/suite.yml");
    let linked = report.findings[1].workflow.as_ref().expect("linked");
    assert!(linked.message.contains("`Shard b` failed first"), "{}", linked.message);
}

#[test]
fn a_canceled_step_that_timed_out_points_at_the_step_s_timeout_minutes() {
    let timed_out = finding(
        "step-timeout",
        Category::Timeout,
        "Shard b",
        "Integration",
        "##[error]The action 'Integration' has timed out after 12 minutes.",
    );
    let canceled = finding(
        "operation-canceled",
        Category::Canceled,
        "Shard b",
        "Integration",
        "##[error]The operation was canceled.",
    );
    let linked = suite_link(vec![timed_out, canceled], 1);
    assert_eq!(linked.line, 16);
    assert!(linked.message.contains("`timeout-minutes: 12`"), "{}", linked.message);
}

#[test]
fn a_job_over_its_time_points_at_the_job_s_timeout_minutes() {
    let mut over = finding(
        "job-timeout",
        Category::Timeout,
        "Shard a",
        "",
        "##[error]The job running on runner GitHub Actions 7 has exceeded the maximum execution \
         time of 40 minutes.",
    );
    over.step = None;
    let linked = suite_link(vec![over], 0);
    assert_eq!(linked.line, 10);
    assert!(linked.message.contains("the job `shard`"), "{}", linked.message);
}

#[test]
fn a_run_superseded_in_its_group_points_at_cancel_in_progress() {
    let superseded = finding(
        "concurrency-canceled",
        Category::Canceled,
        "Shard a",
        "Integration",
        "Canceling since a higher priority waiting request for 'suite-refs/heads/main' exists",
    );
    let linked = suite_link(vec![superseded], 0);
    assert_eq!(linked.line, 5);
    assert!(linked.message.contains("cancel-in-progress: true"), "{}", linked.message);
}

/// The link of a finding over `flow` in place of the suite's workflow.
fn link_over(flow: &str, finding: Finding) -> Option<link::WorkflowLink> {
    let view = repo(&[(".github/workflows/suite.yml", flow), ("integration.sh", "")]);
    let mut report = report(vec![finding]);
    link::link(&mut report, &view, ".github/workflows/suite.yml");
    report.findings[0].workflow.clone()
}

#[test]
fn without_cancel_in_progress_a_cancellation_is_not_put_on_the_concurrency_group() {
    let quiet = SUITE
        .replace("    timeout-minutes: 40\n", "")
        .replace("        timeout-minutes: 12\n", "")
        .replace("    strategy:\n", "    strategy:\n      fail-fast: false\n");
    let texts = [
        "Canceling since a higher priority waiting request for 'suite-refs/heads/main' exists",
        "##[error]The operation was canceled.",
    ];
    let not_cancelling = quiet.replace("cancel-in-progress: true", "cancel-in-progress: false");
    let no_group = quiet.replace(
        "concurrency:\n  group: suite-${{ github.ref }}\n  cancel-in-progress: true\n",
        "",
    );
    for flow in [&not_cancelling, &no_group] {
        for text in texts {
            let canceled =
                finding("operation-canceled", Category::Canceled, "Shard a", "Integration", text);
            let linked = link_over(flow, canceled);
            assert_eq!(linked, None, "{text} over:\n{flow}");
        }
    }
    let canceled =
        finding("operation-canceled", Category::Canceled, "Shard a", "Integration", texts[1]);
    let linked = link_over(&quiet, canceled).expect("cancel-in-progress: true explains it");
    assert!(linked.message.contains("cancel-in-progress: true"), "{}", linked.message);
}

#[test]
fn without_timeout_minutes_a_cancellation_is_not_put_on_a_timeout() {
    let untimed =
        SUITE.replace("    timeout-minutes: 40\n", "").replace("        timeout-minutes: 12\n", "");
    let timed_out = finding(
        "step-timeout",
        Category::Timeout,
        "Shard b",
        "Integration",
        "##[error]The action 'Integration' has timed out after 360 minutes.",
    );
    assert_eq!(link_over(&untimed, timed_out), None, "GitHub's own limit has no line");
    let canceled = finding(
        "operation-canceled",
        Category::Canceled,
        "Shard b",
        "Integration",
        "##[error]The operation was canceled.",
    );
    let linked = link_over(&untimed, canceled).expect("fail-fast is still on");
    assert!(!linked.message.contains("timeout-minutes"), "{}", linked.message);
    assert!(linked.message.contains("fail-fast"), "{}", linked.message);
}

/// A job as GitHub lists it: its name, conclusion and when it finished.
fn listed_job(
    id: u64,
    name: &str,
    conclusion: &str,
    completed: &str,
) -> gha_triage::github::model::Job {
    serde_json::from_value(serde_json::json!({
        "id": id, "run_id": 1, "run_attempt": 1, "name": name, "status": "completed",
        "conclusion": conclusion, "started_at": "2025-11-03T08:00:00Z",
        "completed_at": completed, "steps": [], "labels": []
    }))
    .expect("a job")
}

#[test]
fn the_leg_that_finished_failing_first_is_named_whatever_the_report_s_order() {
    let first = finding("pytest-failed", Category::Test, "Shard b", "Integration", "FAILED y");
    let second = finding("pytest-failed", Category::Test, "Shard c", "Integration", "FAILED z");
    let canceled = finding(
        "operation-canceled",
        Category::Canceled,
        "Shard a",
        "Set up job",
        "##[error]The operation was canceled.",
    );
    let jobs = [
        listed_job(1, "Shard a", "cancelled", "2025-11-03T08:09:00Z"),
        listed_job(2, "Shard b", "failure", "2025-11-03T08:07:30Z"),
        listed_job(3, "Shard c", "failure", "2025-11-03T08:04:10Z"),
    ];
    let mut report = report(vec![first, second, canceled]);
    let flow = SUITE.replace("    timeout-minutes: 40\n", "");
    let view = repo(&[(".github/workflows/suite.yml", &flow), ("integration.sh", "")]);

    link::link_jobs(&mut report, &view, ".github/workflows/suite.yml", &jobs);

    let linked = report.findings[2].workflow.as_ref().expect("linked");
    assert!(linked.message.contains("`Shard c` failed first"), "{}", linked.message);
}

#[test]
fn a_cache_400_in_a_setup_step_is_linked_to_its_old_toolkit() {
    let flow = "\
name: Site
on: push
jobs:
  site:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v4.0.4
        with:
          cache: npm
      - run: npm ci
";
    let view = repo(&[(".github/workflows/site.yml", flow), ("package-lock.json", "{}")]);
    let refused = finding(
        "cache-service-request-failed",
        Category::Cache,
        "site",
        "Run actions/setup-node@v4.0.4",
        "##[warning]Failed to restore: Cache service responded with 400",
    );
    let mut report = report(vec![refused]);

    link::link(&mut report, &view, ".github/workflows/site.yml");

    let linked = report.findings[0].workflow.as_ref().expect("linked");
    assert_eq!((linked.check, linked.line), (CheckId::DeprecatedAction.id(), 8));
    assert!(linked.message.contains("cache toolkit"), "{}", linked.message);
}
