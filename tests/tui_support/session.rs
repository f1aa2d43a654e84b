//! A TUI session over the embedded demo with no terminal and no async runtime: keys go through
//! `update`, and the effects it returns are carried out at once on the test's thread, the way
//! `app::runner` carries them out, until nothing is left to do. Effects that leave the program
//! (export, copy, browser, suspend) are kept for the test to look at, not carried out.

use std::collections::VecDeque;
use std::io::{Cursor, Read};
use std::sync::{Arc, OnceLock};

use crossterm::event::{KeyEvent, KeyEventKind, KeyModifiers};
use jiff::Timestamp;

use gha_triage::app::derived::{self, PaneItem};
use gha_triage::app::effect::Effect;
use gha_triage::app::msg::Msg;
use gha_triage::app::state::{LogState, RunRow, RunState, State};
use gha_triage::app::update;
use gha_triage::classify::Engine;
use gha_triage::config::{Config, Key};
use gha_triage::github::model::{Conclusion, Job, Run};
use gha_triage::input::{Input, Limits};
use gha_triage::logdoc::index::index_chunk;
use gha_triage::logdoc::{LogBytes, line_bytes, search};
use gha_triage::source::demo::DemoSource;
use gha_triage::source::offline::OfflineSource;
use gha_triage::source::{Source, SourceKind};
use gha_triage::triage::run::{JobChoice, classify_run_annotated};
use gha_triage::triage::{Finding, Report};

/// The clock of every session: the morning after Stage 2 #36 failed, so ages read "1d ago".
pub const NOW: &str = "2025-12-16T09:00:00Z";

/// The terminal size `update` is told about unless a test says otherwise.
pub const WIDE: (u16, u16) = (120, 40);

/// The built-in rules, compiled once for every test of the binary.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().expect("the built-in rules load"))
}

/// The TUI over the demo, driven by keys.
pub struct Session {
    /// Everything the screens show.
    pub state: State,
    /// Effects that leave the program, in the order they were asked for.
    pub outside: Vec<Effect>,
    /// Notes added to every report triaged, as a source adds them (workflow files not read).
    pub notices: Vec<String>,
    source: Box<dyn Source>,
}

impl Session {
    /// The demo at 120×40 with its runs listed and the first run's findings (if any) ready.
    pub fn demo() -> Session {
        Session::demo_at(WIDE)
    }

    /// The demo at a terminal of `(columns, rows)`.
    pub fn demo_at(size: (u16, u16)) -> Session {
        let source = DemoSource::load().expect("the embedded demo loads");
        Session::over(Box::new(source), size)
    }

    /// Local files at `path` as `gha-triage open` shows them, at 120×40.
    pub fn offline(path: &std::path::Path) -> Session {
        let input = Input::open(&path.display().to_string()).expect("the path opens");
        let source = OfflineSource::open(&input, Limits::default()).expect("the files read");
        Session::over(Box::new(source), WIDE)
    }

    fn over(source: Box<dyn Source>, size: (u16, u16)) -> Session {
        let now: Timestamp = NOW.parse().expect("a timestamp");
        let state = State::new(source.info(), Arc::new(Config::defaults()), now, size);
        let mut session = Session { state, outside: Vec::new(), notices: Vec::new(), source };
        let effects = update::start(&mut session.state);
        session.settle(effects);
        session
    }

    /// Presses one key written as the config writes it (`j`, `G`, `enter`, `ctrl-c`), then
    /// carries out whatever it asked for.
    pub fn press(&mut self, key: &str) {
        let effects = update::update(&mut self.state, Msg::Key(key_event(key)));
        self.settle(effects);
    }

    /// Presses keys one after another.
    pub fn press_all(&mut self, keys: &[&str]) {
        for key in keys {
            self.press(key);
        }
    }

