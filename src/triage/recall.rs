//! What the local store recalls beside a run's findings: whether each cause was seen in other
//! runs and how often it proved flaky, and the lines each failed job printed that its last
//! passing run did not. Plain data a source fills after triage; the findings pane and the
//! report show it. It does no I/O.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::github::model::RunId;
use crate::logdiff::NewLine;

/// The most new lines kept per job; the count of all of them is kept beside.
pub const KEPT_NEW_LINES: usize = 40;

/// What is known of a run's findings from other runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Recall {
    /// Per finding (its index in the report): the runs that had the same cause.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub seen: BTreeMap<usize, Recurrence>,
    /// Per failed job: what its log printed that its last passing log did not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub since_passed: Vec<SincePassed>,
}

impl Recall {
    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty() && self.since_passed.is_empty()
    }

    /// The comparison for the job named `job`, when one was made.
    pub fn for_job(&self, job: &str) -> Option<&SincePassed> {
        self.since_passed.iter().find(|since| since.job == job)
    }
}

/// How often one cause was seen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recurrence {
    /// Runs that had it, this one included.
    pub runs: u64,
    /// When it was first seen.
    pub first_seen: Option<Timestamp>,
    /// Of `runs`, those whose failure later passed on the same commit.
    pub flaky_runs: u64,
}

impl Recurrence {
    /// Whether no other run had it.
    pub fn is_new(&self) -> bool {
        self.runs <= 1
    }

    /// `new`, or `seen in 5 runs since 2025-12-14`.
    pub fn describe(&self) -> String {
        if self.is_new() {
            return "new".to_owned();
        }
        match self.first_seen {
            Some(first) => {
                format!("seen in {} runs since {}", self.runs, first.strftime("%Y-%m-%d"))
            }
            None => format!("seen in {} runs", self.runs),
        }
    }

    /// `flaky 2/5` when some of its failures later passed on the same commit.
    pub fn flakiness(&self) -> Option<String> {
        (self.flaky_runs > 0).then(|| format!("flaky {}/{}", self.flaky_runs, self.runs))
    }

    /// What the pane and the report show: `seen in 2 runs since 2025-12-14 · flaky 1/2`.
    pub fn summary(&self) -> String {
        match self.flakiness() {
            Some(flaky) => format!("{} · {flaky}", self.describe()),
            None => self.describe(),
        }
    }
}

/// What a failed job printed that its last passing run did not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SincePassed {
    /// The job's name.
    pub job: String,
    /// The run it last passed in.
    pub passed_run: RunId,
    /// That run's number.
    pub passed_number: u64,
    /// The new lines, the first [`KEPT_NEW_LINES`].
    pub lines: Vec<NewLine>,
    /// How many lines were new in all.
    pub new_lines: u64,
    /// How many lines the failing log has, the count a reader faces without the comparison.
    pub failing_lines: u64,
}

impl SincePassed {
    /// The heading: `New since it last passed (run #41): 3 of 220 lines`.
    pub fn heading(&self) -> String {
        format!(
            "New since it last passed (run #{}): {} of {} lines",
            self.passed_number, self.new_lines, self.failing_lines
        )
    }
}
