//! One pass over one job log: blocks of lines, the literal prefilter, rule patterns on the
//! lines it picks, step segments, and context conditions. Owns the streaming scan and its
//! bounds (distinct findings, pending matches); it does not rank or link symptoms.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{self, Read};

use super::{Evidence, JobScan, RawHit};
use crate::category::Severity;
use crate::joblog::{Chunks, Marker, Stepper, line};
use crate::rules::{Matcher, Reach, Rule, fill_template};

/// Most distinct findings kept for one job; further new ones are counted, not kept.
pub const MAX_DISTINCT_HITS: usize = 2_000;

/// Most matches waiting for their context at once.
const MAX_PENDING: usize = 10_000;

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

/// When a match with context conditions can be decided.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// Once the log has passed this line.
    PastLine(u64),
    /// When its step ends.
    StepEnd,
    /// When the log ends.
    JobEnd,
}

/// A match whose context conditions are not decided yet.
struct Pending {
    hit: RawHit,
    captures_rule: usize,
    segment: Option<usize>,
    wait: Wait,
}

/// State of one scan.
struct Scan<'a> {
    scanner: &'a Scanner<'a>,
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

        while let Some(block) = chunks.next_block()? {
            let columns = *columns.get_or_insert_with(|| detect_columns(block));
            let state = scan.get_or_insert_with(|| Scan::new(self, columns));
            saw_text |= block.iter().any(|byte| !byte.is_ascii_whitespace());
            let mut position = 0;
            let candidates: Box<dyn Iterator<Item = (usize, usize)>> = if columns {
                Box::new(all_lines(block))
            } else {
                Box::new(self.matcher.candidates(block))
            };
            for (start, end) in candidates {
                line_number += count_lines(&block[position..start]) + 1;
                position = (end + 1).min(block.len());
                state.line(line_number, &block[start..end], columns);
            }
            line_number += count_lines(&block[position..]);
            if !block.ends_with(b"\n") && position < block.len() {
                line_number += 1;
            }
        }

        let columns = columns.unwrap_or(false);
        let state = scan.unwrap_or_else(|| Scan::new(self, columns));
        Ok(state.finish(line_number, chunks.cut_lines(), chunks.bytes_read(), saw_text))
    }
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

fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

impl<'a> Scan<'a> {
    fn new(scanner: &'a Scanner<'a>, columns: bool) -> Scan<'a> {
        Scan {
            scanner,
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
        }
    }

    fn line(&mut self, number: u64, raw: &[u8], columns: bool) {
        let parts = line::split(raw, columns);
        let before = self.stepper.current();
        self.stepper.observe(number, &parts);
        if self.stepper.current() != before {
            self.settle_step();
        }
        self.settle_lines(number);

        let matcher = self.scanner.matcher;
        let message = &parts.message[..parts.message.len().min(MAX_MATCH_BYTES)];
        let text = line::readable(message);
        if memchr::memchr(0x1b, raw).is_some() && !matcher.text_may_match(&text) {
            return;
        }
        let hits = matcher.hits(&text);
        for owner in &hits.contexts {
            self.note_context(*owner, number);
        }

        let job = parts.gh_job.map(|job| String::from_utf8_lossy(job).into_owned());
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
        let (title, fix) = match regex.captures(&text) {
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
            evidence: Evidence { line: number, text, job, segment },
            count: 1,
            more_lines: Vec::new(),
        };
        if rule.has_conditions() {
            self.defer(hit, rule_index, segment, number);
        } else {
            self.record(hit);
        }
    }

    fn note_context(&mut self, owner: (usize, bool, usize), number: u64) {
        let lines = self.recent.entry(owner).or_default();
        lines.push_back(number);
        let oldest = number.saturating_sub(2 * self.scanner.widest_window);
        while lines.front().is_some_and(|line| *line < oldest) {
            lines.pop_front();
        }
        self.in_step.insert(owner);
        self.in_job.insert(owner);
    }

    fn defer(&mut self, hit: RawHit, rule: usize, segment: Option<usize>, number: u64) {
        if self.pending.len() >= MAX_PENDING {
            self.dropped_hits += 1;
            return;
        }
        let contexts = &self.scanner.rules[rule];
        let reaches: Vec<Reach> =
            contexts.requires.iter().chain(&contexts.unless).map(|context| context.reach).collect();
        let wait = if reaches.contains(&Reach::Job) {
            Wait::JobEnd
        } else if reaches.contains(&Reach::Step) {
            Wait::StepEnd
        } else {
            let window = reaches
                .iter()
                .filter_map(|reach| match reach {
                    Reach::Lines(lines) => Some(u64::from(*lines)),
                    _ => None,
                })
                .max()
                .unwrap_or(0);
            Wait::PastLine(number + window)
        };
        self.pending.push_back(Pending { hit, captures_rule: rule, segment, wait });
    }

    /// Decides pending matches whose line windows are complete by `number`.
    fn settle_lines(&mut self, number: u64) {
        let mut index = 0;
        while index < self.pending.len() {
            if matches!(self.pending[index].wait, Wait::PastLine(last) if last < number) {
                let pending = self.pending.remove(index).expect("index is in range");
                self.decide(pending, false);
            } else {
                index += 1;
            }
        }
    }

    /// Decides the pending matches that waited for their step to end.
    fn settle_step(&mut self) {
        let current = self.stepper.current();
        let mut index = 0;
        while index < self.pending.len() {
            let pending = &self.pending[index];
            if pending.wait == Wait::StepEnd && pending.segment != current {
                let pending = self.pending.remove(index).expect("index is in range");
                self.decide(pending, false);
            } else {
                index += 1;
            }
        }
        self.in_step.clear();
    }

    fn decide(&mut self, pending: Pending, at_end: bool) {
        let rule_index = pending.captures_rule;
        let rule = &self.scanner.rules[rule_index];
        let line = pending.hit.evidence.line;
        let found = |required: bool, position: usize, reach: Reach| -> bool {
            let owner = (rule_index, required, position);
            match reach {
                Reach::Lines(window) => self.recent.get(&owner).is_some_and(|lines| {
                    lines.iter().any(|seen| seen.abs_diff(line) <= u64::from(window))
                }),
                Reach::Step => {
                    self.in_step.contains(&owner) || at_end && self.in_job.contains(&owner)
                }
                Reach::Job => self.in_job.contains(&owner),
            }
        };
        let required = rule.requires.iter().enumerate().all(|(i, c)| found(true, i, c.reach));
        let cancelled = rule.unless.iter().enumerate().any(|(i, c)| found(false, i, c.reach));
        if required && !cancelled {
            self.record(pending.hit);
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
        while let Some(pending) = self.pending.pop_front() {
            self.decide(pending, true);
        }
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
