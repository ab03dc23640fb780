//! [`HttpClient`]: one vendor base URL, its credentials, limits and retries.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, RETRY_AFTER};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument as _;
use tracing::field::Empty;
use url::Url;

use super::after;
use super::base_url::{check_relative_path, same_origin, validate_base_url};
use super::request::{DebugHeaders, Target};
use super::{
    ApiRequest, ApiResponse, Auth, AuthStamp, HttpConfig, NoAuth, RateLimiter, RetryBudget,
    Unlimited, parse_retry_after,
};
use crate::{ApiErrorBody, Error, ErrorKind, FieldError, Result, Vendor};

/// Turns a vendor's error body into an [`ApiErrorBody`] (message, code,
/// field errors); `None` when it does not parse (the raw text is kept anyway).
pub type ErrorParser =
    Arc<dyn Fn(StatusCode, &HeaderMap, &[u8]) -> Option<ApiErrorBody> + Send + Sync>;

/// Lets a vendor give a non-2xx response another [`ErrorKind`] than its
/// status says (Autotask reports its thread limit in a 500 body: that is
/// `RateLimited`). `None` keeps the default. A response classified
/// `RateLimited` is treated like a 429: refused unprocessed, so retried for
/// any method.
pub type Classifier = Arc<dyn Fn(StatusCode, &HeaderMap, &[u8]) -> Option<ErrorKind> + Send + Sync>;

/// The HTTP client every vendor crate builds on.
///
/// One base URL (validated by [`validate_base_url`]); credentials from an
/// [`Auth`], attached only to requests for that origin; a [`RateLimiter`];
/// a [`RetryPolicy`](super::RetryPolicy) and a [`RetryBudget`]; the vendor's
/// error-body parser. Cheap to clone (an `Arc` inside); clones share
/// everything. `Debug` shows the vendor and the base URL, never a secret.
///
/// What [`send`](Self::send) does, per attempt: acquire a rate-limit permit →
/// wait out a shared cooldown after a 429 → add credentials → send with the
/// attempt timeout (bounded by the call's deadline) → read the body (bounded
/// by the size limit) → release the permit → classify:
///
/// | response | result |
/// |---|---|
/// | 2xx | `Ok` |
/// | 401 | credentials renewed ([`Auth::on_unauthorized`]) and the request replayed once; then `Unauthorized` |
/// | 403 / 404 / 429 | `Forbidden` / `NotFound` / `RateLimited` (with `Retry-After`) |
/// | 3xx | `Api` (redirects are never followed) |
/// | other 4xx, 5xx | `Api` |
///
/// Transient failures (the policy's statuses, connection errors, attempt
/// timeouts) are retried for idempotent requests within the policy, the
/// budget and the deadline. A connect error or a 429 is retried for any
/// method; any other unknown outcome of a non-idempotent request is an
/// [`AmbiguousWrite`](ErrorKind::AmbiguousWrite), never re-sent.
///
/// Every error carries the vendor, the status, the headers (credentials
/// removed), the body and the vendor's parsed error body.
///
/// ```no_run
/// # async fn demo() -> psa_core::Result<()> {
/// use std::sync::Arc;
/// use std::time::Duration;
/// use psa_core::Vendor;
/// use psa_core::http::{ApiRequest, HttpClient, SlidingWindowLimiter, StaticHeaderAuth};
/// use secrecy::SecretString;
///
/// let client = HttpClient::builder(Vendor::ServiceNow, "https://acme.service-now.com/api/now/")
///     .auth(Arc::new(StaticHeaderAuth::basic("integration", SecretString::from("pw"))?))
///     .rate_limiter(Arc::new(SlidingWindowLimiter::new(100, Duration::from_secs(60))))
///     .build()?;
/// let page: serde_json::Value = client
///     .send_json(ApiRequest::get("table/incident").query("sysparm_limit", 100))
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    vendor: Vendor,
    base: Url,
    config: HttpConfig,
    http: reqwest::Client,
    auth: Arc<dyn Auth>,
    limiter: Arc<dyn RateLimiter>,
    budget: RetryBudget,
    error_parser: ErrorParser,
    classifier: Option<Classifier>,
    default_headers: HeaderMap,
    rate_key: Cow<'static, str>,
    cooldown: Cooldown,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &*self.inner;
        f.debug_struct("HttpClient")
            .field("vendor", &i.vendor)
            .field("base_url", &i.base.as_str())
            .field("auth", &i.auth)
            .field("rate_limiter", &i.limiter)
            .field("default_headers", &DebugHeaders(&i.default_headers))
            .finish_non_exhaustive()
    }
}

