//! The one-pass matcher: a literal prefilter over whole blocks of log, then every rule's
//! patterns at once on the few lines the prefilter picks. Owns which lines are worth a look
//! and which patterns hit a line; it knows nothing of steps, findings or ranking.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use regex::{RegexSet, RegexSetBuilder};

use super::{Rule, literal};

/// Literals of lines the scanner must always see: markers and step boundaries.
const STRUCTURAL: &[&str] = &[
    "##[",
    "error:",
    "warning:",
    "notice:",
    "post job cleanup.",
    "complete job name:",
    "cleaning up orphan processes",
    "evaluate and set job outputs",
];

/// Compiled matcher for a list of rules.
#[derive(Debug)]
pub struct Matcher {
    prefilter: AhoCorasick,
    /// Literals only (no escape byte), to re-check a coloured line once its colours are gone.
    text_prefilter: AhoCorasick,
    every_line: bool,
    patterns: RegexSet,
    /// `(rule index, pattern index)` of each pattern in `patterns`.
    owners: Vec<(usize, usize)>,
    contexts: RegexSet,
    /// For each context pattern: `(rule index, is a requirement, index in its list)`.
    context_owners: Vec<(usize, bool, usize)>,
}

/// Which patterns hit one line.
#[derive(Debug, Default)]
pub struct LineHits {
    /// `(rule index, pattern index)` of each main pattern that matched.
    pub patterns: Vec<(usize, usize)>,
    /// `(rule index, is a requirement, index)` of each context pattern that matched.
    pub contexts: Vec<(usize, bool, usize)>,
}

impl Matcher {
    /// Builds the matcher; fails only when the patterns together are too large to compile.
    pub fn new(rules: &[Rule]) -> Result<Matcher, BuildError> {
        let mut literals: Vec<Vec<u8>> = STRUCTURAL.iter().map(|s| s.as_bytes().to_vec()).collect();
        let mut every_line = false;
        let mut sources = Vec::new();
        let mut owners = Vec::new();
        let mut context_sources = Vec::new();
        let mut context_owners = Vec::new();

        for (rule_index, rule) in rules.iter().enumerate() {
            for (pattern_index, regex) in rule.patterns.iter().enumerate() {
                sources.push(regex.as_str().to_owned());
                owners.push((rule_index, pattern_index));
            }
            let contexts = rule
                .requires
                .iter()
                .map(|c| (true, c))
                .chain(rule.unless.iter().map(|c| (false, c)));
            let mut counters = [0, 0];
            for (required, context) in contexts {
                let counter = &mut counters[usize::from(required)];
                context_sources.push(context.regex.as_str().to_owned());
                context_owners.push((rule_index, required, *counter));
                *counter += 1;
            }
        }
        for source in sources.iter().chain(&context_sources) {
            match literal::required_literals(source) {
                Some(found) => literals.extend(found),
                None => every_line = true,
            }
        }
        literals.sort();
        literals.dedup();

        let text_prefilter = build_prefilter(&literals)?;
        literals.push(b"\x1b".to_vec());
        Ok(Matcher {
            prefilter: build_prefilter(&literals)?,
            text_prefilter,
            every_line,
            patterns: build_set(&sources)?,
            owners,
            contexts: build_set(&context_sources)?,
            context_owners,
        })
    }

    /// Whether some pattern lacks a literal, so every line must be looked at.
    pub fn checks_every_line(&self) -> bool {
        self.every_line
    }

    /// Byte ranges (without the `\n`) of the lines in `block` worth a closer look.
    pub fn candidates<'a>(&'a self, block: &'a [u8]) -> Candidates<'a> {
        Candidates { matcher: self, block, position: 0 }
    }

    /// Whether cleaned text still holds a literal of some pattern or marker.
    pub fn text_may_match(&self, text: &str) -> bool {
        self.every_line || self.text_prefilter.is_match(text)
    }

    /// Which patterns hit a cleaned line.
    pub fn hits(&self, text: &str) -> LineHits {
        LineHits {
            patterns: self.patterns.matches(text).iter().map(|index| self.owners[index]).collect(),
            contexts: self
                .contexts
                .matches(text)
                .iter()
                .map(|index| self.context_owners[index])
                .collect(),
        }
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
        let start = if self.matcher.every_line {
            self.position
        } else {
            let input = Input::new(self.block).span(self.position..self.block.len());
            let found = self.matcher.prefilter.find(input)?;
            memchr::memrchr(b'\n', &self.block[self.position..found.start()])
                .map_or(self.position, |newline| self.position + newline + 1)
        };
        let end = memchr::memchr(b'\n', &self.block[start..])
            .map_or(self.block.len(), |newline| start + newline);
        self.position = end + 1;
        Some((start, end))
    }
}

/// The rules' patterns are too many or too large to compile together.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The combined regex set exceeded its size limit.
    #[error("the rules' patterns together are too large to compile: {0}")]
    Patterns(#[from] regex::Error),
    /// The literal prefilter could not be built.
    #[error("the rules' literals are too many to search for at once: {0}")]
    Literals(#[from] aho_corasick::BuildError),
}

fn build_prefilter(literals: &[Vec<u8>]) -> Result<AhoCorasick, BuildError> {
    Ok(AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(literals)?)
}

fn build_set(sources: &[String]) -> Result<RegexSet, BuildError> {
    Ok(RegexSetBuilder::new(sources).size_limit(256 << 20).dfa_size_limit(64 << 20).build()?)
}
