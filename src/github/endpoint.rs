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

/// An `--api-url` (or `GITHUB_API_URL`) that cannot name a server.
#[derive(Debug, thiserror::Error)]
#[error(
    "`{url}` is not an API URL: {why}; give one such as https://api.github.com or \
     https://HOST/api/v3 for GitHub Enterprise Server"
)]
pub struct BadEndpoint {
    /// The URL as given.
    pub url: String,
    /// What is wrong with it.
    pub why: &'static str,
}

impl Endpoint {
    /// `--api-url` when given, else `https://GH_HOST/api/v3` for an Enterprise `GH_HOST`,
    /// else github.com. A URL without an `http` or `https` scheme and a host is refused here,
    /// before any request is tried.
    pub fn choose(api_url: Option<&str>, gh_host: Option<&str>) -> Result<Endpoint, BadEndpoint> {
        let gh_host = gh_host.map(bare_host).filter(|host| !host.is_empty());
        if let Some(url) = api_url {
            let api_url = checked_url(url)?;
            let host = gh_host.map_or_else(|| web_host(&api_url), str::to_owned);
            return Ok(Endpoint { api_url, host });
        }
        Ok(match gh_host {
            Some(host) if !host.eq_ignore_ascii_case("github.com") => Endpoint {
                api_url: format!("https://{host}/api/v3"),
                host: host.to_ascii_lowercase(),
            },
            _ => Endpoint::github(),
        })
    }

    /// github.com.
    pub fn github() -> Endpoint {
        Endpoint { api_url: GITHUB_API.to_owned(), host: "github.com".to_owned() }
    }
}

/// `GH_HOST` as a host name: the GitHub CLI wants `ghe.example.com`, but a scheme or a trailing
/// slash typed by habit is forgiven.
fn bare_host(text: &str) -> &str {
    let text = text.trim();
    let text =
        text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")).unwrap_or(text);
    text.trim_end_matches('/')
}

/// The URL without a trailing slash, when it has an `http`/`https` scheme and a host.
fn checked_url(url: &str) -> Result<String, BadEndpoint> {
    let bad = |why| BadEndpoint { url: url.to_owned(), why };
    let uri: http::Uri = url.trim().parse().map_err(|_| bad("it does not parse as a URL"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        Some(_) => return Err(bad("only http and https are spoken")),
        None => return Err(bad("it has no http:// or https:// in front")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(bad("it names no host"));
    }
    Ok(url.trim().trim_end_matches('/').to_owned())
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
        let endpoint = Endpoint::choose(None, Some("ghe.example.com")).unwrap();
        assert_eq!(endpoint.api_url, "https://ghe.example.com/api/v3");
        assert_eq!(endpoint.host, "ghe.example.com");
        assert_eq!(Endpoint::choose(None, Some("github.com")).unwrap(), Endpoint::github());
        let typed = Endpoint::choose(None, Some("https://ghe.example.com/")).unwrap();
        assert_eq!(typed.api_url, "https://ghe.example.com/api/v3", "the scheme is not doubled");
    }

    #[test]
    fn api_url_wins_and_its_host_matches_remotes() {
        let endpoint =
            Endpoint::choose(Some("http://127.0.0.1:4321/"), Some("ghe.example.com")).unwrap();
        assert_eq!(endpoint.api_url, "http://127.0.0.1:4321");
        assert_eq!(endpoint.host, "ghe.example.com");
        let endpoint = Endpoint::choose(Some("https://api.github.com"), None).unwrap();
        assert_eq!(endpoint.host, "github.com");
        let enterprise = Endpoint::choose(Some("https://ghe.corp/api/v3"), None).unwrap();
        assert_eq!(enterprise.host, "ghe.corp");
    }

    #[test]
    fn an_api_url_without_scheme_or_host_is_refused_with_an_example() {
        for (url, why) in [
            ("127.0.0.1:9", "no http:// or https://"),
            ("notaurl", "no http:// or https://"),
            ("ftp://127.0.0.1:9", "only http and https"),
            ("http://", "does not parse"),
            ("https://ghe corp/api", "does not parse"),
        ] {
            let error = Endpoint::choose(Some(url), None).expect_err(url).to_string();
            assert!(error.contains(&format!("`{url}`")) && error.contains(why), "{url}: {error}");
            assert!(error.contains("https://HOST/api/v3"), "{error}");
        }
    }
}
