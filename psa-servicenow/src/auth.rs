//! ServiceNow credentials: OAuth 2.0 at `/oauth_token.do` (client
//! credentials, or the password grant with its refresh token), or Basic —
//! and what each becomes for psa-core's HTTP client
//! ([`psa_core::http::Auth`]): a [`TokenAuth`] over psa-core's
//! [`OAuthClientCredentials`] or [`OAuthPasswordGrant`] (which assumes
//! ServiceNow's 1800 s lifetime when the instance omits `expires_in`), or
//! a [`StaticHeaderAuth`] for Basic.
//!
//! [`TokenAuth`] caches the token, renews it early and single-flight, and
//! renews it once after a 401.
//!
//! Every secret is a [`SecretString`]: no `Debug` output, log line or error
//! message contains one.

use std::fmt;
use std::sync::Arc;

use psa_core::http::{
    Auth as CoreAuth, HttpConfig, OAuthClientCredentials, OAuthPasswordGrant, StaticHeaderAuth,
    TokenAuth, TokenSource, TokenStore,
};
use psa_core::reexports::reqwest;
use psa_core::{Error, Result, Vendor};
use secrecy::SecretString;
use url::Url;

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
            } => tokens(Arc::new(
                OAuthPasswordGrant::new(
                    token_url.as_str(),
                    client_id,
                    client_secret,
                    username,
                    password,
                )
                .map_err(config_err)?
                .with_vendor(Vendor::ServiceNow),
            )),
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
