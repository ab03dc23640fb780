//! The streamable HTTP transport: rmcp's [`StreamableHttpService`] behind a
//! bearer-token check, served by hyper.
//!
//! - It listens on loopback (`127.0.0.1:8080`) by default. Bound to any
//!   other address it **requires** a bearer token
//!   ([`HttpOptions::validate`]): every request must carry
//!   `Authorization: Bearer <token>` (compared in constant time), or gets
//!   `401` with `WWW-Authenticate: Bearer`.
//! - rmcp checks the `Host` header against loopback names by default (DNS
//!   rebinding protection); off loopback, set `allowed_hosts` to the names
//!   clients use (without a list the host check is off and the token alone
//!   guards).
//! - The endpoint is one path (`/mcp` by default); anything else is `404`.

use std::convert::Infallible;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use psa_core::{Error, ErrorKind, Result};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::server::McpServer;

/// How the HTTP transport listens.
#[derive(Clone)]
#[non_exhaustive]
pub struct HttpOptions {
    /// The address (default `127.0.0.1:8080`; port 0 picks a free one).
    pub bind: SocketAddr,
    /// The bearer token clients must send (required off loopback).
    pub token: Option<SecretString>,
    /// `Host` names accepted; `None`: loopback names on loopback, any host
    /// elsewhere (the token guards).
    pub allowed_hosts: Option<Vec<String>>,
    /// The endpoint's path (default `/mcp`).
    pub path: String,
    /// The largest request body, in bytes (default 4 MiB); larger ones get `413`.
    pub max_body_bytes: usize,
}

impl fmt::Debug for HttpOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpOptions")
            .field("bind", &self.bind)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("allowed_hosts", &self.allowed_hosts)
            .field("path", &self.path)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish()
    }
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
            token: None,
            allowed_hosts: None,
            path: "/mcp".to_owned(),
            max_body_bytes: 4 * 1024 * 1024,
        }
    }
}

impl HttpOptions {
    /// Options for `bind`, otherwise the defaults.
    pub fn bind(bind: SocketAddr) -> Self {
        HttpOptions {
            bind,
            ..HttpOptions::default()
        }
    }

    /// Requires `Authorization: Bearer <token>`.
    #[must_use]
    pub fn token(mut self, token: SecretString) -> Self {
        self.token = Some(token);
        self
    }

    /// Accepts these `Host` names.
    #[must_use]
    pub fn allowed_hosts(mut self, hosts: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.allowed_hosts = Some(hosts.into_iter().map(Into::into).collect());
        self
    }

    /// Refuses a non-loopback address without a token, an empty token, and
    /// a path that does not start with `/`.
    pub fn validate(&self) -> Result<()> {
        if !self.bind.ip().is_loopback() && self.token.is_none() {
            return Err(Error::config(format!(
                "http: listening on {} (not loopback) needs a bearer token: set http.token = {{ env = \"NAME\" }} or {{ file = \"PATH\" }}",
                self.bind
            )));
        }
        if self
            .token
            .as_ref()
            .is_some_and(|t| t.expose_secret().trim().len() < 16)
        {
            return Err(Error::config("http.token must be at least 16 characters"));
        }
        if !self.path.starts_with('/') {
            return Err(Error::config("http.path must start with `/`"));
        }
        Ok(())
    }
}

/// A running HTTP transport.
#[derive(Debug)]
pub struct HttpServer {
    local_addr: SocketAddr,
    path: String,
    cancel: CancellationToken,
    task: JoinHandle<()>,
}

type Body = BoxBody<Bytes, Infallible>;

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut r = Response::new(Full::new(Bytes::from_static(text.as_bytes())).boxed());
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn authorized(req: &Request<Incoming>, token: Option<&SecretString>) -> bool {
    let Some(token) = token else {
        return true;
    };
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return false;
    };
    let Some(given) = value.as_bytes().strip_prefix(b"Bearer ") else {
        return false;
    };
    given.ct_eq(token.expose_secret().as_bytes()).into()
}

impl HttpServer {
    /// Binds `options.bind` and serves `server` until [`shutdown`](Self::shutdown).
    pub async fn start(server: McpServer, options: HttpOptions) -> Result<HttpServer> {
        options.validate()?;
        let listener = TcpListener::bind(options.bind).await.map_err(|e| {
            Error::new(
                ErrorKind::Config,
                format!("http: cannot listen on {}", options.bind),
            )
            .with_source(e)
        })?;
        let local_addr = listener
            .local_addr()
            .map_err(|e| Error::new(ErrorKind::Config, "http: no local address").with_source(e))?;
        let cancel = CancellationToken::new();
        let mut config = StreamableHttpServerConfig::default()
            .with_cancellation_token(cancel.child_token())
            .with_max_request_body_bytes(options.max_body_bytes);
        match &options.allowed_hosts {
            Some(hosts) => config = config.with_allowed_hosts(hosts.clone()),
            None if !local_addr.ip().is_loopback() => config = config.disable_allowed_hosts(),
            None => {}
        }
        let service = StreamableHttpService::new(
            move || Ok(server.clone()),
            Arc::new(LocalSessionManager::default()),
            config,
        );
        let state = Arc::new((service, options.token.clone(), options.path.clone()));
        let stop = cancel.clone();
        let task = tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    () = stop.cancelled() => break,
                    a = listener.accept() => a,
                };
                let Ok((stream, _)) = accepted else {
                    continue;
                };
                let state = Arc::clone(&state);
                let conn_stop = stop.clone();
                tokio::spawn(async move {
                    let svc = hyper::service::service_fn(move |req: Request<Incoming>| {
                        let state = Arc::clone(&state);
                        async move {
                            let (service, token, path) = &*state;
                            if req.uri().path() != path {
                                return Ok::<_, Infallible>(plain(
                                    StatusCode::NOT_FOUND,
                                    "not found\n",
                                ));
                            }
                            if !authorized(&req, token.as_ref()) {
                                let mut r =
                                    plain(StatusCode::UNAUTHORIZED, "a bearer token is required\n");
                                r.headers_mut().insert(
                                    header::WWW_AUTHENTICATE,
                                    HeaderValue::from_static("Bearer"),
                                );
                                return Ok(r);
                            }
                            Ok(service.handle(req).await)
                        }
                    });
                    let builder =
                        hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
                    let conn = builder.serve_connection(TokioIo::new(stream), svc);
                    tokio::select! {
                        _ = conn => {}
                        () = conn_stop.cancelled() => {}
                    }
                });
            }
        });
        Ok(HttpServer {
            local_addr,
            path: options.path,
            cancel,
            task,
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The endpoint's URL (`http://127.0.0.1:8080/mcp`).
    pub fn url(&self) -> String {
        format!("http://{}{}", self.local_addr, self.path)
    }

    /// Stops accepting connections, ends open sessions and waits for the
    /// accept loop to finish.
    pub async fn shutdown(self) {
        self.cancel.cancel();
        let _ = self.task.await;
    }

    /// Serves until Ctrl-C (or SIGTERM on Unix), then shuts down.
    pub async fn run_until_signal(self) {
        shutdown_signal().await;
        self.shutdown().await;
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
