//! The suspects of a run's failing streak as the TUI knows them: the range of commits between
//! the streak's last green and first red run, and what the source answered for it. Data and
//! pure lookups only; `update` asks and fills, views and the export read.

use std::sync::Arc;

use super::state::State;
use crate::github::compare::Comparison;
use crate::github::model::Run;
use crate::streak::{self, Streak};

/// The commits a failing streak is compared between: after `base` up to `head`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommitRange {
    /// The last green run's head commit.
    pub base: String,
    /// The first red run's head commit.
    pub head: String,
}

impl CommitRange {
    /// The range of a streak; `None` without a green run before it or without both commits.
    pub fn of(streak: &Streak) -> Option<CommitRange> {
        let green = streak.last_green.as_ref()?;
        let (base, head) = (&green.head_sha, &streak.first_red.head_sha);
        if base.is_empty() || head.is_empty() {
            return None;
        }
        Some(CommitRange { base: base.clone(), head: head.clone() })
    }
}

/// What is known of a range's commits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Suspects {
    /// The source is being asked.
    Comparing,
    /// The commits, oldest first.
    Compared(Arc<Comparison>),
    /// The source cannot compare commits (local files, the local store alone).
    NotCompared,
    /// The source could not answer; says why.
    Failed(String),
}

/// The failing streak `run` ends (among the runs listed), its commit range and what is known
/// of that range; `None` when the run is not red after a green run.
pub fn of_run<'a>(
    state: &'a State,
    run: &Run,
) -> Option<(Streak, CommitRange, Option<&'a Suspects>)> {
    let streak = streak::failing_streak(&state.runs.all, run)?;
    let range = CommitRange::of(&streak)?;
    let known = state.suspects.get(&range);
    Some((streak, range, known))
}

/// The commits compared for `run`'s streak, once they arrived.
pub fn compared(state: &State, run: &Run) -> Option<Arc<Comparison>> {
    match of_run(state, run)?.2? {
        Suspects::Compared(comparison) => Some(Arc::clone(comparison)),
        _ => None,
    }
}
