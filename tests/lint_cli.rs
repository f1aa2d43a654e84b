//! `gha-triage lint DIR` end to end: text, JSON and GitHub annotations, and its exit codes.

use std::path::Path;
use std::process::{Command, Output};

fn lint(dir: &Path, format: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["lint", "--format", format])
        .arg(dir)
        .output()
        .expect("the binary runs")
}

fn write(dir: &Path, path: &str, text: &str) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
    std::fs::write(full, text).expect("write");
}

const FLOW: &str = "\
name: Docs
on: push
jobs:
  docs:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: pip install -r docs/mkdocs-pins.txt
";

#[test]
fn a_missing_file_is_an_annotation_on_its_line_and_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), ".github/workflows/docs.yml", FLOW);
    let output = lint(dir.path(), "github");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.starts_with(
            "::error file=.github/workflows/docs.yml,line=8,title=gha-triage missing-file::"
        ),
        "{stdout}"
    );
    let text = lint(dir.path(), "text");
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains(".github/workflows/docs.yml:8: error: `docs/mkdocs-pins.txt`"),
        "{stdout}"
    );
    assert!(stdout.contains("1 workflow checked: 1 error, 0 warnings"), "{stdout}");
    let json = lint(dir.path(), "json");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(value["problems"][0]["check"], "missing-file");
    assert_eq!(value["problems"][0]["line"], 8);
}

#[test]
fn a_clean_repository_exits_0() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), ".github/workflows/docs.yml", FLOW);
    write(dir.path(), "docs/mkdocs-pins.txt", "mkdocs\n");
    let output = lint(dir.path(), "text");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn malformed_yaml_is_an_error_naming_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), ".github/workflows/bad.yaml", "on: push\njobs: [a\n  b: c\n");
    let output = lint(dir.path(), "github");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout.starts_with("::error file=.github/workflows/bad.yaml,line="), "{stdout}");
    assert!(stdout.contains("title=gha-triage invalid-yaml::not valid YAML"), "{stdout}");
}

#[test]
fn a_folder_that_is_not_there_exits_2_with_one_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = lint(&dir.path().join("nowhere"), "text");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("nowhere: not a folder"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn lint_reads_a_ten_thousand_line_run_block_and_exits_1_on_its_missing_script() {
    let dir = tempfile::tempdir().expect("temp dir");
    let flows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&flows).expect("mkdir");
    let mut flow = String::from(
        "name: Long\non: push\njobs:\n  long:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n",
    );
    flow.extend((0..10_000).map(|index| format!("          echo {index}\n")));
    flow.push_str("          bash scripts/absent.sh\n");
    std::fs::write(flows.join("long.yml"), flow).expect("write");

    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["lint", dir.path().to_str().expect("UTF-8 path")])
        .output()
        .expect("runs");

    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("long.yml:10009:") && stdout.contains("scripts/absent.sh"), "{stdout}");
}

#[test]
fn lint_of_the_demo_repository_exits_1_with_the_two_stage_2_errors() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/repo");
    let output = lint(&demo, "json");
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let errors: Vec<_> = value["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter(|p| p["severity"] == "error")
        .map(|p| (p["file"].as_str().unwrap_or(""), p["check"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        errors,
        [
            (".github/workflows/data_process.yml", "cache-key-never-saved"),
            (".github/workflows/data_process.yml", "missing-file"),
        ],
        "{value}"
    );
    let text = lint(&demo, "text");
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.ends_with("4 workflows checked: 2 errors, 0 warnings, 5 notices\n"), "{stdout}");
}

#[test]
fn warnings_alone_exit_0_and_are_still_printed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = FLOW.replace("actions/checkout@v5", "actions/checkout@v3");
    write(dir.path(), ".github/workflows/docs.yml", &old);
    write(dir.path(), "docs/mkdocs-pins.txt", "mkdocs\n");
    let output = lint(dir.path(), "text");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("docs.yml:7: warning: `actions/checkout@v3`"), "{stdout}");
    assert!(stdout.contains("0 errors, 1 warning"), "{stdout}");
}

#[test]
fn json_lists_files_that_are_not_yaml_in_invalid() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), ".github/workflows/bad.yml", "on: push\njobs: [a\n  b: c\n");
    write(dir.path(), ".github/workflows/docs.yml", FLOW);
    let output = lint(dir.path(), "json");
    assert_eq!(output.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(value["workflows"], 2);
    let invalid = value["invalid"].as_array().expect("an invalid array");
    assert_eq!(invalid.len(), 1, "{value}");
    assert_eq!(invalid[0]["file"], ".github/workflows/bad.yml");
    assert!(invalid[0]["line"].as_u64().is_some_and(|line| line >= 2), "{value}");
    assert!(invalid[0]["column"].is_u64() && invalid[0]["message"].is_string());
    assert_eq!(value["problems"][0]["file"], ".github/workflows/docs.yml");
}

#[test]
fn annotations_escape_percent_comma_and_colon_as_the_runner_expects() {
    let dir = tempfile::tempdir().expect("temp dir");
    let flow = FLOW.replace("docs/mkdocs-pins.txt", "docs/50%/mkdocs-pins.txt");
    write(dir.path(), ".github/workflows/docs,main.yml", &flow);
    let output = lint(dir.path(), "github");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let line = stdout.lines().next().expect("an annotation");
    assert!(line.starts_with("::error file=.github/workflows/docs%2Cmain.yml,line=8,"), "{line}");
    let (_, message) =
        line.split_once("::").and_then(|(_, rest)| rest.split_once("::")).expect("a message");
    assert!(message.contains("docs/50%25/mkdocs-pins.txt") && !message.contains("50%/"), "{line}");
}

