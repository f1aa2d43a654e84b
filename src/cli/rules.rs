//! `gha-triage rules list|check|test`: see the rules in effect, validate files, run examples.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Subcommand;

use super::{EXIT_FINDING, EXIT_OK, Failure, RuleArgs};
use crate::classify::Engine;
use crate::rules::{RuleSources, examples};

/// The `rules` subcommands.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules in effect: id, category, severity, priority, origin.
    List,
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
        RulesCommand::List => list(rule_args),
        RulesCommand::Check { files } => check(files),
        RulesCommand::Test { files } => test(rule_args, files),
    }
}

fn list(rule_args: &RuleArgs) -> Result<u8, Failure> {
    let engine = Engine::load(&rule_args.sources()).map_err(Failure::bad_input)?;
    let mut out = String::new();
    let _ = writeln!(out, "{:<40} {:<13} {:<8} {:>3}  origin", "id", "category", "severity", "pri");
    for rule in &engine.rules {
        let _ = writeln!(
            out,
            "{:<40} {:<13} {:<8} {:>3}  {}",
            rule.id, rule.category, rule.severity, rule.priority, rule.origin
        );
    }
    let _ = writeln!(out, "{} rules", engine.rules.len());
    super::write_stdout(&out)?;
    Ok(EXIT_OK)
}

fn check(files: &[PathBuf]) -> Result<u8, Failure> {
    let sources = RuleSources { builtin: false, files: files.to_vec(), disable: Vec::new() };
    let engine = Engine::load(&sources).map_err(Failure::bad_input)?;
    let mut out = String::new();
    for warning in &engine.warnings {
        let _ = writeln!(out, "warning: {warning}");
    }
    let _ = writeln!(out, "{} rules, no errors", engine.rules.len());
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
        "{} passed, {} failed ({} rules)",
        examples - failures.len(),
        failures.len(),
        engine.rules.len()
    );
    super::write_stdout(&out)?;
    Ok(if failures.is_empty() { EXIT_OK } else { EXIT_FINDING })
}
