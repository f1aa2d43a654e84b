//! Running a rule's own examples: each `matches` line must be matched by a pattern of the rule
//! and picked by the prefilter, and each `near_misses` line must not be matched by it.

use super::{Matcher, Rule};
use crate::joblog::line;

/// One example that did not behave as its rule says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    /// The rule's id.
    pub rule: String,
    /// The file the rule came from.
    pub origin: String,
    /// The example line.
    pub example: String,
    /// What went wrong.
    pub problem: String,
}

/// Checks every example of every rule; an empty list means all pass.
pub fn check(rules: &[Rule], matcher: &Matcher) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for (index, rule) in rules.iter().enumerate() {
        let fail = |example: &str, problem: &str| ExampleFailure {
            rule: rule.id.clone(),
            origin: rule.origin.clone(),
            example: example.to_owned(),
            problem: problem.to_owned(),
        };
        for example in &rule.matches {
            let text = clean(example);
            if !rule.patterns.iter().any(|regex| regex.is_match(&text)) {
                failures.push(fail(example, "should match but does not match any pattern"));
            } else if !matcher.text_may_match(&text) || !hits_rule(matcher, &text, index) {
                failures.push(fail(
                    example,
                    "matches a pattern, but the literal prefilter would skip this line",
                ));
            }
        }
        for example in &rule.near_misses {
            if hits_rule(matcher, &clean(example), index) {
                failures.push(fail(example, "is a near miss but matches"));
            }
        }
    }
    failures
}

fn hits_rule(matcher: &Matcher, text: &str, rule: usize) -> bool {
    matcher.hits(text).patterns.iter().any(|(owner, _)| *owner == rule)
}

/// An example as a pattern sees it, whatever real form it was written in.
fn clean(example: &str) -> String {
    let columns = line::looks_like_gh_columns(example.as_bytes());
    line::readable(line::split(example.as_bytes(), columns).message)
}
