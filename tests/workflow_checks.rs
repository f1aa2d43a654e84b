//! Each workflow check on small repositories of its own: one that must trigger it, near misses
//! that must not, and every suggested patch applied with `git apply` before the checks run
//! again and find nothing.

use std::collections::BTreeSet;
use std::process::Command;

use gha_triage::workflow::repo::{RepoView, WorkflowFile};
use gha_triage::workflow::{self, CheckId, Problem};

/// A repository: files (workflows among them) with their texts.
fn repo(files: &[(&str, &str)]) -> RepoView {
    let list: BTreeSet<String> = files.iter().map(|(path, _)| (*path).to_owned()).collect();
    let workflows = files
        .iter()
        .filter(|(path, _)| path.starts_with(".github/workflows/"))
        .map(|(path, text)| WorkflowFile { path: (*path).to_owned(), text: (*text).to_owned() })
        .collect();
    RepoView::new(list, workflows)
}

fn problems(files: &[(&str, &str)], check: CheckId) -> Vec<Problem> {
    workflow::lint(&repo(files)).into_iter().filter(|p| p.check == check).collect()
}

/// Writes the files to a new git repository, applies the patch with `git apply` (after
/// `--check`), and returns the problems the checks find afterwards.
fn after_patch(files: &[(&str, &str)], patch: &str) -> Vec<Problem> {
    workflow::lint(&patched_view(files, patch))
}

/// The repository after `git apply` of the patch (after `--check`).
fn patched_view(files: &[(&str, &str)], patch: &str) -> RepoView {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }
    let git = |args: &[&str]| {
        let output =
            Command::new("git").arg("-C").arg(dir.path()).args(args).output().expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    std::fs::write(dir.path().join("fix.patch"), patch).expect("write patch");
    git(&["apply", "--check", "fix.patch"]);
    git(&["apply", "fix.patch"]);
    std::fs::remove_file(dir.path().join("fix.patch")).expect("remove patch");
    let view = RepoView::from_dir(dir.path()).expect("readable");
    assert!(view.errors.is_empty(), "the patched workflow is still YAML: {:?}", view.errors);
    view
}

fn only(found: Vec<Problem>) -> Problem {
    assert_eq!(found.len(), 1, "{found:#?}");
    found.into_iter().next().expect("one")
}

fn fixed_by_its_patch(files: &[(&str, &str)], problem: &Problem) {
    let patch = problem.patch.as_deref().expect("a patch");
    let left = after_patch(files, patch);
    assert!(left.is_empty(), "after the patch: {left:#?}");
}

const PIP_FLOW: &str = "\
name: Build
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - name: Deps
        run: |
          python -m pip install --upgrade pip
          pip install -r requirements-dev.txt
      - name: Go
        run: python app/main.py --fast
";

#[test]
fn pip_requirements_missing_in_a_uv_project_switches_to_uv() {
    let files = [
        (".github/workflows/build.yml", PIP_FLOW),
        ("app/pyproject.toml", "[project]\nname = 'x'\n"),
        ("app/uv.lock", "version = 1\n"),
        ("app/main.py", "print(1)\n"),
    ];
    let problem = only(problems(&files, CheckId::MissingFile));
    assert_eq!((problem.line, problem.subject.as_str()), (11, "requirements-dev.txt"));
    assert!(problem.message.contains("uv sync --frozen"), "{}", problem.message);
    let patch = problem.patch.as_deref().expect("patch");
    assert!(patch.contains("+        uses: astral-sh/setup-uv@"), "{patch}");
    assert!(patch.contains("+        working-directory: app"), "{patch}");
    assert!(
        patch.contains("+        run: uv run --frozen --project app python app/main.py --fast"),
        "{patch}"
    );
    fixed_by_its_patch(&files, &problem);
}

#[test]
fn pip_requirements_missing_in_a_poetry_project_switches_to_poetry() {
    let files = [
        (".github/workflows/build.yml", PIP_FLOW),
        ("pyproject.toml", "[tool.poetry]\n"),
        ("poetry.lock", "\n"),
        ("app/main.py", "print(1)\n"),
    ];
    let problem = only(problems(&files, CheckId::MissingFile));
    assert!(problem.message.contains("Poetry"), "{}", problem.message);
    fixed_by_its_patch(&files, &problem);
}

#[test]
fn pip_requirements_found_elsewhere_points_at_that_file() {
    let files = [
        (".github/workflows/build.yml", PIP_FLOW),
        ("ci/requirements-dev.txt", "pytest\n"),
        ("app/main.py", "print(1)\n"),
    ];
    let problem = only(problems(&files, CheckId::MissingFile));
    assert!(problem.message.contains("ci/requirements-dev.txt"), "{}", problem.message);
    fixed_by_its_patch(&files, &problem);
}

#[test]
fn pip_near_misses_are_quiet() {
    let present = [
        (".github/workflows/build.yml", PIP_FLOW),
        ("requirements-dev.txt", "x\n"),
        ("app/main.py", ""),
    ];
    assert!(problems(&present, CheckId::MissingFile).is_empty());
    let no_checkout = PIP_FLOW.replace("      - uses: actions/checkout@v5\n", "");
    assert!(
        problems(&[(".github/workflows/build.yml", &no_checkout)], CheckId::MissingFile).is_empty()
    );
    let variable =
        PIP_FLOW.replace("requirements-dev.txt", "$REQS").replace("python app/main.py", "echo");
    assert!(
        problems(&[(".github/workflows/build.yml", &variable)], CheckId::MissingFile).is_empty()
    );
}

const NODE_FLOW: &str = "\
name: Web
on: pull_request
jobs:
  web:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: site
    steps:
      - uses: actions/checkout@v5
      - run: npm ci
      - run: npm test
";

#[test]
fn npm_ci_without_a_lockfile_uses_the_lockfile_there_is() {
    let files = [
        (".github/workflows/web.yml", NODE_FLOW),
        ("site/package.json", "{}"),
        ("site/yarn.lock", ""),
    ];
    let problem = only(problems(&files, CheckId::MissingFile));
    assert_eq!(problem.line, 11);
    assert!(problem.message.contains("yarn install --frozen-lockfile"), "{}", problem.message);
    fixed_by_its_patch(&files, &problem);
    let locked = [
        (".github/workflows/web.yml", NODE_FLOW),
        ("site/package.json", "{}"),
        ("site/package-lock.json", "{}"),
    ];
    assert!(problems(&locked, CheckId::MissingFile).is_empty());
}

