//! The demo's Stage 2 run #36 end to end with its workflow files: `report --demo` reaches
//! both root causes of the scenario with patches that fix them, marks the cancellation as a
//! symptom, and the JSON carries the workflow lines beside the contract's fields.

use std::path::Path;
use std::process::Command;

use gha_triage::classify::Engine;
use gha_triage::demo::Demo;
use gha_triage::triage::run::{JobChoice, classify_run};
use gha_triage::workflow::repo::RepoView;
use gha_triage::workflow::{self, CheckId, link};

fn report_demo() -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["report", "--demo"])
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The diff blocks of a markdown text.
fn patches(markdown: &str) -> Vec<String> {
    markdown
        .split("```diff\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_write_up_names_both_root_causes_with_their_workflow_lines() {
    let text = report_demo();
    let causes = text.split("## Root causes").nth(1).expect("a root causes section");
    let causes = causes.split("### Warnings worth fixing").next().unwrap_or_default();
    assert!(causes.contains("### 1. pip cannot open requirements.txt"), "{causes}");
    assert!(causes.contains("`.github/workflows/data_process.yml:51`"), "{causes}");
    assert!(causes.contains("manages Python with uv"), "{causes}");
    assert!(causes.contains("+        run: uv sync --frozen"), "{causes}");
    assert!(causes.contains("+        working-directory: scripts"), "{causes}");
    assert!(causes.contains("is restored but never saved"), "{causes}");
    assert!(causes.contains("`.github/workflows/data_process.yml:36`"), "{causes}");
    assert!(
        causes.contains("Stage 1 - Data Collection saves `gekentekende_voertuigen-v2-"),
        "{causes}"
    );
    assert!(!causes.contains("timed out after"), "the timeout is no root cause: {causes}");
    let explained = text.split("## Symptoms explained").nth(1).expect("symptoms explained");
    assert!(explained.contains("`The operation was canceled.`"), "{explained}");
    assert!(explained.contains("has timed out after 1 minutes.` (job `Process raw data`, step `Run data processing script`, line 180) is a consequence of **Cache key"), "{explained}");
    assert!(explained.contains("`.github/workflows/data_process.yml:54`"), "{explained}");
}

#[test]
fn the_write_ups_patches_apply_and_leave_no_error() {
    let text = report_demo();
    let patches = patches(&text);
    assert_eq!(patches.len(), 2, "{text}");
    let dir = tempfile::tempdir().expect("temp dir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/repo");
    let view = RepoView::demo().expect("the demo's tree");
    for file in &view.files {
        let target = dir.path().join(file);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(source.join(file), target).expect("a file of the demo's tree is in repo/");
    }
    let git = |args: &[&str]| {
        let output =
            Command::new("git").arg("-C").arg(dir.path()).args(args).output().expect("git");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    let apply = |patch: &str| {
        std::fs::write(dir.path().join("fix.patch"), patch).expect("write");
        git(&["apply", "--check", "fix.patch"]);
        git(&["apply", "fix.patch"]);
        std::fs::remove_file(dir.path().join("fix.patch")).expect("remove");
    };
    let lint = || {
        let view = RepoView::from_dir(dir.path()).expect("readable");
        assert!(view.errors.is_empty(), "{:?}", view.errors);
        workflow::lint(&view)
    };
    for patch in &patches {
        apply(patch);
    }
    let left = lint();
    let node_20 =
        |p: &workflow::Problem| p.check == CheckId::DeprecatedAction && p.severity.id() == "notice";
    assert!(left.iter().all(node_20), "after both patches, only Node 20 notices: {left:#?}");
    let stage2 = std::fs::read_to_string(dir.path().join(".github/workflows/data_process.yml"))
        .expect("read");
    assert!(stage2.contains("uses: astral-sh/setup-uv@v6"), "{stage2}");
    assert!(!stage2.contains("requirements.txt"), "{stage2}");
    assert!(!stage2.contains("raw-data-v2"), "{stage2}");
    for _ in 0..left.len() {
        let Some(upgrade) = lint().into_iter().find_map(|p| p.patch) else { break };
        apply(&upgrade);
    }
    let left = lint();
    assert!(left.is_empty(), "the notices' own upgrades leave nothing: {left:#?}");
}

#[test]
fn the_json_carries_the_workflow_file_line_and_patch() {
    let engine = Engine::builtin().expect("built-in rules");
    let demo = Demo::load().expect("demo");
    let run = demo.report_run().expect("run #36");
    let jobs = demo.jobs(run.id, run.run_attempt).expect("jobs");
    let mut report = classify_run(&engine, "demo", &jobs, JobChoice::Failed, |job| {
        demo.log(job.id).map(|log| Box::new(log) as Box<dyn std::io::Read>)
    })
    .expect("classified");
    link::link_demo(&mut report, run).expect("linked");
    let json: serde_json::Value =
        serde_json::from_str(&gha_triage::export::json::render(&report)).expect("JSON");
    let findings = json["findings"].as_array().expect("findings");
    let pip = findings
        .iter()
        .find(|f| {
            f["rule"] != ""
                && f["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("Could not open requirements file"))
        })
        .expect("pip finding");
    assert_eq!(pip["line"], 160, "the log line stays");
    assert_eq!(pip["workflow"]["file"], ".github/workflows/data_process.yml");
    assert_eq!(pip["workflow"]["line"], 51);
    assert!(pip["workflow"]["patch"].as_str().is_some_and(|p| p.contains("uv sync --frozen")));
    let key = findings
        .iter()
        .find(|f| f["rule"] == "workflow/cache-key-never-saved")
        .expect("cache key finding");
    assert_eq!(key["workflow"]["line"], 36);
    assert_eq!(key["severity"], "error");
    let canceled =
        findings.iter().find(|f| f["text"] == "The operation was canceled.").expect("canceled");
    assert!(canceled["symptom_of"].is_number());
    assert_eq!(canceled["workflow"]["line"], 54);
}

#[test]
fn logs_only_leaves_the_workflow_files_out() {
    let output = Command::new(env!("CARGO_BIN_EXE_gha-triage"))
        .args(["report", "--demo", "--logs-only"])
        .output()
        .expect("the binary runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(text.contains("### 1. pip cannot open requirements.txt"), "{text}");
    assert!(!text.contains("In the workflow"), "{text}");
    assert!(!text.contains("never saved"), "{text}");
}
