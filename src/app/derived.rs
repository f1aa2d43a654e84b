//! Data derived from the state that `update` and the views both read: the filtered runs, the
//! run screen's rows, the findings pane's items, and the log's visible lines. Pure and cheap:
//! nothing here grows with the size of a log beyond the rows on screen.

use std::borrow::Cow;
use std::sync::Arc;

use super::state::{LogState, RunRow, RunState, Screen, State, StatusFilter, Triage};
use crate::github::model::{Conclusion, Run, Status};
use crate::triage::{Finding, Report};

/// Runs the list shows, in order, after filters and search.
pub fn visible_runs(state: &State) -> Vec<&Run> {
    let runs = &state.runs;
    let needle = runs.search.to_lowercase();
    runs.all
        .iter()
        .filter(|run| match runs.status {
            StatusFilter::All => true,
            StatusFilter::Failed => run.failed(),
            StatusFilter::Succeeded => run.conclusion == Some(Conclusion::Success),
            StatusFilter::Active => matches!(run.status, Some(Status::InProgress | Status::Queued)),
        })
        .filter(|run| runs.workflow.is_none_or(|workflow| run.workflow_id == workflow))
        .filter(|run| {
            runs.branch.as_ref().is_none_or(|branch| run.head_branch.as_ref() == Some(branch))
        })
        .filter(|run| needle.is_empty() || searchable(run).contains(&needle))
        .collect()
}

fn searchable(run: &Run) -> String {
    let mut text =
        format!("#{} {} {}", run.run_number, run.title(), run.name.as_deref().unwrap_or(""));
    text.push(' ');
    text.push_str(run.head_branch.as_deref().unwrap_or(""));
    text.push(' ');
    text.push_str(run.actor.as_ref().map_or("", |actor| actor.login.as_str()));
    text.to_lowercase()
}

/// The run the runs list has selected.
pub fn selected_run(state: &State) -> Option<&Run> {
    visible_runs(state).get(state.runs.selected).copied()
}

/// Rows of the run screen: each job then its steps, matrix legs grouped under a header.
pub fn run_rows(run: &RunState) -> Vec<RunRow> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (index, job) in run.jobs.iter().enumerate() {
        let base = matrix_base(&job.name);
        match groups.iter_mut().find(|(name, _)| *name == base) {
            Some((_, legs)) => legs.push(index),
            None => groups.push((base.to_owned(), vec![index])),
        }
    }
    let mut rows = Vec::new();
    for (base, legs) in groups {
        if legs.len() > 1 {
            rows.push(RunRow::Matrix(base, legs.clone()));
        }
        for job_index in legs {
            rows.push(RunRow::Job(job_index));
            let steps = run.jobs[job_index].steps.len();
            rows.extend((0..steps).map(|step| RunRow::Step(job_index, step)));
        }
    }
    rows
}

/// The name a matrix leg shares with its siblings: `test` of `test (3.12, ubuntu)`.
pub fn matrix_base(name: &str) -> &str {
    match name.rfind(" (") {
        Some(open) if name.ends_with(')') => &name[..open],
        _ => name,
    }
}

/// The run attempt whose findings the pane shows, with its triage.
pub fn pane_triage(state: &State) -> Option<(&Run, u32, Option<&Triage>)> {
    let (run, attempt) = match state.screen {
        Screen::Runs => {
            let run = selected_run(state)?;
            (run, run.run_attempt.unwrap_or(1))
        }
        Screen::Run | Screen::Log => {
            let view = state.run.as_ref()?;
            (&view.run, view.attempt)
        }
    };
    Some((run, attempt, state.triage.get(&(run.id, attempt))))
}

/// The report whose findings the pane shows, when ready.
pub fn pane_report(state: &State) -> Option<Arc<Report>> {
    match pane_triage(state)?.2? {
        Triage::Ready(report) => Some(Arc::clone(report)),
        _ => None,
    }
}

/// One entry of the findings pane: a cause (or a lone finding), the legs it hit, its symptoms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaneItem {
    /// Index of the finding in the report.
    pub finding: usize,
    /// Jobs (matrix legs) where the same cause was found, when more than one.
    pub legs: Vec<String>,
    /// Indices of its symptoms in the report, symptoms of symptoms included.
    pub symptoms: Vec<usize>,
}

