//! Suspects in the TUI: when a failed run's streak has a last green run, the commits between
//! its commit and the first red run's are asked for once (the compare API on a live source,
//! the embedded comparison in the demo) and kept by that pair of commits.

use crate::app::effect::Effect;
use crate::app::state::{State, Suspects};
use crate::github::compare::Comparison;
use crate::github::model::Run;
use crate::streak;

/// The pair of commits whose comparison names `run`'s suspects: the streak's last green run's
/// and its first red run's; `None` without a green run before the streak.
pub fn key_of(state: &State, run: &Run) -> Option<(String, String)> {
    let streak = streak::failing_streak(&state.runs.all, run)?;
    let green = streak.last_green?;
    let (base, head) = (green.head_sha, streak.first_red.head_sha);
    (!base.is_empty() && !head.is_empty()).then_some((base, head))
}

/// Asks for `run`'s suspects unless they are known or under way; none when both runs ran the
/// same commit (the code did not change).
pub fn ask(state: &mut State, run: &Run) -> Vec<Effect> {
    let Some(key) = key_of(state, run) else { return Vec::new() };
    if state.suspects.contains_key(&key) {
        return Vec::new();
    }
    if key.0 == key.1 {
        let same = Comparison { html_url: None, total_commits: 0, commits: Vec::new() };
        state.suspects.insert(key, Suspects::Ready(Some(same)));
        return Vec::new();
    }
    state.suspects.insert(key.clone(), Suspects::Loading);
    let (base, head) = key;
    vec![Effect::LoadSuspects { base, head }]
}

/// The comparison arrived (or why not).
pub fn loaded(
    state: &mut State,
    key: (String, String),
    result: Result<Option<Comparison>, String>,
) -> Vec<Effect> {
    let suspects = match result {
        Ok(comparison) => Suspects::Ready(comparison),
        Err(why) => Suspects::Failed(why),
    };
    state.suspects.insert(key, suspects);
    Vec::new()
}
