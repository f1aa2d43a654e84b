//! Ranking: turns rule matches into findings, links symptoms to their causes, and orders
//! them so the most likely root cause comes first. Pure functions over scans and rules; no
//! I/O, no clock.

use std::cmp::Reverse;

use super::{Evidence, FALLBACK_RULE, Finding, JobScan};
use crate::category::{Category, Severity};
use crate::github::annotations::Annotation;
use crate::joblog::SegmentKind;
use crate::joblog::align::{self, StepMeta};
use crate::rules::{Rule, SymptomOf};

/// What is known about a job besides its log.
#[derive(Clone, Debug, Default)]
pub struct JobContext {
    /// The job's name.
    pub name: Option<String>,
    /// The file read for it inside an archive or folder.
    pub file: Option<String>,
    /// Official step names for the scan's segments, index for index, where known.
    pub step_names: Vec<Option<String>>,
    /// The step that failed the job, when metadata says.
    pub failed_step: Option<String>,
    /// Steps metadata names for this job (an archive's per-step files), in number order.
    pub steps: Vec<StepMeta>,
    /// Whether the log read is the whole job or one step's own file.
    pub span: LogSpan,
    /// The job's check-run annotations.
    pub annotations: Vec<Annotation>,
    /// The run the job belongs to, when the input says (an archive, a run's jobs): only jobs
    /// of one run can explain each other's cancellations.
    pub run: Option<String>,
}

/// How much of a job the log that was read covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogSpan {
    /// The whole job, from "Set up job" to "Complete job".
    #[default]
    Job,
    /// One step's own file: every line belongs to the one step in `steps`.
    Step,
}

impl JobContext {
    /// Fills `step_names` from `steps` for the segments of `scan`, unless already given.
    pub fn align_steps(&mut self, scan: &JobScan) {
        if !self.step_names.is_empty() || self.steps.is_empty() {
            return;
        }
        self.step_names = match self.span {
            LogSpan::Job => align::align(&scan.segments, &self.steps),
            LogSpan::Step => {
                let name = self.steps.first().map(|step| step.name.clone());
                vec![name; scan.segments.len()]
            }
        };
    }

    /// The name to show for segment `index` of `scan`.
    pub fn step_name(&self, scan: &JobScan, index: Option<usize>) -> Option<String> {
        let index = index?;
        if let Some(Some(name)) = self.step_names.get(index) {
            return Some(name.clone());
        }
        scan.segments
            .get(index)
            .map(|segment| segment.title.clone())
            .filter(|title| !title.is_empty())
    }

    /// The step that failed: from metadata, else the last step with an `##[error]` line.
    pub fn failed_step_name(&self, scan: &JobScan) -> Option<String> {
        if self.failed_step.is_some() {
            return self.failed_step.clone();
        }
        let index = scan.segments.iter().rposition(|segment| {
            segment.has_error && !matches!(segment.kind, SegmentKind::Post | SegmentKind::Complete)
        })?;
        self.step_name(scan, Some(index))
    }
}

/// Findings of one job, unranked; `job_index` orders jobs in the report.
pub fn job_findings(
    rules: &[Rule],
    scan: &JobScan,
    context: &JobContext,
    job_index: usize,
) -> Vec<Finding> {
    let failed_step = context.failed_step_name(scan);
    let make = |evidence: &Evidence| {
        let step = context.step_name(scan, evidence.segment);
        let in_failed_step = step.is_some() && step == failed_step;
        (evidence.job.clone().or_else(|| context.name.clone()), step, in_failed_step)
    };

    let mut findings: Vec<Finding> = scan
        .hits
        .iter()
        .map(|hit| {
            let rule = &rules[hit.rule];
            let (job, step, in_failed_step) = make(&hit.evidence);
            Finding {
                rule: rule.id.clone(),
                category: rule.category,
                severity: hit.severity,
                transient: rule.transient,
                title: hit.title.clone(),
                fix: hit.fix.clone(),
                job,
                step,
                line: hit.evidence.line,
                text: hit.evidence.text.clone(),
                symptom_of: None,
                file: context.file.clone(),
                count: hit.count,
                also_at: hit.more_lines.clone(),
                references: rule.references.clone(),
                priority: rule.priority,
                in_failed_step,
                job_index,
                workflow: None,
            }
        })
        .collect();

    let has_specific_error =
        findings.iter().any(|f| f.severity == Severity::Error && f.category != Category::Unknown);
    if let (false, Some(evidence)) = (has_specific_error, &scan.first_error) {
        let (job, step, in_failed_step) = make(evidence);
        findings.push(fallback(evidence, job, step, in_failed_step, context, job_index));
    }
    findings
}

fn fallback(
    evidence: &Evidence,
    job: Option<String>,
    step: Option<String>,
    in_failed_step: bool,
    context: &JobContext,
    job_index: usize,
) -> Finding {
    Finding {
        rule: FALLBACK_RULE.to_owned(),
        category: Category::Unknown,
        severity: Severity::Error,
        transient: false,
        title: "An error no rule recognises".to_owned(),
        fix: "No rule knows this message. Read the lines above it in the log; if it recurs, \
              write a rule for it (see `gha-triage rules --help`)."
            .to_owned(),
        job,
        step,
        line: evidence.line,
        text: evidence.text.clone(),
        symptom_of: None,
        file: context.file.clone(),
        count: 1,
        also_at: Vec::new(),
        references: Vec::new(),
        priority: 0,
        in_failed_step,
        job_index,
        workflow: None,
    }
}

