//! Triage of a whole run from its REST data: which jobs' logs to read and what each job's
//! metadata says (names, failed step). Reads logs through a caller-given function, so the demo,
//! the cache and live GitHub share it; it never fetches anything itself.

use std::io::Read;

use super::Report;
use super::rank::JobContext;
use crate::classify::Engine;
use crate::github::annotations::Annotation;
use crate::github::model::{Conclusion, Job};
use crate::input::InputError;
use crate::joblog::align::StepMeta;

/// Which jobs' logs to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobChoice {
    /// Only jobs that failed (or were canceled or timed out).
    Failed,
    /// Every job that has a log.
    All,
}

/// Classifies the logs of a run's jobs; `log_of` gives a job's raw log, or `None` when the job
/// has none (skipped, still running, expired).
pub fn classify_run<'a>(
    engine: &Engine,
    label: &str,
    jobs: &'a [Job],
    choice: JobChoice,
    log_of: impl FnMut(&'a Job) -> Option<Box<dyn Read + 'a>>,
) -> Result<Report, InputError> {
    classify_run_annotated(engine, label, jobs, choice, log_of, |_| Vec::new())
}

/// Like [`classify_run`], with each job's check-run annotations (`annotations_of`) as further
/// evidence; a job without a log is still triaged from its annotations.
pub fn classify_run_annotated<'a>(
    engine: &Engine,
    label: &str,
    jobs: &'a [Job],
    choice: JobChoice,
    mut log_of: impl FnMut(&'a Job) -> Option<Box<dyn Read + 'a>>,
    mut annotations_of: impl FnMut(&'a Job) -> Vec<Annotation>,
) -> Result<Report, InputError> {
    engine.classify_jobs(label, |visit| {
        for job in jobs.iter().filter(|job| wanted(job, choice)) {
            let log = log_of(job);
            let annotations = annotations_of(job);
            let context = JobContext {
                name: Some(job.name.clone()),
                failed_step: job.failed_step().map(|step| step.name.clone()),
                steps: steps_with_output(job),
                annotations,
                run: Some(label.to_owned()),
                ..JobContext::default()
            };
            match log {
                Some(mut log) => visit(context, &mut log)?,
                None if !context.annotations.is_empty() => visit(context, &mut std::io::empty())?,
                None => {}
            }
        }
        Ok(())
    })
}

/// The job's steps that can have lines in its log (skipped steps print nothing).
fn steps_with_output(job: &Job) -> Vec<StepMeta> {
    job.steps
        .iter()
        .filter(|step| step.conclusion != Some(Conclusion::Skipped))
        .map(|step| StepMeta {
            number: step.number,
            name: step.name.clone(),
            window: step
                .started_at
                .zip(step.completed_at)
                .map(|(started, completed)| (started.as_second(), completed.as_second())),
        })
        .collect()
}

fn wanted(job: &Job, choice: JobChoice) -> bool {
    match choice {
        JobChoice::All => true,
        JobChoice::Failed => job.conclusion.is_some_and(|conclusion| {
            conclusion.is_failure() || conclusion == Conclusion::Cancelled
        }),
    }
}