#[test]
fn a_problem_in_steps_shared_through_an_alias_is_reported_once_with_one_patch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let flow = "\
name: Checks
on: push
x-steps: &steps
  - uses: actions/checkout@v5
  - run: pip install -r requirements-dev.txt
jobs:
  test:
    runs-on: ubuntu-latest
    steps: *steps
  lint:
    runs-on: ubuntu-latest
    steps: *steps
";
    write(dir.path(), ".github/workflows/checks.yml", flow);
    write(dir.path(), "pyproject.toml", "");
    write(dir.path(), "uv.lock", "");

    let output = lint(dir.path(), "text");

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.matches(".github/workflows/checks.yml:5: error:").count(), 1, "{stdout}");
    assert_eq!(stdout.matches("+++ b/.github/workflows/checks.yml").count(), 1, "{stdout}");
    assert!(stdout.contains("1 workflow checked: 1 error, 0 warnings"), "{stdout}");
    let json = lint(dir.path(), "json");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(value["problems"].as_array().map(Vec::len), Some(1), "{value:#}");
}

#[test]
fn a_folder_without_workflows_exits_2_naming_it_and_where_workflows_are_looked_for() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "src/main.py", "print('hello')\n");

    let output = lint(dir.path(), "text");

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&dir.path().display().to_string()), "{stderr}");
    assert!(stderr.contains(".github/workflows/*.yml and *.yaml"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn an_empty_file_a_lone_value_and_a_workflow_without_jobs_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), ".github/workflows/ci.yml", "");
    write(dir.path(), ".github/workflows/answer.yml", "42\n");
    write(dir.path(), ".github/workflows/nojobs.yml", "name: Nothing\non: push\n");
    write(dir.path(), ".github/workflows/idle.yml", "name: Idle\non: push\njobs:\n");

    let output = lint(dir.path(), "text");

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    for expected in [
        ".github/workflows/ci.yml:1: error: the file is empty",
        ".github/workflows/answer.yml:1: error: the file holds only the value `42`",
        ".github/workflows/nojobs.yml:1: error: the workflow has no `jobs:`",
        ".github/workflows/idle.yml:3: error: `jobs:` defines no job",
    ] {
        assert!(stdout.contains(expected), "{expected:?} is not in {stdout}");
    }
    assert!(stdout.contains("4 workflows checked: 4 errors, 0 warnings"), "{stdout}");
    let github = lint(dir.path(), "github");
    let annotations = String::from_utf8_lossy(&github.stdout);
    assert!(
        annotations.contains(
            "::error file=.github/workflows/ci.yml,line=1,title=gha-triage invalid-workflow::"
        ),
        "{annotations}"
    );
}

#[test]
fn text_names_files_as_they_open_from_the_current_folder_and_annotations_from_the_root() {
    let here = tempfile::tempdir().expect("temp dir");
    write(here.path(), "y1/.github/workflows/docs.yml", FLOW);
    let lint_y1 = |format: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
            .args(["lint", "y1", "--format", format])
            .current_dir(here.path())
            .output()
            .expect("the binary runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };

    let text = lint_y1("text");
    let annotations = lint_y1("github");

    assert!(text.starts_with("y1/.github/workflows/docs.yml:8: error:"), "{text}");
    assert!(annotations.starts_with("::error file=.github/workflows/docs.yml,line=8,"));
}

#[test]
fn lint_patch_prints_diffs_that_git_apply_takes_from_the_root() {
    let dir = tempfile::tempdir().expect("temp dir");
    let flow = "\
name: Docs
on: push
jobs:
  docs:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v3
      - uses: actions/setup-python@v4
      - run: echo built
";
    write(dir.path(), ".github/workflows/docs.yml", flow);

    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["lint", "--patch"])
        .arg(dir.path())
        .output()
        .expect("the binary runs");

    let patch = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(patch.starts_with("--- a/.github/workflows/docs.yml\n"), "{patch}");
    assert!(patch.contains("+      - uses: actions/checkout@v5\n"), "{patch}");
    assert!(patch.contains("+      - uses: actions/setup-python@v6\n"), "{patch}");
    let check = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(check.path(), &patch).expect("write the patch");
    let applied = Command::new("git")
        .args(["apply", "--check"])
        .arg(check.path())
        .current_dir(dir.path())
        .output()
        .expect("git runs");
    assert!(applied.status.success(), "{}\n{patch}", String::from_utf8_lossy(&applied.stderr));
}

#[test]
fn npm_ci_without_a_lockfile_is_an_error_even_when_a_cache_key_hashes_the_lockfile() {
    let dir = tempfile::tempdir().expect("temp dir");
    let flow = "\
name: Web
on: push
jobs:
  web:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/cache@v4
        with:
          path: ~/.npm
          key: npm-${{ hashFiles('**/package-lock.json') }}
      - run: npm ci
";
    write(dir.path(), ".github/workflows/web.yml", flow);
    write(dir.path(), "package.json", "{}");
    let output = lint(dir.path(), "text");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("web.yml:12: error: "), "{stdout}");
    assert!(stdout.contains("1 workflow checked: 1 error, 1 warning"), "{stdout}");
}
