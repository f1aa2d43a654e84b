//! `update(&mut State, Msg) -> Vec<Effect>`: the only place state changes. Pure: no I/O, no
//! clock, no await. Routes keys through the keymap to actions, and effect answers to the slot
//! that awaits them, dropping stale ones. Screen-specific handling is in `update/*`.

mod act;
mod answers;
mod global;
mod log;
mod overlay;
mod poll;
mod runs;
mod suspects;

use crossterm::event::{KeyEventKind, MouseEventKind};

use super::action::Action;
use super::effect::Effect;
use super::msg::Msg;
use super::state::{Ending, Focus, Level, Screen, State};
use crate::config::{Context, Key};
use crate::github::model::RunId;

pub use log::{finding_lines as log_finding_lines, jump_to_line};
pub use runs::start;

/// Applies one message; returns the effects it asks for.
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let listed = listed_run(state);
    let effects = apply(state, msg);
    let after = listed_run(state);
    if listed.is_some() && after.is_some() && after != listed {
        state.finding = 0;
    }
    effects
}

/// The run the runs list has selected while the list is on screen: the pane's selection
/// belongs to it and starts again at the top when it changes.
fn listed_run(state: &State) -> Option<RunId> {
    let run = super::derived::selected_run(state).filter(|_| state.screen == Screen::Runs)?;
    Some(run.id)
}

fn apply(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(state, &Key::from_event(&key)),
        Msg::Key(_) => Vec::new(),
        Msg::Mouse(mouse) => on_mouse(state, mouse.kind, mouse.row),
        Msg::Resize(columns, rows) => {
            state.size = (columns, rows);
            log::keep_cursor_visible(state);
            Vec::new()
        }
        Msg::Tick(now) => {
            state.now = now;
            Vec::new()
        }
        Msg::Terminate => {
            state.quit = true;
            state.ending = Ending::Terminated;
            Vec::new()
        }
        Msg::RateNoted(rate) => {
            state.rate = Some(rate);
            Vec::new()
        }
        Msg::Acted { request, run, action, result } => {
            act::answered(state, request, (run, action), result)
        }
        Msg::Compared { request, range, result } => {
            suspects::compared(state, request, range, result)
        }
        Msg::PollDue { request } => poll::due(state, request),
        Msg::SelectionRested { request } => runs::rested(state, request),
        Msg::Refreshed { request, result } => poll::refreshed(state, request, result),
        answer => answers::on_answer(state, answer),
    }
}

/// The keymap context of what has the keyboard.
pub fn context(state: &State) -> Context {
    if state.focus == Focus::Findings {
        return Context::Findings;
    }
    match state.screen {
        Screen::Runs => Context::Runs,
        Screen::Run => Context::Run,
        Screen::Log => Context::Log,
    }
}

fn on_key(state: &mut State, key: &Key) -> Vec<Effect> {
    if state.notice.as_ref().is_some_and(|notice| notice.level == Level::Hint) {
        state.notice = None;
    }

    if state.overlay.is_some() {
        return overlay::on_key(state, key);
    }
    let Some(action) = state.config.keymap.action(context(state), key) else {
        return Vec::new();
    };
    act(state, action)
}

/// Carries out one action.
pub fn act(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(effects) = global::act(state, action) {
        return effects;
    }
    if state.focus == Focus::Findings {
        return global::act_in_findings(state, action);
    }
    match state.screen {
        Screen::Runs => runs::act(state, action),
        Screen::Run => runs::act_in_run(state, action),
        Screen::Log => log::act(state, action),
    }
}

fn on_mouse(state: &mut State, kind: MouseEventKind, row: u16) -> Vec<Effect> {
    match kind {
        MouseEventKind::ScrollUp => (0..3).flat_map(|_| act(state, Action::Up)).collect(),
        MouseEventKind::ScrollDown => (0..3).flat_map(|_| act(state, Action::Down)).collect(),
        MouseEventKind::Down(_) => {
            global::click(state, row);
            Vec::new()
        }
        _ => Vec::new(),
    }
}
