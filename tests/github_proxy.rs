//! The binary behind a proxy and with a CA bundle, as Enterprise users run it: requests to an
//! http:// server go to `HTTP_PROXY` in absolute form, an https:// server is reached through a
//! CONNECT tunnel of `HTTPS_PROXY`, `NO_PROXY` sends them straight, and a CA bundle that cannot
//! be used is one line naming the file while a usable one is trusted. The proxy is a small one
//! on loopback that keeps the first request line of each connection; the https server is a TLS
//! front on loopback, its certificate signed by a test CA (`tests/fixtures/tls`: `ca.pem`, and
//! `server.pem` for 127.0.0.1 with its key, made once with openssl and valid until 2126), in
//! front of the fake GitHub.

use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const REPO: &str = "octo-org/widgets";

/// The request lines the proxy was sent, one per connection.
type Seen = Arc<Mutex<Vec<String>>>;

/// A proxy on loopback: forwards absolute-form requests (rewritten to origin form) and opens
/// CONNECT tunnels.
async fn proxy() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let kept = seen.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(relay(client, kept.clone()));
        }
    });
    (url, seen)
}

async fn relay(mut client: TcpStream, seen: Seen) {
    let mut head = Vec::new();
    let mut buffer = [0_u8; 4096];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        match client.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => head.extend_from_slice(&buffer[..read]),
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let line = text.lines().next().unwrap_or_default().to_owned();
    seen.lock().unwrap().push(line.clone());
    let credentials =
        text.lines().find(|line| line.to_ascii_lowercase().starts_with("proxy-authorization:"));
    if let Some(credentials) = credentials {
        seen.lock().unwrap().push(credentials.to_ascii_lowercase());
    }
    let mut words = line.split(' ');
    let (verb, target) = (words.next().unwrap_or_default(), words.next().unwrap_or_default());
    if verb == "CONNECT" {
        let Ok(mut server) = TcpStream::connect(target).await else { return };
        let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await;
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
        return;
    }
    let rest = target.trim_start_matches("http://");
    let (authority, _) = rest.split_once('/').unwrap_or((rest, ""));
    let Ok(mut server) = TcpStream::connect(authority).await else { return };
    let origin_form = text.replacen(&format!("http://{authority}"), "", 1);
    let _ = server.write_all(origin_form.as_bytes()).await;
    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
}

/// The test CA's certificate: what a company CA bundle would hold.
const TEST_CA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls/ca.pem");

/// An https server on loopback in front of `api`: TLS with the test CA's server certificate
/// for 127.0.0.1, then the bytes passed on to the plain-HTTP fake. Its `https://` URL.
async fn tls_front(api: &MockServer) -> String {
    use rustls_pki_types::pem::PemObject as _;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let fixture = |name: &str| format!("{}/tests/fixtures/tls/{name}", env!("CARGO_MANIFEST_DIR"));
    let chain = CertificateDer::pem_file_iter(fixture("server.pem"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(fixture("server.key")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let behind = *api.address();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(client).await else { return };
                let Ok(mut server) = TcpStream::connect(behind).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
            });
        }
    });
    url
}

/// A fake GitHub with an empty run list.
async fn github() -> MockServer {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/repos/{REPO}/actions/runs")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": 0, "workflow_runs": []})),
        )
        .mount(&api)
        .await;
    api
}

