//! The OAuth 2.0 grants a [`TokenSource`] can be: client credentials
//! ([`OAuthClientCredentials`]) and the resource-owner password grant
//! ([`OAuthPasswordGrant`]), over one token-endpoint exchange that parses
//! the answer, refuses what is not a token, and keeps every credential out
//! of errors.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::time::Instant;
use url::Url;

use super::after;
use super::base_url::validate_endpoint_url;
use super::client::{BodyOrTransport, read_body_limited, transport_error};
use super::token::{MAX_TOKEN_LIFETIME, Token, TokenSource};
use super::{HttpConfig, parse_retry_after};
use crate::secrets::Scrubber;
use crate::{ApiErrorBody, Error, ErrorKind, Result, Vendor};

/// What a token endpoint is, for the grants that call it: its URL, the
/// vendor named in errors, and the lifetime assumed when the answer has no
/// `expires_in`.
#[derive(Clone)]
struct Endpoint {
    token_url: Url,
    vendor: Option<Vendor>,
    default_lifetime: Duration,
}

impl Endpoint {
    fn new(token_url: &str, default_lifetime: Duration) -> Result<Self> {
        Ok(Endpoint {
            token_url: validate_endpoint_url(token_url, "token URL")?,
            vendor: None,
            default_lifetime,
        })
    }

    fn error(&self, kind: ErrorKind, message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
        let e = Error::new(kind, message);
        match self.vendor {
            Some(v) => e.with_vendor(v),
            None => e,
        }
    }

    /// The token endpoint's answer `{access_token, token_type?, expires_in?,
    /// refresh_token?}`. A malformed answer is a `Decode` error naming the
    /// field, never quoting a value.
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
            None | Some(serde_json::Value::Null) => self.default_lifetime,
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
        token.refresh_token = raw
            .refresh_token
            .filter(|r| !r.is_empty())
            .map(SecretString::from);
        Ok(token)
    }

    /// The error of a refused token request, with every encoding of every
    /// credential (`scrubber`) removed from its body and headers.
    fn failure(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        scrubber: &Scrubber,
    ) -> Error {
        #[derive(Deserialize)]
        struct OAuthError {
            error: Option<String>,
            error_description: Option<String>,
        }
        let text = scrubber.scrub(&String::from_utf8_lossy(body)).into_owned();
        let headers = scrubber.scrub_headers(headers);
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
            .with_http(status, &headers, text.as_bytes());
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

    /// `POST {token_url}` with the form `body`, retried per the config's
    /// [`RetryPolicy`](super::RetryPolicy) (connection errors, 429, the
    /// policy's transient 5xx) within its deadline.
    async fn request(
        &self,
        http: &reqwest::Client,
        config: &HttpConfig,
        body: Bytes,
        scrubber: &Scrubber,
    ) -> Result<Token> {
        let started = Instant::now();
        let deadline = after(started, config.deadline());
        let policy = config.retry();
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
                    let e = self.failure(status, &headers, &body, scrubber);
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

/// The lifetime [`OAuthClientCredentials`] assumes when the answer has no
/// `expires_in`.
const CLIENT_CREDENTIALS_DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// The lifetime [`OAuthPasswordGrant`] assumes by default when the answer
/// has no `expires_in`: ServiceNow's default access-token lifespan.
pub const PASSWORD_GRANT_DEFAULT_LIFETIME: Duration = Duration::from_secs(1800);

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
/// appear in a message, a `Debug` output or a log line; an error body
/// keeps no encoding of the secret (raw, percent- or form-encoded, JSON
/// escaped, base64, inside a `Basic` header), as
/// [`Scrubber`](crate::secrets::Scrubber) finds them.
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
    endpoint: Endpoint,
    client_id: String,
    client_secret: SecretString,
    scope: Option<String>,
    extra_form: Vec<(String, String)>,
}

impl fmt::Debug for OAuthClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClientCredentials")
            .field("token_url", &self.endpoint.token_url.path())
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
            endpoint: Endpoint::new(token_url, CLIENT_CREDENTIALS_DEFAULT_LIFETIME)?,
            client_id: client_id.into(),
            client_secret,
            scope: None,
            extra_form: Vec::new(),
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
        self.endpoint
            .token_url
            .query_pairs_mut()
            .append_pair(name, value);
        self
    }

    /// Names the vendor in errors.
    #[must_use]
    pub fn with_vendor(mut self, vendor: Vendor) -> Self {
        self.endpoint.vendor = Some(vendor);
        self
    }

    /// The token URL.
    pub fn token_url(&self) -> &Url {
        &self.endpoint.token_url
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

    /// Every credential of the grant, to remove from what the server sends
    /// back: the secret and the `Basic base64(client_id:secret)` some
    /// servers quote.
    fn scrubber(&self) -> Scrubber {
        Scrubber::default()
            .with_secret(&self.client_secret)
            .with_basic(&self.client_id, self.client_secret.expose_secret())
    }

    #[cfg(test)]
    fn parse_token(&self, body: &[u8]) -> Result<Token> {
        self.endpoint.parse_token(body)
    }

    #[cfg(test)]
    fn failure(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
        self.endpoint
            .failure(status, headers, body, &self.scrubber())
    }
}

