//! The JSON output contract of `spec/classify-json.md`, redacted.

use crate::triage::Report;

/// The report as pretty JSON, with a trailing newline.
pub fn render(report: &Report) -> String {
    let json = serde_json::to_string_pretty(report).expect("a report always serialises");
    let mut text = super::redact(&json).into_owned();
    text.push('\n');
    text
}
