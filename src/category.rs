//! Failure categories and severities: the stable ids of `spec/categories.md`.
//! Owns naming and parsing only; it must not know which rule picks which category.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of failure a finding describes; one id per row of the category table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The Actions cache service or a cache step.
    Cache,
    /// Resolving or installing packages, lockfiles.
    Dependency,
    /// A file the step expects is not in the workspace.
    MissingFile,
    /// A tool or version is not available on the runner.
    Toolchain,
    /// The step's own script cannot run.
    Script,
    /// The code does not build.
    Compile,
    /// Tests fail or hang.
    Test,
    /// A job or step ran out of time.
    Timeout,
    /// The run or job was canceled by something else.
    Canceled,
    /// The runner went away.
    Runner,
    /// The machine ran out of memory, disk or another resource.
    Resources,
    /// A process crashed.
    Crash,
    /// Credentials or permissions.
    Auth,
    /// A service refused because of request volume.
    RateLimit,
    /// Connections, DNS, TLS, mirrors.
    Network,
    /// Uploading or downloading artifacts.
    Artifact,
    /// Resolving or running a `uses:` action, or its deprecation.
    Action,
    /// A style, lint, format or coverage gate failed.
    Lint,
    /// A service the job talks to is not up.
    Service,
    /// The workflow or job configuration is invalid or incomplete.
    Config,
    /// Checkout and repository state.
    Git,
    /// A deployment target refused or failed.
    Deploy,
    /// Nothing more specific matched.
    Unknown,
}

impl Category {
    /// Every category, in the order of the spec's table.
    pub const ALL: [Category; 23] = [
        Category::Cache,
        Category::Dependency,
        Category::MissingFile,
        Category::Toolchain,
        Category::Script,
        Category::Compile,
        Category::Test,
        Category::Timeout,
        Category::Canceled,
        Category::Runner,
        Category::Resources,
        Category::Crash,
        Category::Auth,
        Category::RateLimit,
        Category::Network,
        Category::Artifact,
        Category::Action,
        Category::Lint,
        Category::Service,
        Category::Config,
        Category::Git,
        Category::Deploy,
        Category::Unknown,
    ];

    /// The stable id used in JSON, rule files and the corpus labels.
    pub fn id(self) -> &'static str {
        match self {
            Category::Cache => "cache",
            Category::Dependency => "dependency",
            Category::MissingFile => "missing_file",
            Category::Toolchain => "toolchain",
            Category::Script => "script",
            Category::Compile => "compile",
            Category::Test => "test",
            Category::Timeout => "timeout",
            Category::Canceled => "canceled",
            Category::Runner => "runner",
            Category::Resources => "resources",
            Category::Crash => "crash",
            Category::Auth => "auth",
            Category::RateLimit => "rate_limit",
            Category::Network => "network",
            Category::Artifact => "artifact",
            Category::Action => "action",
            Category::Lint => "lint",
            Category::Service => "service",
            Category::Config => "config",
            Category::Git => "git",
            Category::Deploy => "deploy",
            Category::Unknown => "unknown",
        }
    }

    /// Looks a category up by its id.
    pub fn from_id(id: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|category| category.id() == id)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How bad a finding is; ordered so that `Error` sorts first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// It failed the job.
    Error,
    /// Printed, but the job went on.
    Warning,
    /// Information worth a look.
    Notice,
}

impl Severity {
    /// The id used in JSON and rule files.
    pub fn id(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }

    /// Parses `error`, `warning` or `notice`.
    pub fn from_id(id: &str) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Notice]
            .into_iter()
            .find(|severity| severity.id() == id)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_id_round_trips() {
        for category in Category::ALL {
            assert_eq!(Category::from_id(category.id()), Some(category));
        }
        assert_eq!(Category::from_id("cache-ish"), None);
    }
}
