//! The command line: arguments, exit codes, and turning errors into one-line messages.
//! Owns argument parsing and dispatch; each subcommand lives in its own file under `cli/`.

pub mod act;
pub mod cache;
pub mod classify;
pub mod completions;
pub mod config;
pub mod history;
pub mod lint;
pub mod logging;
pub mod report;
pub mod rules;
pub mod run_filter;
pub mod runs;
pub mod tui;
pub mod wait_notice;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::rules::RuleSources;

/// Exit code when the command ran, whatever it found.
pub const EXIT_OK: u8 = 0;
/// Exit code when `--fail-on` was given and a finding reached it.
pub const EXIT_FINDING: u8 = 1;
/// Exit code when GitHub refused a rerun or cancel (403, 409).
pub const EXIT_REFUSED: u8 = 1;
/// Exit code for bad input or bad use.
pub const EXIT_BAD_INPUT: u8 = 2;

const AFTER_HELP: &str = "\
Exit codes:
  0  it ran, whatever it found
  1  --fail-on SEVERITY was given and a finding reached that severity, or GitHub refused a
     rerun or cancel (403: the token lacks actions: write; 409: the run's state forbids it)
  2  bad input or bad use (unreadable, empty or binary file, corrupt archive, bad rule file,
     unknown option value), or GitHub could not be read (no token, refused, rate limit past
     --max-wait)

Rules: built-in rules, then <config dir>/rules.toml, then .github/gha-triage.toml of the
repository in the current folder, then each --rules FILE; a later rule with the same id
replaces an earlier one. GHA_TRIAGE_CONFIG_DIR overrides the config folder,
GHA_TRIAGE_CACHE_DIR the folder of the local store.";

/// Triage failed GitHub Actions runs: find the cause, not the symptom.
#[derive(Debug, Parser)]
#[command(name = "gha-triage", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Rule options shared by every command.
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Where live GitHub is read.
    #[command(flatten)]
    pub live: LiveArgs,
    /// What to do; without a command, the TUI opens on the current repository's runs.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where live GitHub is read (`classify --run`, `report --run`, the TUI without a command).
#[derive(Debug, Args)]
pub struct LiveArgs {
    /// The repository, owner/name [default: from the current folder's git remotes].
    #[arg(long, value_name = "OWNER/NAME", global = true)]
    pub repo: Option<String>,
    #[expect(clippy::doc_markdown, reason = "clap shows this line as help; backticks would show")]
    /// The REST API's base URL [default: api.github.com, or https://$GH_HOST/api/v3].
    #[arg(long, value_name = "URL", global = true)]
    pub api_url: Option<String>,
    /// The longest wait for GitHub's rate limit, in seconds; past it the command exits with 2
    /// [default: 60; the TUI, which counts the wait down, waits for the hourly reset].
    #[arg(long, value_name = "SECONDS", global = true)]
    pub max_wait: Option<u64>,
    #[expect(clippy::doc_markdown, reason = "clap shows this line as help; backticks would show")]
    /// A PEM file of certificates to trust besides the system's (SSL_CERT_FILE replaces
    /// those); proxies come from HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY.
    #[arg(long, value_name = "FILE", global = true, env = "GHA_TRIAGE_CA_BUNDLE")]
    pub ca_bundle: Option<PathBuf>,
    /// Read the local store alone: nothing is sent to GitHub (the TUI, `classify --run`,
    /// `report` and `history`).
    #[arg(long, global = true)]
    pub offline: bool,
    /// Read the workflow files and file list from this local checkout, at the run's commit
    /// when the checkout has it (else its working tree), instead of asking GitHub.
    #[arg(long, value_name = "DIR", global = true)]
    pub repo_dir: Option<PathBuf>,
    /// Which runs are listed.
    #[command(flatten)]
    pub runs: run_filter::RunFilterArgs,
}

/// Whether rate-limit waits are announced on standard error (never under the TUI).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitNotes {
    /// A countdown on standard error during each wait (one line when it is not a terminal).
    Stderr,
    /// Nothing printed: the TUI counts the wait down on its status line.
    Quiet,
}

/// The longest rate-limit wait of a command without `--max-wait`.
pub const COMMAND_RATE_WAIT: std::time::Duration = std::time::Duration::from_secs(60);
/// The longest rate-limit wait of the TUI without `--max-wait`: past GitHub's hourly reset, so
/// a used-up budget is counted down on the status line instead of failing (`q` still quits).
pub const TUI_RATE_WAIT: std::time::Duration = std::time::Duration::from_secs(65 * 60);

