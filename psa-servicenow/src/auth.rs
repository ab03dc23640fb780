//! ServiceNow credentials: OAuth 2.0 at `/oauth_token.do` (client
//! credentials, or the password grant with its refresh token), or Basic —
//! and what each becomes for psa-core's HTTP client
//! ([`psa_core::http::Auth`]): a [`TokenAuth`] over psa-core's
//! [`OAuthClientCredentials`] or over this crate's password grant, or a
//! [`StaticHeaderAuth`] for Basic.
//!
//! [`TokenAuth`] caches the token, renews it early and single-flight, and
//! renews it once after a 401. The password grant lives here until
//! psa-core's OAuth source takes other grants than `client_credentials`.
//!
//! Every secret is a [`SecretString`]: no `Debug` output, log line or error
//! message contains one.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use http::StatusCode;
use psa_core::http::{
    ApiRequest, Auth as CoreAuth, HttpClient, HttpConfig, OAuthClientCredentials, StaticHeaderAuth,
    Token, TokenAuth, TokenSource, TokenStore,
};
use psa_core::reexports::reqwest;
use psa_core::{Error, ErrorKind, Result, Vendor};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::error::{error_parser, parse_error_body};

/// The token endpoint, relative to the instance URL.
pub(crate) const TOKEN_PATH: &str = "oauth_token.do";

/// How the client authenticates. Writes are attributed to the user the
/// credentials stand for (`sys_updated_by`, journal authors): use a dedicated
/// integration user (see the crate README).
#[derive(Clone)]
#[non_exhaustive]
pub enum Auth {
    /// OAuth 2.0 client credentials (`grant_type=client_credentials`). The
    /// token acts as the OAuth client's *OAuth Application User*; the
    /// instance needs the system property
    /// `glide.oauth.inbound.client.credential.grant_type.enabled = true`.
    ClientCredentials {
        /// The OAuth client id.
        client_id: String,
        /// The OAuth client secret.
        client_secret: SecretString,
    },
    /// OAuth 2.0 password grant (`grant_type=password`), as the given user,
    /// then `grant_type=refresh_token` while the refresh token lasts. For
    /// instances without the client-credentials grant.
    Password {
        /// The OAuth client id.
        client_id: String,
        /// The OAuth client secret.
        client_secret: SecretString,
        /// The user's login name.
        username: String,
        /// The user's password.
        password: SecretString,
    },
    /// HTTP Basic: `Authorization: Basic base64(user:password)` on every request.
    Basic {
        /// The user's login name.
        username: String,
        /// The user's password.
        password: SecretString,
    },
}

impl Auth {
    /// OAuth client credentials.
    pub fn client_credentials(client_id: impl Into<String>, client_secret: SecretString) -> Self {
        Auth::ClientCredentials {
            client_id: client_id.into(),
            client_secret,
        }
    }

    /// OAuth password grant with refresh token.
    pub fn password(
        client_id: impl Into<String>,
        client_secret: SecretString,
        username: impl Into<String>,
        password: SecretString,
    ) -> Self {
        Auth::Password {
            client_id: client_id.into(),
            client_secret,
            username: username.into(),
            password,
        }
    }

    /// HTTP Basic.
    pub fn basic(username: impl Into<String>, password: SecretString) -> Self {
        Auth::Basic {
            username: username.into(),
            password,
        }
    }

