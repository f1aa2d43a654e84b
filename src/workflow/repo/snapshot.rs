//! What was read of a repository at one commit, as it is kept: the file list, the workflow
//! files' texts, whether the list was cut short, and the notes on how it was read. A commit
//! never changes, so a snapshot kept once serves every later triage of that commit, offline
//! included. Owns the kept form; the view is parsed from it anew.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{GitTree, RepoView, WorkflowFile};

/// The repository at one commit, as read.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RepoSnapshot {
    /// Every file's path.
    pub files: BTreeSet<String>,
    /// The workflow files' paths and texts.
    pub workflows: Vec<WorkflowFile>,
    /// Whether the file list is cut short.
    pub truncated: bool,
    /// What the reader should know about how it was read.
    pub notes: Vec<String>,
}

impl RepoSnapshot {
    /// GitHub's tree of a commit and its workflow files; a cut-short tree is marked, with a
    /// note.
    pub fn from_tree(tree: &GitTree, workflows: Vec<WorkflowFile>) -> RepoSnapshot {
        let mut notes = Vec::new();
        if tree.truncated {
            notes.push(
                "GitHub cut the repository's file list short (it is too large), so files a \
                 step needs were not checked"
                    .to_owned(),
            );
        }
        RepoSnapshot { files: tree.files(), workflows, truncated: tree.truncated, notes }
    }

    /// The view the checks read, its workflows parsed.
    pub fn view(&self) -> RepoView {
        let mut view = RepoView::new(self.files.clone(), self.workflows.clone());
        view.truncated = self.truncated;
        view.notes.extend(self.notes.iter().cloned());
        view
    }
}
