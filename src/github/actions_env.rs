//! Running inside GitHub Actions (a workflow triggered by `workflow_run`): the repository, the
//! API URL and the triggering run from the runner's environment and event payload, and the
//! step summary the write-up is appended to, kept under its size limit. Reads only what the
//! runner provides; the token still comes from `GITHUB_TOKEN` like anywhere else.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::github::model::RunId;

/// The step summary's size limit (GitHub rejects a larger one).
pub const STEP_SUMMARY_LIMIT: usize = 1 << 20;

/// The most characters GitHub takes in an issue or pull-request comment.
pub const COMMENT_LIMIT_CHARS: usize = 65_536;

/// What the runner says about the workflow this process runs in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionsEnv {
    /// `GITHUB_REPOSITORY`: `owner/name`.
    pub repository: Option<String>,
    /// `GITHUB_API_URL`: the API of the server the workflow runs on.
    pub api_url: Option<String>,
    /// `GITHUB_EVENT_PATH`: the event payload's file.
    pub event_path: Option<PathBuf>,
    /// `GITHUB_STEP_SUMMARY`: the file the job's summary is read from.
    pub step_summary: Option<PathBuf>,
}

impl ActionsEnv {
    /// The runner's variables, when `GITHUB_ACTIONS` is `true`; `env` reads a variable.
    pub fn read(env: impl Fn(&str) -> Option<String>) -> Option<ActionsEnv> {
        if env("GITHUB_ACTIONS").as_deref() != Some("true") {
            return None;
        }
        let set = |name: &str| env(name).filter(|value| !value.trim().is_empty());
        Some(ActionsEnv {
            repository: set("GITHUB_REPOSITORY"),
            api_url: set("GITHUB_API_URL"),
            event_path: set("GITHUB_EVENT_PATH").map(PathBuf::from),
            step_summary: set("GITHUB_STEP_SUMMARY").map(PathBuf::from),
        })
    }

    /// The variables of this process.
    pub fn from_process() -> Option<ActionsEnv> {
        ActionsEnv::read(|name| std::env::var(name).ok())
    }

    /// The run that triggered this workflow, from the event payload.
    pub fn triggering_run(&self) -> Option<TriggeringRun> {
        let payload = std::fs::read(self.event_path.as_ref()?).ok()?;
        triggering_run(&payload)
    }
}

/// The run a `workflow_run` event names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TriggeringRun {
    /// `workflow_run.id`.
    pub run: RunId,
    /// `workflow_run.run_attempt`: the attempt that ended, not necessarily the run's latest.
    pub attempt: Option<u32>,
}

/// `workflow_run.id` and `workflow_run.run_attempt` of a `workflow_run` event payload.
pub fn triggering_run(payload: &[u8]) -> Option<TriggeringRun> {
    let event: serde_json::Value = serde_json::from_slice(payload).ok()?;
    let workflow_run = event.get("workflow_run")?;
    let run = workflow_run.get("id")?.as_u64().map(RunId)?;
    let attempt = workflow_run.get("run_attempt").and_then(serde_json::Value::as_u64);
    Some(TriggeringRun { run, attempt: attempt.and_then(|attempt| u32::try_from(attempt).ok()) })
}

/// `text` as it fits in `room` bytes of the step summary: its long lists shortened first, then
/// cut at a line end, with a note.
pub fn fit_step_summary(text: &str, room: usize) -> String {
    const NOTE: &str = "\n\n_The write-up was cut to fit the step summary's 1 MiB limit._\n";
    crate::export::fit::fit(text, room, str::len, NOTE)
}

/// The least room worth a write-up: its title, status and root causes in short.
const LEAST_SUMMARY_ROOM: usize = 4 * 1024;

/// `text` as it fits in a comment: at most [`COMMENT_LIMIT_CHARS`] characters (not bytes),
/// its long lists shortened first, with a note.
pub fn fit_comment(text: &str) -> String {
    const NOTE: &str = "\n\n_The write-up was cut to fit a comment's 65,536 characters._\n";
    crate::export::fit::fit(text, COMMENT_LIMIT_CHARS, |text| text.chars().count(), NOTE)
}

