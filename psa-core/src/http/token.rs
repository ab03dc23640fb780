//! Bearer tokens: where they come from ([`TokenSource`]), where they are
//! kept ([`TokenStore`]) and how they are put on requests ([`TokenAuth`]).

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::time::Instant;
use url::Url;

use super::after;
use super::auth::{Auth, AuthStamp};
use super::base_url::validate_endpoint_url;
use super::client::{BodyOrTransport, read_body_limited, transport_error};
use super::{HttpConfig, parse_retry_after};
use crate::{ApiErrorBody, Error, ErrorKind, Result, Vendor};

/// An access token and what is known of it. `Debug` never shows the secrets.
#[derive(Clone)]
#[non_exhaustive]
pub struct Token {
    /// The access token.
    pub access_token: SecretString,
    /// The token type (`Bearer`).
    pub token_type: String,
    /// When the token expires.
    pub expires_at: SystemTime,
    /// The refresh token, when the server sent one.
    pub refresh_token: Option<SecretString>,
}

impl Token {
    /// A bearer token expiring at `expires_at`.
    pub fn new(access_token: SecretString, expires_at: SystemTime) -> Self {
        Token {
            access_token,
            token_type: "Bearer".to_owned(),
            expires_at,
            refresh_token: None,
        }
    }

    /// Sets the token type.
    #[must_use]
    pub fn with_token_type(mut self, token_type: impl Into<String>) -> Self {
        self.token_type = token_type.into();
        self
    }

    /// Sets the refresh token.
    #[must_use]
    pub fn with_refresh_token(mut self, refresh_token: SecretString) -> Self {
        self.refresh_token = Some(refresh_token);
        self
    }

    /// Whether the token has expired at `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        now >= self.expires_at
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type)
            .field("expires_at", &UnixTime(self.expires_at))
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

/// Shows a time as UNIX seconds (never panics, unlike HTTP-date formatting
/// of times outside 1970–9999).
struct UnixTime(SystemTime);

impl fmt::Debug for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => write!(f, "unix:{}", d.as_secs()),
            Err(e) => write!(f, "unix:-{}", e.duration().as_secs()),
        }
    }
}

/// The longest token lifetime believed (a larger `expires_in` is cut to it).
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(366 * 24 * 3600);

/// Where tokens come from (an OAuth token endpoint, ConnectWise's member
/// impersonation tokens …).
#[async_trait]
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// A key naming the credential (not containing any secret), under which
    /// a [`TokenStore`] keeps its token.
    fn cache_key(&self) -> String;

    /// Fetches a new token, with the timeouts of `config`.
    async fn fetch(&self, http: &reqwest::Client, config: &HttpConfig) -> Result<Token>;
}

/// Keeps tokens by key. The in-process default is [`MemoryTokenStore`]; a
/// shared store (Redis) lets several replicas share one token.
#[async_trait]
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The token kept under `key`.
    async fn get(&self, key: &str) -> Result<Option<Token>>;
    /// Keeps `token` under `key`.
    async fn put(&self, key: &str, token: Token) -> Result<()>;
    /// Forgets the token kept under `key`.
    async fn remove(&self, key: &str) -> Result<()>;
}

