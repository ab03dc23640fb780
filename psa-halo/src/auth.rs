//! Halo's credentials → a [`psa_core::http::Auth`]: the OAuth 2
//! client-credentials grant of a Halo API application.
//!
//! `POST {auth}/token[?tenant=NAME]` with `grant_type=client_credentials`,
//! the client id and secret, and the scopes (space-separated, default
//! [`DEFAULT_SCOPE`]). psa-core's [`TokenAuth`] caches the token, renews it
//! shortly before it expires with one request however many calls wait, and
//! on a 401 renews it once and replays the call once. A refused secret is an
//! `Unauthorized` error carrying Halo's OAuth message.

use psa_core::http::{
    HttpConfig, OAuthClientCredentials, Token, TokenAuth, TokenSource, TokenStore,
};
use psa_core::secrets::Scrubber;
use psa_core::{Result, Vendor};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::Arc;
use url::Url;

use crate::client::config_error;

/// The scope asked for when none is configured.
pub const DEFAULT_SCOPE: &str = "all";

/// An API application's credentials and what the token asks for.
#[derive(Clone)]
pub(crate) struct Credentials {
    pub(crate) client_id: String,
    pub(crate) client_secret: SecretString,
    pub(crate) scopes: Vec<String>,
    pub(crate) tenant: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The client id identifies the application; it is left out too.
        f.debug_struct("Credentials")
            .field("scopes", &self.scopes)
            .field("tenant", &self.tenant)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// Checks the credentials: a client id without control characters, a
    /// secret, a tenant and scopes without whitespace. Errors are `Config`
    /// errors naming the problem, never quoting the secret.
    pub(crate) fn new(
        client_id: Option<String>,
        client_secret: Option<SecretString>,
        scopes: Vec<String>,
        tenant: Option<String>,
    ) -> Result<Credentials> {
        let client_id = client_id
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| config_error("halo client id is not set (ClientBuilder::client_id)"))?;
        if client_id.chars().any(char::is_control) {
            return Err(config_error("halo client id contains control characters"));
        }
        let client_secret = client_secret.ok_or_else(|| {
            config_error("halo client secret is not set (ClientBuilder::client_secret)")
        })?;
        if client_secret.expose_secret().is_empty() {
            return Err(config_error("halo client secret is empty"));
        }
        if let Some(t) = &tenant {
            if t.trim().is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(config_error(format!(
                    "halo tenant {t:?} is not a tenant name"
                )));
            }
        }
        for s in &scopes {
            if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(config_error(format!("halo scope {s:?} is not a scope")));
            }
        }
        Ok(Credentials {
            client_id,
            client_secret,
            scopes,
            tenant,
        })
    }

    /// The token auth of the authorisation server `auth` (ending in `/`),
    /// sharing the API's connection pool; tokens kept in `store` when given
    /// (default: process memory).
    pub(crate) fn token_auth(
        self,
        auth: &Url,
        config: &HttpConfig,
        pool: psa_core::reexports::reqwest::Client,
        store: Option<Arc<dyn TokenStore>>,
    ) -> Result<TokenAuth> {
        let token_url = auth
            .join("token")
            .map_err(|e| config_error(format!("halo auth URL cannot take a token path: {e}")))?;
        let scope = if self.scopes.is_empty() {
            DEFAULT_SCOPE.to_owned()
        } else {
            self.scopes.join(" ")
        };
        let client_id_for_basic = self.client_id.clone();
        let mut source = OAuthClientCredentials::new(
            token_url.as_str(),
            self.client_id,
            self.client_secret.clone(),
        )
        .map_err(|e| config_error(e.message().replacen("token URL", "halo auth URL", 1)))?
        .with_scope(scope)
        .with_vendor(Vendor::Halo);
        if let Some(t) = &self.tenant {
            source = source.with_query_param("tenant", t);
        }
        let scrubber = Scrubber::default()
            .with_secret(&self.client_secret)
            .with_basic(&client_id_for_basic, self.client_secret.expose_secret());
        let source = Scrubbed {
            inner: source,
            scrubber,
        };
        let mut tokens = TokenAuth::new(Arc::new(source), config.clone())
            .map_err(|e| e.with_vendor(Vendor::Halo))?
            .with_http_client(pool);
        if let Some(store) = store {
            tokens = tokens.with_store(store);
        }
        Ok(tokens)
    }
}

/// The token endpoint, with every encoding of the client secret (as is,
/// URL-encoded, in a Basic header, base64 …) removed from the errors it
/// returns: an authorisation server that echoes the form it was sent (a
/// proxy's error page, a debug build) cannot leak the secret through an
/// error message, its body or its `Debug`.
struct Scrubbed {
    inner: OAuthClientCredentials,
    scrubber: Scrubber,
}

impl fmt::Debug for Scrubbed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

#[async_trait::async_trait]
impl TokenSource for Scrubbed {
    fn cache_key(&self) -> String {
        self.inner.cache_key()
    }

    async fn fetch(
        &self,
        http: &psa_core::reexports::reqwest::Client,
        config: &HttpConfig,
    ) -> Result<Token> {
        self.inner
            .fetch(http, config)
            .await
            .map_err(|e| e.scrubbed(&self.scrubber))
    }
}
