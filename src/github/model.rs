//! Serde types for the REST JSON of workflows, runs, jobs and steps. Owns tolerance: 64-bit
//! ids, nullable fields, unknown enum values and unknown fields all parse.

mod attempt;

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The event of the one run made up for local log files.
pub const LOCAL_EVENT: &str = "local";

/// A workflow run's id (64-bit: GitHub's ids passed 2^32 long ago).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RunId(pub u64);

/// A job's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(pub u64);

/// A workflow's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WorkflowId(pub u64);

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where a run, job or step is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for a runner.
    Queued,
    /// Running now.
    InProgress,
    /// Finished; see the conclusion.
    Completed,
    /// Waiting for an approval or a deployment protection rule.
    Waiting,
    /// Requested, not yet queued.
    Requested,
    /// Pending (concurrency).
    Pending,
    /// A value this version does not know.
    #[serde(other)]
    Unknown,
}

/// How a completed run, job or step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// It passed.
    Success,
    /// It failed.
    Failure,
    /// Neither passed nor failed.
    Neutral,
    /// Someone or something canceled it.
    Cancelled,
    /// It did not run.
    Skipped,
    /// It ran out of time.
    TimedOut,
    /// It needs an action from someone.
    ActionRequired,
    /// It went stale.
    Stale,
    /// The workflow could not start.
    StartupFailure,
    /// A value this version does not know.
    #[serde(other)]
    Unknown,
}

impl Conclusion {
    /// Whether this ends a run red.
    pub fn is_failure(self) -> bool {
        matches!(self, Conclusion::Failure | Conclusion::TimedOut | Conclusion::StartupFailure)
    }

    /// The REST API's word for it.
    pub fn id(self) -> &'static str {
        match self {
            Conclusion::Success => "success",
            Conclusion::Failure => "failure",
            Conclusion::Neutral => "neutral",
            Conclusion::Cancelled => "cancelled",
            Conclusion::Skipped => "skipped",
            Conclusion::TimedOut => "timed_out",
            Conclusion::ActionRequired => "action_required",
            Conclusion::Stale => "stale",
            Conclusion::StartupFailure => "startup_failure",
            Conclusion::Unknown => "unknown",
        }
    }
}

/// A GitHub user or bot, as runs name them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The login name.
    pub login: String,
}

/// The commit a run ran on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadCommit {
    /// Its SHA.
    pub id: String,
    /// Its message.
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
}

/// A workflow run (`GET /repos/{owner}/{repo}/actions/runs/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// The run's id.
    pub id: RunId,
    /// The workflow's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The title shown in the list (commit message or PR title).
    #[serde(default)]
    pub display_title: Option<String>,
    /// The run's number within its workflow.
    pub run_number: u64,
    /// Which attempt this is (1 unless rerun).
    #[serde(default)]
    pub run_attempt: Option<u32>,
    /// What triggered it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub event: String,
    /// Where it is in its life.
    #[serde(default)]
    pub status: Option<Status>,
    /// How it ended.
    #[serde(default)]
    pub conclusion: Option<Conclusion>,
    /// The workflow's id.
    pub workflow_id: WorkflowId,
    /// The branch it ran on.
    #[serde(default)]
    pub head_branch: Option<String>,
    /// The commit it ran on.
    #[serde(default, deserialize_with = "null_as_default")]
    pub head_sha: String,
    /// The workflow file's path.
    #[serde(default)]
    pub path: Option<String>,
    /// The run's page.
    #[serde(default)]
    pub html_url: Option<String>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed (its end, once completed).
    pub updated_at: Timestamp,
    /// When this attempt started.
    #[serde(default)]
    pub run_started_at: Option<Timestamp>,
    /// Who triggered it.
    #[serde(default)]
    pub actor: Option<Actor>,
    /// The head commit.
    #[serde(default)]
    pub head_commit: Option<HeadCommit>,
}

impl Run {
    /// The title to show: the display title, else the workflow name.
    pub fn title(&self) -> &str {
        self.display_title.as_deref().or(self.name.as_deref()).unwrap_or("")
    }

    /// The head commit's subject (the first line of its message), else the run's title when
    /// the run JSON has no commit message.
    pub fn commit_subject(&self) -> &str {
        let message = self.head_commit.as_ref().map(|commit| commit.message.as_str());
        let subject = message.and_then(|message| message.lines().next()).map(str::trim);
        subject.filter(|subject| !subject.is_empty()).unwrap_or_else(|| self.title())
    }

    /// How long this attempt took, once completed; unknown for local files.
    pub fn duration(&self) -> Option<jiff::SignedDuration> {
        if self.status != Some(Status::Completed) || self.is_local() {
            return None;
        }
        let start = self.run_started_at.unwrap_or(self.created_at);
        Some(self.updated_at.duration_since(start))
    }

    /// Whether it ended red.
    pub fn failed(&self) -> bool {
        self.conclusion.is_some_and(Conclusion::is_failure)
    }

    /// Whether it stands for local log files, which say nothing of how the run went.
    pub fn is_local(&self) -> bool {
        self.event == LOCAL_EVENT
    }
}

/// A page of runs (`GET …/actions/runs`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunList {
    /// How many runs match in all.
    #[serde(default)]
    pub total_count: u64,
    /// This page's runs.
    pub workflow_runs: Vec<Run>,
}

/// A step of a job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The step's name.
    pub name: String,
    /// Where it is in its life.
    #[serde(default)]
    pub status: Option<Status>,
    /// How it ended.
    #[serde(default)]
    pub conclusion: Option<Conclusion>,
    /// 1-based position in the job.
    pub number: u32,
    /// When it started (whole seconds).
    #[serde(default)]
    pub started_at: Option<Timestamp>,
    /// When it ended (whole seconds).
    #[serde(default)]
    pub completed_at: Option<Timestamp>,
}

