//! The checks of issue #6 over a repository view, each in its own file, and the place a
//! problem is found in. Owns running them; each check owns its own conclusions.

pub mod cache;
pub mod cancel;
pub mod chain;
pub mod files;
pub mod permissions;
pub mod shape;
pub mod versions;

use std::collections::HashSet;

use super::model::{Job, Workflow};
use super::repo::RepoView;
use super::{CheckId, Problem};
use crate::category::Severity;

/// Runs every check that needs no log: all but the cancellation explanations.
pub fn run(repo: &RepoView) -> Vec<Problem> {
    let mut problems = Vec::new();
    shape::check(repo, &mut problems);
    files::check(repo, &mut problems);
    cache::check(repo, &mut problems);
    chain::check_names(repo, &mut problems);
    chain::check_artifacts(repo, &mut problems);
    permissions::check(repo, &mut problems);
    versions::check(repo, &mut problems);
    once_per_line(&mut problems);
    problems
}

/// Keeps one problem per file, line, check and subject: steps shared through a YAML alias
/// (`steps: *steps` in two jobs) are one line of the file, to be fixed once and patched once.
fn once_per_line(problems: &mut Vec<Problem>) {
    let mut seen = HashSet::new();
    problems.retain(|p| seen.insert((p.file.clone(), p.line, p.check, p.subject.clone())));
}

/// A step being checked: the repository, its workflow, its job and its index.
pub struct Site<'a> {
    /// The repository.
    pub repo: &'a RepoView,
    /// The workflow.
    pub workflow: &'a Workflow,
    /// The job.
    pub job: &'a Job,
    /// Index of the step in the job.
    pub step: usize,
}

impl Site<'_> {
    /// A problem at `line` of this step.
    pub fn problem(
        &self,
        line: usize,
        check: CheckId,
        severity: Severity,
        subject: &str,
        message: String,
        patch: Option<String>,
    ) -> Problem {
        Problem {
            check,
            severity,
            file: self.workflow.path.clone(),
            line,
            message,
            patch,
            job: self.job.id.value.clone(),
            step: self.job.steps.get(self.step).map(super::model::Step::display_name),
            subject: subject.to_owned(),
        }
    }

    /// The ref the repository's workflows most often use for `action`.
    pub fn action_version_in_repo(&self, action: &str) -> Option<String> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        let uses = self.repo.workflows.iter().flat_map(|w| &w.jobs).flat_map(|j| &j.steps);
        for version in
            uses.filter(|s| s.uses_action(action)).filter_map(|s| s.uses.as_ref()?.version.clone())
        {
            match counts.iter_mut().find(|(v, _)| *v == version) {
                Some((_, count)) => *count += 1,
                None => counts.push((version, 1)),
            }
        }
        counts.into_iter().max_by_key(|(_, count)| *count).map(|(version, _)| version)
    }
}

/// Workflows that trigger `workflow` through `workflow_run`, transitively, by name.
pub fn upstream<'a>(repo: &'a RepoView, workflow: &'a Workflow) -> Vec<&'a Workflow> {
    let mut found: Vec<&Workflow> = Vec::new();
    let mut pending = vec![workflow];
    while let Some(current) = pending.pop() {
        for name in &current.run_after {
            let matches = repo.workflows.iter().filter(|w| w.display_name() == name.value);
            for candidate in matches {
                if candidate.path != workflow.path
                    && !found.iter().any(|w| w.path == candidate.path)
                {
                    found.push(candidate);
                    pending.push(candidate);
                }
            }
        }
    }
    found
}
