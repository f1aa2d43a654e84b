//! The commits between two others (`GET /repos/{o}/{r}/compare/{base}...{head}`): for a failing
//! streak, what landed between the last green run and the first red one, as suspects. Owns the
//! shape (tolerant: authors without a GitHub account, nulls) and the route.

use serde::{Deserialize, Serialize};

use super::client::{GitHub, encode};
use super::error::GithubError;
use super::repo::Repo;

/// Who wrote a commit, as git recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitAuthor {
    /// The name in the commit.
    #[serde(default)]
    pub name: Option<String>,
}

/// The git side of a commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitCommit {
    /// Its author.
    #[serde(default)]
    pub author: Option<GitAuthor>,
    /// Its whole message.
    #[serde(default, deserialize_with = "crate::github::model::null_as_default")]
    pub message: String,
}

/// A GitHub account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The login.
    pub login: String,
}

/// One commit of a comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparedCommit {
    /// Its SHA.
    pub sha: String,
    /// Its page.
    #[serde(default)]
    pub html_url: Option<String>,
    /// The git side.
    pub commit: GitCommit,
    /// The author's account, when the e-mail matches one.
    #[serde(default)]
    pub author: Option<Account>,
}

impl ComparedCommit {
    /// The first seven characters of the SHA.
    pub fn short_sha(&self) -> &str {
        self.sha.get(..7).unwrap_or(&self.sha)
    }

    /// The first line of the message.
    pub fn subject(&self) -> &str {
        self.commit.message.lines().next().unwrap_or("").trim()
    }

    /// `@login` when GitHub knows the author, else the name in the commit.
    pub fn author_name(&self) -> String {
        if let Some(account) = &self.author {
            return format!("@{}", account.login);
        }
        let name = self.commit.author.as_ref().and_then(|author| author.name.clone());
        name.unwrap_or_else(|| "unknown author".to_owned())
    }
}

/// The comparison of two commits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// The comparison's page.
    #[serde(default)]
    pub html_url: Option<String>,
    /// How many commits the head is ahead by, all of them (the list holds at most 250).
    #[serde(default, deserialize_with = "crate::github::model::null_as_default")]
    pub total_commits: u64,
    /// The commits, oldest first.
    #[serde(default, deserialize_with = "crate::github::model::null_as_default")]
    pub commits: Vec<ComparedCommit>,
}

impl GitHub {
    /// The commits after `base` up to `head`, oldest first (one request: GitHub's first 250).
    pub async fn compare(
        &self,
        repo: &Repo,
        base: &str,
        head: &str,
    ) -> Result<Comparison, GithubError> {
        let uri = format!("/repos/{repo}/compare/{}...{}", encode(base), encode(head));
        let what = format!("the commits between {base:.7} and {head:.7} in {repo}");
        Ok(self.get_json::<Comparison>(&uri, &what).await?.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_without_an_account_is_named_by_git() {
        let json = r#"{"sha": "51b892cfaa73efcd67961fb23be3c60889f2ebf5", "html_url": null,
            "commit": {"author": {"name": "Ruben Koster", "email": "r@example.org"},
            "message": "Move Python deps to uv\n\nrequirements.txt is replaced"},
            "author": null, "parents": []}"#;
        let commit: ComparedCommit = serde_json::from_str(json).unwrap();
        assert_eq!(commit.short_sha(), "51b892c");
        assert_eq!(commit.subject(), "Move Python deps to uv");
        assert_eq!(commit.author_name(), "Ruben Koster");
    }
}
