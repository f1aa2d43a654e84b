//! The markdown write-up of a failed run, in the shape people write by hand: title, date,
//! status, symptoms, investigation with evidence, root causes with fixes, symptoms explained,
//! and an empty resolution section. Pure rendering of a report and what is known of the run.

mod since;

use crate::workflow::link::WorkflowLink;
use std::fmt::Write as _;

use jiff::{SignedDuration, Timestamp};

use super::markdown::code_span;
use crate::category::Severity;
use crate::github::compare::Comparison;
use crate::github::model::{Conclusion, Job, Run, human_duration};
use crate::streak::Streak;
use crate::triage::recall::Recurrence;
use crate::triage::{Finding, Report};

/// Evidence blocks longer than this many lines are folded in `<details>`.
const FOLD_LINES: usize = 12;

/// Root causes written up in full, with evidence and fix; a person reads the first few.
const CAUSES_IN_FULL: usize = 10;

/// Lower-ranked causes listed a line each after those.
const CAUSES_LISTED: usize = 40;

/// What is known of the run besides its logs.
#[derive(Clone, Debug, Default)]
pub struct RunFacts {
    /// The heading: workflow and run number, or the file read.
    pub title: String,
    /// The run's page.
    pub url: Option<String>,
    /// When the run (or the log) started.
    pub date: Option<Timestamp>,
    /// failure, success, in progress…
    pub status: Option<String>,
    /// Branch, event, actor, commit and attempt, as `(label, value)`.
    pub details: Vec<(String, String)>,
    /// How long the run took.
    pub duration: Option<SignedDuration>,
    /// The failing streak of its workflow on its branch.
    pub streak: Option<Streak>,
    /// Its jobs, with steps.
    pub jobs: Vec<Job>,
    /// The commits between the streak's last green and first red run, when compared.
    pub suspects: Option<Comparison>,
}

impl RunFacts {
    /// Facts of a run from its REST JSON, its jobs and its streak; status, duration and attempt
    /// are those of the attempt the jobs belong to.
    pub fn from_run(run: &Run, jobs: Vec<Job>, streak: Option<Streak>) -> RunFacts {
        let run = run.as_attempt(&jobs).into_owned();
        let run = &run;
        let workflow = run.name.clone().unwrap_or_else(|| "Workflow".to_owned());
        let mut details = Vec::new();
        if let Some(branch) = &run.head_branch {
            details.push(("Branch".to_owned(), format!("`{branch}`")));
        }
        details.push(("Event".to_owned(), format!("`{}`", run.event)));
        if let Some(actor) = &run.actor {
            details.push(("Actor".to_owned(), format!("@{}", actor.login)));
        }
        if !run.head_sha.is_empty() {
            let short: String = run.head_sha.chars().take(7).collect();
            details.push((
                "Commit".to_owned(),
                format!("`{short}` {}", code_free(run.commit_subject())),
            ));
        }
        if let Some(attempt) = run.run_attempt {
            details.push(("Attempt".to_owned(), attempt.to_string()));
        }
        RunFacts {
            title: format!("{workflow} run #{}", run.run_number),
            url: run.html_url.clone(),
            date: Some(run.run_started_at.unwrap_or(run.created_at)),
            status: Some(match (run.status, run.conclusion) {
                (_, Some(conclusion)) => conclusion.id().replace('_', " "),
                (Some(status), None) => format!("{status:?}").to_lowercase(),
                (None, None) => "unknown".to_owned(),
            }),
            details,
            duration: run.duration(),
            streak,
            jobs,
            suspects: None,
        }
    }

    /// The same facts with the commits between the last green and the first red run.
    #[must_use]
    pub fn with_suspects(mut self, suspects: Option<Comparison>) -> RunFacts {
        self.suspects = suspects;
        self
    }

    /// Facts of a log read without run data: titled by the file.
    pub fn from_report(report: &Report) -> RunFacts {
        let failed = report.findings.iter().any(|f| f.severity == Severity::Error);
        RunFacts {
            title: format!("Failure report for `{}`", code_free(&report.source)),
            status: Some(if failed { "failure" } else { "no failure found" }.to_owned()),
            ..RunFacts::default()
        }
    }
}

/// Renders the write-up, redacted.
pub fn render(facts: &RunFacts, report: &Report) -> String {
    let mut out = String::new();
    heading(&mut out, facts, report);
    suspects(&mut out, facts);
    symptoms(&mut out, facts, report);
    investigation(&mut out, report);
    since::since_passed(&mut out, report);
    annotations(&mut out, report);
    root_causes(&mut out, report);
    explained(&mut out, report);
    out.push_str("## Resolution\n\n_To be filled in once a fix is verified._\n");
    super::redact(&out).into_owned()
}