/// A [`TokenStore`] in process memory.
#[derive(Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<HashMap<String, Token>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryTokenStore::default()
    }
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("MemoryTokenStore")
            .field("keys", &tokens.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[async_trait]
impl TokenStore for MemoryTokenStore {
    async fn get(&self, key: &str) -> Result<Option<Token>> {
        let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(tokens.get(key).cloned())
    }

    async fn put(&self, key: &str, token: Token) -> Result<()> {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.insert(key.to_owned(), token);
        Ok(())
    }

    async fn remove(&self, key: &str) -> Result<()> {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.remove(key);
        Ok(())
    }
}

/// The default early-refresh margin (see [`TokenAuth::with_refresh_margin`]).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Bearer-token [`Auth`]: caches the token, refreshes it early and
/// single-flight.
///
/// - The token is renewed `min(margin, 10 % of its lifetime)` before it
///   expires (margin 60 s by default). While one caller renews a token that
///   is still valid, the others keep using it.
/// - Any number of concurrent callers without a valid token cause exactly
///   one [`TokenSource::fetch`] (a tokio mutex around the refresh, and a
///   second look at the cache once it is held).
/// - After a 401, only the token that was used is dropped (compared by
///   generation), so a hundred concurrent 401s cause one refresh.
/// - The [`TokenStore`] is consulted before fetching, so that replicas
///   sharing a store share a token; a token that was just rejected is not
///   taken from the store again.
///
/// Cheap to clone (an `Arc` inside); clones share the cache. The `with_*`
/// methods are for construction: called on a clone that is already shared,
/// they return a new `TokenAuth` with an empty cache.
///
/// To share one connection pool with the [`HttpClient`](super::HttpClient),
/// build a reqwest client with [`HttpConfig::build_reqwest_client`] and pass
/// it to both ([`with_http_client`](Self::with_http_client) and
/// [`HttpClientBuilder::reqwest_client`](super::HttpClientBuilder::reqwest_client)).
#[derive(Clone)]
pub struct TokenAuth {
    inner: Arc<TokenInner>,
}

struct TokenInner {
    source: Arc<dyn TokenSource>,
    store: Arc<dyn TokenStore>,
    http: reqwest::Client,
    config: HttpConfig,
    margin: Duration,
    key: String,
    state: Mutex<CacheState>,
    refresh: tokio::sync::Mutex<()>,
    generation: AtomicU64,
}

#[derive(Default)]
struct CacheState {
    current: Option<Cached>,
    /// The access token last rejected with a 401.
    rejected: Option<SecretString>,
}

struct Cached {
    header: HeaderValue,
    access: SecretString,
    refresh_at: SystemTime,
    expires_at: SystemTime,
    generation: u64,
}

impl fmt::Debug for TokenAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("TokenAuth")
            .field("source", &self.inner.source)
            .field("store", &self.inner.store)
            .field("margin", &self.inner.margin)
            .field(
                "cached_until",
                &state.current.as_ref().map(|c| UnixTime(c.expires_at)),
            )
            .finish_non_exhaustive()
    }
}

impl TokenAuth {
    /// Token auth over `source`, with a reqwest client built from `config`
    /// (no redirects, its connect timeout) and an in-memory store.
    pub fn new(source: Arc<dyn TokenSource>, config: HttpConfig) -> Result<Self> {
        let http = config.build_reqwest_client()?;
        let key = source.cache_key();
        Ok(TokenAuth {
            inner: Arc::new(TokenInner {
                source,
                store: Arc::new(MemoryTokenStore::new()),
                http,
                config,
                margin: DEFAULT_REFRESH_MARGIN,
                key,
                state: Mutex::new(CacheState::default()),
                refresh: tokio::sync::Mutex::new(()),
                generation: AtomicU64::new(0),
            }),
        })
    }

    fn rebuild(self, f: impl FnOnce(&mut TokenInner)) -> Self {
        let inner = match Arc::try_unwrap(self.inner) {
            Ok(inner) => inner,
            Err(shared) => TokenInner {
                source: Arc::clone(&shared.source),
                store: Arc::clone(&shared.store),
                http: shared.http.clone(),
                config: shared.config.clone(),
                margin: shared.margin,
                key: shared.key.clone(),
                state: Mutex::new(CacheState::default()),
                refresh: tokio::sync::Mutex::new(()),
                generation: AtomicU64::new(shared.generation.load(Ordering::Relaxed)),
            },
        };
        let mut inner = inner;
        f(&mut inner);
        TokenAuth {
            inner: Arc::new(inner),
        }
    }

    /// Uses `store` to keep tokens (shared by replicas, for instance).
    #[must_use]
    pub fn with_store(self, store: Arc<dyn TokenStore>) -> Self {
        self.rebuild(|i| i.store = store)
    }

    /// Uses this reqwest client for token requests. It should not follow
    /// redirects (see [`HttpConfig::build_reqwest_client`]).
    #[must_use]
    pub fn with_http_client(self, http: reqwest::Client) -> Self {
        self.rebuild(|i| i.http = http)
    }