    /// A short name of the method, for `Debug` and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Auth::ClientCredentials { .. } => "oauth client credentials",
            Auth::Password { .. } => "oauth password grant",
            Auth::Basic { .. } => "basic",
        }
    }

    /// Who the instance counts requests by (rate-limit rules are set per
    /// user): the OAuth client (its application user), or the user's login.
    /// Not a secret.
    pub(crate) fn principal(&self) -> String {
        match self {
            Auth::ClientCredentials { client_id, .. } => format!("client {client_id}"),
            Auth::Password { username, .. } | Auth::Basic { username, .. } => {
                format!("user {username}")
            }
        }
    }

    /// The credentials as psa-core's HTTP client uses them. Token requests
    /// share `pool` (the API's connection pool) and `config`'s timeouts;
    /// tokens are kept in `store` when one is given.
    pub(crate) fn into_core(
        self,
        base: &Url,
        config: &HttpConfig,
        pool: &reqwest::Client,
        store: Option<&Arc<dyn TokenStore>>,
    ) -> Result<Arc<dyn CoreAuth>> {
        let config_err = |e: Error| e.with_vendor(Vendor::ServiceNow);
        let token_url = base.join(TOKEN_PATH).map_err(|e| {
            Error::config(format!("token URL: {e}")).with_vendor(Vendor::ServiceNow)
        })?;
        let tokens = |source: Arc<dyn TokenSource>| -> Result<Arc<dyn CoreAuth>> {
            let mut t = TokenAuth::new(source, config.clone())
                .map_err(config_err)?
                .with_http_client(pool.clone());
            if let Some(store) = store {
                t = t.with_store(Arc::clone(store));
            }
            Ok(Arc::new(t))
        };
        match self {
            Auth::ClientCredentials {
                client_id,
                client_secret,
            } => tokens(Arc::new(
                OAuthClientCredentials::new(token_url.as_str(), client_id, client_secret)
                    .map_err(config_err)?
                    .with_vendor(Vendor::ServiceNow),
            )),
            Auth::Password {
                client_id,
                client_secret,
                username,
                password,
            } => {
                // The token endpoint's own client: no credentials of its own
                // (they travel in the form), not rate limited by the Table
                // API's rules, the same pool and timeouts.
                let endpoint = HttpClient::builder(Vendor::ServiceNow, base.as_str())
                    .config(config.clone())
                    .reqwest_client(pool.clone())
                    .error_parser(error_parser())
                    .build()?;
                tokens(Arc::new(PasswordGrant {
                    endpoint,
                    token_url,
                    client_id,
                    client_secret,
                    username,
                    password,
                    refresh: Mutex::new(None),
                }))
            }
            Auth::Basic { username, password } => Ok(Arc::new(
                StaticHeaderAuth::basic(&username, password).map_err(config_err)?,
            )),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::ClientCredentials { client_id, .. } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .field("client_secret", &"[redacted]")
                .finish(),
            Auth::Password {
                client_id,
                username,
                ..
            } => f
                .debug_struct("Password")
                .field("client_id", client_id)
                .field("client_secret", &"[redacted]")
                .field("username", username)
                .field("password", &"[redacted]")
                .finish(),
            Auth::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"[redacted]")
                .finish(),
        }
    }
}

/// The OAuth password grant, then `grant_type=refresh_token` while the
/// refresh token lasts (falling back to the password grant when the
/// instance refuses it), as a [`TokenSource`] for [`TokenAuth`] — which
/// caches the token, renews it early and single-flight, and renews it once
/// after a 401.
///
/// Its requests go through an [`HttpClient`] of their own (without
/// credentials: they are in the form). A refusal is `Unauthorized` with
/// ServiceNow's OAuth error body parsed; the error keeps no copy of the
/// password or the client secret, even if the instance echoed one.
struct PasswordGrant {
    endpoint: HttpClient,
    token_url: Url,
    client_id: String,
    client_secret: SecretString,
    username: String,
    password: SecretString,
    refresh: Mutex<Option<SecretString>>,
}

impl fmt::Debug for PasswordGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordGrant")
            .field("token_url", &self.token_url.path())
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl PasswordGrant {
    fn refresh_token(&self) -> Option<SecretString> {
        self.refresh
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set_refresh_token(&self, token: Option<SecretString>) {
        *self.refresh.lock().unwrap_or_else(PoisonError::into_inner) = token;
    }

    /// Removes any copy of a secret from text the instance sent back.
    fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in [
            self.client_secret.expose_secret(),
            self.password.expose_secret(),
        ] {
            if !secret.is_empty() {
                out = out.replace(secret, "[redacted]");
            }
        }
        if let Some(r) = self.refresh_token() {
            if !r.expose_secret().is_empty() {
                out = out.replace(r.expose_secret(), "[redacted]");
            }
        }
        out
    }

    /// One grant: `POST /oauth_token.do`, form-encoded.
    async fn grant(&self, what: &str, form: &[(&str, &str)]) -> Result<Token> {
        let req = ApiRequest::post(TOKEN_PATH)
            .form(form.iter().copied())
            // A token request changes nothing: retrying it is safe.
            .idempotent(true)
            .rate_key("oauth_token.do");
        match self.endpoint.send(req).await {
            Ok(resp) => parse_token(&resp.body),
            Err(e) => Err(self.refused(what, &e)),
        }
    }

    /// The error of a failed grant, rebuilt without any secret.
    fn refused(&self, what: &str, e: &Error) -> Error {
        let Some(status) = e.http_status() else {
            // Transport failures and timeouts: kept as they are (they
            // carry no body).
            return Error::new(e.kind(), format!("{what} request failed: {}", e.message()))
                .with_vendor(Vendor::ServiceNow);
        };
        let body = self.scrub(e.raw_body().unwrap_or_default());
        let parsed = parse_error_body(body.as_bytes());
        let kind = if status == StatusCode::TOO_MANY_REQUESTS {
            ErrorKind::RateLimited
        } else if status.is_server_error() {
            ErrorKind::Api
        } else {
            ErrorKind::Unauthorized
        };
        let detail = parsed
            .as_ref()
            .and_then(|p| p.message.as_deref())
            .map(|m| format!(": {m}"))
            .unwrap_or_default();
        let empty = http::HeaderMap::new();
        let mut out = Error::new(kind, format!("{what} refused{detail}"))
            .with_vendor(Vendor::ServiceNow)
            .with_http(status, e.headers().unwrap_or(&empty), body.as_bytes());
        if let Some(p) = parsed {
            out = out.with_api_body(p);
        }
        if let Some(after) = e.retry_after() {
            out = out.with_retry_after(after);
        }
        out
    }
}

