//! Which server answers: github.com's API, an Enterprise Server named by `GH_HOST`, or any URL
//! given to `--api-url` (the tests' fake GitHub). Owns the URL and the host remotes and tokens
//! are matched against.

/// github.com's REST API.
pub const GITHUB_API: &str = "https://api.github.com";

/// The API server and the web host that goes with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The REST API's base URL, without a trailing slash.
    pub api_url: String,
    /// The web host git remotes and `gh auth token` name (`github.com` or the Enterprise host).
    pub host: String,
}

impl Endpoint {
    /// `--api-url` when given, else `https://GH_HOST/api/v3` for an Enterprise `GH_HOST`,
    /// else github.com.
    pub fn choose(api_url: Option<&str>, gh_host: Option<&str>) -> Endpoint {
        let gh_host = gh_host.map(str::trim).filter(|host| !host.is_empty());
        if let Some(url) = api_url {
            let api_url = url.trim().trim_end_matches('/').to_owned();
            let host = gh_host.map_or_else(|| web_host(&api_url), str::to_owned);
            return Endpoint { api_url, host };
        }
        match gh_host {
            Some(host) if host != "github.com" => Endpoint {
                api_url: format!("https://{host}/api/v3"),
                host: host.to_ascii_lowercase(),
            },
            _ => Endpoint::github(),
        }
    }

    /// github.com.
    pub fn github() -> Endpoint {
        Endpoint { api_url: GITHUB_API.to_owned(), host: "github.com".to_owned() }
    }
}

/// The web host for an API URL: `api.github.com` → `github.com`, `HOST/api/v3` → `HOST`.
fn web_host(api_url: &str) -> String {
    let rest = api_url.split_once("://").map_or(api_url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    match host.strip_prefix("api.") {
        Some("github.com") => "github.com".to_owned(),
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gh_host_points_at_the_enterprise_api() {
        let endpoint = Endpoint::choose(None, Some("ghe.example.com"));
        assert_eq!(endpoint.api_url, "https://ghe.example.com/api/v3");
        assert_eq!(endpoint.host, "ghe.example.com");
        assert_eq!(Endpoint::choose(None, Some("github.com")), Endpoint::github());
    }

    #[test]
    fn api_url_wins_and_its_host_matches_remotes() {
        let endpoint = Endpoint::choose(Some("http://127.0.0.1:4321/"), Some("ghe.example.com"));
        assert_eq!(endpoint.api_url, "http://127.0.0.1:4321");
        assert_eq!(endpoint.host, "ghe.example.com");
        let endpoint = Endpoint::choose(Some("https://api.github.com"), None);
        assert_eq!(endpoint.host, "github.com");
        assert_eq!(Endpoint::choose(Some("https://ghe.corp/api/v3"), None).host, "ghe.corp");
    }
}
