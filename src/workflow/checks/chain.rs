//! Checks 3 and 4 of issue #6, about workflows chained by `workflow_run`: names under
//! `workflow_run.workflows` that match no workflow, and artifacts downloaded by a name that no
//! upload in the workflow or its upstream chain produces. It must not judge artifacts of other
//! repositories (`repository:` given) or downloads by `pattern:`.

use super::{Site, upstream};
use crate::category::Severity;
use crate::workflow::model::Workflow;
use crate::workflow::patch::{self, Edit};
use crate::workflow::repo::RepoView;
use crate::workflow::{CheckId, Problem};

/// `workflow_run.workflows` entries that name no workflow of the repository.
pub fn check_names(repo: &RepoView, out: &mut Vec<Problem>) {
    let names: Vec<&str> = repo.workflows.iter().map(Workflow::display_name).collect();
    for workflow in &repo.workflows {
        for wanted in &workflow.run_after {
            if wanted.value.contains('*') || names.contains(&wanted.value.as_str()) {
                continue;
            }
            let closest = closest(&wanted.value, &names);
            let hint = closest.map_or_else(
                || "; no workflow of the repository has that `name:`".to_owned(),
                |name| format!("; did you mean `{name}`?"),
            );
            let message = format!(
                "`workflow_run` waits for `{}`, a name no workflow has, so this workflow never runs after it{hint}",
                wanted.value
            );
            let patch = closest.map(|name| {
                let text = &workflow.lines[wanted.line - 1];
                patch::diff(
                    workflow,
                    &[Edit::replace(wanted.line, text.replacen(&wanted.value, name, 1))],
                )
            });
            out.push(Problem {
                check: CheckId::UnknownWorkflow,
                severity: Severity::Error,
                file: workflow.path.clone(),
                line: wanted.line,
                message,
                patch,
                job: String::new(),
                step: None,
                subject: wanted.value.clone(),
            });
        }
    }
}

/// The name closest to `wanted` (case-insensitive edit distance within a third of its length).
fn closest<'a>(wanted: &str, names: &[&'a str]) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    names
        .iter()
        .map(|name| (edit_distance(&wanted_lower, &name.to_lowercase()), *name))
        .filter(|(distance, _)| *distance <= wanted.chars().count().div_ceil(3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(x != *y)).min(row[j] + 1).min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// `actions/download-artifact` by `name:` that no upload of the workflow or its chain makes.
pub fn check_artifacts(repo: &RepoView, out: &mut Vec<Problem>) {
    for workflow in &repo.workflows {
        let mut producers = vec![workflow];
        producers.extend(upstream(repo, workflow));
        let uploads: Vec<&str> = producers
            .iter()
            .flat_map(|w| w.jobs.iter().flat_map(|j| &j.steps))
            .filter(|s| s.uses_action("actions/upload-artifact"))
            .map(|s| s.input("name").map_or("artifact", |n| n.value.as_str()))
            .collect();
        for job in &workflow.jobs {
            for (index, step) in job.steps.iter().enumerate() {
                if !step.uses_action("actions/download-artifact")
                    || step.input("repository").is_some()
                {
                    continue;
                }
                let Some(name) = step.input("name") else { continue };
                let pattern = super::cache::wildcard(&name.value);
                let made = uploads
                    .iter()
                    .any(|u| super::cache::overlap(&pattern, &super::cache::wildcard(u)));
                if made {
                    continue;
                }
                let site = Site { repo, workflow, job, step: index };
                let closest = closest(&name.value, &uploads);
                let hint =
                    closest.map_or_else(String::new, |n| format!("; the uploads include `{n}`"));
                let message = format!(
                    "downloads the artifact `{}`, which no upload in this workflow or the workflows that trigger it produces{hint}",
                    name.value
                );
                let patch = closest.map(|n| {
                    let text = &workflow.lines[name.line - 1];
                    patch::diff(
                        workflow,
                        &[Edit::replace(name.line, text.replacen(&name.value, n, 1))],
                    )
                });
                out.push(site.problem(
                    name.line,
                    CheckId::UnknownArtifact,
                    Severity::Error,
                    &name.value,
                    message,
                    patch,
                ));
            }
        }
    }
}
