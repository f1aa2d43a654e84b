//! Context conditions of a scan: a match whose rule `requires` or is cancelled by (`unless`)
//! other lines waits until its line window, its step or the job is over, then is kept or
//! dropped. Owns the waiting matches and where context lines were seen; the line loop is in
//! `triage::scan`.

use super::Scan;
use crate::rules::Reach;
use crate::triage::RawHit;

/// Most matches waiting for their context at once.
const MAX_PENDING: usize = 10_000;

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
pub(super) struct Pending {
    hit: RawHit,
    captures_rule: usize,
    segment: Option<usize>,
    wait: Wait,
}

impl Scan<'_> {
    /// Notes that a context pattern matched line `number`.
    pub(super) fn note_context(&mut self, owner: (usize, bool, usize), number: u64) {
        let lines = self.recent.entry(owner).or_default();
        lines.push_back(number);
        let oldest = number.saturating_sub(2 * self.scanner.widest_window);
        while lines.front().is_some_and(|line| *line < oldest) {
            lines.pop_front();
        }
        self.in_step.insert(owner);
        self.in_job.insert(owner);
    }

    /// Keeps a match of a rule with context conditions until they can be decided.
    pub(super) fn defer(&mut self, hit: RawHit, rule: usize, segment: Option<usize>, number: u64) {
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
    pub(super) fn settle_lines(&mut self, number: u64) {
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
    pub(super) fn settle_step(&mut self) {
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

    /// Decides every match still waiting, once the log is over.
    pub(super) fn settle_job(&mut self) {
        while let Some(pending) = self.pending.pop_front() {
            self.decide(pending, true);
        }
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
}
