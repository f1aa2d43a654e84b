//! The workflow model: what the checks read of a workflow file (triggers, concurrency,
//! permissions, jobs, steps), each part with the line it is on. Built from `workflow::yaml`;
//! it must not judge anything (that is `workflow::checks`).

use super::yaml::{Node, Pos, Value};

/// A value and the 1-based line it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the workflow file.
    pub line: usize,
}

/// A value and the line it is on, from a node's position.
fn at<T>(value: T, pos: Pos) -> Located<T> {
    Located { value, line: pos.line }
}

/// One workflow file, as the checks see it.
#[derive(Clone, Debug, Default)]
pub struct Workflow {
    /// Path in the repository (`.github/workflows/ci.yml`).
    pub path: String,
    /// The file's text, for patches.
    pub text: String,
    /// The file's lines, for finding a line inside a script.
    pub lines: Vec<String>,
    /// `name:`; GitHub shows the path when it is missing.
    pub name: Option<Located<String>>,
    /// Event names under `on:`.
    pub events: Vec<Located<String>>,
    /// `on.workflow_run.workflows`: the workflows whose runs trigger this one.
    pub run_after: Vec<Located<String>>,
    /// Workflow-level `concurrency`.
    pub concurrency: Option<Concurrency>,
    /// Workflow-level `permissions`.
    pub permissions: Option<Permissions>,
    /// Jobs in file order.
    pub jobs: Vec<Job>,
    /// What the file holds at its top level.
    pub top: TopLevel,
    /// Line of the `jobs:` key, when the file has one.
    pub jobs_line: Option<usize>,
}

/// What a workflow file holds at its top level; only a mapping can be a workflow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TopLevel {
    /// A mapping of keys (`name:`, `on:`, `jobs:`).
    #[default]
    Mapping,
    /// Nothing: an empty file, or only comments.
    Nothing,
    /// A single value such as `42`, on `line`.
    Scalar {
        /// The value as written.
        text: String,
        /// Its line.
        line: usize,
    },
    /// A list, starting on `line`.
    List {
        /// Its first line.
        line: usize,
    },
}

/// `concurrency:` of a workflow or job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concurrency {
    /// The group expression.
    pub group: String,
    /// `cancel-in-progress`, when given.
    pub cancel_in_progress: Option<Located<String>>,
    /// Line of the `concurrency:` key.
    pub line: usize,
}

/// A `permissions:` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Permissions {
    /// `read-all`, `write-all` or `{}` as written, when not a mapping.
    pub shorthand: Option<String>,
    /// Scope and access (`contents`, `write`).
    pub scopes: Vec<(String, String)>,
    /// Line of the `permissions:` key.
    pub line: usize,
    /// Column of the `permissions:` key (1-based), for inserting under it.
    pub column: usize,
}

/// A job.
#[derive(Clone, Debug, Default)]
pub struct Job {
    /// The job's id (its key under `jobs:`).
    pub id: Located<String>,
    /// `name:`, when given.
    pub name: Option<String>,
    /// `needs:`.
    pub needs: Vec<String>,
    /// `strategy.matrix` dimensions, when there is a matrix.
    pub matrix: Option<Located<Vec<String>>>,
    /// `strategy.fail-fast`, when written (GitHub's default is true).
    pub fail_fast: Option<Located<String>>,
    /// Line of `strategy:`, when given.
    pub strategy_line: Option<usize>,
    /// `timeout-minutes` of the job.
    pub timeout_minutes: Option<Located<String>>,
    /// Job-level `permissions`.
    pub permissions: Option<Permissions>,
    /// Job-level `concurrency`.
    pub concurrency: Option<Concurrency>,
    /// `defaults.run.working-directory`.
    pub working_directory: Option<Located<String>>,
    /// `uses:` of a job that calls a reusable workflow.
    pub uses: Option<Located<String>>,
    /// Steps in order.
    pub steps: Vec<Step>,
}

impl Default for Located<String> {
    fn default() -> Self {
        Located { value: String::new(), line: 0 }
    }
}

/// A step.
#[derive(Clone, Debug, Default)]
pub struct Step {
    /// Line of the step's first key (the `- ` item).
    pub line: usize,
    /// Column of the step's keys (1-based), the indentation its keys share.
    pub column: usize,
    /// The line after the step's last line.
    pub end_line: usize,
    /// `name:`.
    pub name: Option<Located<String>>,
    /// `id:`.
    pub id: Option<String>,
    /// `if:`.
    pub condition: Option<Located<String>>,
    /// `uses:`.
    pub uses: Option<Uses>,
    /// `with:` inputs in order.
    pub with: Vec<(String, Located<String>)>,
    /// `run:`; for a block scalar the line is the key's, the script starts on the next line.
    pub run: Option<Located<String>>,
    /// Whether `run:` is a block scalar (`|` or `>`).
    pub run_block: bool,
    /// `working-directory:`.
    pub working_directory: Option<Located<String>>,
    /// `timeout-minutes:`.
    pub timeout_minutes: Option<Located<String>>,
    /// `continue-on-error:`.
    pub continue_on_error: Option<Located<String>>,
}

