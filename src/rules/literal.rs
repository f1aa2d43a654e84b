//! Finds literals that every match of a regex must contain, for the one-pass prefilter.
//! Owns only the analysis of a parsed pattern; it builds no automaton and matches nothing.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Shortest literal worth searching for; shorter ones would pick out too many lines.
pub const MIN_LITERAL_BYTES: usize = 3;

/// Literals, lower-cased, one of which appears (ignoring ASCII case) in every match of
/// `pattern`; `None` when the pattern has no usable literal and must be tried on every line.
pub fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new().utf8(false).build().parse(pattern).ok()?;
    let set = required(&hir)?;
    let shortest = set.iter().map(Vec::len).min()?;
    (shortest >= MIN_LITERAL_BYTES).then_some(set)
}

/// One literal set, scored by the shortest literal in it.
fn score(set: &[Vec<u8>]) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Literal(literal) => Some(vec![literal.0.to_ascii_lowercase()]),
        HirKind::Class(class) => single_byte(class).map(|byte| vec![vec![byte]]),
        HirKind::Capture(capture) => required(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min >= 1 => required(&repetition.sub),
        HirKind::Concat(parts) => best_of_concat(parts),
        HirKind::Alternation(branches) => {
            let mut union = Vec::new();
            for branch in branches {
                union.extend(required(branch)?);
            }
            union.sort();
            union.dedup();
            Some(union)
        }
        _ => None,
    }
}

fn best_of_concat(parts: &[Hir]) -> Option<Vec<Vec<u8>>> {
    let mut best: Option<Vec<Vec<u8>>> = None;
    let mut run: Vec<u8> = Vec::new();
    let consider = |candidate: Vec<Vec<u8>>, best: &mut Option<Vec<Vec<u8>>>| {
        if best.as_ref().is_none_or(|current| score(&candidate) > score(current)) {
            *best = Some(candidate);
        }
    };

    for part in parts {
        if let Some(bytes) = literal_bytes(part) {
            run.extend(bytes);
            continue;
        }
        if matches!(part.kind(), HirKind::Look(_)) {
            continue;
        }
        if !run.is_empty() {
            consider(vec![std::mem::take(&mut run)], &mut best);
        }
        if let Some(set) = required(part) {
            consider(set, &mut best);
        }
    }
    if !run.is_empty() {
        consider(vec![run], &mut best);
    }
    best
}

/// The bytes of a part that is a plain literal, or a class that only folds one ASCII letter.
fn literal_bytes(hir: &Hir) -> Option<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(literal) => Some(literal.0.to_ascii_lowercase()),
        HirKind::Class(class) => single_byte(class).map(|byte| vec![byte]),
        HirKind::Capture(capture) => literal_bytes(&capture.sub),
        _ => None,
    }
}

/// The one ASCII byte (lower-cased) a class stands for, ignoring case and non-ASCII folds.
fn single_byte(class: &Class) -> Option<u8> {
    let mut ascii: Vec<u8> = Vec::new();
    match class {
        Class::Unicode(unicode) => {
            for range in unicode.iter() {
                let last_ascii = range.end().min('\u{7f}');
                for c in range.start()..=last_ascii {
                    ascii.push(u8::try_from(c).ok()?.to_ascii_lowercase());
                    if ascii.len() > 2 {
                        return None;
                    }
                }
            }
        }
        Class::Bytes(bytes) => {
            for range in bytes.iter() {
                for byte in range.start()..=range.end() {
                    ascii.push(byte.to_ascii_lowercase());
                    if ascii.len() > 2 {
                        return None;
                    }
                }
            }
        }
    }
    ascii.dedup();
    match ascii.as_slice() {
        [byte] => Some(*byte),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(pattern: &str) -> Option<Vec<String>> {
        required_literals(pattern)
            .map(|set| set.into_iter().map(|bytes| String::from_utf8(bytes).unwrap()).collect())
    }

    #[test]
    fn the_longest_literal_run_is_chosen() {
        assert_eq!(
            literals(r"Process completed with exit code (?P<code>\d+)\."),
            Some(vec!["process completed with exit code ".to_owned()])
        );
    }

    #[test]
    fn case_insensitive_patterns_give_lower_case_literals() {
        assert_eq!(literals(r"(?i)no space left"), Some(vec!["no space left".to_owned()]));
    }

    #[test]
    fn alternations_need_a_literal_in_every_branch() {
        assert_eq!(
            literals(r"(?:ENOSPC|No space left on device)"),
            Some(vec!["enospc".to_owned(), "no space left on device".to_owned()])
        );
        assert_eq!(literals(r"(?:ENOSPC|\d+)"), None);
    }

    #[test]
    fn anchors_do_not_break_a_literal() {
        assert_eq!(literals(r"^Killed$"), Some(vec!["killed".to_owned()]));
    }

    #[test]
    fn a_pattern_without_a_long_literal_has_none() {
        assert_eq!(literals(r"^\w+:\d+$"), None);
        assert_eq!(literals(r"ab\d"), None);
    }
}
