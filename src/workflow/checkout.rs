//! A local checkout read at one commit (`--repo-dir`): the file list of `git ls-tree` and the
//! workflow files of `git show SHA:path`, so a checkout on another branch still shows the run's
//! commit. A commit the checkout does not have falls back to its working tree, with a note.
//! Owns asking git; it must not judge the files.

use std::path::Path;
use std::process::{Command, Stdio};

use super::repo::{RepoError, RepoView, WorkflowFile, is_workflow_path};

/// The repository in `dir` at commit `sha`: from git when the checkout has the commit, else
/// its working tree with a note saying so.
pub fn at_commit(dir: &Path, sha: &str) -> Result<RepoView, RepoError> {
    if !dir.is_dir() {
        return Err(RepoError::NotAFolder(dir.to_path_buf()));
    }
    if let Some(view) = from_git(dir, sha) {
        return Ok(view);
    }
    let mut view = RepoView::from_dir(dir)?;
    let which = if git(dir, &["rev-parse", "--git-dir"]).is_none() {
        format!("{} is not a git checkout", dir.display())
    } else if sha.is_empty() {
        "the run's commit is not known".to_owned()
    } else {
        format!("commit {sha:.7} is not in {}", dir.display())
    };
    view.notes.push(format!(
        "{which}, so its working tree was read instead; fetch the commit for an exact answer"
    ));
    Ok(view)
}

/// The view from git, or `None` when `dir` is not a checkout with commit `sha`.
fn from_git(dir: &Path, sha: &str) -> Option<RepoView> {
    let commit =
        sha.chars().all(|c| c.is_ascii_hexdigit()).then_some(sha).filter(|s| !s.is_empty())?;
    let listing = git(dir, &["ls-tree", "-r", "-z", "--name-only", commit])?;
    let files: std::collections::BTreeSet<String> = String::from_utf8_lossy(&listing)
        .split('\0')
        .filter(|path| !path.is_empty())
        .map(str::to_owned)
        .collect();
    let mut workflows = Vec::new();
    for path in files.iter().filter(|path| is_workflow_path(path)) {
        let bytes = git(dir, &["show", &format!("{commit}:{path}")])?;
        workflows.push(WorkflowFile::from_bytes(path.clone(), &bytes));
    }
    Some(RepoView::new(files, workflows))
}

/// What `git -C dir ARGS` prints, or `None` when it fails or git is not installed.
fn git(dir: &Path, args: &[&str]) -> Option<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output.status.success().then_some(output.stdout)
}