impl Step {
    /// How long it ran, when both ends are known.
    pub fn duration(&self) -> Option<jiff::SignedDuration> {
        Some(self.completed_at?.duration_since(self.started_at?))
    }
}

/// A job of a run attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The job's id.
    pub id: JobId,
    /// The run it belongs to.
    pub run_id: RunId,
    /// The attempt it belongs to.
    #[serde(default)]
    pub run_attempt: Option<u32>,
    /// The job's name (matrix values included).
    pub name: String,
    /// The workflow's name.
    #[serde(default)]
    pub workflow_name: Option<String>,
    /// Where it is in its life.
    #[serde(default)]
    pub status: Option<Status>,
    /// How it ended.
    #[serde(default)]
    pub conclusion: Option<Conclusion>,
    /// When it started.
    #[serde(default)]
    pub started_at: Option<Timestamp>,
    /// When it ended.
    #[serde(default)]
    pub completed_at: Option<Timestamp>,
    /// The job's page.
    #[serde(default)]
    pub html_url: Option<String>,
    /// Its steps, in order.
    #[serde(default, deserialize_with = "null_as_default")]
    pub steps: Vec<Step>,
    /// Runner labels.
    #[serde(default, deserialize_with = "null_as_default")]
    pub labels: Vec<String>,
    /// The runner's name.
    #[serde(default)]
    pub runner_name: Option<String>,
}

impl Job {
    /// How long it ran, when both ends are known.
    pub fn duration(&self) -> Option<jiff::SignedDuration> {
        Some(self.completed_at?.duration_since(self.started_at?))
    }

    /// Whether it ended red.
    pub fn failed(&self) -> bool {
        self.conclusion.is_some_and(Conclusion::is_failure)
    }

    /// The first step that failed, if any.
    pub fn failed_step(&self) -> Option<&Step> {
        self.steps.iter().find(|step| step.conclusion.is_some_and(Conclusion::is_failure))
    }
}

/// A page of jobs (`GET …/runs/{id}/attempts/{n}/jobs`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JobList {
    /// How many jobs in all.
    #[serde(default)]
    pub total_count: u64,
    /// This page's jobs.
    pub jobs: Vec<Job>,
}

/// A workflow (`GET …/actions/workflows`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workflow {
    /// Its id.
    pub id: WorkflowId,
    /// Its `name:`.
    pub name: String,
    /// Its file.
    pub path: String,
    /// `active` or another state.
    #[serde(default, deserialize_with = "null_as_default")]
    pub state: String,
}

/// The workflow list.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkflowList {
    /// How many in all.
    #[serde(default)]
    pub total_count: u64,
    /// The workflows.
    pub workflows: Vec<Workflow>,
}

/// A duration as people write it in CI: `1m 41s`, `57s`, `2h 3m`.
pub fn human_duration(duration: jiff::SignedDuration) -> String {
    let seconds = duration.as_secs().max(0);
    let (hours, minutes, seconds) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    match (hours, minutes) {
        (0, 0) => format!("{seconds}s"),
        (0, _) => format!("{minutes}m {seconds}s"),
        _ => format!("{hours}h {minutes}m"),
    }
}

/// A field GitHub may send as `null` read as its default (`""`, `[]`, `0`), like a missing one.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_with_big_ids_nulls_and_new_values_parses() {
        let json = r#"{"id": 20123456789012, "name": null, "run_number": 36, "event": "push",
            "status": "brand_new_status", "conclusion": null, "workflow_id": 9876543210123,
            "head_sha": "abc", "created_at": "2025-12-15T10:20:00Z",
            "updated_at": "2025-12-15T10:21:41Z", "extra_field": {"nested": true}}"#;
        let run: Run = serde_json::from_str(json).unwrap();
        assert_eq!(run.id, RunId(20_123_456_789_012));
        assert_eq!(run.status, Some(Status::Unknown));
        assert_eq!(run.duration(), None);
    }

    #[test]
    fn explicit_nulls_in_fields_with_a_default_read_as_that_default() {
        let json = r#"{"id": 5, "run_number": 1, "event": null, "head_sha": null,
            "workflow_id": 1, "created_at": "2025-12-15T10:20:00Z",
            "updated_at": "2025-12-15T10:21:41Z"}"#;
        let run: Run = serde_json::from_str(json).unwrap();
        assert_eq!((run.event.as_str(), run.head_sha.as_str()), ("", ""));
        let json = r#"{"id": 9, "run_id": 5, "name": "build", "steps": null, "labels": null}"#;
        let job: Job = serde_json::from_str(json).unwrap();
        assert!(job.steps.is_empty() && job.labels.is_empty());
    }

    #[test]
    fn a_run_s_commit_subject_is_its_message_s_first_line_else_its_title() {
        let json = r#"{"id": 5, "run_number": 1, "display_title": "Stage 2", "workflow_id": 1,
            "head_commit": {"id": "abc", "message": "README: stages\n\nLonger body."},
            "created_at": "2025-12-15T10:20:00Z", "updated_at": "2025-12-15T10:21:41Z"}"#;
        let mut run: Run = serde_json::from_str(json).unwrap();
        assert_eq!(run.commit_subject(), "README: stages");
        run.head_commit = None;
        assert_eq!(run.commit_subject(), "Stage 2");
    }

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(human_duration(jiff::SignedDuration::from_secs(101)), "1m 41s");
        assert_eq!(human_duration(jiff::SignedDuration::from_secs(57)), "57s");
        assert_eq!(human_duration(jiff::SignedDuration::from_secs(7380)), "2h 3m");
    }
}