/// Builds an [`HttpClient`]; [`build`](Self::build) validates.
#[must_use]
pub struct HttpClientBuilder {
    vendor: Vendor,
    base_url: String,
    config: HttpConfig,
    auth: Arc<dyn Auth>,
    limiter: Arc<dyn RateLimiter>,
    budget: Option<RetryBudget>,
    error_parser: ErrorParser,
    classifier: Option<Classifier>,
    http: Option<reqwest::Client>,
    default_headers: HeaderMap,
    rate_key: Option<Cow<'static, str>>,
}

impl fmt::Debug for HttpClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClientBuilder")
            .field("vendor", &self.vendor)
            .field("config", &self.config)
            .field("auth", &self.auth)
            .field("rate_limiter", &self.limiter)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// Starts building a client for `vendor` at `base_url`.
    pub fn builder(vendor: Vendor, base_url: impl Into<String>) -> HttpClientBuilder {
        let mut default_headers = HeaderMap::new();
        default_headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        HttpClientBuilder {
            vendor,
            base_url: base_url.into(),
            config: HttpConfig::default(),
            auth: Arc::new(NoAuth),
            limiter: Arc::new(Unlimited),
            budget: None,
            error_parser: Arc::new(generic_error_parser),
            classifier: None,
            http: None,
            default_headers,
            rate_key: None,
        }
    }
}

impl HttpClientBuilder {
    /// Sets timeouts, retry policy, user agent and body limit.
    pub fn config(mut self, config: HttpConfig) -> Self {
        self.config = config;
        self
    }

    /// Sets the credentials (default: none).
    pub fn auth(mut self, auth: Arc<dyn Auth>) -> Self {
        self.auth = auth;
        self
    }

    /// Sets the rate limiter (default: [`Unlimited`]).
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limiter = limiter;
        self
    }

    /// Sets the retry budget; pass clones of one budget to every client of a
    /// tenant to share it (default: a budget of this client's own).
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Sets the vendor's error-body parser (default: [`generic_error_parser`]).
    pub fn error_parser(mut self, parser: ErrorParser) -> Self {
        self.error_parser = parser;
        self
    }

    /// Sets a hook that maps a non-2xx response to another [`ErrorKind`].
    pub fn classifier(mut self, classifier: Classifier) -> Self {
        self.classifier = Some(classifier);
        self
    }

    /// Uses this reqwest client (to share a connection pool). It must not
    /// follow redirects and should have no cookie store: build it with
    /// [`HttpConfig::build_reqwest_client`]. Per-attempt timeouts and the
    /// deadline are applied by the [`HttpClient`] either way.
    pub fn reqwest_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Adds a header sent with every request (ConnectWise's versioned
    /// `Accept`). `Accept: application/json` is there by default.
    pub fn default_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.default_headers.insert(name, value);
        self
    }

    /// Sets the rate-limit key of requests that name none (default: the
    /// vendor's name).
    pub fn rate_key(mut self, key: impl Into<Cow<'static, str>>) -> Self {
        self.rate_key = Some(key.into());
        self
    }

    /// Validates the base URL and the config, and builds the client.
    pub fn build(self) -> Result<HttpClient> {
        let base = validate_base_url(&self.base_url).map_err(|e| e.with_vendor(self.vendor))?;
        self.config
            .validate()
            .map_err(|e| e.with_vendor(self.vendor))?;
        let http = match self.http {
            Some(http) => http,
            None => self
                .config
                .build_reqwest_client()
                .map_err(|e| e.with_vendor(self.vendor))?,
        };
        Ok(HttpClient {
            inner: Arc::new(ClientInner {
                vendor: self.vendor,
                base,
                config: self.config,
                http,
                auth: self.auth,
                limiter: self.limiter,
                budget: self.budget.unwrap_or_default(),
                error_parser: self.error_parser,
                classifier: self.classifier,
                default_headers: self.default_headers,
                rate_key: self.rate_key.unwrap_or(Cow::Borrowed(self.vendor.as_str())),
                cooldown: Cooldown::new(),
            }),
        })
    }
}