#[test]
fn a_missing_working_directory_script_or_build_context_is_named() {
    let flow = "\
name: Tools
on: push
jobs:
  tools:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: make
        working-directory: native
      - run: ./tools/release.sh --dry-run
      - run: docker build -t tools:dev -f Containerfile images/
";
    let found =
        problems(&[(".github/workflows/tools.yml", flow), ("Makefile", "")], CheckId::MissingFile);
    let subjects: Vec<_> = found.iter().map(|p| (p.line, p.subject.as_str())).collect();
    assert_eq!(subjects, [(9, "native"), (10, "tools/release.sh"), (11, "images")]);
    let complete = [
        (".github/workflows/tools.yml", flow),
        ("native/Makefile", ""),
        ("tools/release.sh", ""),
        ("images/base/x", ""),
        ("Containerfile", ""),
    ];
    assert!(problems(&complete, CheckId::MissingFile).is_empty());
}

#[test]
fn hash_files_matching_nothing_is_a_warning() {
    let flow = "\
name: Gems
on: push
jobs:
  gems:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/cache@v4
        with:
          path: vendor
          key: gems-${{ hashFiles('**/Gemfile.lock') }}
";
    let problem = only(problems(&[(".github/workflows/gems.yml", flow)], CheckId::MissingFile));
    assert_eq!((problem.line, problem.severity.id()), (11, "warning"));
    assert!(
        problems(
            &[(".github/workflows/gems.yml", flow), ("web/Gemfile.lock", "")],
            CheckId::MissingFile
        )
        .is_empty()
    );
}

const RESTORE_FLOW: &str = "\
name: Deploy
on:
  workflow_run:
    workflows: [Compile]
    types: [completed]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/cache/restore@v4
        with:
          path: out
          key: bundle-${{ github.event.workflow_run.head_sha }}
      - run: ls out
";

const SAVE_FLOW: &str = "\
name: Compile
on: push
jobs:
  compile:
    runs-on: ubuntu-latest
    steps:
      - run: make
      - uses: actions/cache/save@v4
        with:
          path: out
          key: compiled-${{ runner.os }}-${{ github.sha }}
";

#[test]
fn a_restored_key_that_nothing_saves_is_an_error_with_the_saved_key() {
    let files = [
        (".github/workflows/deploy.yml", RESTORE_FLOW),
        (".github/workflows/compile.yml", SAVE_FLOW),
    ];
    let problem = only(problems(&files, CheckId::CacheKeyNeverSaved));
    assert_eq!(problem.line, 13);
    assert!(problem.message.contains("Compile saves `compiled-"), "{}", problem.message);
    fixed_by_its_patch(&files, &problem);
}

#[test]
fn a_restore_with_a_fallback_is_dropped_for_the_fallback() {
    let flow = RESTORE_FLOW
        .replace(
            "      - uses: actions/cache/restore@v4\n",
            "      - id: warm\n        uses: actions/cache/restore@v4\n",
        )
        .replace(
            "      - run: ls out\n",
            "\n      - if: steps.warm.outputs.cache-hit != 'true'\n        run: make\n",
        );
    let files = [
        (".github/workflows/deploy.yml", flow.as_str()),
        (".github/workflows/compile.yml", SAVE_FLOW),
    ];
    let problem = only(problems(&files, CheckId::CacheKeyNeverSaved));
    let patch = problem.patch.as_deref().expect("patch");
    assert!(patch.contains("-        uses: actions/cache/restore@v4"), "{patch}");
    assert!(patch.contains("-      - if: steps.warm.outputs.cache-hit"), "{patch}");
    fixed_by_its_patch(&files, &problem);
}

#[test]
fn restored_keys_that_are_saved_are_quiet() {
    let same = SAVE_FLOW
        .replace("compiled-${{ runner.os }}-${{ github.sha }}", "bundle-${{ github.sha }}");
    let files = [
        (".github/workflows/deploy.yml", RESTORE_FLOW),
        (".github/workflows/compile.yml", same.as_str()),
    ];
    assert!(problems(&files, CheckId::CacheKeyNeverSaved).is_empty());
    let prefix = RESTORE_FLOW.replace(
        "          key: bundle-${{ github.event.workflow_run.head_sha }}\n",
        "          key: bundle-${{ github.event.workflow_run.head_sha }}\n          restore-keys: |\n            compiled-\n",
    );
    let files = [
        (".github/workflows/deploy.yml", prefix.as_str()),
        (".github/workflows/compile.yml", SAVE_FLOW),
    ];
    assert!(problems(&files, CheckId::CacheKeyNeverSaved).is_empty());
    let plain_cache = RESTORE_FLOW.replace("actions/cache/restore@v4", "actions/cache@v4");
    assert!(
        problems(&[(".github/workflows/deploy.yml", &plain_cache)], CheckId::CacheKeyNeverSaved)
            .is_empty()
    );
}

#[test]
fn workflow_run_names_that_match_no_workflow_are_errors() {
    let typo = RESTORE_FLOW
        .replace("[Compile]", "[Compiel]")
        .replace("actions/cache/restore@v4", "actions/cache@v4");
    let files = [
        (".github/workflows/deploy.yml", typo.as_str()),
        (".github/workflows/compile.yml", SAVE_FLOW),
    ];
    let problem = only(problems(&files, CheckId::UnknownWorkflow));
    assert_eq!((problem.line, problem.subject.as_str()), (4, "Compiel"));
    assert!(problem.message.contains("did you mean `Compile`"), "{}", problem.message);
    fixed_by_its_patch(&files, &problem);
    let unnamed = [(".github/workflows/deploy.yml", typo.as_str())];
    assert!(only(problems(&unnamed, CheckId::UnknownWorkflow)).patch.is_none());
}

#[test]
fn artifacts_no_upload_produces_are_errors_and_chain_uploads_count() {
    let upload = "\
name: Package
on: push
jobs:
  package:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/upload-artifact@v4
        with:
          name: wheels
          path: dist/
";
    let download = "\
name: Publish
on:
  workflow_run:
    workflows: [Package]
    types: [completed]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: wheel
          run-id: ${{ github.event.workflow_run.id }}
";
    let files =
        [(".github/workflows/package.yml", upload), (".github/workflows/publish.yml", download)];
    let problem = only(problems(&files, CheckId::UnknownArtifact));
    assert_eq!((problem.line, problem.subject.as_str()), (12, "wheel"));
    fixed_by_its_patch(&files, &problem);
    let right = download.replace("name: wheel\n", "name: wheels\n");
    let files = [
        (".github/workflows/package.yml", upload),
        (".github/workflows/publish.yml", right.as_str()),
    ];
    assert!(problems(&files, CheckId::UnknownArtifact).is_empty());
}

const PUSH_FLOW: &str = "\
name: Bump
on: workflow_dispatch
permissions:
  contents: read
  actions: read
jobs:
  bump:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: git commit -am bump && git push origin HEAD
";

