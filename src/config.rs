//! The user's configuration: key bindings and colours, from the embedded defaults
//! (`assets/config.toml`) with the user's `config.toml` over them. Owns loading and the
//! wording of config errors; the keymap and theme types live in `config::keymap` and
//! `config::theme`.

pub mod keymap;
pub mod theme;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use keymap::{Context, Key, Keymap};
pub use theme::Theme;

/// The defaults, as shipped and as `config --print-default` prints them.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/config.toml");

/// The configuration in effect.
#[derive(Clone, Debug)]
pub struct Config {
    /// Key bindings per context.
    pub keymap: Keymap,
    /// Colours.
    pub theme: Theme,
    /// Limits of the local store.
    pub cache: CacheLimits,
    /// How runs on GitHub are followed.
    pub live: LiveSettings,
}

/// How the TUI follows a run in progress on GitHub.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LiveSettings {
    /// Seconds between two reads of a run in progress.
    pub poll_seconds: u64,
}

impl Default for LiveSettings {
    fn default() -> LiveSettings {
        LiveSettings { poll_seconds: 5 }
    }
}

impl LiveSettings {
    /// The time between two reads of a run in progress.
    pub fn poll_interval(self) -> std::time::Duration {
        std::time::Duration::from_secs(self.poll_seconds)
    }
}

/// How much the local store keeps: `cache prune` without options prunes to these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CacheLimits {
    /// Runs older than this many days are removed.
    pub max_age_days: u32,
    /// Past this many megabytes the oldest logs are removed.
    pub max_size_mb: u64,
}

impl Default for CacheLimits {
    fn default() -> CacheLimits {
        CacheLimits { max_age_days: 90, max_size_mb: 1024 }
    }
}

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    /// The file.
    pub file: String,
    /// What is wrong and what to do.
    pub message: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    keys: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    theme: BTreeMap<String, String>,
    #[serde(default)]
    cache: Option<CacheLimits>,
    #[serde(default)]
    live: Option<LiveSettings>,
}

/// Where the user's config file lives: `GHA_TRIAGE_CONFIG_DIR` or the platform's config dir.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("GHA_TRIAGE_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "gha-triage").map(|dirs| dirs.config_dir().to_path_buf())
}

/// The user's config file path, whether or not it exists.
pub fn config_path() -> Option<PathBuf> {
    config_dir().map(|dir| dir.join("config.toml"))
}

impl Config {
    /// The defaults alone.
    pub fn defaults() -> Config {
        Config::from_texts(&[("builtin:config.toml", DEFAULT_CONFIG)])
            .expect("the embedded defaults are valid")
    }

    /// The defaults with the user's file over them, when it exists.
    pub fn load(no_color: bool) -> Result<Config, ConfigError> {
        let mut config = match config_path().filter(|path| path.is_file()) {
            Some(path) => Config::load_file(&path)?,
            None => Config::defaults(),
        };
        if no_color {
            config.theme = Theme::plain();
        }
        Ok(config)
    }

    /// The defaults with `path` over them.
    pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
            file: name.clone(),
            message: format!("cannot read it: {error}"),
        })?;
        Config::from_texts(&[("builtin:config.toml", DEFAULT_CONFIG), (&name, &text)])
    }

    fn from_texts(texts: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let mut keymap = Keymap::default();
        let mut theme = Theme::plain();
        let mut cache = CacheLimits::default();
        let mut live = LiveSettings::default();
        for (name, text) in texts {
            let file: ConfigFile = toml::from_str(text).map_err(|error| {
                let at = error.span().map(|span| line_at(text, span.start));
                ConfigError {
                    file: at.map_or_else(|| (*name).to_owned(), |line| format!("{name}:{line}")),
                    message: error.message().trim().to_owned(),
                }
            })?;
            let fail = |message: String| ConfigError { file: (*name).to_owned(), message };
            for (context, bindings) in &file.keys {
                let context: Context = context.parse().map_err(fail)?;
                for (action, keys) in bindings {
                    let action = action.parse().map_err(fail)?;
                    let keys = keys.iter().map(|key| key.parse()).collect::<Result<Vec<Key>, _>>();
                    keymap.bind(context, action, keys.map_err(fail)?);
                }
            }
            cache = file.cache.unwrap_or(cache);
            live = file.live.unwrap_or(live);
            if live.poll_seconds == 0 {
                return Err(fail(
                    "[live] poll-seconds is 0: give at least 1 (5 is the default; GitHub asks \
                     clients not to poll faster than they need)"
                        .to_owned(),
                ));
            }
            for (role, colour) in &file.theme {
                theme.set(role, colour).map_err(fail)?;
            }
        }
        Ok(Config { keymap, theme, cache, live })
    }
}

/// The 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset.min(text.len())]).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::action::Action;

    #[test]
    fn the_defaults_bind_q_to_quit_everywhere() {
        let config = Config::defaults();
        let key: Key = "q".parse().unwrap();
        assert_eq!(config.keymap.action(Context::Log, &key), Some(Action::Quit));
    }

    #[test]
    fn a_user_file_rebinds_one_action_and_keeps_the_rest() {
        let user = "[keys.global]\nquit = [\"ctrl-q\"]\n";
        let config =
            Config::from_texts(&[("builtin", DEFAULT_CONFIG), ("user.toml", user)]).unwrap();
        assert_eq!(config.keymap.action(Context::Runs, &"q".parse().unwrap()), None);
        assert_eq!(
            config.keymap.action(Context::Runs, &"ctrl-q".parse().unwrap()),
            Some(Action::Quit)
        );
        assert_eq!(config.keymap.action(Context::Runs, &"?".parse().unwrap()), Some(Action::Help));
    }

    #[test]
    fn a_poll_interval_of_zero_is_refused_with_the_file_and_the_default() {
        let user = "[live]\npoll-seconds = 0\n";
        let error = Config::from_texts(&[("builtin", DEFAULT_CONFIG), ("user.toml", user)]);
        let error = error.unwrap_err().to_string();
        assert!(error.starts_with("user.toml: [live] poll-seconds is 0"), "{error}");
        let user = "[live]\npoll-seconds = 12\n";
        let config = Config::from_texts(&[("builtin", DEFAULT_CONFIG), ("user.toml", user)]);
        assert_eq!(config.unwrap().live.poll_interval(), std::time::Duration::from_secs(12));
    }

    #[test]
    fn an_unknown_action_names_the_file() {
        let user = "[keys.global]\nfly = [\"x\"]\n";
        let error = Config::from_texts(&[("user.toml", user)]).unwrap_err();
        assert_eq!(error.to_string(), "user.toml: unknown action `fly`");
    }
}
