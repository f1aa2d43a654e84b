//! The log screen: line numbers, optional timestamps, folded groups, ANSI colours, error and
//! finding marks, search matches, the cursor, and wrap. Only the rows on screen are touched.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::border_style;
use super::rows::wrap_line;
use super::text::{styled_message, visible};
use crate::app::derived::{next_line, previous_line, shown_lines};
use crate::app::state::{Focus, LogState, State};
use crate::app::update::log_finding_lines;
use crate::config::Theme;
use crate::config::theme::Role;
use crate::joblog::line::{self, Marker};
use crate::logdoc::line_bytes;

/// Draws the log in view.
pub fn draw(frame: &mut Frame<'_>, area: Rect, state: &State) {
    let theme = &state.config.theme;
    let Some(log) = &state.log else { return };
    let block = Block::bordered().title(title(log)).border_style(border_style(state, Focus::Main));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    if let Some(error) = &log.error {
        let text = vec![
            Line::styled("This log cannot be shown.", theme.style(Role::Failure)),
            Line::raw(error.clone()),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return;
    }
    let Some(bytes) = &log.bytes else {
        frame.render_widget(
            Paragraph::new("opening the log…").style(theme.style(Role::Muted)),
            inner,
        );
        return;
    };

    let findings = log_finding_lines(state);
    let width = log.index.len().max(1).to_string().len();
    let render = |number: usize| {
        let raw = line_bytes(bytes.as_slice(), &log.index, number).unwrap_or_default();
        let marks = Marks {
            cursor: number == log.cursor,
            finding: findings.binary_search(&number).is_ok(),
            matched: log.search.matches.binary_search(&number).is_ok(),
            folded: log.folded.contains(&number),
        };
        render_line(log, raw, number, width, marks, theme)
    };
    let rows = usize::from(inner.height);
    let lines: Vec<Line<'static>> = if log.wrap {
        wrapped_rows(log, rows, usize::from(inner.width), &render)
    } else {
        shown_lines(log, rows).into_iter().map(render).collect()
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The screen rows of a wrapped log: from the top line, unless the cursor's line would end
/// below the pane (then the rows end with it) or the log ends early (then they end with it).
fn wrapped_rows(
    log: &LogState,
    rows: usize,
    width: usize,
    render: &dyn Fn(usize) -> Line<'static>,
) -> Vec<Line<'static>> {
    let mut shown = Vec::new();
    let mut cursor_end = None;
    let mut line = Some(log.top);
    let mut last = log.top;
    while let Some(number) = line
        && shown.len() < rows
    {
        shown.extend(wrap_line(render(number), width));
        if number == log.cursor {
            cursor_end = Some(shown.len());
        }
        last = number;
        line = next_line(log, number);
    }
    let cursor_shown = log.cursor == log.top || cursor_end.is_some_and(|end| end <= rows);
    if !cursor_shown {
        return rows_ending_with(log, log.cursor, rows, width, render);
    }
    if line.is_none() && shown.len() < rows && previous_line(log, log.top).is_some() {
        return rows_ending_with(log, last, rows, width, render);
    }
    shown.truncate(rows);
    shown
}

/// The last `rows` rows up to the end of `line`, or the start of `line` when it alone is taller.
fn rows_ending_with(
    log: &LogState,
    line: usize,
    rows: usize,
    width: usize,
    render: &dyn Fn(usize) -> Line<'static>,
) -> Vec<Line<'static>> {
    let mut own = wrap_line(render(line), width);
    if own.len() >= rows {
        own.truncate(rows);
        return own;
    }
    let mut before: Vec<Vec<Line<'static>>> = Vec::new();
    let mut count = own.len();
    let mut previous = previous_line(log, line);
    while let Some(number) = previous
        && count < rows
    {
        let lines = wrap_line(render(number), width);
        count += lines.len();
        before.push(lines);
        previous = previous_line(log, number);
    }
    let mut shown: Vec<Line<'static>> = before.into_iter().rev().flatten().collect();
    shown.append(&mut own);
    let extra = shown.len().saturating_sub(rows);
    shown.drain(..extra);
    shown
}