#[test]
fn a_push_with_read_only_contents_needs_write() {
    let files = [(".github/workflows/bump.yml", PUSH_FLOW)];
    let problem = only(problems(&files, CheckId::Permissions));
    assert_eq!((problem.line, problem.subject.as_str()), (11, "contents"));
    assert!(problem.patch.as_deref().is_some_and(|p| p.contains("+  contents: write")));
    fixed_by_its_patch(&files, &problem);
    let no_block = PUSH_FLOW.replace("permissions:\n  contents: read\n  actions: read\n", "");
    assert!(
        problems(&[(".github/workflows/bump.yml", &no_block)], CheckId::Permissions).is_empty()
    );
    let job_grants = PUSH_FLOW.replace(
        "    runs-on: ubuntu-latest\n",
        "    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n",
    );
    assert!(
        problems(&[(".github/workflows/bump.yml", &job_grants)], CheckId::Permissions).is_empty()
    );
}

#[test]
fn cache_actions_pinned_before_the_new_cache_service_are_errors_but_a_floating_v3_is_fine() {
    let flow = "\
name: Old
on: push
jobs:
  old:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v3
      - uses: actions/cache@v4.1.0
        with:
          path: ~/.m2
          key: m2-${{ hashFiles('pom.xml') }}
      - uses: actions/cache/save@v3.3.2
        with:
          path: ~/.gradle
          key: gradle-${{ hashFiles('pom.xml') }}
      - uses: actions/cache/restore@v3
        with:
          path: ~/.gradle
          key: gradle-${{ hashFiles('pom.xml') }}
      - uses: actions/cache@v2
        with:
          path: ~/.ivy2
          key: ivy-${{ hashFiles('pom.xml') }}
      - uses: actions/setup-node@8f152de45cc393bb48ce5d89d36b731f54556e65
";
    let files = [(".github/workflows/old.yml", flow), ("pom.xml", "")];
    let found = problems(&files, CheckId::DeprecatedAction);
    let seen: Vec<_> =
        found.iter().map(|p| (p.line, p.severity.id(), p.subject.as_str())).collect();
    assert_eq!(
        seen,
        [
            (7, "warning", "actions/checkout@v3"),
            (8, "error", "actions/cache@v4.1.0"),
            (12, "error", "actions/cache/save@v3.3.2"),
            (20, "error", "actions/cache@v2"),
        ]
    );
    assert!(found[1].message.contains("400") && found[1].message.contains("4.2.0"));
    let left = after_patch(&files, found[1].patch.as_deref().expect("patch"));
    let left: Vec<_> = left.iter().map(|p| p.subject.as_str()).collect();
    assert_eq!(left, ["actions/checkout@v3", "actions/cache/save@v3.3.2", "actions/cache@v2"]);
    let current =
        flow.replace("@v3.3.2", "@v3.4.0").replace("@v4.1.0", "@v4.2").replace("@v2", "@v4");
    let current = current.replace("checkout@v3", "checkout@v5");
    let files = [(".github/workflows/old.yml", current.as_str()), ("pom.xml", "")];
    assert!(problems(&files, CheckId::DeprecatedAction).is_empty());
}

#[test]
fn setup_actions_caching_through_an_old_toolkit_are_errors_only_when_they_cache() {
    let flow = "\
name: Build
on: push
jobs:
  web:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v4.1.0
        with:
          node-version: 22
          cache: npm
      - uses: actions/setup-python@v5.3.0
        with:
          python-version: '3.13'
      - uses: actions/setup-go@v5
        with:
          go-version: stable
          cache: true
";
    let files = [(".github/workflows/build.yml", flow), ("package-lock.json", "")];
    let errors = |files: &[(&str, &str)]| {
        let found = problems(files, CheckId::DeprecatedAction).into_iter();
        found.filter(|p| p.severity.id() == "error").collect::<Vec<_>>()
    };
    let found = only(errors(&files));
    assert_eq!((found.line, found.severity.id()), (8, "error"));
    assert!(found.message.contains("cache toolkit"), "{}", found.message);
    let left = after_patch(&files, found.patch.as_deref().expect("patch"));
    let errors_left = left.iter().filter(|p| p.severity.id() == "error");
    assert!(errors_left.count() == 0, "{left:#?}");
    let cached_python =
        flow.replace("python-version: '3.13'", "python-version: '3.13'\n          cache: pip");
    let files =
        [(".github/workflows/build.yml", cached_python.as_str()), ("package-lock.json", "")];
    let subjects: Vec<_> = errors(&files).into_iter().map(|p| p.subject).collect();
    assert_eq!(subjects, ["actions/setup-node@v4.1.0", "actions/setup-python@v5.3.0"]);
}

#[test]
fn fail_fast_on_by_default_explains_canceled_legs() {
    use gha_triage::workflow::checks::cancel;
    let flow = "\
name: Matrix
on: push
jobs:
  unit:
    name: Unit (${{ matrix.version }})
    runs-on: ubuntu-latest
    strategy:
      matrix:
        version: [1, 2]
    steps:
      - run: make test
";
    let files = [(".github/workflows/matrix.yml", flow)];
    let view = repo(&files);
    let workflow = &view.workflows[0];
    let job = cancel::job_named(workflow, "Unit (2)").expect("the matrix job by its shown name");
    let problem =
        cancel::fail_fast(workflow, job, Some("Unit (1)")).expect("fail-fast explains it");
    assert_eq!(problem.line, 8);
    assert!(problem.message.contains("`Unit (1)` failed first"), "{}", problem.message);
    let patch = problem.patch.as_deref().expect("patch");
    assert!(patch.contains("+      fail-fast: false"), "{patch}");
    let patched = patched_view(&files, patch);
    let workflow = &patched.workflows[0];
    assert!(cancel::fail_fast(workflow, &workflow.jobs[0], None).is_none(), "the patch fixes it");
    let off = flow.replace("    strategy:\n", "    strategy:\n      fail-fast: false\n");
    let view = repo(&[(".github/workflows/matrix.yml", &off)]);
    assert!(cancel::fail_fast(&view.workflows[0], &view.workflows[0].jobs[0], None).is_none());
}

#[test]
fn a_file_list_github_cut_short_proves_no_file_missing() {
    let flow = "\
name: Docs
on: push
jobs:
  docs:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: pip install -r docs/sphinx-pins.txt
";
    let tree = |truncated: bool| {
        let json = serde_json::json!({"sha": "f00d", "truncated": truncated, "tree": [
            {"path": ".github/workflows/docs.yml", "type": "blob"},
            {"path": "docs", "type": "tree"}]});
        serde_json::from_value::<gha_triage::workflow::repo::GitTree>(json).expect("a tree")
    };
    let file = || WorkflowFile { path: ".github/workflows/docs.yml".into(), text: flow.into() };
    let missing = |view: &RepoView| {
        workflow::lint(view).into_iter().filter(|p| p.check == CheckId::MissingFile).count()
    };

    let whole = RepoView::from_tree(&tree(false), vec![file()]);
    let cut = RepoView::from_tree(&tree(true), vec![file()]);

    assert_eq!(missing(&whole), 1);
    assert_eq!(missing(&cut), 0);
    assert!(cut.notes.iter().any(|note| note.contains("cut the repository's file list short")));
}

