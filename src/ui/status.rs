//! The status bar: the prompt while typing, else a rate-limit countdown or the latest notice,
//! and key hints taken from the keymap.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use crate::app::action::Action;
use crate::app::state::{Level, Overlay, PromptKind, State};
use crate::app::update::context;
use crate::config::theme::Role;
use crate::source::SourceKind;

const HINTS: [(Action, &str); 5] = [
    (Action::Help, "help"),
    (Action::FocusNext, "findings"),
    (Action::Select, "open"),
    (Action::Back, "back"),
    (Action::Quit, "quit"),
];

/// Draws the status bar.
pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State) {
    let theme = &state.config.theme;
    if let Some(Overlay::Prompt(prompt)) = &state.overlay {
        let lead = match prompt.kind {
            PromptKind::RunSearch => "search runs: ",
            PromptKind::LogSearch => "/",
        };
        let line = Line::from(vec![
            Span::styled(lead, theme.style(Role::Accent)),
            Span::raw(prompt.text.clone()),
            Span::styled("█", theme.style(Role::Accent)),
        ]);
        frame.render_widget(line, area);
        return;
    }
    let keymap = &state.config.keymap;
    let hints: Vec<String> = HINTS
        .iter()
        .filter_map(|(action, word)| {
            keymap.key_for(context(state), *action).map(|key| format!("{key} {word}"))
        })
        .collect();
    let shown = if area.width < 100 { 3 } else { hints.len() };
    let mut hints = hints[..shown.min(hints.len())].join(" · ");
    if state.source.kind == SourceKind::Stored {
        hints = format!("offline · local store · {hints}");
    }
    let width = u16::try_from(hints.chars().count() + 2).unwrap_or(u16::MAX).min(area.width / 2);
    let [left, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(width)]).areas(area);
    if let Some(countdown) = super::rate::countdown(state) {
        frame
            .render_widget(Line::styled(format!(" {countdown}"), theme.style(Role::Warning)), left);
    } else if let Some(notice) = &state.notice {
        let role = if notice.level == Level::Error { Role::Failure } else { Role::Muted };
        frame.render_widget(Line::styled(format!(" {}", notice.text), theme.style(role)), left);
    }
    frame.render_widget(Line::styled(hints, theme.style(Role::Muted)), right);
}