    /// Renews a token this long before it expires, or 10 % of its lifetime
    /// before, whichever is smaller (default [`DEFAULT_REFRESH_MARGIN`]).
    #[must_use]
    pub fn with_refresh_margin(self, margin: Duration) -> Self {
        self.rebuild(|i| i.margin = margin)
    }

    /// Drops the cached token and the stored one: the next call fetches.
    pub async fn invalidate(&self) -> Result<()> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .current = None;
        self.inner.store.remove(&self.inner.key).await
    }

    fn refresh_at(&self, expires_at: SystemTime, now: SystemTime) -> SystemTime {
        let lifetime = expires_at.duration_since(now).unwrap_or(Duration::ZERO);
        let early = self.inner.margin.min(lifetime / 10);
        expires_at.checked_sub(early).unwrap_or(expires_at)
    }

    /// The cached header if it is fresh (`Ok`), else whether a still valid
    /// (not yet expired) one exists (`Err`).
    fn cached(
        &self,
        now: SystemTime,
    ) -> Result<(HeaderValue, AuthStamp), Option<(HeaderValue, AuthStamp)>> {
        let state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match &state.current {
            Some(c) if now < c.refresh_at => Ok((c.header.clone(), AuthStamp::new(c.generation))),
            Some(c) if now < c.expires_at => {
                Err(Some((c.header.clone(), AuthStamp::new(c.generation))))
            }
            _ => Err(None),
        }
    }

    fn install(&self, token: &Token, now: SystemTime) -> Result<(HeaderValue, AuthStamp)> {
        let scheme =
            if token.token_type.is_empty() || token.token_type.eq_ignore_ascii_case("bearer") {
                "Bearer"
            } else {
                token.token_type.as_str()
            };
        let mut header =
            HeaderValue::from_str(&format!("{scheme} {}", token.access_token.expose_secret()))
                .map_err(|_| {
                    Error::new(
                        ErrorKind::Decode,
                        "the access token is not a valid header value",
                    )
                })?;
        header.set_sensitive(true);
        let generation = self.inner.generation.fetch_add(1, Ordering::Relaxed) + 1;
        let mut state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.current = Some(Cached {
            header: header.clone(),
            access: token.access_token.clone(),
            refresh_at: self.refresh_at(token.expires_at, now),
            expires_at: token.expires_at,
            generation,
        });
        Ok((header, AuthStamp::new(generation)))
    }

    fn is_rejected(&self, token: &Token) -> bool {
        let state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state
            .rejected
            .as_ref()
            .is_some_and(|r| r.expose_secret() == token.access_token.expose_secret())
    }

    async fn current(&self) -> Result<(HeaderValue, AuthStamp)> {
        let still_valid = match self.cached(SystemTime::now()) {
            Ok(fresh) => return Ok(fresh),
            Err(still_valid) => still_valid,
        };
        // Someone else is renewing a token that still works: keep using it.
        let _guard = if let Ok(guard) = self.inner.refresh.try_lock() {
            guard
        } else {
            if let Some(valid) = still_valid {
                return Ok(valid);
            }
            self.inner.refresh.lock().await
        };
        let now = SystemTime::now();
        let still_valid = match self.cached(now) {
            Ok(fresh) => return Ok(fresh),
            Err(still_valid) => still_valid,
        };
        match self.inner.store.get(&self.inner.key).await {
            Ok(Some(token))
                if now < self.refresh_at(token.expires_at, now) && !self.is_rejected(&token) =>
            {
                tracing::debug!("using the token from the token store");
                return self.install(&token, now);
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "token store read failed; fetching a new token"),
        }
        tracing::debug!("fetching a new token");
        match self
            .inner
            .source
            .fetch(&self.inner.http, &self.inner.config)
            .await
        {
            Ok(token) => {
                let now = SystemTime::now();
                let installed = self.install(&token, now)?;
                if let Err(e) = self.inner.store.put(&self.inner.key, token).await {
                    tracing::warn!(error = %e, "token store write failed");
                }
                Ok(installed)
            }
            Err(e) => match still_valid {
                Some(valid) => {
                    tracing::warn!(error = %e, "token renewal failed; the current token is still valid");
                    // Do not try again on every call: wait a little.
                    let mut state = self
                        .inner
                        .state
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner);
                    if let Some(c) = state.current.as_mut() {
                        let retry_at = now + Duration::from_secs(5);
                        c.refresh_at = retry_at.min(c.expires_at);
                    }
                    Ok(valid)
                }
                None => Err(e),
            },
        }
    }
}

