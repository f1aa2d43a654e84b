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

/// Below this many columns per help column, each binding shows only the keys that fit in
/// `NARROW_KEYS` columns (its first key at least), leaving room for the description.
const WIDE_COLUMN: usize = 46;

/// Width of the key column of a narrow help column.
const NARROW_KEYS: usize = 8;

/// Draws the overlay, if one is open.
pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State) {
    let theme = &state.config.theme;
    match &state.overlay {
        Some(Overlay::Help) => draw_help(frame, area, state),
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

/// One row of the help: a section title, or keys and what they do.
enum HelpRow {
    Section(String),
    Binding(String, &'static str),
    Closing,
}

fn draw_help(frame: &mut Frame<'_>, area: Rect, state: &State) {
    let here = context(state);
    let mut sections = vec![here];
    if matches!(here, Context::Runs | Context::Run | Context::Log) {
        sections.push(Context::List);
    }
    sections.push(Context::Global);
    let mut rows = Vec::new();
    for section in sections {
        rows.push(HelpRow::Section(format!("{section:?}")));
        for (action, keys) in state.config.keymap.bindings(section) {
            let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
            rows.push(HelpRow::Binding(keys.join(", "), action.description()));
        }
    }
    rows.push(HelpRow::Closing);
    if rows.len() + 2 <= usize::from(area.height) {
        popup(frame, area, " Keys ", help_lines(&rows, state, None), 72);
        return;
    }
    let column = usize::from(area.width.saturating_sub(2) / 2);
    if column < WIDE_COLUMN {
        for row in &mut rows {
            if let HelpRow::Binding(keys, _) = row {
                *keys = keys_within(keys, NARROW_KEYS);
            }
        }
    }
    let mut right = rows.split_off(rows.len().div_ceil(2));
    while let Some(HelpRow::Section(_)) = rows.last() {
        let heading = rows.pop().expect("a last row");
        right.insert(0, heading);
    }
    let tallest = rows.len().max(right.len());
    let height = u16::try_from(tallest + 2).unwrap_or(u16::MAX).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    frame.render_widget(Clear, row);
    let block = Block::bordered().title(" Keys ");
    let inner = block.inner(row);
    frame.render_widget(block, row);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    let fit = |area: Rect| Some(usize::from(area.width));
    // The left column stops a column short, so a cut description never touches the right one.
    let left_fit = fit(left_area).map(|width| width.saturating_sub(1));
    frame.render_widget(Paragraph::new(help_lines(&rows, state, left_fit)), left_area);
    frame.render_widget(Paragraph::new(help_lines(&right, state, fit(right_area))), right_area);
}

/// Help rows as lines, the key column as wide as its widest keys (at most 14; longer key
/// lists are cut with `…`); within `columns`, when given, descriptions are cut with `…` too.
fn help_lines(rows: &[HelpRow], state: &State, columns: Option<usize>) -> Vec<Line<'static>> {
    let theme = &state.config.theme;
    let width = rows
        .iter()
        .filter_map(|row| match row {
            HelpRow::Binding(keys, _) => Some(keys.chars().count()),
            _ => None,
        })
        .max()
        .unwrap_or(0)
        .min(14);
    rows.iter()
        .map(|row| match row {
            HelpRow::Section(name) => {
                Line::styled(name.clone(), theme.style(Role::Accent).add_modifier(Modifier::BOLD))
            }
            HelpRow::Binding(keys, description) => Line::from(vec![
                Span::styled(
                    format!(" {:<width$} ", cut_to(keys, width)),
                    theme.style(Role::Accent),
                ),
                Span::raw(columns.map_or_else(
                    || (*description).to_owned(),
                    |columns| cut_to(description, columns.saturating_sub(width + 2)),
                )),
            ]),
            HelpRow::Closing => Line::styled("any key closes this help", theme.style(Role::Muted)),
        })
        .collect()
}

/// The leading keys of a `, `-separated list that fit in `width` columns; the first always.
fn keys_within(keys: &str, width: usize) -> String {
    let mut kept = String::new();
    for key in keys.split(", ") {
        let wider = if kept.is_empty() { key.to_owned() } else { format!("{kept}, {key}") };
        if !kept.is_empty() && wider.chars().count() > width {
            break;
        }
        kept = wider;
    }
    kept
}

fn cut_to(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
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
