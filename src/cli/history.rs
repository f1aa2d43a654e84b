//! `gha-triage history [--since DATE] [--workflow W] [--format text|json]`: the causes seen most
//! often in a repository's runs, new ones first, with how flaky each was and a flake rate per
//! job. Online it first triages the failed runs in the window the store lacks (through the
//! cached source, so only what is missing is fetched); with `--offline` it reads the store.

use std::collections::HashSet;
use std::fmt::Write as _;

use clap::{Args, ValueEnum};
use jiff::Timestamp;

use super::{EXIT_OK, Failure, LiveArgs, RuleArgs};
use crate::classify::Engine;
use crate::github::model::{Run, Status};
use crate::github::run_filter::WorkflowRef;
use crate::source::Source as _;
use crate::source::cached::CachedSource;
use crate::store::history::{CauseHistory, Counted, History, Window};

/// Output formats of `history`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// A table for a person.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only runs created on or after this day, YYYY-MM-DD (UTC) [default: every run kept].
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Option<jiff::civil::Date>,
    /// Count every finding, symptoms and warnings too, not only root causes.
    #[arg(long)]
    pub all: bool,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = HistoryFormat::Text)]
    pub format: HistoryFormat,
}

/// Runs `history`.
pub fn run(rule_args: &RuleArgs, live: &LiveArgs, args: &HistoryArgs) -> Result<u8, Failure> {
    let since = match args.since {
        Some(day) => Some(
            format!("{day}T00:00:00Z")
                .parse::<Timestamp>()
                .map_err(|error| Failure::bad_input(format!("--since {day}: {error}")))?,
        ),
        None => None,
    };
    let source = super::cache::cached_source(live, super::WaitNotes::Stderr)?;
    if !source.is_offline() {
        let engine = rule_args.engine()?;
        let triaged = fill(&engine, &source, since)?;
        if triaged > 0 {
            super::note(&format!("triaged {triaged} run attempts the local store lacked"));
        }
    }
    let Some(store) = source.store() else {
        return Err(Failure::bad_input(
            "history reads the local store, which could not be opened (see the note above)",
        ));
    };
    let window = Window {
        since,
        workflow: live.runs.workflow.as_deref().map(WorkflowRef::parse),
        counted: if args.all { Counted::Everything } else { Counted::Causes },
    };
    let repo = source.repo().to_string();
    let history = store.history(&repo, &window).map_err(Failure::bad_input)?;
    let text = match args.format {
        HistoryFormat::Json => {
            let json = serde_json::to_string_pretty(&history).map_err(Failure::bad_input)?;
            format!("{json}\n")
        }
        HistoryFormat::Text if history.causes.is_empty() => {
            let read = if source.is_offline() { Read::Store } else { Read::GitHub };
            format!("{}\n", nothing_kept(&repo, args.since, read))
        }
        HistoryFormat::Text => render(&repo, args.since, &history),
    };
    super::write_stdout(&text)?;
    Ok(EXIT_OK)
}

/// Lists the runs (kept as they are listed) and triages each attempt in the window that failed
/// and has no findings kept; reads the jobs of runs whose commit failed, for flakiness. Returns
/// how many attempts were triaged.
fn fill(engine: &Engine, source: &CachedSource, since: Option<Timestamp>) -> Result<u64, Failure> {
    let runs = source.runs().map_err(Failure::bad_input)?;
    let runs: Vec<Run> = runs
        .into_iter()
        .filter(|run| run.status == Some(Status::Completed))
        .filter(|run| since.is_none_or(|since| run.created_at >= since))
        .collect();
    let red: HashSet<(u64, &str)> = runs
        .iter()
        .filter(|run| run.failed() || run.run_attempt.unwrap_or(1) > 1)
        .map(|run| (run.workflow_id.0, run.head_sha.as_str()))
        .collect();
    let store = source.store();
    let mut triaged = 0;
    for run in runs.iter().filter(|run| red.contains(&(run.workflow_id.0, run.head_sha.as_str()))) {
        for attempt in 1..=run.run_attempt.unwrap_or(1) {
            let jobs = match source.attempt_jobs(run.id, attempt) {
                Ok(jobs) => jobs,
                Err(error) => {
                    super::note(&format!("run {} attempt {attempt}: {error}", run.id));
                    continue;
                }
            };
            let kept = store.is_some_and(|store| store.triaged(run.id, attempt).unwrap_or(false));
            if kept || !jobs.iter().any(crate::github::model::Job::failed) {
                continue;
            }
            match super::report::triage_live_run(engine, source, run, Some(attempt), true) {
                Ok(_) => triaged += 1,
                Err(failure) => super::note(&format!("run {}: {}", run.id, failure.message)),
            }
        }
    }
    Ok(triaged)
}