fn title(log: &LogState) -> String {
    let scope =
        log.step.as_ref().map_or_else(|| "whole job".to_owned(), |(step, _, _)| step.clone());
    let progress = if log.index.complete || log.bytes.is_none() {
        String::new()
    } else {
        let total = log.bytes.as_ref().map_or(1, crate::logdoc::LogBytes::len);
        let done = usize::try_from(log.index.indexed_bytes).unwrap_or(total);
        format!(" · indexing {:.0}%", crate::logdoc::search::share(done, total) * 100.0)
    };
    let search = match (&log.search.running, log.search.matches.len()) {
        (Some(_), _) => format!(" · searching {:.0}%", log.search.progress * 100.0),
        (None, 0) if !log.search.query.is_empty() => format!(" · /{}/ no match", log.search.query),
        (None, 0) => String::new(),
        (None, count) => format!(
            " · /{}/ {}/{count}",
            log.search.query,
            log.search.current.map_or(0, |current| current + 1)
        ),
    };
    let lines = match &log.step {
        Some((_, first, last)) => {
            ((*last).min(log.index.len().saturating_sub(1)) + 1).saturating_sub(*first)
        }
        None => log.index.len(),
    };
    format!(" {scope} · {lines} lines{search}{progress} · {} ", log.job.name)
}

#[derive(Clone, Copy)]
#[expect(clippy::struct_excessive_bools, reason = "four independent marks of one line")]
struct Marks {
    cursor: bool,
    finding: bool,
    matched: bool,
    folded: bool,
}

fn render_line(
    log: &LogState,
    raw: &[u8],
    number: usize,
    width: usize,
    marks: Marks,
    theme: &Theme,
) -> Line<'static> {
    let parts = line::split(raw, false);
    let gutter = if marks.finding {
        Span::styled("●", theme.style(Role::Finding))
    } else if marks.matched {
        Span::styled("▶", theme.style(Role::Match))
    } else {
        Span::raw(" ")
    };
    let mut spans =
        vec![gutter, Span::styled(format!("{:>width$} ", number + 1), theme.style(Role::Muted))];
    if log.timestamps
        && let Some(stamp) = raw_timestamp(raw)
    {
        spans.push(Span::styled(format!("{stamp} "), theme.style(Role::Muted)));
    }
    match parts.marker {
        Marker::Group => {
            let arrow = if marks.folded { "▸ " } else { "▾ " };
            spans.push(Span::styled(arrow, theme.style(Role::Accent)));
            spans.push(Span::styled(
                visible(&line::readable(parts.message)),
                Style::new().add_modifier(Modifier::BOLD),
            ));
        }
        Marker::EndGroup => spans.push(Span::styled("", theme.style(Role::Muted))),
        Marker::Error => {
            spans.push(Span::styled(
                "Error: ",
                theme.style(Role::Failure).add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::styled(
                visible(&line::readable(parts.message)),
                theme.style(Role::Failure),
            ));
        }
        Marker::Warning => {
            spans.push(Span::styled(
                "Warning: ",
                theme.style(Role::Warning).add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::styled(
                visible(&line::readable(parts.message)),
                theme.style(Role::Warning),
            ));
        }
        Marker::Command | Marker::Debug | Marker::Notice | Marker::Other => {
            spans.push(Span::styled(
                visible(&line::readable(parts.message)),
                theme.style(Role::Muted),
            ));
        }
        Marker::None => spans.extend(styled_message(parts.message).spans),
    }
    let line = Line::from(spans);
    if marks.cursor { line.patch_style(theme.style(Role::Selection)) } else { line }
}

fn raw_timestamp(raw: &[u8]) -> Option<String> {
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let (time, _) = line::split_timestamp(raw);
    time?;
    let end = memchr::memchr(b' ', raw)?;
    Some(String::from_utf8_lossy(&raw[..end]).into_owned())
}
