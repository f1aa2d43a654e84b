//! Actions that mean the same on every screen (quit, help, back, focus, export, copy, open,
//! rerun, cancel), the findings pane's own keys, and mouse clicks.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use super::log::jump_to_line;
use super::runs;
use crate::app::action::Action;
use crate::app::derived::{self, PaneItem, pane_items, pane_report, selected_run};
use crate::app::effect::Effect;
use crate::app::state::{Focus, Overlay, Screen, State};
use crate::export::writeup::RunFacts;
use crate::github::model::Run;
use crate::streak;
use crate::triage::Report;

/// Handles an action that is the same everywhere; `None` when it is not one of those.
pub fn act(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let effects = match action {
        Action::Quit => {
            state.quit = true;
            Vec::new()
        }
        Action::Help => {
            state.overlay = Some(Overlay::Help);
            Vec::new()
        }
        Action::Back => back(state),
        Action::FocusNext => {
            state.focus = match state.focus {
                Focus::Main => Focus::Findings,
                Focus::Findings => Focus::Main,
            };
            Vec::new()
        }
        Action::Suspend => vec![Effect::Suspend],
        Action::Export => export(state),
        Action::Copy => copy(state),
        Action::OpenBrowser => open_browser(state),
        Action::RerunFailed
        | Action::RerunAll
        | Action::RerunJob
        | Action::RerunDebug
        | Action::CancelRun
        | Action::ForceCancel
        | Action::RerunAllDebug
        | Action::RerunJobDebug => super::act::ask(state, action),
        _ => return None,
    };
    Some(effects)
}

fn back(state: &mut State) -> Vec<Effect> {
    if state.focus == Focus::Findings {
        state.focus = Focus::Main;
        return Vec::new();
    }
    if let Some(log) = &mut state.log
        && let Some((_, cancel)) = log.search.running.take()
    {
        cancel.store(true, Ordering::Relaxed);
        state.inform("search canceled");
        return Vec::new();
    }
    match state.screen {
        Screen::Log => {
            state.screen = if state.run.is_some() { Screen::Run } else { Screen::Runs };
            state.log = None;
            state.requests.log = None;
            // A search's count speaks of the log just left.
            if state.notice.as_ref().is_some_and(|notice| {
                notice.text.starts_with("match ") || notice.text.starts_with('/')
            }) {
                state.notice = None;
            }
        }
        Screen::Run => {
            state.screen = Screen::Runs;
            state.run = None;
            state.requests.poll = None;
        }
        Screen::Runs => {}
    }
    Vec::new()
}

/// The run in view: the run screen's, else the runs list's selection.
fn run_in_view(state: &State) -> Option<(Run, u32)> {
    if let Some(view) = &state.run {
        return Some((view.run.clone(), view.attempt));
    }
    selected_run(state).map(|run| (run.clone(), run.run_attempt.unwrap_or(1)))
}

fn export(state: &mut State) -> Vec<Effect> {
    let Some((run, attempt)) = run_in_view(state) else {
        state.warn("no run in view to export");
        return Vec::new();
    };
    let Some(report) = pane_report(state) else {
        state.warn("findings are not ready yet; try again in a moment");
        return Vec::new();
    };
    let jobs = state.run.as_ref().map(|view| view.jobs.clone()).unwrap_or_default();
    let streak = streak::failing_streak(&state.runs.all, &run);
    let suspects = crate::app::suspects::compared(state, &run).map(|commits| (*commits).clone());
    let facts = RunFacts::from_run(&run, jobs, streak).with_suspects(suspects);
    let path = PathBuf::from(format!("gha-triage-run-{}-attempt-{attempt}.md", run.id));
    vec![Effect::Export { facts: Box::new(facts), report, path }]
}

/// Copies the selected evidence line, the log line under the cursor, or the run's link; a
/// token-like string in a line is copied redacted, as it is shown.
fn copy(state: &mut State) -> Vec<Effect> {
    let redacted = |text: &str| Effect::Copy(crate::export::redact::redact(text).into_owned());
    if state.focus == Focus::Findings
        && let Some(report) = pane_report(state)
        && let Some(item) = pane_items(state, &report).get(state.finding)
    {
        return vec![redacted(&report.findings[item.finding].text)];
    }
    if let Some(text) = state.log.as_ref().and_then(super::log::cursor_text) {
        return vec![redacted(&text)];
    }
    if let Some(url) = run_in_view(state).and_then(|(run, _)| run.html_url) {
        return vec![Effect::Copy(url)];
    }
    state.warn("nothing to copy here: no evidence line or run link");
    Vec::new()
}

fn open_browser(state: &mut State) -> Vec<Effect> {
    if let Some(url) = run_in_view(state).and_then(|(run, _)| run.html_url) {
        return vec![Effect::OpenUrl(url)];
    }
    state.warn("this run has no web page (it was read from local files)");
    Vec::new()
}

