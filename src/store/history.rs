//! Causes across runs: per fingerprint, how many runs had it, when it was first and last seen,
//! in which workflows, jobs and branches, and how many of those failures were flaky. Counts
//! root causes by default, not symptoms or warnings. Reads what `store::records` kept and
//! writes nothing; fetching runs not kept yet is the caller's job.

use std::collections::{BTreeSet, HashMap, HashSet};

use jiff::Timestamp;
use rusqlite::params;
use serde::Serialize;

use crate::github::model::{RunId, WorkflowId};
use crate::github::run_filter::WorkflowRef;
use crate::store::flaky::{self, JobFlakes};
use crate::store::{Store, StoreError};

/// Which findings a history counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Counted {
    /// Errors that are not symptoms of another finding (and rows kept before this was known).
    #[default]
    Causes,
    /// Every finding kept: symptoms and warnings too.
    Everything,
}

/// The runs a history looks at.
#[derive(Clone, Debug, Default)]
pub struct Window {
    /// Runs created at or after this; `None` for every run kept.
    pub since: Option<Timestamp>,
    /// Only this workflow's runs (name, file or id).
    pub workflow: Option<WorkflowRef>,
    /// Which findings count.
    pub counted: Counted,
}

/// One cause's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CauseHistory {
    /// The fingerprint's id.
    pub fingerprint: String,
    /// The rule that matched.
    pub rule: String,
    /// The finding's title, as in its newest run.
    pub title: String,
    /// The evidence line, normalised.
    pub shape: String,
    /// Distinct runs in the window that had it.
    pub runs: u64,
    /// The first run that ever had it (within the workflow asked for).
    pub first_seen: Timestamp,
    /// The newest run that had it.
    pub last_seen: Timestamp,
    /// Workflows whose runs had it.
    pub workflows: Vec<String>,
    /// Jobs that printed it.
    pub jobs: Vec<String>,
    /// Branches it was seen on.
    pub branches: Vec<String>,
    /// Whether it was first seen in the window (without `--since`, on the newest run's day).
    pub new: bool,
    /// Of `runs`, those where the same commit later passed the job.
    pub flaky_runs: u64,
}

/// What `gha-triage history` shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct History {
    /// Causes first seen on or after this are new: `--since`, else the newest run's day.
    pub new_since: Option<Timestamp>,
    /// Runs in the window with at least one counted finding.
    pub runs: u64,
    /// Causes, new ones first, then the most runs.
    pub causes: Vec<CauseHistory>,
    /// Flake rates of the jobs that failed in the window, the flakiest first.
    pub jobs: Vec<JobFlakes>,
}

/// One kept finding with its run.
pub(super) struct Row {
    pub(super) fingerprint: String,
    rule: String,
    title: String,
    shape: String,
    pub(super) run: RunId,
    attempt: u32,
    job: String,
    workflow: String,
    workflow_id: WorkflowId,
    path: String,
    branch: String,
    created_at: Timestamp,
    cause: bool,
}

impl Row {
    fn in_workflow(&self, workflow: Option<&WorkflowRef>) -> bool {
        match workflow {
            None => true,
            Some(WorkflowRef::Id(id)) => self.workflow_id.0 == *id,
            Some(WorkflowRef::File(file)) => self.path.rsplit('/').next() == Some(file.as_str()),
            Some(WorkflowRef::Name(name)) => self.workflow.eq_ignore_ascii_case(name),
        }
    }
}

/// The runs one fingerprint was seen in.
#[derive(Default)]
pub(super) struct Sightings {
    pub(super) runs: HashSet<RunId>,
    pub(super) flaky: HashSet<RunId>,
    pub(super) first: Option<Timestamp>,
}

impl Sightings {
    pub(super) fn add(&mut self, row: &Row, flaky: &HashSet<(RunId, u32, String)>) {
        self.runs.insert(row.run);
        if flaky.contains(&(row.run, row.attempt, row.job.clone())) {
            self.flaky.insert(row.run);
        }
        self.first = Some(self.first.map_or(row.created_at, |at| at.min(row.created_at)));
    }
}

impl CauseHistory {
    /// The history of the cause `row` shows, before any run is counted.
    fn start(row: &Row, first_seen: Timestamp, new: bool) -> CauseHistory {
        CauseHistory {
            fingerprint: row.fingerprint.clone(),
            rule: row.rule.clone(),
            title: row.title.clone(),
            shape: row.shape.clone(),
            runs: 0,
            first_seen,
            last_seen: row.created_at,
            workflows: Vec::new(),
            jobs: Vec::new(),
            branches: Vec::new(),
            new,
            flaky_runs: 0,
        }
    }
}

