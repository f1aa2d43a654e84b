//! The embedded demo: the "Stage 2" incident of `octo-org/vehicle-inspections`, shipped inside
//! the binary in the same REST JSON and raw log shapes live mode reads. Owns finding files in
//! the embedded data; it must not interpret logs (that is `classify`).

use crate::github::annotations::Annotation;
use crate::github::compare::Comparison;
use crate::github::model::{Job, JobId, JobList, Run, RunId, RunList, Workflow, WorkflowList};

/// Every embedded file as `(path under assets/demo, bytes)`.
const FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/demo_files.rs"));

/// The repository the demo is about.
pub const REPOSITORY: &str = "octo-org/vehicle-inspections";

/// The workflow name of the run the demo's report is about.
pub const REPORT_WORKFLOW: &str = "Stage 2 - Data Processing";

/// The run number the demo's report is about.
pub const REPORT_RUN_NUMBER: u64 = 36;

/// The embedded data is not what the code expects (a build problem, never user input).
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// A file is missing from the embedded data.
    #[error("the embedded demo has no file {0}; the binary was built without assets/demo")]
    Missing(String),
    /// A file does not parse.
    #[error("the embedded demo file {file} does not parse: {detail}")]
    Malformed {
        /// The file.
        file: String,
        /// What the parser said.
        detail: String,
    },
}

/// The demo's runs, jobs and logs.
#[derive(Debug)]
pub struct Demo {
    /// Workflows of the repository.
    pub workflows: Vec<Workflow>,
    /// Every run, newest first.
    pub runs: Vec<Run>,
}

impl Demo {
    /// Reads the embedded workflows and runs.
    pub fn load() -> Result<Demo, DemoError> {
        let workflows: WorkflowList = json("workflows.json")?;
        let runs: RunList = json("runs.json")?;
        Ok(Demo { workflows: workflows.workflows, runs: runs.workflow_runs })
    }

    /// The run the demo's report is about: Stage 2 run #36.
    pub fn report_run(&self) -> Result<&Run, DemoError> {
        self.runs
            .iter()
            .find(|run| {
                run.name.as_deref() == Some(REPORT_WORKFLOW) && run.run_number == REPORT_RUN_NUMBER
            })
            .ok_or_else(|| {
                DemoError::Missing(format!("{REPORT_WORKFLOW} run #{REPORT_RUN_NUMBER}"))
            })
    }

    /// The jobs of one attempt of a run (the run's latest attempt when `attempt` is `None`).
    pub fn jobs(&self, run: RunId, attempt: Option<u32>) -> Result<Vec<Job>, DemoError> {
        let attempt = attempt
            .or_else(|| self.runs.iter().find(|r| r.id == run).and_then(|r| r.run_attempt))
            .unwrap_or(1);
        let list: JobList = json(&format!("jobs/{run}-{attempt}.json"))?;
        Ok(list.jobs)
    }

    /// The raw log of a job, as `GET /actions/jobs/{id}/logs` serves it.
    pub fn log(&self, job: JobId) -> Option<&'static [u8]> {
        file(&format!("logs/{job}.log"))
    }

    /// The check-run annotations of a job, as `GET …/check-runs/{job}/annotations` serves them
    /// (a job without a file has none).
    pub fn annotations(&self, job: JobId) -> Result<Vec<Annotation>, DemoError> {
        let path = format!("annotations/{job}.json");
        if file(&path).is_none() {
            return Ok(Vec::new());
        }
        json(&path)
    }

    /// The commits after `base` up to `head`, as `GET …/compare/{base}...{head}` serves them,
    /// when the demo has that comparison.
    pub fn compare(&self, base: &str, head: &str) -> Result<Option<Comparison>, DemoError> {
        let path = format!("compare/{base}...{head}.json");
        if file(&path).is_none() {
            return Ok(None);
        }
        json(&path).map(Some)
    }

    /// A file of the repository at its head (`.github/workflows/…`, `scripts/…`).
    pub fn repository_file(&self, path: &str) -> Option<&'static [u8]> {
        file(&format!("repo/{path}"))
    }
}

/// An embedded file by its path under `assets/demo`.
pub fn file(path: &str) -> Option<&'static [u8]> {
    FILES.iter().find(|(name, _)| *name == path).map(|(_, bytes)| *bytes)
}

fn json<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, DemoError> {
    let bytes = file(path).ok_or_else(|| DemoError::Missing(path.to_owned()))?;
    serde_json::from_slice(bytes)
        .map_err(|error| DemoError::Malformed { file: path.to_owned(), detail: error.to_string() })
}
