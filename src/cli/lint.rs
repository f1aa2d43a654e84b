//! `gha-triage lint [DIR] [--patch]`: the workflow checks of issue #6 without a run, as text,
//! JSON, GitHub annotations, or the patches alone for `git apply`. Exit 1 when an error is found (a problem or a workflow that is not
//! YAML), 0 otherwise, 2 when the folder cannot be read or holds no workflow file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{EXIT_FINDING, EXIT_OK, Failure};
use crate::category::Severity;
use crate::workflow::repo::{self, RepoView};
use crate::workflow::yaml::YamlError;
use crate::workflow::{self, Problem};

/// Output formats of `lint`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// `file:line: severity: message [check]`, each patch below its problem; the file as it
    /// opens from the current folder.
    #[default]
    Text,
    /// One JSON object: `problems` and `invalid` workflow files.
    Json,
    /// `::error file=…,line=…::…` workflow commands, for a step in GitHub Actions.
    Github,
}

/// Arguments of `lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// The repository's root folder [default: the repository around the current folder].
    pub dir: Option<PathBuf>,
    /// How to print the problems.
    #[arg(long, value_enum, default_value_t)]
    pub format: LintFormat,
    /// Print only the patches, as one diff that `git apply` takes in the repository's root.
    #[arg(long, conflicts_with = "format")]
    pub patch: bool,
}

/// The JSON shape of `lint --format json`.
#[derive(Serialize)]
struct LintJson<'a> {
    workflows: usize,
    problems: &'a [Problem],
    invalid: Vec<InvalidJson<'a>>,
}

#[derive(Serialize)]
struct InvalidJson<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: String,
}

/// Runs `lint`.
pub fn run(args: &LintArgs) -> Result<u8, Failure> {
    let (dir, shown) = if let Some(dir) = &args.dir {
        (dir.clone(), dir.clone())
    } else {
        let here = std::env::current_dir()
            .map_err(|e| Failure::bad_input(format!("no current folder: {e}")))?;
        let root = repo::repository_root(&here);
        let shown = from_here(&here, &root);
        (root, shown)
    };
    let view = RepoView::from_dir(&dir).map_err(Failure::bad_input)?;
    if view.workflows.is_empty() && view.errors.is_empty() {
        return Err(Failure::bad_input(format!(
            "{}: no workflow files: lint looks for {}/*.yml and *.yaml under this folder; give \
             the root of a repository checkout",
            dir.display(),
            repo::WORKFLOW_DIR
        )));
    }
    let problems = workflow::lint(&view);
    let text = match args.format {
        _ if args.patch => workflow::patch_set::combined(&view.workflows, &problems),
        LintFormat::Text => text(&view, &problems, &shown),
        LintFormat::Json => json(&view, &problems),
        LintFormat::Github => annotations(&view.errors, &problems),
    };
    super::write_stdout(&text)?;
    let failed = !view.errors.is_empty() || problems.iter().any(|p| p.severity == Severity::Error);
    Ok(if failed { EXIT_FINDING } else { EXIT_OK })
}

/// The way from the current folder to the repository's root: nothing from the root itself,
/// `../..` from two folders down, the root itself from elsewhere.
fn from_here(here: &Path, root: &Path) -> PathBuf {
    match here.strip_prefix(root) {
        Ok(below) => below.components().map(|_| Path::new("..")).collect(),
        Err(_) => root.to_path_buf(),
    }
}

/// A file of the repository as it opens from the current folder, `shown` being the root.
fn openable(shown: &Path, file: &str) -> String {
    shown.join(file).display().to_string()
}

fn text(view: &RepoView, problems: &[Problem], shown: &Path) -> String {
    let mut out = String::new();
    for error in &view.errors {
        let error = YamlError { file: openable(shown, &error.file), ..error.clone() };
        let _ = writeln!(out, "{error}");
    }
    for problem in problems {
        let _ = writeln!(
            out,
            "{}:{}: {}: {} [{}]",
            openable(shown, &problem.file),
            problem.line,
            problem.severity,
            problem.message,
            problem.check.id()
        );
        if let Some(patch) = &problem.patch {
            for line in patch.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    let errors =
        problems.iter().filter(|p| p.severity == Severity::Error).count() + view.errors.len();
    let warnings = problems.iter().filter(|p| p.severity == Severity::Warning).count();
    let notices = problems.iter().filter(|p| p.severity == Severity::Notice).count();
    let notices = match notices {
        0 => String::new(),
        count => format!(", {count} notice{}", plural(count)),
    };
    let _ = writeln!(
        out,
        "{} workflow{} checked: {errors} error{}, {warnings} warning{}{notices}",
        view.workflows.len() + view.errors.len(),
        plural(view.workflows.len() + view.errors.len()),
        plural(errors),
        plural(warnings)
    );
    out
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn json(view: &RepoView, problems: &[Problem]) -> String {
    let invalid = view
        .errors
        .iter()
        .map(|e| InvalidJson {
            file: &e.file,
            line: e.pos.line,
            column: e.pos.column,
            message: e.detail.clone(),
        })
        .collect();
    let shape = LintJson { workflows: view.workflows.len() + view.errors.len(), problems, invalid };
    let mut text = serde_json::to_string_pretty(&shape).expect("lint results always serialise");
    text.push('\n');
    text
}

/// GitHub workflow commands, one a line, with the escapes the runner expects.
fn annotations(errors: &[YamlError], problems: &[Problem]) -> String {
    let mut out = String::new();
    for error in errors {
        let _ = writeln!(
            out,
            "::error file={},line={},col={},title=gha-triage invalid-yaml::{}",
            property(&error.file),
            error.pos.line,
            error.pos.column,
            data(&format!("not valid YAML: {}", error.detail))
        );
    }
    for problem in problems {
        let level = match problem.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        };
        let _ = writeln!(
            out,
            "::{level} file={},line={},title=gha-triage {}::{}",
            property(&problem.file),
            problem.line,
            problem.check.id(),
            data(&problem.message)
        );
    }
    out
}

fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
