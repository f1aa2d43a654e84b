//! The one-pass matcher: a literal prefilter over whole blocks of log, then, on each line it
//! picks, only the patterns whose literal the cleaned line holds. Owns which lines are worth a
//! look and which patterns hit a line; it knows nothing of steps, findings or ranking.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Input, MatchKind};
use regex::Regex;

use super::{Rule, literal};
use crate::joblog::steps;

/// Literals of lines the scanner must always see besides step boundaries (whose starts are
/// [`steps::BOUNDARY_STARTS`]): markers and the labels of text copied from the web page.
const MARKERS: &[&str] = &["##[", "error:", "warning:", "notice:"];

/// Compiled matcher for a list of rules.
#[derive(Debug)]
pub struct Matcher {
    /// Every literal, the patterns' and the structural ones, ASCII case ignored.
    literals: AhoCorasick,
    /// For each literal: the indices in `checks` of the regexes that need it.
    woken_by: Vec<Vec<usize>>,
    /// The indices in `checks` of regexes without a literal, tried on every line.
    always: Vec<usize>,
    /// Every main and context pattern, in rule order, with what a match of it means.
    checks: Vec<(Regex, Owner)>,
}

/// What a match of one check stands for.
#[derive(Clone, Copy, Debug)]
enum Owner {
    /// `(rule index, pattern index)` of a main pattern.
    Pattern(usize, usize),
    /// `(rule index, is a requirement, index in its list)` of a context pattern.
    Context(usize, bool, usize),
}

/// Which patterns hit one line; reusable from line to line without allocating.
#[derive(Debug, Default)]
pub struct LineHits {
    /// `(rule index, pattern index)` of each main pattern that matched.
    pub patterns: Vec<(usize, usize)>,
    /// `(rule index, is a requirement, index)` of each context pattern that matched.
    pub contexts: Vec<(usize, bool, usize)>,
    /// Checks whose literal the line holds, in rule order.
    woken: Vec<usize>,
}

impl Matcher {
    /// Builds the matcher; fails only when the literals are too many to search for at once.
    pub fn new(rules: &[Rule]) -> Result<Matcher, BuildError> {
        let mut checks = Vec::new();
        for (rule_index, rule) in rules.iter().enumerate() {
            for (pattern_index, regex) in rule.patterns.iter().enumerate() {
                checks.push((regex.clone(), Owner::Pattern(rule_index, pattern_index)));
            }
            for (index, context) in rule.requires.iter().enumerate() {
                checks.push((context.regex.clone(), Owner::Context(rule_index, true, index)));
            }
            for (index, context) in rule.unless.iter().enumerate() {
                checks.push((context.regex.clone(), Owner::Context(rule_index, false, index)));
            }
        }

        let mut literals = Literals::default();
        for text in MARKERS.iter().chain(&steps::BOUNDARY_STARTS) {
            literals.id(text.as_bytes());
        }
        let mut always = Vec::new();
        for (check, (regex, _)) in checks.iter().enumerate() {
            match literal::required_literals(regex.as_str()) {
                Some(found) => found.iter().for_each(|bytes| literals.wake(bytes, check)),
                None => always.push(check),
            }
        }

        Ok(Matcher {
            literals: build_prefilter(&literals.bytes)?,
            woken_by: literals.woken_by,
            always,
            checks,
        })
    }

    /// Whether some pattern lacks a literal, so every line must be looked at.
    pub fn checks_every_line(&self) -> bool {
        !self.always.is_empty()
    }

    /// Byte ranges (without the `\n`) of the lines in `block` worth a closer look: those that
    /// hold a literal. A colour code can split a literal, so lines that hold controls must be
    /// cleaned first (see [`crate::joblog::line::strip_controls`]).
    pub fn candidates<'a>(&'a self, block: &'a [u8]) -> Candidates<'a> {
        Candidates { matcher: self, block, position: 0 }
    }

    /// Whether cleaned text still holds a literal of some pattern or marker.
    pub fn text_may_match(&self, text: &str) -> bool {
        self.checks_every_line() || self.literals.is_match(text)
    }

    /// Which patterns hit a cleaned line.
    pub fn hits(&self, text: &str) -> LineHits {
        let mut hits = LineHits::default();
        self.hits_into(text, &mut hits);
        hits
    }

    /// Which patterns hit a cleaned line, written over `hits`: only the patterns whose literal
    /// the line holds are tried.
    pub fn hits_into(&self, text: &str, hits: &mut LineHits) {
        hits.patterns.clear();
        hits.contexts.clear();
        hits.woken.clear();
        hits.woken.extend_from_slice(&self.always);
        for found in self.literals.find_overlapping_iter(text) {
            hits.woken.extend_from_slice(&self.woken_by[found.pattern().as_usize()]);
        }
        hits.woken.sort_unstable();
        hits.woken.dedup();

        for check in &hits.woken {
            let (regex, owner) = &self.checks[*check];
            if !regex.is_match(text) {
                continue;
            }
            match *owner {
                Owner::Pattern(rule, pattern) => hits.patterns.push((rule, pattern)),
                Owner::Context(rule, required, index) => {
                    hits.contexts.push((rule, required, index));
                }
            }
        }
    }
}

/// The literal list being gathered, each literal once, with the checks it wakes.
#[derive(Default)]
struct Literals {
    bytes: Vec<Vec<u8>>,
    woken_by: Vec<Vec<usize>>,
    ids: HashMap<Vec<u8>, usize>,
}

impl Literals {
    /// The id of `literal`, added when new.
    fn id(&mut self, literal: &[u8]) -> usize {
        let literal = literal.to_ascii_lowercase();
        if let Some(id) = self.ids.get(&literal) {
            return *id;
        }
        let id = self.bytes.len();
        self.ids.insert(literal.clone(), id);
        self.bytes.push(literal);
        self.woken_by.push(Vec::new());
        id
    }

    /// Notes that a line holding `literal` must be tried against `check`.
    fn wake(&mut self, literal: &[u8], check: usize) {
        let id = self.id(literal);
        self.woken_by[id].push(check);
    }
}

/// Iterator over candidate line ranges of one block.
pub struct Candidates<'a> {
    matcher: &'a Matcher,
    block: &'a [u8],
    position: usize,
}

impl Iterator for Candidates<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        if self.position >= self.block.len() {
            return None;
        }
        let start = if self.matcher.checks_every_line() {
            self.position
        } else {
            let input = Input::new(self.block).span(self.position..self.block.len());
            let found = self.matcher.literals.find(input)?;
            memchr::memrchr(b'\n', &self.block[self.position..found.start()])
                .map_or(self.position, |newline| self.position + newline + 1)
        };
        let end = memchr::memchr(b'\n', &self.block[start..])
            .map_or(self.block.len(), |newline| start + newline);
        self.position = end + 1;
        Some((start, end))
    }
}

/// The rules' literals are too many to search for at once.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The literal prefilter could not be built.
    #[error("the rules' literals are too many to search for at once: {0}")]
    Literals(#[from] aho_corasick::BuildError),
}

fn build_prefilter(literals: &[Vec<u8>]) -> Result<AhoCorasick, BuildError> {
    Ok(AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(literals)?)
}
