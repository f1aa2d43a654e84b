//! Diagnostic logging through `tracing` to a file in the state folder, never to the terminal
//! the TUI draws on: always under the TUI, for the other commands when `GHA_TRIAGE_LOG` sets a
//! level. The path is printed by `--help`.

use std::path::PathBuf;

/// The folder the log file goes in.
pub fn log_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "gha-triage")?;
    Some(dirs.state_dir().unwrap_or_else(|| dirs.cache_dir()).to_path_buf())
}

/// The log file's path.
pub fn log_path() -> Option<PathBuf> {
    log_dir().map(|dir| dir.join("gha-triage.log"))
}

/// Starts logging to the file (level from `GHA_TRIAGE_LOG`, default `info`); keep the guard
/// alive while the program runs. Does nothing when the folder cannot be made.
pub fn init() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = log_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::never(dir, "gha-triage.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("GHA_TRIAGE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "gha-triage started");
    Some(guard)
}
