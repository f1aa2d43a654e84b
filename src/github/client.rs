//! The GitHub client: octocrab's raw requests over our own stack (`transport.rs`: proxies and a
//! CA bundle; no retry or redirect following of octocrab's) under our retry policy, rate-limit
//! waits through an injected clock, a timeout on every request, conditional requests through the
//! entity-tag store, and at most a few requests open at once (`slots.rs`). Owns how a request is
//! sent; JSON and paging are in `paging.rs`, endpoints in `actions.rs` and `logs.rs`.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use http_body_util::BodyExt as _;
use http_body_util::combinators::BoxBody;
use octocrab::Octocrab;
use octocrab::service::middleware::cache::CacheStorage;

use super::auth::Token;
use super::clock::Clock;
use super::error::GithubError;
use super::etags::{EtagStore, MemoryEtagStore, OctocrabEtags};
use super::ratelimit::{RateBudget, RateLimitHit, rate_limit_hit};
use super::retry::RetryPolicy;
use super::slots::Slots;
use super::transport::Transport;

/// A response whose body has not been read yet.
pub type RawResponse = http::Response<BoxBody<Bytes, octocrab::Error>>;

/// The most bytes read from an error answer's body.
const ERROR_BODY_CAP: usize = 64 << 10;

/// Which server a request goes to: the API (with the token) or a signed download URL
/// elsewhere (never with the token).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hop {
    /// The REST API at the configured base URL.
    Api,
    /// A signed URL on another host, asked without credentials.
    Download,
}

/// An answer of 400 or more that is neither retried nor a rate limit.
#[derive(Debug)]
pub struct Refusal {
    /// The status.
    pub status: u16,
    /// GitHub's `message`, or the start of the body, or the status's name.
    pub message: String,
    /// The body's first bytes.
    pub body: Bytes,
}

impl Refusal {
    /// The user-worded error for this refusal of `what`.
    pub fn into_error(self, what: &str) -> GithubError {
        let what = what.to_owned();
        match self.status {
            401 => GithubError::BadCredentials,
            403 if self.message.contains("Resource not accessible") => {
                GithubError::NotAccessible { what }
            }
            403 => GithubError::Forbidden { what, message: self.message },
            404 => GithubError::NotFound { what },
            status => GithubError::Status { status, what, message: self.message },
        }
    }
}

/// The client: two octocrab instances (the API with the token, downloads without it), the
/// retry policy and the clock waits go through.
pub struct GitHub {
    pub(super) api: Octocrab,
    download: Octocrab,
    api_url: String,
    pub(super) policy: RetryPolicy,
    pub(super) clock: Arc<dyn Clock>,
    budget: Mutex<Option<RateBudget>>,
    pub(super) on_rate_wait: Option<RateWaitNotice>,
    pub(super) slots: Slots,
    pub(super) waiting: Mutex<Option<jiff::Timestamp>>,
}

/// How a client is built besides its server and token.
#[derive(Clone, Debug)]
pub struct ClientSetup {
    /// Retries, timeouts and the longest rate-limit wait.
    pub policy: RetryPolicy,
    /// The clock waits go through.
    pub clock: Arc<dyn Clock>,
    /// Where entity tags and bodies are kept for conditional requests.
    pub etags: Arc<dyn EtagStore>,
    /// A PEM file of certificates to trust besides the system's.
    pub ca_bundle: Option<std::path::PathBuf>,
}

impl ClientSetup {
    /// `policy` and `clock`, with entity tags kept in memory.
    pub fn new(policy: RetryPolicy, clock: Arc<dyn Clock>) -> ClientSetup {
        let etags = Arc::new(MemoryEtagStore::default());
        ClientSetup { policy, clock, etags, ca_bundle: None }
    }
}

/// Told before each rate-limit wait: how long, and until when GitHub said.
#[derive(Clone)]
pub struct RateWaitNotice(pub Arc<dyn Fn(RateLimitHit) + Send + Sync>);

