//! ConnectWise credentials → request headers.
//!
//! Every call carries
//!
//! - `Authorization: Basic base64("{companyId}+{publicKey}:{privateKey}")`
//!   — the API member's key pair (System › Members › API Members › API
//!   Keys), or a member token's temporary pair when acting as a member;
//! - `clientId: {GUID}` — the integration's id from
//!   developer.connectwise.com/ClientID, which ConnectWise asks to be
//!   treated like a password.
//!
//! Both header values are marked sensitive; no `Debug` output shows them.

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderName, HeaderValue};
use psa_core::http::{
    ApiRequest, Auth, AuthStamp, HttpClient, HttpConfig, StaticHeaderAuth, Token, TokenAuth,
    TokenSource, TokenStore,
};
use psa_core::reexports::reqwest;
use psa_core::secrets::Scrubber;
use psa_core::{Error, ErrorKind, Result, Vendor};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The header carrying the integration's client id.
pub const CLIENT_ID_HEADER: &str = "clientId";

/// An API member's credentials and the integration's client id.
#[derive(Clone)]
pub struct Credentials {
    company_id: String,
    public_key: SecretString,
    private_key: SecretString,
    client_id: SecretString,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("company_id", &self.company_id)
            .field("public_key", &"[redacted]")
            .field("private_key", &"[redacted]")
            .field("client_id", &"[redacted]")
            .finish()
    }
}

impl Credentials {
    /// The company id (the one typed at login), the API member's key pair and
    /// the integration's client id.
    pub fn new(
        company_id: impl Into<String>,
        public_key: SecretString,
        private_key: SecretString,
        client_id: SecretString,
    ) -> Result<Self> {
        let company_id = company_id.into();
        let bad = |what: &str| {
            Error::config(format!(
                "ConnectWise {what} is empty or has forbidden characters"
            ))
            .with_vendor(Vendor::ConnectWise)
        };
        let ok = |s: &str| !s.is_empty() && !s.chars().any(|c| c.is_control() || c == ':');
        if !ok(company_id.trim()) || company_id.contains('+') || company_id.contains('/') {
            return Err(bad("company id"));
        }
        if !ok(public_key.expose_secret()) || public_key.expose_secret().contains('+') {
            return Err(bad("public key"));
        }
        if private_key.expose_secret().is_empty()
            || private_key.expose_secret().chars().any(char::is_control)
        {
            return Err(bad("private key"));
        }
        if !ok(client_id.expose_secret()) {
            return Err(bad("clientId"));
        }
        Ok(Credentials {
            company_id: company_id.trim().to_owned(),
            public_key,
            private_key,
            client_id,
        })
    }

    /// The company id.
    pub fn company_id(&self) -> &str {
        &self.company_id
    }

    /// The `Authorization` value of the API member's keys, marked sensitive.
    ///
    /// ```
    /// use psa_connectwise::auth::Credentials;
    /// let c = Credentials::new("acme", "pub".to_owned().into(), "priv".to_owned().into(),
    ///     "client".to_owned().into())?;
    /// // base64("acme+pub:priv")
    /// assert_eq!(c.authorization()?.to_str().unwrap(), "Basic YWNtZStwdWI6cHJpdg==");
    /// assert!(c.authorization()?.is_sensitive());
    /// # Ok::<(), psa_core::Error>(())
    /// ```
    pub fn authorization(&self) -> Result<HeaderValue> {
        basic(&self.company_id, &self.public_key, &self.private_key)
    }

    /// A scrubber of these credentials: the keys and the clientId in every
    /// encoding, and the `Basic base64("{company}+{public}:{private}")`
    /// header (standard and URL-safe base64).
    pub fn scrubber(&self) -> Scrubber {
        Scrubber::new::<[&str; 0], &str>([])
            .with_basic(
                &format!("{}+{}", self.company_id, self.public_key.expose_secret()),
                self.private_key.expose_secret(),
            )
            .with_secret(&self.public_key)
            .with_secret(&self.client_id)
    }

    /// The `clientId` header value, marked sensitive.
    pub fn client_id_header(&self) -> Result<HeaderValue> {
        sensitive(self.client_id.expose_secret())
    }
}

