//! What a repository uses instead of a missing install file: `uv.lock` → uv, `poetry.lock` →
//! Poetry, `Pipfile.lock` → Pipenv, `pnpm-lock.yaml` → pnpm, `yarn.lock` → Yarn, and the
//! patch that switches the step over. It must not decide what is missing (that is `files`).

use crate::category::Severity;
use crate::workflow::checks::Site;
use crate::workflow::model::Step;
use crate::workflow::patch::{self, Edit};
use crate::workflow::{CheckId, Problem};

/// A Python project manager recognised by its lockfile.
struct PythonTool {
    lockfile: &'static str,
    name: &'static str,
    setup_action: &'static str,
    setup_version: &'static str,
    install: &'static str,
    run_prefix: &'static str,
}

/// In order of preference when a repository has more than one.
const PYTHON_TOOLS: &[PythonTool] = &[
    PythonTool {
        lockfile: "uv.lock",
        name: "uv",
        setup_action: "astral-sh/setup-uv",
        setup_version: "v6",
        install: "uv sync --frozen",
        run_prefix: "uv run --frozen",
    },
    PythonTool {
        lockfile: "poetry.lock",
        name: "Poetry",
        setup_action: "",
        setup_version: "",
        install: "poetry install --no-root",
        run_prefix: "poetry run",
    },
    PythonTool {
        lockfile: "Pipfile.lock",
        name: "Pipenv",
        setup_action: "",
        setup_version: "",
        install: "pipenv install --deploy",
        run_prefix: "pipenv run",
    },
];

/// `pip install -r FILE` where FILE is missing: what the repository uses instead, with a patch.
pub fn missing_requirements(
    site: &Site<'_>,
    step: &Step,
    line: usize,
    cwd: &str,
    missing: &str,
) -> Problem {
    let name = missing.rsplit('/').next().unwrap_or(missing);
    let elsewhere = site.repo.files.iter().find(|file| file.rsplit('/').next() == Some(name));
    let found = PYTHON_TOOLS.iter().find_map(|tool| {
        let lock = site.repo.files.iter().find(|file| {
            file.rsplit('/').next() == Some(tool.lockfile) && !file.contains("/node_modules/")
        })?;
        Some((tool, lock.rsplit_once('/').map_or("", |(dir, _)| dir)))
    });
    let (message, patch) = match (elsewhere, found) {
        (Some(other), _) => {
            let text = &site.workflow.lines[line - 1];
            let relative = other.strip_prefix(&format!("{cwd}/")).unwrap_or(other);
            let message = format!(
                "`{missing}` is not in the repository, but `{other}` is: install from that file"
            );
            let fixed = text.replacen(missing.rsplit('/').next().unwrap_or(missing), relative, 1);
            (message, Some(vec![Edit::replace(line, fixed)]))
        }
        (None, Some((tool, dir))) => {
            let place =
                if dir.is_empty() { "the repository root".to_owned() } else { format!("`{dir}/`") };
            let message = format!(
                "`{missing}` is not in the repository, which manages Python with {} ({} in {place}): \
                 install with `{}` there",
                tool.name, tool.lockfile, tool.install
            );
            (message, Some(switch_to(site, step, tool, dir)))
        }
        (None, None) => {
            let message = format!(
                "`{missing}` is not in the repository: commit it, or install the project another way"
            );
            (message, None)
        }
    };
    let patch = patch.map(|edits| patch::diff(site.workflow, &edits));
    site.problem(line, CheckId::MissingFile, Severity::Error, missing, message, patch)
}

/// The edits that install with `tool` in `dir` instead of pip: a setup step when the job has
/// none, the install step's script, and later steps' `python` run through the tool.
fn switch_to(site: &Site<'_>, step: &Step, tool: &PythonTool, dir: &str) -> Vec<Edit> {
    let workflow = site.workflow;
    let mut edits = Vec::new();
    let dash = step.column.saturating_sub(3);
    let item = " ".repeat(dash);
    let key = " ".repeat(step.column - 1);
    let has_setup = site
        .job
        .steps
        .iter()
        .any(|s| !tool.setup_action.is_empty() && s.uses_action(tool.setup_action));
    let item_line = item_line(workflow, step);
    // Limit: a single step written under an anchor and reused by alias gets its setup step
    // only where the anchor is; the jobs using the alias need one of their own.
    if !tool.setup_action.is_empty() && !has_setup {
        let version =
            site.action_version_in_repo(tool.setup_action).unwrap_or(tool.setup_version.to_owned());
        edits.push(Edit::insert(
            item_line,
            vec![
                format!("{item}- name: Install {}", tool.name),
                format!("{key}uses: {}@{version}", tool.setup_action),
                String::new(),
            ],
        ));
    } else if tool.setup_action.is_empty() {
        let package = tool.install.split(' ').next().unwrap_or_default();
        edits.push(Edit::insert(
            item_line,
            vec![
                format!("{item}- name: Install {}", tool.name),
                format!("{key}run: pipx install {package}"),
                String::new(),
            ],
        ));
    }
    let run = step.run.as_ref().expect("a pip command came from the script");
    let run_end =
        if step.run_block { block_end(workflow, run.line, step.end_line) } else { run.line + 1 };
    let mut replacement = vec![format!("{key}run: {}", tool.install)];
    let wd_line = step.working_directory.as_ref().map(|wd| wd.line);
    if !dir.is_empty() && wd_line.is_none() {
        replacement.push(format!("{key}working-directory: {dir}"));
    }
    if let Some(wd_line) = wd_line {
        edits.push(Edit::replace(
            wd_line,
            format!("{key}working-directory: {}", if dir.is_empty() { "." } else { dir }),
        ));
    }
    edits.push(Edit { start: run.line, end: run_end, lines: replacement });
    let project = if dir.is_empty() { String::new() } else { format!(" --project {dir}") };
    for later in site.job.steps.iter().skip(site.step + 1) {
        for (line, text) in later.script_lines(workflow) {
            let trimmed = text.trim_start();
            let Some(rest) =
                trimmed.strip_prefix("python ").or_else(|| trimmed.strip_prefix("python3 "))
            else {
                continue;
            };
            let original = &workflow.lines[line - 1];
            let at = original.find(trimmed).unwrap_or(0);
            let runner = if tool.name == "uv" {
                format!("{}{project}", tool.run_prefix)
            } else {
                tool.run_prefix.to_owned()
            };
            edits.push(Edit::replace(line, format!("{}{runner} python {rest}", &original[..at])));
        }
    }
    edits
}

