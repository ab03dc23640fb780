//! [`HttpClient`]: one vendor base URL, its credentials, limits and retries.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
#[cfg(test)]
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::ACCEPT;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use tracing::field::Empty;
use url::Url;

use super::base_url::{
    append_form_query, check_relative_path, is_plain_path, same_origin, validate_base_url,
};
use super::request::{DebugHeaders, Target};
use super::{
    ApiRequest, ApiResponse, Auth, HttpConfig, NoAuth, RateLimiter, RetryBudget, Unlimited,
};
use crate::{ApiErrorBody, Error, ErrorKind, FieldError, Result, Vendor};

/// A 2xx answer whose body arrives as a stream of chunks
/// ([`HttpClient::send_streaming`]).
#[non_exhaustive]
pub struct StreamingResponse {
    /// The status (2xx).
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, chunk by chunk; it ends with an error at the size limit.
    pub body: futures::stream::BoxStream<'static, Result<Bytes>>,
}

impl fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingResponse")
            .field("status", &self.status.as_u16())
            .field("headers", &DebugHeaders(&self.headers))
            .finish_non_exhaustive()
    }
}

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
    pub(super) inner: Arc<ClientInner>,
}

pub(super) struct ClientInner {
    pub(super) vendor: Vendor,
    pub(super) base: Url,
    pub(super) config: HttpConfig,
    pub(super) http: reqwest::Client,
    pub(super) auth: Arc<dyn Auth>,
    pub(super) limiter: Arc<dyn RateLimiter>,
    pub(super) budget: RetryBudget,
    pub(super) error_parser: ErrorParser,
    pub(super) classifier: Option<Classifier>,
    pub(super) default_headers: HeaderMap,
    pub(super) rate_key: Cow<'static, str>,
    pub(super) cooldown: super::send::Cooldown,
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
                cooldown: super::send::Cooldown::new(),
            }),
        })
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
pub(super) fn kind_of(status: StatusCode) -> ErrorKind {
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

    pub(super) fn tag(&self, e: Error) -> Error {
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

    /// The path and query `request` goes to, from the base URL's origin
    /// (`/api/now/table/incident/…?sysparm_fields=…`): [`resolve_url`](Self::resolve_url)
    /// from its path on, with the same checks. For a request that names
    /// others by their relative URL, such as ServiceNow's Batch API; a path
    /// of plain characters is joined to the base path without parsing a
    /// URL.
    ///
    /// ```
    /// use psa_core::http::{ApiRequest, HttpClient};
    /// use psa_core::Vendor;
    ///
    /// let http = HttpClient::builder(Vendor::ServiceNow, "https://acme.service-now.com").build()?;
    /// let req = ApiRequest::get("api/now/table/incident").query("sysparm_fields", "sys_id,number");
    /// assert_eq!(
    ///     http.path_and_query(&req)?,
    ///     "/api/now/table/incident?sysparm_fields=sys_id%2Cnumber"
    /// );
    /// # Ok::<(), psa_core::Error>(())
    /// ```
    pub fn path_and_query(&self, request: &ApiRequest) -> Result<String> {
        if let Target::Path(path) = &request.target {
            let rel = check_relative_path(path).map_err(|e| self.tag(e))?;
            let base = self.inner.base.path();
            if base.ends_with('/') && is_plain_path(rel) {
                let mut out = String::with_capacity(base.len() + rel.len() + 1);
                out.push_str(base);
                out.push_str(rel);
                append_form_query(&mut out, &request.query);
                return Ok(out);
            }
        }
        let url = self.resolve_url(request)?;
        Ok(url[url::Position::BeforePath..].to_owned())
    }

    pub(super) fn request_headers(&self, request: &ApiRequest) -> HeaderMap {
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
        match self
            .execute(&request, url, super::send::BodyMode::Whole)
            .instrument(span)
            .await?
        {
            super::send::Answer::Whole(r) => Ok(r),
            super::send::Answer::Stream(_) => Err(self.tag(Error::new(
                ErrorKind::Transport,
                "a whole-body call was answered as a stream",
            ))),
        }
    }

    /// Sends `request` and returns the 2xx answer with its body as a stream
    /// of chunks (for downloads): at most `max_bytes` in all — refused
    /// before reading when the announced length is over, an error at the
    /// limit otherwise —, each chunk within the attempt timeout, the whole
    /// within the call's deadline. Retries, rate limits, credentials and
    /// errors are as for [`send`](Self::send); the rate-limit permit is
    /// held until the body is read or dropped.
    pub async fn send_streaming(
        &self,
        request: ApiRequest,
        max_bytes: u64,
    ) -> Result<StreamingResponse> {
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
        match self
            .execute(&request, url, super::send::BodyMode::Stream(max_bytes))
            .instrument(span)
            .await?
        {
            super::send::Answer::Stream(s) => Ok(s),
            super::send::Answer::Whole(r) => Ok(StreamingResponse {
                status: r.status,
                headers: r.headers,
                body: Box::pin(futures::stream::once(async move { Ok(r.body) })),
            }),
        }
    }

    /// Sends `request` and decodes the JSON body into `T`.
    pub async fn send_json<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T> {
        self.send(request).await?.json()
    }
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
    fn path_and_query_is_the_resolved_url_from_its_path_on() {
        let bases = [
            "https://acme.halopsa.com/api",
            "https://acme.service-now.com",
            "https://cw.example/v4_6_release/apis/3.0/",
        ];
        let paths = [
            "Tickets/12",
            "/api/now/table/incident/9d385017c611228701d22104cc95c371",
            "",
            "a b/é/{x}/\"q\"/<t>`",
            "v1.0/x;y=1/@me/~z/(1)*+,$!&'",
            "%41/x",
        ];
        // Every byte that can stand in a string, and the usual suspects.
        let all: String = (1u8..=0x7f).map(char::from).chain("é€😀".chars()).collect();
        let values = [
            "",
            "plain",
            "a b&c=d+e%f",
            "sys_id,number,caller_id.email",
            "x^y=ORDERBYz",
            all.as_str(),
        ];
        for base in bases {
            let c = HttpClient::builder(Vendor::ServiceNow, base)
                .build()
                .unwrap();
            for path in paths {
                for value in values {
                    let req = ApiRequest::get(path)
                        .query("sysparm_fields", value)
                        .query(value.to_owned(), "1");
                    let url = c.resolve_url(&req).unwrap();
                    assert_eq!(
                        c.path_and_query(&req).unwrap(),
                        &url[url::Position::BeforePath..],
                        "{base} {path:?} {value:?}"
                    );
                }
                let bare = ApiRequest::get(path);
                let url = c.resolve_url(&bare).unwrap();
                assert_eq!(
                    c.path_and_query(&bare).unwrap(),
                    &url[url::Position::BeforePath..]
                );
            }
            for bad in ["a/../b", "a//b", "https://evil.example/x", "a?b"] {
                let e = c.path_and_query(&ApiRequest::get(bad)).unwrap_err();
                assert!(e.is_invalid_input(), "{bad}");
            }
        }
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
}
