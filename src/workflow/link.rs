//! Linking log findings to the workflow lines behind them: the missing file pip could not
//! open, the cache step that answered 400, the timeout or fail-fast that canceled a step, the
//! permissions a denied call lacked. Problems of the run's workflow that no log line showed
//! (a cache key never saved) become findings of their own. It must not change what the logs
//! said: only `workflow`, new workflow findings and symptom links are added.

use serde::Serialize;

use super::checks::{self, cancel, permissions};
use super::model::Workflow;
use super::repo::{RepoError, RepoView};
use super::{CheckId, Problem};
use crate::category::{Category, Severity};
use crate::github::model::{Conclusion, Job as GithubJob, Run};
use crate::triage::{Finding, Report};
use finding::{finding_of, invalid_yaml};

mod finding;

/// Prefix of the rule id of a finding made from the workflow files rather than a log line.
pub const WORKFLOW_RULE_PREFIX: &str = "workflow/";

/// The rule of `Cache not found for input keys`: the key was never saved (or has expired).
const CACHE_NOT_FOUND: &str = "cache-not-found";

/// The check id of a link to a workflow file that does not parse.
pub(crate) const INVALID_YAML: &str = "invalid-yaml";

/// Where in the workflow a finding comes from, and the change that fixes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkflowLink {
    /// The workflow file.
    pub file: String,
    /// 1-based line in it.
    pub line: usize,
    /// The check that made the link.
    pub check: &'static str,
    /// What the workflow says about the finding.
    pub message: String,
    /// The suggested change, a unified diff against the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<String>,
}

impl WorkflowLink {
    fn from_problem(problem: &Problem) -> WorkflowLink {
        WorkflowLink {
            file: problem.file.clone(),
            line: problem.line,
            check: problem.check.id(),
            message: problem.message.clone(),
            patch: problem.patch.clone(),
        }
    }
}

/// Links a demo run's findings to the embedded repository's workflow of that run.
pub fn link_demo(report: &mut Report, run: &Run) -> Result<(), RepoError> {
    let repo = RepoView::demo()?;
    link_run(report, &repo, run, &[]);
    Ok(())
}

/// Links a run's findings to its workflow in `repo` (the run's `path`, without the `@ref` a
/// reusable or dynamic workflow carries), passing on what the reader should know about how the
/// repository was read.
/// `jobs` are the run's jobs as GitHub lists them (none when not known): the failed one that
/// finished first is the matrix leg fail-fast canceled the others for.
pub fn link_run(report: &mut Report, repo: &RepoView, run: &Run, jobs: &[GithubJob]) {
    report.notices.extend(repo.notes.iter().cloned());
    let Some(path) = run.path.as_deref() else { return };
    let path = path.split_once('@').map_or(path, |(path, _)| path);
    link_jobs(report, repo, path, jobs);
}

/// Links the findings of a run of the workflow at `workflow_path` to its lines, adds the
/// workflow's own errors as findings, and marks a timeout as a symptom when the step waited
/// for data a never-saved cache key was meant to bring.
pub fn link(report: &mut Report, repo: &RepoView, workflow_path: &str) {
    link_jobs(report, repo, workflow_path, &[]);
}

/// As [`link`], with the run's jobs, whose times tell which matrix leg failed first.
pub fn link_jobs(report: &mut Report, repo: &RepoView, workflow_path: &str, jobs: &[GithubJob]) {
    let Some(workflow) = repo.workflow(workflow_path) else {
        if let Some(error) = repo.errors.iter().find(|error| error.file == workflow_path) {
            report.findings.push(invalid_yaml(error));
        }
        return;
    };
    let problems: Vec<Problem> =
        checks::run(repo).into_iter().filter(|p| p.file == workflow_path).collect();
    let mut used = vec![false; problems.len()];
    let facts = run_facts(report, jobs);
    for finding in &mut report.findings {
        let link = link_one(finding, workflow, &problems, &mut used, &facts);
        finding.workflow = link;
    }
    let first_new = report.findings.len();
    for (problem, _) in problems.iter().zip(&used).filter(|(p, used)| !**used && adds_a_cause(p)) {
        report.findings.push(finding_of(problem, workflow));
    }
    mark_waits_as_symptoms(report, workflow, &problems, first_new);
}

