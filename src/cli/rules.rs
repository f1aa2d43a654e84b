//! `gha-triage rules list|check|test`: see the rules in effect, validate files, run examples.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Subcommand;
use regex_syntax::ast::{Ast, GroupKind};

use super::{EXIT_FINDING, EXIT_OK, Failure, RuleArgs};
use crate::classify::Engine;
use crate::rules::{RuleSources, examples};

/// The `rules` subcommands.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules in effect: id, category, severity, priority, origin.
    List {
        /// Print every pattern instead, one per line, capture names removed (for `rg -f`).
        #[arg(long)]
        patterns: bool,
    },
    /// Validate rule files: every problem names the file, rule id and line.
    Check {
        /// Rule files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run the examples of the built-in rules, or of the given files.
    Test {
        /// Rule files whose examples to run (default: the rules in effect).
        files: Vec<PathBuf>,
    },
}

/// Runs a `rules` subcommand.
pub fn run(rule_args: &RuleArgs, command: &RulesCommand) -> Result<u8, Failure> {
    match command {
        RulesCommand::List { patterns: false } => list(rule_args),
        RulesCommand::List { patterns: true } => list_patterns(rule_args),
        RulesCommand::Check { files } => check(files),
        RulesCommand::Test { files } => test(rule_args, files),
    }
}

fn list(rule_args: &RuleArgs) -> Result<u8, Failure> {
    let engine = rule_args.engine()?;
    let mut out = String::new();
    let _ = writeln!(out, "{:<40} {:<13} {:<8} {:>3}  origin", "id", "category", "severity", "pri");
    for rule in &engine.rules {
        let _ = writeln!(
            out,
            "{:<40} {:<13} {:<8} {:>3}  {}",
            rule.id,
            rule.category.to_string(),
            rule.severity.to_string(),
            rule.priority,
            rule.origin
        );
    }
    let _ = writeln!(out, "{}", rules_count(engine.rules.len()));
    super::write_stdout(&out)?;
    Ok(EXIT_OK)
}

/// Every main and context pattern in effect, once each, as plain regexes other tools accept.
fn list_patterns(rule_args: &RuleArgs) -> Result<u8, Failure> {
    let engine = rule_args.engine()?;
    let mut seen = HashSet::new();
    let mut out = String::new();
    for rule in &engine.rules {
        let contexts = rule.requires.iter().chain(&rule.unless).map(|context| &context.regex);
        for regex in rule.patterns.iter().chain(contexts) {
            let plain = without_capture_names(regex.as_str());
            if seen.insert(plain.clone()) {
                let _ = writeln!(out, "{plain}");
            }
        }
    }
    super::write_stdout(&out)?;
    Ok(EXIT_OK)
}

/// The pattern with `(?P<name>…)` and `(?<name>…)` turned into plain `(…)` groups.
fn without_capture_names(pattern: &str) -> String {
    let Ok(ast) = regex_syntax::ast::parse::Parser::new().parse(pattern) else {
        return pattern.to_owned();
    };
    let Ok(names) = regex_syntax::ast::visit(&ast, CaptureNames::default()) else {
        return pattern.to_owned();
    };
    let mut plain = String::with_capacity(pattern.len());
    let mut copied = 0;
    for (open, close) in names {
        plain.push_str(&pattern[copied..=open]);
        copied = close + 1;
    }
    plain.push_str(&pattern[copied..]);
    plain
}

/// Collects, for each named group, the offsets of its `(` and of the `>` closing its name.
#[derive(Default)]
struct CaptureNames(Vec<(usize, usize)>);

impl regex_syntax::ast::Visitor for CaptureNames {
    type Output = Vec<(usize, usize)>;
    type Err = ();

    fn finish(mut self) -> Result<Self::Output, ()> {
        self.0.sort_unstable();
        Ok(self.0)
    }

    fn visit_pre(&mut self, ast: &Ast) -> Result<(), ()> {
        if let Ast::Group(group) = ast
            && let GroupKind::CaptureName { name, .. } = &group.kind
        {
            self.0.push((group.span.start.offset, name.span.end.offset));
        }
        Ok(())
    }
}

fn check(files: &[PathBuf]) -> Result<u8, Failure> {
    let sources = RuleSources { builtin: false, files: files.to_vec(), disable: Vec::new() };
    let engine = Engine::load(&sources).map_err(Failure::bad_input)?;
    let mut out = String::new();
    for warning in &engine.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    let _ = writeln!(out, "{}, no errors", rules_count(engine.rules.len()));
    super::write_stdout(&out)?;
    Ok(EXIT_OK)
}

fn test(rule_args: &RuleArgs, files: &[PathBuf]) -> Result<u8, Failure> {
    let sources = if files.is_empty() {
        rule_args.sources()
    } else {
        RuleSources { builtin: false, files: files.to_vec(), disable: Vec::new() }
    };
    let engine = Engine::load(&sources).map_err(Failure::bad_input)?;
    let failures = examples::check(&engine.rules, &engine.matcher);
    let examples: usize =
        engine.rules.iter().map(|rule| rule.matches.len() + rule.near_misses.len()).sum();
    let mut out = String::new();
    for failure in &failures {
        let _ = writeln!(
            out,
            "FAIL {}: rule `{}`: {}: {:?}",
            failure.origin, failure.rule, failure.problem, failure.example
        );
    }
    let _ = writeln!(
        out,
        "{} passed, {} failed ({})",
        examples - failures.len(),
        failures.len(),
        rules_count(engine.rules.len())
    );
    super::write_stdout(&out)?;
    Ok(if failures.is_empty() { EXIT_OK } else { EXIT_FINDING })
}

/// "1 rule", "2 rules".
fn rules_count(count: usize) -> String {
    format!("{count} rule{}", if count == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_names_are_removed_and_the_rest_is_kept() {
        let pattern = r"^error\[E(?P<code>\d{4})\]: (?<message>.+) \(?P<x>\) [(?P<y>]";
        assert_eq!(without_capture_names(pattern), r"^error\[E(\d{4})\]: (.+) \(?P<x>\) [(?P<y>]");
    }
}
