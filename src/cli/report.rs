//! `gha-triage report PATH|--demo`: the markdown write-up of a failed run.

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_OK, Failure, RuleArgs};
use crate::classify::Engine;
use crate::demo::Demo;
use crate::export::writeup::{self, RunFacts};
use crate::input::{Input, Limits};
use crate::streak;
use crate::triage::run::{JobChoice, classify_run};

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A job log, a folder of logs, a run log zip, or - for standard input.
    #[arg(required_unless_present = "demo")]
    pub path: Option<String>,
    /// Write the report of the embedded demo's Stage 2 run #36 (no token, no network).
    #[arg(long, conflicts_with = "path")]
    pub demo: bool,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Most bytes to unpack from an archive (counted while reading).
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_UNPACKED)]
    pub max_unpacked: u64,
}

/// Runs `report`.
pub fn run(rule_args: &RuleArgs, args: &ReportArgs) -> Result<u8, Failure> {
    let engine = Engine::load(&rule_args.sources()).map_err(Failure::bad_input)?;
    let text = match &args.path {
        Some(path) => {
            let input = Input::open(path).map_err(Failure::bad_input)?;
            let limits = Limits { max_unpacked: args.max_unpacked };
            let report = engine.classify(&input, limits).map_err(Failure::bad_input)?;
            writeup::render(&RunFacts::from_report(&report), &report)
        }
        None => demo_report(&engine)?,
    };
    match &args.output {
        Some(file) => std::fs::write(file, text).map_err(|error| {
            Failure::bad_input(format!("{}: cannot write the report: {error}", file.display()))
        })?,
        None => super::write_stdout(&text)?,
    }
    Ok(EXIT_OK)
}

/// The write-up of the demo's Stage 2 run #36.
pub fn demo_report(engine: &Engine) -> Result<String, Failure> {
    let demo = Demo::load().map_err(Failure::bad_input)?;
    let run = demo.report_run().map_err(Failure::bad_input)?;
    let jobs = demo.jobs(run.id, run.run_attempt).map_err(Failure::bad_input)?;
    let label = format!("{} run {}", crate::demo::REPOSITORY, run.id);
    let report = classify_run(engine, &label, &jobs, JobChoice::Failed, |job| {
        demo.log(job.id).map(|log| Box::new(log) as Box<dyn std::io::Read>)
    })
    .map_err(Failure::bad_input)?;
    let streak = streak::failing_streak(&demo.runs, run);
    let facts = RunFacts::from_run(run, jobs, streak);
    Ok(writeup::render(&facts, &report))
}
