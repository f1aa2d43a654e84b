//! A rule's fix, written in markdown, as styled lines for the findings pane. Inline code keeps
//! its backticks and takes the accent colour, so `run:` and `set -x` read as code, not prose.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use tui_markdown::{Options, StyleSheet};

use super::text::visible;
use crate::config::Theme;
use crate::config::theme::Role;

/// The markdown styles of the findings pane: tui-markdown's own, code in the theme's accent.
#[derive(Clone, Debug)]
struct FixStyles {
    code: Style,
}

impl StyleSheet for FixStyles {
    fn code(&self) -> Style {
        self.code
    }
}

/// The lines of `fix`, controls made visible.
pub fn fix_lines(fix: &str, theme: &Theme) -> Vec<Line<'static>> {
    let code = theme.style(Role::Accent);
    let rendered = tui_markdown::from_str_with_options(fix, &Options::new(FixStyles { code }));
    rendered.lines.into_iter().map(|line| shown_line(line, code)).collect()
}

/// One rendered line: a code span inside prose gets its backticks back; a line all of code (a
/// code block's) is left as it is.
fn shown_line(line: Line<'_>, code: Style) -> Line<'static> {
    let prose = line.spans.iter().any(|span| span.style != code && !span.content.trim().is_empty());
    let spans: Vec<Span<'static>> = line
        .spans
        .into_iter()
        .map(|span| {
            let shown = visible(&span.content);
            let shown = if prose && span.style == code { format!("`{shown}`") } else { shown };
            Span::styled(shown, span.style)
        })
        .collect();
    Line::from(spans).style(line.style)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|line| line.spans.iter().map(|span| span.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn code_spans_in_a_sentence_keep_their_backticks_and_the_accent_colour() {
        let theme = crate::config::Config::defaults().theme;
        let fix = "For a multi-command `run:`, `set -x` shows which command failed.";

        let lines = fix_lines(fix, &theme);

        assert_eq!(
            text(&lines),
            ["For a multi-command `run:`, `set -x` shows which command failed."]
        );
        let code = lines[0].spans.iter().find(|span| span.content == "`set -x`");
        assert_eq!(code.map(|span| span.style), Some(theme.style(Role::Accent)));
    }

    #[test]
    fn a_code_block_keeps_its_lines_as_written() {
        let lines =
            fix_lines("Run:\n\n```\nmake test\n```\n", &crate::config::Config::defaults().theme);

        assert!(text(&lines).iter().any(|line| line == "make test"), "{:?}", text(&lines));
    }
}
