//! `gha-triage report PATH|--demo|--run ID`: the markdown write-up of a failed run, from
//! local logs, the demo, or live GitHub (the latest failed run when no id is given).

use std::path::PathBuf;

use clap::Args;

use super::{EXIT_OK, Failure, LiveArgs, RuleArgs};
use crate::classify::Engine;
use crate::demo::Demo;
use crate::export::writeup::{self, RunFacts};
use crate::github::actions_env::{ActionsEnv, TriggeringRun, append_step_summary};
use crate::github::compare::Comparison;
use crate::github::error::GithubError;
use crate::github::model::{Job, Run, RunId};
use crate::input::{Input, Limits};
use crate::source::Source as _;
use crate::source::cached::CachedSource;
use crate::streak;
use crate::triage::Report;
use crate::triage::run::{JobChoice, classify_run_annotated};

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A job log, a folder of logs, a run log zip, or - for standard input [default: the
    /// latest failed run of the repository on GitHub].
    pub path: Option<String>,
    /// Write the report of the embedded demo's Stage 2 run #36 (no token, no network).
    #[arg(long, conflicts_with_all = ["path", "run"])]
    pub demo: bool,
    /// A run on GitHub, by id (see --repo).
    #[arg(long, value_name = "ID", value_parser = super::act::github_id, conflicts_with = "path")]
    pub run: Option<u64>,
    /// The run's attempt [default: the latest].
    #[arg(long, value_name = "N", conflicts_with_all = ["path", "demo"])]
    pub attempt: Option<u32>,
    /// Write to this file instead of standard output (`-` is standard output).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Most bytes to unpack from an archive, counted while reading (`8GiB`, `500MB`, `100000`).
    #[arg(long, value_name = "SIZE", default_value = crate::input::DEFAULT_MAX_UNPACKED_TEXT)]
    pub max_unpacked: bytesize::ByteSize,
    /// Leave the workflow files out: the write-up from the job logs alone, as for a run whose
    /// workflow files cannot be read (on GitHub: 1 + W fewer requests for W workflow files).
    #[arg(long)]
    pub logs_only: bool,
    /// Cut the write-up at a line end, with a note, to fit where it will be posted.
    #[arg(long, value_enum, value_name = "WHERE")]
    pub fit: Option<Fit>,
}

/// Where a write-up must fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Fit {
    /// An issue or pull-request comment: 65,536 characters.
    Comment,
}

/// Runs `report`.
pub fn run(rule_args: &RuleArgs, live: &LiveArgs, args: &ReportArgs) -> Result<u8, Failure> {
    let engine = rule_args.engine()?;
    let text = match &args.path {
        Some(path) => {
            let input = Input::open(path).map_err(Failure::bad_input)?;
            let limits = Limits { max_unpacked: args.max_unpacked.as_u64() };
            let report = engine.classify(&input, limits).map_err(Failure::bad_input)?;
            writeup::render(&RunFacts::from_report(&report), &report)
        }
        None if args.demo => demo_report(&engine, !args.logs_only)?,
        None => live_report(&engine, live, args)?,
    };
    let text = match args.fit {
        Some(Fit::Comment) => crate::github::actions_env::fit_comment(&text),
        None => text,
    };
    match args.output.as_ref().filter(|file| file.as_os_str() != "-") {
        Some(file) => std::fs::write(file, text).map_err(|error| {
            Failure::bad_input(format!("{}: cannot write the report: {error}", file.display()))
        })?,
        None => super::write_stdout(&text)?,
    }
    Ok(EXIT_OK)
}

