//! `gha-triage runs`: the repository's runs on GitHub, newest first, through the run-list
//! filters, as a table for a person or JSON for scripts.

use std::fmt::Write as _;

use clap::{Args, ValueEnum};

use super::{EXIT_OK, Failure, LiveArgs};
use crate::github::model::Run;

/// Output formats of `runs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RunsFormat {
    /// One line per run.
    Text,
    /// The runs' REST JSON, as an array.
    Json,
}

/// Arguments of `runs`.
#[derive(Debug, Args)]
pub struct RunsArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = RunsFormat::Text)]
    pub format: RunsFormat,
}

/// Runs `runs`.
pub fn run(live: &LiveArgs, args: &RunsArgs) -> Result<u8, Failure> {
    // ETags kept in the local store, so that listing again costs a 304 when nothing changed.
    let etags = crate::store::Store::open_default().ok().map(|store| {
        std::sync::Arc::new(store) as std::sync::Arc<dyn crate::github::etags::EtagStore>
    });
    let source = live.source_with(super::WaitNotes::Stderr, etags)?;
    let runs = source.filtered_runs().map_err(Failure::bad_input)?;
    let text = match args.format {
        RunsFormat::Json => serde_json::to_string_pretty(&runs)
            .map(|json| json + "\n")
            .map_err(|error| Failure::bad_input(format!("cannot write the runs: {error}")))?,
        RunsFormat::Text => table(&runs),
    };
    if runs.is_empty() {
        let filter = source.filter().describe();
        let which = if filter.is_empty() { String::new() } else { format!(" with {filter}") };
        super::note(&format!("{} has no runs{which}", source.repo()));
    }
    super::write_stdout(&text)
        .map(|()| EXIT_OK)
        .map_err(|failure| Failure::bad_input(failure.message))
}

/// One line per run: id, state, workflow and number, branch, event, actor, creation, title.
fn table(runs: &[Run]) -> String {
    let mut out = String::new();
    for run in runs {
        let state = match (run.conclusion, run.status) {
            (Some(conclusion), _) => conclusion.id().to_owned(),
            (None, Some(status)) => format!("{status:?}").to_lowercase(),
            (None, None) => "unknown".to_owned(),
        };
        let workflow = run.name.as_deref().unwrap_or("?");
        let branch = run.head_branch.as_deref().unwrap_or("-");
        let actor = run.actor.as_ref().map_or("-", |actor| actor.login.as_str());
        let _ = writeln!(
            out,
            "{:<12} {:<12} {} #{}  {}  {}  {}  {}  {}",
            run.id,
            state,
            workflow,
            run.run_number,
            branch,
            run.event,
            actor,
            run.created_at.strftime("%Y-%m-%d %H:%M"),
            run.title()
        );
    }
    out
}
