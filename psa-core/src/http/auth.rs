//! Credentials, attached to requests in one place.
//!
//! [`HttpClient`](super::HttpClient) calls [`Auth::authorize`] for every
//! attempt of a request to its own base URL origin — never for another host —
//! and [`Auth::on_unauthorized`] after a 401, then replays the request once.

use std::fmt;

use async_trait::async_trait;
use base64::Engine as _;
use http::{HeaderMap, HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;

use crate::{Error, ErrorKind, Result};

/// Which credential an attempt was sent with (an opaque generation), so that
/// [`Auth::on_unauthorized`] invalidates only that one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AuthStamp(u64);

impl AuthStamp {
    /// The stamp of a request sent without a renewable credential.
    pub const NONE: AuthStamp = AuthStamp(0);

    /// A stamp for credential generation `generation`.
    pub const fn new(generation: u64) -> Self {
        AuthStamp(generation)
    }

    /// The generation.
    pub const fn generation(self) -> u64 {
        self.0
    }
}

/// Puts credentials on requests.
///
/// Implementations mark every credential header value sensitive
/// ([`HeaderValue::set_sensitive`]) and never show a secret in `Debug`.
/// A shared implementation (a token cache in Redis) can be plugged in for
/// deployments with several replicas.
#[async_trait]
pub trait Auth: Send + Sync + fmt::Debug {
    /// Adds the credentials to `headers` and returns the stamp of the
    /// credential used.
    async fn authorize(&self, headers: &mut HeaderMap) -> Result<AuthStamp>;

    /// [`authorize`](Self::authorize), waiting at most until `deadline`:
    /// an implementation that may wait (for a token) gives up then with a
    /// [`Timeout`](ErrorKind::Timeout) error. [`HttpClient`](super::HttpClient)
    /// calls this with the call's deadline, bounded by the attempt timeout.
    ///
    /// The default runs `authorize` under [`tokio::time::timeout_at`], which
    /// drops its future at the deadline; an implementation whose waiting is
    /// shared with other callers (a token refresh) overrides it so that one
    /// caller's deadline does not cut the shared work short.
    async fn authorize_until(
        &self,
        headers: &mut HeaderMap,
        deadline: Instant,
    ) -> Result<AuthStamp> {
        match tokio::time::timeout_at(deadline, self.authorize(headers)).await {
            Ok(result) => result,
            Err(_) => Err(Error::new(
                ErrorKind::Timeout,
                "the deadline passed while obtaining credentials; nothing was sent",
            )),
        }
    }

    /// Called after a 401 to a request sent with `stamp`: invalidates that
    /// credential (if it is still the current one) and says whether
    /// replaying the request may help. The client replays at most once per
    /// call. The default says no (static credentials do not change).
    async fn on_unauthorized(&self, stamp: AuthStamp) -> bool {
        let _ = stamp;
        false
    }
}

/// No credentials (public endpoints, tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAuth;

#[async_trait]
impl Auth for NoAuth {
    async fn authorize(&self, _headers: &mut HeaderMap) -> Result<AuthStamp> {
        Ok(AuthStamp::NONE)
    }
}

/// A fixed set of credential headers, sent with every request:
/// ConnectWise (`Authorization: Basic …` and `clientId`), Autotask
/// (`UserName`, `Secret`, `ApiIntegrationCode`), ServiceNow Basic.
///
/// Values are kept as sensitive [`HeaderValue`]s; `Debug` shows the header
/// names only.
///
/// ```
/// use psa_core::http::StaticHeaderAuth;
/// use secrecy::SecretString;
///
/// let auth = StaticHeaderAuth::basic("acme+public", SecretString::from("private"))
///     .unwrap()
///     .with_header("clientId", SecretString::from("a-client-id"))
///     .unwrap();
/// let shown = format!("{auth:?}");
/// assert!(shown.contains("clientid") && !shown.contains("private"));
/// ```
#[derive(Clone, Default)]
pub struct StaticHeaderAuth {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl fmt::Debug for StaticHeaderAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticHeaderAuth")
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl StaticHeaderAuth {
    /// No headers yet.
    pub fn new() -> Self {
        StaticHeaderAuth::default()
    }

    /// `Authorization: Basic base64(user:password)`.
    #[allow(clippy::needless_pass_by_value)] // the caller's secret ends here
    pub fn basic(user: &str, password: SecretString) -> Result<Self> {
        StaticHeaderAuth::new().with_basic(user, &password)
    }

    /// Adds `Authorization: Basic base64(user:password)`.
    pub fn with_basic(self, user: &str, password: &SecretString) -> Result<Self> {
        let mut raw = String::with_capacity(user.len() + password.expose_secret().len() + 1);
        raw.push_str(user);
        raw.push(':');
        raw.push_str(password.expose_secret());
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw.as_bytes());
        drop(raw);
        self.with_header(
            "authorization",
            SecretString::from(format!("Basic {encoded}")),
        )
    }

    /// Adds a credential header. The value is checked (no control characters)
    /// and marked sensitive; errors never echo it.
    #[allow(clippy::needless_pass_by_value)] // the caller's secret ends here
    pub fn with_header(mut self, name: &str, value: SecretString) -> Result<Self> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::config(format!("`{name}` is not a valid header name")))?;
        let mut value = HeaderValue::from_str(value.expose_secret()).map_err(|_| {
            Error::config(format!(
                "the value of the `{name}` credential header is not a valid header value"
            ))
        })?;
        value.set_sensitive(true);
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value));
        Ok(self)
    }

    /// The names of the headers set.
    pub fn header_names(&self) -> impl Iterator<Item = &HeaderName> {
        self.headers.iter().map(|(n, _)| n)
    }
}