/// The findings the pane lists for what is in view: the job or step selected on the run
/// screen, the job on the log screen, the whole run otherwise.
pub fn pane_items(state: &State, report: &Report) -> Vec<PaneItem> {
    let (job, step) = pane_scope(state);
    let in_scope = |finding: &Finding| {
        job.as_ref().is_none_or(|job| finding.job.as_ref() == Some(job))
            && step.as_ref().is_none_or(|step| finding.step.as_ref() == Some(step))
    };
    let mut items: Vec<PaneItem> = Vec::new();
    for (index, finding) in report.findings.iter().enumerate() {
        if finding.symptom_of.is_some() || !in_scope(finding) {
            continue;
        }
        let symptoms = report.symptoms_under(index);
        let same = items.iter_mut().find(|item| {
            let other = &report.findings[item.finding];
            other.rule == finding.rule && other.title == finding.title && other.job != finding.job
        });
        match same {
            Some(item) => {
                if item.legs.is_empty() {
                    item.legs.extend(report.findings[item.finding].job.clone());
                }
                item.legs.extend(finding.job.clone());
            }
            None => items.push(PaneItem { finding: index, legs: Vec::new(), symptoms }),
        }
    }
    items
}

fn pane_scope(state: &State) -> (Option<String>, Option<String>) {
    match state.screen {
        Screen::Runs => (None, None),
        Screen::Run => {
            let Some(view) = &state.run else { return (None, None) };
            match run_rows(view).get(view.selected) {
                Some(RunRow::Job(job) | RunRow::Step(job, _)) => {
                    (Some(view.jobs[*job].name.clone()), None)
                }
                Some(RunRow::Matrix(..)) | None => (None, None),
            }
        }
        Screen::Log => (state.log.as_ref().map(|log| log.job.name.clone()), None),
    }
}

/// The lines a log screen can show: the step's range, or all indexed lines.
pub fn log_range(log: &LogState) -> (usize, usize) {
    let last = log.index.len().saturating_sub(1);
    match &log.step {
        Some((_, first, end)) => ((*first).min(last), (*end).min(last)),
        None => (0, last),
    }
}

/// Whether `line` is hidden inside a folded group.
pub fn is_hidden(log: &LogState, line: usize) -> bool {
    log.folded
        .range(..line)
        .next_back()
        .and_then(|start| log.index.group_at(*start))
        .is_some_and(|(start, end)| line > start && line <= end)
}

/// The next shown line after `line`, skipping folded groups, within the range.
pub fn next_line(log: &LogState, line: usize) -> Option<usize> {
    let (_, last) = log_range(log);
    let mut candidate = line + 1;
    if log.folded.contains(&line)
        && let Some((_, end)) = log.index.group_at(line)
    {
        candidate = end + 1;
    }
    while candidate <= last && is_hidden(log, candidate) {
        candidate += 1;
    }
    (candidate <= last && !log.index.is_empty()).then_some(candidate)
}

/// The shown line before `line`, skipping folded groups, within the range.
pub fn previous_line(log: &LogState, line: usize) -> Option<usize> {
    let (first, _) = log_range(log);
    let mut candidate = line.checked_sub(1)?;
    if candidate < first {
        return None;
    }
    while is_hidden(log, candidate) {
        let header = *log.folded.range(..candidate).next_back()?;
        candidate = header;
    }
    Some(candidate)
}

/// The shown lines from `top`, at most `rows` of them.
pub fn shown_lines(log: &LogState, rows: usize) -> Vec<usize> {
    let mut lines = Vec::with_capacity(rows);
    if log.index.is_empty() {
        return lines;
    }
    let mut line = Some(log.top);
    while let Some(current) = line {
        if lines.len() >= rows {
            break;
        }
        lines.push(current);
        line = next_line(log, current);
    }
    lines
}

/// The run as the attempt in view ended (an earlier attempt's outcome comes from its jobs).
pub fn attempt_run(view: &RunState) -> Cow<'_, Run> {
    view.run.as_attempt(&view.jobs)
}