/// What the rest of the run tells about a cancellation: the (job, step) of each timeout, and
/// the jobs that failed by themselves, earliest finished first (from the jobs' times when
/// known, else in the report's order).
type RunFacts = (Vec<(Option<String>, Option<String>)>, Vec<String>);

fn run_facts(report: &Report, jobs: &[GithubJob]) -> RunFacts {
    let timeouts = report.findings.iter().filter(|f| f.category == Category::Timeout);
    let timed_out = timeouts.map(|f| (f.job.clone(), f.step.clone())).collect();
    let mut finished: Vec<&GithubJob> =
        jobs.iter().filter(|job| job.conclusion == Some(Conclusion::Failure)).collect();
    if !finished.is_empty() {
        finished.sort_by_key(|job| job.completed_at);
        return (timed_out, finished.iter().map(|job| job.name.clone()).collect());
    }
    let failed = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error && f.symptom_of.is_none())
        .filter(|f| !matches!(f.category, Category::Canceled | Category::Timeout))
        .filter_map(|f| f.job.clone())
        .collect();
    (timed_out, failed)
}

/// The other leg of the same matrix job that failed by itself first.
fn first_failed_leg<'a>(
    workflow: &Workflow,
    job: &super::model::Job,
    finding: &Finding,
    failed: &'a [String],
) -> Option<&'a str> {
    failed
        .iter()
        .filter(|name| Some(name.as_str()) != finding.job.as_deref())
        .find(|name| cancel::job_named(workflow, name).is_some_and(|j| j.id == job.id))
        .map(String::as_str)
}

fn link_one(
    finding: &Finding,
    workflow: &Workflow,
    problems: &[Problem],
    used: &mut [bool],
    facts: &RunFacts,
) -> Option<WorkflowLink> {
    let job = finding.job.as_deref().and_then(|name| cancel::job_named(workflow, name));
    let same_job = |p: &Problem| job.is_none_or(|job| job.id.value == p.job);
    let same_step = |p: &Problem| finding.step.is_none() || p.step == finding.step;
    let mut take = |check: CheckId, fits: &dyn Fn(&Problem) -> bool| {
        let index = problems.iter().position(|p| p.check == check && same_job(p) && fits(p))?;
        used[index] = true;
        Some(WorkflowLink::from_problem(&problems[index]))
    };
    let text = finding.text.as_str();
    match finding.category {
        Category::MissingFile | Category::Dependency => take(CheckId::MissingFile, &|p| {
            let name = p.subject.rsplit('/').next().unwrap_or(&p.subject);
            text.contains(name)
        }),
        Category::Cache if finding.rule == CACHE_NOT_FOUND => {
            take(CheckId::CacheKeyNeverSaved, &same_step)
                .or_else(|| take(CheckId::CacheKeyNeverSaved, &|_| true))
                .or_else(|| cache_step(workflow, job?, finding))
        }
        Category::Cache => take(CheckId::DeprecatedAction, &|p| {
            let own_step = finding.step.is_some() && p.step == finding.step;
            p.severity == Severity::Error && (own_step || p.subject.contains("cache"))
        })
        .or_else(|| cache_step(workflow, job?, finding)),
        Category::Action => take(CheckId::DeprecatedAction, &|p| {
            let action = p.subject.split('@').next().unwrap_or(&p.subject);
            text.contains(&p.subject) || (same_step(p) && text.contains(action))
        }),
        Category::Artifact => take(CheckId::UnknownArtifact, &|p| text.contains(&p.subject))
            .or_else(|| take(CheckId::UnknownArtifact, &|_| true)),
        Category::Auth => take(CheckId::Permissions, &same_step).or_else(|| {
            let step = finding.step.as_deref();
            let block = permissions::missing_block(workflow, job?, step)
                .or_else(|| permissions::missing_block(workflow, job?, None))?;
            Some(WorkflowLink::from_problem(&block))
        }),
        Category::Timeout => cancel::timeout(workflow, job?, finding.step.as_deref())
            .map(|p| WorkflowLink::from_problem(&p)),
        Category::Canceled => {
            let job = job?;
            let (timed_out, first) = facts;
            let hints = cancel::CancelHints {
                timed_out: timed_out.iter().any(|(j, s)| *j == finding.job && *s == finding.step),
                failed_leg: first_failed_leg(workflow, job, finding, first),
            };
            let step = finding.step.as_deref();
            let explained = cancel::explain(workflow, job, step, text, hints);
            explained.map(|p| WorkflowLink::from_problem(&p))
        }
        _ => None,
    }
}