/// The write-up of the demo's Stage 2 run #36, its findings linked to the embedded workflow
/// files unless `with_workflows` is false.
pub fn demo_report(engine: &Engine, with_workflows: bool) -> Result<String, Failure> {
    let demo = Demo::load().map_err(Failure::bad_input)?;
    let run = demo.report_run().map_err(Failure::bad_input)?;
    let jobs = demo.jobs(run.id, run.run_attempt).map_err(Failure::bad_input)?;
    let label = format!("{} run {}", crate::demo::REPOSITORY, run.id);
    let mut report = classify_run_annotated(
        engine,
        &label,
        &jobs,
        JobChoice::Failed,
        |job| demo.log(job.id).map(|log| Box::new(log) as Box<dyn std::io::Read>),
        |job| demo.annotations(job.id).unwrap_or_default(),
    )
    .map_err(Failure::bad_input)?;
    if with_workflows {
        let view = crate::workflow::repo::RepoView::demo().map_err(Failure::bad_input)?;
        crate::workflow::link::link_run(&mut report, &view, run, &jobs);
    }
    let streak = streak::failing_streak(&demo.runs, run);
    let suspects =
        match streak.as_ref().and_then(|streak| Some((streak.last_green.as_ref()?, streak))) {
            Some((green, streak)) => demo
                .compare(&green.head_sha, &streak.first_red.head_sha)
                .map_err(Failure::bad_input)?,
            None => None,
        };
    let facts = RunFacts::from_run(run, jobs, streak).with_suspects(suspects);
    Ok(writeup::render(&facts, &report))
}

/// The most runs of the workflow and branch read for the failing streak.
const STREAK_RUNS: usize = 50;

/// The write-up of a run on GitHub: `--run ID`, else the latest failed run.
fn live_report(engine: &Engine, live: &LiveArgs, args: &ReportArgs) -> Result<String, Failure> {
    let source = super::cache::cached_source(live, super::WaitNotes::Stderr)?;
    if source.is_offline() {
        return offline_report(engine, &source, args);
    }
    let actions = ActionsEnv::from_process();
    let triggered = actions.as_ref().filter(|_| args.run.is_none()).and_then(triggering_run);
    let chosen = args.run.map(RunId).or(triggered.map(|triggered| triggered.run));
    let attempt = args.attempt.or(triggered.and_then(|triggered| triggered.attempt));
    let run = match chosen {
        Some(id) => source.run(id).map_err(Failure::bad_input)?,
        None => source.latest_failed_run().map_err(Failure::bad_input)?.ok_or_else(|| {
            let filter = source.filter().describe();
            let which = if filter.is_empty() { String::new() } else { format!(" with {filter}") };
            Failure::bad_input(format!("{} has no failed run{which} to report", source.repo()))
        })?,
    };
    let (jobs, mut report) = triage_live_run(engine, &source, &run, attempt, !args.logs_only)?;
    // The branch's runs are listed (and kept) before recalling, so that the job's last passing
    // run is among the runs the store searches.
    let streak = run.head_branch.as_deref().and_then(|branch| {
        let runs = source.block_on(source.github().workflow_runs(
            source.repo(),
            run.workflow_id,
            branch,
            STREAK_RUNS,
        ));
        let runs = runs.inspect_err(|error| note(&format!("no failing streak: {error}"))).ok()?;
        source.keep_runs(&runs);
        streak::failing_streak(&runs, &run)
    });
    report.recall = source.recall_run(&run, &jobs, &report);
    let suspects = streak.as_ref().and_then(|streak| suspects(&source, streak));
    let facts = RunFacts::from_run(&run, jobs, streak).with_suspects(suspects);
    let text = writeup::render(&facts, &report);
    if let Some(summary) = actions.and_then(|actions| actions.step_summary)
        && let Err(error) = append_step_summary(&summary, &text)
    {
        note(&format!("{}: the step summary was not written: {error}", summary.display()));
    }
    Ok(text)
}

/// The write-up of a run from the local store alone (`--offline`): `--run ID`, else the newest
/// failed run kept with its jobs and logs; the streak from the runs kept, and no suspect commits
/// (GitHub compares them).
fn offline_report(
    engine: &Engine,
    source: &CachedSource,
    args: &ReportArgs,
) -> Result<String, Failure> {
    let kept = source.runs().map_err(Failure::bad_input)?;
    let run = match args.run {
        Some(id) => source.run(RunId(id)).map_err(Failure::bad_input)?,
        None => newest_failed_kept_run(source, &kept, args.attempt)?,
    };
    let (jobs, mut report) = triage_live_run(engine, source, &run, args.attempt, !args.logs_only)?;
    report.recall = source.recall_run(&run, &jobs, &report);
    let streak = streak::failing_streak(&kept, &run);
    if streak.as_ref().is_some_and(|streak| streak.last_green.is_some()) {
        note(
            "offline: no suspect commits (GitHub compares them); the streak is from the runs kept",
        );
    }
    let facts = RunFacts::from_run(&run, jobs, streak);
    Ok(writeup::render(&facts, &report))
}

