//! Check 7 of issue #6: a `permissions:` block that lacks what a step needs (`git push` →
//! `contents: write`, `gh pr create` → `pull-requests: write`, pushing to ghcr.io →
//! `packages: write`, …). Without any `permissions:` the repository's default applies, which
//! the files cannot tell, so nothing is said, until a log shows the token was refused: then
//! [`missing_block`] suggests a block for the job.

use super::Site;
use crate::category::Severity;
use crate::workflow::model::{Job, Permissions, Step, Workflow};
use crate::workflow::patch::{self, Edit};
use crate::workflow::repo::RepoView;
use crate::workflow::{CheckId, Problem};

/// Actions that write with the token, and the scopes they need.
const ACTIONS: &[(&str, &[&str])] = &[
    ("softprops/action-gh-release", &["contents"]),
    ("peter-evans/create-pull-request", &["contents", "pull-requests"]),
    ("stefanzweifel/git-auto-commit-action", &["contents"]),
    ("actions/deploy-pages", &["pages", "id-token"]),
];

/// Finds steps whose token lacks a write scope they need.
pub fn check(repo: &RepoView, out: &mut Vec<Problem>) {
    for workflow in &repo.workflows {
        for job in &workflow.jobs {
            let Some(block) = job.permissions.as_ref().or(workflow.permissions.as_ref()) else {
                continue;
            };
            if block.shorthand.as_deref() == Some("write-all") {
                continue;
            }
            for (index, step) in job.steps.iter().enumerate() {
                for (line, what, scope) in needs(workflow, step) {
                    if granted(block, scope) {
                        continue;
                    }
                    let site = Site { repo, workflow, job, step: index };
                    out.push(missing(&site, block, line, &what, scope));
                }
            }
        }
    }
}

/// What the step does that needs a write scope: (line, what, scope).
pub fn needs(workflow: &Workflow, step: &Step) -> Vec<(usize, String, &'static str)> {
    let mut found = Vec::new();
    for (action, scopes) in ACTIONS {
        if step.uses_action(action) {
            let line = step.uses.as_ref().map_or(step.line, |u| u.line);
            found.extend(scopes.iter().map(|scope| (line, format!("`{action}`"), *scope)));
        }
    }
    for (line, text) in step.script_lines(workflow) {
        for words in super::files::shell::commands(text) {
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let scope = match words.as_slice() {
                ["git", "push", ..]
                | ["gh", "release", "create" | "upload" | "edit" | "delete", ..] => {
                    Some("contents")
                }
                ["gh", "pr", "create" | "comment" | "merge" | "edit" | "review", ..] => {
                    Some("pull-requests")
                }
                ["gh", "issue", "create" | "comment" | "edit" | "close", ..] => Some("issues"),
                ["docker", "push", ..] if workflow.text.contains("ghcr.io") => Some("packages"),
                _ => None,
            };
            if let Some(scope) = scope {
                found.push((
                    line,
                    format!("`{}`", words.iter().take(3).copied().collect::<Vec<_>>().join(" ")),
                    scope,
                ));
            }
        }
    }
    found
}

/// For a job whose token was refused while the workflow sets no `permissions:` at all (so the
/// repository's default, often read-only, applies): a job-level block granting the write
/// scopes its steps need (all steps, or only `step` when named), with `contents: read` kept
/// for checkout. `None` when nothing the steps do names a scope.
pub fn missing_block(workflow: &Workflow, job: &Job, step: Option<&str>) -> Option<Problem> {
    if workflow.permissions.is_some() || job.permissions.is_some() {
        return None;
    }
    let steps = job.steps.iter().filter(|s| step.is_none_or(|name| s.display_name() == name));
    let needed: Vec<_> = steps.flat_map(|s| needs(workflow, s)).collect();
    let (line, what, _) = needed.first()?.clone();
    let mut scopes: Vec<&str> = needed.iter().map(|(_, _, scope)| *scope).collect();
    scopes.sort_unstable();
    scopes.dedup();
    let indent = job_key_indent(workflow, job);
    let mut block = vec![format!("{indent}permissions:")];
    if !scopes.contains(&"contents") {
        block.push(format!("{indent}  contents: read"));
    }
    block.extend(scopes.iter().map(|scope| format!("{indent}  {scope}: write")));
    let grants = scopes.iter().map(|s| format!("`{s}: write`")).collect::<Vec<_>>().join(", ");
    let message = format!(
        "{what} was refused by the token, and the workflow sets no `permissions:`, so the \
         repository's default (read-only unless changed in its settings) applies: grant {grants} \
         in job `{}`",
        job.id.value
    );
    Some(Problem {
        check: CheckId::Permissions,
        severity: Severity::Error,
        file: workflow.path.clone(),
        line,
        message,
        patch: Some(patch::diff(workflow, &[Edit::insert(job.id.line + 1, block)])),
        job: job.id.value.clone(),
        step: step.map(str::to_owned),
        subject: scopes.join(","),
    })
}

/// The indentation of the job's keys: that of the first key line under the job's id.
fn job_key_indent(workflow: &Workflow, job: &Job) -> String {
    let under = workflow.lines.iter().skip(job.id.line).find(|line| {
        let text = line.trim_start();
        !text.is_empty() && !text.starts_with('#')
    });
    under.map_or_else(
        || format!("{}  ", patch::indent_of(workflow, job.id.line)),
        |line| " ".repeat(line.len() - line.trim_start_matches(' ').len()),
    )
}

/// Whether the block grants `scope: write`.
pub fn granted(block: &Permissions, scope: &str) -> bool {
    block.scopes.iter().any(|(name, access)| name == scope && access == "write")
}

fn missing(site: &Site<'_>, block: &Permissions, line: usize, what: &str, scope: &str) -> Problem {
    let current = block
        .scopes
        .iter()
        .find(|(name, _)| name == scope)
        .map_or_else(|| "no access".to_owned(), |(_, access)| format!("`{scope}: {access}`"));
    let shown = block.shorthand.as_deref().map_or(current, |s| format!("`{s}`"));
    let message = format!(
        "{what} needs `{scope}: write`, but the token has {shown} (permissions at line {}): \
         it fails with \"Resource not accessible by integration\" or a denied push",
        block.line
    );
    let patch = block.shorthand.is_none().then(|| {
        let indent = " ".repeat(block.column + 1);
        let existing = site
            .workflow
            .lines
            .iter()
            .enumerate()
            .skip(block.line)
            .take(block.scopes.len() + 8)
            .find(|(_, text)| text.trim_start().starts_with(&format!("{scope}:")));
        let edit = match existing {
            Some((index, text)) => Edit::replace(
                index + 1,
                format!("{}{scope}: write", &text[..text.len() - text.trim_start().len()]),
            ),
            None => Edit::insert(block.line + 1, vec![format!("{indent}{scope}: write")]),
        };
        patch::diff(site.workflow, &[edit])
    });
    site.problem(line, CheckId::Permissions, Severity::Warning, scope, message, patch)
}