/// Appends the write-up to the step summary file, within what the step's earlier output left
/// of the 1 MiB GitHub shows; refused when less than a few KiB is left.
pub fn append_step_summary(file: &Path, text: &str) -> std::io::Result<()> {
    let mut summary = std::fs::OpenOptions::new().create(true).append(true).open(file)?;
    let held = usize::try_from(summary.metadata()?.len()).unwrap_or(usize::MAX);
    let room = STEP_SUMMARY_LIMIT.saturating_sub(held);
    if room < LEAST_SUMMARY_ROOM {
        return Err(std::io::Error::other(format!(
            "it already holds {held} bytes of the {STEP_SUMMARY_LIMIT} GitHub shows; \
             the write-up is on standard output"
        )));
    }
    summary.write_all(fit_step_summary(text, room).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_actions_nothing_is_read() {
        assert_eq!(
            ActionsEnv::read(|name| (name == "GITHUB_REPOSITORY").then(|| "o/r".into())),
            None
        );
    }

    #[test]
    fn the_runner_s_variables_are_read_when_github_actions_is_true() {
        let env = |name: &str| match name {
            "GITHUB_ACTIONS" => Some("true".to_owned()),
            "GITHUB_REPOSITORY" => Some("octo/app".to_owned()),
            "GITHUB_API_URL" => Some("https://api.github.com".to_owned()),
            _ => None,
        };
        let actions = ActionsEnv::read(env).unwrap();
        assert_eq!(actions.repository.as_deref(), Some("octo/app"));
        assert_eq!(actions.event_path, None);
    }

    #[test]
    fn the_triggering_run_is_the_workflow_run_s_id() {
        let payload = br#"{"action": "completed", "workflow_run": {"id": 30433642001, "run_attempt": 2, "conclusion": "failure"}}"#;
        let run = RunId(30_433_642_001);
        assert_eq!(triggering_run(payload), Some(TriggeringRun { run, attempt: Some(2) }));
        assert_eq!(triggering_run(br#"{"push": {}}"#), None);
    }

    #[test]
    fn the_step_summary_keeps_what_earlier_steps_wrote_within_its_one_mib() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("step_summary");
        let earlier = "earlier output\n".repeat(STEP_SUMMARY_LIMIT / 2 / 15);
        std::fs::write(&file, &earlier).unwrap();
        let write_up = "## Evidence\n".to_owned() + &"a line of evidence\n".repeat(60_000);

        append_step_summary(&file, &write_up).unwrap();

        let summary = std::fs::read_to_string(&file).unwrap();
        assert!(summary.starts_with(&earlier), "what was there is kept");
        assert!(summary.len() <= STEP_SUMMARY_LIMIT, "{} bytes", summary.len());
        assert!(summary.ends_with("1 MiB limit._\n"), "the cut is said");

        std::fs::write(&file, "x".repeat(STEP_SUMMARY_LIMIT - 100)).unwrap();
        let error = append_step_summary(&file, &write_up).unwrap_err();
        assert!(error.to_string().contains("already holds 1048476 bytes"), "{error}");
        assert_eq!(std::fs::metadata(&file).unwrap().len(), STEP_SUMMARY_LIMIT as u64 - 100);
    }

    #[test]
    fn a_write_up_over_the_limit_is_cut_at_a_line_end_with_a_note() {
        let line = "é evidence line that repeats\n";
        let text = line.repeat(STEP_SUMMARY_LIMIT / line.len() + 10);
        let fitted = fit_step_summary(&text, STEP_SUMMARY_LIMIT);
        assert!(fitted.len() <= STEP_SUMMARY_LIMIT);
        assert!(fitted.ends_with("1 MiB limit._\n"));
        assert!(fitted.trim_end_matches(|c| c != '\n').len() > STEP_SUMMARY_LIMIT / 2);
        assert_eq!(fit_step_summary("short\n", STEP_SUMMARY_LIMIT), "short\n");
    }

    #[test]
    fn a_write_up_for_a_comment_is_cut_by_characters_not_bytes_at_a_line_end() {
        let line = "ÿ 日本語 evidence 🦀\n";
        let text = line.repeat(COMMENT_LIMIT_CHARS / line.chars().count() + 10);
        let fitted = fit_comment(&text);
        assert!(fitted.chars().count() <= COMMENT_LIMIT_CHARS);
        assert!(fitted.len() > COMMENT_LIMIT_CHARS, "bytes are not what is counted");
        assert!(fitted.ends_with("65,536 characters._\n"));
        let kept = fitted.split("\n\n_The write-up").next().unwrap();
        assert!(kept.ends_with('🦀') && kept.lines().all(|kept| format!("{kept}\n") == line));
        let exactly = "x".repeat(COMMENT_LIMIT_CHARS);
        assert_eq!(fit_comment(&exactly), exactly);
    }
}
