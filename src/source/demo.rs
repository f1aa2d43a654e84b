//! The embedded demo as a source: the same REST JSON and raw logs live mode reads.

use crate::demo::{Demo, REPOSITORY};
use crate::github::annotations::Annotation;
use crate::github::model::{Job, JobId, Run, RunId, Workflow};
use crate::logdoc::LogBytes;
use crate::source::{Source, SourceError, SourceInfo, SourceKind};

/// The demo's runs, jobs and logs.
#[derive(Debug)]
pub struct DemoSource {
    demo: Demo,
}

impl DemoSource {
    /// Loads the embedded demo.
    pub fn load() -> Result<DemoSource, SourceError> {
        let demo = Demo::load().map_err(|error| SourceError::Unreadable(error.to_string()))?;
        Ok(DemoSource { demo })
    }
}

impl Source for DemoSource {
    fn info(&self) -> SourceInfo {
        SourceInfo { kind: SourceKind::Demo, name: REPOSITORY.to_owned() }
    }

    fn workflows(&self) -> Result<Vec<Workflow>, SourceError> {
        Ok(self.demo.workflows.clone())
    }

    fn runs(&self) -> Result<Vec<Run>, SourceError> {
        Ok(self.demo.runs.clone())
    }

    fn jobs(&self, run: RunId, attempt: u32) -> Result<Vec<Job>, SourceError> {
        self.demo
            .jobs(run, Some(attempt))
            .map_err(|_| SourceError::NotFound(format!("run {run} has no attempt {attempt}")))
    }

    fn log(&self, job: JobId) -> Result<LogBytes, SourceError> {
        self.demo
            .log(job)
            .map(LogBytes::Static)
            .ok_or_else(|| SourceError::NotFound(format!("job {job} has no log in the demo")))
    }

    fn annotations(&self, job: JobId) -> Result<Vec<Annotation>, SourceError> {
        self.demo.annotations(job).map_err(|error| SourceError::Unreadable(error.to_string()))
    }
}
