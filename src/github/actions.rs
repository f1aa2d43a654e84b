//! The Actions endpoints the tool reads — runs, one run, a run attempt's jobs, workflows —
//! through raw requests read into our tolerant models (octocrab's own `Run` and `Job` types
//! reject nulls and new values). Owns routes and page limits; the transport is `client.rs`.

use super::client::{GitHub, encode};
use super::error::GithubError;
use super::repo::Repo;
use super::run_filter::{MAX_LISTED_RUNS, RunFilter, WorkflowRef};
use crate::github::model::{Job, JobList, Run, RunId, RunList, Workflow, WorkflowId, WorkflowList};

/// Items per page asked for (GitHub's maximum).
pub const PER_PAGE: usize = 100;
/// The most runs read for a run list.
pub const MAX_RUNS: usize = 100;
/// The most pages read for one list (jobs of huge matrices included).
pub const MAX_PAGES: usize = 20;
/// The runs one page asks for when looking for the newest failed run: one would do if every
/// server honoured `status=failure`.
const FAILED_RUN_LOOKAHEAD: usize = 30;

impl GitHub {
    /// The newest runs of the repository, newest first, up to `max`.
    pub async fn runs(&self, repo: &Repo, max: usize) -> Result<Vec<Run>, GithubError> {
        self.filtered_runs(repo, &RunFilter::default(), max).await
    }

    /// The newest runs that `filter` lets through, newest first, up to `max` (at most
    /// [`MAX_LISTED_RUNS`], GitHub's own limit for a filtered list), following Link headers for
    /// at most ten pages.
    pub async fn filtered_runs(
        &self,
        repo: &Repo,
        filter: &RunFilter,
        max: usize,
    ) -> Result<Vec<Run>, GithubError> {
        let max = max.clamp(1, MAX_LISTED_RUNS);
        let per_page = max.min(PER_PAGE);
        let list = match &filter.workflow {
            Some(workflow) => {
                let workflow = self.workflow_route(repo, workflow).await?;
                format!("/repos/{repo}/actions/workflows/{workflow}/runs")
            }
            None => format!("/repos/{repo}/actions/runs"),
        };
        let uri =
            format!("{list}?per_page={per_page}&exclude_pull_requests=true{}", filter.query());
        let what = match filter.describe() {
            words if words.is_empty() => format!("the runs of {repo}"),
            words => format!("the runs of {repo} ({words})"),
        };
        let pages = MAX_LISTED_RUNS / PER_PAGE;
        self.get_pages(&uri, &what, (max, pages), |page: RunList| page.workflow_runs).await
    }

    /// The newest run that failed among those `filter` lets through (`--status` other than
    /// failure when the filter says so), if any. A run the list sends that did not fail is
    /// passed over, since a server (a proxy, GitHub Enterprise) may ignore `status=failure`.
    pub async fn latest_failed_run(
        &self,
        repo: &Repo,
        filter: &RunFilter,
    ) -> Result<Option<Run>, GithubError> {
        let filter = filter.with_default_status("failure");
        let runs = self.filtered_runs(repo, &filter, FAILED_RUN_LOOKAHEAD).await?;
        let asks_failure = filter.status.as_deref() == Some("failure");
        Ok(runs.into_iter().find(|run| !asks_failure || run.failed()))
    }

    /// The path segment the per-workflow endpoint takes: an id or a file name as given, a name
    /// looked up among the repository's workflows.
    async fn workflow_route(
        &self,
        repo: &Repo,
        workflow: &WorkflowRef,
    ) -> Result<String, GithubError> {
        let name = match workflow {
            WorkflowRef::Id(id) => return Ok(id.to_string()),
            WorkflowRef::File(file) => return Ok(encode(file)),
            WorkflowRef::Name(name) => name,
        };
        let workflows = self.workflows(repo).await?;
        let found = workflows.iter().find(|w| w.name.eq_ignore_ascii_case(name));
        let Some(found) = found else {
            let known: Vec<String> =
                workflows.iter().map(|w| format!("{:?} ({})", w.name, w.path)).collect();
            return Err(GithubError::UnknownWorkflow {
                repo: repo.to_string(),
                name: name.clone(),
                known: if known.is_empty() { "none".to_owned() } else { known.join(", ") },
            });
        };
        Ok(found.id.0.to_string())
    }

    /// Runs of one workflow on one branch, newest first, up to `max` (for the failing streak).
    pub async fn workflow_runs(
        &self,
        repo: &Repo,
        workflow: WorkflowId,
        branch: &str,
        max: usize,
    ) -> Result<Vec<Run>, GithubError> {
        let per_page = max.clamp(1, PER_PAGE);
        let uri = format!(
            "/repos/{repo}/actions/workflows/{}/runs?branch={}&per_page={per_page}\
             &exclude_pull_requests=true",
            workflow.0,
            encode(branch)
        );
        let what = format!("the runs of workflow {} on {branch}", workflow.0);
        self.get_pages(&uri, &what, (max, 1), |page: RunList| page.workflow_runs).await
    }

    /// One run.
    pub async fn run(&self, repo: &Repo, run: RunId) -> Result<Run, GithubError> {
        let uri = format!("/repos/{repo}/actions/runs/{run}?exclude_pull_requests=true");
        let what = format!("run {run} in {repo}");
        Ok(self.get_json::<Run>(&uri, &what).await?.0)
    }

    /// The jobs of one attempt of a run, every page.
    pub async fn jobs(
        &self,
        repo: &Repo,
        run: RunId,
        attempt: u32,
    ) -> Result<Vec<Job>, GithubError> {
        let uri =
            format!("/repos/{repo}/actions/runs/{run}/attempts/{attempt}/jobs?per_page={PER_PAGE}");
        let what = format!("the jobs of run {run} attempt {attempt} in {repo}");
        self.get_pages(&uri, &what, (usize::MAX, MAX_PAGES), |page: JobList| page.jobs).await
    }

    /// The repository's workflows.
    pub async fn workflows(&self, repo: &Repo) -> Result<Vec<Workflow>, GithubError> {
        let uri = format!("/repos/{repo}/actions/workflows?per_page={PER_PAGE}");
        let what = format!("the workflows of {repo}");
        self.get_pages(&uri, &what, (usize::MAX, MAX_PAGES), |page: WorkflowList| page.workflows)
            .await
    }
}
