//! Many problems' patches to one repository as one `git apply` input: the patches of a file,
//! each written against the file as it is, are merged into a single diff of that file, since
//! separate diffs whose context overlaps would not apply one after the other. Owns the merge;
//! each patch's content is decided by its check.

use super::Problem;
use super::model::Workflow;
use super::patch::{self, Edit};

/// One diff per workflow that has a patch, in the problems' order; an edit that overlaps one
/// kept before it is left out.
pub fn combined(workflows: &[Workflow], problems: &[Problem]) -> String {
    let mut out = String::new();
    for workflow in workflows {
        let mine = problems.iter().filter(|problem| problem.file == workflow.path);
        let mut edits: Vec<Edit> = Vec::new();
        for edit in mine.filter_map(|problem| problem.patch.as_deref()).flat_map(edits_of) {
            if !edits.iter().any(|kept| overlaps(kept, &edit)) {
                edits.push(edit);
            }
        }
        if !edits.is_empty() {
            out.push_str(&patch::diff(workflow, &edits));
        }
    }
    out
}

/// The changes of a unified diff as edits of the old file: each run of `-` and `+` lines.
fn edits_of(diff: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut line = 0;
    let mut open: Option<Edit> = None;
    for text in diff.lines() {
        if let Some(start) = hunk_start(text) {
            edits.extend(open.take());
            line = start;
            continue;
        }
        if text.starts_with("---") || text.starts_with("+++") || line == 0 {
            continue;
        }
        match text.as_bytes().first() {
            Some(b'-') => {
                open.get_or_insert_with(|| Edit::delete(line, line)).end = line + 1;
                line += 1;
            }
            Some(b'+') => open
                .get_or_insert_with(|| Edit::delete(line, line))
                .lines
                .push(text[1..].to_owned()),
            Some(b'\\') => {}
            _ => {
                edits.extend(open.take());
                line += 1;
            }
        }
    }
    edits.extend(open);
    edits
}

/// The old file's first line of a hunk header `@@ -START,COUNT +…`; 1 for a hunk at the start
/// of an empty count.
fn hunk_start(text: &str) -> Option<usize> {
    let old = text.strip_prefix("@@ -")?.split([',', ' ']).next()?;
    old.parse::<usize>().ok().map(|start| start.max(1))
}

/// Whether two edits touch the same lines, or insert at the same place.
fn overlaps(a: &Edit, b: &Edit) -> bool {
    a.start.max(b.start) < a.end.min(b.end) || a.start == b.start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diff_becomes_the_edits_of_its_changed_runs() {
        let diff = "--- a/x.yml\n+++ b/x.yml\n@@ -4,6 +4,7 @@\n a\n b\n-c\n+C\n d\n+e\n f\n";

        let edits = edits_of(diff);

        assert_eq!(
            edits,
            vec![Edit::replace(6, "C".to_owned()), Edit::insert(8, vec!["e".to_owned()])]
        );
    }
}
