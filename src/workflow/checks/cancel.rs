//! Check 5 of issue #6: what in a workflow cancels a step or job that a log shows canceled:
//! the step's `timeout-minutes`, the job's, a matrix with `fail-fast` (on by default, naming
//! the leg that failed first), or a `concurrency` group with `cancel-in-progress`. The log's
//! words choose among them before the workflow does. These explain a log, so they run only
//! when a finding asks; `lint` does not report them.

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

/// What the log says about a cancellation, besides the canceled line itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct CancelHints<'a> {
    /// A timeout was logged in the same job and step.
    pub timed_out: bool,
    /// The leg of the same matrix that failed first, when the log or the run's other jobs
    /// tell.
    pub failed_leg: Option<&'a str>,
}

/// Why a job or step was canceled, the log's words first: a leg named as failed means
/// fail-fast, a higher-priority request means concurrency, a logged timeout means the limit;
/// with no such word, the first of timeout, fail-fast and concurrency the workflow has.
pub fn explain(
    workflow: &Workflow,
    job: &Job,
    step: Option<&str>,
    text: &str,
    hints: CancelHints<'_>,
) -> Option<Problem> {
    if let Some(leg) = failed_leg(text) {
        return fail_fast(workflow, job, Some(leg));
    }
    if text.contains("higher priority waiting request") {
        return concurrency(workflow, job);
    }
    if hints.timed_out || text.contains("timed out") || text.contains("maximum execution time") {
        return timeout(workflow, job, step);
    }
    timeout(workflow, job, step)
        .or_else(|| fail_fast(workflow, job, hints.failed_leg))
        .or_else(|| concurrency(workflow, job))
}

/// The job named by `The job was canceled because "NAME" failed`.
pub fn failed_leg(text: &str) -> Option<&str> {
    let rest = text.split_once("canceled because \"")?.1;
    rest.split_once('"').map(|(leg, _)| leg).filter(|leg| !leg.is_empty())
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

/// Why a matrix leg was canceled: `fail-fast`, on unless written `false`; `first` names the
/// leg that failed first, when known.
pub fn fail_fast(workflow: &Workflow, job: &Job, first: Option<&str>) -> Option<Problem> {
    let matrix = job.matrix.as_ref()?;
    if job.fail_fast.as_ref().is_some_and(|f| f.value == "false") {
        return None;
    }
    let cause = first.map_or_else(
        || "the first failed leg is the cause".to_owned(),
        |leg| format!("`{leg}` failed first and is the cause: fix it"),
    );
    let message = format!(
        "the matrix has `fail-fast` on (the default), so GitHub cancels the other legs when one \
         fails; {cause}. Set `fail-fast: false` to let every leg finish"
    );
    let edit = if let Some(flag) = &job.fail_fast {
        let text = &workflow.lines[flag.line - 1];
        Edit::replace(flag.line, text.replacen(&flag.value, "false", 1))
    } else {
        let indent = patch::indent_of(workflow, matrix.line);
        Edit::insert(matrix.line, vec![format!("{indent}fail-fast: false")])
    };
    let line = job.fail_fast.as_ref().map_or(matrix.line, |f| f.line);
    let patch = patch::diff(workflow, &[edit]);
    let mut problem = explained(workflow, job, line, message, Some(patch));
    first.unwrap_or_default().clone_into(&mut problem.subject);
    Some(problem)
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
