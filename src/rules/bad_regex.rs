//! The wording of a pattern that does not compile: a one-line header with the column, then the
//! pattern's line and a caret under the fault, indented below it. It compiles nothing itself
//! beyond re-parsing the refused pattern to find where it went wrong.

use regex_syntax::ast::Span;
use regex_syntax::ast::parse::Parser;
use regex_syntax::hir::translate::Translator;

/// Indentation of the pattern and caret lines under the header.
const INDENT: &str = "    ";

/// Why `pattern` was refused, for a rule-file problem: `bad regex at column C: WHY`, then the
/// pattern's line and a caret line under the fault; one line when the fault has no place.
pub fn describe(pattern: &str, error: &regex::Error) -> String {
    match fault(pattern) {
        Some((why, span)) => placed(pattern, &why, &span),
        None => format!("bad regex: {}", one_line(&error.to_string())),
    }
}

/// What is wrong with `pattern` and where, when its syntax is the fault (not its size).
fn fault(pattern: &str) -> Option<(String, Span)> {
    let ast = match Parser::new().parse(pattern) {
        Ok(ast) => ast,
        Err(error) => return Some((error.kind().to_string(), *error.span())),
    };
    let error = Translator::new().translate(pattern, &ast).err()?;
    Some((error.kind().to_string(), *error.span()))
}

/// The header, the faulty line of `pattern` and carets under `span`.
fn placed(pattern: &str, why: &str, span: &Span) -> String {
    let (start, end) = (span.start, span.end);
    let line = pattern.lines().nth(start.line.saturating_sub(1)).unwrap_or(pattern);
    let width = if end.line == start.line { end.column.saturating_sub(start.column) } else { 1 };
    let pad = " ".repeat(start.column.saturating_sub(1));
    let carets = "^".repeat(width.max(1));
    format!("bad regex at column {}: {why}\n{INDENT}{line}\n{INDENT}{pad}{carets}", start.column)
}

/// The text on one line, its whitespace runs made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(pattern: &str) -> String {
        describe(pattern, &regex::Regex::new(pattern).unwrap_err())
    }

    #[test]
    fn the_caret_stands_under_the_fault_below_a_one_line_header() {
        let text = refused("No space (left");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "bad regex at column 10: unclosed group");
        assert_eq!(lines[1], "    No space (left");
        assert_eq!(lines[2].find('^'), lines[1].find('('), "{text}");
    }

    #[test]
    fn a_fault_found_past_parsing_is_placed_too() {
        let text = refused(r"\p{Klingon}");
        assert!(text.starts_with("bad regex at column 1: "), "{text}");
        assert_eq!(text.lines().count(), 3, "{text}");
    }
}