#[async_trait]
impl TokenSource for PasswordGrant {
    fn cache_key(&self) -> String {
        format!(
            "servicenow-password-grant {} {} {}",
            self.token_url, self.client_id, self.username
        )
    }

    async fn fetch(&self, _http: &reqwest::Client, _config: &HttpConfig) -> Result<Token> {
        if let Some(refresh) = self.refresh_token() {
            let got = self
                .grant(
                    "refresh-token grant",
                    &[
                        ("grant_type", "refresh_token"),
                        ("client_id", &self.client_id),
                        ("client_secret", self.client_secret.expose_secret()),
                        ("refresh_token", refresh.expose_secret()),
                    ],
                )
                .await;
            match got {
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
        let mut token = self
            .grant(
                "password grant",
                &[
                    ("grant_type", "password"),
                    ("client_id", &self.client_id),
                    ("client_secret", self.client_secret.expose_secret()),
                    ("username", &self.username),
                    ("password", self.password.expose_secret()),
                ],
            )
            .await?;
        self.set_refresh_token(token.refresh_token.take());
        Ok(token)
    }
}

/// The token endpoint's answer: `{"scope":"useraccount","token_type":"Bearer",
/// "expires_in":1799,"refresh_token":"…","access_token":"…"}`. A malformed
/// answer is a `Decode` error naming the field, never quoting a value.
fn parse_token(body: &[u8]) -> Result<Token> {
    #[derive(serde::Deserialize)]
    struct Raw {
        access_token: String,
        #[serde(default)]
        token_type: Option<String>,
        #[serde(default)]
        expires_in: Option<serde_json::Value>,
        #[serde(default)]
        refresh_token: Option<String>,
    }
    let decode = |why: String| Error::new(ErrorKind::Decode, why).with_vendor(Vendor::ServiceNow);
    let mut de = serde_json::Deserializer::from_slice(body);
    let raw: Raw = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        decode(format!(
            "token response: missing or malformed field at `{}`",
            e.path()
        ))
    })?;
    de.end()
        .map_err(|_| decode("token response: trailing data after the JSON object".into()))?;
    if raw.access_token.is_empty() {
        return Err(decode("token response: empty `access_token`".into()));
    }
    let lifetime = match raw.expires_in {
        None | Some(serde_json::Value::Null) => Duration::from_secs(1800),
        Some(serde_json::Value::Number(n)) => n
            .as_u64()
            .map(Duration::from_secs)
            .ok_or_else(|| decode("token response: bad `expires_in`".into()))?,
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|_| decode("token response: bad `expires_in`".into()))?,
        Some(_) => return Err(decode("token response: bad `expires_in`".into())),
    };
    let lifetime = lifetime.min(Duration::from_secs(366 * 24 * 3600));
    let mut token = Token::new(
        SecretString::from(raw.access_token),
        SystemTime::now() + lifetime,
    );
    if let Some(t) = raw.token_type.filter(|t| !t.is_empty()) {
        token = token.with_token_type(t);
    }
    if let Some(r) = raw.refresh_token.filter(|r| !r.is_empty()) {
        token = token.with_refresh_token(SecretString::from(r));
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_responses_parse_without_quoting_values() {
        let t = parse_token(
            br#"{"scope":"useraccount","token_type":"Bearer","expires_in":1799,"refresh_token":"r-canary","access_token":"a-canary"}"#,
        )
        .unwrap();
        assert_eq!(t.access_token.expose_secret(), "a-canary");
        assert!(t.refresh_token.is_some());
        assert!(!format!("{t:?}").contains("canary"));
        let t = parse_token(br#"{"access_token":"a","expires_in":"60"}"#).unwrap();
        let left = t.expires_at.duration_since(SystemTime::now()).unwrap();
        assert!(left <= Duration::from_secs(60) && left > Duration::from_secs(50));
        for bad in [
            &br#"{"access_token":"secret-canary","expires_in":"soon"}"#[..],
            br#"{"access_token":42}"#,
            br#"{"access_token":""}"#,
            b"<html>",
        ] {
            let e = parse_token(bad).unwrap_err();
            assert!(e.is_decode());
            assert!(!format!("{e} {e:?}").contains("canary"));
        }
    }
}
