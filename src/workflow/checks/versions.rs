//! Check 6 of issue #6: action versions known to fail (cache actions and toolkit-based caching
//! before the current cache service, retired artifact actions) or to run on retired Node
//! runtimes. The table is data in `assets/workflow/actions.toml`; this file only applies it,
//! comparing whole versions (a floating `v3` is the newest 3.x). Refs that are not versions
//! (SHAs, branches) are left alone.

use serde::Deserialize;

use super::Site;
use crate::category::Severity;
use crate::workflow::model::{Step, Uses};
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
    fixed: Vec<String>,
    #[serde(default = "judged")]
    older_majors: bool,
    #[serde(default)]
    when_input: Option<String>,
    upgrade: String,
    severity: String,
    reason: String,
}

fn judged() -> bool {
    true
}

/// A version as a ref names it: `[major, minor, patch]`, the parts left out standing for the
/// newest release the ref floats to.
type Version = [u64; 3];

impl Entry {
    /// Whether this entry judges `step`'s `uses` outdated.
    fn outdates(&self, step: &Step, uses: &Uses, version: Version) -> bool {
        let named = self.names.iter().any(|name| uses.action.eq_ignore_ascii_case(name));
        let input = self.when_input.as_deref().is_none_or(|input| step.input(input).is_some());
        if !named || !input {
            return false;
        }
        let fixed: Vec<Version> = self.fixed.iter().filter_map(|v| ref_version(v)).collect();
        match fixed.iter().find(|first| first[0] == version[0]) {
            Some(first) => version < *first,
            None => self.older_majors && fixed.iter().all(|first| version[0] < first[0]),
        }
    }

    fn severity(&self) -> Severity {
        match self.severity.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Notice,
        }
    }
}

/// The version a ref names (`v4`, `v4.1`, `4.2.0`), or none for a SHA, a branch or a
/// pre-release.
fn ref_version(reference: &str) -> Option<Version> {
    let digits = reference.strip_prefix('v').unwrap_or(reference);
    let parts: Vec<&str> = digits.split('.').collect();
    if parts.is_empty() || parts.len() > 3 || parts[0].len() > 6 {
        return None;
    }
    let mut version = [u64::MAX; 3];
    for (slot, part) in version.iter_mut().zip(&parts) {
        *slot = part.parse().ok()?;
    }
    Some(version)
}

/// Finds outdated action versions.
pub fn check(repo: &RepoView, out: &mut Vec<Problem>) {
    let table: Table =
        toml::from_str(TABLE).expect("assets/workflow/actions.toml is checked by a test");
    for workflow in &repo.workflows {
        for job in &workflow.jobs {
            for (index, step) in job.steps.iter().enumerate() {
                let Some(uses) = &step.uses else { continue };
                let Some(version) = uses.version.as_deref().and_then(ref_version) else {
                    continue;
                };
                let Some(entry) = table.action.iter().find(|e| e.outdates(step, uses, version))
                else {
                    continue;
                };
                let version = uses.version.as_deref().unwrap_or_default();
                let message = format!(
                    "`{}@{version}` {}: upgrade to `{}@{}`",
                    uses.action, entry.reason, uses.action, entry.upgrade
                );
                let text = &workflow.lines[uses.line - 1];
                let old = format!("@{version}");
                let fixed = text.replacen(&old, &format!("@{}", entry.upgrade), 1);
                let patch = patch::diff(workflow, &[Edit::replace(uses.line, fixed)]);
                let site = Site { repo, workflow, job, step: index };
                let subject = format!("{}@{version}", uses.action);
                out.push(site.problem(
                    uses.line,
                    CheckId::DeprecatedAction,
                    entry.severity(),
                    &subject,
                    message,
                    Some(patch),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::model::Located;

    #[test]
    fn the_table_parses() {
        let table: Table = toml::from_str(TABLE).expect("actions.toml");
        assert!(table.action.iter().all(|e| e.fixed.iter().all(|v| ref_version(v).is_some())));
    }

    #[test]
    fn no_upgrade_lands_on_a_version_the_table_flags() {
        let table: Table = toml::from_str(TABLE).expect("actions.toml");
        let inputs = table.action.iter().filter_map(|e| e.when_input.clone());
        let with = inputs.map(|input| (input, Located { value: "true".into(), line: 1 })).collect();
        let step = Step { with, ..Step::default() };
        for entry in &table.action {
            let version = ref_version(&entry.upgrade).expect("an upgrade is a version");
            for name in &entry.names {
                let uses = Uses { action: name.clone(), version: None, line: 1 };
                let judge = table.action.iter().find(|e| e.outdates(&step, &uses, version));
                assert!(judge.is_none(), "{name}@{} is flagged again", entry.upgrade);
            }
        }
    }

    #[test]
    fn left_out_parts_float_to_the_newest_release() {
        assert_eq!(ref_version("v3"), Some([3, u64::MAX, u64::MAX]));
        assert!(ref_version("v4.1").unwrap() < ref_version("4.2.0").unwrap());
        assert!(ref_version("v4.2").unwrap() >= ref_version("4.2.0").unwrap());
        assert_eq!(ref_version("8f152de45cc393bb48ce5d89d36b731f54556e65"), None);
        assert_eq!(ref_version("main"), None);
    }
}