/// The line of the step's `- ` item: its first key's line, or the line above when the item
/// holds only an anchor (`- &install`).
fn item_line(workflow: &crate::workflow::model::Workflow, step: &Step) -> usize {
    let own = workflow.lines.get(step.line.wrapping_sub(1)).map_or("", String::as_str);
    if own.trim_start().starts_with('-') || step.line < 2 {
        return step.line;
    }
    let above = workflow.lines[step.line - 2].trim_start();
    if above.starts_with("- &") || above == "-" {
        return step.line - 1;
    }
    step.line
}

/// The line after a block scalar that starts on `key_line`: the first line indented no deeper
/// than the key, not counting blank lines.
fn block_end(workflow: &crate::workflow::model::Workflow, key_line: usize, limit: usize) -> usize {
    let indent = patch::indent_of(workflow, key_line).len();
    let mut end = key_line + 1;
    while end < limit {
        let text = &workflow.lines[end - 1];
        if !text.trim().is_empty() && patch::indent_of(workflow, end).len() <= indent {
            break;
        }
        end += 1;
    }
    while end > key_line + 1 && workflow.lines[end - 2].trim().is_empty() {
        end -= 1;
    }
    end
}

/// An action that puts a package manager on the runner, which hosted images lack.
struct Setup {
    action: &'static str,
    version: &'static str,
    with: &'static [&'static str],
}

/// Lockfiles, in order of preference: the install command, the tool, and its setup action.
const NODE_TOOLS: &[(&str, &str, &str, Option<Setup>)] = &[
    (
        "pnpm-lock.yaml",
        "pnpm install --frozen-lockfile",
        "pnpm",
        // pnpm/action-setup needs a version unless package.json names a packageManager.
        Some(Setup { action: "pnpm/action-setup", version: "v4", with: &["version: 10"] }),
    ),
    ("yarn.lock", "yarn install --frozen-lockfile", "Yarn", None),
    (
        "bun.lock",
        "bun install --frozen-lockfile",
        "Bun",
        Some(Setup { action: "oven-sh/setup-bun", version: "v2", with: &[] }),
    ),
    (
        "bun.lockb",
        "bun install --frozen-lockfile",
        "Bun",
        Some(Setup { action: "oven-sh/setup-bun", version: "v2", with: &[] }),
    ),
    ("package.json", "npm install", "npm without a lockfile", None),
];

/// A step inserted before `step` that installs `tool` with its setup action.
fn setup_step(site: &Site<'_>, step: &Step, tool: &str, setup: &Setup) -> Edit {
    let item = " ".repeat(step.column.saturating_sub(3));
    let key = " ".repeat(step.column - 1);
    let version =
        site.action_version_in_repo(setup.action).unwrap_or_else(|| setup.version.to_owned());
    let mut lines = vec![
        format!("{item}- name: Install {tool}"),
        format!("{key}uses: {}@{version}", setup.action),
    ];
    if !setup.with.is_empty() {
        lines.push(format!("{key}with:"));
        lines.extend(setup.with.iter().map(|input| format!("{key}  {input}")));
    }
    Edit::insert(item_line(site.workflow, step), lines)
}

/// `npm ci` in a folder with no `package-lock.json`: the install command its lockfile fits,
/// with the step that installs pnpm or Bun when the job has none.
pub fn npm_ci_without_lock(site: &Site<'_>, line: usize, cwd: &str) -> Problem {
    let has = |name: &str| {
        let path = if cwd.is_empty() { name.to_owned() } else { format!("{cwd}/{name}") };
        site.repo.has_file(&path)
    };
    let instead = NODE_TOOLS.iter().find(|(lock, ..)| has(lock));
    let folder =
        if cwd.is_empty() { "the repository root".to_owned() } else { format!("`{cwd}/`") };
    let (message, patch) = match instead {
        Some((lock, command, tool, setup)) => {
            let text = &site.workflow.lines[line - 1];
            let fixed =
                text.replacen("npm ci", command, 1).replacen("npm clean-install", command, 1);
            let mut edits = vec![Edit::replace(line, fixed)];
            let step = site.job.steps.get(site.step);
            let installed = |action: &str| site.job.steps.iter().any(|s| s.uses_action(action));
            if let (Some(step), Some(setup)) =
                (step, setup.as_ref().filter(|s| !installed(s.action)))
            {
                edits.push(setup_step(site, step, tool, setup));
            }
            let message = format!(
                "`npm ci` needs a package-lock.json, which {folder} does not have; it has {lock}, so install with {tool}: `{command}`"
            );
            (message, Some(patch::diff(site.workflow, &edits)))
        }
        None => (format!("`npm ci` needs a package-lock.json, which {folder} does not have"), None),
    };
    let subject = if cwd.is_empty() {
        "package-lock.json".to_owned()
    } else {
        format!("{cwd}/package-lock.json")
    };
    site.problem(line, CheckId::MissingFile, Severity::Error, &subject, message, patch)
}
