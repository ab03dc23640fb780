//! ServiceNow credentials: OAuth 2.0 at `/oauth_token.do` (client
//! credentials, or the password grant with its refresh token), or Basic.
//!
//! Every secret is a [`SecretString`]: no `Debug` output, log line or error
//! message contains one.

use std::fmt;

use secrecy::SecretString;

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
