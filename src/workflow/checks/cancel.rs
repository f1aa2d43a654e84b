//! Check 5 of issue #6: what in a workflow cancels a step or job that a log shows canceled:
//! the step's `timeout-minutes`, the job's, a matrix with `fail-fast` (on by default), or a
//! `concurrency` group with `cancel-in-progress`. These explain a log, so they run only when a
//! finding asks; `lint` does not report them.

use super::cache::{overlap, wildcard};
use crate::category::Severity;
use crate::workflow::model::{Job, Workflow};
use crate::workflow::patch::{self, Edit};
use crate::workflow::{CheckId, Problem};

/// The job of `workflow` a run's job name stands for: its `name:` (matrix values filled in,
/// read as wildcards) or its id.
pub fn job_named<'a>(workflow: &'a Workflow, name: &str) -> Option<&'a Job> {
    let shown = wildcard(name);
    workflow
        .jobs
        .iter()
        .find(|job| job.id.value == name || job.name.as_deref() == Some(name))
        .or_else(|| {
            workflow
                .jobs
                .iter()
                .find(|job| job.name.as_deref().is_some_and(|n| overlap(&wildcard(n), &shown)))
        })
}

/// Why a step timed out or was canceled: its own or its job's `timeout-minutes`.
pub fn timeout(workflow: &Workflow, job: &Job, step_name: Option<&str>) -> Option<Problem> {
    let step = job.steps.iter().find(|s| Some(s.display_name().as_str()) == step_name);
    let (limit, whose) = match step.and_then(|s| s.timeout_minutes.as_ref()) {
        Some(limit) => (limit, format!("the step `{}`", step_name.unwrap_or_default())),
        None => (job.timeout_minutes.as_ref()?, format!("the job `{}`", job.id.value)),
    };
    let message = format!(
        "{whose} is stopped after `timeout-minutes: {}`; the cancellation is that limit, not a cause: \
         look at what the step waited for",
        limit.value
    );
    Some(explained(workflow, job, limit.line, message, None))
}

/// Why a matrix leg was canceled: `fail-fast`, on unless written `false`.
pub fn fail_fast(workflow: &Workflow, job: &Job) -> Option<Problem> {
    let matrix = job.matrix.as_ref()?;
    if job.fail_fast.as_ref().is_some_and(|f| f.value == "false") {
        return None;
    }
    let message = "the matrix has `fail-fast` on (the default), so GitHub cancels the other legs when one \
                   fails; the first failed leg is the cause. Set `fail-fast: false` to let every leg finish"
        .to_owned();
    let edit = if let Some(flag) = &job.fail_fast {
        let text = &workflow.lines[flag.line - 1];
        Edit::replace(flag.line, text.replacen(&flag.value, "false", 1))
    } else {
        let indent = patch::indent_of(workflow, matrix.line);
        Edit::insert(matrix.line, vec![format!("{indent}fail-fast: false")])
    };
    let line = job.fail_fast.as_ref().map_or(matrix.line, |f| f.line);
    let patch = patch::diff(workflow, &[edit]);
    Some(explained(workflow, job, line, message, Some(patch)))
}

/// Why a run was canceled by a newer one: `concurrency` with `cancel-in-progress`.
pub fn concurrency(workflow: &Workflow, job: &Job) -> Option<Problem> {
    let group = job.concurrency.as_ref().or(workflow.concurrency.as_ref())?;
    let cancel = group.cancel_in_progress.as_ref().filter(|c| c.value != "false")?;
    let message = format!(
        "`concurrency` group `{}` has `cancel-in-progress: {}`: a newer run in the group cancels this one",
        group.group, cancel.value
    );
    Some(explained(workflow, job, cancel.line, message, None))
}

fn explained(
    workflow: &Workflow,
    job: &Job,
    line: usize,
    message: String,
    patch: Option<String>,
) -> Problem {
    Problem {
        check: CheckId::Cancellation,
        severity: Severity::Notice,
        file: workflow.path.clone(),
        line,
        message,
        patch,
        job: job.id.value.clone(),
        step: None,
        subject: String::new(),
    }
}
