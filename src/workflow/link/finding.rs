//! Findings made from the workflow files rather than a log line: a problem no log showed (a
//! cache key never saved, an artifact never uploaded) and a workflow file that does not parse.
//! Owns their wording; which problems become findings is `link.rs`'s.

use super::{INVALID_YAML, WORKFLOW_RULE_PREFIX, WorkflowLink};
use crate::category::{Category, Severity};
use crate::triage::Finding;
use crate::workflow::model::Workflow;
use crate::workflow::yaml::YamlError;
use crate::workflow::{CheckId, Problem};

/// The finding for a problem of the run's workflow that no log line showed.
pub(super) fn finding_of(problem: &Problem, workflow: &Workflow) -> Finding {
    let category = match problem.check {
        CheckId::CacheKeyNeverSaved => Category::Cache,
        CheckId::UnknownArtifact => Category::Artifact,
        CheckId::MissingFile => Category::MissingFile,
        CheckId::Permissions => Category::Auth,
        CheckId::DeprecatedAction => Category::Action,
        CheckId::UnknownWorkflow | CheckId::Cancellation | CheckId::InvalidWorkflow => {
            Category::Config
        }
    };
    let title = match problem.check {
        CheckId::CacheKeyNeverSaved => {
            format!("Cache key `{}` is restored but never saved", problem.subject)
        }
        CheckId::UnknownArtifact => {
            format!("Artifact `{}` is downloaded but never uploaded", problem.subject)
        }
        CheckId::InvalidWorkflow => {
            format!("`{}` is not a workflow GitHub can run", problem.subject)
        }
        _ => format!("`{}` is missing from the repository", problem.subject),
    };
    let text = workflow.lines.get(problem.line - 1).map_or("", |line| line.trim());
    let job = workflow.jobs.iter().find(|j| j.id.value == problem.job);
    let mut finding = from_workflow(problem.check.id(), category, title, text.to_owned());
    finding.severity = problem.severity;
    finding.fix = upper_first(&problem.message);
    finding.job = job.map(|j| j.name.clone().unwrap_or_else(|| j.id.value.clone()));
    finding.step.clone_from(&problem.step);
    finding.workflow = Some(WorkflowLink::from_problem(problem));
    finding
}

/// The finding for a run whose workflow file does not parse: GitHub cannot read it either.
pub(super) fn invalid_yaml(error: &YamlError) -> Finding {
    let line = error.pos.line.max(1);
    let message = format!(
        "{} does not parse as YAML at line {line}, column {} ({}): GitHub cannot read it \
         either; fix the file (`gha-triage lint` checks it) and run again",
        error.file, error.pos.column, error.detail
    );
    let title = format!("`{}` is not valid YAML", error.file);
    let mut finding = from_workflow(INVALID_YAML, Category::Config, title, error.detail.clone());
    finding.fix.clone_from(&message);
    finding.workflow = Some(WorkflowLink {
        file: error.file.clone(),
        line,
        check: INVALID_YAML,
        message,
        patch: None,
    });
    finding
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// An error finding of workflow check `check`, at no log line, its fix, place and link left
/// for the caller to fill.
fn from_workflow(check: &str, category: Category, title: String, text: String) -> Finding {
    Finding {
        rule: format!("{WORKFLOW_RULE_PREFIX}{check}"),
        category,
        severity: Severity::Error,
        transient: false,
        title,
        fix: String::new(),
        job: None,
        step: None,
        line: 0,
        text,
        symptom_of: None,
        file: None,
        count: 1,
        also_at: Vec::new(),
        references: Vec::new(),
        priority: 0,
        in_failed_step: false,
        job_index: 0,
        workflow: None,
    }
}
