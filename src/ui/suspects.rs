//! The run screen's suspects block: the commits between the failing streak's last green and
//! first red run, one line each (short SHA, author, subject) where the pane has room, else one
//! line with their short SHAs (`app::suspects::rows` says how many rows, for clicks). Reads the
//! state; draws nothing itself.

use ratatui::text::{Line, Span};

use super::text::visible;
use crate::app::state::State;
use crate::app::suspects::{self, Suspects};
use crate::config::Theme;
use crate::config::theme::Role;
use crate::github::compare::{ComparedCommit, Comparison};
use crate::github::model::Run;
use crate::source::SourceKind;
use crate::streak::Streak;

/// The lines of `run`'s suspects block, fitting in `spare` rows beside the jobs (at least one
/// line when there is a streak to tell of; none when the run is not red after a green run).
pub fn lines(state: &State, run: &Run, spare: usize) -> Vec<Line<'static>> {
    let theme = &state.config.theme;
    let Some((streak, _, known)) = suspects::of_run(state, run) else { return Vec::new() };
    let (green, red) = (green(&streak), streak.first_red.number);
    let between = format!("between #{green} and #{red}");
    let text = match known {
        None | Some(Suspects::Comparing) => format!("comparing #{green} with #{red}…"),
        Some(Suspects::NotCompared) if state.source.kind == SourceKind::Stored => {
            format!("none offline; GitHub compares #{green} with #{red}")
        }
        Some(Suspects::NotCompared) => format!("the commits {between} are not known here"),
        Some(Suspects::Failed(error)) => {
            format!("cannot compare #{green} with #{red}: {}", visible(error))
        }
        Some(Suspects::Compared(comparison)) => {
            return commit_lines(comparison, &between, spare, theme);
        }
    };
    vec![header(text, theme)]
}

/// The number of the streak's last green run.
fn green(streak: &Streak) -> u64 {
    streak.last_green.as_ref().map_or(0, |green| green.number)
}

fn header(text: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled("Suspects: ", theme.style(Role::Accent)),
        Span::styled(text, theme.style(Role::Muted)),
    ])
}

/// One line per commit with a blank line under them when `spare` rows allow, else one line.
fn commit_lines(
    comparison: &Comparison,
    between: &str,
    spare: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let shown = comparison.commits.len();
    if shown == 0 {
        let text = format!("no commit {between}: the same code passed before");
        return vec![header(text, theme)];
    }
    let total = usize::try_from(comparison.total_commits).unwrap_or(usize::MAX).max(shown);
    let plural = if total == 1 { "" } else { "s" };
    let count = if total > shown {
        format!("the first {shown} of {total} commits {between}")
    } else {
        format!("{total} commit{plural} {between}")
    };
    let Some(listed) = suspects::listed(comparison, spare) else {
        let shas: Vec<&str> = comparison.commits.iter().map(ComparedCommit::short_sha).collect();
        return vec![header(format!("{count} · {}", shas.join(" ")), theme)];
    };
    let mut lines = vec![header(count, theme)];
    for commit in &comparison.commits[..listed] {
        lines.push(Line::from(vec![
            Span::styled(format!("  {} ", visible(commit.short_sha())), theme.style(Role::Warning)),
            Span::styled(format!("{} ", visible(&commit.author_name())), theme.style(Role::Muted)),
            Span::raw(visible(commit.subject())),
        ]));
    }
    if shown > listed {
        let more = format!("  … {} more: e writes them all", shown - listed);
        lines.push(Line::styled(more, theme.style(Role::Muted)));
    }
    lines.push(Line::default());
    lines
}