impl std::fmt::Debug for RateWaitNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RateWaitNotice")
    }
}

impl std::fmt::Debug for GitHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHub").field("api_url", &self.api_url).finish_non_exhaustive()
    }
}

impl GitHub {
    /// A client for the API at `api_url` with an in-memory entity-tag store. Must be called inside a
    /// Tokio runtime, which then carries the client's requests.
    pub fn new(
        api_url: &str,
        token: Option<&Token>,
        policy: RetryPolicy,
        clock: Arc<dyn Clock>,
    ) -> Result<GitHub, GithubError> {
        GitHub::build(api_url, token, ClientSetup::new(policy, clock))
    }

    /// A client for the API at `api_url`, built as `setup` says. Must be called inside a Tokio
    /// runtime, which then carries the client's requests.
    pub fn build(
        api_url: &str,
        token: Option<&Token>,
        setup: ClientSetup,
    ) -> Result<GitHub, GithubError> {
        let ClientSetup { policy, clock, etags, ca_bundle } = setup;
        let api_url = api_url.trim_end_matches('/').to_owned();
        let base: http::Uri = api_url.parse().map_err(|_| GithubError::BadUrl(api_url.clone()))?;
        if base.scheme().is_none() || base.host().is_none() {
            return Err(GithubError::BadUrl(api_url));
        }
        let transport = Transport::new(ca_bundle.as_deref())?;
        let etags: Arc<dyn CacheStorage> = Arc::new(OctocrabEtags::new(etags));
        let api = transport.octocrab(Some(base), token, Some(etags));
        let download = transport.octocrab(None, None, None);
        let budget = Mutex::new(None);
        let (slots, waiting) = (Slots::default(), Mutex::new(None));
        let on_rate_wait = None;
        Ok(GitHub { api, download, api_url, policy, clock, budget, on_rate_wait, slots, waiting })
    }

    /// Calls `notice` before each rate-limit wait (the command line says it is waiting).
    #[must_use]
    pub fn with_rate_wait_notice(mut self, notice: RateWaitNotice) -> GitHub {
        self.on_rate_wait = Some(notice);
        self
    }

    /// The policy in force.
    pub fn policy(&self) -> RetryPolicy {
        self.policy
    }