impl LiveArgs {
    /// Connects to GitHub: token, repository and server from the options and the environment.
    pub fn source(&self, notes: WaitNotes) -> Result<crate::source::live::LiveSource, Failure> {
        self.source_with(notes, None)
    }

    /// Connects to GitHub as [`LiveArgs::source`] does, keeping ETags in `etags` when given
    /// (the local store) instead of in memory.
    pub fn source_with(
        &self,
        notes: WaitNotes,
        etags: Option<std::sync::Arc<dyn crate::github::etags::EtagStore>>,
    ) -> Result<crate::source::live::LiveSource, Failure> {
        use crate::source::live::{LiveOptions, LiveSource};
        // The values typed are checked before the token is looked for, so a wrong one is named
        // even where no token is set.
        let filter = self.runs.filter();
        filter.check().map_err(Failure::bad_input)?;
        let mut options =
            LiveOptions::from_environment(self.repo.as_deref(), self.api_url.as_deref())
                .map_err(Failure::bad_input)?;
        options.filter = filter;
        options.max_runs = self.runs.limit();
        if let Some(etags) = etags {
            options.etags = etags;
        }
        options.ca_bundle.clone_from(&self.ca_bundle);
        let cap = self.rate_wait_cap(notes);
        options.policy.max_rate_wait = cap;
        if notes == WaitNotes::Stderr {
            options.on_rate_wait = Some(wait_notice::notice(cap.as_secs()));
        }
        LiveSource::connect(options).map_err(Failure::bad_input)
    }

    /// The longest rate-limit wait: `--max-wait`, else a minute for a command and the hourly
    /// reset for the TUI, whose wait is announced on the screen rather than standard error.
    pub fn rate_wait_cap(&self, notes: WaitNotes) -> std::time::Duration {
        match (self.max_wait, notes) {
            (Some(seconds), _) => std::time::Duration::from_secs(seconds),
            (None, WaitNotes::Stderr) => COMMAND_RATE_WAIT,
            (None, WaitNotes::Quiet) => TUI_RATE_WAIT,
        }
    }
}

/// Where rules come from.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Add a rule file over the built-in and user rules (repeatable).
    #[arg(long = "rules", value_name = "FILE", global = true)]
    pub rule_files: Vec<PathBuf>,
    /// Switch a rule off by id (repeatable).
    #[arg(long = "disable", value_name = "ID", global = true)]
    pub disable: Vec<String>,
    /// Read no user or repository rule files, only built-in ones and --rules.
    #[arg(long, global = true)]
    pub no_user_rules: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the triage TUI on the embedded demo (no token, no network).
    Demo,
    /// Open the triage TUI on a log file, a folder, a run log zip or `gh run view --log` output.
    Open(tui::OpenArgs),
    /// Print the findings of a log file, folder, run log zip, or standard input (-).
    Classify(classify::ClassifyArgs),
    /// Write a markdown write-up of a failed run.
    Report(report::ReportArgs),
    /// List the repository's runs on GitHub, newest first (see --workflow, --branch…).
    Runs(runs::RunsArgs),
    /// List, check and test rules.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Rerun a run on GitHub: all its jobs, the failed ones, or one job.
    #[command(after_help = act::AFTER_HELP)]
    Rerun(act::RerunArgs),
    /// Cancel a queued or running run on GitHub.
    #[command(after_help = act::AFTER_HELP)]
    Cancel(act::CancelArgs),
    /// Print shell completions.
    Completions(completions::CompletionArgs),
    /// Print the default configuration or the config file's path.
    Config(config::ConfigArgs),
    /// The causes seen most often across runs, new ones first, with flake rates.
    History(history::HistoryArgs),
    /// See and prune the local store of runs, logs and findings.
    #[command(subcommand)]
    Cache(cache::CacheCommand),
    /// Check a repository's workflow files for the mistakes that make runs fail.
    Lint(lint::LintArgs),
}

/// A failure that ends the command with a message and an exit code.
#[derive(Debug)]
pub struct Failure {
    /// One line (or a few) for standard error.
    pub message: String,
    /// The exit code.
    pub code: u8,
}

impl Failure {
    /// Bad input or bad use: exit code 2.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "called as map_err(Failure::bad_input), which hands errors over by value"
    )]
    pub fn bad_input(message: impl ToString) -> Failure {
        Failure { message: message.to_string(), code: EXIT_BAD_INPUT }
    }
}

