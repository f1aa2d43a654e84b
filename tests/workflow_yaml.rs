//! Workflow files read with positions: the model's lines, malformed YAML, anchors and
//! aliases, and a very long workflow.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use gha_triage::workflow::model::Workflow;
use gha_triage::workflow::yaml;

fn model(text: &str) -> Workflow {
    let root = yaml::parse(".github/workflows/w.yml", text).expect("valid YAML");
    Workflow::from_yaml(".github/workflows/w.yml", text, &root)
}

const SAMPLE: &str = "\
name: Nightly build
on:
  workflow_run:
    workflows: [Upstream checks]
    types: [completed]
  push:
concurrency:
  group: nightly-${{ github.ref }}
  cancel-in-progress: true
permissions:
  contents: read
jobs:
  compile:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    strategy:
      fail-fast: false
      matrix:
        os: [linux, mac]
    permissions:
      packages: write
    steps:
      - uses: actions/checkout@v4
      - name: Build it
        id: build
        working-directory: src
        run: |
          make all
          make check
      - uses: actions/cache/save@v4
        with:
          path: out
          key: out-${{ github.sha }}
  ship:
    needs: [compile]
    runs-on: ubuntu-latest
    steps:
      - run: ./ship.sh
";

#[test]
fn every_part_of_the_workflow_knows_its_line() {
    let workflow = model(SAMPLE);
    assert_eq!(
        workflow.name.as_ref().map(|n| (n.value.as_str(), n.line)),
        Some(("Nightly build", 1))
    );
    let events: Vec<_> = workflow.events.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(events, ["workflow_run", "push"]);
    assert_eq!(workflow.run_after[0].value, "Upstream checks");
    assert_eq!(workflow.run_after[0].line, 4);
    let concurrency = workflow.concurrency.as_ref().expect("concurrency");
    assert_eq!(concurrency.cancel_in_progress.as_ref().map(|c| c.line), Some(9));
    assert_eq!(workflow.permissions.as_ref().map(|p| p.line), Some(10));
    let compile = &workflow.jobs[0];
    assert_eq!((compile.id.value.as_str(), compile.id.line), ("compile", 13));
    assert_eq!(compile.timeout_minutes.as_ref().map(|t| t.line), Some(15));
    assert_eq!(compile.fail_fast.as_ref().map(|f| (f.value.as_str(), f.line)), Some(("false", 17)));
    assert_eq!(
        compile.matrix.as_ref().map(|m| (m.value.clone(), m.line)),
        Some((vec!["os".to_owned()], 18))
    );
    assert_eq!(
        compile.permissions.as_ref().map(|p| p.scopes.clone()),
        Some(vec![("packages".to_owned(), "write".to_owned())])
    );
    let build = &compile.steps[1];
    assert_eq!(build.line, 24);
    assert_eq!(build.id.as_deref(), Some("build"));
    assert_eq!(build.working_directory.as_ref().map(|w| w.line), Some(26));
    let script: Vec<_> = build
        .script_lines(&workflow)
        .into_iter()
        .map(|(line, text)| (line, text.trim().to_owned()))
        .collect();
    assert_eq!(script, [(28, "make all".to_owned()), (29, "make check".to_owned())]);
    let save = &compile.steps[2];
    assert_eq!(
        save.uses.as_ref().map(|u| (u.action.as_str(), u.major(), u.line)),
        Some(("actions/cache/save", Some(4), 30))
    );
    assert_eq!(save.input("key").map(|k| k.line), Some(33));
    assert_eq!(workflow.jobs[1].needs, ["compile"]);
    assert_eq!(workflow.jobs[1].steps[0].display_name(), "Run ./ship.sh");
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let text = "name: Broken\non:\n  push:\njobs:\n  a:\n    steps: [unclosed\n  b: x\n";
    let error = yaml::parse(".github/workflows/broken.yml", text).expect_err("not YAML");
    let shown = error.to_string();
    assert!(shown.starts_with(".github/workflows/broken.yml:"), "{shown}");
    assert!(error.pos.line >= 6, "{shown}");
    assert!(error.pos.column >= 1);
    let tabs = yaml::parse("t.yml", "a:\n\tb: 1\n").expect_err("tabs are not indentation");
    assert_eq!(tabs.pos.line, 2, "{tabs}");
}

#[test]
fn anchors_and_aliases_are_resolved() {
    let text = "\
name: Anchored
on: push
jobs:
  first:
    runs-on: ubuntu-latest
    steps:
      - &checkout
        uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - run: make
  second:
    runs-on: ubuntu-latest
    steps:
      - *checkout
      - run: make test
";
    let workflow = model(text);
    let second = &workflow.jobs[1].steps[0];
    assert!(second.uses_action("actions/checkout"));
    assert_eq!(second.input("fetch-depth").map(|d| d.value.as_str()), Some("0"));
}

#[test]
fn a_ten_thousand_line_workflow_parses_quickly() {
    let mut text = String::from(
        "name: Long\non: push\njobs:\n  long:\n    runs-on: ubuntu-latest\n    steps:\n",
    );
    for index in 0..2_000 {
        let _ = write!(
            text,
            "      - name: Step {index}\n        run: |\n          echo {index}\n          echo done\n        timeout-minutes: 5\n"
        );
    }
    assert!(text.lines().count() > 10_000);
    let started = Instant::now();
    let workflow = model(&text);
    let took = started.elapsed();
    assert_eq!(workflow.jobs[0].steps.len(), 2_000);
    assert_eq!(
        workflow.jobs[0].steps[1_999].timeout_minutes.as_ref().map(|t| t.line),
        Some(6 + 1_999 * 5 + 5)
    );
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn an_empty_file_is_an_empty_workflow() {
    let workflow = model("");
    assert!(workflow.jobs.is_empty());
}