#[async_trait]
impl Auth for TokenAuth {
    async fn authorize(&self, headers: &mut HeaderMap) -> Result<AuthStamp> {
        let (header, stamp) = self.current().await?;
        headers.insert(AUTHORIZATION, header);
        Ok(stamp)
    }

    async fn on_unauthorized(&self, stamp: AuthStamp) -> bool {
        let mut state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = &state.current {
            if c.generation == stamp.generation() {
                tracing::debug!("token rejected with 401; it will be renewed");
                let rejected = c.access.clone();
                state.current = None;
                state.rejected = Some(rejected);
            }
        }
        true
    }
}

/// The OAuth 2.0 client-credentials grant (HaloPSA, ServiceNow).
///
/// `POST {token_url}` with the form `grant_type=client_credentials`,
/// `client_id`, `client_secret`, `scope` (when set) and any extra form
/// parameters; extra query parameters are appended to the URL (HaloPSA
/// hosted: `?tenant=NAME`). The response `{access_token, token_type,
/// expires_in, refresh_token?}` becomes a [`Token`].
///
/// Failures: a 4xx is [`Unauthorized`](ErrorKind::Unauthorized) with the
/// OAuth `{"error", "error_description"}` body parsed; a 429 is
/// `RateLimited`; a 5xx is `Api`; transport errors keep their kind.
/// Connection errors, 429 and the policy's transient 5xx are retried per
/// the config's [`RetryPolicy`](super::RetryPolicy) (a token request is
/// idempotent for our purposes). The client secret and the tokens never
/// appear in a message, a `Debug` output or a log line.
///
/// ```
/// use psa_core::http::OAuthClientCredentials;
/// use secrecy::SecretString;
///
/// let source = OAuthClientCredentials::new(
///     "https://acme.halopsa.com/auth/token",
///     "my-client-id",
///     SecretString::from("my-client-secret"),
/// )
/// .unwrap()
/// .with_scope("all")
/// .with_query_param("tenant", "acme");
/// assert!(!format!("{source:?}").contains("my-client-secret"));
/// ```
#[derive(Clone)]
pub struct OAuthClientCredentials {
    token_url: Url,
    client_id: String,
    client_secret: SecretString,
    scope: Option<String>,
    extra_form: Vec<(String, String)>,
    vendor: Option<Vendor>,
}

