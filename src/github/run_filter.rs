//! Which runs a run list asks for: workflow, branch, status or conclusion, event, actor, creation
//! range and head commit, checked when given and turned into the query GitHub's run lists take.
//! Owns the values and their checks; the requests are in `actions.rs`.

use std::fmt;

use super::client::encode;

/// The values GitHub's run lists take for `status` (statuses and conclusions alike).
pub const STATUSES: &[&str] = &[
    "completed",
    "action_required",
    "cancelled",
    "failure",
    "neutral",
    "skipped",
    "stale",
    "success",
    "timed_out",
    "in_progress",
    "queued",
    "requested",
    "waiting",
    "pending",
];

/// The most runs one list reads: GitHub answers at most 1,000 runs for a filtered list.
pub const MAX_LISTED_RUNS: usize = 1000;

/// Which workflow a list is limited to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkflowRef {
    /// By numeric id.
    Id(u64),
    /// By its file name (`ci.yml`), which the per-workflow endpoint takes as it is.
    File(String),
    /// By its `name:`, looked up in the repository's workflows first.
    Name(String),
}

impl WorkflowRef {
    /// A workflow as a person names it: an id, a file (`ci.yml`, `.github/workflows/ci.yml`) or
    /// a name (`CI`).
    pub fn parse(text: &str) -> WorkflowRef {
        let text = text.trim();
        if let Ok(id) = text.parse::<u64>() {
            return WorkflowRef::Id(id);
        }
        let extension = std::path::Path::new(text).extension().and_then(|e| e.to_str());
        if extension
            .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"))
        {
            let file = text.rsplit('/').next().unwrap_or(text);
            return WorkflowRef::File(file.to_owned());
        }
        WorkflowRef::Name(text.to_owned())
    }
}

impl fmt::Display for WorkflowRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkflowRef::Id(id) => write!(f, "{id}"),
            WorkflowRef::File(name) | WorkflowRef::Name(name) => f.write_str(name),
        }
    }
}

/// A filter value that GitHub would not understand.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FilterError {
    /// `--status` is not one of GitHub's words.
    #[error("--status {0}: not a status or conclusion GitHub knows; use one of {list}", list = STATUSES.join(", "))]
    Status(String),
    /// `--created` is not a date or a range of dates.
    #[error(
        "--created {0}: not a date or range; use YYYY-MM-DD, >=YYYY-MM-DD, <YYYY-MM-DD or \
         FROM..TO (dates or times like 2025-12-15T10:00:00Z, * for an open end)"
    )]
    Created(String),
    /// `--created FROM..TO` ends before it starts.
    #[error(
        "--created {from}..{to}: the range ends on {to}, before it starts on {from}; write {to}..{from}"
    )]
    Reversed {
        /// Where the range starts, as typed.
        from: String,
        /// Where the range ends, as typed.
        to: String,
    },
    /// `--commit` is not a full commit SHA.
    #[error("--commit {0}: GitHub filters on the full 40-character SHA (`git rev-parse {0}`)")]
    HeadSha(String),
}

/// Which runs to list; every field unset lists them all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunFilter {
    /// One workflow's runs only.
    pub workflow: Option<WorkflowRef>,
    /// Runs on this branch.
    pub branch: Option<String>,
    /// Runs with this status or conclusion.
    pub status: Option<String>,
    /// Runs triggered by this event (`push`, `pull_request`, `schedule`…).
    pub event: Option<String>,
    /// Runs triggered by this user.
    pub actor: Option<String>,
    /// Runs created in this range (GitHub's date search syntax).
    pub created: Option<String>,
    /// Runs of this commit.
    pub head_sha: Option<String>,
}

impl RunFilter {
    /// Checks the values a person typed, naming the first wrong one.
    pub fn check(&self) -> Result<(), FilterError> {
        if let Some(status) = &self.status
            && !STATUSES.contains(&status.as_str())
        {
            return Err(FilterError::Status(status.clone()));
        }
        if let Some(created) = &self.created
            && !is_date_range(created)
        {
            return Err(FilterError::Created(created.clone()));
        }
        if let Some((from, to)) = self.created.as_deref().and_then(reversed_range) {
            return Err(FilterError::Reversed { from: from.to_owned(), to: to.to_owned() });
        }
        if let Some(sha) = &self.head_sha
            && (sha.len() != 40 || !sha.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(FilterError::HeadSha(sha.clone()));
        }
        Ok(())
    }

    /// The same filter with `status` set when none was given.
    #[must_use]
    pub fn with_default_status(&self, status: &str) -> RunFilter {
        let mut filter = self.clone();
        filter.status.get_or_insert_with(|| status.to_owned());
        filter
    }

