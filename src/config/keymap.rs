//! Key bindings: key strings from the config parsed into keys, and one table per context
//! that turns a key into an action. The same table drives dispatch, the footer and the help.

use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::app::action::Action;

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Everywhere.
    Global,
    /// Every list and the log.
    List,
    /// The runs screen.
    Runs,
    /// The run screen (jobs and steps).
    Run,
    /// The log screen.
    Log,
    /// The findings pane.
    Findings,
}

impl FromStr for Context {
    type Err = String;

    fn from_str(name: &str) -> Result<Context, String> {
        match name {
            "global" => Ok(Context::Global),
            "list" => Ok(Context::List),
            "runs" => Ok(Context::Runs),
            "run" => Ok(Context::Run),
            "log" => Ok(Context::Log),
            "findings" => Ok(Context::Findings),
            _ => Err(format!(
                "unknown key section `{name}`; use global, list, runs, run, log or findings"
            )),
        }
    }
}

/// A key with its modifiers, as the config writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Only Ctrl and Alt count; Shift is part of the character.
    pub ctrl: bool,
    /// Alt held.
    pub alt: bool,
}

impl Key {
    /// The key of a terminal key event.
    pub fn from_event(event: &KeyEvent) -> Key {
        Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }
}

impl FromStr for Key {
    type Err = String;

    fn from_str(text: &str) -> Result<Key, String> {
        let mut rest = text;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            if let Some(after) = rest.strip_prefix("ctrl-").filter(|after| !after.is_empty()) {
                ctrl = true;
                rest = after;
            } else if let Some(after) = rest.strip_prefix("alt-").filter(|after| !after.is_empty())
            {
                alt = true;
                rest = after;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "backspace" => KeyCode::Backspace,
            function if function.starts_with('f') && function.len() > 1 => {
                let number = function[1..].parse().map_err(|_| format!("unknown key `{text}`"))?;
                KeyCode::F(number)
            }
            single if single.chars().count() == 1 => {
                KeyCode::Char(single.chars().next().unwrap_or(' '))
            }
            _ => return Err(format!("unknown key `{text}`")),
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("backtab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("pageup"),
            KeyCode::PageDown => f.write_str("pagedown"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::F(number) => write!(f, "f{number}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Bindings per context, in the order the config lists them.
#[derive(Clone, Debug, Default)]
pub struct Keymap {
    bindings: Vec<(Context, Action, Vec<Key>)>,
}

impl Keymap {
    /// Binds `action` in `context` to `keys`, replacing its earlier keys there.
    pub fn bind(&mut self, context: Context, action: Action, keys: Vec<Key>) {
        match self.bindings.iter_mut().find(|(c, a, _)| *c == context && *a == action) {
            Some(binding) => binding.2 = keys,
            None => self.bindings.push((context, action, keys)),
        }
    }

    /// The action `key` means in `context`: that context first, then lists, then global.
    pub fn action(&self, context: Context, key: &Key) -> Option<Action> {
        let order: &[Context] = match context {
            Context::Runs | Context::Run | Context::Log => {
                &[context, Context::List, Context::Global]
            }
            Context::Findings => &[Context::Findings, Context::Global],
            Context::List | Context::Global => &[context, Context::Global],
        };
        order.iter().find_map(|wanted| {
            self.bindings
                .iter()
                .find(|(c, _, keys)| c == wanted && keys.contains(key))
                .map(|(_, action, _)| *action)
        })
    }

    /// The bindings of one context in the order the actions are documented, for the help.
    pub fn bindings(&self, context: Context) -> Vec<(Action, &[Key])> {
        let mut found: Vec<(Action, &[Key])> = self
            .bindings
            .iter()
            .filter(|(c, _, keys)| *c == context && !keys.is_empty())
            .map(|(_, action, keys)| (*action, keys.as_slice()))
            .collect();
        found.sort_by_key(|(action, _)| {
            crate::app::action::ACTIONS.iter().position(|(known, _, _)| known == action)
        });
        found
    }

    /// The first key bound to `action` in `context` or global, for hints.
    pub fn key_for(&self, context: Context, action: Action) -> Option<Key> {
        [context, Context::List, Context::Global].iter().find_map(|wanted| {
            self.bindings
                .iter()
                .find(|(c, a, _)| c == wanted && *a == action)
                .and_then(|(_, _, keys)| keys.first().copied())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_strings_parse_and_print_back() {
        for text in ["q", "G", "ctrl-c", "enter", "space", "f5", "alt-x", "?"] {
            let key: Key = text.parse().unwrap();
            assert_eq!(key.to_string(), text);
        }
        assert!("ctrl-".parse::<Key>().is_err());
        assert_eq!("-".parse::<Key>().unwrap().code, KeyCode::Char('-'));
        assert!("hyper-x".parse::<Key>().is_err());
    }

    #[test]
    fn shift_is_part_of_the_character() {
        let event = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&event), "G".parse().unwrap());
    }
}
