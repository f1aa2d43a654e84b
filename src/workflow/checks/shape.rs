//! Files under `.github/workflows` that GitHub refuses before any check matters: empty, a lone
//! value or a list instead of a mapping, or a mapping without jobs. Reads what the model
//! recorded of the file's top level; it does not parse.

use crate::category::Severity;
use crate::workflow::model::{TopLevel, Workflow};
use crate::workflow::repo::RepoView;
use crate::workflow::{CheckId, Problem};

/// Reports each workflow file that GitHub would reject as a whole.
pub fn check(repo: &RepoView, problems: &mut Vec<Problem>) {
    problems.extend(repo.workflows.iter().filter_map(refusal));
}

/// Why GitHub would refuse `workflow`, as a problem on the line that shows it.
fn refusal(workflow: &Workflow) -> Option<Problem> {
    let (line, message) = match &workflow.top {
        TopLevel::Nothing => (
            1,
            "the file is empty: GitHub refuses it as a workflow; write its `on:` and `jobs:`, or \
             delete it"
                .to_owned(),
        ),
        TopLevel::Scalar { text, line } => (
            *line,
            format!(
                "the file holds only the value `{text}`, not a workflow: GitHub wants a mapping \
                 with `on:` and `jobs:` at the top level"
            ),
        ),
        TopLevel::List { line } => (
            *line,
            "the file holds a list, not a workflow: GitHub wants a mapping with `on:` and \
             `jobs:` at the top level"
                .to_owned(),
        ),
        TopLevel::Mapping if !workflow.jobs.is_empty() => return None,
        TopLevel::Mapping => match workflow.jobs_line {
            Some(line) => (
                line,
                "`jobs:` defines no job: GitHub refuses a workflow without one; add a job \
                 with `runs-on:` and `steps:`"
                    .to_owned(),
            ),
            None => (
                1,
                "the workflow has no `jobs:`: GitHub refuses it; add `jobs:` with at least one \
                 job"
                .to_owned(),
            ),
        },
    };
    Some(Problem {
        check: CheckId::InvalidWorkflow,
        severity: Severity::Error,
        file: workflow.path.clone(),
        line,
        message,
        patch: None,
        job: String::new(),
        step: None,
        subject: workflow.path.clone(),
    })
}