    /// The query parameters, each `&name=value`, values percent-encoded.
    pub fn query(&self) -> String {
        let pairs = [
            ("branch", &self.branch),
            ("status", &self.status),
            ("event", &self.event),
            ("actor", &self.actor),
            ("created", &self.created),
            ("head_sha", &self.head_sha),
        ];
        pairs
            .iter()
            .filter_map(|(name, value)| Some(format!("&{name}={}", encode(value.as_deref()?))))
            .collect()
    }

    /// Words for messages: `workflow CI, branch main`.
    pub fn describe(&self) -> String {
        let workflow = self.workflow.as_ref().map(ToString::to_string);
        let pairs = [
            ("workflow", &workflow),
            ("branch", &self.branch),
            ("status", &self.status),
            ("event", &self.event),
            ("actor", &self.actor),
            ("created", &self.created),
            ("commit", &self.head_sha),
        ];
        let words: Vec<String> = pairs
            .iter()
            .filter_map(|(name, value)| Some(format!("{name} {}", value.as_deref()?)))
            .collect();
        words.join(", ")
    }
}

/// Whether `text` is GitHub's date search syntax: a date or time, optionally after `>`, `>=`,
/// `<` or `<=`, or `FROM..TO` with `*` for an open end.
fn is_date_range(text: &str) -> bool {
    if let Some((from, to)) = text.split_once("..") {
        let end = |part: &str| part == "*" || is_date(part);
        return end(from) && end(to) && !(from == "*" && to == "*");
    }
    let bare = text.trim_start_matches(['>', '<']).trim_start_matches('=');
    is_date(bare)
}

fn is_date(text: &str) -> bool {
    moment(text).is_some()
}

/// The two ends of a `FROM..TO` range whose end comes before its start.
fn reversed_range(text: &str) -> Option<(&str, &str)> {
    let (from, to) = text.split_once("..")?;
    (moment(to)? < moment(from)?).then_some((from, to))
}

/// A date or time as a moment in UTC, a date standing for its midnight.
fn moment(text: &str) -> Option<jiff::civil::DateTime> {
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        return Some(date.to_datetime(jiff::civil::Time::midnight()));
    }
    if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        return Some(jiff::tz::Offset::UTC.to_datetime(timestamp));
    }
    text.parse::<jiff::civil::DateTime>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflows_are_named_by_id_file_or_name() {
        assert_eq!(WorkflowRef::parse("199004511"), WorkflowRef::Id(199_004_511));
        assert_eq!(
            WorkflowRef::parse(".github/workflows/ci.yml"),
            WorkflowRef::File("ci.yml".to_owned())
        );
        assert_eq!(WorkflowRef::parse("Stage 2"), WorkflowRef::Name("Stage 2".to_owned()));
    }

    #[test]
    fn created_takes_github_s_date_syntax_only() {
        for good in ["2025-12-15", ">=2025-12-01", "<2025-12-15T10:00:00Z", "2025-12-01..*"] {
            assert!(is_date_range(good), "{good}");
        }
        for bad in ["yesterday", "2025-13-01", "*..*", ">=", "2025-12-01...2025-12-02"] {
            assert!(!is_date_range(bad), "{bad}");
        }
    }

    #[test]
    fn the_query_holds_only_what_was_given_encoded() {
        let filter = RunFilter {
            branch: Some("feature/a b".to_owned()),
            created: Some(">=2025-12-01".to_owned()),
            ..RunFilter::default()
        };
        assert_eq!(filter.query(), "&branch=feature%2Fa%20b&created=%3E%3D2025-12-01");
    }

    #[test]
    fn a_wrong_value_is_named_with_what_to_give() {
        let filter = RunFilter { status: Some("red".to_owned()), ..RunFilter::default() };
        let message = filter.check().unwrap_err().to_string();
        assert!(message.starts_with("--status red: ") && message.contains("failure"));
        let short = RunFilter { head_sha: Some("77ded8d".to_owned()), ..RunFilter::default() };
        assert!(short.check().unwrap_err().to_string().contains("git rev-parse 77ded8d"));
    }

    #[test]
    fn a_range_that_ends_before_it_starts_names_both_days() {
        let created =
            |text: &str| RunFilter { created: Some(text.to_owned()), ..RunFilter::default() };
        let message = created("2025-12-15..2025-12-01").check().unwrap_err().to_string();
        assert!(message.contains("2025-12-15") && message.contains("2025-12-01"), "{message}");
        for good in ["2025-12-01..2025-12-15", "2025-12-01..2025-12-01", "2025-12-15..*"] {
            assert_eq!(created(good).check(), Ok(()), "{good}");
        }
        assert!(created("2025-12-15T10:00:00Z..2025-12-15").check().is_err());
    }
}
