//! `gha-triage report PATH|--demo`: the markdown write-up of a failed run.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_OK, Failure, RuleArgs};
use crate::classify::Engine;
use crate::export;
use crate::input::{Input, Limits};

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A job log, a folder of logs, a run log zip, or - for standard input.
    #[arg(required_unless_present = "demo")]
    pub path: Option<String>,
    /// Write the report of the embedded demo's Stage 2 run #36.
    #[arg(long, conflicts_with = "path")]
    pub demo: bool,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Runs `report`.
pub fn run(rule_args: &RuleArgs, args: &ReportArgs) -> Result<u8, Failure> {
    let engine = Engine::load(&rule_args.sources()).map_err(Failure::bad_input)?;
    let Some(path) = &args.path else {
        return Err(Failure::bad_input("the demo report arrives with the demo data"));
    };
    let input = Input::open(path).map_err(Failure::bad_input)?;
    let report = engine.classify(&input, Limits::default()).map_err(Failure::bad_input)?;
    let text = export::markdown::findings(&report);
    match &args.output {
        Some(file) => std::fs::write(file, text).map_err(|error| {
            Failure::bad_input(format!("{}: cannot write the report: {error}", file.display()))
        })?,
        None => super::write_stdout(&text)?,
    }
    Ok(EXIT_OK)
}
