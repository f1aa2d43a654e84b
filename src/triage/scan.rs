//! One pass over one job log: blocks of lines, the literal prefilter over their messages, rule
//! patterns on the lines it picks, step segments, and context conditions (in
//! `scan::conditions`). Owns the streaming scan and its bounds (distinct findings, pending
//! matches); it does not rank or link symptoms.

mod conditions;
mod messages;

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{self, Read};

use super::{Evidence, JobScan, RawHit};
use crate::category::Severity;
use crate::joblog::{Chunks, Marker, RawParts, Stepper, line};
use crate::rules::matcher::LineHits;
use crate::rules::{Matcher, Reach, Rule, fill_template};
use conditions::Pending;
use messages::Messages;

/// Most distinct findings kept for one job; further new ones are counted, not kept.
pub const MAX_DISTINCT_HITS: usize = 2_000;

/// Longest part of a line patterns are tried on, in bytes.
pub const MAX_MATCH_BYTES: usize = 64 * 1024;

/// How many further line numbers of a repeated finding are kept.
const MAX_REPEAT_LINES: usize = 20;

/// The rules and matcher a scan reads.
pub struct Scanner<'a> {
    rules: &'a [Rule],
    matcher: &'a Matcher,
    widest_window: u64,
}

/// State of one scan.
struct Scan<'a> {
    scanner: &'a Scanner<'a>,
    /// Whether lines carry `gh run view --log` columns.
    columns: bool,
    stepper: Stepper,
    hits: Vec<RawHit>,
    index: HashMap<(usize, String, Option<String>), usize>,
    dropped_hits: u64,
    pending: VecDeque<Pending>,
    /// Per `(rule, is requirement, index)`: recent lines where that context pattern matched.
    recent: HashMap<(usize, bool, usize), VecDeque<u64>>,
    in_step: HashSet<(usize, bool, usize)>,
    in_job: HashSet<(usize, bool, usize)>,
    first_error: Option<Evidence>,
    errors_seen: u64,
    /// The current line's readable text, one buffer for every line.
    text: String,
    /// The current line's pattern hits, one buffer for every line.
    line_hits: LineHits,
}

impl<'a> Scanner<'a> {
    /// A scanner over compiled rules and their matcher.
    pub fn new(rules: &'a [Rule], matcher: &'a Matcher) -> Scanner<'a> {
        let widest_window = rules
            .iter()
            .flat_map(|rule| rule.requires.iter().chain(&rule.unless))
            .filter_map(|context| match context.reach {
                Reach::Lines(lines) => Some(u64::from(lines)),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        Scanner { rules, matcher, widest_window }
    }

    /// Reads one job log to its end and returns what it found.
    pub fn scan(&self, reader: impl Read) -> io::Result<JobScan> {
        let mut chunks = Chunks::new(reader);
        let mut line_number: u64 = 0;
        let mut columns: Option<bool> = None;
        let mut scan: Option<Scan<'_>> = None;
        let mut saw_text = false;

        let mut messages = Messages::default();

        while let Some(block) = chunks.next_block()? {
            let columns = *columns.get_or_insert_with(|| detect_columns(block));
            let state = scan.get_or_insert_with(|| Scan::new(self, columns));
            saw_text = saw_text || block.iter().any(|byte| !byte.is_ascii_whitespace());
            if columns {
                let count = line_count(block);
                let same = |_, start, end| (start, end);
                scan_lines(state, line_number, block, block, all_lines(block), same);
                line_number += count as u64;
                continue;
            }
            messages.fill(block);
            let candidates = self.matcher.candidates(messages.bytes());
            let raw = |index, _, _| messages.raw_line(index);
            scan_lines(state, line_number, block, messages.bytes(), candidates, raw);
            line_number += messages.line_count() as u64;
        }

        let columns = columns.unwrap_or(false);
        let state = scan.unwrap_or_else(|| Scan::new(self, columns));
        Ok(state.finish(line_number, chunks.cut_lines(), chunks.bytes_read(), saw_text))
    }
}

/// Hands the chosen lines of `block`, whose first line follows line `before`, to `state`.
/// `lines` are ranges in `searched`, a copy of `block` with the same lines; `raw` turns the
/// index of a line in the block and its range in `searched` into its range in `block`.
fn scan_lines(
    state: &mut Scan<'_>,
    before: u64,
    block: &[u8],
    searched: &[u8],
    lines: impl Iterator<Item = (usize, usize)>,
    raw: impl Fn(usize, usize, usize) -> (usize, usize),
) {
    let mut position = 0;
    let mut index = 0;
    for (start, end) in lines {
        index += memchr::memchr_iter(b'\n', &searched[position..start]).count();
        let (raw_start, raw_end) = raw(index, start, end);
        state.line(before + index as u64 + 1, &block[raw_start..raw_end]);
        index += 1;
        position = (end + 1).min(searched.len());
    }
}

/// How many lines `block` holds, a last one without `\n` included.
fn line_count(block: &[u8]) -> usize {
    let newlines = memchr::memchr_iter(b'\n', block).count();
    newlines + usize::from(!block.is_empty() && !block.ends_with(b"\n"))
}

fn detect_columns(block: &[u8]) -> bool {
    block
        .split(|byte| *byte == b'\n')
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .take(5)
        .any(line::looks_like_gh_columns)
}

fn all_lines(block: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let body = block.strip_suffix(b"\n").unwrap_or(block);
    let mut start = 0;
    memchr::memchr_iter(b'\n', body)
        .chain(std::iter::once(body.len()))
        .map(move |end| {
            let range = (start, end);
            start = end + 1;
            range
        })
        .filter(move |_| !block.is_empty())
}

impl<'a> Scan<'a> {
    fn new(scanner: &'a Scanner<'a>, columns: bool) -> Scan<'a> {
        Scan {
            scanner,
            columns,
            stepper: Stepper::new(columns),
            hits: Vec::new(),
            index: HashMap::new(),
            dropped_hits: 0,
            pending: VecDeque::new(),
            recent: HashMap::new(),
            in_step: HashSet::new(),
            in_job: HashSet::new(),
            first_error: None,
            errors_seen: 0,
            text: String::new(),
            line_hits: LineHits::default(),
        }
    }