    /// The budget the last API answer reported.
    pub fn budget(&self) -> Option<RateBudget> {
        *self.budget.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The API's base URL.
    pub fn api_url(&self) -> &str {
        &self.api_url
    }

    /// Sends a GET, retrying 5xx answers and dropped connections and waiting out rate limits.
    /// Answers below 400 (redirects included) come back unread, holding one of the client's
    /// slots until their body is dropped; others as a [`Refusal`].
    pub async fn get(
        &self,
        hop: Hop,
        uri: &str,
        what: &str,
    ) -> Result<Result<RawResponse, Refusal>, GithubError> {
        let host = host_of(uri).unwrap_or_else(|| host_of(&self.api_url).unwrap_or_default());
        let (mut attempt, mut rate_waits) = (1, 0);
        loop {
            let crab = if hop == Hop::Api { &self.api } else { &self.download };
            let slot = self.slots.take().await;
            let sent = tokio::time::timeout(self.policy.timeout, crab._get(uri)).await;
            let failure = match sent {
                Err(_) => {
                    let (what, limit) = (what.to_owned(), self.policy.timeout);
                    return Err(GithubError::Timeout { host, what, limit });
                }
                Ok(Err(error)) => GithubError::Connection {
                    host: host.clone(),
                    detail: transport_detail(&error),
                    attempts: attempt,
                },
                Ok(Ok(response)) => {
                    // The query is left out: a signed download URL's is a credential.
                    let path = uri.split('?').next().unwrap_or_default();
                    tracing::debug!(status = response.status().as_u16(), path, attempt, "answer");
                    if hop == Hop::Api {
                        self.note_budget(response.headers());
                    }
                    if response.status().as_u16() < 400 {
                        return Ok(Ok(slot.ride(response)));
                    }
                    let (status, headers) = (response.status(), response.headers().clone());
                    let refusal = self.refusal(response).await;
                    if status.is_server_error() {
                        let what = what.to_owned();
                        GithubError::Server { status: status.as_u16(), what, attempts: attempt }
                    } else if hop == Hop::Api
                        && let Some(hit) = rate_limit_hit(
                            status.as_u16(),
                            &headers,
                            &refusal.message,
                            self.clock.now(),
                        )
                    {
                        let cap = self.policy.max_rate_wait;
                        if hit.wait > cap || rate_waits >= self.policy.rate_waits {
                            let (reset, wait) = (hit.reset, hit.wait);
                            return Err(GithubError::RateLimited { reset, wait, cap });
                        }
                        rate_waits += 1;
                        drop(slot);
                        self.wait_out(hit).await;
                        continue;
                    } else {
                        return Ok(Err(refusal));
                    }
                }
            };
            drop(slot);
            if attempt >= self.policy.attempts {
                return Err(failure);
            }
            attempt += 1;
            let wait = self.policy.backoff(attempt);
            tracing::info!(attempt, ?wait, error = %failure, "retrying");
            self.clock.sleep(wait).await;
        }
    }

    pub(super) fn note_budget(&self, headers: &HeaderMap) {
        if let Some(budget) = RateBudget::from_headers(headers) {
            *self.budget.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(budget);
        }
    }

    /// Reads an error answer's body (capped) and GitHub's message in it.
    pub(super) async fn refusal(&self, response: RawResponse) -> Refusal {
        let status = response.status();
        let mut body = response.into_body();
        let mut bytes = Vec::new();
        while bytes.len() < ERROR_BODY_CAP {
            let frame = tokio::time::timeout(self.policy.timeout, body.frame()).await;
            let Ok(Some(Ok(frame))) = frame else { break };
            if let Some(data) = frame.data_ref() {
                bytes.extend_from_slice(data);
            }
        }
        let body = Bytes::from(bytes);
        Refusal { status: status.as_u16(), message: message_of(status, &body), body }
    }
}

/// GitHub's `message` in a JSON error body, else the body's first line, else the status name.
fn message_of(status: StatusCode, body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        message: Option<String>,
    }
    if let Ok(ErrorBody { message: Some(message) }) = serde_json::from_slice(body) {
        return message;
    }
    let text = String::from_utf8_lossy(body);
    let line = text.lines().map(str::trim).find(|line| !line.is_empty());
    match line {
        Some(line) => line.chars().take(200).collect(),
        None => status.canonical_reason().unwrap_or("no reason given").to_owned(),
    }
}

/// The host of an absolute URL, without user, port, path or query.
pub fn host_of(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?']).next()?;
    Some(authority.rsplit('@').next()?.to_owned())
}

/// A network error's message without URLs (a signed URL's query must not be shown).
pub(super) fn transport_detail(error: &octocrab::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        let text = inner.to_string();
        if !parts.last().is_some_and(|last| last.contains(&text)) {
            parts.push(text);
        }
        source = inner.source();
    }
    let detail = parts.join(": ");
    detail.split_whitespace().filter(|w| !w.contains("://")).collect::<Vec<_>>().join(" ")
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_names_are_percent_encoded() {
        assert_eq!(encode("feature/a b+c"), "feature%2Fa%20b%2Bc");
    }

    #[test]
    fn a_json_error_body_gives_its_message() {
        let body = br#"{"message":"Bad credentials","documentation_url":"x"}"#;
        assert_eq!(message_of(StatusCode::UNAUTHORIZED, body), "Bad credentials");
        assert_eq!(message_of(StatusCode::GONE, b""), "Gone");
    }
}