fn heading(out: &mut String, facts: &RunFacts, report: &Report) {
    let cause = report.causes().next().map(|(_, finding)| finding);
    let _ = writeln!(out, "# {}", facts.title);
    out.push('\n');
    let date = facts.date.map_or_else(
        || "unknown (no run data; times in the log are UTC)".to_owned(),
        |date| format!("{} UTC", date.strftime("%Y-%m-%d %H:%M")),
    );
    let _ = writeln!(out, "- **Date:** {date}");
    let status = facts.status.clone().unwrap_or_else(|| "unknown".to_owned());
    let duration =
        facts.duration.map(|d| format!(" after {}", human_duration(d))).unwrap_or_default();
    let _ = writeln!(out, "- **Status:** {status}{duration}");
    if let Some(url) = &facts.url {
        let _ = writeln!(out, "- **Run:** <{url}>");
    }
    for (label, value) in &facts.details {
        let _ = writeln!(out, "- **{label}:** {value}");
    }
    if let Some(streak) = &facts.streak {
        let _ = writeln!(out, "- **History:** {streak}");
        if let Some(green) = streak.last_green.as_ref().filter(|_| facts.suspects.is_none()) {
            let _ = writeln!(
                out,
                "- **Suspects:** the commits after `{}` (last green) up to `{}` (first red)",
                short_sha(&green.head_sha),
                short_sha(&streak.first_red.head_sha)
            );
        }
    }
    if let Some(cause) = cause {
        let _ = writeln!(out, "- **Most likely cause:** {} (`{}`)", cause.title, cause.category);
    }
    let _ = writeln!(
        out,
        "- **Written by:** gha-triage {} from the job logs\n",
        env!("CARGO_PKG_VERSION")
    );
}

/// The commits between the last green and the first red run: short SHA, author, subject, link.
fn suspects(out: &mut String, facts: &RunFacts) {
    let (Some(streak), Some(comparison)) = (&facts.streak, &facts.suspects) else { return };
    let Some(green) = &streak.last_green else { return };
    out.push_str("## Suspects\n\n");
    let range = format!(
        "after `{}` (last green, #{}) up to `{}` (first red, #{})",
        short_sha(&green.head_sha),
        green.number,
        short_sha(&streak.first_red.head_sha),
        streak.first_red.number
    );
    if comparison.commits.is_empty() {
        let _ = writeln!(
            out,
            "No commit {range}: the same code passed before, so look at what changed around it \
             (runner image, dependencies, services, secrets).\n"
        );
        return;
    }
    let shown = comparison.commits.len();
    let total = usize::try_from(comparison.total_commits).unwrap_or(usize::MAX).max(shown);
    let count = if total > shown {
        format!("the first {shown} of {total} commits")
    } else {
        format!("{total} commit{}", if total == 1 { "" } else { "s" })
    };
    let link = comparison.html_url.as_ref().map(|url| format!(" (<{url}>)")).unwrap_or_default();
    let _ = writeln!(out, "The {count} {range}, oldest first{link}:\n");
    for commit in &comparison.commits {
        let link = commit.html_url.as_ref().map(|url| format!(" <{url}>")).unwrap_or_default();
        let _ = writeln!(
            out,
            "- `{}` {}: {}{link}",
            commit.short_sha(),
            code_free(&commit.author_name()),
            code_free(commit.subject())
        );
    }
    out.push('\n');
}

fn symptoms(out: &mut String, facts: &RunFacts, report: &Report) {
    out.push_str("## Symptoms\n\n");
    let mut observed: Vec<&Finding> =
        report.findings.iter().filter(|f| !f.from_workflow()).collect();
    observed.sort_by_key(|finding| (finding.job_index, finding.line));
    if observed.is_empty() {
        out.push_str("- No error or warning lines were recognised in the logs read.\n");
    } else {
        out.push_str("- Messages observed:\n");
        for finding in observed {
            let times = if finding.count > 1 {
                format!(", {} times", finding.count)
            } else {
                String::new()
            };
            let _ =
                writeln!(out, "  - `{}` ({}{times})", code_span(&finding.text), finding.severity);
        }
    }
    for job in facts.jobs.iter().filter(|job| job.failed()) {
        let duration =
            job.duration().map(|d| format!(" after {}", human_duration(d))).unwrap_or_default();
        let _ = writeln!(out, "- Job `{}` failed{duration}", code_span(&job.name));
        for step in
            job.steps.iter().filter(|step| step.conclusion.is_some_and(Conclusion::is_failure))
        {
            let ran =
                step.duration().map(|d| format!(", ran {}", human_duration(d))).unwrap_or_default();
            let _ = writeln!(
                out,
                "  - step {} `{}` {}{ran}",
                step.number,
                code_span(&step.name),
                conclusion_word(step.conclusion)
            );
        }
    }
    if facts.jobs.is_empty() {
        for job in &report.jobs {
            if let Some(step) = &job.failed_step {
                let name = job.name.as_deref().or(job.file.as_deref()).unwrap_or("the job");
                let _ =
                    writeln!(out, "- `{}` failed in step `{}`", code_span(name), code_span(step));
            }
        }
    }
    out.push('\n');
}

