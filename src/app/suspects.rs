//! The suspects of a run's failing streak as the TUI knows them: the range of commits between
//! the streak's last green and first red run, and what the source answered for it. Data and
//! pure lookups only; `update` asks and fills, views and the export read.

use std::sync::Arc;

use super::state::State;
use crate::github::compare::Comparison;
use crate::github::model::Run;
use crate::streak::{self, Streak};

/// The most commits the run screen lists one per line; `e` writes them all.
pub const LISTED_COMMITS: usize = 8;

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

/// How many commits the run screen lists one per line when `spare` rows are free beside the
/// jobs; `None` when the block does not fit and their short SHAs go on one line.
pub fn listed(comparison: &Comparison, spare: usize) -> Option<usize> {
    let shown = comparison.commits.len();
    let listed = shown.min(LISTED_COMMITS);
    let more = usize::from(shown > listed);
    (shown > 0 && spare >= listed + more + 2).then_some(listed)
}

/// Rows the run screen's suspects block takes for `run` with `spare` rows free beside the
/// jobs: its heading, the commits listed, a line for those not listed, and a blank line.
pub fn rows(state: &State, run: &Run, spare: usize) -> usize {
    let Some((_, _, known)) = of_run(state, run) else { return 0 };
    let Some(Suspects::Compared(comparison)) = known else { return 1 };
    match listed(comparison, spare) {
        Some(listed) => 2 + listed + usize::from(comparison.commits.len() > listed),
        None => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::compare::{ComparedCommit, GitCommit};

    fn comparison(commits: usize) -> Comparison {
        let commit = |number: usize| ComparedCommit {
            sha: format!("{number:040}"),
            html_url: None,
            commit: GitCommit { author: None, message: format!("change {number}") },
            author: None,
        };
        Comparison {
            html_url: None,
            total_commits: commits as u64,
            commits: (0..commits).map(commit).collect(),
        }
    }

    #[test]
    fn the_run_screen_lists_at_most_eight_commits_and_only_where_they_fit() {
        assert_eq!(listed(&comparison(4), 6), Some(4), "header, 4 commits, blank line");
        assert_eq!(listed(&comparison(4), 5), None, "one row short: SHAs on one line");
        assert_eq!(listed(&comparison(12), 22), Some(LISTED_COMMITS));
        assert_eq!(listed(&comparison(12), 10), None, "8 listed need a line for the rest too");
        assert_eq!(listed(&comparison(0), 22), None, "no commit: one line says so");
    }
}