    /// Types text into an open prompt, one character at a time.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(&c.to_string());
        }
    }

    /// Sends one message and returns its effects without carrying them out.
    pub fn send(&mut self, msg: Msg) -> Vec<Effect> {
        update::update(&mut self.state, msg)
    }

    /// Carries out effects and the effects their answers ask for, until none is left.
    pub fn settle(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            for msg in self.carry_out(effect) {
                queue.extend(update::update(&mut self.state, msg));
            }
        }
    }

    /// The answers of one effect, as `app::runner` would send them.
    fn carry_out(&mut self, effect: Effect) -> Vec<Msg> {
        match effect {
            Effect::LoadRuns { request } => {
                let result = self
                    .source
                    .workflows()
                    .and_then(|workflows| Ok((workflows, self.source.runs()?)))
                    .map_err(|error| error.to_string());
                vec![Msg::RunsLoaded { request, result }]
            }
            Effect::LoadJobs { request, run, attempt } => {
                let result = self.source.jobs(run, attempt).map_err(|error| error.to_string());
                vec![Msg::JobsLoaded { request, result }]
            }
            Effect::Triage { request, run, attempt } => {
                let result = self.triage(&run, attempt);
                vec![Msg::Triaged { request, key: (run.id, attempt), result }]
            }
            Effect::Compare { request, range } => {
                let result = self.source.compare(&range.base, &range.head);
                vec![Msg::Compared { request, range, result: result.map_err(|e| e.to_string()) }]
            }
            Effect::OpenLog { request, job } => {
                let result = self.source.log(job).map_err(|error| error.to_string());
                vec![Msg::LogOpened { request, result }]
            }
            Effect::IndexLog { request, bytes } => {
                let (mut offset, mut lines, mut answers) = (0, 0, Vec::new());
                loop {
                    let chunk = index_chunk(bytes.as_slice(), offset, lines);
                    offset = chunk.next_offset;
                    lines += chunk.starts.len();
                    let last = chunk.last;
                    answers.push(Msg::LogIndexed { request, chunk });
                    if last {
                        return answers;
                    }
                }
            }
            Effect::Search { request, bytes, regex, cancel } => {
                let result = search::search(bytes.as_slice(), &regex, &cancel, |_| {});
                vec![Msg::Searched { request, result }]
            }
            outside => {
                self.outside.push(outside);
                Vec::new()
            }
        }
    }

    fn triage(&self, run: &Run, attempt: u32) -> Result<Arc<Report>, String> {
        let jobs = self.source.jobs(run.id, attempt).map_err(|error| error.to_string())?;
        let label = format!("{} run {}", self.source.info().name, run.id);
        let choice = match self.source.info().kind {
            SourceKind::Offline => JobChoice::All,
            _ => JobChoice::Failed,
        };
        let log_of = |job: &'_ Job| {
            let bytes = self.source.log(job.id).ok()?;
            Some(Box::new(Cursor::new(bytes)) as Box<dyn Read>)
        };
        let annotations_of = |job: &'_ Job| {
            let red = job.failed() || job.conclusion == Some(Conclusion::Cancelled);
            if !red {
                return Vec::new();
            }
            self.source.annotations(job.id).unwrap_or_default()
        };
        let mut report =
            classify_run_annotated(engine(), &label, &jobs, choice, log_of, annotations_of)
                .map_err(|error| error.to_string())?;
        gha_triage::workflow::link::link_demo(&mut report, run).map_err(|e| e.to_string())?;
        report.notices.extend(self.notices.iter().cloned());
        Ok(Arc::new(report))
    }

    /// Opens the whole log of the job selected on the run screen, answering the request with
    /// `bytes` instead of the demo's log (for logs the demo does not have).
    pub fn open_log_with(&mut self, bytes: &'static [u8]) {
        let effects = self.send(Msg::Key(key_event("L")));
        let Some(&Effect::OpenLog { request, .. }) = effects.first() else {
            panic!("L asks for the log: {effects:?}")
        };
        let result = Ok(LogBytes::Static(bytes));
        let effects = self.send(Msg::LogOpened { request, result });
        self.settle(effects);
    }

    /// Selects a run in the list by workflow name and number, with j and k as a user would.
    pub fn select_run(&mut self, workflow: &str, number: u64) {
        self.press("g");
        while !self
            .selected_run()
            .is_some_and(|run| run.name.as_deref() == Some(workflow) && run.run_number == number)
        {
            let before = self.state.runs.selected;
            self.press("j");
            assert_ne!(self.state.runs.selected, before, "{workflow} #{number} is not listed");
        }
    }

    /// Opens a run from the list: selects it, then presses Enter.
    pub fn open_run(&mut self, workflow: &str, number: u64) {
        self.select_run(workflow, number);
        self.press("enter");
    }

    /// Moves down the run screen from the top to the first row named `row` (a job or a step),
    /// with j as a user would.
    pub fn select_step(&mut self, row: &str) {
        self.select_row(&[row]);
    }

    /// Moves down the run screen from the top to each named row in turn: `["Test (Python
    /// 3.13)", "Run tests"]` is that job's step.
    pub fn select_row(&mut self, path: &[&str]) {
        self.press("g");
        for row in path {
            while self.selected_row_text() != *row {
                let before = self.run().selected;
                self.press("j");
                assert_ne!(self.run().selected, before, "no row `{row}` on the run screen");
            }
        }
    }

    /// Moves down the focused findings pane from the top to the finding titled `title`.
    pub fn select_finding(&mut self, title: &str) {
        let titles = self.pane_titles();
        let position = titles
            .iter()
            .position(|candidate| candidate == title)
            .unwrap_or_else(|| panic!("no finding `{title}` in the pane: {titles:?}"));
        while self.state.finding > position {
            self.press("k");
        }
        while self.state.finding < position {
            self.press("j");
        }
    }

    /// The run the list has selected.
    pub fn selected_run(&self) -> Option<&Run> {
        derived::selected_run(&self.state)
    }

    /// `Workflow #number` of every run the list shows.
    pub fn listed_runs(&self) -> Vec<String> {
        derived::visible_runs(&self.state)
            .iter()
            .map(|run| format!("{} #{}", run.name.as_deref().unwrap_or("?"), run.run_number))
            .collect()
    }

    /// The run screen.
    pub fn run(&self) -> &RunState {
        self.state.run.as_ref().expect("a run is open")
    }

    /// The job or step name of the run screen's selected row.
    pub fn selected_row_text(&self) -> String {
        let view = self.run();
        match &derived::run_rows(view)[view.selected] {
            RunRow::Matrix(base, _) => base.clone(),
            RunRow::Job(job) => view.jobs[*job].name.clone(),
            RunRow::Step(job, step) => view.jobs[*job].steps[*step].name.clone(),
        }
    }

    /// The log screen.
    pub fn log(&self) -> &LogState {
        self.state.log.as_ref().expect("a log is open")
    }

    /// The text a reader sees on the log line under the cursor (no timestamp, no colours).
    pub fn cursor_line(&self) -> String {
        let log = self.log();
        let bytes = log.bytes.as_ref().expect("the log is loaded");
        let raw = line_bytes(bytes.as_slice(), &log.index, log.cursor).expect("a line");
        let parts = gha_triage::joblog::line::split(raw, false);
        gha_triage::joblog::line::readable(parts.message)
    }

    /// The findings the pane lists, each as its first finding's title.
    pub fn pane_titles(&self) -> Vec<String> {
        let Some(report) = derived::pane_report(&self.state) else { return Vec::new() };
        let items: Vec<PaneItem> = derived::pane_items(&self.state, &report);
        items.iter().map(|item| report.findings[item.finding].title.clone()).collect()
    }

    /// Every line of text the pane lists: each item's title and its symptoms' evidence.
    pub fn pane_texts(&self) -> Vec<String> {
        let Some(report) = derived::pane_report(&self.state) else { return Vec::new() };
        let items: Vec<PaneItem> = derived::pane_items(&self.state, &report);
        let mut texts = Vec::new();
        for item in items {
            texts.push(report.findings[item.finding].title.clone());
            texts.extend(item.symptoms.iter().map(|&index| report.findings[index].text.clone()));
        }
        texts
    }

    /// The finding the pane lists at `position`.
    pub fn pane_finding(&self, position: usize) -> Finding {
        let report = derived::pane_report(&self.state).expect("findings are ready");
        let items = derived::pane_items(&self.state, &report);
        report.findings[items[position].finding].clone()
    }

    /// The status bar's message.
    pub fn notice(&self) -> String {
        self.state.notice.as_ref().map(|notice| notice.text.clone()).unwrap_or_default()
    }
}

/// A key press as the terminal reports it.
pub fn key_event(key: &str) -> KeyEvent {
    let key: Key = key.parse().expect("a key as the config writes it");
    let mut modifiers = KeyModifiers::NONE;
    if key.ctrl {
        modifiers |= KeyModifiers::CONTROL;
    }
    if key.alt {
        modifiers |= KeyModifiers::ALT;
    }
    let mut event = KeyEvent::new(key.code, modifiers);
    event.kind = KeyEventKind::Press;
    event
}
