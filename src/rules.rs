//! Rules: what a failure looks like, as data, compiled once for a one-pass scan.
//! Owns the compiled rule and the set of rules; loading is in `rules::load`, matching a line in
//! `rules::matcher`. It must not rank or aggregate findings: that is `triage`.

pub mod bad_regex;
pub mod builtin;
pub mod disabled;
pub mod examples;
pub mod literal;
pub mod load;
pub mod matcher;
pub mod model;
pub mod placeholders;

use regex::Regex;

use crate::category::{Category, Severity};

pub use load::{LoadError, RuleSources, load};
pub use matcher::Matcher;

/// Where a rule's context line must be found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Within this many lines before or after the match.
    Lines(u32),
    /// Anywhere in the same step.
    Step,
    /// Anywhere in the job's log.
    Job,
}

/// A context condition, compiled.
#[derive(Clone, Debug)]
pub struct Context {
    /// The line to look for.
    pub regex: Regex,
    /// Where it must be found.
    pub reach: Reach,
}

/// What a finding may be a consequence of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SymptomOf {
    /// A finding of the rule with this id.
    Rule(String),
    /// A finding of this category.
    Category(Category),
    /// Any error finding that comes first in the same job.
    Any,
}

/// A compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Stable id.
    pub id: String,
    /// Title template with `{capture}` placeholders.
    pub title: String,
    /// The category of the cause.
    pub category: Category,
    /// Severity for lines the log does not mark.
    pub severity: Severity,
    /// Whether a plain rerun is likely to fix it.
    pub transient: bool,
    /// Higher wins on one line and ranks first among equals.
    pub priority: i32,
    /// The compiled patterns.
    pub patterns: Vec<Regex>,
    /// Lines that must be near a match.
    pub requires: Vec<Context>,
    /// Lines that cancel a match when near.
    pub unless: Vec<Context>,
    /// What this finding is only a symptom of.
    pub symptom_of: Vec<SymptomOf>,
    /// Fix template in markdown.
    pub fix: String,
    /// Links that explain the failure.
    pub references: Vec<String>,
    /// Lines that must match.
    pub matches: Vec<String>,
    /// Lines that must not match.
    pub near_misses: Vec<String>,
    /// The file the rule came from (`builtin:<name>` for embedded ones).
    pub origin: String,
}

impl Rule {
    /// Whether the rule needs context lines to decide.
    pub fn has_conditions(&self) -> bool {
        !self.requires.is_empty() || !self.unless.is_empty()
    }
}

/// Fills `{name}` placeholders from a regex match; unknown names stay as they are.
pub fn fill_template(template: &str, captures: &regex::Captures<'_>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        match captures.name(name) {
            Some(value) if is_capture_name(name) => out.push_str(value.as_str()),
            _ => out.push_str(&rest[open..=open + close + 1]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

fn is_capture_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_from_named_captures() {
        let regex = Regex::new(r"exit code (?P<code>\d+)").unwrap();
        let captures = regex.captures("Process completed with exit code 137.").unwrap();
        assert_eq!(fill_template("exit {code} ({other}) {", &captures), "exit 137 ({other}) {");
    }

    #[test]
    fn code_braces_in_a_fix_survive() {
        let regex = Regex::new(r"x").unwrap();
        let captures = regex.captures("x").unwrap();
        let fix = "use `${{ hashFiles('a') }}` and {a b}";
        assert_eq!(fill_template(fix, &captures), fix);
    }
}
