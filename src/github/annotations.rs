//! Check-run annotations of a job (`GET /repos/{o}/{r}/check-runs/{job}/annotations`, the job id
//! being its check run's id): some causes ("lost communication with the server", a runner
//! shutdown, the job's maximum execution time) are only written there. Owns the shape and the
//! route; what triage makes of them is `triage::annotations`.

use serde::{Deserialize, Serialize};

use super::actions::{MAX_PAGES, PER_PAGE};
use super::client::GitHub;
use super::error::GithubError;
use super::repo::Repo;
use crate::github::model::JobId;

/// How loud an annotation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationLevel {
    /// Information.
    Notice,
    /// A warning.
    Warning,
    /// An error (GitHub's word is `failure`).
    Failure,
    /// A value this version does not know.
    #[serde(other)]
    Unknown,
}

impl AnnotationLevel {
    /// The log marker a runner writes for the same level.
    pub fn marker(self) -> &'static str {
        match self {
            AnnotationLevel::Failure => "##[error]",
            AnnotationLevel::Warning => "##[warning]",
            AnnotationLevel::Notice | AnnotationLevel::Unknown => "##[notice]",
        }
    }

    /// The REST API's word for it.
    pub fn id(self) -> &'static str {
        match self {
            AnnotationLevel::Notice => "notice",
            AnnotationLevel::Warning => "warning",
            AnnotationLevel::Failure => "failure",
            AnnotationLevel::Unknown => "unknown",
        }
    }
}

/// One annotation of a check run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    /// The file it is about (`.github` for the runner's own messages).
    #[serde(default)]
    pub path: Option<String>,
    /// Its first line in that file.
    #[serde(default)]
    pub start_line: Option<u64>,
    /// How loud it is.
    #[serde(default)]
    pub annotation_level: Option<AnnotationLevel>,
    /// Its title (`.github#L1` for the runner's own).
    #[serde(default)]
    pub title: Option<String>,
    /// What it says.
    #[serde(default, deserialize_with = "crate::github::model::null_as_default")]
    pub message: String,
}

impl Annotation {
    /// The level, `failure` when GitHub gave none.
    pub fn level(&self) -> AnnotationLevel {
        self.annotation_level.unwrap_or(AnnotationLevel::Failure)
    }

    /// The message on one line.
    pub fn one_line(&self) -> String {
        self.message.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

impl GitHub {
    /// The annotations of `job`'s check run, every page; none when GitHub has no check run for
    /// it (404). A token without the Checks permission is told it needs `checks: read`.
    pub async fn annotations(
        &self,
        repo: &Repo,
        job: JobId,
    ) -> Result<Vec<Annotation>, GithubError> {
        let uri = format!("/repos/{repo}/check-runs/{job}/annotations?per_page={PER_PAGE}");
        let what = format!("the annotations of job {job} in {repo}");
        let pages = self
            .get_pages(&uri, &what, (usize::MAX, MAX_PAGES), |page: Vec<Annotation>| page)
            .await;
        match pages {
            Err(GithubError::NotFound { .. }) => Ok(Vec::new()),
            Err(GithubError::NotAccessible { what }) => {
                Err(GithubError::ChecksNotAccessible { what })
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_annotation_with_nulls_and_a_new_level_parses() {
        let json = r#"[{"path": ".github", "blob_href": "x", "start_line": 1, "end_line": 1,
            "start_column": null, "end_column": null, "annotation_level": "critical",
            "title": ".github#L1", "message": "The runner has received\na shutdown signal.",
            "raw_details": null}]"#;
        let list: Vec<Annotation> = serde_json::from_str(json).unwrap();
        assert_eq!(list[0].level(), AnnotationLevel::Unknown);
        assert_eq!(list[0].one_line(), "The runner has received a shutdown signal.");
        let list: Vec<Annotation> = serde_json::from_str(r#"[{"message": null}]"#).unwrap();
        assert_eq!(list[0].message, "");
    }
}
