//! `gha-triage config`: print the default configuration or where the user's file goes.

use clap::Args;

use super::{EXIT_OK, Failure};
use crate::config::{DEFAULT_CONFIG, config_path};

/// Arguments of `config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the default configuration (keys and colours), with comments.
    #[arg(long, conflicts_with = "path")]
    pub print_default: bool,
    /// Print where the user's config file is read from.
    #[arg(long)]
    pub path: bool,
}

/// Runs `config`.
pub fn run(args: &ConfigArgs) -> Result<u8, Failure> {
    if args.path {
        let path =
            config_path().ok_or_else(|| Failure::bad_input("no config folder on this system"))?;
        super::write_stdout(&format!("{}\n", path.display()))?;
        return Ok(EXIT_OK);
    }
    if args.print_default {
        super::write_stdout(DEFAULT_CONFIG)?;
        return Ok(EXIT_OK);
    }
    Err(Failure::bad_input("say what to print: --print-default or --path"))
}
