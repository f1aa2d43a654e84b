//! Asking for the suspects of a failing streak: once per commit range (again only after a
//! failure), with a request id so that an answer nobody waits for any more is dropped.

use std::sync::Arc;

use crate::app::effect::Effect;
use crate::app::state::{RequestId, State};
use crate::app::suspects::{self, CommitRange, Suspects};
use crate::github::compare::Comparison;
use crate::github::model::Run;

/// Asks the source for the commits of `run`'s failing streak unless they are known or asked
/// for; a streak whose green and red runs ran the same commit has none, with no request.
pub fn ask(state: &mut State, run: &Run) -> Vec<Effect> {
    let Some((_, range, known)) = suspects::of_run(state, run) else { return Vec::new() };
    if known.is_some_and(|known| !matches!(known, Suspects::Failed(_))) {
        return Vec::new();
    }
    if range.base == range.head {
        let none = Comparison { html_url: None, total_commits: 0, commits: Vec::new() };
        state.suspects.insert(range, Suspects::Compared(Arc::new(none)));
        return Vec::new();
    }
    let request = state.requests.issue();
    state.requests.compare.insert(range.clone(), request);
    state.suspects.insert(range.clone(), Suspects::Comparing);
    vec![Effect::Compare { request, range }]
}

/// The source answered: keep the commits (or why not) if this answer is still awaited.
pub fn compared(
    state: &mut State,
    request: RequestId,
    range: CommitRange,
    result: Result<Option<Comparison>, String>,
) -> Vec<Effect> {
    if state.requests.compare.get(&range) != Some(&request) {
        return Vec::new();
    }
    state.requests.compare.remove(&range);
    let known = match result {
        Ok(Some(comparison)) => Suspects::Compared(Arc::new(comparison)),
        Ok(None) => Suspects::NotCompared,
        Err(error) => Suspects::Failed(error),
    };
    state.suspects.insert(range, known);
    Vec::new()
}