/// `uses: owner/repo/path@ref` split up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Uses {
    /// `actions/cache/restore`, `./local-action` or `docker://image`.
    pub action: String,
    /// The ref after `@`, when there is one.
    pub version: Option<String>,
    /// Line of the `uses:` key.
    pub line: usize,
}

impl Uses {
    /// The major version of a `vN`, `vN.M` or `N.M.K` ref; none for a SHA or branch.
    pub fn major(&self) -> Option<u32> {
        let version = self.version.as_deref()?;
        let digits = version.strip_prefix('v').unwrap_or(version);
        digits.split('.').next()?.parse().ok()
    }
}

impl Step {
    /// The input `key` of `with:`.
    pub fn input(&self, key: &str) -> Option<&Located<String>> {
        self.with.iter().find(|(name, _)| name == key).map(|(_, value)| value)
    }

    /// Whether the step uses `action` (any version).
    pub fn uses_action(&self, action: &str) -> bool {
        self.uses.as_ref().is_some_and(|uses| uses.action.eq_ignore_ascii_case(action))
    }

    /// The name GitHub shows for the step: `name:`, else `Run <first script line>` or
    /// `Run <action@ref>`.
    pub fn display_name(&self) -> String {
        if let Some(name) = &self.name {
            return name.value.clone();
        }
        if let Some(run) = &self.run {
            return format!("Run {}", run.value.lines().next().unwrap_or_default().trim());
        }
        match &self.uses {
            Some(Uses { action, version: Some(version), .. }) => format!("Run {action}@{version}"),
            Some(uses) => format!("Run {}", uses.action),
            None => String::new(),
        }
    }

    /// The script's lines with their 1-based file lines.
    pub fn script_lines<'a>(&'a self, workflow: &'a Workflow) -> Vec<(usize, &'a str)> {
        let Some(run) = &self.run else { return Vec::new() };
        if !self.run_block {
            return vec![(run.line, run.value.as_str())];
        }
        let mut found = Vec::new();
        let mut from = run.line;
        for script_line in run.value.lines() {
            let text = script_line.trim();
            if text.is_empty() {
                continue;
            }
            let place = workflow.find_line(from + 1, self.end_line, text).unwrap_or(from + 1);
            found.push((place, script_line));
            from = place;
        }
        found
    }
}

impl Workflow {
    /// Reads the model from a parsed file. Parts that are not of the expected shape are left
    /// out: Actions itself reports those, and the checks only need what is there.
    pub fn from_yaml(path: &str, text: &str, root: &Node) -> Workflow {
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let mut workflow = Workflow { path: path.to_owned(), ..Workflow::default() };
        workflow.name = root.get("name").and_then(|n| Some(at(n.text()?.to_owned(), n.pos)));
        if let Some(on) = root.get("on").or_else(|| root.get("true")) {
            read_events(&mut workflow, on);
        }
        workflow.concurrency = root.entry("concurrency").map(|e| concurrency(e.key_pos, &e.value));
        workflow.permissions = root.entry("permissions").map(|e| permissions(e.key_pos, &e.value));
        workflow.top = match &root.value {
            Value::Map(_) => TopLevel::Mapping,
            Value::Null => TopLevel::Nothing,
            Value::Scalar(text) => TopLevel::Scalar { text: text.clone(), line: root.pos.line },
            Value::Seq(_) => TopLevel::List { line: root.pos.line },
        };
        workflow.jobs_line = root.entry("jobs").map(|entry| entry.key_pos.line);
        workflow.jobs = root
            .get("jobs")
            .map(|jobs| jobs.entries().iter().map(|e| job(e, &lines)).collect())
            .unwrap_or_default();
        workflow.lines = lines;
        text.clone_into(&mut workflow.text);
        workflow
    }

    /// The name GitHub shows: `name:`, else the file's path.
    pub fn display_name(&self) -> &str {
        self.name.as_ref().map_or(self.path.as_str(), |name| name.value.as_str())
    }

    /// The first line in `[from, to)` whose text contains `needle`.
    pub fn find_line(&self, from: usize, to: usize, needle: &str) -> Option<usize> {
        let to = to.min(self.lines.len() + 1);
        (from.max(1)..to).find(|&line| self.lines[line - 1].contains(needle))
    }

    /// A step by index pair.
    pub fn step(&self, job: usize, step: usize) -> Option<&Step> {
        self.jobs.get(job)?.steps.get(step)
    }
}

fn read_events(workflow: &mut Workflow, on: &Node) {
    match &on.value {
        Value::Scalar(_) | Value::Seq(_) => {
            workflow.events = on.texts().into_iter().map(|(name, pos)| at(name, pos)).collect();
        }
        Value::Map(entries) => {
            for entry in entries {
                workflow.events.push(at(entry.key.clone(), entry.key_pos));
            }
            let names = on.get("workflow_run").and_then(|run| run.get("workflows"));
            let names = names.map(Node::texts).unwrap_or_default();
            workflow.run_after = names.into_iter().map(|(name, pos)| at(name, pos)).collect();
        }
        Value::Null => {}
    }
}