#[test]
fn a_flow_style_restore_is_reported_without_a_patch_that_would_drop_its_other_inputs() {
    let flow = RESTORE_FLOW.replace(
        "        with:\n          path: out\n          key: bundle-${{ github.event.workflow_run.head_sha }}\n",
        "        with: { path: out, key: 'bundle-${{ github.event.workflow_run.head_sha }}' }\n",
    );
    let files = [
        (".github/workflows/deploy.yml", flow.as_str()),
        (".github/workflows/compile.yml", SAVE_FLOW),
    ];
    let problem = only(problems(&files, CheckId::CacheKeyNeverSaved));
    assert_eq!(problem.line, 11);
    assert!(problem.patch.is_none(), "{:?}", problem.patch);
}

/// A workflow of about 10,000 lines: many steps, and one `run: |` block of `block` lines.
fn long_workflow(steps: usize, block: usize) -> String {
    let mut text = String::from(
        "name: Long\non: push\njobs:\n  long:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n",
    );
    text.extend((0..steps).map(|i| format!("      - name: Step {i}\n        run: echo {i}\n")));
    text.push_str("      - name: Big script\n        run: |\n");
    text.extend((0..block).map(|index| format!("          echo line {index}\n")));
    text.push_str("          python tools/missing.py\n");
    text
}

#[test]
fn a_ten_thousand_line_workflow_is_checked_quickly_and_its_problem_found() {
    for (steps, block) in [(5_000, 0), (0, 10_000)] {
        let flow = long_workflow(steps, block);
        assert!(flow.lines().count() >= 10_000);
        let started = std::time::Instant::now();
        let found = problems(&[(".github/workflows/long.yml", &flow)], CheckId::MissingFile);
        let took = started.elapsed();
        assert_eq!(
            found.iter().map(|p| p.subject.as_str()).collect::<Vec<_>>(),
            ["tools/missing.py"]
        );
        assert!(
            took < std::time::Duration::from_secs(5),
            "{steps} steps, a {block}-line block: {took:?}"
        );
    }
}

const FRONTEND_FLOW: &str = "\
name: Frontend
on: pull_request
jobs:
  ui:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@v5
        with:
          node-version: 22
      - run: npm ci
      - run: npm run build
";

#[test]
fn a_pnpm_lockfile_switches_npm_ci_to_pnpm_and_installs_pnpm_first() {
    let files = [
        (".github/workflows/ui.yml", FRONTEND_FLOW),
        ("package.json", "{}"),
        ("pnpm-lock.yaml", ""),
    ];
    let problem = only(problems(&files, CheckId::MissingFile));
    assert_eq!(problem.line, 11);
    let patch = problem.patch.as_deref().expect("patch");
    assert!(patch.contains("+      - name: Install pnpm\n+        uses: pnpm/action-setup@v4\n"));
    assert!(patch.contains("+      - run: pnpm install --frozen-lockfile"), "{patch}");
    fixed_by_its_patch(&files, &problem);
    let with_pnpm = FRONTEND_FLOW.replace(
        "      - run: npm ci\n",
        "      - uses: pnpm/action-setup@v4\n      - run: npm ci\n",
    );
    let files = [
        (".github/workflows/ui.yml", with_pnpm.as_str()),
        ("package.json", "{}"),
        ("pnpm-lock.yaml", ""),
    ];
    let patch = only(problems(&files, CheckId::MissingFile)).patch.expect("patch");
    assert!(!patch.contains("Install pnpm"), "pnpm is installed already: {patch}");
}

#[test]
fn a_bun_lockfile_switches_npm_ci_to_bun_and_sets_bun_up() {
    let files =
        [(".github/workflows/ui.yml", FRONTEND_FLOW), ("package.json", "{}"), ("bun.lock", "")];
    let problem = only(problems(&files, CheckId::MissingFile));
    assert!(problem.message.contains("bun install --frozen-lockfile"), "{}", problem.message);
    let patch = problem.patch.as_deref().expect("patch");
    assert!(patch.contains("+        uses: oven-sh/setup-bun@v2"), "{patch}");
    fixed_by_its_patch(&files, &problem);
}

#[test]
fn pip_requirements_missing_in_a_pipenv_project_switches_to_pipenv() {
    let files = [
        (".github/workflows/build.yml", PIP_FLOW),
        ("Pipfile", ""),
        ("Pipfile.lock", "{}"),
        ("app/main.py", ""),
    ];
    let problem = only(problems(&files, CheckId::MissingFile));
    assert!(problem.message.contains("Pipenv"), "{}", problem.message);
    let patch = problem.patch.as_deref().expect("patch");
    assert!(patch.contains("pipx install pipenv") && patch.contains("pipenv install --deploy"));
    assert!(patch.contains("+        run: pipenv run python app/main.py --fast"), "{patch}");
    fixed_by_its_patch(&files, &problem);
}

#[test]
fn a_missing_cd_folder_a_python_script_and_a_job_default_folder_are_named() {
    let flow = "\
name: Services
on: push
jobs:
  api:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: cd services/api && make
      - run: python tools/seed_db.py --rows 10
  worker:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: services/worker
    steps:
      - uses: actions/checkout@v5
      - run: make
";
    let found = problems(&[(".github/workflows/services.yml", flow)], CheckId::MissingFile);
    let subjects: Vec<_> = found.iter().map(|p| (p.line, p.subject.as_str())).collect();
    assert_eq!(
        subjects,
        [(8, "services/api"), (9, "tools/seed_db.py"), (14, "services/worker")],
        "{found:#?}"
    );
    let complete = [
        (".github/workflows/services.yml", flow),
        ("services/api/Makefile", ""),
        ("services/worker/Makefile", ""),
        ("tools/seed_db.py", ""),
    ];
    assert!(problems(&complete, CheckId::MissingFile).is_empty());
}

#[test]
fn a_folder_or_script_an_earlier_command_of_the_same_step_makes_is_not_missing() {
    let flow = "\
name: Vendor
on: push
jobs:
  vendor:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: git clone --depth 1 https://github.com/acme/protolint.git protolint && cd protolint && make
      - run: mkdir -p dist/site && cd dist/site
      - name: Install the linter
        run: |
          curl -fsSL -o get-linter.sh https://example.com/install.sh
          bash get-linter.sh --prefix tools
";
    let found = problems(&[(".github/workflows/vendor.yml", flow)], CheckId::MissingFile);
    assert!(found.is_empty(), "{found:#?}");
    let backwards =
        flow.replace("mkdir -p dist/site && cd dist/site", "cd dist/site && mkdir -p dist/site");
    let found = problems(&[(".github/workflows/vendor.yml", &backwards)], CheckId::MissingFile);
    let subjects: Vec<_> = found.iter().map(|p| (p.line, p.subject.as_str())).collect();
    assert_eq!(subjects, [(9, "dist/site")], "a folder made after the `cd` is still missing");
}

