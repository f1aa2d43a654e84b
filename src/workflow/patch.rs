//! Suggested changes to a workflow file: line edits turned into a unified diff that
//! `git apply` takes. Owns the diff's shape; what to change is decided by the checks.

use similar::TextDiff;

use super::model::Workflow;

/// Replace lines `[start, end)` (1-based) with `lines`; `start == end` inserts before `start`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// First line replaced, 1-based.
    pub start: usize,
    /// The line after the last one replaced.
    pub end: usize,
    /// The new lines, without line ends.
    pub lines: Vec<String>,
}

impl Edit {
    /// Replaces one line.
    pub fn replace(line: usize, text: String) -> Edit {
        Edit { start: line, end: line + 1, lines: vec![text] }
    }

    /// Inserts lines before `line`.
    pub fn insert(line: usize, lines: Vec<String>) -> Edit {
        Edit { start: line, end: line, lines }
    }

    /// Deletes lines `[start, end)`.
    pub fn delete(start: usize, end: usize) -> Edit {
        Edit { start, end, lines: Vec::new() }
    }
}

/// The workflow's text with the edits applied. Edits must not overlap.
pub fn apply(workflow: &Workflow, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = workflow.text.split_inclusive('\n').map(str::to_owned).collect();
    if lines.last().is_some_and(|last| !last.ends_with('\n')) {
        lines.last_mut().expect("checked").push('\n');
    }
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|edit| std::cmp::Reverse(edit.start));
    for edit in edits {
        let start = edit.start.saturating_sub(1).min(lines.len());
        let end = edit.end.saturating_sub(1).clamp(start, lines.len());
        let new = edit.lines.iter().map(|line| format!("{line}\n"));
        lines.splice(start..end, new);
    }
    lines.concat()
}

/// The edits as a unified diff with `a/` and `b/` paths, as `git diff` writes them.
pub fn diff(workflow: &Workflow, edits: &[Edit]) -> String {
    let new = apply(workflow, edits);
    let mut old = workflow.text.clone();
    if !old.is_empty() && !old.ends_with('\n') {
        old.push('\n');
    }
    let path = &workflow.path;
    TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// The leading spaces of a 1-based line.
pub fn indent_of(workflow: &Workflow, line: usize) -> String {
    let text = workflow.lines.get(line.wrapping_sub(1)).map_or("", String::as_str);
    " ".repeat(text.len() - text.trim_start_matches(' ').len())
}