#[async_trait]
impl TokenSource for OAuthClientCredentials {
    fn cache_key(&self) -> String {
        format!(
            "oauth-client-credentials {} {} {}",
            self.endpoint.token_url,
            self.client_id,
            self.scope.as_deref().unwrap_or_default()
        )
    }

    async fn fetch(&self, http: &reqwest::Client, config: &HttpConfig) -> Result<Token> {
        self.endpoint
            .request(http, config, self.form(), &self.scrubber())
            .await
    }
}

/// The OAuth 2.0 resource-owner password grant with its refresh token
/// (ServiceNow `POST /oauth_token.do`, for instances without the
/// client-credentials grant, and for acting as a given user).
///
/// The first fetch sends `grant_type=password` with `client_id`,
/// `client_secret`, `username`, `password` (and `scope` when set); the
/// refresh token of the answer is kept, and later fetches send
/// `grant_type=refresh_token` with it, falling back to the password grant
/// when the server refuses it (expired or revoked). A refresh answer
/// without a refresh token keeps the current one. When the answer has no
/// `expires_in` the token is believed for
/// [`PASSWORD_GRANT_DEFAULT_LIFETIME`] (1800 s) unless
/// [`with_default_lifetime`](Self::with_default_lifetime) says otherwise.
///
/// Failures, retries and secrecy are those of [`OAuthClientCredentials`]:
/// an error body, its headers, a message, a `Debug` output or a log line
/// never hold the password, the client secret or the refresh token in any
/// encoding ([`Scrubber`](crate::secrets::Scrubber)).
///
/// ```
/// use psa_core::http::OAuthPasswordGrant;
/// use secrecy::SecretString;
///
/// let source = OAuthPasswordGrant::new(
///     "https://acme.service-now.com/oauth_token.do",
///     "client-id",
///     SecretString::from("client-secret"),
///     "beth.anglin",
///     SecretString::from("her-password"),
/// )
/// .unwrap();
/// assert_eq!(source.username(), "beth.anglin");
/// assert!(!format!("{source:?}").contains("her-password"));
/// ```
pub struct OAuthPasswordGrant {
    endpoint: Endpoint,
    client_id: String,
    client_secret: SecretString,
    username: String,
    password: SecretString,
    scope: Option<String>,
    refresh: Mutex<Option<SecretString>>,
}