impl fmt::Debug for OAuthClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClientCredentials")
            .field("token_url", &self.token_url.path())
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl OAuthClientCredentials {
    /// The grant against `token_url` (https, or http on loopback; no
    /// credentials in the URL).
    pub fn new(
        token_url: &str,
        client_id: impl Into<String>,
        client_secret: SecretString,
    ) -> Result<Self> {
        Ok(OAuthClientCredentials {
            token_url: validate_endpoint_url(token_url, "token URL")?,
            client_id: client_id.into(),
            client_secret,
            scope: None,
            extra_form: Vec::new(),
            vendor: None,
        })
    }

    /// Asks for `scope` (space-separated scopes).
    #[must_use]
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Adds a form parameter to the token request.
    #[must_use]
    pub fn with_form_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_form.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter to the token URL (HaloPSA: `tenant`).
    #[must_use]
    pub fn with_query_param(mut self, name: &str, value: &str) -> Self {
        self.token_url.query_pairs_mut().append_pair(name, value);
        self
    }

    /// Names the vendor in errors.
    #[must_use]
    pub fn with_vendor(mut self, vendor: Vendor) -> Self {
        self.vendor = Some(vendor);
        self
    }

    /// The token URL.
    pub fn token_url(&self) -> &Url {
        &self.token_url
    }

    fn form(&self) -> Bytes {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "client_credentials")
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", self.client_secret.expose_secret());
        if let Some(scope) = &self.scope {
            form.append_pair("scope", scope);
        }
        for (k, v) in &self.extra_form {
            form.append_pair(k, v);
        }
        Bytes::from(form.finish())
    }

    fn error(&self, kind: ErrorKind, message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
        let e = Error::new(kind, message);
        match self.vendor {
            Some(v) => e.with_vendor(v),
            None => e,
        }
    }

    /// Removes any copy of the client secret from text the server sent back.
    fn scrub(&self, text: &str) -> String {
        let secret = self.client_secret.expose_secret();
        if secret.is_empty() {
            text.to_owned()
        } else {
            text.replace(secret, "[redacted]")
        }
    }

    fn parse_token(&self, body: &[u8]) -> Result<Token> {
        #[derive(Deserialize)]
        struct Raw {
            access_token: String,
            #[serde(default)]
            token_type: Option<String>,
            #[serde(default)]
            expires_in: Option<serde_json::Value>,
            #[serde(default)]
            refresh_token: Option<String>,
        }
        let mut de = serde_json::Deserializer::from_slice(body);
        // The serde message could quote a value (a token): only the path is kept.
        let raw: Raw = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            self.error(
                ErrorKind::Decode,
                format!("token response: missing or malformed field at `{path}`"),
            )
        })?;
        de.end().map_err(|_| {
            self.error(
                ErrorKind::Decode,
                "token response: trailing data after the JSON object",
            )
        })?;
        let expires_in = match raw.expires_in {
            None | Some(serde_json::Value::Null) => Duration::from_secs(3600),
            Some(serde_json::Value::Number(n)) => n
                .as_u64()
                .map(Duration::from_secs)
                .or_else(|| n.as_f64().and_then(|f| Duration::try_from_secs_f64(f).ok()))
                .ok_or_else(|| self.error(ErrorKind::Decode, "token response: bad `expires_in`"))?,
            Some(serde_json::Value::String(s)) => s
                .trim()
                .parse::<u64>()
                .map(Duration::from_secs)
                .map_err(|_| self.error(ErrorKind::Decode, "token response: bad `expires_in`"))?,
            Some(_) => {
                return Err(self.error(ErrorKind::Decode, "token response: bad `expires_in`"));
            }
        };
        if raw.access_token.is_empty() {
            return Err(self.error(ErrorKind::Decode, "token response: empty `access_token`"));
        }
        let expires_at = SystemTime::now() + expires_in.min(MAX_TOKEN_LIFETIME);
        let mut token = Token::new(SecretString::from(raw.access_token), expires_at);
        if let Some(t) = raw.token_type.filter(|t| !t.is_empty()) {
            token.token_type = t;
        }
        token.refresh_token = raw.refresh_token.map(SecretString::from);
        Ok(token)
    }

    fn failure(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
        #[derive(Deserialize)]
        struct OAuthError {
            error: Option<String>,
            error_description: Option<String>,
        }
        let text = self.scrub(&String::from_utf8_lossy(body));
        let parsed = serde_json::from_str::<OAuthError>(&text)
            .ok()
            .filter(|e| e.error.is_some() || e.error_description.is_some());
        let kind = if status == StatusCode::TOO_MANY_REQUESTS {
            ErrorKind::RateLimited
        } else if status.is_server_error() {
            ErrorKind::Api
        } else {
            ErrorKind::Unauthorized
        };
        let detail = parsed
            .as_ref()
            .and_then(|p| p.error_description.as_deref().or(p.error.as_deref()))
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        let mut e = self
            .error(kind, format!("token request refused{detail}"))
            .with_http(status, headers, text.as_bytes());
        if let Some(p) = parsed {
            e = e.with_api_body(ApiErrorBody::new(p.error_description, p.error, Vec::new()));
        }
        if let Some(after) = headers
            .get(http::header::RETRY_AFTER)
            .and_then(|v| parse_retry_after(v, SystemTime::now()))
        {
            e = e.with_retry_after(after);
        }
        e
    }
}

