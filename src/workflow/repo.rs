//! The repository view the checks read: workflow files and the list of files at one commit,
//! from a local checkout, the embedded demo, or GitHub's trees and contents answers. Owns
//! reading them; it must not judge them (that is `workflow::checks`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod snapshot;

pub use snapshot::RepoSnapshot;

use super::model::Workflow;
use super::yaml::{self, YamlError};

/// Where workflow files live in a repository.
pub const WORKFLOW_DIR: &str = ".github/workflows";

/// The most files read from a folder that is not a git checkout.
const MAX_WALKED_FILES: usize = 200_000;

/// A workflow file's path and text.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkflowFile {
    /// Path in the repository.
    pub path: String,
    /// The file's text.
    pub text: String,
}

impl WorkflowFile {
    /// A workflow file from its bytes (a byte-order mark dropped, bad UTF-8 replaced).
    pub fn from_bytes(path: String, bytes: &[u8]) -> WorkflowFile {
        WorkflowFile { path, text: decode(bytes) }
    }
}

/// The files of a repository at one commit and its parsed workflows.
#[derive(Clone, Debug, Default)]
pub struct RepoView {
    /// Every file's path, `/`-separated, relative to the repository root.
    pub files: BTreeSet<String>,
    /// Workflows that parsed, sorted by path.
    pub workflows: Vec<Workflow>,
    /// Workflow files that are not YAML.
    pub errors: Vec<YamlError>,
    /// Whether the file list is cut short (GitHub's tree of a huge repository), so an absent
    /// path proves nothing.
    pub truncated: bool,
    /// What the reader should know about how the repository was read.
    pub notes: Vec<String>,
}

/// The repository could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// The folder is not there or not a folder.
    #[error("{0}: not a folder; give the root of a repository checkout")]
    NotAFolder(PathBuf),
    /// Reading failed.
    #[error("{path}: cannot read: {detail}")]
    Read {
        /// What was read.
        path: PathBuf,
        /// The system's words.
        detail: String,
    },
    /// The demo's tree does not parse.
    #[error("the embedded demo's tree.json does not parse: {0}")]
    DemoTree(String),
}

/// `GET /repos/{o}/{r}/git/trees/{sha}?recursive=1`, the parts read.
#[derive(Clone, Debug, Deserialize)]
pub struct GitTree {
    /// The tree's SHA.
    #[serde(default)]
    pub sha: String,
    /// Entries: blobs, trees and submodule commits.
    pub tree: Vec<GitTreeEntry>,
    /// Whether GitHub cut the listing short (over 100,000 entries or 7 MB).
    #[serde(default)]
    pub truncated: bool,
}

/// One entry of a git tree.
#[derive(Clone, Debug, Deserialize)]
pub struct GitTreeEntry {
    /// Path from the root.
    pub path: String,
    /// `blob`, `tree` or `commit`.
    #[serde(rename = "type")]
    pub kind: String,
}

impl GitTree {
    /// The blob paths.
    pub fn files(&self) -> BTreeSet<String> {
        self.tree.iter().filter(|e| e.kind == "blob").map(|e| e.path.clone()).collect()
    }
}

impl RepoView {
    /// A view from a file list and workflow texts.
    pub fn new(files: BTreeSet<String>, workflow_files: Vec<WorkflowFile>) -> RepoView {
        let mut view = RepoView { files, ..RepoView::default() };
        let mut workflow_files = workflow_files;
        workflow_files.sort_by(|a, b| a.path.cmp(&b.path));
        for file in workflow_files {
            match yaml::parse(&file.path, &file.text) {
                Ok(root) => view.workflows.push(Workflow::from_yaml(&file.path, &file.text, &root)),
                Err(error) => view.errors.push(error),
            }
        }
        view
    }

    /// A view from GitHub's tree of a commit and its workflow files; a cut-short tree is
    /// marked, with a note.
    pub fn from_tree(tree: &GitTree, workflow_files: Vec<WorkflowFile>) -> RepoView {
        RepoSnapshot::from_tree(tree, workflow_files).view()
    }