fn sensitive(value: &str) -> Result<HeaderValue> {
    let mut v = HeaderValue::from_str(value).map_err(|_| {
        Error::config("ConnectWise credential is not a valid header value")
            .with_vendor(Vendor::ConnectWise)
    })?;
    v.set_sensitive(true);
    Ok(v)
}

/// `Basic base64("{company}+{public}:{private}")`, marked sensitive.
pub(crate) fn basic(
    company: &str,
    public: &SecretString,
    private: &SecretString,
) -> Result<HeaderValue> {
    let raw = format!(
        "{company}+{}:{}",
        public.expose_secret(),
        private.expose_secret()
    );
    sensitive(&format!("Basic {}", BASE64.encode(raw.as_bytes())))
}

/// A member token: the temporary key pair `POST /system/members/{id}/tokens`
/// returns, to act as that member until it expires.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberToken {
    /// The temporary public key.
    pub public_key: SecretString,
    /// The temporary private key.
    pub private_key: SecretString,
    /// When it expires (UTC).
    #[serde(with = "crate::models::opt_timestamp", default)]
    pub expiration: Option<DateTime<Utc>>,
}

impl fmt::Debug for MemberToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemberToken")
            .field("public_key", &"[redacted]")
            .field("private_key", &"[redacted]")
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// The API member's credentials as a [`StaticHeaderAuth`]: `Authorization:
/// Basic …` and `clientId`, both sensitive.
pub fn api_key_auth(c: &Credentials) -> Result<StaticHeaderAuth> {
    let user = SecretString::from(format!("{}+{}", c.company_id, c.public_key.expose_secret()));
    StaticHeaderAuth::new()
        .with_basic(user.expose_secret(), &c.private_key)
        .and_then(|a| a.with_header(CLIENT_ID_HEADER, c.client_id.clone()))
        .map_err(|e| e.with_vendor(Vendor::ConnectWise))
}

/// Member tokens as a [`TokenSource`]: `POST /system/members/{member}/tokens`
/// (header `x-cw-usertype: member`) made with the API member's keys; the
/// temporary key pair becomes the `Basic` credential until it expires.
#[derive(Debug)]
pub struct MemberTokenSource {
    api: HttpClient,
    company_id: String,
    member: String,
    scrubber: Scrubber,
}

impl MemberTokenSource {
    /// Tokens of `member`, requested through `api` (a client with the API
    /// member's keys).
    pub fn new(
        api: HttpClient,
        company_id: impl Into<String>,
        member: impl Into<String>,
    ) -> Result<Self> {
        let member = member.into();
        if member.is_empty()
            || !member
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        {
            return Err(Error::config(format!(
                "{member:?} is not a ConnectWise member identifier"
            ))
            .with_vendor(Vendor::ConnectWise));
        }
        Ok(MemberTokenSource {
            api,
            company_id: company_id.into(),
            member,
            scrubber: Scrubber::new::<[&str; 0], &str>([]),
        })
    }

    /// Removes `credentials` (in every encoding, the `Basic` header of the
    /// API key included) from the errors of token requests: a proxy or the
    /// site may echo them in an error body or header.
    #[must_use]
    pub fn scrubbing(mut self, credentials: &Credentials) -> Self {
        self.scrubber = credentials.scrubber();
        self
    }

    /// The token request, without I/O. Idempotent: asking again for a
    /// token only issues another one, so a 503 or a timeout is retried
    /// (within the client's retry policy) instead of failing the read that
    /// needed the token as an `AmbiguousWrite`.
    pub fn token_request(&self) -> Result<ApiRequest> {
        Ok(
            ApiRequest::post(format!("system/members/{}/tokens", self.member))
                .header(
                    HeaderName::from_static("x-cw-usertype"),
                    HeaderValue::from_static("member"),
                )
                .json(&serde_json::json!({ "memberIdentifier": self.member }))?
                .idempotent(true),
        )
    }

