//! The write-up's "new since it last passed" blocks: per failed job, the lines its last passing
//! run never printed, the first few, and how many more the log has. Pure rendering.

use std::fmt::Write as _;

use super::fence_for;
use crate::export::markdown::code_span;
use crate::triage::Report;

/// The most lines shown of what is new since a job last passed.
const SINCE_PASSED_LINES: usize = 20;

/// Per failed job, the lines its last passing run never printed, the first few.
pub(super) fn since_passed(out: &mut String, report: &Report) {
    for since in &report.recall.since_passed {
        let _ = writeln!(out, "### `{}`: {}\n", code_span(&since.job), since.heading());
        if since.lines.is_empty() {
            out.push_str(
                "No line is new: the failing log printed nothing the passing one did not.\n\n",
            );
            continue;
        }
        let shown = &since.lines[..since.lines.len().min(SINCE_PASSED_LINES)];
        let width = shown.iter().map(|line| line.line.to_string().len()).max().unwrap_or(1);
        let body: Vec<String> =
            shown.iter().map(|line| format!("{:>width$} | {}", line.line, line.text)).collect();
        let fence = fence_for(&body);
        let _ = writeln!(out, "{fence}text\n{}\n{fence}", body.join("\n"));
        let left = since.new_lines.saturating_sub(shown.len() as u64);
        if left > 0 {
            let _ = writeln!(out, "\n_{left} more new lines are in the job's log._");
        }
        out.push('\n');
    }
}
