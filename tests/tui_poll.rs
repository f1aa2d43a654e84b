//! Following a run in progress: the run screen of a live run that is queued or running reads
//! it again every `[live] poll-seconds`, through the real effect runner and a fake source whose
//! run moves on at each read, shows its steps' progress, and stops once the run settles (then
//! triages it) or once the screen is left; after a confirmed rerun, it waits for GitHub to show
//! the new attempt and follows that to its end.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gha_triage::app::effect::Effect;
use gha_triage::app::msg::Msg;
use gha_triage::app::runner::Runner;
use gha_triage::app::state::{Screen, State, Triage};
use gha_triage::app::update;
use gha_triage::classify::Engine;
use gha_triage::config::Config;
use gha_triage::github::act::{Accepted, RunAction};
use gha_triage::github::act_error::ActionError;
use gha_triage::github::model::{Job, JobId, Run, RunId, Workflow};
use gha_triage::logdoc::LogBytes;
use gha_triage::source::{Source, SourceError, SourceInfo, SourceKind};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use tokio::sync::mpsc;

const RUN: u64 = 20_900_000_001;
const NOW: &str = "2025-12-15T09:33:10Z";

/// The run and its one job, with step 1 done and the given states for steps 2 and 3.
fn moment(status: &str, conclusion: Option<&str>, steps: [(&str, Option<&str>); 2]) -> (Run, Job) {
    let run = json!({
        "id": RUN, "name": "CI", "display_title": "Speed up the parser", "run_number": 214,
        "run_attempt": 1, "event": "push", "status": status, "conclusion": conclusion,
        "workflow_id": 7, "head_branch": "main", "head_sha": "849afb9",
        "created_at": "2025-12-15T09:31:13Z", "updated_at": "2025-12-15T09:33:00Z",
        "run_started_at": "2025-12-15T09:31:13Z", "actor": {"login": "mvisser"}
    });
    let step = |number: u32, name: &str, (status, conclusion): (&str, Option<&str>)| {
        let started = (status != "queued").then_some("2025-12-15T09:31:50Z");
        let completed = (status == "completed").then_some("2025-12-15T09:32:40Z");
        json!({"name": name, "number": number, "status": status, "conclusion": conclusion,
               "started_at": started, "completed_at": completed})
    };
    let job = json!({
        "id": 70_000_000_001_u64, "run_id": RUN, "run_attempt": 1, "name": "test",
        "status": status, "conclusion": conclusion, "started_at": "2025-12-15T09:31:46Z",
        "completed_at": (status == "completed").then_some("2025-12-15T09:32:51Z"),
        "steps": [
            step(1, "Set up job", ("completed", Some("success"))),
            step(2, "Build", steps[0]),
            step(3, "Run tests", steps[1]),
        ]
    });
    (serde_json::from_value(run).unwrap(), serde_json::from_value(job).unwrap())
}

/// A live-looking source whose run moves to its next moment each time it is read again.
struct ChangingSource {
    now: Mutex<(Run, Job)>,
    next: Mutex<VecDeque<(Run, Job)>>,
    refreshes: AtomicUsize,
    actions: Mutex<Vec<RunAction>>,
}

impl ChangingSource {
    fn new(mut moments: VecDeque<(Run, Job)>) -> ChangingSource {
        let first = moments.pop_front().unwrap();
        ChangingSource {
            now: Mutex::new(first),
            next: Mutex::new(moments),
            refreshes: AtomicUsize::new(0),
            actions: Mutex::default(),
        }
    }
}

impl Source for ChangingSource {
    fn info(&self) -> SourceInfo {
        SourceInfo { kind: SourceKind::Live, name: "octo-org/widgets".to_owned() }
    }

    fn workflows(&self) -> Result<Vec<Workflow>, SourceError> {
        Ok(Vec::new())
    }

    fn runs(&self) -> Result<Vec<Run>, SourceError> {
        Ok(vec![self.now.lock().unwrap().0.clone()])
    }

    fn jobs(&self, _: RunId, _: u32) -> Result<Vec<Job>, SourceError> {
        Ok(vec![self.now.lock().unwrap().1.clone()])
    }

    fn log(&self, _: JobId) -> Result<LogBytes, SourceError> {
        Ok(LogBytes::Static(
            b"2025-12-15T09:32:40.0000000Z ##[error]Process completed with exit code 1.\n",
        ))
    }