#[test]
fn a_path_an_earlier_step_only_mentions_is_still_missing() {
    let cached = NODE_FLOW.replace(
        "      - run: npm ci\n",
        "      - uses: actions/cache@v4\n        with:\n          path: ~/.npm\n          key: npm-${{ hashFiles('**/package-lock.json') }}\n      - run: cat package-lock.json\n      - run: npm ci\n",
    );
    let files = [(".github/workflows/web.yml", cached.as_str()), ("site/package.json", "{}")];
    let found = problems(&files, CheckId::MissingFile);
    let subjects: Vec<_> = found.iter().map(|p| (p.line, p.severity.id())).collect();
    assert_eq!(subjects, [(14, "warning"), (16, "error")], "{found:#?}");
    assert!(found[1].patch.is_some(), "{found:#?}");
    let installed = cached.replace("run: cat package-lock.json", "run: npm install");
    let files = [(".github/workflows/web.yml", installed.as_str()), ("site/package.json", "{}")];
    let found = problems(&files, CheckId::MissingFile);
    assert_eq!(found.len(), 1, "npm install writes the lockfile npm ci reads: {found:#?}");
}

#[test]
fn paths_earlier_commands_and_actions_create_are_not_missing() {
    let flow = "\
name: Made
on: push
jobs:
  made:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/checkout@v5
        with:
          repository: acme/tools
          path: vendor/tools
      - uses: actions/download-artifact@v4
        with:
          name: site
          path: dist
      - run: |
          touch stamp.sh && ./stamp.sh
          echo 'echo hi' > gen/run.sh
          wget -O fetch.py https://example.com/f.py
          cp fetch.py tools/copied.py
          tar -xzf a.tgz -C unpacked
      - run: ./vendor/tools/build.sh && cd dist/web && bash ../../gen/run.sh
      - run: python tools/copied.py && cd unpacked && python fetch.py && python ../scripts/absent.py
";
    let found = problems(&[(".github/workflows/made.yml", flow)], CheckId::MissingFile);
    let subjects: Vec<_> = found.iter().map(|p| (p.line, p.subject.as_str())).collect();
    assert_eq!(subjects, [(23, "scripts/absent.py")], "{found:#?}");
}

#[test]
fn a_missing_dockerfile_or_build_push_context_is_named() {
    let flow = "\
name: Images
on: push
jobs:
  images:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: docker build -f deploy/Dockerfile .
      - uses: docker/build-push-action@v6
        with:
          context: ./web
          file: ./web/Dockerfile.prod
";
    let found = problems(&[(".github/workflows/images.yml", flow)], CheckId::MissingFile);
    let subjects: Vec<_> = found.iter().map(|p| p.subject.as_str()).collect();
    assert!(subjects.contains(&"deploy/Dockerfile"), "{found:#?}");
    assert!(subjects.iter().any(|s| s.contains("web")), "{found:#?}");
    let complete = [
        (".github/workflows/images.yml", flow),
        ("deploy/Dockerfile", ""),
        ("web/Dockerfile.prod", ""),
        ("web/index.html", ""),
    ];
    assert!(problems(&complete, CheckId::MissingFile).is_empty());
}

/// Firmware steps whose paths are each one slip away from a path the repository has.
const SLIPPED_FLOW: &str = "\
name: Firmware
on: push
jobs:
  firmware:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: make
        working-directory: Bootloader
      - run: cd simulatr && make test
      - run: ./flash.sh --dry-run
      - run: python tools/sgin.py --key ci
        working-directory: bootloader
      - run: docker build -t fw:ci -f deploy/Dokcerfile toolchain
      - uses: docker/build-push-action@v6
        with:
          context: imagse
      - uses: actions/cache@v4
        with:
          path: ~/.cache/fw
          key: fw-${{ hashFiles('**/board-pins.csv') }}
";

/// The files `SLIPPED_FLOW` meant, one for each slip.
const MEANT_FILES: &[(&str, &str)] = &[
    (".github/workflows/firmware.yml", SLIPPED_FLOW),
    ("bootloader/Makefile", ""),
    ("bootloader/tools/sign.py", ""),
    ("simulator/Makefile", ""),
    ("scripts/flash.sh", ""),
    ("deploy/Dockerfile", ""),
    ("toolchain/arm.cmake", ""),
    ("images/Dockerfile", ""),
    ("boards/board_pins.csv", ""),
];

#[test]
fn a_path_one_slip_from_a_single_repository_path_gets_a_patch_writing_that_path() {
    let found = problems(MEANT_FILES, CheckId::MissingFile);
    let fixes: Vec<_> = found.iter().map(|p| (p.line, p.subject.as_str())).collect();
    assert_eq!(
        fixes,
        [
            (9, "Bootloader"),
            (10, "simulatr"),
            (11, "flash.sh"),
            (12, "bootloader/tools/sgin.py"),
            (14, "deploy/Dokcerfile"),
            (17, "imagse"),
            (21, "**/board-pins.csv"),
        ],
        "{found:#?}"
    );
    let written = [
        "+        working-directory: bootloader\n",
        "+      - run: cd simulator && make test\n",
        "+      - run: ./scripts/flash.sh --dry-run\n",
        "+      - run: python tools/sign.py --key ci\n",
        "+      - run: docker build -t fw:ci -f deploy/Dockerfile toolchain\n",
        "+          context: images\n",
        "+          key: fw-${{ hashFiles('**/board_pins.csv') }}\n",
    ];
    for (problem, line) in found.iter().zip(written) {
        let patch = problem.patch.as_deref().expect("a patch");
        assert!(patch.contains(line), "{patch}");
        assert!(problem.message.contains("; did you mean `"), "{}", problem.message);
        let left = after_patch(MEANT_FILES, patch);
        let still = left.iter().find(|p| p.check == CheckId::MissingFile && p.line == problem.line);
        assert!(still.is_none(), "{problem:#?} is still there after its patch: {still:#?}");
    }
    assert!(found[2].message.ends_with("did you mean `scripts/flash.sh`?"), "{}", found[2].message);
}

