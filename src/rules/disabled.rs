//! Disabled ids that name no rule: a `--disable` typo is refused, an id in a rule file (which
//! may be shared across versions of the rules) is only warned about. Owns their wording.

use super::Rule;
use super::load::{Problem, RuleSources};

/// Disabled ids that name no rule, split by where they were written.
pub struct UnknownDisables {
    /// From `--disable`: refused, as they are likely typos.
    pub command_line: Vec<Problem>,
    /// From rule files: warned about.
    pub in_files: Vec<Problem>,
}

/// `--disable` ids no rule has are likely typos; ids in files may be meant for another
/// version of the rules, so they are only judged when the built-in rules are loaded.
pub fn unknown(
    rules: &[Rule],
    sources: &RuleSources,
    in_files: &[(String, String)],
) -> UnknownDisables {
    let known = |id: &str| rules.iter().any(|rule| rule.id == id);
    let command_line = sources
        .disable
        .iter()
        .filter(|id| !known(id))
        .map(|id| Problem {
            file: "--disable".to_owned(),
            line: None,
            rule: Some(id.clone()),
            message: "no rule has this id; `gha-triage rules list` shows them".to_owned(),
        })
        .collect();
    let in_files = in_files
        .iter()
        .filter(|(_, id)| sources.builtin && !known(id))
        .map(|(file, id)| Problem {
            file: file.clone(),
            line: None,
            rule: Some(id.clone()),
            message: "`disable` names it, but no rule has this id; nothing was switched off"
                .to_owned(),
        })
        .collect();
    UnknownDisables { command_line, in_files }
}