    /// Requests a token now, through the API member's client (its timeouts,
    /// retries, limiter and retry budget).
    pub async fn request(&self) -> Result<MemberToken> {
        let req = self.token_request()?;
        let scrub = |e: Error| e.scrubbed(&self.scrubber);
        match self.api.send(req).await {
            Ok(resp) => resp.json_named("ConnectWise member token").map_err(scrub),
            Err(e) if e.is_unauthorized() || e.is_forbidden() || e.is_not_found() => {
                Err(Error::new(
                    ErrorKind::Unauthorized,
                    format!("ConnectWise refused a member token for {}", self.member),
                )
                .with_vendor(Vendor::ConnectWise)
                .with_source(scrub(e)))
            }
            Err(e) => Err(scrub(e)),
        }
    }
}

#[async_trait]
impl TokenSource for MemberTokenSource {
    fn cache_key(&self) -> String {
        format!(
            "connectwise:{}:{}:member:{}",
            self.api.base_url(),
            self.company_id,
            self.member
        )
    }

    async fn fetch(&self, _http: &reqwest::Client, _config: &HttpConfig) -> Result<Token> {
        let token = self.request().await?;
        let raw = format!(
            "{}+{}:{}",
            self.company_id,
            token.public_key.expose_secret(),
            token.private_key.expose_secret()
        );
        let encoded = SecretString::from(BASE64.encode(raw.as_bytes()));
        drop(raw);
        // ConnectWise always sends an expiry; without one, renew soon
        let expires = token
            .expiration
            .and_then(|e| {
                let secs = e.timestamp();
                u64::try_from(secs).ok()
            })
            .map_or_else(
                || SystemTime::now() + Duration::from_secs(600),
                |s| UNIX_EPOCH + Duration::from_secs(s),
            );
        Ok(Token::new(encoded, expires).with_token_type("Basic"))
    }
}

/// Auth of a client acting as a member: the member token (cached, renewed
/// early and single-flight by [`TokenAuth`]) and the `clientId` header.
#[derive(Debug)]
pub struct MemberAuth {
    tokens: TokenAuth,
    client_id: HeaderValue,
}

impl MemberAuth {
    /// Member tokens from `source`, with `credentials`' clientId and the
    /// client's HTTP configuration (`source` sends its requests through the
    /// API member's client, built with the same configuration).
    pub fn new(
        source: MemberTokenSource,
        credentials: &Credentials,
        config: HttpConfig,
    ) -> Result<Self> {
        Ok(MemberAuth {
            tokens: TokenAuth::new(Arc::new(source), config)?,
            client_id: credentials.client_id_header()?,
        })
    }

    /// Shares the client's connection pool.
    #[must_use]
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.tokens = self.tokens.with_http_client(http);
        self
    }

    /// Keeps member tokens in `store` (shared by replicas, for instance)
    /// instead of this process's memory.
    #[must_use]
    pub fn with_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.tokens = self.tokens.with_store(store);
        self
    }
}

#[async_trait]
impl Auth for MemberAuth {
    async fn authorize(&self, headers: &mut HeaderMap) -> Result<AuthStamp> {
        let stamp = self.tokens.authorize(headers).await?;
        headers.insert(HeaderName::from_static("clientid"), self.client_id.clone());
        Ok(stamp)
    }

    async fn on_unauthorized(&self, stamp: AuthStamp) -> bool {
        self.tokens.on_unauthorized(stamp).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_request_is_a_retryable_post() {
        let api = HttpClient::builder(
            Vendor::ConnectWise,
            "https://na.myconnectwise.net/v4_6_release/apis/3.0/",
        )
        .build()
        .unwrap();
        let source = MemberTokenSource::new(api.clone(), "acme", "jdoe").unwrap();
        let req = source.token_request().unwrap();
        assert_eq!(req.method(), &http::Method::POST);
        assert_eq!(req.path(), Some("system/members/jdoe/tokens"));
        assert_eq!(req.headers()["x-cw-usertype"], "member");
        assert_eq!(
            req.body_json().unwrap(),
            serde_json::json!({"memberIdentifier": "jdoe"})
        );
        assert!(
            req.is_idempotent(),
            "asking again only issues another token"
        );
        for bad in ["", "j doe", "x/../y", "a:b"] {
            assert!(
                MemberTokenSource::new(api.clone(), "acme", bad).is_err(),
                "{bad:?}"
            );
        }
    }
}
