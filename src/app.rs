//! The TUI: one queue of messages, a pure `update`, effects carried out elsewhere, and a draw
//! after each batch of messages. Owns the loop and the terminal; everything else is in
//! `app::*` and `ui`.

pub mod action;
pub mod derived;
pub mod effect;
pub mod msg;
pub mod runner;
pub mod state;
pub mod suspects;
pub mod terminal;
pub mod update;

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt as _;
use jiff::Timestamp;
use tokio::sync::mpsc;

use self::effect::Effect;
use self::msg::Msg;
use self::runner::Runner;
use self::state::{Ending, State};
use crate::classify::Engine;
use crate::config::Config;
use crate::source::Source;

/// How often time is re-read for ages and progress.
pub const TICK: Duration = Duration::from_secs(1);

/// Runs the TUI until the user quits or SIGTERM arrives, and says which; the terminal is given
/// back on every way out.
pub async fn run(
    source: Arc<dyn Source>,
    engine: Arc<Engine>,
    config: Arc<Config>,
) -> std::io::Result<Ending> {
    let mut terminal = terminal::init()?;
    let outcome = run_loop(&mut terminal, source, engine, config).await;
    terminal::restore()?;
    outcome
}

async fn run_loop(
    terminal: &mut terminal::Tui,
    source: Arc<dyn Source>,
    engine: Arc<Engine>,
    config: Arc<Config>,
) -> std::io::Result<Ending> {
    let size = terminal.size()?;
    let (sender, mut messages) = mpsc::unbounded_channel();
    let mut state = State::new(source.info(), config, Timestamp::now(), (size.width, size.height));
    spawn_rate_watch(source.clone(), sender.clone());
    let runner = Runner::new(source, engine, sender.clone());
    spawn_inputs(sender.clone());

    let mut effects = update::start(&mut state);
    loop {
        for effect in effects.drain(..) {
            carry_out(terminal, &runner, &sender, effect)?;
        }
        if state.quit {
            return Ok(state.ending);
        }
        terminal.draw(|frame| crate::ui::draw(frame, &state))?;

        let Some(msg) = messages.recv().await else { return Ok(state.ending) };
        effects = update::update(&mut state, msg);
        while let Ok(msg) = messages.try_recv() {
            effects.extend(update::update(&mut state, msg));
        }
    }
}

fn carry_out(
    terminal: &mut terminal::Tui,
    runner: &Runner,
    sender: &mpsc::UnboundedSender<Msg>,
    effect: Effect,
) -> std::io::Result<()> {
    match effect {
        Effect::Suspend => terminal::suspend(terminal)?,
        Effect::Copy(text) => {
            let _ = sender.send(Msg::Done { result: terminal::copy(&text) });
        }
        other => runner.spawn(other),
    }
    Ok(())
}

/// GitHub's rate limit, sampled every tick and sent when it changed, so a wait shows as a
/// countdown rather than a frozen screen.
fn spawn_rate_watch(source: Arc<dyn Source>, sender: mpsc::UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(TICK);
        let mut last = None;
        loop {
            interval.tick().await;
            let Some(rate) = source.rate() else { return };
            if last != Some(rate) {
                last = Some(rate);
                if sender.send(Msg::RateNoted(rate)).is_err() {
                    return;
                }
            }
        }
    });
}

/// Terminal events, ticks and SIGTERM, all as messages.
fn spawn_inputs(sender: mpsc::UnboundedSender<Msg>) {
    let events = sender.clone();
    tokio::spawn(async move {
        let mut stream = crossterm::event::EventStream::new();
        while let Some(Ok(event)) = stream.next().await {
            let msg = match event {
                crossterm::event::Event::Key(key) => Msg::Key(key),
                crossterm::event::Event::Mouse(mouse) => Msg::Mouse(mouse),
                crossterm::event::Event::Resize(columns, rows) => Msg::Resize(columns, rows),
                _ => continue,
            };
            if events.send(msg).is_err() {
                return;
            }
        }
    });
    let ticks = sender.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(TICK);
        loop {
            interval.tick().await;
            if ticks.send(Msg::Tick(Timestamp::now())).is_err() {
                return;
            }
        }
    });
    #[cfg(unix)]
    tokio::spawn(async move {
        let Ok(mut terminate) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        else {
            return;
        };
        if terminate.recv().await.is_some() {
            let _ = sender.send(Msg::Terminate);
        }
    });
}