#[async_trait]
impl TokenSource for OAuthClientCredentials {
    fn cache_key(&self) -> String {
        format!(
            "oauth-client-credentials {} {} {}",
            self.token_url,
            self.client_id,
            self.scope.as_deref().unwrap_or_default()
        )
    }

    async fn fetch(&self, http: &reqwest::Client, config: &HttpConfig) -> Result<Token> {
        let started = Instant::now();
        let deadline = after(started, config.deadline());
        let policy = config.retry();
        let body = self.form();
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let attempt_deadline = deadline.min(after(Instant::now(), config.attempt_timeout()));
            let mut req = reqwest::Request::new(reqwest::Method::POST, self.token_url.clone());
            req.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
            req.headers_mut()
                .insert(ACCEPT, HeaderValue::from_static("application/json"));
            *req.body_mut() = Some(reqwest::Body::from(body.clone()));
            tracing::debug!(path = self.token_url.path(), attempt, "token request");
            let outcome = tokio::time::timeout_at(attempt_deadline, async {
                let resp = http.execute(req).await?;
                let status = resp.status();
                let headers = resp.headers().clone();
                let body = read_body_limited(resp, 1024 * 1024).await?;
                Ok::<_, BodyOrTransport>((status, headers, body))
            })
            .await;
            let (err, retry_after) = match outcome {
                Ok(Ok((status, _, body))) if status.is_success() => {
                    return self.parse_token(&body);
                }
                Ok(Ok((status, headers, body))) => {
                    let e = self.failure(status, &headers, &body);
                    if !policy.is_retryable_status(status) {
                        return Err(e);
                    }
                    let after = e.retry_after();
                    (e, after)
                }
                Ok(Err(BodyOrTransport::Transport(e))) => {
                    let kind = transport_error(&e);
                    (
                        self.error(kind, "token request failed")
                            .with_source(e.without_url()),
                        None,
                    )
                }
                Ok(Err(BodyOrTransport::TooLarge)) => {
                    return Err(self.error(ErrorKind::Decode, "token response is too large"));
                }
                Err(_) => (
                    self.error(ErrorKind::Timeout, "token request timed out"),
                    None,
                ),
            };
            if attempt >= policy.max_attempts() {
                return Err(err);
            }
            let delay = policy.delay(attempt, retry_after);
            if after(Instant::now(), delay) >= deadline {
                return Err(err);
            }
            tracing::debug!(attempt, delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX), kind = %err.kind(), "retrying the token request");
            tokio::time::sleep(delay).await;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn token_debug_hides_secrets() {
        let t = Token::new(SecretString::from("tok-canary"), SystemTime::now())
            .with_refresh_token(SecretString::from("ref-canary"));
        let d = format!("{t:?}");
        assert!(!d.contains("canary"), "{d}");
        assert!(t.is_expired_at(SystemTime::now() + Duration::from_secs(1)));
    }