/// The table: one row per cause, where it was seen below it, then the flaky jobs.
fn render(repo: &str, since: Option<jiff::civil::Date>, history: &History) -> String {
    let mut out = String::new();
    let window = since.map_or_else(|| "in every run kept".to_owned(), |day| format!("since {day}"));
    let runs = if history.runs == 1 { "run" } else { "runs" };
    let _ = writeln!(out, "causes in {repo} {window}: {} {runs} with a cause\n", history.runs);
    let _ = writeln!(out, "     RUNS  FLAKY  FIRST SEEN  LAST SEEN   CAUSE");
    for cause in &history.causes {
        row(&mut out, cause);
    }
    let flaky: Vec<_> = history.jobs.iter().filter(|job| job.flaky_runs > 0).collect();
    if !flaky.is_empty() {
        out.push_str("\nflaky jobs (failed, then passed on the same commit)\n");
        for job in flaky {
            let _ = writeln!(
                out,
                "  {} › {}: {} of {} failed runs",
                job.workflow, job.job, job.flaky_runs, job.failed_runs
            );
        }
    }
    out
}

/// Where the history was read from, for the words of an empty one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Read {
    /// The local store alone (`--offline`).
    Store,
    /// GitHub's runs, the failed ones the store lacked triaged first.
    GitHub,
}

/// What an empty history says: what was looked at, and what would fill it.
fn nothing_kept(repo: &str, since: Option<jiff::civil::Date>, read: Read) -> String {
    match (read, since) {
        (Read::Store, None) => format!(
            "no causes kept for {repo} yet: triage a failed run online first \
             (gha-triage history without --offline does it for every failed run)"
        ),
        (Read::Store, Some(day)) => format!(
            "no causes kept for {repo} since {day}: gha-triage history without --offline \
             triages the failed runs since then"
        ),
        (Read::GitHub, None) => {
            format!("no causes found for {repo}: none of its failed runs GitHub lists had one")
        }
        (Read::GitHub, Some(day)) => format!(
            "no causes found for {repo} since {day}: none of its failed runs GitHub lists had one"
        ),
    }
}

fn row(out: &mut String, cause: &CauseHistory) {
    let new = if cause.new { "new" } else { "" };
    let flaky = if cause.flaky_runs > 0 {
        format!("{}/{}", cause.flaky_runs, cause.runs)
    } else {
        "-".to_owned()
    };
    let _ = writeln!(
        out,
        "{new:<4}{:>5}  {flaky:>5}  {}  {}  {} [{}]",
        cause.runs,
        cause.first_seen.strftime("%Y-%m-%d"),
        cause.last_seen.strftime("%Y-%m-%d"),
        cause.title,
        cause.rule
    );
    let _ = writeln!(
        out,
        "{:44}{} › {} on {}",
        "",
        cause.workflows.join(", "),
        cause.jobs.join(", "),
        cause.branches.join(", ")
    );
}

/// A day as `--since` takes it: `YYYY-MM-DD`, or a timestamp, whose day in UTC is taken.
fn parse_day(text: &str) -> Result<jiff::civil::Date, String> {
    if let Ok(day) = text.parse::<jiff::civil::Date>() {
        return Ok(day);
    }
    if let Ok(moment) = text.parse::<Timestamp>() {
        return Ok(jiff::tz::TimeZone::UTC.to_datetime(moment).date());
    }
    Err(format!("`{text}` is not a day: give YYYY-MM-DD (UTC), such as 2025-12-14"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_day_or_a_timestamp_and_says_what_it_wants_otherwise() {
        let day: jiff::civil::Date = "2025-12-14".parse().unwrap();
        assert_eq!(parse_day("2025-12-14"), Ok(day));
        assert_eq!(parse_day("2025-12-14T23:30:00Z"), Ok(day));
        let error = parse_day("notadate").unwrap_err();
        assert!(error.contains("`notadate` is not a day: give YYYY-MM-DD"), "{error}");
    }
}