#[async_trait]
impl Auth for StaticHeaderAuth {
    async fn authorize(&self, headers: &mut HeaderMap) -> Result<AuthStamp> {
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
        Ok(AuthStamp::NONE)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn basic_and_headers_are_sensitive() {
        let auth = StaticHeaderAuth::basic("Aladdin", SecretString::from("open sesame"))
            .unwrap()
            .with_header("Secret", SecretString::from("s3cr3t"))
            .unwrap();
        let mut h = HeaderMap::new();
        assert_eq!(auth.authorize(&mut h).await.unwrap(), AuthStamp::NONE);
        let a = h.get("authorization").unwrap();
        assert_eq!(a, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(a.is_sensitive());
        assert!(h.get("secret").unwrap().is_sensitive());
        assert!(!auth.on_unauthorized(AuthStamp::NONE).await);
        let dbg = format!("{auth:?}");
        assert!(!dbg.contains("s3cr3t") && !dbg.contains("QWxh"), "{dbg}");
    }

    #[derive(Debug)]
    struct Hangs;

    #[async_trait]
    impl Auth for Hangs {
        async fn authorize(&self, _headers: &mut HeaderMap) -> Result<AuthStamp> {
            std::future::pending().await
        }
    }

    #[tokio::test(start_paused = true)]
    async fn authorize_until_is_bounded_by_the_deadline() {
        let deadline = Instant::now() + std::time::Duration::from_secs(3);
        let e = Hangs
            .authorize_until(&mut HeaderMap::new(), deadline)
            .await
            .unwrap_err();
        assert!(e.is_timeout(), "{e}");
        assert_eq!(Instant::now(), deadline);
        let mut h = HeaderMap::new();
        let auth = StaticHeaderAuth::basic("u", SecretString::from("p")).unwrap();
        auth.authorize_until(&mut h, deadline).await.unwrap();
        assert!(h.contains_key("authorization"));
    }

    #[test]
    fn bad_values_are_rejected_without_echo() {
        let e = StaticHeaderAuth::new()
            .with_header("Secret", SecretString::from("bad\nvalue-canary"))
            .unwrap_err();
        assert!(e.is_config());
        assert!(!e.to_string().contains("canary"));
        assert!(
            StaticHeaderAuth::new()
                .with_header("bad name", SecretString::from("x"))
                .is_err()
        );
    }

    #[test]
    fn replacing_a_header_keeps_one() {
        let auth = StaticHeaderAuth::new()
            .with_header("UserName", SecretString::from("a"))
            .unwrap()
            .with_header("username", SecretString::from("b"))
            .unwrap();
        assert_eq!(auth.header_names().count(), 1);
    }
}
