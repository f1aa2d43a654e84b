//! Finds literals that every match of a regex must contain, for the one-pass prefilter.
//! Owns only the analysis of a parsed pattern; it builds no automaton and matches nothing.
//!
//! Each part of a pattern is described by the few strings it can match exactly, or those its
//! matches start or end with; a sequence of parts multiplies them out (`\.(?:test|spec)\.`
//! gives `.test.` and `.spec.`, `HTTP ?429` gives `http429` and `http 429`), so the literals
//! handed to the prefilter are long and rare rather than short and common.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Shortest literal worth searching for; shorter ones would pick out too many lines.
pub const MIN_LITERAL_BYTES: usize = 3;

/// Most strings one set may hold before multiplying it out further is given up.
const MAX_SET: usize = 64;

/// Most characters a class may stand for and still count as a few exact strings.
const MAX_CLASS: usize = 4;

/// Alternative strings, lower-cased; one of them is in every match.
type Set = Vec<Vec<u8>>;

/// Literals, lower-cased, one of which appears (ignoring ASCII case) in every match of
/// `pattern`; `None` when the pattern has no usable literal and must be tried on every line.
pub fn required_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new().utf8(false).build().parse(pattern).ok()?;
    let set = minimal(facts(&hir).best()?);
    (score(&set).0 >= MIN_LITERAL_BYTES).then_some(set)
}

/// The set sorted, without literals that hold another of the set (finding that one suffices).
fn minimal(mut set: Set) -> Set {
    set.sort_by_key(Vec::len);
    let mut kept: Set = Vec::new();
    for literal in set {
        let redundant = kept.iter().any(|shorter| {
            literal.windows(shorter.len().max(1)).any(|window| window == shorter.as_slice())
        });
        if !redundant {
            kept.push(literal);
        }
    }
    kept.sort();
    kept
}

/// What is known of the strings one part of a pattern matches.
#[derive(Default)]
struct Facts {
    /// Every match is one of these.
    exact: Option<Set>,
    /// Every match starts with one of these.
    prefix: Option<Set>,
    /// Every match ends with one of these.
    suffix: Option<Set>,
    /// Every match contains one of these: the best such set found inside.
    inner: Option<Set>,
}

impl Facts {
    fn exact(set: Set) -> Facts {
        Facts { exact: Some(set), ..Facts::default() }
    }

    fn prefix(&self) -> Option<&Set> {
        self.exact.as_ref().or(self.prefix.as_ref())
    }

    fn suffix(&self) -> Option<&Set> {
        self.exact.as_ref().or(self.suffix.as_ref())
    }

    /// The set best for a prefilter among all that are known.
    fn best(self) -> Option<Set> {
        [self.exact, self.prefix, self.suffix, self.inner].into_iter().flatten().reduce(better)
    }
}

/// A set's worth: its shortest literal first, then fewer literals.
fn score(set: &Set) -> (usize, std::cmp::Reverse<usize>) {
    (set.iter().map(Vec::len).min().unwrap_or(0), std::cmp::Reverse(set.len()))
}

fn better(current: Set, candidate: Set) -> Set {
    if score(&candidate) > score(&current) { candidate } else { current }
}

fn facts(hir: &Hir) -> Facts {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Facts::exact(vec![Vec::new()]),
        HirKind::Literal(literal) => Facts::exact(vec![literal.0.to_ascii_lowercase()]),
        HirKind::Class(class) => class_set(class).map(Facts::exact).unwrap_or_default(),
        HirKind::Capture(capture) => facts(&capture.sub),
        HirKind::Repetition(repetition) => {
            let sub = facts(&repetition.sub);
            match (repetition.min, repetition.max) {
                (1, Some(1)) => sub,
                (0, Some(1)) => match sub.exact {
                    Some(mut set) => {
                        set.push(Vec::new());
                        Facts::exact(set)
                    }
                    None => Facts::default(),
                },
                (0, _) => Facts::default(),
                _ => Facts {
                    exact: None,
                    prefix: sub.prefix().cloned(),
                    suffix: sub.suffix().cloned(),
                    inner: sub.best(),
                },
            }
        }
        HirKind::Concat(parts) => concat(&parts.iter().map(facts).collect::<Vec<_>>()),
        HirKind::Alternation(branches) => alternation(branches.iter().map(facts).collect()),
    }
}

