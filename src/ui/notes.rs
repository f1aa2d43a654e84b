//! The notes of a run's triage at the top of the findings pane: what the reader should know
//! about how the run was read (workflow files not read, a file list cut short, lines cut), muted
//! and wrapped, in at most a third of the pane so the findings keep their room.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::text::visible;
use crate::config::Theme;
use crate::config::theme::Role;
use crate::triage::Report;

/// Draws the report's notes at the top of `area` and returns what is left below them (all of
/// `area` when there are none).
pub fn draw(frame: &mut Frame<'_>, area: Rect, report: &Report, theme: &Theme) -> Rect {
    if report.notices.is_empty() || area.width == 0 {
        return area;
    }
    let lines: Vec<Line<'static>> = report
        .notices
        .iter()
        .map(|notice| Line::styled(format!("note: {}", visible(notice)), theme.style(Role::Muted)))
        .collect();
    let width = usize::from(area.width);
    let wrapped: usize =
        report.notices.iter().map(|notice| rows(&format!("note: {notice}"), width)).sum();
    let most = usize::from(area.height / 3).max(1);
    let height = u16::try_from(wrapped.min(most)).unwrap_or(1);
    let [notes, rest] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), notes);
    rest
}

/// The rows `text` takes wrapped at word boundaries in `width` columns (a word wider than a
/// row is broken).
fn rows(text: &str, width: usize) -> usize {
    let (mut rows, mut column) = (1, 0);
    for word in text.split(' ') {
        let word = Line::raw(word).width();
        if column > 0 && column + 1 + word > width {
            rows += 1;
            column = 0;
        }
        column += if column > 0 { 1 + word } else { word };
        while column > width {
            rows += 1;
            column -= width;
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::rows;

    #[test]
    fn a_note_takes_the_rows_its_words_wrap_into() {
        assert_eq!(rows("note: short", 40), 1);
        assert_eq!(rows("aaaa bbbb cccc", 9), 2);
        assert_eq!(rows("aaaa bbbb cccc", 4), 3);
        assert_eq!(rows("abcdefghij", 4), 3);
    }
}