/// The cache step of the finding's step, when its version is not the problem.
fn cache_step(
    workflow: &Workflow,
    job: &super::model::Job,
    finding: &Finding,
) -> Option<WorkflowLink> {
    let step = job.steps.iter().find(|s| Some(s.display_name()) == finding.step)?;
    let uses = step.uses.as_ref()?;
    let version = uses.version.as_deref().unwrap_or("?");
    Some(WorkflowLink {
        file: workflow.path.clone(),
        line: uses.line,
        check: CheckId::DeprecatedAction.id(),
        message: format!(
            "the step uses `{}@{version}`, a release for the current cache service; make sure the \
             ref resolves to 4.2.0 or later. A key that was never saved prints `Cache not found`, not a 400",
            uses.action
        ),
        patch: None,
    })
}

/// Problems that explain a failure of their own even when no log line shows them.
fn adds_a_cause(problem: &Problem) -> bool {
    problem.severity == Severity::Error
        && matches!(
            problem.check,
            CheckId::CacheKeyNeverSaved | CheckId::UnknownArtifact | CheckId::MissingFile
        )
}

/// A timeout in a step that reads a path a never-saved cache key was to restore is a symptom
/// of that key: the step waited for data that could not arrive.
fn mark_waits_as_symptoms(
    report: &mut Report,
    workflow: &Workflow,
    problems: &[Problem],
    first_new: usize,
) {
    for problem in problems.iter().filter(|p| p.check == CheckId::CacheKeyNeverSaved) {
        let Some(cause) = report.findings.iter().position(|f| {
            f.workflow.as_ref().is_some_and(|link| {
                link.check == CheckId::CacheKeyNeverSaved.id()
                    && link.file == problem.file
                    && link.line == problem.line
            })
        }) else {
            continue;
        };
        let Some(path) = restored_path(workflow, problem) else { continue };
        for (index, finding) in report.findings[..first_new].iter_mut().enumerate() {
            let waits = index != cause
                && finding.category == Category::Timeout
                && finding.symptom_of.is_none();
            let step = finding.step.as_deref().and_then(|name| {
                workflow.jobs.iter().flat_map(|j| &j.steps).find(|s| s.display_name() == name)
            });
            let reads =
                step.and_then(|s| s.run.as_ref()).is_some_and(|run| run.value.contains(&path));
            if waits && reads {
                finding.symptom_of = Some(cause);
            }
        }
    }
}

/// The `path` input of the restore step a cache-key problem is in.
fn restored_path(workflow: &Workflow, problem: &Problem) -> Option<String> {
    let job = workflow.jobs.iter().find(|j| j.id.value == problem.job)?;
    let step = job.steps.iter().find(|s| s.input("key").is_some_and(|k| k.line == problem.line))?;
    let path = step.input("path")?.value.lines().next()?.trim().to_owned();
    (!path.is_empty()).then_some(path)
}

impl Finding {
    /// Whether the finding comes from the workflow files, not from a log line.
    pub fn from_workflow(&self) -> bool {
        self.rule.starts_with(WORKFLOW_RULE_PREFIX)
    }
}
