//! Findings as GitHub-flavoured markdown (the `classify --format markdown` list).
//! The full write-up of a run is `report`; this is the short form.

use std::fmt::Write as _;

use crate::triage::{Finding, Report};

/// The findings as a markdown list, causes with their symptoms.
pub fn findings(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Findings for `{}`\n", report.source);
    if report.findings.is_empty() {
        out.push_str("No findings: nothing in the log looks like a failure.\n");
    }
    for (index, cause) in report.causes() {
        write_finding(&mut out, cause);
        for symptom in report.symptoms_of(index) {
            let file =
                symptom.file_apart_from(cause).map(|file| format!("`{file}` ")).unwrap_or_default();
            let _ = writeln!(
                out,
                "  - symptom ({file}line {}): `{}`",
                symptom.line,
                code_span(&symptom.text)
            );
        }
        out.push('\n');
    }
    super::redact(&out).into_owned()
}

fn write_finding(out: &mut String, finding: &Finding) {
    let place = [finding.job.as_deref(), finding.step.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" › ");
    let _ = writeln!(
        out,
        "- **{}** — {} `{}`{}",
        finding.title,
        finding.severity,
        finding.category,
        if finding.transient { " (a rerun is likely to help)" } else { "" }
    );
    let at = match &finding.workflow {
        Some(link) if finding.from_workflow() => format!("`{}:{}`", link.file, link.line),
        _ => format!("line {}", finding.line),
    };
    let _ = writeln!(
        out,
        "  - evidence, {at}{}: `{}`",
        if place.is_empty() { String::new() } else { format!(" in {place}") },
        code_span(&finding.text)
    );
    if !finding.fix.is_empty() {
        let _ = writeln!(out, "  - fix: {}", finding.fix.replace('\n', "\n    "));
    }
}

/// Text safe inside a single-backtick code span.
pub fn code_span(text: &str) -> String {
    text.replace('`', "'")
}
