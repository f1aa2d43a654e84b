//! Cutting one styled line into screen rows of a fixed width, for wrapped views that must know
//! how many rows a line takes. Cuts at any character, as a pager does; never reflows words.

use ratatui::text::{Line, Span};

/// The rows `line` takes at `width` columns, each keeping its spans' styles and the line's own
/// style; an empty line is one empty row.
pub fn wrap_line(line: Line<'static>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let style = line.style;
    let mut rows = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let wide = char_width(c);
            if used + wide > width && used > 0 {
                if !piece.is_empty() {
                    row.push(Span::styled(std::mem::take(&mut piece), span.style));
                }
                rows.push(Line::from(std::mem::take(&mut row)).style(style));
                used = 0;
            }
            piece.push(c);
            used += wide;
        }
        if !piece.is_empty() {
            row.push(Span::styled(piece, span.style));
        }
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(Line::from(row).style(style));
    }
    rows
}

fn char_width(c: char) -> usize {
    if c.is_ascii() {
        return 1;
    }
    let mut buffer = [0; 4];
    Span::raw(&*c.encode_utf8(&mut buffer)).width()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::{Color, Style};

    fn texts(rows: &[Line<'_>]) -> Vec<String> {
        rows.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_long_line_is_cut_into_rows_of_the_width_keeping_its_styles() {
        let line = Line::from(vec![Span::raw("12 "), Span::styled("abcdefg", Color::Red)]);

        let rows = wrap_line(line, 4);

        assert_eq!(texts(&rows), ["12 a", "bcde", "fg"]);
        assert_eq!(rows[1].spans[0].style, Style::new().fg(Color::Red));
    }

    #[test]
    fn an_empty_line_is_one_row_and_wide_characters_are_not_split() {
        assert_eq!(texts(&wrap_line(Line::raw(""), 10)), [""]);
        assert_eq!(texts(&wrap_line(Line::raw("a漢字"), 4)), ["a漢", "字"]);
    }
}
