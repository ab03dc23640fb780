//! The shared HTTP machinery every vendor crate builds on.
//!
//! - [`HttpClient`]: one vendor base URL with its credentials, rate limits,
//!   retries, timeouts, redaction and tracing; [`ApiRequest`] in,
//!   [`ApiResponse`] out, one [`Error`](crate::Error) type for every failure.
//! - [`validate_base_url`]: https only (http for loopback), no userinfo, no
//!   trailing-slash surprises.
//! - [`RetryPolicy`] and [`RetryBudget`]: full-jitter backoff, `Retry-After`,
//!   idempotent requests only; [`AmbiguousWrite`](crate::ErrorKind::AmbiguousWrite)
//!   when a write's outcome is unknown.
//! - [`Auth`] with [`NoAuth`], [`StaticHeaderAuth`] and [`TokenAuth`] (an
//!   early, single-flight token cache over a [`TokenSource`] such as
//!   [`OAuthClientCredentials`] or [`OAuthPasswordGrant`], kept in a [`TokenStore`], whose refresh
//!   lock makes the refresh single-flight across replicas too).
//! - [`RateLimiter`] with [`SlidingWindowLimiter`], [`ConcurrencyLimiter`],
//!   [`AllOf`] and [`Unlimited`].
//!
//! # Tracing
//!
//! Each [`HttpClient::send`] runs in one `psa.request` span (fields `vendor`,
//! `method`, `path` — never the query string —, `attempts`, `status`,
//! `elapsed_ms`), with `debug` events per attempt and retry. Headers, bodies,
//! query strings and tokens are never logged.
//!
//! # Example
//!
//! ```no_run
//! # async fn demo() -> psa_core::Result<()> {
//! use std::sync::Arc;
//! use std::time::Duration;
//! use psa_core::Vendor;
//! use psa_core::http::{
//!     ApiRequest, HttpClient, HttpConfig, OAuthClientCredentials, SlidingWindowLimiter, TokenAuth,
//! };
//! use secrecy::SecretString;
//!
//! let source = OAuthClientCredentials::new(
//!     "https://acme.halopsa.com/auth/token",
//!     "client-id",
//!     SecretString::from("client-secret"),
//! )?
//! .with_scope("all")
//! .with_vendor(Vendor::Halo);
//! let auth = TokenAuth::new(Arc::new(source), HttpConfig::default())?;
//! let halo = HttpClient::builder(Vendor::Halo, "https://acme.halopsa.com/api")
//!     .auth(Arc::new(auth))
//!     .rate_limiter(Arc::new(SlidingWindowLimiter::new(300, Duration::from_secs(300))))
//!     .build()?;
//! let tickets: serde_json::Value = halo
//!     .send_json(ApiRequest::get("Tickets").query("page_size", 100))
//!     .await?;
//! # Ok(()) }
//! ```

mod auth;
mod base_url;
mod client;
mod config;
mod limit;
mod oauth;
mod options;
mod registry;
mod request;
mod retry;
mod send;
mod token;
mod token_auth;

/// `t + d`, saturating at a far future instead of panicking on overflow
/// (a caller may configure `Duration::MAX`).
pub(crate) fn after(t: tokio::time::Instant, d: std::time::Duration) -> tokio::time::Instant {
    t.checked_add(d)
        .or_else(|| t.checked_add(std::time::Duration::from_secs(30 * 365 * 24 * 3600)))
        .unwrap_or(t)
}

pub use auth::{Auth, AuthStamp, NoAuth, StaticHeaderAuth};
pub use base_url::validate_base_url;
pub use client::{
    Classifier, ErrorParser, HttpClient, HttpClientBuilder, StreamingResponse, generic_error_parser,
};
pub use config::{DEFAULT_MAX_RATE_LIMIT_WAIT, DEFAULT_USER_AGENT, HttpConfig};
pub use limit::{
    AllOf, ConcurrencyLimiter, OnLimit, RateLimiter, RatePermit, SlidingWindowLimiter, Unlimited,
};
pub use oauth::{OAuthClientCredentials, OAuthPasswordGrant, PASSWORD_GRANT_DEFAULT_LIFETIME};
pub use options::{Customize, RequestOptions};
pub use registry::shared_limiter;
pub use request::{ApiRequest, ApiResponse};
pub use retry::{RetryBudget, RetryPolicy, parse_retry_after};
pub use token::{MemoryTokenStore, RefreshLease, RefreshLock, Token, TokenSource, TokenStore};
pub use token_auth::{
    DEFAULT_MIN_TOKEN_LIFETIME, DEFAULT_REFRESH_LEASE, DEFAULT_REFRESH_MARGIN, TokenAuth,
};
