//! The Actions endpoints the tool reads — runs, one run, a run attempt's jobs, workflows —
//! through raw requests read into our tolerant models (octocrab's own `Run` and `Job` types
//! reject nulls and new values). Owns routes and page limits; the transport is `client.rs`.

use super::client::{GitHub, encode};
use super::error::GithubError;
use super::repo::Repo;
use crate::github::model::{Job, JobList, Run, RunId, RunList, Workflow, WorkflowId, WorkflowList};

/// Items per page asked for (GitHub's maximum).
pub const PER_PAGE: usize = 100;
/// The most runs read for a run list.
pub const MAX_RUNS: usize = 100;
/// The most pages read for one list (jobs of huge matrices included).
pub const MAX_PAGES: usize = 20;

impl GitHub {
    /// The newest runs of the repository, newest first, up to `max`.
    pub async fn runs(&self, repo: &Repo, max: usize) -> Result<Vec<Run>, GithubError> {
        let per_page = max.clamp(1, PER_PAGE);
        let uri =
            format!("/repos/{repo}/actions/runs?per_page={per_page}&exclude_pull_requests=true");
        let what = format!("the runs of {repo}");
        self.get_pages(&uri, &what, (max, MAX_PAGES), |page: RunList| page.workflow_runs).await
    }

    /// The newest run that failed, if any among the latest.
    pub async fn latest_failed_run(&self, repo: &Repo) -> Result<Option<Run>, GithubError> {
        let uri = format!(
            "/repos/{repo}/actions/runs?status=failure&per_page=1&exclude_pull_requests=true"
        );
        let what = format!("the failed runs of {repo}");
        let (page, _) = self.get_json::<RunList>(&uri, &what).await?;
        Ok(page.workflow_runs.into_iter().next())
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
