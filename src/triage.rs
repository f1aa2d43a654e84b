//! Triage: from rule matches in job logs to ranked findings, causes before symptoms.
//! Owns the finding and the report every surface shows (TUI pane, markdown, JSON); the scan
//! is in `triage::scan`, ranking and symptom links in `triage::rank`. It does no I/O of its own
//! beyond the readers it is handed.

pub mod annotations;
pub mod rank;
pub mod recall;
pub mod run;
pub mod scan;

use serde::Serialize;

use crate::category::{Category, Severity};
use crate::github::annotations::Annotation;
use crate::joblog::Segment;

/// Id of the finding made when no rule matched a red log's first `##[error]` line.
pub const FALLBACK_RULE: &str = "unrecognised-error";

/// A line of evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// 1-based line number in the log that was read.
    pub line: u64,
    /// The line as a reader sees it.
    pub text: String,
    /// The job named on the line itself (`gh` output), if any.
    pub job: Option<String>,
    /// Index of the step segment it fell in.
    pub segment: Option<usize>,
}

/// A rule match in one job, repeats folded into a count.
#[derive(Clone, Debug)]
pub struct RawHit {
    /// Index of the rule in the rule list.
    pub rule: usize,
    /// Severity after the line's own marker is taken into account.
    pub severity: Severity,
    /// Title with captures filled in.
    pub title: String,
    /// Fix with captures filled in.
    pub fix: String,
    /// The first line that matched.
    pub evidence: Evidence,
    /// How many lines matched with the same title.
    pub count: u64,
    /// Further line numbers, the first few.
    pub more_lines: Vec<u64>,
}

/// What one pass over one job log found.
#[derive(Clone, Debug, Default)]
pub struct JobScan {
    /// Lines read.
    pub lines: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Lines cut because they were longer than the limit.
    pub cut_lines: u64,
    /// Whether the log held nothing but white space.
    pub empty: bool,
    /// Step segments in log order.
    pub segments: Vec<Segment>,
    /// Rule matches.
    pub hits: Vec<RawHit>,
    /// Matches not kept because of the bounds on distinct findings.
    pub dropped_hits: u64,
    /// The first `##[error]` line no rule matched.
    pub first_error: Option<Evidence>,
    /// How many `##[error]` lines there were.
    pub error_lines: u64,
}

/// A finding: one cause or symptom, ready to show.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Id of the rule that matched.
    pub rule: String,
    /// Category of the cause.
    pub category: Category,
    /// error, warning or notice.
    pub severity: Severity,
    /// Whether a plain rerun is likely to fix it.
    pub transient: bool,
    /// One line a person reads first.
    pub title: String,
    /// Suggested fix, markdown.
    pub fix: String,
    /// Job name, when known.
    pub job: Option<String>,
    /// Step name, when known.
    pub step: Option<String>,
    /// 1-based line of the evidence in the file that was read.
    pub line: u64,
    /// The evidence line as a reader sees it.
    pub text: String,
    /// Index of the finding this one is a symptom of.
    pub symptom_of: Option<usize>,
    /// The file inside an archive or folder that `line` counts in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// How many lines gave this same finding.
    pub count: u64,
    /// Further lines with the same finding (the first few).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<u64>,
    /// Links that explain the failure.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// The rule's priority, used for ranking.
    #[serde(skip)]
    pub priority: i32,
    /// Whether the evidence is in the step that failed the job.
    #[serde(skip)]
    pub in_failed_step: bool,
    /// Position of the job among those read, for ranking and grouping.
    #[serde(skip)]
    pub job_index: usize,
    /// The workflow line behind the finding and its suggested patch, when the workflow files
    /// were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow: Option<crate::workflow::link::WorkflowLink>,
}

impl Finding {
    /// Whether the evidence is one of the job's check-run annotations, not a line of its log.
    pub fn from_annotations(&self) -> bool {
        self.file.as_deref() == Some(annotations::ANNOTATIONS_FILE)
    }

    /// The file this symptom's line counts in, when it is not the file of `cause`: a line
    /// number alone would send the reader to the wrong log.
    pub fn file_apart_from(&self, cause: &Finding) -> Option<&str> {
        self.file.as_deref().filter(|file| cause.file.as_deref() != Some(*file))
    }
}

/// A job as read: its name, file and step segments.
#[derive(Clone, Debug, Serialize)]
pub struct JobSummary {
    /// Job name, when known.
    pub name: Option<String>,
    /// The file read for it, inside an archive or folder.
    pub file: Option<String>,
    /// Lines read.
    pub lines: u64,
    /// Step names in order, as recognised or as given by metadata.
    pub steps: Vec<StepSummary>,
    /// The step whose failure ended the job, when it can be told.
    pub failed_step: Option<String>,
    /// The job's check-run annotations, when they were read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
}

/// A step as read.
#[derive(Clone, Debug, Serialize)]
pub struct StepSummary {
    /// The step's name or the segment's title.
    pub name: String,
    /// 1-based first line in the job's log.
    pub first_line: u64,
    /// Whether an `##[error]` line falls inside it.
    pub has_error: bool,
}

/// Everything triage found in what was read.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// What was read: a path, `-` for standard input, or a run.
    pub source: String,
    /// Ranked findings: the most likely root cause first.
    pub findings: Vec<Finding>,
    /// The jobs read.
    pub jobs: Vec<JobSummary>,
    /// Things the reader should know about the input (cut lines, dropped matches).
    pub notices: Vec<String>,
    /// What the local store knows of these findings from other runs.
    #[serde(skip_serializing_if = "recall::Recall::is_empty")]
    pub recall: recall::Recall,
}

impl Report {
    /// Findings that are not symptoms of another, in rank order.
    pub fn causes(&self) -> impl Iterator<Item = (usize, &Finding)> {
        self.findings.iter().enumerate().filter(|(_, finding)| finding.symptom_of.is_none())
    }

    /// Findings that are symptoms of the finding at `cause`, or of one of its symptoms.
    pub fn symptoms_of(&self, cause: usize) -> impl Iterator<Item = &Finding> {
        self.symptoms_under(cause).into_iter().map(|index| &self.findings[index])
    }

    /// Indices of the symptoms of the finding at `cause`, depth first: each symptom is
    /// followed by the symptoms it explains in turn (a timeout, then the cancellation it
    /// caused), so none is lost when only root causes are listed.
    pub fn symptoms_under(&self, cause: usize) -> Vec<usize> {
        let mut found = Vec::new();
        let mut pending = vec![cause];
        while let Some(current) = pending.pop() {
            if found.len() >= self.findings.len() {
                break;
            }
            let direct = (0..self.findings.len())
                .filter(|&index| self.findings[index].symptom_of == Some(current))
                .filter(|index| *index != cause && !found.contains(index));
            let direct: Vec<usize> = direct.collect();
            if current != cause {
                found.push(current);
            }
            pending.extend(direct.into_iter().rev());
        }
        found
    }

    /// The most severe severity among findings, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|finding| finding.severity).min()
    }
}
