//! Findings for a person at a terminal: causes first, their symptoms under them, fixes.
//! Colours are ANSI styles that `anstream` strips when the output is not a terminal or
//! `NO_COLOR` is set.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use crate::category::Severity;
use crate::triage::{Finding, Report};

const HEADING: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

fn severity_style(severity: Severity) -> Style {
    let colour = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Notice => AnsiColor::Blue,
    };
    Style::new().fg_color(Some(colour.into())).bold()
}

/// The report as styled text.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{HEADING}{}{HEADING:#}", report.source);
    if report.findings.is_empty() {
        let _ = writeln!(out, "  no findings: nothing in the log looks like a failure");
    }
    let mut number = 0;
    for (index, cause) in report.causes() {
        number += 1;
        write_finding(&mut out, number, cause);
        for symptom in report.symptoms_of(index) {
            let file =
                symptom.file_apart_from(cause).map(|file| format!("{file} ")).unwrap_or_default();
            let _ = writeln!(
                out,
                "     {DIM}└ symptom, {file}line {}: {}{DIM:#}",
                symptom.line,
                first_chars(&symptom.text, 100)
            );
        }
    }
    write_annotations(&mut out, report);
    for notice in &report.notices {
        let _ = writeln!(out, "{DIM}note: {notice}{DIM:#}");
    }
    super::redact(&out).into_owned()
}

/// The check-run annotations of each job that has some, under the findings.
fn write_annotations(out: &mut String, report: &Report) {
    for job in report.jobs.iter().filter(|job| !job.annotations.is_empty()) {
        let name = job.name.as_deref().unwrap_or("the job");
        let _ = writeln!(out, "{HEADING}annotations of {name}{HEADING:#}");
        for annotation in &job.annotations {
            let _ = writeln!(
                out,
                "     {DIM}{:<7}{DIM:#} {}",
                annotation.level().id(),
                first_chars(&annotation.one_line(), 200)
            );
        }
    }
}

fn write_finding(out: &mut String, number: usize, finding: &Finding) {
    let style = severity_style(finding.severity);
    let repeats = if finding.count > 1 { format!(" (×{})", finding.count) } else { String::new() };
    let _ = writeln!(
        out,
        "{number:>3}. {style}{:<7}{style:#} {HEADING}{}{HEADING:#}{repeats}  [{}]",
        finding.severity.id().to_uppercase(),
        finding.title,
        finding.category
    );
    let place: Vec<String> = [finding.job.clone(), finding.step.clone()]
        .into_iter()
        .flatten()
        .chain(finding.file.clone().map(|file| format!("file {file}")))
        .collect();
    let place =
        if place.is_empty() { String::new() } else { format!("{} · ", place.join(" › ")) };
    let at = match &finding.workflow {
        Some(link) if finding.from_workflow() => format!("{}:{}", link.file, link.line),
        _ => format!("line {}", finding.line),
    };
    let _ = writeln!(out, "     {DIM}{place}{at}{DIM:#}");
    let _ = writeln!(out, "     │ {}", first_chars(&finding.text, 200));
    if finding.transient {
        let _ = writeln!(out, "     ↻ a rerun is likely to help");
    }
    for line in finding.fix.lines().filter(|line| !line.trim().is_empty()).take(6) {
        let _ = writeln!(out, "     {DIM}fix:{DIM:#} {line}");
    }
}

fn first_chars(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
