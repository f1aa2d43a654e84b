//! Answers of effects: each is applied only if its request is still the one awaited, so a
//! slow answer to an old question never overwrites a newer one.

use crate::app::effect::Effect;
use crate::app::msg::Msg;
use crate::app::state::{Level, State, Triage};
use crate::github::model::{Conclusion, Status, Step};
use crate::source::SourceKind;

use super::{log, runs};

/// Shows the runs the store kept while the live list the request asked for is on its way; only
/// when nothing is listed yet.
fn runs_stored(
    state: &mut State,
    request: crate::app::state::RequestId,
    (workflows, all): (Vec<crate::github::model::Workflow>, Vec<crate::github::model::Run>),
) {
    if state.requests.runs != Some(request) || !state.runs.all.is_empty() {
        return;
    }
    state.runs.loading = false;
    let count = all.len();
    state.runs.workflows = workflows;
    state.runs.all = all;
    state.runs.selected = state.runs.selected.min(count.saturating_sub(1));
    state.inform(format!("{count} runs from the local store; refreshing…"));
}

/// The live list of runs, or why GitHub would not give it (kept to show in the empty list).
fn runs_loaded(
    state: &mut State,
    request: crate::app::state::RequestId,
    result: Result<(Vec<crate::github::model::Workflow>, Vec<crate::github::model::Run>), String>,
) -> Vec<Effect> {
    if state.requests.runs != Some(request) {
        return Vec::new();
    }
    state.requests.runs = None;
    state.runs.loading = false;
    let (workflows, all) = match result {
        Ok(answer) => answer,
        Err(error) => {
            let text = format!("cannot list runs: {error}");
            state.runs.error = Some(text.clone());
            state.warn(text);
            return Vec::new();
        }
    };
    let count = all.len();
    state.runs.error = None;
    state.runs.workflows = workflows;
    state.runs.all = all;
    state.runs.selected = state.runs.selected.min(count.saturating_sub(1));
    state.inform(format!("{count} runs of {}", state.source.name));
    if state.source.kind == SourceKind::Offline && count == 1 {
        return runs::open_selected_run(state);
    }
    runs::triage_selected(state)
}

/// Applies an effect's answer.
pub fn on_answer(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::RunsLoaded { request, result } => return runs_loaded(state, request, result),
        Msg::RunsStored { request, result } => runs_stored(state, request, result),
        Msg::JobsLoaded { request, result } => {
            if state.requests.jobs != Some(request) {
                return Vec::new();
            }
            state.requests.jobs = None;
            let Some(view) = &mut state.run else { return Vec::new() };
            view.loading = false;
            match result {
                Ok(jobs) => {
                    view.jobs = jobs;
                    let pending = view.pending_evidence.take();
                    fill_steps(state);
                    if let Some(finding) = pending {
                        state.notice.take_if(|notice| notice.level == Level::Hint);
                        return super::global::open_evidence(state, &finding);
                    }
                    let offline = state.source.kind == SourceKind::Offline;
                    if let Some(view) = &state.run
                        && offline
                        && view.jobs.len() == 1
                    {
                        let job = view.jobs[0].clone();
                        return runs::open_log(state, job, None);
                    }
                }
                Err(error) => state.warn(format!("cannot list jobs: {error}")),
            }
        }
        Msg::Triaged { request, key, result } => {
            if state.requests.triage.get(&key) != Some(&request) {
                return Vec::new();
            }
            state.requests.triage.remove(&key);
            let triage = match result {
                Ok(report) => Triage::Ready(report),
                Err(error) => {
                    state.warn(format!("cannot triage: {error}"));
                    Triage::Failed(error)
                }
            };
            state.triage.insert(key, triage);
            fill_steps(state);
        }
        Msg::LogOpened { request, result } => {
            if state.requests.log != Some(request) {
                return Vec::new();
            }
            let Some(view) = &mut state.log else { return Vec::new() };
            match result {
                Ok(bytes) => {
                    view.bytes = Some(bytes.clone());
                    return vec![Effect::IndexLog { request, bytes }];
                }
                Err(error) => view.error = Some(error),
            }
        }
        Msg::LogIndexed { request, chunk } => {
            if state.requests.log != Some(request) {
                return Vec::new();
            }
            indexed(state, chunk);
        }
        Msg::SearchProgressed { request, share } => {
            if let Some(view) = &mut state.log
                && view.search.running.as_ref().is_some_and(|(id, _)| *id == request)
            {
                view.search.progress = share;
            }
        }
        Msg::Searched { request, result } => searched(state, request, result),
        Msg::Exported { result } => match result {
            Ok(path) => state.inform(format!("write-up saved to {}", path.display())),
            Err(error) => state.warn(format!("cannot save the write-up: {error}")),
        },
        Msg::Done { result } => match result {
            Ok(text) => state.inform(text),
            Err(error) => state.warn(error),
        },
        _ => {} // keys, time and answers to reruns are routed in `update`
    }
    Vec::new()
}