/// A shared pause after a 429 with `Retry-After`: one atomic, no lock.
struct Cooldown {
    epoch: Instant,
    /// Nanoseconds after `epoch` until which requests wait; 0 for none.
    until: AtomicU64,
}

impl Cooldown {
    fn new() -> Self {
        Cooldown {
            epoch: Instant::now(),
            until: AtomicU64::new(0),
        }
    }

    fn until(&self) -> Option<Instant> {
        match self.until.load(Ordering::Relaxed) {
            0 => None,
            n => Some(self.epoch + Duration::from_nanos(n)),
        }
    }

    fn extend_to(&self, at: Instant) {
        let nanos = u64::try_from(at.saturating_duration_since(self.epoch).as_nanos())
            .unwrap_or(u64::MAX)
            .max(1);
        self.until.fetch_max(nanos, Ordering::Relaxed);
    }
}

/// How an attempt ended without a response.
#[derive(Debug)]
pub(crate) enum BodyOrTransport {
    Transport(reqwest::Error),
    TooLarge,
}

impl From<reqwest::Error> for BodyOrTransport {
    fn from(e: reqwest::Error) -> Self {
        BodyOrTransport::Transport(e)
    }
}

/// Reads a whole body, refusing more than `max` bytes (before reading, when
/// `Content-Length` says so).
pub(crate) async fn read_body_limited(
    mut resp: reqwest::Response,
    max: usize,
) -> std::result::Result<Bytes, BodyOrTransport> {
    let max64 = u64::try_from(max).unwrap_or(u64::MAX);
    if let Some(len) = resp.content_length() {
        if len > max64 {
            return Err(BodyOrTransport::TooLarge);
        }
        return Ok(resp.bytes().await?);
    }
    let Some(first) = resp.chunk().await? else {
        return Ok(Bytes::new());
    };
    if first.len() > max {
        return Err(BodyOrTransport::TooLarge);
    }
    let Some(second) = resp.chunk().await? else {
        return Ok(first);
    };
    let mut buf = BytesMut::with_capacity(first.len() + second.len());
    buf.extend_from_slice(&first);
    let mut next = Some(second);
    while let Some(chunk) = next {
        if buf.len() + chunk.len() > max {
            return Err(BodyOrTransport::TooLarge);
        }
        buf.extend_from_slice(&chunk);
        next = resp.chunk().await?;
    }
    Ok(buf.freeze())
}

/// The kind of a reqwest error, by inspection (never by its text).
pub(crate) fn transport_error(e: &reqwest::Error) -> ErrorKind {
    if e.is_connect() {
        ErrorKind::Connect
    } else if e.is_timeout() {
        ErrorKind::Timeout
    } else if e.is_builder() {
        ErrorKind::InvalidInput
    } else {
        ErrorKind::Transport
    }
}

/// The default kind of a non-2xx status.
fn kind_of(status: StatusCode) -> ErrorKind {
    match status {
        StatusCode::UNAUTHORIZED => ErrorKind::Unauthorized,
        StatusCode::FORBIDDEN => ErrorKind::Forbidden,
        StatusCode::NOT_FOUND => ErrorKind::NotFound,
        StatusCode::TOO_MANY_REQUESTS => ErrorKind::RateLimited,
        _ => ErrorKind::Api,
    }
}

