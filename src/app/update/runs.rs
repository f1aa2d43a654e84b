//! The runs list and the run screen: moving, filtering, opening a run, choosing an attempt,
//! and opening a job's or a step's log. Asks for triage of a failed run as soon as it is
//! selected, so the findings pane fills without a key press; on a live source once the
//! selection rests, so running through the list does not ask GitHub about every run passed.

use crate::app::action::Action;
use crate::app::derived::{run_rows, selected_run, visible_runs};
use crate::app::effect::Effect;
use crate::app::state::{
    LogSearch, LogState, Prompt, PromptKind, RunRow, RunState, Screen, State, StatusFilter, Triage,
};
use crate::github::model::{Job, Run, Status};
use crate::logdoc::LineIndex;
use crate::source::SourceKind;

/// How long the runs list's selection must stay put before a live run is triaged.
pub const SELECTION_REST: std::time::Duration = std::time::Duration::from_millis(300);

/// The effects that start the program: load the runs.
pub fn start(state: &mut State) -> Vec<Effect> {
    let request = state.requests.issue();
    state.requests.runs = Some(request);
    state.runs.loading = true;
    state.inform(format!("loading runs of {}…", state.source.name));
    vec![Effect::LoadRuns { request }]
}

/// Asks for triage of a run attempt unless it is known or under way; green runs are triaged
/// too (their warnings, deprecations among them, are findings). The suspect commits of a
/// failed run's streak are asked for with it.
pub fn triage(state: &mut State, run: &Run, attempt: u32) -> Vec<Effect> {
    let key = (run.id, attempt);
    let settled = run.status.is_none_or(|status| status == Status::Completed);
    let mut effects = Vec::new();
    if !state.triage.contains_key(&key) && settled {
        let request = state.requests.issue();
        state.requests.triage.insert(key, request);
        state.triage.insert(key, Triage::Loading);
        effects.push(Effect::Triage { request, run: Box::new(run.clone()), attempt });
    }
    effects.extend(super::suspects::ask(state, run));
    effects
}

/// Triage for the run the list has selected.
pub fn triage_selected(state: &mut State) -> Vec<Effect> {
    let Some(run) = selected_run(state).cloned() else { return Vec::new() };
    triage(state, &run, run.run_attempt.unwrap_or(1))
}

/// Keys of the runs list.
pub fn act(state: &mut State, action: Action) -> Vec<Effect> {
    let count = visible_runs(state).len();
    let page = state.page_rows();
    let runs = &mut state.runs;
    match action {
        Action::Up => runs.selected = runs.selected.saturating_sub(1),
        Action::Down => runs.selected = (runs.selected + 1).min(count.saturating_sub(1)),
        Action::PageUp => runs.selected = runs.selected.saturating_sub(page),
        Action::PageDown => runs.selected = (runs.selected + page).min(count.saturating_sub(1)),
        Action::Top => runs.selected = 0,
        Action::Bottom => runs.selected = count.saturating_sub(1),
        Action::Select => return open_selected_run(state),
        Action::Search => {
            let text = state.runs.search.clone();
            state.overlay = Some(crate::app::state::Overlay::Prompt(Prompt {
                kind: PromptKind::RunSearch,
                text,
            }));
        }
        Action::FilterStatus => {
            runs.status = match runs.status {
                StatusFilter::All => StatusFilter::Failed,
                StatusFilter::Failed => StatusFilter::Succeeded,
                StatusFilter::Succeeded => StatusFilter::Active,
                StatusFilter::Active => StatusFilter::All,
            };
            runs.selected = 0;
        }
        Action::FilterWorkflow => {
            let ids: Vec<_> = runs.workflows.iter().map(|workflow| workflow.id).collect();
            runs.workflow = cycle(&ids, runs.workflow.as_ref()).copied();
            runs.selected = 0;
        }
        Action::FilterBranch => {
            let mut branches: Vec<String> =
                runs.all.iter().filter_map(|run| run.head_branch.clone()).collect();
            branches.sort();
            branches.dedup();
            runs.branch = cycle(&branches, runs.branch.as_ref()).cloned();
            runs.selected = 0;
        }
        Action::ClearFilters => {
            runs.status = StatusFilter::All;
            runs.workflow = None;
            runs.branch = None;
            runs.search.clear();
            runs.selected = 0;
        }
        _ => return Vec::new(),
    }
    triage_selected_soon(state)
}

/// Triage of the selection: at once from the demo and local files, on a live source once the
/// selection has rested for [`SELECTION_REST`] (a newer move makes the older wait stale).
fn triage_selected_soon(state: &mut State) -> Vec<Effect> {
    if state.source.kind != SourceKind::Live {
        return triage_selected(state);
    }
    let Some(run) = selected_run(state) else { return Vec::new() };
    if state.triage.contains_key(&(run.id, run.run_attempt.unwrap_or(1))) {
        state.requests.rest = None;
        return Vec::new();
    }
    let request = state.requests.issue();
    state.requests.rest = Some(request);
    vec![Effect::TriageAfter { request, after: SELECTION_REST }]
}

/// The selection rested: triage it, unless a later move started a newer wait.
pub fn rested(state: &mut State, request: crate::app::state::RequestId) -> Vec<Effect> {
    if state.requests.rest != Some(request) {
        return Vec::new();
    }
    state.requests.rest = None;
    triage_selected(state)
}