/// A sequence: exact parts multiply the strings around them.
fn concat(parts: &[Facts]) -> Facts {
    let mut best: Option<Set> = None;
    let mut consider = |candidate: Set| {
        best = Some(match best.take() {
            Some(current) => better(current, candidate),
            None => candidate,
        });
    };
    let mut run: Set = vec![Vec::new()];
    for part in parts {
        if let Some(exact) = &part.exact {
            run = product(&run, exact).unwrap_or_else(|| {
                consider(std::mem::take(&mut run));
                exact.clone()
            });
            continue;
        }
        consider(part.prefix().and_then(|prefix| product(&run, prefix)).unwrap_or(run));
        if let Some(inner) = &part.inner {
            consider(inner.clone());
        }
        run = part.suffix().cloned().unwrap_or_else(|| vec![Vec::new()]);
    }
    consider(run);

    let exact =
        parts.iter().try_fold(vec![Vec::new()], |acc, part| product(&acc, part.exact.as_ref()?));
    Facts {
        exact,
        prefix: Some(chain_prefix(parts)),
        suffix: Some(chain_suffix(parts)),
        inner: best,
    }
}

/// What every match of a sequence starts with.
fn chain_prefix(parts: &[Facts]) -> Set {
    let mut run = vec![Vec::new()];
    for part in parts {
        let Some(next) = part.exact.as_ref().or(part.prefix.as_ref()) else { break };
        let Some(longer) = product(&run, next) else { break };
        run = longer;
        if part.exact.is_none() {
            break;
        }
    }
    run
}

/// What every match of a sequence ends with.
fn chain_suffix(parts: &[Facts]) -> Set {
    let mut run = vec![Vec::new()];
    for part in parts.iter().rev() {
        let Some(next) = part.exact.as_ref().or(part.suffix.as_ref()) else { break };
        let Some(longer) = product(next, &run) else { break };
        run = longer;
        if part.exact.is_none() {
            break;
        }
    }
    run
}

/// Branches: a set holds for the whole only when every branch has one.
fn alternation(branches: Vec<Facts>) -> Facts {
    let union = |pick: &dyn Fn(&Facts) -> Option<&Set>| -> Option<Set> {
        let mut all = Vec::new();
        for branch in &branches {
            all.extend(pick(branch)?.iter().cloned());
        }
        all.sort();
        all.dedup();
        Some(all)
    };
    let exact = union(&|branch| branch.exact.as_ref()).filter(|set| set.len() <= MAX_SET);
    let prefix = union(&Facts::prefix);
    let suffix = union(&Facts::suffix);
    let mut inner = Vec::new();
    for branch in branches {
        match branch.best() {
            Some(best) => inner.extend(best),
            None => return Facts { exact, prefix, suffix, inner: None },
        }
    }
    Facts { exact, prefix, suffix, inner: Some(inner) }
}

/// Every concatenation of a string of `left` and one of `right`, unless there are too many.
fn product(left: &Set, right: &Set) -> Option<Set> {
    if left.len() * right.len() > MAX_SET {
        return None;
    }
    let mut out = Vec::with_capacity(left.len() * right.len());
    for head in left {
        for tail in right {
            out.push([head.as_slice(), tail.as_slice()].concat());
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// The few strings a class stands for: each member lower-cased, a case-folding class
/// (`[Kk\u{212A}]` under `(?i)`) as its one ASCII letter; `None` when it stands for many.
fn class_set(class: &Class) -> Option<Set> {
    let mut members: Vec<Vec<u8>> = Vec::new();
    match class {
        Class::Unicode(unicode) => {
            for range in unicode.iter() {
                for c in range.start()..=range.end() {
                    if members.len() > 2 * MAX_CLASS {
                        return None;
                    }
                    members.push(c.to_string().into_bytes().to_ascii_lowercase());
                }
            }
        }
        Class::Bytes(bytes) => {
            for range in bytes.iter() {
                for byte in range.start()..=range.end() {
                    if members.len() > 2 * MAX_CLASS {
                        return None;
                    }
                    members.push(vec![byte.to_ascii_lowercase()]);
                }
            }
        }
    }
    members.sort();
    members.dedup();
    drop_case_folds(&mut members);
    (members.len() <= MAX_CLASS).then_some(members)
}

/// Drops the two non-ASCII letters that fold to ASCII ones (the Kelvin sign and the long s)
/// when their ASCII letter is there too: a log that spells `kill` with a Kelvin sign is not
/// worth a prefilter that cannot be built.
fn drop_case_folds(members: &mut Vec<Vec<u8>>) {
    for (fold, ascii) in [('\u{212A}', b'k'), ('\u{017F}', b's')] {
        let fold = fold.to_string().into_bytes();
        if members.contains(&vec![ascii]) {
            members.retain(|member| *member != fold);
        }
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