    fn line(&mut self, number: u64, raw: &[u8]) {
        let parts = line::split(raw, self.columns);
        let before = self.stepper.current();
        self.stepper.observe(number, &parts);
        if self.stepper.current() != before {
            self.settle_step();
        }
        self.settle_lines(number);

        let mut text = std::mem::take(&mut self.text);
        let mut hits = std::mem::take(&mut self.line_hits);
        let message = &parts.message[..parts.message.len().min(MAX_MATCH_BYTES)];
        line::readable_into(message, &mut text);
        self.scanner.matcher.hits_into(&text, &mut hits);
        self.take_hits(number, &parts, &text, &hits);
        self.text = text;
        self.line_hits = hits;
    }

    /// Notes what the matcher found on a line: context lines, error lines and the winning
    /// pattern's finding.
    fn take_hits(&mut self, number: u64, parts: &RawParts<'_>, text: &str, hits: &LineHits) {
        for owner in &hits.contexts {
            self.note_context(*owner, number);
        }

        let job = || parts.gh_job.map(|job| String::from_utf8_lossy(job).into_owned());
        let winner =
            hits.patterns.iter().map(|(rule, pattern)| (*rule, *pattern)).max_by_key(
                |(rule, _)| (self.scanner.rules[*rule].priority, std::cmp::Reverse(*rule)),
            );
        if parts.marker == Marker::Error {
            self.errors_seen += 1;
        }
        let Some((rule_index, pattern_index)) = winner else {
            if parts.marker == Marker::Error && self.first_error.is_none() && !text.is_empty() {
                let segment = self.stepper.current();
                let (text, job) = (text.to_owned(), job());
                self.first_error = Some(Evidence { line: number, text, job, segment });
            }
            return;
        };

        let rule = &self.scanner.rules[rule_index];
        let severity = match parts.marker {
            Marker::Warning => Severity::Warning,
            Marker::Error => Severity::Error,
            Marker::Notice => Severity::Notice,
            _ => rule.severity,
        };
        let regex = &rule.patterns[pattern_index];
        let (title, fix) = match regex.captures(text) {
            Some(captures) => {
                (fill_template(&rule.title, &captures), fill_template(&rule.fix, &captures))
            }
            None => (rule.title.clone(), rule.fix.clone()),
        };
        let segment = self.stepper.current();
        let hit = RawHit {
            rule: rule_index,
            severity,
            title,
            fix,
            evidence: Evidence { line: number, text: text.to_owned(), job: job(), segment },
            count: 1,
            more_lines: Vec::new(),
        };
        if rule.has_conditions() {
            self.defer(hit, rule_index, segment, number);
        } else {
            self.record(hit);
        }
    }

    fn record(&mut self, hit: RawHit) {
        let key = (hit.rule, hit.title.clone(), hit.evidence.job.clone());
        if let Some(existing) = self.index.get(&key) {
            let existing = &mut self.hits[*existing];
            existing.count += 1;
            if existing.more_lines.len() < MAX_REPEAT_LINES {
                existing.more_lines.push(hit.evidence.line);
            }
            return;
        }
        if self.hits.len() >= MAX_DISTINCT_HITS {
            self.dropped_hits += 1;
            return;
        }
        self.index.insert(key, self.hits.len());
        self.hits.push(hit);
    }

    fn finish(mut self, lines: u64, cut_lines: u64, bytes: u64, saw_text: bool) -> JobScan {
        self.settle_job();
        JobScan {
            lines,
            bytes,
            cut_lines,
            empty: !saw_text,
            segments: self.stepper.into_segments(),
            hits: self.hits,
            dropped_hits: self.dropped_hits,
            first_error: self.first_error,
            error_lines: self.errors_seen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::joblog::SegmentKind;

    #[test]
    fn lines_before_the_runner_starts_are_the_queue_not_set_up() {
        let log = "\u{feff}2025-01-02T03:04:01.0000000Z Requested labels: ubuntu-latest\n\
                   2025-01-02T03:04:02.0000000Z Waiting for a runner to pick up this job...\n\
                   2025-01-02T03:04:09.0000000Z Current runner version: '2.329.0'\n\
                   2025-01-02T03:04:09.1000000Z Complete job name: build\n\
                   2025-01-02T03:04:09.2000000Z ##[group]Run make\n";
        let matcher = Matcher::new(&[]).expect("an empty matcher builds");
        let scan = Scanner::new(&[], &matcher).scan(log.as_bytes()).expect("in memory");
        let kinds: Vec<_> = scan.segments.iter().map(|segment| segment.kind).collect();
        assert_eq!(kinds[..2], [SegmentKind::Queue, SegmentKind::SetUp]);
        assert_eq!(scan.segments[1].first_line, 3);
        assert_eq!(scan.lines, 5);
    }
}
