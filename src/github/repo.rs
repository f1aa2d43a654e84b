//! Which repository to read: `owner/name` from `--repo`, or the current folder's git remotes
//! in their https and ssh forms. Reads `.git/config` itself and falls back to `git remote -v`;
//! never changes anything in the repository.

use std::fmt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::str::FromStr;

/// A GitHub repository, `owner/name`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Repo {
    /// The user or organisation.
    pub owner: String,
    /// The repository's name.
    pub name: String,
}

impl fmt::Display for Repo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// The repository could not be named.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// `--repo` was not `owner/name`.
    #[error("`{0}` is not a repository: give --repo as owner/name, e.g. --repo rust-lang/cargo")]
    Malformed(String),
    /// No remote of the current folder points at the GitHub host.
    #[error(
        "no GitHub repository here: pass --repo owner/name, or run inside a clone whose git \
         remote points at {host}"
    )]
    NoRemote {
        /// The host remotes were matched against.
        host: String,
    },
}

impl FromStr for Repo {
    type Err = RepoError;

    fn from_str(text: &str) -> Result<Repo, RepoError> {
        let malformed = || RepoError::Malformed(text.to_owned());
        let (owner, name) = text.trim().split_once('/').ok_or_else(malformed)?;
        let name = name.strip_suffix(".git").unwrap_or(name);
        let valid = |part: &str| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        };
        if !valid(owner) || !valid(name) {
            return Err(malformed());
        }
        Ok(Repo { owner: owner.to_owned(), name: name.to_owned() })
    }
}

/// The host and repository a remote URL names: `https://HOST/o/r(.git)`,
/// `git@HOST:o/r.git`, `ssh://git@HOST[:port]/o/r.git` or `git://HOST/o/r`.
pub fn parse_remote(url: &str) -> Option<(String, Repo)> {
    let url = url.trim();
    let (host, path) = if let Some((_, rest)) = url.split_once("://") {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?.split(':').next()?;
        (host, path)
    } else {
        let (user_host, path) = url.split_once(':')?;
        (user_host.rsplit('@').next()?, path)
    };
    let repo = path.trim_matches('/').parse().ok()?;
    Some((host.to_ascii_lowercase(), repo))
}

/// The repository of the clone around `dir` whose remote points at `host`, preferring the
/// remotes named `upstream`, `github`, then `origin`, as the GitHub CLI does.
pub fn repo_from_remotes(dir: &Path, host: &str) -> Result<Repo, RepoError> {
    let remotes = config_remotes(dir).unwrap_or_else(|| command_remotes(dir));
    pick_remote(&remotes, host).ok_or_else(|| RepoError::NoRemote { host: host.to_owned() })
}

/// The remote to use among `(name, url)` pairs.
pub fn pick_remote(remotes: &[(String, String)], host: &str) -> Option<Repo> {
    let rank = |name: &str| ["upstream", "github", "origin"].iter().position(|n| *n == name);
    let mut matching: Vec<(usize, Repo)> = remotes
        .iter()
        .filter_map(|(name, url)| {
            let (remote_host, repo) = parse_remote(url)?;
            let same = remote_host == host || remote_host == format!("ssh.{host}");
            same.then(|| (rank(name).unwrap_or(usize::MAX), repo))
        })
        .collect();
    matching.sort_by_key(|(rank, _)| *rank);
    matching.into_iter().next().map(|(_, repo)| repo)
}

/// `(name, url)` of each `[remote "NAME"]` in the `.git/config` above `dir`, when there is one.
fn config_remotes(dir: &Path) -> Option<Vec<(String, String)>> {
    let git = dir.ancestors().map(|d| d.join(".git")).find(|git| git.is_dir())?;
    let text = std::fs::read_to_string(git.join("config")).ok()?;
    Some(parse_git_config(&text))
}

/// The remotes in the text of a git config file.
pub fn parse_git_config(text: &str) -> Vec<(String, String)> {
    let mut remotes = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            current = line
                .strip_prefix("[remote \"")
                .and_then(|rest| rest.strip_suffix("\"]"))
                .map(str::to_owned);
            continue;
        }
        let Some(name) = &current else { continue };
        let Some((key, value)) = line.split_once('=') else { continue };
        if key.trim() == "url" {
            remotes.push((name.clone(), value.trim().to_owned()));
        }
    }
    remotes
}

/// The remotes `git remote -v` lists in `dir` (worktrees, unusual layouts).
fn command_remotes(dir: &Path) -> Vec<(String, String)> {
    let Ok(output) = Command::new("git")
        .args(["remote", "-v"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    else {
        return Vec::new();
    };
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(text: &str) -> Repo {
        text.parse().unwrap()
    }

    #[test]
    fn https_ssh_and_scp_like_remotes_all_name_the_repository() {
        for url in [
            "https://github.com/octo/hello-world.git",
            "https://github.com/octo/hello-world",
            "git@github.com:octo/hello-world.git",
            "ssh://git@github.com/octo/hello-world.git",
            "ssh://git@ssh.github.com:443/octo/hello-world.git",
            "https://user@github.com/octo/hello-world/",
        ] {
            let (host, parsed) = parse_remote(url).unwrap();
            assert!(host.ends_with("github.com"), "{url}");
            assert_eq!(parsed, repo("octo/hello-world"), "{url}");
        }
    }

    #[test]
    fn upstream_is_preferred_over_origin_and_other_hosts_are_ignored() {
        let config = "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:me/fork.git\n\
                      [remote \"gitlab\"]\n\turl = https://gitlab.com/x/y\n\
                      [remote \"upstream\"]\n\turl = https://github.com/octo/real.git\n";
        let remotes = parse_git_config(config);
        assert_eq!(remotes.len(), 3);
        assert_eq!(pick_remote(&remotes, "github.com"), Some(repo("octo/real")));
        assert_eq!(pick_remote(&remotes[..2], "github.com"), Some(repo("me/fork")));
        assert_eq!(pick_remote(&remotes[1..2], "github.com"), None);
    }

    #[test]
    fn a_repository_must_be_owner_slash_name() {
        assert!("octo".parse::<Repo>().is_err());
        assert!("octo/".parse::<Repo>().is_err());
        assert!("octo/a/b".parse::<Repo>().is_err());
        assert!("../etc".parse::<Repo>().is_err());
        assert_eq!(repo("octo/x.git"), repo("octo/x"));
    }
}
