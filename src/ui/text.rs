//! Turning log text into something safe and readable on a terminal: ANSI colours kept as
//! styles, every other control character made visible, tabs expanded, lines cut to a width,
//! token-like strings redacted.

use ansi_to_tui::IntoText as _;
use ratatui::text::{Line, Span};

use crate::export::redact::redact;

/// Tab stops for log text.
const TAB_WIDTH: usize = 8;

/// One log message as styled spans: colours from its ANSI codes, controls shown as `^X`,
/// token-like strings redacted.
pub fn styled_message(message: &[u8]) -> Line<'static> {
    let lossy = String::from_utf8_lossy(message);
    let lossy = redact(&lossy);
    let Ok(text) = lossy.as_bytes().into_text() else {
        return Line::raw(visible(&crate::joblog::line::strip_ansi(&lossy)));
    };
    let mut column = 0;
    let spans: Vec<Span<'static>> = text
        .lines
        .into_iter()
        .flat_map(|line| line.spans)
        .map(|span| Span::styled(visible_from(&span.content, &mut column), span.style))
        .collect();
    Line::from(spans)
}

/// Text with tabs expanded, control characters replaced by a visible `^X` and token-like
/// strings redacted: a token a log printed is not shown on screen or copied from it.
pub fn visible(text: &str) -> String {
    visible_from(&redact(text), &mut 0)
}

/// Like [`visible`], for text that starts at `column`; moves `column` past it.
fn visible_from(text: &str, column: &mut usize) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => {
                let spaces = TAB_WIDTH - *column % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', spaces));
                *column += spaces;
            }
            '\u{1b}' => {
                out.push_str("^[");
                *column += 2;
            }
            c if c.is_control() => {
                out.push('^');
                out.push(
                    char::from_u32(u32::from(c) ^ 0x40)
                        .filter(char::is_ascii_graphic)
                        .unwrap_or('?'),
                );
                *column += 2;
            }
            c => {
                out.push(c);
                *column += 1;
            }
        }
    }
    out
}

/// `text` within `width` columns: whole when it fits, else cut after its last whole word that
/// leaves room for `…` (mid-word only when a single word is wider than that).
pub fn cut_at_word(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let room: String = text.chars().take(width.saturating_sub(1)).collect();
    let whole = text.chars().nth(width.saturating_sub(1)) == Some(' ');
    let at_word = match room.rfind(' ') {
        Some(space) if !whole => &room[..space],
        _ => room.as_str(),
    };
    let kept = if at_word.is_empty() { room.as_str() } else { at_word };
    format!("{}…", kept.trim_end_matches([',', ' ', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_and_colours_become_styles() {
        let line = styled_message(b"\x1b[31mred\x1b[0m bell\x07 tab\tend");
        let text: String = line.spans.iter().map(|span| span.content.as_ref()).collect();
        assert_eq!(text, "red bell^G tab  end");
        assert_eq!(line.spans[0].style.fg, Some(ratatui::style::Color::Red));
    }

    #[test]
    fn a_token_the_log_printed_is_not_shown() {
        let token = format!("ghp_{}", "x7Y".repeat(12));
        let line = styled_message(format!("\x1b[31mpush failed\x1b[0m with {token}").as_bytes());
        let text: String = line.spans.iter().map(|span| span.content.as_ref()).collect();
        assert_eq!(text, "push failed with [REDACTED]");
        assert_eq!(visible(&format!("token={token}")), "token=[REDACTED]");
    }

    #[test]
    fn a_line_too_wide_is_cut_after_a_whole_word_with_an_ellipsis() {
        let streak = "CI on main: failing since #34 on 2025-12-14, 3 in a row, last green #33";
        assert_eq!(cut_at_word(streak, 200), streak);
        assert_eq!(cut_at_word(streak, 50), "CI on main: failing since #34 on 2025-12-14, 3 in…");
        assert_eq!(cut_at_word(streak, 47), "CI on main: failing since #34 on 2025-12-14, 3…");
        assert_eq!(cut_at_word(streak, 46), "CI on main: failing since #34 on 2025-12-14…");
        assert_eq!(cut_at_word("abcdefghij", 5), "abcd…");
    }
}