#[test]
fn a_slip_with_two_meant_paths_or_none_gets_no_patch_and_no_question() {
    let two = [
        (".github/workflows/firmware.yml", SLIPPED_FLOW),
        ("bootloader/Makefile", ""),
        ("BootLoader/Makefile", ""),
        ("simulator/Makefile", ""),
        ("simulate/Makefile", ""),
        ("scripts/flash.sh", ""),
        ("tools/flash.sh", ""),
        ("toolchain/arm.cmake", ""),
        ("images/Dockerfile", ""),
        ("image/Dockerfile", ""),
        ("boards/board_pins.csv", ""),
        ("boards/board-pin.csv", ""),
    ];
    let none = [(".github/workflows/firmware.yml", SLIPPED_FLOW), ("toolchain/arm.cmake", "")];
    let no_kin = [
        (".github/workflows/firmware.yml", SLIPPED_FLOW),
        ("toolchain/arm.cmake", ""),
        ("deploy/Dockerfile.ci", ""),
        ("boards/pins.csv", ""),
        ("requirements-dev.txt", ""),
    ];
    for files in [&two[..], &none, &no_kin] {
        let found = problems(files, CheckId::MissingFile);
        assert_eq!(found.len(), 7, "{found:#?}");
        for problem in &found {
            assert!(problem.patch.is_none(), "{problem:#?}");
            assert!(!problem.message.contains("did you mean"), "{}", problem.message);
        }
    }
}

#[test]
fn a_path_the_line_writes_twice_is_not_guessed_at() {
    let flow = "\
name: Docs
on: push
jobs:
  docs:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: cd manaul && echo \"built manaul\"
";
    let files = [(".github/workflows/docs.yml", flow), ("manual/index.md", "")];
    let problem = only(problems(&files, CheckId::MissingFile));
    assert!(problem.patch.is_none(), "{problem:#?}");
}

#[test]
fn restore_keys_that_match_no_saved_key_leave_the_restore_an_error() {
    let files = |restore_keys: &str| {
        let flow = RESTORE_FLOW.replace(
            "          key: bundle-${{ github.event.workflow_run.head_sha }}\n",
            &format!(
                "          key: bundle-${{{{ github.event.workflow_run.head_sha }}}}\n          restore-keys: |\n            {restore_keys}\n"
            ),
        );
        problems(
            &[
                (".github/workflows/deploy.yml", &flow),
                (".github/workflows/compile.yml", SAVE_FLOW),
            ],
            CheckId::CacheKeyNeverSaved,
        )
    };
    assert_eq!(files("bundle-").len(), 1, "a prefix of no saved key");
    assert!(files("compiled-").is_empty(), "a prefix of the saved key hits");
}

/// An `actions/cache` step whose one `restore-keys` prefix is misspelt.
const WARM_FLOW: &str = "\
name: Thumbnails
on: push
jobs:
  render:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - uses: actions/cache@v4
        with:
          path: .thumbs
          key: thumbs-${{ runner.os }}-${{ hashFiles('thumbs.lock') }}
          restore-keys: |
            thumbnails-${{ runner.os }}-
      - run: ./render.sh
";

#[test]
fn a_cache_step_s_restore_key_that_matches_no_saved_key_is_a_warning_with_its_own_prefix() {
    let files =
        [(".github/workflows/thumbs.yml", WARM_FLOW), ("thumbs.lock", ""), ("render.sh", "")];
    let problem = only(problems(&files, CheckId::CacheKeyNeverSaved));
    assert_eq!(
        (problem.line, problem.severity.id(), problem.subject.as_str()),
        (13, "warning", "thumbnails-${{ runner.os }}-")
    );
    assert!(problem.message.contains("restore `thumbs-${{ runner.os }}-`"), "{}", problem.message);
    let patch = problem.patch.as_deref().expect("patch");
    assert!(patch.contains("+            thumbs-${{ runner.os }}-\n"), "{patch}");
    fixed_by_its_patch(&files, &problem);

    let fixed_key =
        WARM_FLOW.replace("thumbs-${{ runner.os }}-${{ hashFiles('thumbs.lock') }}", "thumbs-v2");
    let files = [(".github/workflows/thumbs.yml", fixed_key.as_str()), ("render.sh", "")];
    let problem = only(problems(&files, CheckId::CacheKeyNeverSaved));
    let patch = problem.patch.as_deref().expect("patch");
    assert!(patch.contains("-          restore-keys: |\n-            thumbnails-"), "{patch}");
    fixed_by_its_patch(&files, &problem);
}

#[test]
fn a_cache_step_s_restore_key_that_a_saved_key_starts_with_is_quiet() {
    let own = WARM_FLOW.replace("thumbnails-${{ runner.os }}-", "thumbs-${{ runner.os }}-");
    let files =
        [(".github/workflows/thumbs.yml", own.as_str()), ("thumbs.lock", ""), ("render.sh", "")];
    assert!(problems(&files, CheckId::CacheKeyNeverSaved).is_empty(), "a prefix of its own key");
    let bare = WARM_FLOW.replace("thumbnails-${{ runner.os }}-", "thumbs-");
    let files =
        [(".github/workflows/thumbs.yml", bare.as_str()), ("thumbs.lock", ""), ("render.sh", "")];
    assert!(problems(&files, CheckId::CacheKeyNeverSaved).is_empty(), "a shorter prefix");
    let elsewhere = SAVE_FLOW.replace("compiled-${{ runner.os }}", "thumbnails-${{ runner.os }}");
    let files = [
        (".github/workflows/thumbs.yml", WARM_FLOW),
        (".github/workflows/compile.yml", elsewhere.as_str()),
        ("thumbs.lock", ""),
        ("render.sh", ""),
    ];
    assert!(problems(&files, CheckId::CacheKeyNeverSaved).is_empty(), "another workflow saves it");
}

const CHAIN_FIRST: &str = "\
name: Fetch
on: schedule
jobs:
  fetch:
    runs-on: ubuntu-latest
    steps:
      - run: ./fetch.sh
      - uses: actions/cache/save@v4
        with:
          path: sprites
          key: sprites-${{ github.run_id }}
      - uses: actions/upload-artifact@v4
        with:
          name: sprite-sheets
          path: sprites
";

const CHAIN_MIDDLE: &str = "\
name: Clean
on:
  workflow_run:
    workflows: [Fetch]
    types: [completed]
jobs:
  clean:
    runs-on: ubuntu-latest
    steps:
      - run: echo cleaning
";

const CHAIN_LAST: &str = "\
name: Publish
on:
  workflow_run:
    workflows: [Clean]
    types: [completed]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/cache/restore@v4
        with:
          path: sprites
          key: sprites-${{ github.event.workflow_run.id }}
      - uses: actions/download-artifact@v4
        with:
          name: sprite-sheets
";

