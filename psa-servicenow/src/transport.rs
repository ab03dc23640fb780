//! TEMPORARY: a minimal transport until `psa_core::http` lands (the same
//! stop-gap as psa-halo's). Everything the client sends goes through
//! [`Transport::send`]; when the shared machinery exists this file becomes a
//! thin adapter over `psa_core::http::HttpClient` and nothing else changes.
//!
//! It already keeps the rules that matter: no cookie store (ServiceNow
//! serialises the requests of one session), no redirects, connect and
//! per-attempt timeouts, a single-flight token cache (a 401 refreshes once
//! and replays once), retries of idempotent requests only (on 429 with
//! `Retry-After`, 502, 503, 504), and errors that keep status, headers and
//! the parsed ServiceNow error body without any credential.

use std::time::{Duration, Instant};

use http::{HeaderMap, StatusCode};
use psa_core::{Error, ErrorKind, Result, Vendor};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;
use url::Url;

use crate::auth::Auth;
use crate::client::{Request, Response};
use crate::error::parse_error_body;

/// Connect timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Timeout of one attempt.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
/// A token is renewed this long before it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);

/// Retry settings.
#[derive(Debug, Clone)]
pub(crate) struct TransportOptions {
    pub(crate) max_retries: u32,
    pub(crate) max_retry_after: Duration,
    pub(crate) backoff: Duration,
}

impl Default for TransportOptions {
    fn default() -> Self {
        TransportOptions {
            max_retries: 3,
            max_retry_after: Duration::from_secs(60),
            backoff: Duration::from_millis(200),
        }
    }
}

#[derive(Default)]
struct TokenState {
    access: Option<(SecretString, Instant)>,
    refresh: Option<SecretString>,
}

/// What the instance's `X-RateLimit-*` headers taught: the rule's limit per
/// window, when the window resets (UNIX seconds), and how many requests this
/// client made in it. ServiceNow sends no "remaining" count, so the client
/// counts its own requests; other clients of the same user share the budget,
/// and a 429 with `Retry-After` covers what the count cannot see.
#[derive(Debug, Default)]
struct RateState {
    limit: Option<u64>,
    reset: u64,
    used: u64,
}

pub(crate) struct Transport {
    http: reqwest::Client,
    auth: Auth,
    token_url: Url,
    token: Mutex<TokenState>,
    rate: std::sync::Mutex<RateState>,
    options: TransportOptions,
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    }
}

