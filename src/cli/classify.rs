//! `gha-triage classify PATH|-|--run ID`: findings for a person, for scripts (JSON) or as
//! markdown, from local logs or a run on GitHub (only its failed jobs' logs are read).

use clap::{Args, ValueEnum};

use super::{EXIT_FINDING, EXIT_OK, Failure, LiveArgs, RuleArgs};
use crate::category::Severity;
use crate::export;
use crate::input::{Input, Limits};

/// Output formats of `classify`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For a person at a terminal (colour only on a terminal; `NO_COLOR` honoured).
    Text,
    /// The JSON contract for scripts.
    Json,
    /// GitHub-flavoured markdown.
    Markdown,
}

/// The lowest severity that makes `--fail-on` exit with 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any error finding.
    Error,
    /// Any warning or error finding.
    Warning,
    /// Any finding at all.
    Notice,
}

impl FailOn {
    fn reached_by(self, severity: Severity) -> bool {
        let threshold = match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Notice => Severity::Notice,
        };
        severity <= threshold
    }
}

/// Arguments of `classify`: a path or `--run`, one of the two, which the usage line shows.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["path", "run"])))]
pub struct ClassifyArgs {
    /// A job log, a folder of logs, a run log zip, or - for standard input.
    pub path: Option<String>,
    /// A run on GitHub, by id, instead of a path (see --repo).
    #[arg(long, value_name = "ID", value_parser = super::act::github_id)]
    pub run: Option<u64>,
    /// The run's attempt [default: the latest].
    #[arg(long, value_name = "N", requires = "run", conflicts_with = "path")]
    pub attempt: Option<u32>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with 1 when a finding reaches this severity.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Most bytes to unpack from an archive, counted while reading (`8GiB`, `500MB`, `100000`).
    #[arg(long, value_name = "SIZE", default_value = crate::input::DEFAULT_MAX_UNPACKED_TEXT)]
    pub max_unpacked: bytesize::ByteSize,
    /// With --run: the findings of the job logs alone, leaving the run's workflow files unread
    /// (2 + 2F requests for F failed jobs instead of 3 + 2F + W for W workflow files).
    #[arg(long, requires = "run", conflicts_with = "path")]
    pub logs_only: bool,
}

/// Runs `classify`.
pub fn run(rule_args: &RuleArgs, live: &LiveArgs, args: &ClassifyArgs) -> Result<u8, Failure> {
    let engine = rule_args.engine()?;
    let report = match (&args.path, args.run) {
        (Some(path), _) => {
            let input = Input::open(path).map_err(Failure::bad_input)?;
            let limits = Limits { max_unpacked: args.max_unpacked.as_u64() };
            engine.classify(&input, limits).map_err(Failure::bad_input)?
        }
        (None, run) => {
            let source = super::cache::cached_source(live, super::WaitNotes::Stderr)?;
            let id = crate::github::model::RunId(run.unwrap_or_default());
            let run = source.run(id).map_err(Failure::bad_input)?;
            let with_workflows = !args.logs_only;
            super::report::triage_live_run(&engine, &source, &run, args.attempt, with_workflows)?.1
        }
    };

    let text = match args.format {
        Format::Text => export::text::render(&report),
        Format::Json => export::json::render(&report),
        Format::Markdown => export::markdown::findings(&report),
    };
    super::write_stdout(&text)?;

    let failed = args
        .fail_on
        .is_some_and(|fail_on| report.findings.iter().any(|f| fail_on.reached_by(f.severity)));
    Ok(if failed { EXIT_FINDING } else { EXIT_OK })
}
