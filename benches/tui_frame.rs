//! Cost of drawing one TUI frame of the log screen: the same at a thousand lines as at ten
//! million, because only the rows on screen are read and styled.

use std::sync::Arc;

use gha_triage::app::state::{LogSearch, LogState, Screen, State};
use gha_triage::config::Config;
use gha_triage::github::model::{Job, JobId, RunId};
use gha_triage::logdoc::LogBytes;
use gha_triage::logdoc::index::index_all;
use gha_triage::source::{SourceInfo, SourceKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

/// A raw log of `lines` lines: timestamps, colours, a group every hundred lines, some errors.
fn log_bytes(lines: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(lines * 64);
    for number in 0..lines {
        let text = match number % 100 {
            0 => format!("##[group]Run step {number}"),
            3 => "##[endgroup]".to_owned(),
            57 => format!("##[error]Process completed with exit code {}.", number % 7),
            11 => format!("\u{1b}[1m\u{1b}[92m   Compiling\u{1b}[0m crate-{number} v0.1.0"),
            _ => format!("test module_{number}::case ... ok"),
        };
        bytes.extend_from_slice(format!("2026-01-01T00:00:00.0000000Z {text}\n").as_bytes());
    }
    bytes
}

fn state_with_log(lines: usize) -> State {
    let bytes = log_bytes(lines);
    let index = index_all(&bytes);
    let source = SourceInfo { kind: SourceKind::Offline, name: "bench.log".to_owned() };
    let now = jiff::Timestamp::UNIX_EPOCH;
    let mut state = State::new(source, Arc::new(Config::defaults()), now, (120, 40));
    let job = Job {
        id: JobId(1),
        run_id: RunId(1),
        run_attempt: Some(1),
        name: "bench".to_owned(),
        workflow_name: None,
        status: None,
        conclusion: None,
        started_at: None,
        completed_at: None,
        html_url: None,
        steps: Vec::new(),
        labels: Vec::new(),
        runner_name: None,
    };
    let middle = lines / 2;
    state.screen = Screen::Log;
    state.log = Some(LogState {
        job,
        step: None,
        bytes: Some(LogBytes::Shared(Arc::from(bytes))),
        index,
        top: middle,
        cursor: middle + 5,
        folded: std::collections::BTreeSet::new(),
        fold_new_groups: false,
        timestamps: false,
        wrap: false,
        search: LogSearch::default(),
        pending_jump: None,
        error: None,
    });
    state
}

#[divan::bench(args = [1_000, 10_000_000], sample_count = 50)]
fn draw_log_frame(bencher: divan::Bencher, lines: usize) {
    let state = state_with_log(lines);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    bencher.bench_local(|| {
        terminal.draw(|frame| gha_triage::ui::draw(frame, &state)).expect("draw");
    });
}
