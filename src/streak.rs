//! The failing streak of a workflow on a branch: since when it is red, how many runs in a
//! row, and the last green run. Pure: reads a list of runs, no I/O, no clock.

use std::fmt;

use jiff::Timestamp;

use crate::github::model::{Conclusion, Run, RunId, Status};

/// A run as the streak names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunMark {
    /// The run's id.
    pub id: RunId,
    /// Its number within the workflow.
    pub number: u64,
    /// When it was created.
    pub created_at: Timestamp,
    /// Its head commit.
    pub head_sha: String,
}

impl RunMark {
    fn of(run: &Run) -> RunMark {
        RunMark {
            id: run.id,
            number: run.run_number,
            created_at: run.created_at,
            head_sha: run.head_sha.clone(),
        }
    }
}

/// A run of failures ending at a given run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Streak {
    /// The oldest failed run of the streak.
    pub first_red: RunMark,
    /// How many failed runs in a row, the given one included.
    pub failures: usize,
    /// The newest green run before the streak, if the history has one.
    pub last_green: Option<RunMark>,
}

impl fmt::Display for Streak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let since = self.first_red.created_at.strftime("%Y-%m-%d");
        write!(
            f,
            "failing since #{} on {since}, {} in a row",
            self.first_red.number, self.failures
        )?;
        match &self.last_green {
            Some(green) => {
                write!(
                    f,
                    ", last green #{} on {}",
                    green.number,
                    green.created_at.strftime("%Y-%m-%d")
                )
            }
            None => write!(f, ", no green run in the history read"),
        }
    }
}

/// The streak `run` ends, among `runs` of any workflows and branches; `None` unless it failed.
pub fn failing_streak(runs: &[Run], run: &Run) -> Option<Streak> {
    if !run.failed() {
        return None;
    }
    let mut history: Vec<&Run> = runs
        .iter()
        .filter(|other| {
            other.workflow_id == run.workflow_id && other.head_branch == run.head_branch
        })
        .filter(|other| other.run_number <= run.run_number)
        .filter(|other| other.status == Some(Status::Completed))
        .collect();
    history.sort_by_key(|other| std::cmp::Reverse(other.run_number));
    history.dedup_by_key(|other| other.run_number);

    let mut first_red = RunMark::of(run);
    let mut failures = 0;
    for other in history {
        match other.conclusion {
            Some(Conclusion::Success) => {
                return Some(Streak { first_red, failures, last_green: Some(RunMark::of(other)) });
            }
            Some(conclusion) if conclusion.is_failure() => {
                failures += 1;
                first_red = RunMark::of(other);
            }
            _ => {}
        }
    }
    Some(Streak { first_red, failures: failures.max(1), last_green: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::model::WorkflowId;

    fn run(number: u64, day: u32, conclusion: Conclusion) -> Run {
        let at: Timestamp = format!("2025-12-{day:02}T10:00:00Z").parse().unwrap();
        Run {
            id: RunId(20_000_000_000 + number),
            name: Some("Stage 2".into()),
            display_title: None,
            run_number: number,
            run_attempt: Some(1),
            event: "workflow_run".into(),
            status: Some(Status::Completed),
            conclusion: Some(conclusion),
            workflow_id: WorkflowId(7),
            head_branch: Some("main".into()),
            head_sha: format!("{number:040}"),
            path: None,
            html_url: None,
            created_at: at,
            updated_at: at,
            run_started_at: None,
            actor: None,
            head_commit: None,
        }
    }

    #[test]
    fn three_failures_after_a_green_run_make_a_streak_of_three() {
        let runs = vec![
            run(36, 15, Conclusion::Failure),
            run(35, 15, Conclusion::Failure),
            run(34, 14, Conclusion::Failure),
            run(33, 10, Conclusion::Success),
            run(32, 9, Conclusion::Success),
        ];
        let streak = failing_streak(&runs, &runs[0]).unwrap();
        assert_eq!(
            streak.to_string(),
            "failing since #34 on 2025-12-14, 3 in a row, last green #33 on 2025-12-10"
        );
    }

    #[test]
    fn cancelled_runs_neither_break_nor_extend_a_streak() {
        let runs = vec![
            run(5, 5, Conclusion::Failure),
            run(4, 4, Conclusion::Cancelled),
            run(3, 3, Conclusion::Failure),
            run(2, 2, Conclusion::Success),
        ];
        let streak = failing_streak(&runs, &runs[0]).unwrap();
        assert_eq!((streak.first_red.number, streak.failures), (3, 2));
    }

    #[test]
    fn a_green_run_has_no_streak() {
        let runs = vec![run(2, 2, Conclusion::Success)];
        assert_eq!(failing_streak(&runs, &runs[0]), None);
    }
}