    #[test]
    fn parses_token_responses() {
        let s =
            OAuthClientCredentials::new("https://x.example/token", "id", SecretString::from("sec"))
                .unwrap();
        let t = s
            .parse_token(br#"{"access_token":"a","token_type":"bearer","expires_in":"120"}"#)
            .unwrap();
        assert_eq!(t.access_token.expose_secret(), "a");
        assert_eq!(t.token_type, "bearer");
        let left = t.expires_at.duration_since(SystemTime::now()).unwrap();
        assert!(left <= Duration::from_secs(120) && left > Duration::from_secs(100));
        let t = s
            .parse_token(br#"{"access_token":"a","expires_in":3599.0,"refresh_token":"r"}"#)
            .unwrap();
        assert!(t.refresh_token.is_some());
        assert_eq!(t.token_type, "Bearer");
        let e = s.parse_token(br#"{"access_token":42}"#).unwrap_err();
        assert!(
            e.is_decode() && e.to_string().contains("access_token"),
            "{e}"
        );
        let e = s
            .parse_token(br#"{"access_token":"secret-canary","expires_in":"soon"}"#)
            .unwrap_err();
        assert!(!format!("{e} {e:?}").contains("canary"));
        assert!(s.parse_token(b"<html>").unwrap_err().is_decode());
        let e = s
            .parse_token(br#"{"access_token":"secret-canary"} {"access_token":"b"}"#)
            .unwrap_err();
        assert!(
            e.is_decode() && !e.to_string().contains("secret-canary"),
            "{e}"
        );
        assert!(s.parse_token(br#"{"access_token":""}"#).is_err());
    }

    #[test]
    fn refuses_bad_token_urls() {
        assert!(
            OAuthClientCredentials::new("http://x.example/token", "id", SecretString::from("s"))
                .is_err()
        );
        assert!(
            OAuthClientCredentials::new(
                "https://u:p@x.example/token",
                "id",
                SecretString::from("s")
            )
            .is_err()
        );
        let s = OAuthClientCredentials::new(
            "https://x.example/auth/token",
            "id",
            SecretString::from("secret-canary"),
        )
        .unwrap()
        .with_query_param("tenant", "acme co");
        assert_eq!(
            s.token_url().as_str(),
            "https://x.example/auth/token?tenant=acme+co"
        );
        assert!(!s.cache_key().contains("secret-canary"));
    }

    #[test]
    fn failure_scrubs_the_secret() {
        let s = OAuthClientCredentials::new(
            "https://x.example/token",
            "id",
            SecretString::from("sekrit-canary"),
        )
        .unwrap();
        let e = s.failure(
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            br#"{"error":"invalid_client","error_description":"bad secret sekrit-canary"}"#,
        );
        assert!(e.is_unauthorized());
        assert_eq!(
            e.api_body().unwrap().code.as_deref(),
            Some("invalid_client")
        );
        let all = format!("{e} {e:?} {:?}", e.raw_body());
        assert!(!all.contains("sekrit-canary"), "{all}");
        assert!(
            s.failure(StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new(), b"")
                .is_rate_limited()
        );
        assert_eq!(
            s.failure(StatusCode::BAD_GATEWAY, &HeaderMap::new(), b"")
                .kind(),
            ErrorKind::Api
        );
    }

    #[derive(Debug)]
    struct Fixed(Duration);

    #[async_trait]
    impl TokenSource for Fixed {
        fn cache_key(&self) -> String {
            "fixed".into()
        }
        async fn fetch(&self, _: &reqwest::Client, _: &HttpConfig) -> Result<Token> {
            Ok(Token::new(
                SecretString::from("t"),
                SystemTime::now() + self.0,
            ))
        }
    }

    #[tokio::test]
    async fn early_refresh_margin() {
        let auth = TokenAuth::new(
            Arc::new(Fixed(Duration::from_secs(3600))),
            HttpConfig::default(),
        )
        .unwrap();
        let now = SystemTime::now();
        let exp = now + Duration::from_secs(3600);
        assert_eq!(auth.refresh_at(exp, now), exp - Duration::from_secs(60));
        let exp = now + Duration::from_secs(100);
        assert_eq!(auth.refresh_at(exp, now), exp - Duration::from_secs(10));
        let mut h = HeaderMap::new();
        let s1 = auth.authorize(&mut h).await.unwrap();
        assert_eq!(h.get(AUTHORIZATION).unwrap(), "Bearer t");
        assert!(h.get(AUTHORIZATION).unwrap().is_sensitive());
        let s2 = auth.authorize(&mut h).await.unwrap();
        assert_eq!(s1, s2, "cached");
        assert!(auth.on_unauthorized(s1).await);
        let s3 = auth.authorize(&mut h).await.unwrap();
        assert_ne!(s1, s3, "renewed after a 401");
        // A stale stamp does not drop the new token.
        assert!(auth.on_unauthorized(s1).await);
        assert_eq!(auth.authorize(&mut h).await.unwrap(), s3);
    }
}
