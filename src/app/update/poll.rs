//! Following a run on GitHub while it is queued or in progress, and after a rerun or cancel:
//! a timer effect, then a read of the run and its latest attempt's jobs, again and again until
//! the run settles or its screen is left. Only live sources are polled: the demo and local
//! files never change.

use crate::app::effect::Effect;
use crate::app::state::{RequestId, State};
use crate::github::model::{Job, Run, Status};
use crate::source::SourceKind;

/// Polls that wait for GitHub to show a rerun or cancel it accepted (the run may still read
/// as completed for a moment).
pub const GRACE_POLLS: u8 = 3;

/// Whether a run has settled: completed, or of a status unknown or new to us (polling it
/// would never end).
fn settled(run: &Run) -> bool {
    run.status.is_none_or(|status| matches!(status, Status::Completed | Status::Unknown))
}

/// Starts following the run in view when it is live and unsettled (or just acted on) and is
/// not followed already.
pub fn watch(state: &mut State) -> Vec<Effect> {
    let Some(view) = &state.run else { return Vec::new() };
    let wanted = !settled(&view.run) || view.grace > 0;
    if state.source.kind != SourceKind::Live || !wanted || state.requests.poll.is_some() {
        return Vec::new();
    }
    let request = state.requests.issue();
    state.requests.poll = Some(request);
    vec![Effect::PollAfter { request, after: state.config.live.poll_interval() }]
}

/// The timer went off: read the run again if it is still followed.
pub fn due(state: &mut State, request: RequestId) -> Vec<Effect> {
    if state.requests.poll != Some(request) {
        return Vec::new();
    }
    let Some(view) = &state.run else {
        state.requests.poll = None;
        return Vec::new();
    };
    vec![Effect::Refresh { request, run: view.run.id }]
}

/// The run was read again: show it, then poll again or, once it settled, triage it.
pub fn refreshed(
    state: &mut State,
    request: RequestId,
    result: Result<Box<(Run, Vec<Job>)>, String>,
) -> Vec<Effect> {
    if state.requests.poll != Some(request) {
        return Vec::new();
    }
    state.requests.poll = None;
    let (run, jobs) = match result {
        Ok(answer) => *answer,
        Err(error) => {
            state.warn(format!("stopped following the run: {error}; esc then enter reopens it"));
            return Vec::new();
        }
    };
    let Some(view) = state.run.as_mut().filter(|view| view.run.id == run.id) else {
        return Vec::new();
    };
    let moved = run.run_attempt != view.run.run_attempt || run.status != view.run.status;
    view.grace = if moved { 0 } else { view.grace.saturating_sub(1) };
    let latest = run.run_attempt.unwrap_or(1);
    if view.attempt == view.run.run_attempt.unwrap_or(1) {
        view.attempt = latest;
        view.jobs = jobs;
        view.loading = false;
    }
    view.run = run.clone();
    if let Some(listed) = state.runs.all.iter_mut().find(|listed| listed.id == run.id) {
        *listed = run.clone();
    }
    if !settled(&run) || view.grace > 0 {
        return watch(state);
    }
    let end = run.conclusion.map_or("completed", crate::github::model::Conclusion::id);
    state.inform(format!("run #{} (attempt {latest}) ended: {end}", run.run_number));
    super::runs::triage(state, &run, latest)
}