impl fmt::Debug for OAuthPasswordGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthPasswordGrant")
            .field("token_url", &self.endpoint.token_url.path())
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl OAuthPasswordGrant {
    /// The grant against `token_url` (https, or http on loopback; no
    /// credentials in the URL) for the user `username`.
    pub fn new(
        token_url: &str,
        client_id: impl Into<String>,
        client_secret: SecretString,
        username: impl Into<String>,
        password: SecretString,
    ) -> Result<Self> {
        Ok(OAuthPasswordGrant {
            endpoint: Endpoint::new(token_url, PASSWORD_GRANT_DEFAULT_LIFETIME)?,
            client_id: client_id.into(),
            client_secret,
            username: username.into(),
            password,
            scope: None,
            refresh: Mutex::new(None),
        })
    }

    /// Asks for `scope` (space-separated scopes).
    #[must_use]
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Names the vendor in errors.
    #[must_use]
    pub fn with_vendor(mut self, vendor: Vendor) -> Self {
        self.endpoint.vendor = Some(vendor);
        self
    }

    /// The lifetime believed when the answer has no `expires_in` (default
    /// [`PASSWORD_GRANT_DEFAULT_LIFETIME`]).
    #[must_use]
    pub fn with_default_lifetime(mut self, lifetime: Duration) -> Self {
        self.endpoint.default_lifetime = lifetime;
        self
    }

    /// The token URL.
    pub fn token_url(&self) -> &Url {
        &self.endpoint.token_url
    }

    /// The user the tokens stand for.
    pub fn username(&self) -> &str {
        &self.username
    }

    fn refresh_token(&self) -> Option<SecretString> {
        self.refresh
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set_refresh_token(&self, token: Option<SecretString>) {
        *self.refresh.lock().unwrap_or_else(PoisonError::into_inner) = token;
    }

    /// Every credential of the grant: the client secret, the password, the
    /// refresh token held, and both `Basic` pairs.
    fn scrubber(&self) -> Scrubber {
        let mut s = Scrubber::default()
            .with_secret(&self.client_secret)
            .with_secret(&self.password)
            .with_basic(&self.client_id, self.client_secret.expose_secret())
            .with_basic(&self.username, self.password.expose_secret());
        if let Some(r) = self.refresh_token() {
            s = s.with_secret(&r);
        }
        s
    }

    fn form(&self, pairs: &[(&str, &str)]) -> Bytes {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            form.append_pair(k, v);
        }
        form.append_pair("client_id", &self.client_id)
            .append_pair("client_secret", self.client_secret.expose_secret());
        if let Some(scope) = &self.scope {
            form.append_pair("scope", scope);
        }
        Bytes::from(form.finish())
    }
}

#[async_trait]
impl TokenSource for OAuthPasswordGrant {
    fn cache_key(&self) -> String {
        format!(
            "oauth-password-grant {} {} {} {}",
            self.endpoint.token_url,
            self.client_id,
            self.username,
            self.scope.as_deref().unwrap_or_default()
        )
    }

