//! Pop-ups: the key help generated from the keymap, and confirmations.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::app::state::{Overlay, State};
use crate::app::update::context;
use crate::config::Context;
use crate::config::theme::Role;

/// Draws the overlay, if one is open.
pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State) {
    let theme = &state.config.theme;
    match &state.overlay {
        Some(Overlay::Help) => {
            let mut lines = Vec::new();
            let here = context(state);
            let mut sections = vec![here];
            if matches!(here, Context::Runs | Context::Run | Context::Log) {
                sections.push(Context::List);
            }
            sections.push(Context::Global);
            for section in sections {
                lines.push(Line::styled(
                    format!("{section:?}"),
                    theme.style(Role::Accent).add_modifier(Modifier::BOLD),
                ));
                for (action, keys) in state.config.keymap.bindings(section) {
                    let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
                    lines.push(Line::from(vec![
                        Span::styled(
                            format!("  {:<16}", keys.join(" ")),
                            theme.style(Role::Accent),
                        ),
                        Span::raw(action.description()),
                    ]));
                }
            }
            lines.push(Line::styled("any key closes this help", theme.style(Role::Muted)));
            popup(frame, area, " Keys ", lines, 64);
        }
        Some(Overlay::Confirm(confirm)) => {
            let mut lines = vec![Line::styled(
                confirm.title.clone(),
                theme.style(Role::Warning).add_modifier(Modifier::BOLD),
            )];
            lines.extend(confirm.body.iter().map(|line| Line::raw(line.clone())));
            popup(frame, area, " Confirm ", lines, 72);
        }
        Some(Overlay::Prompt(_)) | None => {}
    }
}

fn popup(frame: &mut Frame<'_>, area: Rect, title: &str, lines: Vec<Line<'static>>, width: u16) {
    let inner = usize::from(width.min(area.width).saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|line| wrapped_rows(&line.to_string(), inner)).sum();
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    frame.render_widget(Clear, cell);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(title.to_owned()))
            .wrap(Wrap { trim: false }),
        cell,
    );
}

/// Rows a line takes when word-wrapped at `width` columns, so that no wrapped line is cut off.
fn wrapped_rows(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used: Option<usize> = None;
    for word in text.split(' ').map(|word| word.chars().count()) {
        match used {
            Some(columns) if columns + 1 + word <= width => {
                used = Some(columns + 1 + word);
                continue;
            }
            Some(_) => rows += 1,
            None => {}
        }
        let extra = word.saturating_sub(1) / width;
        rows += extra;
        used = Some(word - extra * width);
    }
    rows
}
