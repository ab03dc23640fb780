//! Autotask's credentials: an API user's `UserName` and `Secret`, and the
//! integration's `ApiIntegrationCode` (its tracking identifier), sent as
//! headers on every request (Autotask issues no tokens). They become a
//! `psa_core::http::StaticHeaderAuth`, whose values are marked sensitive
//! and never shown.

use std::fmt;
use std::hash::{Hash, Hasher};

use psa_core::http::StaticHeaderAuth;
use psa_core::{Error, Result};
use secrecy::{ExposeSecret, SecretString};

/// An API user's credentials and the integration code.
#[derive(Clone)]
pub(crate) struct Credentials {
    username: String,
    secret: SecretString,
    integration_code: SecretString,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials([redacted])")
    }
}

impl Credentials {
    /// Checks the three parts: a user name without spaces or control
    /// characters (it is also the zone look-up key), a secret and an
    /// integration code. A missing part is a `Config` error naming it.
    pub(crate) fn new(
        username: Option<String>,
        secret: Option<SecretString>,
        integration_code: Option<SecretString>,
    ) -> Result<Credentials> {
        let username = username
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| Error::config("the Autotask API user name is missing"))?;
        if username
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(Error::config(
                "the Autotask API user name has spaces or control characters",
            ));
        }
        let secret = secret.ok_or_else(|| Error::config("the Autotask API secret is missing"))?;
        let integration_code = integration_code.ok_or_else(|| {
            Error::config("the Autotask integration code (tracking identifier) is missing")
        })?;
        Ok(Credentials {
            username,
            secret,
            integration_code,
        })
    }

    /// The API user's name.
    pub(crate) fn username(&self) -> &str {
        &self.username
    }

    /// The `UserName`, `Secret` and `ApiIntegrationCode` headers.
    pub(crate) fn auth(&self) -> Result<StaticHeaderAuth> {
        StaticHeaderAuth::new()
            .with_header("UserName", SecretString::from(self.username.clone()))?
            .with_header("Secret", self.secret.clone())?
            .with_header("ApiIntegrationCode", self.integration_code.clone())
    }

    /// What Autotask counts threads (and this crate its shared limiters) by:
    /// the integration code, hashed so that no registry key holds it in clear.
    /// What a reflected credential is scrubbed with: the secret and the
    /// integration code, in every encoding `Scrubber` knows.
    pub(crate) fn scrubber(&self) -> psa_core::secrets::Scrubber {
        psa_core::secrets::Scrubber::new([
            self.secret.expose_secret(),
            self.integration_code.expose_secret(),
        ])
    }

    pub(crate) fn integration_key(&self) -> String {
        hashed(self.integration_code.expose_secret())
    }
}

/// A short, stable hash of `text` for a registry key (the key lives as long
/// as the limiter it names, so it must not carry a credential in clear).
pub(crate) fn hashed(text: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(user: &str) -> Result<Credentials> {
        Credentials::new(
            Some(user.to_owned()),
            Some(SecretString::from("s3cret-canary")),
            Some(SecretString::from("CODE-canary")),
        )
    }

    #[test]
    fn every_part_is_required_and_the_user_name_is_checked() {
        assert!(creds("api@x.example").is_ok());
        for bad in ["", "  ", "api user@x.example", "api\n@x.example"] {
            assert!(creds(bad).unwrap_err().is_config(), "{bad:?}");
        }
        let no_code = Credentials::new(
            Some("api@x.example".into()),
            Some(SecretString::from("s")),
            None,
        )
        .unwrap_err();
        assert!(no_code.message().contains("integration code"), "{no_code}");
        assert!(
            Credentials::new(Some("a@x".into()), None, Some(SecretString::from("c")))
                .unwrap_err()
                .message()
                .contains("secret")
        );
    }

    #[test]
    fn headers_are_sensitive_and_keys_hold_no_secret() {
        let c = creds("api@x.example").unwrap();
        let auth = c.auth().unwrap();
        let mut names: Vec<String> = auth.header_names().map(ToString::to_string).collect();
        names.sort();
        assert_eq!(names, ["apiintegrationcode", "secret", "username"]);
        let shown = format!("{c:?} {auth:?}");
        assert!(!shown.contains("canary"), "{shown}");
        let key = c.integration_key();
        assert!(!key.contains("CODE"), "{key}");
        assert_eq!(key, creds("other@x.example").unwrap().integration_key());
        assert_eq!(c.username(), "api@x.example");
    }
}