/// A best-effort parser of the common JSON error shapes: `{"message",
/// "code", "errors": [...]}` (ConnectWise), `{"errors": ["…"]}` (Autotask),
/// `{"error": {"message", "detail"}}` (ServiceNow), `{"error",
/// "error_description"}` (OAuth). Anything else (HTML, empty, other JSON)
/// gives `None`, and the raw text stays on the error.
pub fn generic_error_parser(
    _status: StatusCode,
    _headers: &HeaderMap,
    body: &[u8],
) -> Option<ApiErrorBody> {
    use serde_json::Value;
    let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first != b'{' {
        return None;
    }
    let v: Value = serde_json::from_slice(body).ok()?;
    let obj = v.as_object()?;
    let text = |v: Option<&Value>| -> Option<String> {
        match v? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let mut message = text(obj.get("message")).or_else(|| text(obj.get("Message")));
    let mut code = text(obj.get("code"));
    let mut errors = Vec::new();
    match obj.get("error") {
        Some(Value::Object(e)) => {
            message = message.or_else(|| text(e.get("message")));
            if let Some(detail) = text(e.get("detail")) {
                errors.push(FieldError::new(None, None, detail));
            }
        }
        Some(Value::String(e)) => {
            message = message.or_else(|| text(obj.get("error_description")));
            code = code.or_else(|| Some(e.clone()));
            message = message.or_else(|| Some(e.clone()));
        }
        _ => {}
    }
    if let Some(Value::Array(list)) = obj.get("errors") {
        for item in list {
            match item {
                Value::String(s) => errors.push(FieldError::new(None, None, s.clone())),
                Value::Object(o) => errors.push(FieldError::new(
                    text(o.get("field")),
                    text(o.get("code")),
                    text(o.get("message")).unwrap_or_default(),
                )),
                _ => {}
            }
        }
    }
    if message.is_none() && errors.len() == 1 {
        message = Some(errors[0].message.clone());
    }
    (message.is_some() || code.is_some() || !errors.is_empty())
        .then(|| ApiErrorBody::new(message, code, errors))
}

/// What one attempt produced.
enum Attempt {
    Response(StatusCode, HeaderMap, Bytes),
    Transport(reqwest::Error),
    TooLarge(StatusCode, HeaderMap),
    TimedOut,
}

impl HttpClient {
    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        self.inner.vendor
    }

    /// The base URL (normalised: it ends with `/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The HTTP settings.
    pub fn config(&self) -> &HttpConfig {
        &self.inner.config
    }

    /// The reqwest client (its connection pool), to share with a
    /// [`TokenAuth`](super::TokenAuth) or another client.
    pub fn reqwest_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The retry budget (shared by the clones of this client).
    pub fn retry_budget(&self) -> &RetryBudget {
        &self.inner.budget
    }

    /// The credentials.
    pub fn auth(&self) -> &Arc<dyn Auth> {
        &self.inner.auth
    }

    /// The rate limiter.
    pub fn rate_limiter(&self) -> &Arc<dyn RateLimiter> {
        &self.inner.limiter
    }

    fn tag(&self, e: Error) -> Error {
        if e.vendor().is_some() {
            e
        } else {
            e.with_vendor(self.inner.vendor)
        }
    }

    /// The URL `request` goes to, with its query; no IO. Paths are checked
    /// (no `..`, `//`, backslashes, control characters, absolute URLs), and
    /// an absolute URL must be on the base URL's origin — otherwise
    /// `InvalidInput`, so that credentials are never sent elsewhere.
    pub fn resolve_url(&self, request: &ApiRequest) -> Result<Url> {
        let base = &self.inner.base;
        let mut url = match &request.target {
            Target::Path(path) => {
                let rel = check_relative_path(path).map_err(|e| self.tag(e))?;
                let url = base.join(rel).map_err(|e| {
                    self.tag(Error::invalid_input(format!("bad request path: {e}")))
                })?;
                if !url.as_str().starts_with(base.as_str()) || url.query().is_some() {
                    return Err(self.tag(Error::invalid_input(
                        "request path resolves outside the base URL",
                    )));
                }
                url
            }
            Target::Url(url) => {
                if !same_origin(base, url) {
                    return Err(self.tag(Error::invalid_input(format!(
                        "URL on host `{}` is not on the client's origin; \
                         requests (and credentials) go only to the base URL's origin",
                        url.host_str().unwrap_or_default()
                    ))));
                }
                if !url.username().is_empty() || url.password().is_some() {
                    return Err(self.tag(Error::invalid_input(
                        "URL must not contain a user name or password",
                    )));
                }
                let mut url = url.clone();
                url.set_fragment(None);
                url
            }
        };
        if !request.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(request.query.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
        }
        Ok(url)
    }

    fn request_headers(&self, request: &ApiRequest) -> HeaderMap {
        let mut headers = self.inner.default_headers.clone();
        if !request.headers.is_empty() || request.body.is_some() {
            headers.extend(request.header_with_content_type());
        }
        headers
    }

    /// The request as it would be sent, minus credentials (added per attempt
    /// by [`Auth`]): method, URL with query, headers, body. No IO; for tests
    /// that assert what a vendor operation sends.
    ///
    /// ```
    /// use psa_core::Vendor;
    /// use psa_core::http::{ApiRequest, HttpClient};
    ///
    /// let client = HttpClient::builder(Vendor::Halo, "https://acme.halopsa.com/api").build().unwrap();
    /// let req = client
    ///     .build_request(&ApiRequest::get("Tickets").query("page_no", 2))
    ///     .unwrap();
    /// assert_eq!(req.uri(), "https://acme.halopsa.com/api/Tickets?page_no=2");
    /// assert!(client.build_request(&ApiRequest::get("../admin")).is_err());
    /// ```
    pub fn build_request(&self, request: &ApiRequest) -> Result<http::Request<Bytes>> {
        let url = self.resolve_url(request)?;
        let mut out = http::Request::new(request.body_bytes().cloned().unwrap_or_default());
        *out.method_mut() = request.method.clone();
        *out.uri_mut() = url
            .as_str()
            .parse()
            .map_err(|_| self.tag(Error::invalid_input("the URL is not a valid URI")))?;
        *out.headers_mut() = self.request_headers(request);
        Ok(out)
    }

    /// Sends `request` and returns the 2xx response (see the
    /// [type docs](HttpClient) for retries, rate limits, auth and errors).
    pub async fn send(&self, request: ApiRequest) -> Result<ApiResponse> {
        let url = self.resolve_url(&request)?;
        let span = tracing::info_span!(
            "psa.request",
            vendor = self.inner.vendor.as_str(),
            method = request.method.as_str(),
            path = url.path(),
            attempts = Empty,
            status = Empty,
            elapsed_ms = Empty,
        );
        self.execute(&request, url).instrument(span).await
    }

    /// Sends `request` and decodes the JSON body into `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T> {
        self.send(request).await?.json()
    }

    #[allow(clippy::too_many_lines)]
    async fn execute(&self, req: &ApiRequest, url: Url) -> Result<ApiResponse> {
        let inner = &*self.inner;
        let span = tracing::Span::current();
        let started = Instant::now();
        let deadline = after(started, req.deadline.unwrap_or(inner.config.deadline()));
        let attempt_timeout = req
            .attempt_timeout
            .unwrap_or(inner.config.attempt_timeout());
        let policy = req.retry.as_ref().unwrap_or(inner.config.retry());
        let idempotent = req.is_idempotent();
        let key = req.rate_key.as_deref().unwrap_or(&inner.rate_key);
        let headers = self.request_headers(req);
        let with_auth = same_origin(&inner.base, &url);
        let what = Described {
            method: &req.method,
            path: url.path(),
        };

        inner.budget.deposit();
        let mut attempt: u32 = 0;
        let mut retries: u32 = 0;
        let mut replayed = false;
        let result = loop {
            attempt += 1;
            let permit = match tokio::time::timeout_at(
                deadline,
                inner.limiter.acquire(key, deadline),
            )
            .await
            {
                Ok(Ok(permit)) => permit,
                Ok(Err(e)) => break Err(self.tag(e)),
                Err(_) => {
                    break Err(self.tag(Error::new(
                        ErrorKind::Timeout,
                        format!("{what}: the deadline passed while waiting for the rate limiter; nothing was sent"),
                    )));
                }
            };
            if let Some(until) = inner.cooldown.until() {
                let now = Instant::now();
                if until > now {
                    if until > deadline {
                        break Err(self.tag(
                            Error::new(
                                ErrorKind::RateLimited,
                                format!("{what}: cooling down after a 429 past the deadline; nothing was sent"),
                            )
                            .with_retry_after(until - now),
                        ));
                    }
                    tracing::debug!(wait_ms = millis(until - now), "cooling down after a 429");
                    tokio::time::sleep_until(until).await;
                }
            }
            let mut attempt_headers = headers.clone();
            let stamp = if with_auth {
                let auth_deadline = deadline.min(after(Instant::now(), attempt_timeout));
                match inner
                    .auth
                    .authorize_until(&mut attempt_headers, auth_deadline)
                    .await
                {
                    Ok(stamp) => stamp,
                    Err(e) => break Err(self.tag(e)),
                }
            } else {
                AuthStamp::NONE
            };
            let now = Instant::now();
            if now >= deadline {
                break Err(self.tag(Error::new(
                    ErrorKind::Timeout,
                    format!("{what}: the deadline passed before the request was sent"),
                )));
            }
            let attempt_deadline = deadline.min(after(now, attempt_timeout));
            let mut rq = reqwest::Request::new(req.method.clone(), url.clone());
            *rq.headers_mut() = attempt_headers;
            if let Some(body) = &req.body {
                *rq.body_mut() = Some(reqwest::Body::from(body.bytes.clone()));
            }
            tracing::debug!(attempt, "sending");
            let max_body = inner.config.max_body_size();
            let outcome = tokio::time::timeout_at(attempt_deadline, async {
                let resp = match inner.http.execute(rq).await {
                    Ok(resp) => resp,
                    Err(e) => return Attempt::Transport(e),
                };
                let status = resp.status();
                let headers = resp.headers().clone();
                match read_body_limited(resp, max_body).await {
                    Ok(body) => Attempt::Response(status, headers, body),
                    Err(BodyOrTransport::Transport(e)) => Attempt::Transport(e),
                    Err(BodyOrTransport::TooLarge) => Attempt::TooLarge(status, headers),
                }
            })
            .await
            .unwrap_or(Attempt::TimedOut);
            drop(permit);

            let (error, retry_after) = match outcome {
                Attempt::Response(status, resp_headers, body) => {
                    inner.limiter.observe(key, status, &resp_headers);
                    span.record("status", status.as_u16());
                    if status.is_success() {
                        tracing::debug!(attempt, status = status.as_u16(), "response");
                        break Ok(
                            ApiResponse::new(status, resp_headers, body).with_vendor(inner.vendor)
                        );
                    }
                    if status == StatusCode::UNAUTHORIZED
                        && with_auth
                        && !replayed
                        && inner.auth.on_unauthorized(stamp).await
                    {
                        tracing::debug!(attempt, "401: credentials renewed, replaying once");
                        replayed = true;
                        continue;
                    }
                    let retry_after = resp_headers
                        .get(RETRY_AFTER)
                        .and_then(|v| parse_retry_after(v, SystemTime::now()));
                    let kind = inner
                        .classifier
                        .as_ref()
                        .and_then(|c| c(status, &resp_headers, &body))
                        .unwrap_or_else(|| kind_of(status));
                    // Refused unprocessed: safe to retry for any method.
                    let refused = kind == ErrorKind::RateLimited;
                    if let (true, Some(wait)) = (refused, retry_after) {
                        // Every request of this client waits it out.
                        let until = after(Instant::now(), wait.min(policy.max_retry_after()));
                        inner.cooldown.extend_to(until);
                    }
                    let transient = refused || policy.is_retryable_status(status);
                    if transient && !idempotent && !refused {
                        break Err(self.response_error(
                            ErrorKind::AmbiguousWrite,
                            &what,
                            Some(&format!(
                                "the vendor answered HTTP {} after the request was sent",
                                status.as_u16()
                            )),
                            status,
                            &resp_headers,
                            &body,
                            retry_after,
                        ));
                    }
                    let error = self.response_error(
                        kind,
                        &what,
                        None,
                        status,
                        &resp_headers,
                        &body,
                        retry_after,
                    );
                    if !transient {
                        break Err(error);
                    }
                    (error, retry_after)
                }
                Attempt::Transport(e) => {
                    let kind = transport_error(&e);
                    let e = e.without_url();
                    match kind {
                        ErrorKind::Connect => (
                            self.tag(
                                Error::new(
                                    kind,
                                    format!("{what}: could not connect; nothing was sent"),
                                )
                                .with_source(e),
                            ),
                            None,
                        ),
                        ErrorKind::InvalidInput => {
                            break Err(self.tag(
                                Error::new(kind, format!("{what}: the request could not be built"))
                                    .with_source(e),
                            ));
                        }
                        _ if !idempotent => {
                            break Err(self.tag(
                                ambiguous(
                                    &what,
                                    "the connection failed after the request was sent",
                                )
                                .with_source(e),
                            ));
                        }
                        _ => (
                            self.tag(
                                Error::new(kind, format!("{what}: the request failed"))
                                    .with_source(e),
                            ),
                            None,
                        ),
                    }
                }
                Attempt::TooLarge(status, resp_headers) => {
                    inner.limiter.observe(key, status, &resp_headers);
                    span.record("status", status.as_u16());
                    break Err(self.tag(
                        Error::new(
                            ErrorKind::Decode,
                            format!("{what}: the response body is larger than {max_body} bytes"),
                        )
                        .with_http(status, &resp_headers, &[]),
                    ));
                }
                Attempt::TimedOut => {
                    let which = if attempt_deadline == deadline {
                        "the call's deadline"
                    } else {
                        "the attempt timeout"
                    };
                    if !idempotent {
                        break Err(self.tag(ambiguous(
                            &what,
                            &format!("{which} passed while the request was in flight"),
                        )));
                    }
                    (
                        self.tag(Error::new(
                            ErrorKind::Timeout,
                            format!("{what}: {which} passed"),
                        )),
                        None,
                    )
                }
            };

            // A transient failure: retry if the policy, the deadline and the budget allow.
            if attempt - u32::from(replayed) >= policy.max_attempts() {
                break Err(error);
            }
            let delay = policy.delay(retries + 1, retry_after);
            if after(Instant::now(), delay) >= deadline {
                tracing::debug!(attempt, "no time left for a retry before the deadline");
                break Err(error);
            }
            if !inner.budget.try_withdraw() {
                tracing::debug!(attempt, "retry budget spent; not retrying");
                break Err(error);
            }
            retries += 1;
            tracing::debug!(
                attempt,
                delay_ms = millis(delay),
                kind = %error.kind(),
                status = error.http_status().map(|s| s.as_u16()),
                "retrying"
            );
            tokio::time::sleep(delay).await;
        };
        span.record("attempts", attempt);
        span.record("elapsed_ms", millis(started.elapsed()));
        if let Err(e) = &result {
            tracing::debug!(kind = %e.kind(), status = e.http_status().map(|s| s.as_u16()), "call failed");
        }
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn response_error(
        &self,
        kind: ErrorKind,
        what: &Described<'_>,
        why: Option<&str>,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> Error {
        let api = (self.inner.error_parser)(status, headers, body);
        let detail = api
            .as_ref()
            .and_then(|a| a.message.as_deref())
            .map(|m| shorten(m, 300));
        let message = match (why, status.is_redirection(), detail) {
            (Some(why), _, detail) => ambiguous_text(what, why, detail.as_deref()),
            (None, true, _) => format!(
                "{what}: the vendor answered with a redirect, which is not followed (credentials never follow a redirect)"
            ),
            (None, false, Some(d)) => format!("{what}: {d}"),
            (None, false, None) => format!(
                "{what}: {}",
                status.canonical_reason().unwrap_or("unexpected status")
            ),
        };
        let mut e = Error::new(kind, message)
            .with_vendor(self.inner.vendor)
            .with_http(status, headers, body);
        if let Some(after) = retry_after {
            e = e.with_retry_after(after);
        }
        if let Some(api) = api {
            e = e.with_api_body(api);
        }
        e
    }
}

/// `METHOD /path`, for messages (never the query string).
struct Described<'a> {
    method: &'a http::Method,
    path: &'a str,
}