/// Links symptoms to causes and sorts: errors first, causes before symptoms, then priority,
/// the failed step, job order and line. `symptom_of` indices refer to the sorted list.
/// `runs[job_index]` is the run of each job read, where known: a symptom is linked to a cause
/// in its own job log, or (a cancellation) in a sibling job of the same known run.
pub fn rank(mut findings: Vec<Finding>, rules: &[Rule], runs: &[Option<String>]) -> Vec<Finding> {
    let links = link_symptoms(&findings, rules, runs);
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&index| {
        let finding = &findings[index];
        (
            finding.severity,
            links[index].is_some(),
            Reverse(finding.priority),
            !finding.in_failed_step,
            finding.job_index,
            finding.line,
        )
    });
    let mut position = vec![0; findings.len()];
    for (rank, &index) in order.iter().enumerate() {
        position[index] = rank;
    }
    for (index, link) in links.iter().enumerate() {
        findings[index].symptom_of = link.map(|cause| position[cause]);
    }
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    order.iter().filter_map(|&index| slots[index].take()).collect()
}

/// For each finding, the index of the root cause it is a symptom of.
fn link_symptoms(
    findings: &[Finding],
    rules: &[Rule],
    runs: &[Option<String>],
) -> Vec<Option<usize>> {
    let mut links: Vec<Option<usize>> = vec![None; findings.len()];
    let mut by_position: Vec<usize> = (0..findings.len()).collect();
    by_position.sort_by_key(|&index| (findings[index].job_index, findings[index].line));

    for &index in &by_position {
        let finding = &findings[index];
        let Some(rule) = rules.iter().find(|rule| rule.id == finding.rule) else { continue };
        if rule.symptom_of.is_empty() {
            continue;
        }
        let mut cause = best_cause(findings, &links, index, &rule.symptom_of, Reach::Job);
        if cause.is_none() && finding.category == Category::Canceled {
            cause = best_cause(findings, &links, index, &rule.symptom_of, Reach::Run(runs));
        }
        links[index] = cause;
    }

    (0..findings.len()).map(|index| root_of(&links, index)).collect()
}

/// Where a symptom's cause may be looked for.
#[derive(Clone, Copy)]
enum Reach<'r> {
    /// In the symptom's own job log.
    Job,
    /// In the other jobs of its run: those in the same file (`gh` output names several jobs)
    /// or whose known run (`runs[job_index]`) is the symptom's.
    Run(&'r [Option<String>]),
}

impl Reach<'_> {
    fn allows(self, symptom: &Finding, cause: &Finding) -> bool {
        let same_file = cause.job_index == symptom.job_index;
        let same_job = same_file && cause.job == symptom.job;
        match self {
            Reach::Job => same_job,
            Reach::Run(runs) => {
                let run = |finding: &Finding| runs.get(finding.job_index).and_then(Option::as_ref);
                let same_run = run(symptom).is_some_and(|known| run(cause) == Some(known));
                !same_job && (same_file || same_run)
            }
        }
    }
}

fn best_cause(
    findings: &[Finding],
    links: &[Option<usize>],
    index: usize,
    wanted: &[SymptomOf],
    reach: Reach<'_>,
) -> Option<usize> {
    let finding = &findings[index];
    let same_job = matches!(reach, Reach::Job);
    let fits = |other: &Finding| {
        wanted.iter().any(|link| match link {
            SymptomOf::Rule(id) => &other.rule == id,
            SymptomOf::Category(category) => other.category == *category,
            SymptomOf::Any => !same_job || other.line < finding.line,
        })
    };
    (0..findings.len())
        .filter(|&other| other != index && links[other].is_none())
        .filter(|&other| findings[other].severity == Severity::Error)
        .filter(|&other| reach.allows(finding, &findings[other]))
        .filter(|&other| fits(&findings[other]))
        .max_by_key(|&other| {
            let candidate = &findings[other];
            (
                names_job(&finding.text, candidate),
                candidate.step == finding.step,
                candidate.category != Category::Unknown,
                candidate.priority,
                shared_words(&candidate.text, &finding.text),
                Reverse(candidate.line.abs_diff(finding.line)),
            )
        })
}

/// Whether `symptom` names the job of `cause` in quotes, as a fail-fast cancellation names the
/// leg that failed (`The job was canceled because "Test (Python 3.13)" failed`).
fn names_job(symptom: &str, cause: &Finding) -> bool {
    cause.job.as_deref().is_some_and(|job| symptom.contains(&format!("\"{job}\"")))
}

/// How many distinct words of four or more characters `cause` shares with `symptom`: a
/// summary line that repeats an error's words (pytest's `FAILED test - assert 2 == 3`) belongs
/// to that error rather than to the nearest one.
fn shared_words(cause: &str, symptom: &str) -> usize {
    let words = |text: &str| -> Vec<String> {
        let mut words: Vec<String> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|word| word.chars().count() >= 4)
            .map(str::to_lowercase)
            .collect();
        words.sort_unstable();
        words.dedup();
        words
    };
    let in_symptom = words(symptom);
    words(cause).iter().filter(|word| in_symptom.binary_search(word).is_ok()).count()
}

fn root_of(links: &[Option<usize>], index: usize) -> Option<usize> {
    let mut current = links[index]?;
    for _ in 0..links.len() {
        match links[current] {
            Some(next) => current = next,
            None => return Some(current),
        }
    }
    Some(current)
}