impl Store {
    /// The history of causes in `repo` over `window`, new ones first, then by runs.
    pub fn history(&self, repo: &str, window: &Window) -> Result<History, StoreError> {
        let failed = self.failed_jobs(repo)?;
        let flaky = flaky::flaky_set(&failed);
        let rows: Vec<Row> = self
            .rows(repo)?
            .into_iter()
            .filter(|row| row.in_workflow(window.workflow.as_ref()))
            .filter(|row| row.cause || window.counted == Counted::Everything)
            .collect();
        let newest_day = rows.iter().map(|row| row.created_at).max().map(start_of_day);
        let new_since = window.since.or(newest_day);
        let in_window = |at: Timestamp| window.since.is_none_or(|since| at >= since);

        let mut first: HashMap<&str, Timestamp> = HashMap::new();
        for row in &rows {
            first.entry(&row.fingerprint).or_insert(row.created_at);
        }
        let mut causes: Vec<CauseHistory> = Vec::new();
        let mut sightings: HashMap<String, Sightings> = HashMap::new();
        for row in rows.iter().filter(|row| in_window(row.created_at)) {
            let index = causes
                .iter()
                .position(|cause| cause.fingerprint == row.fingerprint)
                .unwrap_or_else(|| {
                    let first_seen = first[row.fingerprint.as_str()];
                    let new = new_since.is_some_and(|since| first_seen >= since);
                    causes.push(CauseHistory::start(row, first_seen, new));
                    causes.len() - 1
                });
            let cause = &mut causes[index];
            cause.title.clone_from(&row.title);
            cause.last_seen = cause.last_seen.max(row.created_at);
            add(&mut cause.workflows, &row.workflow);
            add(&mut cause.jobs, &row.job);
            add(&mut cause.branches, &row.branch);
            sightings.entry(row.fingerprint.clone()).or_default().add(row, &flaky);
        }
        for cause in &mut causes {
            let sighted = sightings.remove(&cause.fingerprint).unwrap_or_default();
            cause.runs = sighted.runs.len() as u64;
            cause.flaky_runs = sighted.flaky.len() as u64;
        }
        causes.sort_by(|a, b| {
            (b.new, b.runs, b.last_seen)
                .cmp(&(a.new, a.runs, a.last_seen))
                .then(a.rule.cmp(&b.rule))
        });

        let window_runs: BTreeSet<RunId> =
            rows.iter().filter(|row| in_window(row.created_at)).map(|row| row.run).collect();
        let names: Option<BTreeSet<&str>> = window
            .workflow
            .as_ref()
            .map(|_| rows.iter().map(|row| row.workflow.as_str()).collect::<BTreeSet<&str>>());
        let failed: Vec<_> = failed
            .into_iter()
            .filter(|job| job.created_at.is_some_and(in_window))
            .filter(|job| names.as_ref().is_none_or(|names| names.contains(job.workflow.as_str())))
            .collect();
        Ok(History {
            new_since,
            runs: window_runs.len() as u64,
            causes,
            jobs: flaky::job_flakes(&failed),
        })
    }

    /// Every finding kept for `repo` with its run, oldest run first.
    pub(super) fn rows(&self, repo: &str) -> Result<Vec<Row>, StoreError> {
        let connection = self.connection();
        let result = connection
            .prepare(
                "SELECT f.fingerprint, f.rule, f.title, COALESCE(p.shape, ''), f.run_id,
                     f.attempt, COALESCE(j.name, ''), COALESCE(r.workflow, ''), r.workflow_id,
                     COALESCE(json_extract(r.json, '$.path'), ''), COALESCE(r.branch, ''),
                     r.created_at,
                     f.severity IS NULL OR (f.severity = 'error' AND NOT f.symptom)
                 FROM findings f JOIN runs r ON r.id = f.run_id
                 LEFT JOIN jobs j ON j.id = f.job_id
                 LEFT JOIN fingerprints p ON p.id = f.fingerprint
                 WHERE r.repo = ?1
                 ORDER BY r.created_at, f.run_id, f.attempt, f.job_id, f.ordinal",
            )
            .and_then(|mut statement| {
                let rows = statement.query_map(params![repo], |row| {
                    Ok((
                        row.get::<_, String>(11)?,
                        Row {
                            fingerprint: row.get(0)?,
                            rule: row.get(1)?,
                            title: row.get(2)?,
                            shape: row.get(3)?,
                            run: RunId(row.get(4)?),
                            attempt: row.get(5)?,
                            job: row.get(6)?,
                            workflow: row.get(7)?,
                            workflow_id: WorkflowId(row.get(8)?),
                            path: row.get(9)?,
                            branch: row.get(10)?,
                            created_at: Timestamp::UNIX_EPOCH,
                            cause: row.get(12)?,
                        },
                    ))
                })?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
            });
        let rows = self.check(result)?;
        Ok(rows
            .into_iter()
            .filter_map(|(created, row)| Some(Row { created_at: created.parse().ok()?, ..row }))
            .collect())
    }
}

/// Midnight UTC of the day `at` falls on.
fn start_of_day(at: Timestamp) -> Timestamp {
    const DAY: i64 = 24 * 60 * 60;
    Timestamp::from_second(at.as_second().div_euclid(DAY) * DAY).unwrap_or(at)
}

fn add(names: &mut Vec<String>, name: &str) {
    if !name.is_empty() && !names.iter().any(|kept| kept == name) {
        names.push(name.to_owned());
    }
}