    fn refresh_run(&self, _: RunId) -> Result<Run, SourceError> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        if let Some(next) = self.next.lock().unwrap().pop_front() {
            *self.now.lock().unwrap() = next;
        }
        Ok(self.now.lock().unwrap().0.clone())
    }

    fn act(&self, _: RunId, action: RunAction) -> Result<Accepted, ActionError> {
        self.actions.lock().unwrap().push(action);
        Ok(Accepted { status: 201 })
    }
}

fn enter() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
}

fn key(code: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(code), KeyModifiers::NONE))
}

fn esc() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
}

fn state_over(source: &ChangingSource) -> State {
    let mut config = Config::defaults();
    config.live.poll_seconds = 1;
    State::new(source.info(), Arc::new(config), NOW.parse::<Timestamp>().unwrap(), (120, 30))
}

/// A state over `source` with its runs listed, as the runner would answer.
fn listed_over(source: &ChangingSource) -> State {
    let mut state = state_over(source);
    let start = update::start(&mut state);
    let Some(Effect::LoadRuns { request }) = start.into_iter().next() else { panic!() };
    let runs = Ok((Vec::new(), source.runs().unwrap()));
    update::update(&mut state, Msg::RunsLoaded { request, result: runs });
    state
}

/// The run screen as text.
fn screen(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal.draw(|frame| gha_triage::ui::draw(frame, state)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let width = usize::from(buffer.area.width);
    let cells: Vec<&str> = buffer.content.iter().map(ratatui::buffer::Cell::symbol).collect();
    cells.chunks(width).map(<[&str]>::concat).collect::<Vec<_>>().join("\n")
}

/// Carries out `effects` with the real runner, then applies answers until `done` holds;
/// returns the screen after each poll's answer.
async fn drive(
    state: &mut State,
    runner: &Runner,
    messages: &mut mpsc::UnboundedReceiver<Msg>,
    mut effects: Vec<Effect>,
    done: impl Fn(&State) -> bool,
) -> Vec<String> {
    let mut screens = Vec::new();
    loop {
        for effect in effects.drain(..) {
            runner.spawn(effect);
        }
        if done(state) {
            return screens;
        }
        let msg = tokio::time::timeout(Duration::from_secs(10), messages.recv()).await;
        let msg = msg.expect("an answer within 10 s").expect("the runner is alive");
        let polled = matches!(msg, Msg::Refreshed { .. });
        effects = update::update(state, msg);
        if polled {
            screens.push(screen(state));
        }
    }
}

/// A state over `source` with its runs listed by the real runner, the runner, and its answers.
async fn listed_by_runner(
    source: &Arc<ChangingSource>,
) -> (State, Runner, mpsc::UnboundedReceiver<Msg>) {
    let mut state = state_over(source);
    let (sender, mut messages) = mpsc::unbounded_channel();
    let engine = Arc::new(Engine::builtin().unwrap());
    let runner = Runner::new(source.clone(), engine, sender);
    let listed = |state: &State| !state.runs.all.is_empty() && state.requests.runs.is_none();
    let start = update::start(&mut state);
    drive(&mut state, &runner, &mut messages, start, listed).await;
    (state, runner, messages)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_running_run_is_read_again_until_it_fails_then_triaged() {
    let moments = VecDeque::from([
        moment("in_progress", None, [("in_progress", None), ("queued", None)]),
        moment("in_progress", None, [("completed", Some("success")), ("in_progress", None)]),
        moment(
            "completed",
            Some("failure"),
            [("completed", Some("success")), ("completed", Some("failure"))],
        ),
    ]);
    let source = Arc::new(ChangingSource::new(moments));
    let (mut state, runner, mut messages) = listed_by_runner(&source).await;
    let first = update::update(&mut state, enter());
    let before = screen(&state);

    let settled = |state: &State| {
        state.requests.poll.is_none()
            && matches!(state.triage.get(&(RunId(RUN), 1)), Some(Triage::Ready(_)))
    };
    let screens = drive(&mut state, &runner, &mut messages, first, settled).await;

    assert_eq!(source.refreshes.load(Ordering::SeqCst), 2, "one read per change, none after");
    assert!(before.contains("● running"), "{before}");
    assert!(before.contains("⟳ every 1 s"), "{before}");
    insta::assert_snapshot!("run_in_progress_second_poll", screens[0]);
    let last = screens.last().unwrap();
    assert!(last.contains("✗ failure") && !last.contains("⟳"), "{last}");
    assert!(state.notice.as_ref().unwrap().text.contains("#214 (attempt 1) ended: failure"));
}

#[test]
fn leaving_the_run_screen_stops_the_polls() {
    let moments = VecDeque::from([moment("queued", None, [("queued", None), ("queued", None)])]);
    let source = ChangingSource::new(moments);
    let mut state = listed_over(&source);
    let opened = update::update(&mut state, enter());
    let poll = opened.iter().find_map(|effect| match effect {
        Effect::PollAfter { request, after } => Some((*request, *after)),
        _ => None,
    });
    let (poll, after) = poll.expect("a queued run is followed");
    assert_eq!(after, Duration::from_secs(1), "the interval comes from [live] poll-seconds");

    update::update(&mut state, esc());
    let effects = update::update(&mut state, Msg::PollDue { request: poll });

    assert_eq!(state.screen, Screen::Runs);
    assert!(effects.is_empty(), "nothing is read once the screen is left: {effects:?}");
}

#[test]
fn a_run_of_a_status_new_to_us_counts_as_settled_and_is_not_followed() {
    let moments = VecDeque::from([moment("brand_new_status", None, [("queued", None); 2])]);
    let source = ChangingSource::new(moments);
    let mut state = listed_over(&source);

    let opened = update::update(&mut state, enter());

    let polls = opened.iter().filter(|effect| matches!(effect, Effect::PollAfter { .. })).count();
    assert_eq!(polls, 0, "polling a status we cannot read would never end: {opened:?}");
}

/// `moment` as attempt `attempt` of the run.
fn attempt(attempt: u32, (mut run, mut job): (Run, Job)) -> (Run, Job) {
    run.run_attempt = Some(attempt);
    job.run_attempt = Some(attempt);
    (run, job)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_confirmed_rerun_is_followed_through_github_s_delay_to_the_new_attempt_s_end() {
    let failed = [("completed", Some("success")), ("completed", Some("failure"))];
    let passed = [("completed", Some("success")), ("completed", Some("success"))];
    let moments = VecDeque::from([
        attempt(1, moment("completed", Some("failure"), failed)),
        // GitHub took the rerun but still shows the old attempt for one read.
        attempt(1, moment("completed", Some("failure"), failed)),
        attempt(2, moment("queued", None, [("queued", None), ("queued", None)])),
        attempt(
            2,
            moment("in_progress", None, [("completed", Some("success")), ("in_progress", None)]),
        ),
        attempt(2, moment("completed", Some("success"), passed)),
    ]);
    let source = Arc::new(ChangingSource::new(moments));
    let (mut state, runner, mut messages) = listed_by_runner(&source).await;
    let opened = update::update(&mut state, enter());
    assert!(
        !opened.iter().any(|effect| matches!(effect, Effect::PollAfter { .. })),
        "a completed run is not followed before it is acted on: {opened:?}"
    );
    let asked = update::update(&mut state, key('r'));
    assert!(asked.is_empty(), "r only asks: {asked:?}");

    let confirmed = update::update(&mut state, key('y'));
    let ended = |state: &State| {
        state.requests.poll.is_none()
            && state.run.as_ref().is_some_and(|view| view.run.run_attempt == Some(2))
            && matches!(state.triage.get(&(RunId(RUN), 2)), Some(Triage::Ready(_)))
    };
    let screens = drive(&mut state, &runner, &mut messages, confirmed, ended).await;

    assert_eq!(source.actions.lock().unwrap().len(), 1, "one rerun sent");
    assert_eq!(source.refreshes.load(Ordering::SeqCst), 4, "read until attempt 2 settled");
    assert!(screens[0].contains("⟳ every 1 s"), "still followed while GitHub lags: {}", screens[0]);
    assert!(screens[1].contains("attempt 2"), "{}", screens[1]);
    let last = screens.last().unwrap();
    assert!(last.contains("✓ success") && !last.contains("⟳"), "{last}");
    let notice = &state.notice.as_ref().unwrap().text;
    assert!(notice.contains("#214 (attempt 2) ended: success"), "{notice}");
}