/// Checks an instance URL: https (plain http only on loopback, for tests),
/// no credentials, no query or fragment. The result ends with `/`.
pub(crate) fn validate_base(s: &str) -> Result<Url> {
    let mut url = Url::parse(s.trim())
        .map_err(|e| Error::config(format!("instance URL {s:?} is not a URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        other => {
            return Err(Error::config(format!(
                "instance URL must be https (plain http only on loopback), got {other}"
            )));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config("instance URL must not carry credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(
            "instance URL must not have a query or fragment",
        ));
    }
    if url.host().is_none() {
        return Err(Error::config("instance URL has no host"));
    }
    if !url.path().ends_with('/') {
        let p = format!("{}/", url.path());
        url.set_path(&p);
    }
    Ok(url)
}

fn transport_error(e: &reqwest::Error) -> ErrorKind {
    if e.is_timeout() {
        ErrorKind::Timeout
    } else if e.is_connect() {
        ErrorKind::Connect
    } else {
        ErrorKind::Transport
    }
}

fn kind_of(status: StatusCode) -> ErrorKind {
    match status.as_u16() {
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        _ => ErrorKind::Api,
    }
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate_parse(v)?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

fn httpdate_parse(v: &str) -> Option<std::time::SystemTime> {
    chrono::DateTime::parse_from_rfc2822(v)
        .ok()
        .map(|t| std::time::SystemTime::from(t.to_utc()))
}

fn http_error(status: StatusCode, headers: &HeaderMap, body: &[u8], what: &str) -> Error {
    let api = parse_error_body(body);
    let message = match api.as_ref().and_then(|a| a.message.clone()) {
        Some(m) => format!("{what}: {m}"),
        None => what.to_owned(),
    };
    let mut e = Error::new(kind_of(status), message)
        .with_vendor(Vendor::ServiceNow)
        .with_http(status, headers, body);
    if let Some(a) = api {
        e = e.with_api_body(a);
    }
    if let Some(after) = retry_after(headers) {
        e = e.with_retry_after(after);
    }
    e
}

impl Transport {
    pub(crate) fn new(base: &Url, auth: Auth, options: TransportOptions) -> Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(ATTEMPT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::config("could not build the HTTP client").with_source(e))?;
        let token_url = base
            .join("oauth_token.do")
            .map_err(|e| Error::config(format!("token URL: {e}")))?;
        Ok(Transport {
            http,
            auth,
            token_url,
            token: Mutex::new(TokenState::default()),
            rate: std::sync::Mutex::new(RateState::default()),
            options,
        })
    }

    fn rate_state(&self) -> std::sync::MutexGuard<'_, RateState> {
        self.rate
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Learns from an answer's `X-RateLimit-Limit` / `X-RateLimit-Reset`.
    fn observe(&self, headers: &HeaderMap) {
        let (Some(limit), Some(reset)) = (
            header_u64(headers, "x-ratelimit-limit"),
            header_u64(headers, "x-ratelimit-reset"),
        ) else {
            return;
        };
        let mut r = self.rate_state();
        if r.reset != reset {
            r.reset = reset;
            r.used = 0;
        }
        r.limit = Some(limit);
        r.used += 1;
    }

    /// Waits for the window to reset when this client has used the learned
    /// limit; a wait longer than the retry cap is a `RateLimited` error.
    async fn pace(&self) -> Result<()> {
        let wait = {
            let mut r = self.rate_state();
            let now = unix_now();
            match r.limit {
                Some(limit) if r.used >= limit && now <= r.reset => {
                    // The reset is in whole seconds: wait one more.
                    Some(Duration::from_secs(r.reset - now + 1))
                }
                Some(_) if now > r.reset => {
                    r.used = 0;
                    None
                }
                _ => None,
            }
        };
        match wait {
            None => Ok(()),
            Some(w) if w <= self.options.max_retry_after => {
                tokio::time::sleep(w).await;
                let mut r = self.rate_state();
                if unix_now() > r.reset {
                    r.used = 0;
                }
                Ok(())
            }
            Some(w) => Err(Error::new(
                ErrorKind::RateLimited,
                "the instance's rate-limit rule is used up for this window",
            )
            .with_vendor(Vendor::ServiceNow)
            .with_retry_after(w)),
        }
    }

    pub(crate) fn auth_kind(&self) -> &'static str {
        self.auth.kind()
    }

    async fn grant(
        &self,
        form: &[(&str, &str)],
    ) -> Result<(SecretString, Instant, Option<SecretString>)> {
        #[derive(serde::Deserialize)]
        struct TokenResponse {
            access_token: String,
            #[serde(default)]
            refresh_token: Option<String>,
            #[serde(default)]
            expires_in: Option<u64>,
        }
        let r = self
            .http
            .post(self.token_url.clone())
            .form(form)
            .send()
            .await
            .map_err(|e| {
                Error::new(
                    transport_error(&e),
                    "token request to /oauth_token.do failed",
                )
                .with_vendor(Vendor::ServiceNow)
                .with_source(e)
            })?;
        let status = r.status();
        let headers = r.headers().clone();
        let body = r.bytes().await.map_err(|e| {
            Error::new(ErrorKind::Transport, "reading the token response")
                .with_vendor(Vendor::ServiceNow)
                .with_source(e)
        })?;
        if !status.is_success() {
            let mut e = http_error(status, &headers, &body, "token request refused");
            if status.is_client_error() {
                e = Error::new(ErrorKind::Unauthorized, e.message().to_owned())
                    .with_vendor(Vendor::ServiceNow)
                    .with_http(status, &headers, &body);
                if let Some(a) = parse_error_body(&body) {
                    e = e.with_api_body(a);
                }
            }
            return Err(e);
        }
        let de = &mut serde_json::Deserializer::from_slice(&body);
        let t: TokenResponse = serde_path_to_error::deserialize(de).map_err(|e| {
            // The body holds a token: never keep it in the error.
            Error::new(
                ErrorKind::Decode,
                format!("token response at `{}` is not as expected", e.path()),
            )
            .with_vendor(Vendor::ServiceNow)
        })?;
        let lifetime = Duration::from_secs(t.expires_in.unwrap_or(1800));
        let expires = Instant::now() + lifetime.saturating_sub(TOKEN_MARGIN.min(lifetime / 2));
        Ok((
            SecretString::from(t.access_token),
            expires,
            t.refresh_token.map(SecretString::from),
        ))
    }

    /// The cached access token, or a new one (single-flight: the lock is
    /// held while one request fetches it). `rejected` is a token a 401 refused.
    async fn bearer(&self, rejected: Option<&str>) -> Result<SecretString> {
        let mut state = self.token.lock().await;
        if let Some((tok, exp)) = &state.access {
            let refused = rejected.is_some_and(|s| s == tok.expose_secret());
            if !refused && *exp > Instant::now() {
                return Ok(tok.clone());
            }
        }
        state.access = None;
        let (access, expires, refresh) = match &self.auth {
            Auth::ClientCredentials {
                client_id,
                client_secret,
            } => {
                self.grant(&[
                    ("grant_type", "client_credentials"),
                    ("client_id", client_id),
                    ("client_secret", client_secret.expose_secret()),
                ])
                .await?
            }
            Auth::Password {
                client_id,
                client_secret,
                username,
                password,
            } => {
                let by_refresh = match state.refresh.clone() {
                    Some(r) => self
                        .grant(&[
                            ("grant_type", "refresh_token"),
                            ("client_id", client_id),
                            ("client_secret", client_secret.expose_secret()),
                            ("refresh_token", r.expose_secret()),
                        ])
                        .await
                        .ok()
                        .map(|(a, e, new_r)| (a, e, new_r.or(Some(r)))),
                    None => None,
                };
                match by_refresh {
                    Some(t) => t,
                    None => {
                        self.grant(&[
                            ("grant_type", "password"),
                            ("client_id", client_id),
                            ("client_secret", client_secret.expose_secret()),
                            ("username", username),
                            ("password", password.expose_secret()),
                        ])
                        .await?
                    }
                }
            }
            Auth::Basic { .. } => {
                return Err(Error::config("Basic auth has no token"));
            }
        };
        state.access = Some((access.clone(), expires));
        if refresh.is_some() {
            state.refresh = refresh;
        }
        Ok(access)
    }

    pub(crate) async fn send(&self, base: &Url, req: Request) -> Result<Response> {
        let mut url = base
            .join(req.path.trim_start_matches('/'))
            .map_err(|e| Error::invalid_input(format!("request path {:?}: {e}", req.path)))?;
        if !req.query.is_empty() {
            url.query_pairs_mut().extend_pairs(req.query.iter());
        }
        let what = format!("{} {}", req.method, req.path);
        let mut attempt = 0u32;
        let mut refused: Option<String> = None;
        let mut replayed = false;
        loop {
            self.pace().await?;
            let mut rb = self
                .http
                .request(req.method.clone(), url.clone())
                .header(http::header::ACCEPT, "application/json");
            let token = if let Auth::Basic { username, password } = &self.auth {
                rb = rb.basic_auth(username, Some(password.expose_secret()));
                None
            } else {
                let t = self.bearer(refused.as_deref()).await?;
                rb = rb.bearer_auth(t.expose_secret());
                Some(t)
            };
            if let Some(b) = &req.body {
                rb = rb.json(b);
            }
            let result = rb.send().await;
            let r = match result {
                Ok(r) => r,
                Err(e) => {
                    let kind = transport_error(&e);
                    let safe = req.idempotent || kind == ErrorKind::Connect;
                    if safe && attempt < self.options.max_retries {
                        attempt += 1;
                        tokio::time::sleep(self.options.backoff * attempt).await;
                        continue;
                    }
                    let kind = if safe {
                        kind
                    } else {
                        ErrorKind::AmbiguousWrite
                    };
                    return Err(Error::new(kind, format!("{what} failed"))
                        .with_vendor(Vendor::ServiceNow)
                        .with_source(e));
                }
            };
            let status = r.status();
            let headers = r.headers().clone();
            self.observe(&headers);
            let body = r.bytes().await.map_err(|e| {
                Error::new(
                    ErrorKind::Transport,
                    format!("reading the answer to {what}"),
                )
                .with_vendor(Vendor::ServiceNow)
                .with_source(e)
            })?;
            if status.is_success() {
                return Ok(Response::new(status, headers, body));
            }
            if status == StatusCode::UNAUTHORIZED && !replayed {
                if let Some(t) = token {
                    replayed = true;
                    refused = Some(t.expose_secret().to_owned());
                    continue;
                }
            }
            let transient = matches!(status.as_u16(), 429 | 502 | 503 | 504);
            let told = retry_after(&headers);
            // Retrying before the instance's Retry-After is pointless: past
            // the cap, the caller gets the answer now.
            let patient = told.is_none_or(|t| t <= self.options.max_retry_after);
            if transient && patient && req.idempotent && attempt < self.options.max_retries {
                let wait = told.unwrap_or(self.options.backoff * (attempt + 1));
                attempt += 1;
                tokio::time::sleep(wait).await;
                continue;
            }
            return Err(http_error(
                status,
                &headers,
                &body,
                &format!("{what} failed"),
            ));
        }
    }
}
