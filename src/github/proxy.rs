//! Reaching a server through the proxy the environment names (`HTTPS_PROXY`, `HTTP_PROXY`,
//! `ALL_PROXY`, less what `NO_PROXY` lists, read as curl reads them): an https:// server through
//! a CONNECT tunnel, an http:// one by handing the proxy each request in absolute form. Owns the
//! TCP connection only; TLS over it is `transport.rs`'s.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Opens TCP connections, directly or through the proxy the environment names.
#[derive(Clone)]
pub struct ProxyConnector {
    direct: HttpConnector,
    proxies: Arc<Matcher>,
}

impl std::fmt::Debug for ProxyConnector {
    /// Without the proxy's address, which may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProxyConnector")
    }
}

impl ProxyConnector {
    /// A connector that asks `proxies` which proxy, if any, each server is reached through.
    pub fn new(proxies: Arc<Matcher>) -> ProxyConnector {
        let mut direct = HttpConnector::new();
        // https:// servers get TLS from the layer above; this one opens TCP for both schemes.
        direct.enforce_http(false);
        direct.set_nodelay(true);
        ProxyConnector { direct, proxies }
    }
}

/// An open connection, and whether it goes to a proxy that forwards each request (which then
/// must name its whole URL).
#[derive(Debug)]
pub struct ProxyStream {
    io: TokioIo<TcpStream>,
    forwarded: bool,
}

impl Service<Uri> for ProxyConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<ProxyStream, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, target: Uri) -> Self::Future {
        let mut direct = self.direct.clone();
        let Some(proxy) = self.proxies.intercept(&target) else {
            return Box::pin(async move {
                Ok(ProxyStream { io: direct.call(target).await?, forwarded: false })
            });
        };
        let through = proxy.uri().clone();
        if through.scheme_str() != Some("http") {
            let scheme = through.scheme_str().unwrap_or("?").to_owned();
            // No "://" here: connection errors are shown with URL-like words taken out.
            let refused = format!("{scheme} proxies are not supported; name an http proxy");
            return Box::pin(std::future::ready(Err(refused.into())));
        }
        // Named in errors, so that a proxy that is down is not taken for the server behind it.
        let via = format!("through the proxy {} (from the proxy variables)", authority(&through));
        let blame = move |error: BoxError| -> BoxError { format!("{via}: {error}").into() };
        if target.scheme_str() == Some("https") {
            let mut tunnel = Tunnel::new(through, direct);
            if let Some(credentials) = proxy.basic_auth() {
                tunnel = tunnel.with_auth(credentials.clone());
            }
            return Box::pin(async move {
                let io = tunnel.call(target).await.map_err(|error| blame(error.into()))?;
                Ok(ProxyStream { io, forwarded: false })
            });
        }
        // The proxy's credentials, if any, go on each request (`transport.rs`).
        Box::pin(async move {
            let io = direct.call(through).await.map_err(|error| blame(error.into()))?;
            Ok(ProxyStream { io, forwarded: true })
        })
    }
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.forwarded)
    }
}

impl Read for ProxyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl Write for ProxyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}

/// `host:port` of a proxy URI, without its credentials.
fn authority(uri: &Uri) -> String {
    let host = uri.host().unwrap_or("?");
    uri.port_u16().map_or_else(|| host.to_owned(), |port| format!("{host}:{port}"))
}