/// Parses the command line, runs the command, and returns its exit code.
pub fn run() -> ExitCode {
    let help = format!(
        "{AFTER_HELP}\n\nConfig file: {}\nDiagnostic log: {}",
        crate::config::config_path()
            .map_or_else(|| "(none)".to_owned(), |p| p.display().to_string()),
        logging::log_path().map_or_else(|| "(none)".to_owned(), |p| p.display().to_string()),
    );
    let matches = <Cli as clap::CommandFactory>::command().after_help(help).get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let Some(command) = &cli.command else {
        return exit(tui::live(&cli.rules, &cli.live));
    };
    // The TUI always logs to the file; a command only when GHA_TRIAGE_LOG asks for it.
    let tui = matches!(command, Command::Demo | Command::Open(_));
    let _log = (!tui && std::env::var_os("GHA_TRIAGE_LOG").is_some()).then(logging::init).flatten();
    let outcome = match command {
        Command::Demo => tui::demo(&cli.rules),
        Command::Open(args) => tui::open(&cli.rules, args),
        Command::Config(args) => config::run(args),
        Command::Classify(args) => classify::run(&cli.rules, &cli.live, args),
        Command::Report(args) => report::run(&cli.rules, &cli.live, args),
        Command::Runs(args) => runs::run(&cli.live, args),
        Command::Rules(command) => rules::run(&cli.rules, command),
        Command::Rerun(args) => act::rerun(&cli.live, args),
        Command::Cancel(args) => act::cancel(&cli.live, args),
        Command::Completions(args) => completions::run(args),
        Command::Cache(command) => cache::run(command),
        Command::History(args) => history::run(&cli.rules, &cli.live, args),
        Command::Lint(args) => lint::run(args),
    };
    exit(outcome)
}

/// The exit code of an outcome, its message written to standard error.
fn exit(outcome: Result<u8, Failure>) -> ExitCode {
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "gha-triage: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

impl RuleArgs {
    /// The rules in effect, compiled; an id a rule file disables that no rule has is warned
    /// about on standard error, one line each.
    pub fn engine(&self) -> Result<crate::classify::Engine, Failure> {
        let engine = crate::classify::Engine::load(&self.sources()).map_err(Failure::bad_input)?;
        for problem in &engine.unknown_disabled {
            eprintln!("gha-triage: warning: {problem}");
        }
        Ok(engine)
    }

    /// The rule files in the order they apply.
    pub fn sources(&self) -> RuleSources {
        let mut files = Vec::new();
        if !self.no_user_rules {
            files.extend(user_rule_file());
            files.extend(repository_rule_file());
        }
        files.extend(self.rule_files.iter().cloned());
        RuleSources { builtin: true, files, disable: self.disable.clone() }
    }
}

/// `<config dir>/rules.toml`, when it exists.
fn user_rule_file() -> Option<PathBuf> {
    let dir = match std::env::var_os("GHA_TRIAGE_CONFIG_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => directories::ProjectDirs::from("", "", "gha-triage")?.config_dir().to_path_buf(),
    };
    let file = dir.join("rules.toml");
    file.is_file().then_some(file)
}

/// `.github/gha-triage.toml` of the repository around the current folder, when it exists.
fn repository_rule_file() -> Option<PathBuf> {
    let current = std::env::current_dir().ok()?;
    for dir in current.ancestors() {
        let file = dir.join(".github").join("gha-triage.toml");
        if file.is_file() {
            return Some(file);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// A note on standard error that does not stop the command.
pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "gha-triage: note: {text}");
}

/// Writes to standard output, treating a closed pipe as success.
pub fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = anstream::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(Failure::bad_input(format!("cannot write the output: {error}"))),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::Parser as _;

    use super::*;

    fn live_args(words: &[&str]) -> LiveArgs {
        Cli::try_parse_from(words).expect("the arguments parse").live
    }

    #[test]
    fn the_tui_waits_out_an_hourly_rate_limit_and_a_command_a_minute_unless_told() {
        let tui = live_args(&["gha-triage"]);
        assert!(tui.rate_wait_cap(WaitNotes::Quiet) > Duration::from_secs(60 * 60));
        let report = live_args(&["gha-triage", "report", "--run", "1"]);
        assert_eq!(report.rate_wait_cap(WaitNotes::Stderr), Duration::from_secs(60));
        let told = live_args(&["gha-triage", "--max-wait", "5"]);
        assert_eq!(told.rate_wait_cap(WaitNotes::Quiet), Duration::from_secs(5));
        assert_eq!(told.rate_wait_cap(WaitNotes::Stderr), Duration::from_secs(5));
    }
}
