//! A job's log: `GET …/actions/jobs/{id}/logs` answers a redirect to a signed URL on another
//! host, which is asked without the token and streamed to a temporary file under a size cap.
//! Turns "not there yet" (404 `BlobNotFound`) and "not there any more" (410) into notices.

use std::io::Write as _;

use http::header::LOCATION;
use http_body_util::BodyExt as _;

use super::client::{GitHub, Hop, RawResponse, Refusal, host_of};
use super::error::GithubError;
use super::repo::Repo;
use crate::github::model::JobId;
use crate::logdoc::LogBytes;

/// The default largest log downloaded (1 GiB).
pub const DEFAULT_MAX_LOG_BYTES: u64 = 1 << 30;

/// How many redirects a log download follows.
const MAX_REDIRECTS: usize = 3;

impl GitHub {
    /// The raw log of `job`, at most `cap` bytes, held in a memory-mapped temporary file. A
    /// download dropped mid-stream is tried again after the policy's backoff, through the API
    /// for a fresh signed URL (the old one may have expired).
    pub async fn job_log(
        &self,
        repo: &Repo,
        job: JobId,
        cap: u64,
    ) -> Result<LogBytes, GithubError> {
        let what = format!("the log of job {job} in {repo}");
        let uri = format!("/repos/{repo}/actions/jobs/{job}/logs");
        let refused = |refusal: Refusal, hop: Hop| log_refusal(refusal, job, &what, hop);
        let (uri, what, refused) = (&uri, &what, &refused);
        self.again_when_dropped(|| async move {
            let response = self.signed(uri, what, refused).await?;
            self.save(response, job, cap).await
        })
        .await
    }

    /// `download` (the API asked, then the storage), again after the policy's backoff while
    /// the body drops mid-stream, up to the policy's attempts.
    pub(super) async fn again_when_dropped<T, F, D>(
        &self,
        mut download: D,
    ) -> Result<T, GithubError>
    where
        D: FnMut() -> F,
        F: std::future::Future<Output = Result<T, GithubError>>,
    {
        let mut attempt = 1;
        loop {
            let dropped = match download().await {
                Err(GithubError::Connection { host, detail, .. }) => {
                    GithubError::Connection { host, detail, attempts: attempt }
                }
                done => return done,
            };
            if attempt >= self.policy.attempts {
                return Err(dropped);
            }
            attempt += 1;
            let wait = self.policy.backoff(attempt);
            tracing::info!(attempt, ?wait, error = %dropped, "download dropped; asking again");
            self.clock.sleep(wait).await;
        }
    }

    /// The answer of `uri` with its body unread, its redirect followed to the signed URL;
    /// `refused` words a refusal from either hop.
    pub(super) async fn signed(
        &self,
        uri: &str,
        what: &str,
        refused: &dyn Fn(Refusal, Hop) -> GithubError,
    ) -> Result<RawResponse, GithubError> {
        let mut response = match self.get(Hop::Api, uri, what).await? {
            Ok(response) => response,
            Err(refusal) => return Err(refused(refusal, Hop::Api)),
        };
        for _ in 0..MAX_REDIRECTS {
            if !response.status().is_redirection() {
                break;
            }
            let location =
                location(&response, self.api_url()).ok_or_else(|| GithubError::Malformed {
                    what: what.to_owned(),
                    detail: "a redirect without a Location".to_owned(),
                })?;
            // The redirect gives its slot back before the next hop waits for one.
            drop(response);
            // The signed URL is asked without the token, whatever host it names.
            response = match self.get(Hop::Download, &location, what).await? {
                Ok(response) => response,
                Err(refusal) => return Err(refused(refusal, Hop::Download)),
            };
        }
        if !response.status().is_success() {
            let status = response.status().as_u16();
            let message = "too many redirects".to_owned();
            return Err(GithubError::Status { status, what: what.to_owned(), message });
        }
        Ok(response)
    }

    /// Streams a log body to a temporary file, then maps it; a dropped body is a
    /// [`GithubError::Connection`] for the caller to retry.
    // Limit: a log over the cap (1 GiB) is refused whole, where keeping its tail would still
    // let it be triaged.
    async fn save(
        &self,
        response: RawResponse,
        job: JobId,
        cap: u64,
    ) -> Result<LogBytes, GithubError> {
        let what = format!("the rest of job {job}'s log");
        let Some(file) = self.download(response, cap, &what).await? else {
            return Err(GithubError::LogTooLarge { job, cap });
        };
        // Mapped before the file is removed: the map keeps the bytes readable.
        LogBytes::map_file(file.path()).map_err(GithubError::Disk)
    }

    /// Streams a body from the log storage to a temporary file; `None` past `cap` bytes.
    pub(super) async fn download(
        &self,
        response: RawResponse,
        cap: u64,
        what: &str,
    ) -> Result<Option<tempfile::NamedTempFile>, GithubError> {
        let limit = self.policy().timeout;
        let mut file = tempfile::NamedTempFile::new().map_err(GithubError::Disk)?;
        let mut body = response.into_body();
        let mut written = 0_u64;
        loop {
            let frame = tokio::time::timeout(limit, body.frame()).await.map_err(|_| {
                let (host, what) = ("the log storage".to_owned(), what.to_owned());
                GithubError::Timeout { host, what, limit }
            })?;
            let Some(frame) = frame else { break };
            let frame = frame.map_err(|error| GithubError::Connection {
                host: "the log storage".to_owned(),
                detail: error.to_string(),
                attempts: 1,
            })?;
            let Some(data) = frame.data_ref() else { continue };
            written += data.len() as u64;
            if written > cap {
                return Ok(None);
            }
            file.as_file_mut().write_all(data).map_err(GithubError::Disk)?;
        }
        file.as_file_mut().flush().map_err(GithubError::Disk)?;
        Ok(Some(file))
    }
}

/// The Location of a redirect, made absolute against the API's origin when relative.
fn location(response: &RawResponse, api_url: &str) -> Option<String> {
    let location = response.headers().get(LOCATION)?.to_str().ok()?.trim().to_owned();
    if host_of(&location).is_some() {
        return Some(location);
    }
    let origin: String = api_url.split('/').take(3).collect::<Vec<_>>().join("/");
    location.starts_with('/').then(|| format!("{origin}{location}"))
}

/// A refused log: any 404 from the log storage (whatever its body: XML, plain text, none), or
/// one from the API with `BlobNotFound`, means the job is still running; 410 means the log
/// expired. Other 404s from the API (no such job or repository) stay "not found".
fn log_refusal(refusal: Refusal, job: JobId, what: &str, hop: Hop) -> GithubError {
    let blob_missing = String::from_utf8_lossy(&refusal.body).contains("BlobNotFound");
    match refusal.status {
        410 => GithubError::LogExpired { job },
        404 if blob_missing || hop == Hop::Download => GithubError::LogNotReady { job },
        _ => refusal.into_error(what),
    }
}