fn conclusion_word(conclusion: Option<Conclusion>) -> String {
    conclusion.map_or_else(|| "ended".to_owned(), |c| c.id().replace('_', " "))
}

fn investigation(out: &mut String, report: &Report) {
    out.push_str("## Investigation\n\n");
    if report.findings.is_empty() {
        out.push_str("Nothing to investigate: no finding in the logs read.\n\n");
        return;
    }
    let mut places: Vec<(usize, Option<String>, Option<String>)> = Vec::new();
    for finding in report.findings.iter().filter(|f| !f.from_workflow()) {
        let place = (finding.job_index, finding.job.clone(), finding.step.clone());
        if !places.contains(&place) {
            places.push(place);
        }
    }
    places.sort_by_key(|(job_index, _, _)| *job_index);
    for (job_index, job, step) in places {
        let mut lines: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.job_index == job_index && f.job == job && f.step == step)
            .filter(|f| !f.from_workflow())
            .collect();
        lines.sort_by_key(|finding| finding.line);
        let job_name = job.as_deref().unwrap_or("Job log");
        let _ = match &step {
            Some(step) => writeln!(out, "### `{}` › `{}`\n", code_span(job_name), code_span(step)),
            None => writeln!(out, "### `{}`\n", code_span(job_name)),
        };
        if let Some(file) = lines.first().and_then(|finding| finding.file.as_deref()) {
            let _ = writeln!(out, "Lines of `{}`:\n", code_span(file));
        }
        evidence_block(out, &lines);
    }
}

/// The check-run annotations of the jobs read, as GitHub shows them on the run's page.
fn annotations(out: &mut String, report: &Report) {
    let jobs: Vec<_> = report.jobs.iter().filter(|job| !job.annotations.is_empty()).collect();
    if jobs.is_empty() {
        return;
    }
    out.push_str("### Check-run annotations\n\n");
    for job in jobs {
        let name = job.name.as_deref().unwrap_or("the job");
        let _ = writeln!(out, "- `{}`:", code_span(name));
        for annotation in &job.annotations {
            let _ = writeln!(
                out,
                "  - {}: `{}`",
                annotation.level().id(),
                code_span(&annotation.one_line())
            );
        }
    }
    out.push('\n');
}

fn evidence_block(out: &mut String, findings: &[&Finding]) {
    let width = findings.iter().map(|f| f.line.to_string().len()).max().unwrap_or(1);
    let body: Vec<String> = findings
        .iter()
        .map(|finding| format!("{:>width$} | {}", finding.line, finding.text))
        .collect();
    let fence = fence_for(&body);
    let folded = body.len() > FOLD_LINES || body.iter().any(|line| line.chars().count() > 200);
    if folded {
        let _ = writeln!(out, "<details><summary>{} evidence lines</summary>\n", body.len());
    }
    let _ = writeln!(out, "{fence}text\n{}\n{fence}", body.join("\n"));
    if folded {
        out.push_str("\n</details>\n");
    }
    out.push('\n');
}