/// Keys of the findings pane.
pub fn act_in_findings(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(report) = pane_report(state) else { return Vec::new() };
    let items = pane_items(state, &report);
    match action {
        Action::Up => state.finding = state.finding.saturating_sub(1),
        Action::Down => state.finding = (state.finding + 1).min(items.len().saturating_sub(1)),
        Action::Top => state.finding = 0,
        Action::Bottom => state.finding = items.len().saturating_sub(1),
        Action::Select => {
            let Some(item) = items.get(state.finding) else { return Vec::new() };
            let Some(evidence) = evidence_in_log(&report, item) else {
                state.inform(workflow_evidence(&report.findings[item.finding]));
                return Vec::new();
            };
            let effects = open_evidence(state, &report.findings[evidence].clone());
            keep_selected(state, item.finding);
            return effects;
        }
        _ => {}
    }
    Vec::new()
}

/// The finding whose log line shows an item: its own, or for a finding read from the workflow
/// file or a check-run annotation, its first symptom that a log printed.
fn evidence_in_log(report: &Report, item: &PaneItem) -> Option<usize> {
    let in_log = |index: &usize| {
        let finding = &report.findings[*index];
        finding.line > 0 && !finding.from_workflow() && !finding.from_annotations()
    };
    std::iter::once(item.finding).chain(item.symptoms.iter().copied()).find(in_log)
}

/// Where the evidence of a finding no log printed is, for the status line.
fn workflow_evidence(finding: &crate::triage::Finding) -> String {
    if finding.from_annotations() {
        let job = finding.job.as_deref().map(|job| format!(" of {job}")).unwrap_or_default();
        return format!("the evidence is a check-run annotation{job}, not a log line");
    }
    match &finding.workflow {
        Some(link) => format!(
            "the evidence is in the workflow file, {}:{}, shown in the fix pane",
            link.file, link.line
        ),
        None => "the evidence is in the workflow file, shown in the fix pane".to_owned(),
    }
}

/// Selects the pane's item of finding `index` again after the view under the pane changed.
fn keep_selected(state: &mut State, index: usize) {
    let Some(report) = pane_report(state) else { return };
    if let Some(position) = pane_items(state, &report).iter().position(|item| item.finding == index)
    {
        state.finding = position;
    }
}

/// Opens the log of a finding's job at its evidence line; from the runs list, opens the run
/// first and leaves the finding for when its jobs arrive.
pub fn open_evidence(state: &mut State, finding: &crate::triage::Finding) -> Vec<Effect> {
    let line = usize::try_from(finding.line).unwrap_or(1).saturating_sub(1);
    if state.screen == Screen::Log
        && state.log.as_ref().is_some_and(|log| Some(&log.job.name) == finding.job.as_ref())
    {
        if let Some(log) = &mut state.log {
            log.step = None;
        }
        jump_to_line(state, line);
        state.focus = Focus::Main;
        return Vec::new();
    }
    if state.run.is_none() {
        let effects = runs::open_selected_run(state);
        if let Some(view) = &mut state.run {
            view.pending_evidence = Some(finding.clone());
        }
        state.hint("opening the run at the finding…");
        return effects;
    }
    let job = state
        .run
        .as_ref()
        .and_then(|view| view.jobs.iter().find(|job| Some(&job.name) == finding.job.as_ref()))
        .cloned();
    let Some(job) = job else {
        state.warn("the finding's job is not in this attempt");
        return Vec::new();
    };
    state.focus = Focus::Main;
    let effects = runs::open_log(state, job, None);
    if let Some(log) = &mut state.log {
        log.pending_jump = Some(line);
    }
    effects
}

/// A left click: selects the row under the pointer in the main view. Rows count from the
/// screen's top: the header and the view's border, then the runs list's streak line and column
/// titles, or the run screen's facts line and suspects block, then the rows.
pub fn click(state: &mut State, row: u16) {
    let row = usize::from(row);
    match state.screen {
        Screen::Runs => {
            let count = derived::visible_runs(state).len();
            if let Some(offset) = row.checked_sub(4)
                && offset < count
            {
                state.runs.selected = offset;
            }
        }
        Screen::Run => {
            let Some(view) = &state.run else { return };
            let count = derived::run_rows(view).len();
            let spare = state.page_rows().saturating_sub(count);
            let above = 3 + crate::app::suspects::rows(state, &view.run, spare);
            if let Some(offset) = row.checked_sub(above)
                && offset < count
                && let Some(view) = &mut state.run
            {
                view.selected = offset;
            }
        }
        Screen::Log => {
            let Some(offset) = row.checked_sub(2) else { return };
            if let Some(log) = &state.log
                && let Some(line) = derived::shown_lines(log, offset + 1).get(offset).copied()
                && let Some(log) = &mut state.log
            {
                log.cursor = line;
            }
        }
    }
}