#[test]
fn a_key_and_an_artifact_two_workflow_run_hops_upstream_count_as_produced() {
    let files = [
        (".github/workflows/fetch.yml", CHAIN_FIRST),
        (".github/workflows/clean.yml", CHAIN_MIDDLE),
        (".github/workflows/publish.yml", CHAIN_LAST),
    ];
    let all = workflow::lint(&repo(&files));
    assert!(all.iter().all(|p| p.check != CheckId::CacheKeyNeverSaved), "{all:#?}");
    assert!(all.iter().all(|p| p.check != CheckId::UnknownArtifact), "{all:#?}");
    let broken = [
        (".github/workflows/fetch.yml", CHAIN_FIRST),
        (".github/workflows/publish.yml", CHAIN_LAST),
    ];
    let names = problems(&broken, CheckId::UnknownWorkflow);
    assert_eq!(only(names).subject, "Clean", "the chain breaks where the middle is missing");
}

#[test]
fn downloads_from_another_repository_or_by_pattern_are_not_judged() {
    let downloads = "\
name: Gather
on: push
jobs:
  gather:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: nightly-build
          repository: acme/other
          run-id: 123
          github-token: ${{ secrets.READ_TOKEN }}
      - uses: actions/download-artifact@v4
        with:
          pattern: report-*
          merge-multiple: true
      - uses: actions/download-artifact@v4
        with:
          name: never-made
";
    let found = problems(&[(".github/workflows/gather.yml", downloads)], CheckId::UnknownArtifact);
    assert_eq!(only(found).subject, "never-made");
}

#[test]
fn workflow_run_names_with_a_star_are_not_judged() {
    let flow = CHAIN_MIDDLE.replace("workflows: [Fetch]", "workflows: ['Fetch *', Fetchh]");
    let found = problems(&[(".github/workflows/clean.yml", &flow)], CheckId::UnknownWorkflow);
    assert_eq!(only(found).subject, "Fetchh");
}

#[test]
fn ghcr_pushes_and_gh_releases_need_their_scopes_and_a_scope_is_inserted_when_absent() {
    let flow = "\
name: Ship
on: push
permissions:
  contents: read
jobs:
  ship:
    runs-on: ubuntu-latest
    steps:
      - run: docker push ghcr.io/acme/app:latest
      - run: gh release create v1 --generate-notes
";
    let files = [(".github/workflows/ship.yml", flow)];
    let found = problems(&files, CheckId::Permissions);
    let scopes: Vec<_> = found.iter().map(|p| (p.line, p.subject.as_str())).collect();
    assert_eq!(scopes, [(9, "packages"), (10, "contents")]);
    let inserted = found[0].patch.as_deref().expect("patch");
    assert!(inserted.contains("+  packages: write"), "{inserted}");
    let left = after_patch(&files, inserted);
    assert_eq!(left.iter().map(|p| p.subject.as_str()).collect::<Vec<_>>(), ["contents"]);
    let read_all = flow.replace("permissions:\n  contents: read\n", "permissions: read-all\n");
    let found = problems(&[(".github/workflows/ship.yml", &read_all)], CheckId::Permissions);
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|p| p.message.contains("`read-all`") && p.patch.is_none()));
}

#[test]
fn an_aliased_step_is_checked_where_it_is_used_and_patched_where_it_is_written() {
    let flow = "\
name: Twins
on: push
jobs:
  first:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - &install
        name: Install
        run: pip install -r requirements/dev.txt
  second:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - *install
";
    let files = [(".github/workflows/twins.yml", flow), ("pyproject.toml", ""), ("uv.lock", "")];
    let view = repo(&files);
    assert!(view.errors.is_empty(), "{:?}", view.errors);
    assert_eq!(view.workflows[0].jobs[1].steps.len(), 2, "the alias is a step");
    let found = problems(&files, CheckId::MissingFile);
    assert!(!found.is_empty() && found.iter().all(|p| p.line == 10), "{found:#?}");
    let patch = found[0].patch.as_deref().expect("patch");
    let left = after_patch(&files, patch);
    assert!(left.iter().all(|p| p.check != CheckId::MissingFile), "{left:#?}");
}

/// Where line `line` of a file is after `patch`: moved by the lines added and removed above
/// it, or, when the patch replaces it, the first line written in its place.
fn line_after(patch: &str, line: usize) -> usize {
    let start = |range: &str| range.split(',').next().and_then(|n| n.parse::<usize>().ok());
    let mut offset = 0_isize;
    let mut cursor: Option<(usize, usize)> = None;
    for text in patch.lines() {
        if let Some(header) = text.strip_prefix("@@ -") {
            let (old, new) = header.split_once(" +").expect("a hunk header");
            let old = start(old).expect("old start");
            let new = start(new.split(' ').next().unwrap_or_default()).expect("new start");
            if line < old {
                break;
            }
            cursor = Some((old, new));
            continue;
        }
        let Some((old, new)) = cursor.as_mut() else { continue };
        match text.as_bytes().first() {
            Some(b'+') => *new += 1,
            Some(b'\\') => {}
            first => {
                if *old == line {
                    return *new;
                }
                *old += 1;
                if first != Some(&b'-') {
                    *new += 1;
                }
            }
        }
        offset = isize::try_from(*new).expect("small") - isize::try_from(*old).expect("small");
    }
    line.saturating_add_signed(offset)
}

#[test]
fn a_line_moves_by_the_lines_a_patch_adds_above_it_and_a_replaced_line_stays() {
    let patch =
        "--- a/x\n+++ b/x\n@@ -2,3 +2,5 @@\n a\n+b\n+c\n d\n-e\n+f\n@@ -9,2 +11,1 @@\n g\n-h\n";
    assert_eq!(line_after(patch, 1), 1);
    assert_eq!(line_after(patch, 3), 5, "below two added lines");
    assert_eq!(line_after(patch, 4), 6, "replaced: the line put in its place");
    assert_eq!(line_after(patch, 7), 9);
    assert_eq!(line_after(patch, 12), 13, "below a deleted line too");
}

/// Every action the version table knows, at an old release, caching where it can.
const OLD_ACTIONS_FLOW: &str = "\
name: Legacy
on: push
jobs:
  legacy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v2
      - uses: actions/setup-node@v4.1.0
        with:
          cache: npm
      - uses: actions/setup-python@v5.1.0
        with:
          cache: pip
      - uses: actions/setup-go@v5.0.2
        with:
          cache: true
      - uses: actions/setup-java@v3
      - uses: actions/setup-dotnet@v3
      - uses: actions/github-script@v6
        with:
          script: console.log(1)
      - uses: actions/cache@v3.0.0
        with:
          path: vendor
          key: vendor-${{ github.sha }}
      - uses: actions/upload-artifact@v3
        with:
          name: logs
          path: logs/
      - uses: docker/setup-buildx-action@v2
      - uses: docker/build-push-action@v4
";

/// A matrix whose `fail-fast: true` is written out.
const FAIL_FAST_FLOW: &str = "\
name: Grid
on: push
jobs:
  grid:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: true
      matrix:
        arch: [arm64, amd64]
    steps:
      - run: make check
";