/// `gha-triage runs` against `api_url` with the environment `env` (every proxy variable
/// cleared first).
async fn runs(api_url: &str, env: &[(&str, &str)], extra: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_gha-triage"));
    command
        .args(["runs", "--repo", REPO, "--api-url", api_url, "--no-user-rules"])
        .args(extra)
        .env("GH_TOKEN", "ghp_FAKE_proxy_token")
        .env("GHA_TRIAGE_CONFIG_DIR", home.path())
        .env("GHA_TRIAGE_CACHE_DIR", home.path().join("cache"));
    for name in ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "GHA_TRIAGE_CA_BUNDLE"] {
        command.env_remove(name).env_remove(name.to_ascii_lowercase());
    }
    for name in ["GITHUB_TOKEN", "GH_HOST", "GITHUB_ACTIONS", "REQUEST_METHOD"] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_proxy_set_requests_to_an_http_server_go_through_it_in_absolute_form() {
    let (proxy, seen) = proxy().await;
    let api = github().await;

    let env = [("HTTP_PROXY", proxy.as_str()), ("HTTPS_PROXY", proxy.as_str())];
    let output = runs(&api.uri(), &env, &[]).await;

    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let lines = seen.lock().unwrap().clone();
    let expected = format!("GET {}/repos/{REPO}/actions/runs", api.uri());
    assert!(lines.iter().any(|line| line.starts_with(&expected)), "{lines:?}");
    assert_eq!(api.received_requests().await.unwrap().len(), 1, "GitHub got it through the proxy");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_credentials_in_the_proxy_s_address_are_sent_to_the_proxy() {
    let (proxy, seen) = proxy().await;
    let api = github().await;
    let with_credentials = proxy.replacen("http://", "http://corp-user:s3cret@", 1);

    let output = runs(&api.uri(), &[("HTTP_PROXY", with_credentials.as_str())], &[]).await;

    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let lines = seen.lock().unwrap().clone();
    // corp-user:s3cret in base64.
    let expected = "proxy-authorization: basic y29ycc11c2vyonmzy3jlda==";
    assert!(lines.iter().any(|line| line == expected), "{lines:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn no_proxy_sends_requests_for_the_hosts_it_lists_straight_to_them() {
    let (proxy, seen) = proxy().await;
    let api = github().await;

    let env = [("HTTP_PROXY", proxy.as_str()), ("NO_PROXY", "localhost,127.0.0.1")];
    let output = runs(&api.uri(), &env, &[]).await;

    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(seen.lock().unwrap().is_empty(), "{:?}", seen.lock().unwrap());
    assert_eq!(api.received_requests().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_https_server_is_reached_through_a_connect_tunnel_of_the_proxy() {
    let (proxy, seen) = proxy().await;
    let api = github().await;
    let https = tls_front(&api).await;
    let address = https.trim_start_matches("https://").to_owned();

    let output = runs(&https, &[("HTTPS_PROXY", proxy.as_str())], &["--ca-bundle", TEST_CA]).await;

    assert!(output.status.success(), "{}", text(&output.stderr));
    let lines = seen.lock().unwrap().clone();
    assert!(lines.iter().any(|line| line == &format!("CONNECT {address} HTTP/1.1")), "{lines:?}");
    assert_eq!(api.received_requests().await.unwrap().len(), 1, "the run list, through TLS");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_signed_by_a_company_ca_is_trusted_with_its_bundle_and_refused_without() {
    let api = github().await;
    let https = tls_front(&api).await;

    let untrusted = runs(&https, &[], &[]).await;
    let trusted = runs(&https, &[("GHA_TRIAGE_CA_BUNDLE", TEST_CA)], &[]).await;

    assert_eq!(untrusted.status.code(), Some(2));
    let stderr = text(&untrusted.stderr).to_ascii_lowercase();
    assert!(stderr.contains("certificate"), "the refusal names the certificate: {stderr}");
    assert!(trusted.status.success(), "{}", text(&trusted.stderr));
    assert_eq!(api.received_requests().await.unwrap().len(), 1, "only the trusted one got through");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ca_bundle_that_cannot_be_read_is_one_line_naming_the_file_before_any_request() {
    let api = github().await;
    let missing = "/nonexistent/corporate-ca.pem";

    let output = runs(&api.uri(), &[], &["--ca-bundle", missing]).await;

    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains(missing) && stderr.contains("CA bundle"), "{stderr}");
    assert!(api.received_requests().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ca_bundle_from_the_environment_without_a_certificate_is_refused() {
    let api = github().await;
    let folder = tempfile::tempdir().unwrap();
    let bundle = folder.path().join("ca.pem");
    std::fs::write(&bundle, "not a certificate\n").unwrap();
    let bundle = bundle.to_string_lossy().into_owned();

    let output = runs(&api.uri(), &[("GHA_TRIAGE_CA_BUNDLE", bundle.as_str())], &[]).await;

    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(stderr.contains(&bundle) && stderr.contains("no PEM certificate"), "{stderr}");
}

#[tokio::test]
async fn a_proxy_that_is_down_is_named_not_taken_for_the_server_behind_it() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);

    let output =
        runs("https://github.invalid/api/v3", &[("HTTPS_PROXY", proxy.as_str())], &[]).await;

    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    let named = format!("through the proxy {}", proxy.trim_start_matches("http://"));
    assert!(stderr.contains(&named), "{stderr}");
}