/// The value after `current` in `values`, then none, then the first again.
fn cycle<'a, T: PartialEq>(values: &'a [T], current: Option<&T>) -> Option<&'a T> {
    match current {
        None => values.first(),
        Some(value) => {
            let position = values.iter().position(|candidate| candidate == value)?;
            values.get(position + 1)
        }
    }
}

/// Opens the run the list has selected.
pub fn open_selected_run(state: &mut State) -> Vec<Effect> {
    let Some(run) = selected_run(state).cloned() else { return Vec::new() };
    let attempt = run.run_attempt.unwrap_or(1);
    let view = RunState {
        run: run.clone(),
        attempt,
        jobs: Vec::new(),
        loading: true,
        selected: 0,
        grace: 0,
        pending_evidence: None,
    };
    state.run = Some(view);
    state.screen = Screen::Run;
    state.finding = 0;
    state.notice = None;
    state.requests.poll = None;
    let mut effects = load_attempt(state, &run, attempt);
    effects.extend(super::poll::watch(state));
    effects
}

fn load_attempt(state: &mut State, run: &Run, attempt: u32) -> Vec<Effect> {
    let request = state.requests.issue();
    state.requests.jobs = Some(request);
    let mut effects = vec![Effect::LoadJobs { request, run: run.id, attempt }];
    effects.extend(triage(state, run, attempt));
    effects
}

/// Keys of the run screen.
pub fn act_in_run(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(view) = &mut state.run else { return Vec::new() };
    let count = run_rows(view).len();
    match action {
        Action::Up => view.selected = view.selected.saturating_sub(1),
        Action::Down => view.selected = (view.selected + 1).min(count.saturating_sub(1)),
        Action::Top => view.selected = 0,
        Action::Bottom => view.selected = count.saturating_sub(1),
        Action::PageUp => view.selected = view.selected.saturating_sub(10),
        Action::PageDown => view.selected = (view.selected + 10).min(count.saturating_sub(1)),
        Action::PreviousAttempt | Action::NextAttempt => return change_attempt(state, action),
        Action::Select | Action::WholeJobLog => {
            let Some(row) = run_rows(view).get(view.selected).cloned() else { return Vec::new() };
            let (job, step) = match row {
                RunRow::Job(job) => (job, None),
                RunRow::Step(job, step) => (job, Some(step)),
                RunRow::Matrix(_, legs) => {
                    let failed = legs.iter().copied().find(|leg| view.jobs[*leg].failed());
                    (failed.unwrap_or(legs[0]), None)
                }
            };
            let job = view.jobs[job].clone();
            let step =
                step.filter(|_| action == Action::Select).map(|step| job.steps[step].name.clone());
            return open_log(state, job, step);
        }
        _ => {}
    }
    state.finding = 0;
    Vec::new()
}

fn change_attempt(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(view) = &mut state.run else { return Vec::new() };
    let latest = view.run.run_attempt.unwrap_or(1);
    let wanted = match action {
        Action::PreviousAttempt => view.attempt.saturating_sub(1).max(1),
        _ => (view.attempt + 1).min(latest),
    };
    if wanted == view.attempt {
        state.hint(format!("attempt {wanted} of {latest}: no other attempt that way"));
        return Vec::new();
    }
    view.attempt = wanted;
    view.jobs.clear();
    view.loading = true;
    view.selected = 0;
    let run = view.run.clone();
    state.inform(format!("attempt {wanted} of {latest}"));
    load_attempt(state, &run, wanted)
}

/// Opens a job's log, limited to one step's lines when `step` is given and known.
pub fn open_log(state: &mut State, job: Job, step: Option<String>) -> Vec<Effect> {
    let request = state.requests.issue();
    state.requests.log = Some(request);
    let job_id = job.id;
    let step_range = step.and_then(|name| step_lines(state, &job, &name));
    state.log = Some(LogState {
        job,
        step: step_range,
        bytes: None,
        index: LineIndex::default(),
        top: 0,
        cursor: 0,
        folded: std::collections::BTreeSet::new(),
        fold_new_groups: true,
        timestamps: false,
        wrap: false,
        search: LogSearch::default(),
        pending_jump: None,
        error: None,
    });
    state.screen = Screen::Log;
    state.finding = 0;
    vec![Effect::OpenLog { request, job: job_id }]
}

/// `(title, first, last)` 0-based lines of a step from the run's triage, when known.
fn step_lines(state: &mut State, job: &Job, step: &str) -> Option<(String, usize, usize)> {
    let view = state.run.as_ref()?;
    let Some(Triage::Ready(report)) = state.triage.get(&(view.run.id, view.attempt)) else {
        state.inform("the step's lines are not known yet: showing the whole job");
        return None;
    };
    let summary = report.jobs.iter().find(|summary| summary.name.as_deref() == Some(&job.name));
    let Some(summary) = summary else {
        state.inform("this job's log was not triaged: showing the whole job");
        return None;
    };
    let position = summary.steps.iter().position(|candidate| candidate.name == step);
    let Some(position) = position else {
        state.inform(format!("no lines of `{step}` were found: showing the whole job"));
        return None;
    };
    let first = usize::try_from(summary.steps[position].first_line).ok()?.saturating_sub(1);
    let last = summary.steps.get(position + 1).map_or(usize::MAX, |next| {
        usize::try_from(next.first_line).unwrap_or(usize::MAX).saturating_sub(2)
    });
    Some((step.to_owned(), first, last))
}
