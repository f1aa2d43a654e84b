//! Check 6 of issue #6: action versions known to fail (cache actions before the current cache
//! service, retired artifact actions) or to run on retired Node runtimes. The table is data in
//! `assets/workflow/actions.toml`; this file only applies it. Refs that are not `vN` tags (SHAs,
//! branches) are left alone.

use serde::Deserialize;

use super::Site;
use crate::category::Severity;
use crate::workflow::patch::{self, Edit};
use crate::workflow::repo::RepoView;
use crate::workflow::{CheckId, Problem};

const TABLE: &str = include_str!("../../../assets/workflow/actions.toml");

#[derive(Deserialize)]
struct Table {
    action: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    names: Vec<String>,
    below: u32,
    upgrade: String,
    severity: String,
    reason: String,
}

/// Finds outdated action versions.
pub fn check(repo: &RepoView, out: &mut Vec<Problem>) {
    let table: Table =
        toml::from_str(TABLE).expect("assets/workflow/actions.toml is checked by a test");
    for workflow in &repo.workflows {
        for job in &workflow.jobs {
            for (index, step) in job.steps.iter().enumerate() {
                let Some(uses) = &step.uses else { continue };
                let Some(major) = uses.major() else { continue };
                let action = uses.action.to_ascii_lowercase();
                let Some(entry) = table.action.iter().find(|e| e.names.contains(&action)) else {
                    continue;
                };
                if major >= entry.below {
                    continue;
                }
                let version = uses.version.as_deref().unwrap_or_default();
                let message = format!(
                    "`{}@{version}` {}: upgrade to `{}@{}`",
                    uses.action, entry.reason, uses.action, entry.upgrade
                );
                let text = &workflow.lines[uses.line - 1];
                let old = format!("@{version}");
                let fixed = text.replacen(&old, &format!("@{}", entry.upgrade), 1);
                let patch = patch::diff(workflow, &[Edit::replace(uses.line, fixed)]);
                let severity =
                    if entry.severity == "error" { Severity::Error } else { Severity::Warning };
                let site = Site { repo, workflow, job, step: index };
                let subject = format!("{}@{version}", uses.action);
                out.push(site.problem(
                    uses.line,
                    CheckId::DeprecatedAction,
                    severity,
                    &subject,
                    message,
                    Some(patch),
                ));
            }
        }
    }
}
