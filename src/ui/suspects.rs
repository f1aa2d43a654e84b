//! The suspects line under a failing streak in the runs list: the newest of the commits
//! between the last green run and the first red one, or why there are none. Reads the state
//! only; asking for them is `app/update/suspects.rs`'s.

use ratatui::text::Line;

use crate::app::derived::selected_run;
use crate::app::state::{State, Suspects};
use crate::app::update::suspects_key;
use crate::config::theme::Role;

/// How many commits the line names.
const NAMED: usize = 3;

/// The line for the selected run's streak, once its suspects were asked for.
pub fn line(state: &State) -> Option<Line<'static>> {
    let run = selected_run(state)?;
    let key = suspects_key(state, run)?;
    let text = match state.suspects.get(&key)? {
        Suspects::Loading => {
            "suspects: comparing the last green commit with the first red…".to_owned()
        }
        Suspects::Failed(why) => format!("suspects: not read ({why})"),
        Suspects::Ready(None) => return None,
        Suspects::Ready(Some(comparison)) if comparison.commits.is_empty() => {
            "suspects: none, the last green run ran the same commit: the code did not change"
                .to_owned()
        }
        Suspects::Ready(Some(comparison)) => {
            let named: Vec<String> = comparison
                .commits
                .iter()
                .rev()
                .take(NAMED)
                .map(|commit| {
                    format!(
                        "{} {} ({})",
                        commit.short_sha(),
                        commit.subject(),
                        commit.author_name()
                    )
                })
                .collect();
            let total = comparison.total_commits.max(comparison.commits.len() as u64);
            let plural = if total == 1 { "" } else { "s" };
            format!("suspects: {total} commit{plural}, newest first: {}", named.join(" · "))
        }
    };
    Some(Line::styled(text, state.config.theme.style(Role::Warning)))
}
