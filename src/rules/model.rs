//! The rule file format as written by people: serde types for TOML, nothing compiled.
//! Owns the schema and its defaults; validation and regex compilation live in `rules::load`.

use serde::Deserialize;
use toml::Spanned;

/// One rule file: a list of `[[rule]]` tables and ids to switch off.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Ids of rules (built-in or earlier files) to switch off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// The rules this file defines or replaces.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
}

/// A rule as written in TOML.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable kebab-case id; a later file's rule with the same id replaces the earlier one.
    pub id: Spanned<String>,
    /// One line a person reads first; may use `{capture}` placeholders.
    pub title: Spanned<String>,
    /// One category id from `spec/categories.md`.
    pub category: Spanned<String>,
    /// `error`, `warning` or `notice` for lines the log itself does not mark.
    #[serde(default = "default_severity")]
    pub severity: Spanned<String>,
    /// Whether a plain rerun is likely to fix it.
    #[serde(default)]
    pub transient: bool,
    /// Which rule wins when two match one line, and the order of causes of equal severity.
    #[serde(default = "default_priority")]
    pub priority: i32,
    /// Regexes tried against the line as a reader sees it (no timestamp, marker or colour).
    pub patterns: Vec<Spanned<String>>,
    /// Lines that must appear near the match for it to count.
    #[serde(default)]
    pub requires: Vec<ContextSpec>,
    /// Lines whose presence near the match cancels it.
    #[serde(default)]
    pub unless: Vec<ContextSpec>,
    /// What this finding is only a symptom of: rule ids, `category:<id>`, or `any`.
    #[serde(default)]
    pub symptom_of: Vec<Spanned<String>>,
    /// The suggested fix in markdown; may use `{capture}` placeholders.
    #[serde(default = "no_fix")]
    pub fix: Spanned<String>,
    /// Links that explain the failure.
    #[serde(default)]
    pub references: Vec<String>,
    /// Lines that must match, worded as real logs word them.
    #[serde(default)]
    pub matches: Vec<String>,
    /// Near misses that must not match.
    #[serde(default)]
    pub near_misses: Vec<String>,
}

/// A context condition: a regex and where it must (or must not) be found.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextSpec {
    /// Regex tried against readable lines around the match.
    pub pattern: Spanned<String>,
    /// How many lines before or after the match to look; ignored when `scope` is given.
    #[serde(default)]
    pub within: Option<u32>,
    /// `step` or `job`: look anywhere in the same step or in the whole job log.
    #[serde(default)]
    pub scope: Option<Spanned<String>>,
}

fn default_severity() -> Spanned<String> {
    Spanned::new(0..0, "error".to_owned())
}

fn no_fix() -> Spanned<String> {
    Spanned::new(0..0, String::new())
}

fn default_priority() -> i32 {
    50
}
