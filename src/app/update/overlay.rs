//! Keys while a pop-up is open: the help closes on any key, a confirmation takes y or n, and
//! a prompt edits its line until Enter or Esc (↑ in the log's search recalls the last query).
//! A quit key that cannot be typed (ctrl-c) quits from any of them; a typed one (q) answers no
//! to a confirmation.

use crossterm::event::KeyCode;

use super::{log, runs};
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::state::{Overlay, PromptKind, State};
use crate::config::{Context, Key};

/// Handles a key while an overlay is open.
pub fn on_key(state: &mut State, key: &Key) -> Vec<Effect> {
    let quits = state.config.keymap.action(Context::Global, key) == Some(Action::Quit);
    if quits && (key.ctrl || key.alt || !matches!(key.code, KeyCode::Char(_))) {
        state.quit = true;
        return Vec::new();
    }

    let Some(overlay) = state.overlay.take() else { return Vec::new() };
    match overlay {
        Overlay::Help => Vec::new(),
        Overlay::Confirm(confirm) => {
            match key.code {
                KeyCode::Char('y' | 'Y') => return super::act::confirmed(state, &confirm),
                KeyCode::Char('n' | 'N') | KeyCode::Esc => state.inform("canceled"),
                _ if quits => state.inform("canceled"),
                _ => state.overlay = Some(Overlay::Confirm(confirm)),
            }
            Vec::new()
        }
        Overlay::Prompt(mut prompt) => {
            let kind = prompt.kind;
            match key.code {
                KeyCode::Esc => {
                    if kind == PromptKind::RunSearch {
                        state.runs.search.clear();
                    }
                    return Vec::new();
                }
                KeyCode::Enter => {
                    return match kind {
                        PromptKind::RunSearch => {
                            state.runs.search = prompt.text;
                            runs::triage_selected(state)
                        }
                        PromptKind::LogSearch => log::start_search(state, &prompt.text),
                    };
                }
                KeyCode::Backspace => {
                    prompt.text.pop();
                }
                KeyCode::Char(c) if !key.ctrl && !key.alt => prompt.text.push(c),
                KeyCode::Char('u') if key.ctrl => prompt.text.clear(),
                KeyCode::Up if kind == PromptKind::LogSearch => {
                    let last = state.log.as_ref().map(|log| log.search.query.clone());
                    prompt.text = last.unwrap_or_default();
                }
                _ => {}
            }
            if kind == PromptKind::RunSearch {
                state.runs.search.clone_from(&prompt.text);
                state.runs.selected = 0;
            }
            state.overlay = Some(Overlay::Prompt(prompt));
            Vec::new()
        }
    }
}