/// A code fence longer than any run of backticks in the block.
fn fence_for(lines: &[String]) -> String {
    let longest =
        lines.iter().flat_map(|line| line.split(|c| c != '`')).map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

fn root_causes(out: &mut String, report: &Report) {
    out.push_str("## Root causes\n\n");
    let causes: Vec<(usize, &Finding)> =
        report.causes().filter(|(_, f)| f.severity == Severity::Error).collect();
    if causes.is_empty() {
        out.push_str("No error was recognised as a cause.\n\n");
    }
    for (number, (index, cause)) in causes.iter().enumerate().take(CAUSES_IN_FULL) {
        cause_section(out, number + 1, cause, report.recall.seen.get(index));
    }
    let rest = causes.len().saturating_sub(CAUSES_IN_FULL);
    if rest > 0 {
        let _ = writeln!(
            out,
            "### {rest} more causes, ranked lower
"
        );
        for (_, cause) in causes.iter().skip(CAUSES_IN_FULL).take(CAUSES_LISTED) {
            let _ = writeln!(out, "- {} (`{}`, {})", cause.title, cause.category, place(cause));
        }
        if rest > CAUSES_LISTED {
            let _ = writeln!(out, "- … and {} more", rest - CAUSES_LISTED);
        }
        out.push('\n');
    }
    let warnings: Vec<&Finding> =
        report.causes().filter(|(_, f)| f.severity != Severity::Error).map(|(_, f)| f).collect();
    if !warnings.is_empty() {
        out.push_str("### Warnings worth fixing\n\n");
        for warning in warnings {
            let _ = writeln!(
                out,
                "- **{}** (`{}`, {})",
                warning.title,
                warning.category,
                place(warning)
            );
            if !warning.fix.is_empty() {
                let _ = writeln!(out, "\n  {}\n", warning.fix.replace('\n', "\n  "));
            }
            if let Some(link) = &warning.workflow {
                let mut block = String::new();
                workflow_block(&mut block, link, true);
                let _ = writeln!(out, "  {}", block.trim_end().replace('\n', "\n  "));
                out.push('\n');
            }
        }
        out.push('\n');
    }
}

fn cause_section(out: &mut String, number: usize, cause: &Finding, seen: Option<&Recurrence>) {
    let _ = writeln!(out, "### {number}. {}\n", cause.title);
    let _ = writeln!(out, "- Category: `{}`; {}", cause.category, place(cause));
    let label = if cause.from_workflow() { "Workflow line" } else { "Evidence" };
    let _ = writeln!(out, "- {label}: `{}`", code_span(&cause.text));
    if cause.count > 1 {
        let _ = writeln!(out, "- Seen {} times", cause.count);
    }
    if let Some(seen) = seen {
        let flaky =
            if seen.flaky_runs > 0 { " (the same commit passed on a later try)" } else { "" };
        let _ = writeln!(out, "- Across runs: {}{flaky}", seen.summary());
    }
    if cause.transient {
        out.push_str("- A rerun is likely to help: this cause is usually transient.\n");
    }
    if !cause.fix.is_empty() {
        let _ = writeln!(out, "\n**Fix**\n\n{}", cause.fix);
    }
    if let Some(link) = &cause.workflow {
        out.push('\n');
        workflow_block(out, link, !cause.from_workflow());
    }
    if !cause.references.is_empty() {
        let links: Vec<String> = cause.references.iter().map(|link| format!("<{link}>")).collect();
        let _ = writeln!(out, "\nSee also: {}", links.join(", "));
    }
    out.push('\n');
}

fn explained(out: &mut String, report: &Report) {
    let symptoms: Vec<&Finding> =
        report.findings.iter().filter(|f| f.symptom_of.is_some()).collect();
    if symptoms.is_empty() {
        return;
    }
    out.push_str("## Symptoms explained\n\n");
    for symptom in symptoms {
        let Some(cause) = symptom.symptom_of.and_then(|index| report.findings.get(index)) else {
            continue;
        };
        let _ = writeln!(
            out,
            "- `{}` ({}) is a consequence of **{}**, not a cause of its own: {}.",
            code_span(&symptom.text),
            symptom_place(symptom, cause),
            cause.title,
            lower_first(&symptom.title)
        );
        if let Some(link) = &symptom.workflow {
            let _ = writeln!(
                out,
                "  In the workflow (`{}:{}`): {}",
                link.file, link.line, link.message
            );
        }
    }
    out.push('\n');
}

/// The workflow line behind a finding, what it says (unless the fix already says it), and the
/// suggested patch.
fn workflow_block(out: &mut String, link: &WorkflowLink, with_message: bool) {
    let _ = write!(out, "**In the workflow:** `{}:{}`", link.file, link.line);
    if with_message {
        let _ = write!(out, ": {}", link.message);
    }
    out.push_str("\n\n");
    if let Some(patch) = &link.patch {
        let fence = fence_for(&patch.lines().map(str::to_owned).collect::<Vec<_>>());
        let _ = writeln!(out, "**Suggested patch**\n\n{fence}diff\n{patch}{fence}\n");
    }
}

/// Where a symptom is, naming its file when the cause's is another one.
fn symptom_place(symptom: &Finding, cause: &Finding) -> String {
    match symptom.file_apart_from(cause) {
        Some(file) => format!("file `{}`, {}", code_span(file), place(symptom)),
        None => place(symptom),
    }
}

fn place(finding: &Finding) -> String {
    if let (true, Some(link)) = (finding.from_workflow(), &finding.workflow) {
        let job = finding.job.as_deref().map(|job| format!("job `{}`, ", code_span(job)));
        return format!("{}`{}:{}`", job.unwrap_or_default(), link.file, link.line);
    }
    let mut parts = Vec::new();
    if let Some(job) = &finding.job {
        parts.push(format!("job `{}`", code_span(job)));
    }
    if let Some(step) = &finding.step {
        parts.push(format!("step `{}`", code_span(step)));
    }
    parts.push(format!("line {}", finding.line));
    parts.join(", ")
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if chars.clone().next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

fn short_sha(sha: &str) -> String {
    sha.chars().take(7).collect()
}

fn code_free(text: &str) -> String {
    text.lines().next().unwrap_or("").replace('`', "'")
}