    async fn fetch(&self, http: &reqwest::Client, config: &HttpConfig) -> Result<Token> {
        let scrubber = self.scrubber();
        if let Some(refresh) = self.refresh_token() {
            let form = self.form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh.expose_secret()),
            ]);
            match self.endpoint.request(http, config, form, &scrubber).await {
                Ok(mut token) => {
                    // "Requests within the refresh-token lifetime return the
                    // current refresh token"; keep ours when none comes.
                    let next = token.refresh_token.take().unwrap_or(refresh);
                    self.set_refresh_token(Some(next));
                    return Ok(token);
                }
                Err(e) if e.is_unauthorized() => {
                    tracing::debug!("refresh token refused; using the password grant");
                    self.set_refresh_token(None);
                }
                Err(e) => return Err(e),
            }
        }
        let form = self.form(&[
            ("grant_type", "password"),
            ("username", &self.username),
            ("password", self.password.expose_secret()),
        ]);
        let mut token = self.endpoint.request(http, config, form, &scrubber).await?;
        self.set_refresh_token(token.refresh_token.take());
        Ok(token)
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
    #[test]
    fn password_grant_defaults_to_1800_seconds_and_scrubs_every_encoding() {
        use base64::Engine as _;
        let g = OAuthPasswordGrant::new(
            "https://x.service-now.com/oauth_token.do",
            "client-id",
            SecretString::from("cl/ient secret+1"),
            "beth.anglin",
            SecretString::from("pa ss+wörd/2"),
        )
        .unwrap()
        .with_vendor(Vendor::ServiceNow);
        g.set_refresh_token(Some(SecretString::from("refresh-canary-3")));
        let t = g.endpoint.parse_token(br#"{"access_token":"a"}"#).unwrap();
        let left = t.expires_at.duration_since(SystemTime::now()).unwrap();
        assert!(left <= Duration::from_secs(1800) && left > Duration::from_secs(1790));
        let t = g
            .with_default_lifetime(Duration::from_secs(60))
            .endpoint
            .parse_token(br#"{"access_token":"a","refresh_token":""}"#)
            .unwrap();
        assert!(t.refresh_token.is_none(), "an empty refresh token is none");
        let left = t.expires_at.duration_since(SystemTime::now()).unwrap();
        assert!(left <= Duration::from_secs(60));

        let g = OAuthPasswordGrant::new(
            "https://x.service-now.com/oauth_token.do",
            "client-id",
            SecretString::from("cl/ient secret+1"),
            "beth.anglin",
            SecretString::from("pa ss+wörd/2"),
        )
        .unwrap();
        g.set_refresh_token(Some(SecretString::from("refresh-canary-3")));
        let b64 = base64::engine::general_purpose::STANDARD;
        let basic_user = b64.encode("beth.anglin:pa ss+wörd/2");
        let basic_client = b64.encode("client-id:cl/ient secret+1");
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("password", "pa ss+wörd/2")
            .append_pair("client_secret", "cl/ient secret+1")
            .finish();
        let body = format!(
            "{{\"error\":\"invalid_grant\",\"error_description\":\"raw pa ss+wörd/2 cl/ient secret+1 refresh-canary-3 \
             form {form} pct pa%20ss%2Bw%C3%B6rd%2F2 b64 {} Basic {basic_user} Basic {basic_client}\"}}",
            b64.encode("pa ss+wörd/2")
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-echo",
            HeaderValue::from_str(&format!("Basic {basic_user}")).unwrap(),
        );
        let e = g.endpoint.failure(
            StatusCode::UNAUTHORIZED,
            &headers,
            body.as_bytes(),
            &g.scrubber(),
        );
        assert!(e.is_unauthorized());
        let all = format!(
            "{e} {e:?} {:?} {:?} {:?}",
            e.raw_body(),
            e.headers(),
            e.api_body()
        );
        let secrets = Scrubber::new(["pa ss+wörd/2", "cl/ient secret+1", "refresh-canary-3"])
            .with_basic("beth.anglin", "pa ss+wörd/2")
            .with_basic("client-id", "cl/ient secret+1");
        assert!(!secrets.contains_secret(&all), "{all}");
        for gone in [
            basic_user.as_str(),
            basic_client.as_str(),
            "refresh-canary-3",
            "pa%20ss",
        ] {
            assert!(!all.contains(gone), "{gone} in {all}");
        }
        assert!(all.contains("invalid_grant"), "{all}");
    }

    #[test]
    fn client_credentials_scrub_encoded_secrets_too() {
        use base64::Engine as _;
        let s = OAuthClientCredentials::new(
            "https://x.example/token",
            "id",
            SecretString::from("se cret+canary"),
        )
        .unwrap();
        let basic = base64::engine::general_purpose::STANDARD.encode("id:se cret+canary");
        let body = format!(
            r#"{{"error":"invalid_client","error_description":"got se+cret%2Bcanary and Basic {basic}"}}"#
        );
        let e = s.failure(StatusCode::UNAUTHORIZED, &HeaderMap::new(), body.as_bytes());
        let all = format!("{e} {e:?} {:?}", e.raw_body());
        assert!(!all.contains("canary") && !all.contains(&basic), "{all}");
    }
}
