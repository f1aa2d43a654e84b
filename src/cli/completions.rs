//! `gha-triage completions SHELL`: shell completion scripts from the argument definitions.

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, EXIT_OK, Failure};

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    pub shell: Shell,
}

/// Prints the completion script.
pub fn run(args: &CompletionArgs) -> Result<u8, Failure> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "gha-triage", &mut script);
    super::write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(EXIT_OK)
}
