//! `gha-triage lint [DIR]`: the workflow checks of issue #6 without a run, as text, JSON or
//! GitHub annotations. Exit 1 when an error is found (a problem or a workflow that is not
//! YAML), 0 otherwise, 2 when the folder cannot be read or holds no workflow file.

use std::fmt::Write as _;
use std::path::PathBuf;

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
    /// `file:line: severity: message [check]`, each patch below its problem.
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
    let dir = if let Some(dir) = &args.dir {
        dir.clone()
    } else {
        let here = std::env::current_dir()
            .map_err(|e| Failure::bad_input(format!("no current folder: {e}")))?;
        repo::repository_root(&here)
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
        LintFormat::Text => text(&view, &problems),
        LintFormat::Json => json(&view, &problems),
        LintFormat::Github => annotations(&view.errors, &problems),
    };
    super::write_stdout(&text)?;
    let failed = !view.errors.is_empty() || problems.iter().any(|p| p.severity == Severity::Error);
    Ok(if failed { EXIT_FINDING } else { EXIT_OK })
}

fn text(view: &RepoView, problems: &[Problem]) -> String {
    let mut out = String::new();
    for error in &view.errors {
        let _ = writeln!(out, "{error}");
    }
    for problem in problems {
        let _ = writeln!(
            out,
            "{}:{}: {}: {} [{}]",
            problem.file,
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
