//! `gha-triage rerun RUN [--failed | --job ID] [--debug]` and `gha-triage cancel RUN [--force]`:
//! one request to GitHub, its answer in a line, and an exit code that tells a refusal (1) from
//! bad use or an unreachable GitHub (2).

use std::io::Write as _;

use clap::Args;

use super::{EXIT_BAD_INPUT, EXIT_OK, EXIT_REFUSED, Failure, LiveArgs, WaitNotes};
use crate::github::act::{DebugLogging, RunAction};
use crate::github::model::{JobId, RunId};

/// What `rerun --help` and `cancel --help` add below the options.
pub const AFTER_HELP: &str = "\
The token needs the Actions write permission (fine-grained: Actions: Read and write; classic:
repo; in a workflow: `permissions: actions: write`). A run can be rerun once it has completed,
up to 30 days after it started; only a queued or running run can be canceled.

Exit codes:
  0  GitHub accepted the request (201 for a rerun, 202 for a cancel)
  1  GitHub refused it: 403 (the token lacks actions: write, or the run cannot be rerun) or
     409 / \"already running\" (the run's state does not allow it)
  2  bad use, no token, unknown repository or run (404), GitHub unreachable or rate limited
     past --max-wait, or no clear answer (5xx, timeout): the request is not sent twice, so
     check the run before asking again";

/// Arguments of `rerun`.
#[derive(Debug, Args)]
pub struct RerunArgs {
    /// The run's id (the number in its URL: …/actions/runs/ID).
    #[arg(value_name = "RUN", value_parser = github_id)]
    pub run: u64,
    /// Rerun only the failed jobs and the jobs that need them.
    #[arg(long, conflicts_with = "job")]
    pub failed: bool,
    /// Rerun one job, by id, and the jobs that need it.
    #[arg(long, value_name = "ID", value_parser = github_id)]
    pub job: Option<u64>,
    /// Turn on runner diagnostic and step debug logging for the rerun.
    #[arg(long)]
    pub debug: bool,
}

/// Arguments of `cancel`.
#[derive(Debug, Args)]
pub struct CancelArgs {
    /// The run's id.
    #[arg(value_name = "RUN", value_parser = github_id)]
    pub run: u64,
    /// Force-cancel: stop even steps with an `always()` condition (when cancel hangs).
    #[arg(long)]
    pub force: bool,
}

/// A run or job id as typed: a number from 1 up, as GitHub gives none that is 0.
pub fn github_id(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(0) => Err("GitHub's ids start at 1; give the number in the run's URL \
                      (…/actions/runs/RUN/job/JOB)"
            .to_owned()),
        Ok(id) => Ok(id),
        Err(_) => Err("give the number in the run's URL (…/actions/runs/RUN/job/JOB)".to_owned()),
    }
}

impl RerunArgs {
    /// The action these arguments ask for.
    pub fn action(&self) -> RunAction {
        let debug = if self.debug { DebugLogging::On } else { DebugLogging::Off };
        match (self.job, self.failed) {
            (Some(job), _) => RunAction::RerunJob(JobId(job), debug),
            (None, true) => RunAction::RerunFailed(debug),
            (None, false) => RunAction::Rerun(debug),
        }
    }
}

impl CancelArgs {
    /// The action these arguments ask for.
    pub fn action(&self) -> RunAction {
        if self.force { RunAction::ForceCancel } else { RunAction::Cancel }
    }
}

/// Runs `rerun`.
pub fn rerun(live: &LiveArgs, args: &RerunArgs) -> Result<u8, Failure> {
    act(live, RunId(args.run), args.action())
}

/// Runs `cancel`.
pub fn cancel(live: &LiveArgs, args: &CancelArgs) -> Result<u8, Failure> {
    act(live, RunId(args.run), args.action())
}

fn act(live: &LiveArgs, run: RunId, action: RunAction) -> Result<u8, Failure> {
    let source = live.source(WaitNotes::Stderr)?;
    let repo = source.repo().clone();
    match source.block_on(source.github().act(&repo, run, action)) {
        Ok(accepted) => {
            let said = format!(
                "{}: {} in {repo} (GitHub answered {})\n",
                action.accepted(),
                action.describe(run),
                accepted.status
            );
            super::write_stdout(&said)?;
            Ok(EXIT_OK)
        }
        Err(error) => {
            let code = if error.is_refusal() { EXIT_REFUSED } else { EXIT_BAD_INPUT };
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "gha-triage: {error}");
            Ok(code)
        }
    }
}
