//! The engine every surface uses: rules compiled once, then any input turned into a report.
//! Owns the glue between `input`, `triage::scan` and `triage::rank`; no printing, no exits.

use std::io;

use crate::input::{Input, InputError, Limits, Visitor};
use crate::rules::{self, Matcher, Rule, RuleSources, matcher::BuildError};
use crate::triage::rank::{self, JobContext};
use crate::triage::scan::Scanner;
use crate::triage::{Finding, JobScan, JobSummary, Report, StepSummary, annotations};

/// Compiled rules, ready to scan many logs.
#[derive(Debug)]
pub struct Engine {
    /// The rules in effect.
    pub rules: Vec<Rule>,
    /// Their one-pass matcher.
    pub matcher: Matcher,
    /// Advice from loading the rule files.
    pub warnings: Vec<rules::load::Problem>,
    /// Ids rule files disable that no rule has, for a warning wherever the rules are used.
    pub unknown_disabled: Vec<rules::load::Problem>,
}

/// The rules could not be loaded or compiled.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// A rule file is wrong.
    #[error(transparent)]
    Load(#[from] rules::LoadError),
    /// The rules together do not compile.
    #[error(transparent)]
    Build(#[from] BuildError),
}

impl Engine {
    /// Loads and compiles the rules named by `sources`.
    pub fn load(sources: &RuleSources) -> Result<Engine, EngineError> {
        let loaded = rules::load(sources)?;
        let mut engine = Engine::from_rules(loaded.rules, loaded.warnings)?;
        engine.unknown_disabled = loaded.unknown_disabled;
        Ok(engine)
    }

    /// Compiles an already loaded rule list.
    pub fn from_rules(
        rules: Vec<Rule>,
        warnings: Vec<rules::load::Problem>,
    ) -> Result<Engine, EngineError> {
        let matcher = Matcher::new(&rules)?;
        Ok(Engine { rules, matcher, warnings, unknown_disabled: Vec::new() })
    }

    /// The built-in rules only.
    pub fn builtin() -> Result<Engine, EngineError> {
        Engine::load(&RuleSources::builtin_only())
    }

    /// Scans one log stream.
    pub fn scan(&self, reader: impl io::Read) -> io::Result<JobScan> {
        Scanner::new(&self.rules, &self.matcher).scan(reader)
    }

    /// Reads every job of `input` and ranks what was found.
    pub fn classify(&self, input: &Input, limits: Limits) -> Result<Report, InputError> {
        self.classify_jobs(&input.label(), |visit| input.for_each_job(limits, visit))
    }

    /// Scans each job log that `for_each_job` hands to its visitor and ranks what was found;
    /// `label` is the report's source. Archives, folders and run data all come through here.
    pub fn classify_jobs(
        &self,
        label: &str,
        for_each_job: impl FnOnce(&mut Visitor<'_>) -> Result<(), InputError>,
    ) -> Result<Report, InputError> {
        let mut collected = Collected::default();
        for_each_job(&mut |mut context, reader| {
            let name = context.file.clone().unwrap_or_else(|| label.to_owned());
            let scan = self
                .scan(reader)
                .map_err(|source| InputError::Unreadable { path: name.clone(), source })?;
            if scan.empty && context.file.is_none() && context.annotations.is_empty() {
                return Err(InputError::Empty { path: name });
            }
            context.align_steps(&scan);
            collected.add(self, &scan, &context, &name);
            Ok(())
        })?;
        Ok(Report {
            source: label.to_owned(),
            findings: rank::rank(collected.findings, &self.rules, &collected.runs),
            jobs: collected.jobs,
            notices: collected.notices,
            recall: crate::triage::recall::Recall::default(),
        })
    }

    /// Ranks the findings of one already scanned log (for callers that scan themselves).
    pub fn report_for_scan(&self, source: &str, scan: &JobScan, context: &JobContext) -> Report {
        let mut context = context.clone();
        context.align_steps(scan);
        let mut collected = Collected::default();
        collected.add(self, scan, &context, source);
        Report {
            source: source.to_owned(),
            findings: rank::rank(collected.findings, &self.rules, &collected.runs),
            jobs: collected.jobs,
            notices: collected.notices,
            recall: crate::triage::recall::Recall::default(),
        }
    }
}

#[derive(Default)]
struct Collected {
    findings: Vec<crate::triage::Finding>,
    jobs: Vec<JobSummary>,
    runs: Vec<Option<String>>,
    notices: Vec<String>,
}

impl Collected {
    fn add(&mut self, engine: &Engine, scan: &JobScan, context: &JobContext, name: &str) {
        let job_index = self.jobs.len();
        let mut findings = rank::job_findings(&engine.rules, scan, context, job_index);
        let from_annotations = annotation_findings(engine, context, job_index, &findings);
        findings.extend(from_annotations);
        self.findings.extend(findings);
        if scan.cut_lines > 0 {
            self.notices.push(format!(
                "{name}: {} line(s) longer than {} bytes were cut; matching used their start",
                scan.cut_lines,
                crate::joblog::MAX_LINE_BYTES
            ));
        }
        if scan.dropped_hits > 0 {
            self.notices.push(format!(
                "{name}: {} further match(es) were not kept (more than {} distinct findings)",
                scan.dropped_hits,
                crate::triage::scan::MAX_DISTINCT_HITS
            ));
        }
        let steps = scan
            .segments
            .iter()
            .enumerate()
            .map(|(index, segment)| StepSummary {
                name: context.step_name(scan, Some(index)).unwrap_or_default(),
                first_line: segment.first_line,
                has_error: segment.has_error,
            })
            .collect();
        self.runs.push(context.run.clone());
        self.jobs.push(JobSummary {
            name: context.name.clone(),
            file: context.file.clone(),
            lines: scan.lines,
            failed_step: context.failed_step_name(scan),
            steps,
            annotations: context.annotations.clone(),
        });
    }
}

/// Findings from a job's check-run annotations that its log's `findings` do not already hold.
fn annotation_findings(
    engine: &Engine,
    context: &JobContext,
    job_index: usize,
    findings: &[Finding],
) -> Vec<Finding> {
    if context.annotations.is_empty() {
        return Vec::new();
    }
    let text = annotations::as_log(&context.annotations);
    let Ok(scan) = engine.scan(text.as_bytes()) else { return Vec::new() };
    let context = JobContext {
        name: context.name.clone(),
        file: Some(annotations::ANNOTATIONS_FILE.to_owned()),
        ..JobContext::default()
    };
    let found = rank::job_findings(&engine.rules, &scan, &context, job_index);
    annotations::keep_new(found, findings)
}
