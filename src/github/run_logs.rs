//! A run attempt's log archive: `GET …/actions/runs/{id}/attempts/{n}/logs` answers a redirect
//! to a signed URL, asked without the token, and the zip is streamed to a temporary file under
//! a size cap. What is inside is `input/archive`'s business.

use super::client::{GitHub, Hop, Refusal};
use super::error::GithubError;
use super::model::RunId;
use super::repo::Repo;

impl GitHub {
    /// The log archive (a zip) of attempt `attempt` of `run`, at most `cap` bytes, in a
    /// temporary file removed when the path is dropped; a download dropped mid-stream is asked
    /// for again through the API, as a job's log is.
    pub async fn run_log_archive(
        &self,
        repo: &Repo,
        run: RunId,
        attempt: u32,
        cap: u64,
    ) -> Result<tempfile::TempPath, GithubError> {
        let what = format!("the log archive of run {run} attempt {attempt} in {repo}");
        let uri = format!("/repos/{repo}/actions/runs/{run}/attempts/{attempt}/logs");
        let refused = |refusal: Refusal, _: Hop| refusal.into_error(&what);
        let (uri, what, refused) = (&uri, &what, &refused);
        self.again_when_dropped(|| async move {
            let response = self.signed(uri, what, refused).await?;
            let Some(file) = self.download(response, cap, what).await? else {
                return Err(GithubError::ArchiveTooLarge { run, cap });
            };
            Ok(file.into_temp_path())
        })
        .await
    }
}