impl fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

fn ambiguous_text(what: &Described<'_>, why: &str, detail: Option<&str>) -> String {
    let detail = detail.map(|d| format!(" ({d})")).unwrap_or_default();
    format!(
        "{what}: {why}{detail}; the write may or may not have been applied — \
         it is not re-sent automatically: check the PSA before sending it again"
    )
}

fn ambiguous(what: &Described<'_>, why: &str) -> Error {
    Error::new(ErrorKind::AmbiguousWrite, ambiguous_text(what, why, None))
}

fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &text[..cut])
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn client() -> HttpClient {
        HttpClient::builder(Vendor::Halo, "https://acme.halopsa.com/api")
            .build()
            .unwrap()
    }

    #[test]
    fn is_send_sync_clone_debug() {
        fn check<T: Send + Sync + Clone + fmt::Debug + 'static>() {}
        check::<HttpClient>();
        check::<ApiRequest>();
        check::<ApiResponse>();
        check::<super::super::TokenAuth>();
        check::<super::super::StaticHeaderAuth>();
        check::<RetryBudget>();
    }

    #[test]
    fn resolves_paths_and_queries() {
        let c = client();
        let u = c
            .resolve_url(&ApiRequest::get("/Tickets/12").query("a b", "c&d"))
            .unwrap();
        assert_eq!(
            u.as_str(),
            "https://acme.halopsa.com/api/Tickets/12?a+b=c%26d"
        );
        let next = Url::parse("https://acme.halopsa.com/api/Tickets?page=2#frag").unwrap();
        let u = c
            .resolve_url(&ApiRequest::absolute(http::Method::GET, next).query("x", 1))
            .unwrap();
        assert_eq!(
            u.as_str(),
            "https://acme.halopsa.com/api/Tickets?page=2&x=1"
        );
        for bad in [
            "https://evil.example/api/Tickets",
            "http://acme.halopsa.com/api/",
            "https://acme.halopsa.com:444/api/",
            "https://u:p@acme.halopsa.com/api/",
        ] {
            let r = ApiRequest::absolute(http::Method::GET, Url::parse(bad).unwrap());
            let e = c.resolve_url(&r).unwrap_err();
            assert!(e.is_invalid_input(), "{bad}");
            assert_eq!(e.vendor(), Some(Vendor::Halo));
        }
        assert!(c.resolve_url(&ApiRequest::get("a/../../b")).is_err());
    }

    #[test]
    fn build_request_is_inspectable() {
        let c = HttpClient::builder(
            Vendor::ConnectWise,
            "https://cw.example/v4_6_release/apis/3.0",
        )
        .default_header(
            ACCEPT,
            HeaderValue::from_static("application/vnd.connectwise.com+json; version=2025.16"),
        )
        .build()
        .unwrap();
        let r = c
            .build_request(
                &ApiRequest::post("service/tickets")
                    .json(&serde_json::json!({"summary": "x"}))
                    .unwrap(),
            )
            .unwrap();
        assert_eq!(r.method(), http::Method::POST);
        assert_eq!(
            r.uri(),
            "https://cw.example/v4_6_release/apis/3.0/service/tickets"
        );
        assert_eq!(
            r.headers()[ACCEPT],
            "application/vnd.connectwise.com+json; version=2025.16"
        );
        assert_eq!(r.headers()[http::header::CONTENT_TYPE], "application/json");
        assert_eq!(r.body().as_ref(), br#"{"summary":"x"}"#);
        assert!(r.headers().get(http::header::AUTHORIZATION).is_none());
    }

    #[test]
    fn builder_validates() {
        assert!(
            HttpClient::builder(Vendor::Halo, "http://acme.example/")
                .build()
                .unwrap_err()
                .is_config()
        );
        let e = HttpClient::builder(Vendor::Halo, "https://a.example/")
            .config(HttpConfig::default().with_attempt_timeout(Duration::ZERO))
            .build()
            .unwrap_err();
        assert!(e.is_config());
        let dbg = format!("{:?}", client());
        assert!(
            dbg.contains("https://acme.halopsa.com/api/") && dbg.contains("Halo"),
            "{dbg}"
        );
    }

    #[test]
    fn generic_parser_shapes() {
        let h = HeaderMap::new();
        let s = StatusCode::BAD_REQUEST;
        let cw = generic_error_parser(s, &h, br#"{"code":"InvalidObject","message":"bad","errors":[{"code":"Required","message":"summary is required","resource":"ticket","field":"summary"}]}"#).unwrap();
        assert_eq!(cw.message.as_deref(), Some("bad"));
        assert_eq!(cw.errors[0].field.as_deref(), Some("summary"));
        let at = generic_error_parser(s, &h, br#"{"errors":["Ticket not found"]}"#).unwrap();
        assert_eq!(at.message.as_deref(), Some("Ticket not found"));
        let sn = generic_error_parser(
            s,
            &h,
            br#"{"error":{"message":"No Record found","detail":"ACL"},"status":"failure"}"#,
        )
        .unwrap();
        assert_eq!(sn.message.as_deref(), Some("No Record found"));
        let oauth = generic_error_parser(
            s,
            &h,
            br#"{"error":"invalid_client","error_description":"nope"}"#,
        )
        .unwrap();
        assert_eq!(oauth.code.as_deref(), Some("invalid_client"));
        assert_eq!(oauth.message.as_deref(), Some("nope"));
        assert!(generic_error_parser(s, &h, b"<html>502</html>").is_none());
        assert!(generic_error_parser(s, &h, b"").is_none());
        assert!(generic_error_parser(s, &h, b"{\"truncated\":").is_none());
        assert!(generic_error_parser(s, &h, b"{}").is_none());
    }

    #[test]
    fn cooldown_only_grows() {
        let c = Cooldown::new();
        assert!(c.until().is_none());
        let t = Instant::now() + Duration::from_secs(5);
        c.extend_to(t);
        c.extend_to(t - Duration::from_secs(3));
        assert!(c.until().unwrap() >= t - Duration::from_micros(1));
    }
}