/// Jobs read from local files have no step list of their own: take the steps the triage
/// found in their logs, the failed one marked.
fn fill_steps(state: &mut State) {
    let Some(view) = &mut state.run else { return };
    let Some(Triage::Ready(report)) = state.triage.get(&(view.run.id, view.attempt)) else {
        return;
    };
    for job in view.jobs.iter_mut().filter(|job| job.steps.is_empty()) {
        let Some(summary) =
            report.jobs.iter().find(|summary| summary.name.as_deref() == Some(&job.name))
        else {
            continue;
        };
        job.steps = summary
            .steps
            .iter()
            .enumerate()
            .map(|(index, step)| Step {
                name: step.name.clone(),
                status: Some(Status::Completed),
                conclusion: Some(if summary.failed_step.as_ref() == Some(&step.name) {
                    Conclusion::Failure
                } else {
                    Conclusion::Success
                }),
                number: u32::try_from(index + 1).unwrap_or(u32::MAX),
                started_at: None,
                completed_at: None,
            })
            .collect();
    }
}

fn indexed(state: &mut State, chunk: crate::logdoc::IndexChunk) {
    let Some(view) = &mut state.log else { return };
    let groups_before = view.index.groups.len();
    view.index.append(chunk);
    if view.fold_new_groups {
        let new: Vec<usize> =
            view.index.groups[groups_before..].iter().map(|(start, _)| *start).collect();
        for start in new {
            if view.step.as_ref().is_none_or(|(_, first, _)| *first != start) {
                view.folded.insert(start);
            }
        }
    }
    if let Some((_, first, _)) = &view.step
        && view.cursor < *first
    {
        view.cursor = *first;
        view.top = *first;
    }
    if let Some(line) = view.pending_jump
        && (view.index.len() > line || view.index.complete)
    {
        view.pending_jump = None;
        log::jump_to_line(state, line);
    }
    log::keep_cursor_visible(state);
}

fn searched(state: &mut State, request: u64, result: crate::logdoc::search::SearchResult) {
    let Some(view) = &mut state.log else { return };
    if view.search.running.as_ref().is_none_or(|(id, _)| *id != request) {
        return;
    }
    view.search.running = None;
    view.search.progress = 1.0;
    view.search.capped = result.capped;
    view.search.matches = result.lines;
    if let Some((_, first, last)) = &view.step {
        view.search.matches.retain(|line| (*first..=*last).contains(line));
    }
    let count = view.search.matches.len();
    let query = view.search.query.clone();
    if count == 0 {
        state.inform(format!("/{query}/: no match"));
        return;
    }
    let cursor = view.cursor;
    let position = view.search.matches.iter().position(|line| *line >= cursor).unwrap_or(0);
    view.search.current = Some(position);
    let line = view.search.matches[position];
    log::jump_to_line(state, line);
    let capped = if result.capped { " (stopped counting)" } else { "" };
    state.inform(format!("/{query}/: {count} matches{capped}; n and N move between them"));
}