    /// The embedded demo's repository at the head of its failing runs.
    pub fn demo() -> Result<RepoView, RepoError> {
        let bytes = crate::demo::file("tree.json").unwrap_or_default();
        let tree: GitTree = serde_json::from_slice(bytes)
            .map_err(|error| RepoError::DemoTree(error.to_string()))?;
        let files = tree.files();
        let workflows = files
            .iter()
            .filter(|path| is_workflow_path(path))
            .filter_map(|path| {
                let bytes = crate::demo::file(&format!("repo/{path}"))?;
                Some(WorkflowFile { path: path.clone(), text: decode(bytes) })
            })
            .collect();
        Ok(RepoView::new(files, workflows))
    }

    /// A local checkout: tracked and untracked-but-not-ignored files when it is a git
    /// repository, else every file under it (not `.git`).
    pub fn from_dir(dir: &Path) -> Result<RepoView, RepoError> {
        if !dir.is_dir() {
            return Err(RepoError::NotAFolder(dir.to_path_buf()));
        }
        let files = git_files(dir).map_or_else(|| walk(dir), Ok)?;
        let mut workflows = Vec::new();
        for path in files.iter().filter(|path| is_workflow_path(path)) {
            let full = dir.join(path);
            let bytes = std::fs::read(&full)
                .map_err(|error| RepoError::Read { path: full, detail: error.to_string() })?;
            workflows.push(WorkflowFile { path: path.clone(), text: decode(&bytes) });
        }
        Ok(RepoView::new(files, workflows))
    }

    /// Whether `path` (relative, `/`-separated, `./` allowed) is a file of the repository.
    pub fn has_file(&self, path: &str) -> bool {
        self.files.contains(relative(path))
    }

    /// Whether `path` is a folder of the repository (some file lies under it); `""` and `.`
    /// are the root.
    pub fn has_dir(&self, path: &str) -> bool {
        let path = relative(path).trim_end_matches('/');
        if path.is_empty() || path == "." {
            return true;
        }
        let prefix = format!("{path}/");
        self.files.range(prefix.clone()..).next().is_some_and(|file| file.starts_with(&prefix))
    }

    /// The workflow at `path`.
    pub fn workflow(&self, path: &str) -> Option<&Workflow> {
        self.workflows.iter().find(|workflow| workflow.path == path)
    }
}

/// A relative path without its leading `./` parts.
fn relative(path: &str) -> &str {
    let mut path = path;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/');
    }
    path
}

/// Whether a path is a workflow file: directly under `.github/workflows`, `.yml` or `.yaml`.
pub fn is_workflow_path(path: &str) -> bool {
    let Some(name) = path.strip_prefix(WORKFLOW_DIR).and_then(|rest| rest.strip_prefix('/')) else {
        return false;
    };
    !name.contains('/')
        && Path::new(name)
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("yml") || ext.eq_ignore_ascii_case("yaml"))
}

/// The root of the repository around `start`: the nearest folder holding `.git`, else `start`.
pub fn repository_root(start: &Path) -> PathBuf {
    start.ancestors().find(|dir| dir.join(".git").exists()).unwrap_or(start).to_path_buf()
}

fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// Files git knows in a checkout, or `None` when `dir` is not one or git is not installed.
fn git_files(dir: &Path) -> Option<BTreeSet<String>> {
    if !dir.join(".git").exists() {
        return None;
    }
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    Some(text.split('\0').filter(|p| !p.is_empty()).map(str::to_owned).collect())
}

fn walk(root: &Path) -> Result<BTreeSet<String>, RepoError> {
    let mut files = BTreeSet::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|error| RepoError::Read { path: dir.clone(), detail: error.to_string() })?;
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() && entry.file_name() != ".git" {
                pending.push(path);
            } else if kind.is_file() && files.len() < MAX_WALKED_FILES {
                let relative = path.strip_prefix(root).unwrap_or(&path);
                let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
                files.insert(parts.join("/"));
            }
        }
    }
    Ok(files)
}