/// Steps that need three write scopes the block lacks, one of them written read-only.
const SCOPES_FLOW: &str = "\
name: Release
on: push
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: docker push ghcr.io/acme/app:latest
      - run: gh release create v1 --generate-notes
      - run: gh pr create --fill
";

#[test]
fn every_suggested_patch_applies_and_its_problem_is_gone_after_it() {
    let python = [("pyproject.toml", ""), ("uv.lock", ""), ("app/main.py", "")];
    let old_actions = FRONTEND_FLOW
        .replace("actions/checkout@v5", "actions/checkout@v3")
        .replace("actions/setup-node@v5", "actions/setup-node@v4.0.3")
        .replace("node-version: 22", "node-version: 22\n          cache: npm");
    let step_folder = PIP_FLOW
        .replace("      - name: Deps\n", "      - name: Deps\n        working-directory: ci\n");
    let folder_after_run = PIP_FLOW.replace(
        "          pip install -r requirements-dev.txt\n",
        "          pip install -r requirements-dev.txt\n        working-directory: ci\n",
    );
    let static_key =
        WARM_FLOW.replace("thumbs-${{ runner.os }}-${{ hashFiles('thumbs.lock') }}", "thumbs-v2");
    let uv_set_up = PIP_FLOW.replace(
        "      - uses: actions/checkout@v5\n",
        "      - uses: actions/checkout@v5\n      - uses: astral-sh/setup-uv@v6\n",
    );
    let fixtures: Vec<Vec<(&str, &str)>> = vec![
        [&[(".github/workflows/build.yml", PIP_FLOW)][..], &python].concat(),
        [&[(".github/workflows/build.yml", step_folder.as_str()), ("ci/tox.ini", "")][..], &python]
            .concat(),
        vec![
            (".github/workflows/build.yml", &folder_after_run),
            ("ci/tox.ini", ""),
            ("app/pyproject.toml", ""),
            ("app/uv.lock", ""),
            ("app/main.py", ""),
        ],
        [&[(".github/workflows/build.yml", uv_set_up.as_str())][..], &python].concat(),
        vec![(".github/workflows/build.yml", PIP_FLOW), ("Pipfile.lock", ""), ("app/main.py", "")],
        vec![(".github/workflows/build.yml", PIP_FLOW), ("ci/requirements-dev.txt", "")],
        vec![
            (".github/workflows/web.yml", NODE_FLOW),
            ("site/package.json", ""),
            ("site/yarn.lock", ""),
        ],
        vec![
            (".github/workflows/ui.yml", FRONTEND_FLOW),
            ("package.json", ""),
            ("pnpm-lock.yaml", ""),
        ],
        vec![(".github/workflows/ui.yml", FRONTEND_FLOW), ("package.json", ""), ("bun.lockb", "")],
        vec![(".github/workflows/ui.yml", FRONTEND_FLOW), ("package.json", "")],
        vec![(".github/workflows/ui.yml", &old_actions), ("package-lock.json", "")],
        vec![(".github/workflows/legacy.yml", OLD_ACTIONS_FLOW), ("package-lock.json", "")],
        vec![
            (".github/workflows/deploy.yml", RESTORE_FLOW),
            (".github/workflows/compile.yml", SAVE_FLOW),
        ],
        vec![(".github/workflows/thumbs.yml", WARM_FLOW), ("thumbs.lock", ""), ("render.sh", "")],
        vec![(".github/workflows/thumbs.yml", &static_key), ("render.sh", "")],
        vec![(".github/workflows/bump.yml", PUSH_FLOW)],
        vec![(".github/workflows/release.yml", SCOPES_FLOW)],
        MEANT_FILES.to_vec(),
    ];
    let mut patched = 0;
    for files in &fixtures {
        for problem in workflow::lint(&repo(files)) {
            let Some(patch) = problem.patch.as_deref() else { continue };
            let left = after_patch(files, patch);
            let at = line_after(patch, problem.line);
            let same = |p: &Problem| p.check == problem.check && p.file == problem.file;
            let still = left.iter().find(|p| same(p) && p.line == at);
            assert!(still.is_none(), "{problem:#?} is still there after its patch: {still:#?}");
            patched += 1;
        }
    }
    assert!(patched >= 30, "only {patched} patches were tried");
}

#[test]
fn the_patches_that_explain_a_log_apply_and_leave_nothing_to_explain() {
    use gha_triage::workflow::checks::{cancel, permissions};
    let files = [(".github/workflows/grid.yml", FAIL_FAST_FLOW)];
    let view = repo(&files);
    let (workflow, job) = (&view.workflows[0], &view.workflows[0].jobs[0]);
    let problem = cancel::fail_fast(workflow, job, None).expect("fail-fast: true explains it");
    let patch = problem.patch.as_deref().expect("patch");
    assert!(patch.contains("-      fail-fast: true\n+      fail-fast: false\n"), "{patch}");
    let fixed = patched_view(&files, patch);
    assert!(cancel::fail_fast(&fixed.workflows[0], &fixed.workflows[0].jobs[0], None).is_none());

    let open = SCOPES_FLOW.replace("permissions:\n  contents: read\n", "");
    let files = [(".github/workflows/release.yml", open.as_str())];
    let view = repo(&files);
    let (workflow, job) = (&view.workflows[0], &view.workflows[0].jobs[0]);
    let problem = permissions::missing_block(workflow, job, None).expect("a block to add");
    assert_eq!(problem.subject, "contents,packages,pull-requests");
    let fixed = patched_view(&files, problem.patch.as_deref().expect("patch"));
    let left = workflow::lint(&fixed);
    assert!(left.iter().all(|p| p.check != CheckId::Permissions), "{left:#?}");
}

#[test]
fn actions_on_node_20_get_a_notice_naming_the_node_24_major() {
    let flow = "\
name: Notes
on: push
jobs:
  notes:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - uses: actions/github-script@v7
        with:
          script: console.log(1)
";
    let files = [(".github/workflows/notes.yml", flow)];
    let found = problems(&files, CheckId::DeprecatedAction);
    let seen: Vec<_> = found.iter().map(|p| (p.line, p.severity.id())).collect();
    assert_eq!(seen, [(7, "notice"), (8, "notice"), (9, "notice")]);
    assert!(found[0].message.contains("Node 20") && found[0].message.contains("@v5"));
    let left = after_patch(&files, found[1].patch.as_deref().expect("patch"));
    assert_eq!(left.len(), 2, "the setup-python notice is gone: {left:#?}");
    let current = flow
        .replace("checkout@v4", "checkout@v5")
        .replace("setup-python@v5", "setup-python@v6")
        .replace("github-script@v7", "github-script@v8");
    assert!(
        problems(&[(".github/workflows/notes.yml", &current)], CheckId::DeprecatedAction)
            .is_empty()
    );
}
