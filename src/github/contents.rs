//! A repository at one commit through GitHub: its file list (`git/trees/{sha}?recursive=1`)
//! and the workflow files' texts (`contents/{path}?ref={sha}`, base64 inside JSON), read
//! through our own transport. Owns the routes and the decoding; judging the files is
//! `workflow`'s.

use base64::Engine as _;
use serde::Deserialize;

use super::client::{GitHub, encode};
use super::error::GithubError;
use super::repo::Repo;
use crate::workflow::repo::{GitTree, RepoSnapshot, RepoView, WorkflowFile, is_workflow_path};

/// `GET /repos/{o}/{r}/contents/{path}`, the parts read.
#[derive(Debug, Deserialize)]
struct FileContents {
    /// `file`, `dir`, `symlink` or `submodule`.
    #[serde(rename = "type", default)]
    kind: String,
    /// `base64`, or `none` for files over 1 MB.
    #[serde(default)]
    encoding: String,
    /// The bytes in base64, in lines of 60 characters.
    #[serde(default)]
    content: String,
}

impl GitHub {
    /// The file list of commit `sha` (one request; GitHub says when it cut the list short).
    pub async fn tree(&self, repo: &Repo, sha: &str) -> Result<GitTree, GithubError> {
        let uri = format!("/repos/{repo}/git/trees/{}?recursive=1", encode(sha));
        let what = format!("the file list of {repo} at {sha:.7}");
        Ok(self.get_json::<GitTree>(&uri, &what).await?.0)
    }

    /// The bytes of the file at `path` in commit `sha` (one request).
    pub async fn file_at(
        &self,
        repo: &Repo,
        path: &str,
        sha: &str,
    ) -> Result<Vec<u8>, GithubError> {
        let uri = format!("/repos/{repo}/contents/{}?ref={}", encode_path(path), encode(sha));
        let what = format!("{path} of {repo} at {sha:.7}");
        let (file, _) = self.get_json::<FileContents>(&uri, &what).await?;
        decoded(&file).map_err(|detail| GithubError::Malformed { what, detail })
    }

    /// The repository at commit `sha`: its file list and its workflow files (1 + W requests).
    pub async fn repo_view(&self, repo: &Repo, sha: &str) -> Result<RepoView, GithubError> {
        Ok(self.repo_snapshot(repo, sha).await?.view())
    }

    /// What [`GitHub::repo_view`] reads, in the form the local store keeps.
    pub async fn repo_snapshot(&self, repo: &Repo, sha: &str) -> Result<RepoSnapshot, GithubError> {
        let tree = self.tree(repo, sha).await.map_err(needs_contents)?;
        let mut workflows = Vec::new();
        let mut skipped = Vec::new();
        for path in tree.files().into_iter().filter(|path| is_workflow_path(path)) {
            match self.file_at(repo, &path, sha).await.map_err(needs_contents) {
                Ok(bytes) => workflows.push(WorkflowFile::from_bytes(path, &bytes)),
                Err(error @ GithubError::Malformed { .. }) => skipped.push(error.to_string()),
                Err(error) => return Err(error),
            }
        }
        let mut snapshot = RepoSnapshot::from_tree(&tree, workflows);
        snapshot
            .notes
            .extend(skipped.into_iter().map(|why| format!("a workflow file was skipped: {why}")));
        Ok(snapshot)
    }
}

/// A token refused the repository's files lacks Contents: Read, not the Actions permission
/// the general wording names.
fn needs_contents(error: GithubError) -> GithubError {
    match error {
        GithubError::NotAccessible { what } => GithubError::Forbidden {
            what,
            message: "Resource not accessible by integration: the token needs Contents: Read \
                      (in a workflow: `permissions: contents: read`)"
                .to_owned(),
        },
        other => other,
    }
}

/// The file's bytes, or why they cannot be had.
fn decoded(file: &FileContents) -> Result<Vec<u8>, String> {
    if file.kind != "file" {
        return Err(format!("a {} where a file was expected", file.kind));
    }
    if file.encoding != "base64" {
        return Err(format!("the file is too large to be sent inline ({})", file.encoding));
    }
    let compact: Vec<u8> =
        file.content.bytes().filter(|byte| !byte.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|error| format!("its base64 content does not decode: {error}"))
}

/// Percent-encodes each segment of a repository path, keeping the slashes.
fn encode_path(path: &str) -> String {
    path.split('/').map(encode).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(kind: &str, encoding: &str, content: &str) -> FileContents {
        FileContents { kind: kind.into(), encoding: encoding.into(), content: content.into() }
    }

    #[test]
    fn base64_in_lines_decodes_to_the_file() {
        let answer = file("file", "base64", "bmFtZTogQ0kK\nb246IHB1c2gK\n");
        assert_eq!(decoded(&answer).unwrap(), b"name: CI\non: push\n");
    }

    #[test]
    fn a_bad_or_missing_body_is_an_error_not_a_panic() {
        assert!(decoded(&file("file", "base64", "not*base64")).is_err());
        assert!(decoded(&file("file", "none", "")).unwrap_err().contains("too large"));
        assert!(decoded(&file("dir", "", "")).is_err());
    }

    #[test]
    fn path_segments_are_encoded_but_slashes_kept() {
        assert_eq!(encode_path(".github/workflows/my ci.yml"), ".github/workflows/my%20ci.yml");
    }
}