/// The newest failed run among `kept` whose jobs and failed logs are kept too; a failed run kept
/// without them (listed for a streak, never opened) is passed over with a note.
fn newest_failed_kept_run(
    source: &CachedSource,
    kept: &[Run],
    attempt: Option<u32>,
) -> Result<Run, Failure> {
    for run in kept.iter().filter(|run| run.failed()) {
        if source.triage_kept(run, attempt.or(run.run_attempt).unwrap_or(1)) {
            return Ok(run.clone());
        }
        note(&format!("offline: run {} failed but its jobs or logs are not kept", run.id));
    }
    Err(Failure::bad_input(format!(
        "{} has no failed run in the local store with its logs; open one once without --offline",
        source.repo()
    )))
}

/// The run the `workflow_run` event names; a note when an event payload is there but names
/// none (the workflow is not triggered by `workflow_run`), and the latest failed run is used.
fn triggering_run(actions: &ActionsEnv) -> Option<TriggeringRun> {
    let found = actions.triggering_run();
    if found.is_none() && actions.event_path.is_some() {
        note(
            "the event at GITHUB_EVENT_PATH names no workflow_run.id (is the workflow triggered \
             by `on: workflow_run`?); writing up the latest failed run instead",
        );
    }
    found
}

/// The commits between the streak's last green and first red run (one request), or `None` with
/// a note when GitHub cannot compare them; none asked for when the two ran the same commit.
fn suspects(source: &CachedSource, streak: &streak::Streak) -> Option<Comparison> {
    let green = streak.last_green.as_ref()?;
    let (base, head) = (&green.head_sha, &streak.first_red.head_sha);
    if base.is_empty() || head.is_empty() {
        return None;
    }
    if base == head {
        return Some(Comparison { html_url: None, total_commits: 0, commits: Vec::new() });
    }
    let compared = source.block_on(source.github().compare(source.repo(), base, head));
    compared.inspect_err(|error| note(&format!("no suspect commits: {error}"))).ok()
}

/// Reads a run's jobs for `attempt` (the run's latest by default) and the logs of its failed
/// jobs, classifies them and links the findings to the workflow files at the run's commit. A log that is not there yet or any more is a note on standard
/// error; any other GitHub error ends the command.
pub fn triage_live_run(
    engine: &Engine,
    source: &CachedSource,
    run: &Run,
    attempt: Option<u32>,
    with_workflows: bool,
) -> Result<(Vec<Job>, Report), Failure> {
    let attempt = attempt.or(run.run_attempt).unwrap_or(1);
    let jobs = source.attempt_jobs(run.id, attempt).map_err(Failure::bad_input)?;
    let label = format!("{} run {}", source.repo(), run.id);
    let fatal = std::cell::RefCell::new(None);
    let log_of = |job: &Job| {
        if fatal.borrow().is_some() {
            return None;
        }
        match source.job_log(job.id) {
            Ok(bytes) => Some(Box::new(std::io::Cursor::new(bytes)) as Box<dyn std::io::Read>),
            Err(
                error @ (GithubError::LogNotReady { .. }
                | GithubError::LogExpired { .. }
                | GithubError::LogTooLarge { .. }),
            ) => {
                note(&format!("{}: {error}", job.name));
                None
            }
            Err(error) => {
                *fatal.borrow_mut() = Some(error);
                None
            }
        }
    };
    let annotations_of = |job: &Job| {
        if fatal.borrow().is_some() {
            return Vec::new();
        }
        source.job_annotations(job.id).unwrap_or_else(|error| {
            note(&format!("{}: annotations not read: {error}", job.name));
            Vec::new()
        })
    };
    let mut report =
        classify_run_annotated(engine, &label, &jobs, JobChoice::Failed, log_of, annotations_of)
            .map_err(Failure::bad_input)?;
    if let Some(error) = fatal.into_inner() {
        return Err(Failure::bad_input(error));
    }
    if with_workflows {
        for notice in crate::workflow::behind::link_from_source(source, run, &jobs, &mut report) {
            note(&notice);
        }
    }
    source.remember_report(run, attempt, &jobs, &report);
    if let Some(notice) = source.take_notice() {
        note(&notice);
    }
    Ok((jobs, report))
}

/// A note on standard error that does not stop the command.
fn note(text: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "gha-triage: note: {text}");
}