fn concurrency(key: Pos, node: &Node) -> Concurrency {
    let group = node.get("group").and_then(Node::text).or_else(|| node.text()).unwrap_or_default();
    let cancel = node.get("cancel-in-progress").and_then(|n| Some(at(n.text()?.to_owned(), n.pos)));
    Concurrency { group: group.to_owned(), cancel_in_progress: cancel, line: key.line }
}

fn permissions(key: Pos, node: &Node) -> Permissions {
    let scopes = node
        .entries()
        .iter()
        .filter_map(|entry| Some((entry.key.clone(), entry.value.text()?.to_owned())))
        .collect();
    let shorthand = match &node.value {
        Value::Scalar(text) => Some(text.clone()),
        Value::Map(entries) if entries.is_empty() => Some("{}".to_owned()),
        _ => None,
    };
    Permissions { shorthand, scopes, line: key.line, column: key.column }
}

fn located_text(node: &Node, key: &str) -> Option<Located<String>> {
    let value = node.get(key)?;
    Some(at(value.text()?.to_owned(), value.pos))
}

fn job(entry: &super::yaml::Entry, lines: &[String]) -> Job {
    let node = &entry.value;
    let strategy = node.entry("strategy");
    let matrix = strategy.and_then(|s| s.value.entry("matrix")).map(|m| {
        let dims = m.value.entries().iter().map(|dim| dim.key.clone()).collect();
        at(dims, m.key_pos)
    });
    let working_directory = node
        .get("defaults")
        .and_then(|d| d.get("run"))
        .and_then(|r| located_text(r, "working-directory"));
    let steps = node.get("steps").map(Node::items).unwrap_or_default();
    Job {
        id: at(entry.key.clone(), entry.key_pos),
        name: node.get("name").and_then(Node::text).map(str::to_owned),
        needs: node
            .get("needs")
            .map(Node::texts)
            .unwrap_or_default()
            .into_iter()
            .map(|n| n.0)
            .collect(),
        matrix,
        fail_fast: strategy.and_then(|s| located_text(&s.value, "fail-fast")),
        strategy_line: strategy.map(|s| s.key_pos.line),
        timeout_minutes: located_text(node, "timeout-minutes"),
        permissions: node.entry("permissions").map(|e| permissions(e.key_pos, &e.value)),
        concurrency: node.entry("concurrency").map(|e| concurrency(e.key_pos, &e.value)),
        working_directory,
        uses: located_text(node, "uses"),
        steps: steps.iter().map(|s| step(s, lines)).collect(),
    }
}

fn step(node: &Node, lines: &[String]) -> Step {
    let first = node.entries().first().map_or(node.pos, |entry| entry.key_pos);
    let run_entry = node.entry("run");
    let run_block = run_entry.is_some_and(|e| is_block(&e.value));
    let uses = node.entry("uses").and_then(|e| {
        let text = e.value.text()?;
        let (action, version) = match text.rsplit_once('@') {
            Some((action, version)) => (action.to_owned(), Some(version.to_owned())),
            None => (text.to_owned(), None),
        };
        Some(Uses { action, version, line: e.key_pos.line })
    });
    let with = node
        .get("with")
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Some((e.key.clone(), at(e.value.text()?.to_owned(), e.key_pos))))
        .collect();
    Step {
        line: first.line,
        column: first.column,
        end_line: step_end(lines, first.line),
        name: located_text(node, "name"),
        id: node.get("id").and_then(Node::text).map(str::to_owned),
        condition: located_text(node, "if"),
        uses,
        with,
        run: run_entry.and_then(|e| Some(at(e.value.text()?.to_owned(), e.key_pos))),
        run_block,
        working_directory: located_text(node, "working-directory"),
        timeout_minutes: located_text(node, "timeout-minutes"),
        continue_on_error: located_text(node, "continue-on-error"),
    }
}

/// Whether a scalar spans lines, as a `|` or `>` block does (a plain or quoted scalar folds).
fn is_block(node: &Node) -> bool {
    matches!(node.value, Value::Scalar(ref text) if text.contains('\n'))
}

/// The 1-based line after the step that starts at 1-based `line`: the next line that is not
/// blank and not indented deeper than it (the next step item or a key). Computed only where
/// steps start, so a long file costs one pass over its steps.
fn step_end(lines: &[String], line: usize) -> usize {
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '-']).len();
    let index = line.saturating_sub(1);
    let Some(first) = lines.get(index) else { return line + 1 };
    let own = indent(first);
    let mut end = index + 1;
    while end < lines.len() {
        let next = &lines[end];
        let blank = next.trim().is_empty() || next.trim_start().starts_with('#');
        if !blank && indent(next) <= own && !is_continuation(next, own) {
            break;
        }
        end += 1;
    }
    while end > index + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    end + 1
}

/// A line at the same indentation that still belongs to the step (a later key of the item).
fn is_continuation(line: &str, own: usize) -> bool {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    spaces == own && !line.trim_start().starts_with('-')
}
