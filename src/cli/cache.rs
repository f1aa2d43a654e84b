//! `gha-triage cache info|prune`: where the local store is, how big, what it holds; and making
//! it smaller by age and by a size cap (defaults from the `[cache]` section of the config).

use clap::{Args, Subcommand, ValueEnum};

use super::{EXIT_OK, Failure};
use crate::config::Config;
use crate::store::{Store, StoreError};

/// The `cache` subcommands.
#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Print the store's location, size and counts.
    Info(InfoArgs),
    /// Remove runs older than an age, then the oldest logs until the store fits a size.
    Prune(PruneArgs),
}

/// Output formats of `cache info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InfoFormat {
    /// Lines for a person.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `cache info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = InfoFormat::Text)]
    pub format: InfoFormat,
}

/// Arguments of `cache prune`.
#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Remove runs created more than this many days ago [default: max-age-days of the config].
    #[arg(long, value_name = "DAYS")]
    pub older_than: Option<u32>,
    /// Remove the oldest logs until the store fits in this many megabytes [default:
    /// max-size-mb of the config].
    #[arg(long, value_name = "MB")]
    pub max_size: Option<u64>,
}

const MEGABYTE: u64 = 1024 * 1024;

/// Runs `cache`.
pub fn run(command: &CacheCommand) -> Result<u8, Failure> {
    let store = open_store()?;
    match command {
        CacheCommand::Info(args) => info(&store, args.format),
        CacheCommand::Prune(args) => prune(&store, args),
    }
}

/// Opens the store, telling standard error when a corrupt one was moved aside.
pub fn open_store() -> Result<Store, Failure> {
    let store = Store::open_default().map_err(Failure::bad_input)?;
    if let Some(note) = store.take_recovery_note() {
        eprintln!("gha-triage: {note}");
    }
    Ok(store)
}

/// Runs `read`, and once more when it found the store damaged: by then the damaged file is
/// moved aside (said on standard error) and a new, empty store is in its place.
fn again_if_damaged<T>(
    store: &Store,
    read: impl Fn() -> Result<T, StoreError>,
) -> Result<T, Failure> {
    match read() {
        Err(StoreError::Damaged { .. }) => {
            if let Some(note) = store.take_recovery_note() {
                eprintln!("gha-triage: {note}");
            }
            read().map_err(Failure::bad_input)
        }
        other => other.map_err(Failure::bad_input),
    }
}

fn info(store: &Store, format: InfoFormat) -> Result<u8, Failure> {
    let info = again_if_damaged(store, || store.info())?;
    let text = match format {
        InfoFormat::Json => {
            let json = serde_json::to_string_pretty(&info).map_err(Failure::bad_input)?;
            format!("{json}\n")
        }
        InfoFormat::Text => format!(
            "location      {}\nsize          {}\nruns          {}\njobs          {}\n\
             logs          {} ({} uncompressed)\nfindings      {}\ncauses        {}\netags         {}\n",
            info.path,
            megabytes(info.bytes),
            info.runs,
            info.jobs,
            info.logs,
            megabytes(info.log_bytes),
            info.findings,
            info.fingerprints,
            info.etags,
        ),
    };
    super::write_stdout(&text)?;
    Ok(EXIT_OK)
}

fn prune(store: &Store, args: &PruneArgs) -> Result<u8, Failure> {
    let limits = Config::load(true).map_err(Failure::bad_input)?.cache;
    let days = args.older_than.unwrap_or(limits.max_age_days);
    let max_mb = args.max_size.unwrap_or(limits.max_size_mb);
    let before = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        .map_err(|_| Failure::bad_input(format!("--older-than {days}: too many days")))?;

    let pruned = again_if_damaged(store, || {
        store.prune(Some(before), Some(max_mb.saturating_mul(MEGABYTE)))
    })?;
    super::write_stdout(&format!(
        "removed {} runs older than {days} days and {} logs; {} -> {} (cap {max_mb} MB)\n",
        pruned.runs,
        pruned.logs,
        megabytes(pruned.bytes_before),
        megabytes(pruned.bytes_after),
    ))?;
    Ok(EXIT_OK)
}

#[expect(clippy::cast_precision_loss, reason = "a size shown to one decimal")]
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / MEGABYTE as f64)
}

/// The source the live TUI and the live commands read: GitHub through the local store, or
/// with `--offline` the store alone. A store that cannot be opened is a note, and GitHub is
/// read without it. Notes about the store go to standard error, or with `WaitNotes::Quiet`
/// (the TUI, which is about to take the screen) to the source's `take_notice` for the status
/// line.
pub fn cached_source(
    live: &super::LiveArgs,
    notes: super::WaitNotes,
) -> Result<crate::source::cached::CachedSource, Failure> {
    use crate::source::cached::CachedSource;
    if let Some(dir) = live.repo_dir.as_ref().filter(|dir| !dir.is_dir()) {
        return Err(Failure::bad_input(format!(
            "{}: no such folder; --repo-dir names a checkout of the repository",
            dir.display()
        )));
    }
    let with_dir = |source: CachedSource| match &live.repo_dir {
        Some(dir) => source.with_repo_dir(dir.clone()),
        None => source,
    };
    let source = if live.offline {
        let filter = live.runs.filter();
        filter.check().map_err(Failure::bad_input)?;
        let store = Store::open_default().map_err(Failure::bad_input)?;
        CachedSource::offline(offline_repo(live)?, std::sync::Arc::new(store)).with_filter(filter)
    } else {
        online_source(live, notes)?
    };
    if notes == super::WaitNotes::Stderr
        && let Some(notice) = source.take_notice()
    {
        eprintln!("gha-triage: note: {notice}");
    }
    Ok(with_dir(source))
}

/// GitHub through the store; a store that cannot be opened is held as a notice.
fn online_source(
    live: &super::LiveArgs,
    notes: super::WaitNotes,
) -> Result<crate::source::cached::CachedSource, Failure> {
    use crate::source::cached::CachedSource;
    let (store, unopened) = match Store::open_default() {
        Ok(store) => (Some(std::sync::Arc::new(store)), None),
        Err(error) => (None, Some(format!("{error}; reading GitHub without the local store"))),
    };
    let etags =
        store.clone().map(|store| store as std::sync::Arc<dyn crate::github::etags::EtagStore>);
    let source = CachedSource::online(live.source_with(notes, etags)?, store);
    Ok(match unopened {
        Some(note) => source.with_notice(note),
        None => source,
    })
}

/// The repository to read offline: `--repo`, else the current folder's git remotes.
fn offline_repo(live: &super::LiveArgs) -> Result<crate::github::repo::Repo, Failure> {
    if let Some(text) = &live.repo {
        return text.parse().map_err(Failure::bad_input);
    }
    let gh_host = std::env::var("GH_HOST").ok();
    let endpoint =
        crate::github::endpoint::Endpoint::choose(live.api_url.as_deref(), gh_host.as_deref())
            .map_err(Failure::bad_input)?;
    let here = std::env::current_dir().unwrap_or_default();
    crate::github::repo::repo_from_remotes(&here, &endpoint.host).map_err(Failure::bad_input)
}
