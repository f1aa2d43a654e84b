//! The client's HTTP stack, put together here so it can go through a proxy (`proxy.rs`) and
//! trust a custom CA bundle: hyper with rustls over the system's roots (which `SSL_CERT_FILE`
//! and `SSL_CERT_DIR` replace) plus the PEM certificates of `--ca-bundle`, under octocrab's own
//! layers for headers, the base URL, the token and conditional requests. Owns how octocrab is
//! assembled; how a request is sent is `client.rs`'s.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::{ACCEPT, HeaderName, HeaderValue, PROXY_AUTHORIZATION, USER_AGENT};
use http::{Request, Response, Uri};
use http_body_util::BodyExt as _;
use http_body_util::combinators::BoxBody;
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::proxy::matcher::Matcher;
use octocrab::service::middleware::auth_header::AuthHeaderLayer;
use octocrab::service::middleware::base_uri::BaseUriLayer;
use octocrab::service::middleware::cache::{CacheStorage, HttpCacheLayer};
use octocrab::service::middleware::extra_headers::ExtraHeadersLayer;
use octocrab::{AuthState, OctoBody, Octocrab, OctocrabBuilder};
use rustls::RootCertStore;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;
use tower_service::Service;

use super::auth::Token;
use super::error::GithubError;
use super::proxy::ProxyConnector;

type Connector = HttpsConnector<ProxyConnector>;

/// The base octocrab falls back on for a relative URL when none is given (downloads use
/// absolute URLs only).
const NO_BASE: &str = "https://api.github.com";

/// Connections for both of a client's hops: TLS roots and proxies read once.
#[derive(Clone, Debug)]
pub struct Transport {
    connector: Connector,
    proxies: Arc<Matcher>,
}

impl Transport {
    /// The system's roots plus the certificates of `ca_bundle`, and the environment's proxies.
    pub fn new(ca_bundle: Option<&Path>) -> Result<Transport, GithubError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| GithubError::Tls(error.to_string()))?
            .with_root_certificates(roots(ca_bundle)?)
            .with_no_client_auth();
        let proxies = Arc::new(Matcher::from_env());
        let connector = HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(ProxyConnector::new(proxies.clone()));
        Ok(Transport { connector, proxies })
    }

    /// Octocrab over this transport: relative URLs against `base`, the token only on requests
    /// to `base`'s host, and conditional requests through `etags` when given.
    pub fn octocrab(
        &self,
        base: Option<Uri>,
        token: Option<&Token>,
        etags: Option<Arc<dyn CacheStorage>>,
    ) -> Octocrab {
        let base = base.unwrap_or_else(|| Uri::from_static(NO_BASE));
        let auth = token.and_then(|token| bearer(token.expose()));
        let headers: Vec<(HeaderName, HeaderValue)> = vec![
            (
                USER_AGENT,
                HeaderValue::from_static(concat!("gha-triage/", env!("CARGO_PKG_VERSION"))),
            ),
            (ACCEPT, HeaderValue::from_static("application/vnd.github+json")),
        ];
        let client =
            Client::builder(hyper_util::rt::TokioExecutor::new()).build(self.connector.clone());
        let built = OctocrabBuilder::new_empty()
            .with_service(Leaf { client, proxies: self.proxies.clone() })
            .with_layer(&ExtraHeadersLayer::new(Arc::new(headers)))
            .with_layer(&BaseUriLayer::new(base.clone()))
            .with_layer(&AuthHeaderLayer::new(auth, base.clone(), base))
            .with_layer(&HttpCacheLayer::new(etags))
            .with_auth(AuthState::None)
            .build();
        match built {
            Ok(octocrab) => octocrab,
            Err(never) => match never {},
        }
    }
}

/// `Bearer TOKEN`, marked sensitive so it is never printed.
fn bearer(token: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// The system's roots (read once per process) and the certificates of `bundle`.
fn roots(bundle: Option<&Path>) -> Result<RootCertStore, GithubError> {
    let mut roots = RootCertStore::empty();
    let (added, ignored) = roots.add_parsable_certificates(system_roots().iter().cloned());
    tracing::debug!(added, ignored, "system certificates");
    let Some(path) = bundle else { return Ok(roots) };
    let bad = |detail: String| GithubError::CaBundle { path: path.to_owned(), detail };
    let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .map_err(|error| bad(pem_words(&error)))?
        .collect::<Result<_, _>>()
        .map_err(|error| bad(pem_words(&error)))?;
    if certificates.is_empty() {
        return Err(bad("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)".to_owned()));
    }
    for certificate in certificates {
        roots.add(certificate).map_err(|error| bad(error.to_string()))?;
    }
    Ok(roots)
}

fn system_roots() -> &'static [CertificateDer<'static>] {
    static ROOTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let found = rustls_native_certs::load_native_certs();
        for error in &found.errors {
            tracing::warn!(%error, "a system certificate was not read");
        }
        found.certs
    })
}

/// A PEM error in words (an unreadable file as the system says it).
fn pem_words(error: &rustls_pki_types::pem::Error) -> String {
    match error {
        rustls_pki_types::pem::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// The innermost service: hyper's client, its body errors as octocrab's, and the proxy's
/// credentials on a request an http:// proxy forwards.
#[derive(Clone)]
struct Leaf {
    client: Client<Connector, OctoBody>,
    proxies: Arc<Matcher>,
}

impl Service<Request<OctoBody>> for Leaf {
    type Response = Response<BoxBody<Bytes, octocrab::Error>>;
    type Error = hyper_util::client::legacy::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, mut request: Request<OctoBody>) -> Self::Future {
        let forwarded = request.uri().scheme_str() == Some("http");
        if forwarded
            && let Some(proxy) = self.proxies.intercept(request.uri())
            && let Some(credentials) = proxy.basic_auth()
        {
            request.headers_mut().insert(PROXY_AUTHORIZATION, credentials.clone());
        }
        let sent = self.client.request(request);
        Box::pin(async move {
            let response = sent.await?;
            Ok(response.map(|body| {
                body.map_err(|source| octocrab::Error::Hyper {
                    source,
                    backtrace: std::backtrace::Backtrace::capture(),
                })
                .boxed()
            }))
        })
    }
}
