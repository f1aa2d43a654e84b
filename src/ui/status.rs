//! The status bar: the prompt while typing, else a rate-limit countdown or the latest notice
//! (cut with … rather than run into the hints), and key hints taken from the keymap.

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

/// Blank columns kept between the message and the key hints, so they never read as one.
const GAP: usize = 2;

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
    let message =
        super::rate::countdown(state).map(|countdown| (countdown, Role::Warning)).or_else(|| {
            state.notice.as_ref().map(|notice| {
                let role = if notice.level == Level::Error { Role::Failure } else { Role::Muted };
                (notice.text.clone(), role)
            })
        });
    let used = message.as_ref().map_or(0, |(text, _)| text.chars().count() + 1 + GAP);
    let room = usize::from(area.width).saturating_sub(used);
    let hints = hints_within(state, usize::from(area.width), room);
    let width = u16::try_from(hints.chars().count() + 2).unwrap_or(u16::MAX).min(area.width);
    let [left, right] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(width)]).areas(area);
    if let Some((text, role)) = message {
        let gap = if hints.is_empty() { 0 } else { GAP };
        let fits = usize::from(left.width).saturating_sub(1 + gap);
        let text = super::text::cut_at_word(&text, fits);
        frame.render_widget(Line::styled(format!(" {text}"), theme.style(role)), left);
    }
    frame.render_widget(Line::styled(hints, theme.style(Role::Muted)), right);
}

/// The key hints that fit in `room` columns beside the message, fewest first dropped from the
/// end: a message is never cut for a hint. On a narrow bar (under 100 columns) three at most.
fn hints_within(state: &State, bar: usize, room: usize) -> String {
    let keymap = &state.config.keymap;
    let all: Vec<String> = HINTS
        .iter()
        .filter_map(|(action, word)| {
            keymap.key_for(context(state), *action).map(|key| format!("{key} {word}"))
        })
        .collect();
    let most = if bar < 100 { 3 } else { all.len() };
    let lead = if state.source.kind == SourceKind::Stored { "offline · local store" } else { "" };
    for shown in (0..=most.min(all.len())).rev() {
        let hints = all[..shown].join(" · ");
        let text = match (lead.is_empty(), hints.is_empty()) {
            (true, _) => hints,
            (false, true) => lead.to_owned(),
            (false, false) => format!("{lead} · {hints}"),
        };
        if text.chars().count() + 2 <= room || shown == 0 {
            return text;
        }
    }
    String::new()
}
