//! Local files as a source: one synthetic run whose jobs are the log file (or the jobs of
//! `gh run view --log` output), the folder's logs or the archive's jobs, with the steps their
//! files name. A single file is memory-mapped, so a huge log opens at once; archive
//! entries are read into memory under the unpacked-size cap.

mod gh_columns;
mod steps;

use std::sync::Arc;

use jiff::Timestamp;

use crate::github::model::{
    Conclusion, Job, JobId, LOCAL_EVENT, Run, RunId, Status, Workflow, WorkflowId,
};
use crate::input::{Input, InputError, Limits};
use crate::joblog::StepMeta;
use crate::logdoc::LogBytes;
use crate::source::{Source, SourceError, SourceInfo, SourceKind};
use crate::triage::rank::LogSpan;

/// The id of the one synthetic run.
pub const OFFLINE_RUN: RunId = RunId(1);

/// Logs read from local files.
#[derive(Debug)]
pub struct OfflineSource {
    label: String,
    run: Run,
    jobs: Vec<Job>,
    logs: Vec<LogBytes>,
}

/// One job as read from the files, before it is given an id.
struct LocalJob {
    name: String,
    log: LogBytes,
    steps: Vec<StepMeta>,
}

impl LocalJob {
    /// The job or jobs a log holds: `gh run view --log` output is one per job column value,
    /// any other log one job named `name` whose files name `steps`.
    fn from_log(name: String, log: LogBytes, steps: Vec<StepMeta>) -> Vec<LocalJob> {
        if !gh_columns::has_columns(log.as_slice()) {
            return vec![LocalJob { name, log, steps }];
        }
        let jobs = gh_columns::split(log.as_slice()).into_iter();
        jobs.map(|job| LocalJob { name: job.name, log: job.log, steps: job.steps }).collect()
    }
}

impl OfflineSource {
    /// Opens `input`; a single file is mapped, archives and folders are read job by job.
    pub fn open(input: &Input, limits: Limits) -> Result<OfflineSource, InputError> {
        let label = input.label();
        let mut read = Vec::new();
        match input {
            Input::File(path) => {
                let bytes = LogBytes::map_file(path)
                    .map_err(|source| InputError::Unreadable { path: label.clone(), source })?;
                if bytes.as_slice().iter().all(u8::is_ascii_whitespace) {
                    return Err(InputError::Empty { path: label });
                }
                crate::input::sniff::refuse_binary(bytes.as_slice(), &label)?;
                read.extend(LocalJob::from_log(file_name(&label), bytes, Vec::new()));
            }
            _ => input.for_each_job(limits, &mut |context, reader| {
                let mut bytes = Vec::new();
                reader
                    .read_to_end(&mut bytes)
                    .map_err(|source| InputError::Unreadable { path: label.clone(), source })?;
                let steps = match context.span {
                    LogSpan::Job => context.steps,
                    LogSpan::Step => Vec::new(),
                };
                let name = context.name.or(context.file).unwrap_or_else(|| file_name(&label));
                let log = LogBytes::Shared(Arc::from(bytes));
                read.extend(LocalJob::from_log(name, log, steps));
                Ok(())
            })?,
        }
        let jobs = read.iter().enumerate().map(|(index, job)| synthetic_job(index, job)).collect();
        let logs = read.into_iter().map(|job| job.log).collect();
        let modified = std::fs::metadata(&label)
            .and_then(|metadata| metadata.modified())
            .ok()
            .and_then(|time| Timestamp::try_from(time).ok())
            .unwrap_or(Timestamp::UNIX_EPOCH);
        Ok(OfflineSource { run: synthetic_run(&label, modified), label, jobs, logs })
    }
}

fn file_name(label: &str) -> String {
    std::path::Path::new(label)
        .file_name()
        .map_or_else(|| label.to_owned(), |name| name.to_string_lossy().into_owned())
}

fn synthetic_run(label: &str, modified: Timestamp) -> Run {
    Run {
        id: OFFLINE_RUN,
        name: Some(file_name(label)),
        display_title: Some(label.to_owned()),
        run_number: 1,
        run_attempt: Some(1),
        event: LOCAL_EVENT.to_owned(),
        status: Some(Status::Completed),
        conclusion: None,
        workflow_id: WorkflowId(1),
        head_branch: None,
        head_sha: String::new(),
        path: None,
        html_url: None,
        created_at: modified,
        updated_at: modified,
        run_started_at: None,
        actor: None,
        head_commit: None,
    }
}

/// The job of `local` with id `index + 1`; its steps where its files name them.
fn synthetic_job(index: usize, local: &LocalJob) -> Job {
    Job {
        id: JobId(index as u64 + 1),
        run_id: OFFLINE_RUN,
        run_attempt: Some(1),
        name: local.name.clone(),
        workflow_name: None,
        status: Some(Status::Completed),
        conclusion: Some(Conclusion::Unknown),
        started_at: None,
        completed_at: None,
        html_url: None,
        steps: steps::of(local.log.as_slice(), &local.steps),
        labels: Vec::new(),
        runner_name: None,
    }
}

impl Source for OfflineSource {
    fn info(&self) -> SourceInfo {
        SourceInfo { kind: SourceKind::Offline, name: self.label.clone() }
    }

    fn workflows(&self) -> Result<Vec<Workflow>, SourceError> {
        Ok(vec![Workflow {
            id: WorkflowId(1),
            name: self.run.name.clone().unwrap_or_default(),
            path: self.label.clone(),
            state: "active".to_owned(),
        }])
    }

    fn runs(&self) -> Result<Vec<Run>, SourceError> {
        Ok(vec![self.run.clone()])
    }

    fn jobs(&self, run: RunId, _attempt: u32) -> Result<Vec<Job>, SourceError> {
        if run != OFFLINE_RUN {
            return Err(SourceError::NotFound(format!("no run {run} in {}", self.label)));
        }
        Ok(self.jobs.clone())
    }

    fn log(&self, job: JobId) -> Result<LogBytes, SourceError> {
        usize::try_from(job.0)
            .ok()
            .and_then(|number| number.checked_sub(1))
            .and_then(|index| self.logs.get(index))
            .cloned()
            .ok_or_else(|| SourceError::NotFound(format!("no job {job} in {}", self.label)))
    }
}
