//! Where the GitHub token comes from (`GH_TOKEN`, `GITHUB_TOKEN`, then `gh auth token`) and the
//! type that holds it. The token is never printed: its Debug form is redacted and it has no
//! Display; only the client reads it, once, to build its Authorization header.

use std::fmt;
use std::process::{Command, Stdio};

/// A GitHub token. Opaque: it cannot be printed or logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token; surrounding whitespace is dropped.
    pub fn new(secret: &str) -> Token {
        Token(secret.trim().to_owned())
    }

    /// The secret, for the Authorization header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// Where a token was found, for diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenOrigin {
    /// The `GH_TOKEN` variable.
    GhToken,
    /// The `GITHUB_TOKEN` variable.
    GithubToken,
    /// The GitHub CLI's login.
    GhCli,
}

/// No token anywhere.
#[derive(Debug, thiserror::Error)]
#[error(
    "no GitHub token: set GH_TOKEN (or GITHUB_TOKEN) to a token that can read Actions, or log \
     in with the GitHub CLI (`gh auth login`). `gha-triage demo` works without a token"
)]
pub struct NoToken;

/// Finds a token: `GH_TOKEN`, then `GITHUB_TOKEN`, then `gh auth token` for `host` when the
/// GitHub CLI is installed. `env` reads a variable; `gh` runs the CLI (injected for tests).
pub fn find_token(
    env: impl Fn(&str) -> Option<String>,
    gh: impl FnOnce() -> Option<String>,
) -> Result<(Token, TokenOrigin), NoToken> {
    let present = |name: &str| env(name).filter(|value| !value.trim().is_empty());
    if let Some(value) = present("GH_TOKEN") {
        return Ok((Token::new(&value), TokenOrigin::GhToken));
    }
    if let Some(value) = present("GITHUB_TOKEN") {
        return Ok((Token::new(&value), TokenOrigin::GithubToken));
    }
    match gh().filter(|value| !value.trim().is_empty()) {
        Some(value) => Ok((Token::new(&value), TokenOrigin::GhCli)),
        None => Err(NoToken),
    }
}

/// The token from the process environment or the GitHub CLI, for `host` (`github.com` or an
/// Enterprise host name).
pub fn token_from_environment(host: &str) -> Result<(Token, TokenOrigin), NoToken> {
    find_token(|name| std::env::var(name).ok(), || gh_auth_token(host))
}

/// Runs `gh auth token --hostname HOST`; `None` when gh is missing or not logged in.
fn gh_auth_token(host: &str) -> Option<String> {
    let output = Command::new("gh")
        .args(["auth", "token", "--hostname", host])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8(output.stdout).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gh_token_comes_before_github_token_and_the_cli() {
        let env = |name: &str| match name {
            "GH_TOKEN" => Some("ghp_first\n".to_owned()),
            "GITHUB_TOKEN" => Some("ghs_second".to_owned()),
            _ => None,
        };
        let (token, origin) = find_token(env, || panic!("gh must not run")).unwrap();
        assert_eq!((token.expose(), origin), ("ghp_first", TokenOrigin::GhToken));
    }

    #[test]
    fn an_empty_variable_falls_through_to_the_github_cli() {
        let env = |name: &str| (name == "GH_TOKEN").then(String::new);
        let (token, origin) = find_token(env, || Some("gho_cli\n".to_owned())).unwrap();
        assert_eq!((token.expose(), origin), ("gho_cli", TokenOrigin::GhCli));
    }

    #[test]
    fn without_any_token_the_message_says_how_to_get_one_and_mentions_the_demo() {
        let error = find_token(|_| None, || None).unwrap_err().to_string();
        assert!(error.contains("GH_TOKEN") && error.contains("gh auth login"));
        assert!(error.contains("gha-triage demo"));
    }

    #[test]
    fn a_token_never_prints_its_secret() {
        let token = Token::new("ghp_very_secret");
        assert_eq!(format!("{token:?}"), "Token(***)");
    }
}
