//! Workflow-aware diagnosis: read a repository's workflow files and file list, find the
//! workflow lines that make runs fail, and link them to what the logs showed.
//! - [`yaml`] parses YAML keeping line and column; [`model`] is what the checks read of it.
//! - [`repo`] is the repository at one commit ([`checkout`] reads a local checkout at one);
//!   [`checks`] finds [`Problem`]s in it.
//! - [`patch`] writes the suggested change as a unified diff; [`link`] attaches problems to
//!   log findings; [`behind`] reads the repository behind a run from its source and links it.

pub mod behind;
pub mod checkout;
pub mod checks;
pub mod link;
pub mod model;
pub mod patch;
pub mod patch_set;
pub mod repo;
pub mod yaml;

use serde::Serialize;

use crate::category::Severity;

/// The kinds of problem the checks find, by priority of issue #6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum CheckId {
    /// The file is not a workflow GitHub can run: empty, not a mapping, or without jobs.
    InvalidWorkflow,
    /// A file or folder a step needs is not in the repository.
    MissingFile,
    /// A cache key is restored that no workflow saves.
    CacheKeyNeverSaved,
    /// A step's timeout, a matrix's fail-fast or a concurrency group can cancel the run.
    Cancellation,
    /// `workflow_run.workflows` names no workflow.
    UnknownWorkflow,
    /// An artifact is downloaded that no upload produces.
    UnknownArtifact,
    /// The token's permissions lack what a step needs.
    Permissions,
    /// An action version that fails or is being retired.
    DeprecatedAction,
}

impl CheckId {
    /// The id shown in text, JSON and annotations.
    pub fn id(self) -> &'static str {
        match self {
            CheckId::InvalidWorkflow => "invalid-workflow",
            CheckId::MissingFile => "missing-file",
            CheckId::CacheKeyNeverSaved => "cache-key-never-saved",
            CheckId::Cancellation => "cancellation",
            CheckId::UnknownWorkflow => "unknown-workflow",
            CheckId::UnknownArtifact => "unknown-artifact",
            CheckId::Permissions => "permissions",
            CheckId::DeprecatedAction => "deprecated-action",
        }
    }
}

/// A problem found in a workflow file, with where it is and how to change it.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    /// Which check found it.
    pub check: CheckId,
    /// `error` when runs fail because of it, `warning` when they may, `notice` otherwise.
    pub severity: Severity,
    /// The workflow file.
    pub file: String,
    /// 1-based line in it.
    pub line: usize,
    /// One sentence saying what is wrong and what to do.
    pub message: String,
    /// The suggested change as a unified diff against the file, when one can be written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<String>,
    /// The job's id.
    pub job: String,
    /// The step's displayed name, for a problem in a step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// What the problem is about: the missing path, the key, the artifact or workflow name.
    pub subject: String,
}

/// Every problem the checks find in a repository, in file and line order.
pub fn lint(repo: &repo::RepoView) -> Vec<Problem> {
    let mut problems = checks::run(repo);
    problems.sort_by(|a, b| (&a.file, a.line, a.check).cmp(&(&b.file, b.line, b.check)));
    problems
}
