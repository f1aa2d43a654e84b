//! `gha-triage demo`, `gha-triage open PATH` and `gha-triage` alone: the TUI on the embedded
//! demo, on local files, or on the current repository's runs on GitHub.

use std::sync::Arc;

use clap::Args;

use super::{EXIT_OK, Failure, LiveArgs, RuleArgs};
use crate::app::state::Ending;
use crate::config::Config;
use crate::input::{Input, Limits};
use crate::source::Source;
use crate::source::demo::DemoSource;
use crate::source::offline::OfflineSource;

/// Arguments of `open`.
#[derive(Debug, Args)]
pub struct OpenArgs {
    /// A job log, a folder of logs, a run log zip, or `gh run view --log` output.
    pub path: String,
    /// Most bytes to unpack from an archive, counted while reading (`8GiB`, `500MB`, `100000`).
    #[arg(long, value_name = "SIZE", default_value = crate::input::DEFAULT_MAX_UNPACKED_TEXT)]
    pub max_unpacked: bytesize::ByteSize,
}

/// Runs the TUI on the embedded demo.
pub fn demo(rule_args: &RuleArgs) -> Result<u8, Failure> {
    let source = DemoSource::load().map_err(Failure::bad_input)?;
    run_tui(rule_args, Arc::new(source))
}

/// Runs the TUI on the repository's runs on GitHub.
pub fn live(rule_args: &RuleArgs, live: &LiveArgs) -> Result<u8, Failure> {
    let source = super::cache::cached_source(live, super::WaitNotes::Quiet)?;
    run_tui(rule_args, Arc::new(source))
}

/// Runs the TUI on local files.
pub fn open(rule_args: &RuleArgs, args: &OpenArgs) -> Result<u8, Failure> {
    let input = Input::open(&args.path).map_err(Failure::bad_input)?;
    if input == Input::Stdin {
        return Err(Failure::bad_input(
            "open reads a file, a folder or a zip; standard input is for classify",
        ));
    }
    let source = OfflineSource::open(&input, Limits { max_unpacked: args.max_unpacked.as_u64() })
        .map_err(Failure::bad_input)?;
    run_tui(rule_args, Arc::new(source))
}

fn run_tui(rule_args: &RuleArgs, source: Arc<dyn Source>) -> Result<u8, Failure> {
    use std::io::IsTerminal as _;
    if !std::io::stdout().is_terminal() {
        return Err(Failure::bad_input(
            "the TUI needs a terminal; for scripts use `classify` or `report`",
        ));
    }
    let engine = rule_args.engine()?;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    let config = Config::load(no_color).map_err(Failure::bad_input)?;
    let _guard = super::logging::init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::bad_input(format!("cannot start: {error}")))?;
    let ending = runtime
        .block_on(crate::app::run(source, Arc::new(engine), Arc::new(config)))
        .map_err(|error| Failure::bad_input(format!("terminal error: {error}")))?;
    match ending {
        Ending::Quit => Ok(EXIT_OK),
        Ending::Terminated => Ok(EXIT_TERMINATED),
    }
}

/// Exit code after SIGTERM: 128 + the signal's number, as shells report it.
const EXIT_TERMINATED: u8 = 128 + 15;
