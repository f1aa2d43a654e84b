//! Rerun and cancel from the TUI: a confirmation that says exactly what a yes sends, the
//! request once confirmed (to a live source only: the demo and local files send nothing and
//! say so), and GitHub's answer on the status line.

use crate::app::action::Action;
use crate::app::derived::{run_rows, selected_run};
use crate::app::effect::Effect;
use crate::app::state::{Confirm, Overlay, PendingAction, RunRow, Screen, State};
use crate::github::act::{DebugLogging, RunAction};
use crate::github::model::{Job, Run, Status};
use crate::source::SourceKind;

/// Opens the confirmation for a rerun or cancel key.
pub fn ask(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(run) = run_in_view(state) else {
        state.warn("no run in view to rerun or cancel");
        return Vec::new();
    };
    let (run_action, what) = match action {
        Action::RerunAll => (RunAction::Rerun(DebugLogging::Off), "the whole run".to_owned()),
        Action::RerunDebug => (
            RunAction::RerunFailed(DebugLogging::On),
            "the failed jobs with debug logging".to_owned(),
        ),
        Action::RerunAllDebug => {
            (RunAction::Rerun(DebugLogging::On), "the whole run with debug logging".to_owned())
        }
        Action::CancelRun => (RunAction::Cancel, String::new()),
        Action::ForceCancel => (RunAction::ForceCancel, String::new()),
        Action::RerunJob | Action::RerunJobDebug => {
            let Some(job) = selected_job(state) else {
                state.warn("select a job on the run screen to rerun it alone");
                return Vec::new();
            };
            let (debug, with) = match action {
                Action::RerunJobDebug => (DebugLogging::On, " with debug logging"),
                _ => (DebugLogging::Off, ""),
            };
            (RunAction::RerunJob(job.id, debug), format!("job `{}`{with}", job.name))
        }
        _ => (RunAction::RerunFailed(DebugLogging::Off), "the failed jobs".to_owned()),
    };
    let name = format!("{} #{}", run.name.as_deref().unwrap_or("run"), run.run_number);
    let title = match run_action {
        RunAction::Cancel => format!("Cancel {name}?"),
        RunAction::ForceCancel => format!("Force-cancel {name}?"),
        _ => format!("Rerun {what} of {name}?"),
    };
    let body = body(state, &run, run_action);
    let action = Some(PendingAction { run: run.id, action: run_action });
    state.overlay = Some(Overlay::Confirm(Confirm { title, body, action }));
    Vec::new()
}

/// What the confirmation says: the request, its body, where it goes, what may go wrong.
fn body(state: &State, run: &Run, action: RunAction) -> Vec<String> {
    let live = state.source.kind == SourceKind::Live;
    let verb = if live { "Sends" } else { "Would send" };
    let mut body = vec![format!("{verb}: POST {}", action.route(&repo(state), run.id))];
    if let Some(json) = action.body() {
        body.push(format!("with the body {json}"));
    }
    let settled = run.status.is_none_or(|status| status == Status::Completed);
    if action.is_rerun() && !settled {
        body.push("The run is still in progress: GitHub will likely refuse.".to_owned());
    }
    if !action.is_rerun() && settled {
        body.push("The run has completed: GitHub will likely refuse (409).".to_owned());
    }
    if action == RunAction::ForceCancel {
        body.push(
            "Stops it even past always() steps: for a run that cancel does not stop.".to_owned(),
        );
    }
    body.push(match state.source.kind {
        SourceKind::Demo => "Demo mode: nothing is sent.".to_owned(),
        SourceKind::Offline => "Offline mode (local files): nothing is sent.".to_owned(),
        SourceKind::Stored => "Offline mode (local store): nothing is sent.".to_owned(),
        SourceKind::Live => "The token needs the Actions write permission.".to_owned(),
    });
    body.push("y: confirm · n or esc: cancel".to_owned());
    body
}

/// The repository named in routes: the source's `owner/name` (a path for local files).
fn repo(state: &State) -> crate::github::repo::Repo {
    state.source.name.parse().unwrap_or_else(|_| crate::github::repo::Repo {
        owner: "OWNER".to_owned(),
        name: "REPO".to_owned(),
    })
}

/// A yes: sends the request to a live source, or says that nothing was sent.
pub fn confirmed(state: &mut State, confirm: &Confirm) -> Vec<Effect> {
    let question = confirm.title.trim_end_matches('?');
    let Some(PendingAction { run, action }) = confirm.action else {
        state.inform(format!("{question}: nothing to send"));
        return Vec::new();
    };
    match state.source.kind {
        SourceKind::Demo => state.inform(format!("{question}: demo mode: nothing was sent")),
        SourceKind::Offline | SourceKind::Stored => {
            state.inform(format!("{question}: offline mode: nothing was sent"));
        }
        SourceKind::Live => {
            let request = state.requests.issue();
            state.requests.action = Some(request);
            state.inform(format!("asking GitHub to {}…", action.describe(run)));
            return vec![Effect::Act { request, run, action }];
        }
    }
    Vec::new()
}

/// GitHub's answer: on the status line.
pub fn answered(
    state: &mut State,
    request: u64,
    (run, action): (crate::github::model::RunId, RunAction),
    result: Result<u16, String>,
) -> Vec<Effect> {
    if state.requests.action != Some(request) {
        return Vec::new();
    }
    state.requests.action = None;
    match result {
        Ok(status) => state.inform(format!("{} ({status}) for run {run}", action.accepted())),
        Err(why) => {
            state.warn(why);
            return Vec::new();
        }
    }
    let Some(view) = state.run.as_mut().filter(|view| view.run.id == run) else {
        return Vec::new();
    };
    view.grace = super::poll::GRACE_POLLS;
    super::poll::watch(state)
}

/// The run in view: the run screen's, else the runs list's selection.
fn run_in_view(state: &State) -> Option<Run> {
    match &state.run {
        Some(view) => Some(view.run.clone()),
        None => selected_run(state).cloned(),
    }
}

/// The job selected on the run screen (a step's job; a matrix header's failed leg).
fn selected_job(state: &State) -> Option<Job> {
    let view = state.run.as_ref().filter(|_| state.screen != Screen::Runs)?;
    if state.screen == Screen::Log {
        return state.log.as_ref().map(|log| log.job.clone());
    }
    let index = match run_rows(view).get(view.selected)? {
        RunRow::Job(job) | RunRow::Step(job, _) => *job,
        RunRow::Matrix(_, legs) => {
            legs.iter().copied().find(|leg| view.jobs[*leg].failed()).unwrap_or(legs[0])
        }
    };
    view.jobs.get(index).cloned()
}
