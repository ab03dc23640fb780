//! The one place this crate meets [`psa_core::http`]: building the
//! [`HttpClient`] (Halo's rate limit, error bodies and retry budget) and
//! sending an [`ApiRequest`].
//!
//! Every request goes through the `HttpClient`: the client-credentials
//! token (cached, renewed early and single-flight, a 401 renews once and
//! replays once), the rate limit, timeouts, retries of idempotent requests
//! only, redaction and tracing.

use psa_core::http::{
    ApiRequest, ApiResponse, Auth, HttpClient, HttpConfig, RateLimiter, RetryBudget,
    SlidingWindowLimiter, Unlimited, shared_limiter,
};
use psa_core::{RawResponse, Result, Vendor};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

use crate::client::Client;

/// How the client keeps to Halo's rate limit, when no limiter of the
/// caller's own is given ([`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter)).
///
/// Halo-hosted tenants allow 300 requests per rolling 5 minutes and answer
/// more with `429 Rate Limit Reached - 300 Requests per rolling 5 minute
/// window` (no `Retry-After`). The client counts request starts in an exact
/// sliding window ([`SlidingWindowLimiter`]) widened by a small safety
/// margin (a fiftieth of the window, at least 100 ms and at most 5 s: the
/// time between taking a slot and the request reaching Halo — a first
/// token request, a TLS handshake). Callers beyond the budget wait their
/// turn, first come first served, up to the call's deadline.
///
/// Clients of the same resource server in one process share one budget
/// (the limit is the tenant's, not the client's:
/// [`shared_limiter`]). Replicas in several processes share a tenant's
/// budget through a limiter backed by a shared store, given with
/// [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimit {
    /// Hosted Halo's limit: 300 requests per rolling 5 minutes (the default).
    #[default]
    Hosted,
    /// A rolling window of `max` requests per `window` (an on-premises
    /// instance with its own limit; tests).
    Window {
        /// Requests allowed in any window.
        max: u32,
        /// The window.
        window: Duration,
    },
    /// No client-side limit (on-prem instances without one; tests). Halo's
    /// 429s are still retried like any refused request.
    Disabled,
}

impl RateLimit {
    /// Hosted Halo's budget.
    pub const HOSTED_MAX: u32 = 300;
    /// Hosted Halo's window.
    pub const HOSTED_WINDOW: Duration = Duration::from_secs(300);

    /// The safety margin added to a window of this length.
    pub fn margin(window: Duration) -> Duration {
        (window / 50).clamp(
            Duration::from_millis(100).min(window),
            Duration::from_secs(5),
        )
    }

    /// The limiter for the resource server `api`: one per tenant and limit
    /// in this process.
    pub(crate) fn limiter(self, api: &Url) -> Arc<dyn RateLimiter> {
        let (max, window) = match self {
            RateLimit::Hosted => (Self::HOSTED_MAX, Self::HOSTED_WINDOW),
            RateLimit::Window { max, window } => (max, window),
            RateLimit::Disabled => return Arc::new(Unlimited),
        };
        let key = format!(
            "halo {} {max}/{}ms",
            api.as_str().to_ascii_lowercase(),
            window.as_millis()
        );
        shared_limiter(&key, || {
            SlidingWindowLimiter::new(max, window).with_margin(RateLimit::margin(window))
        })
    }
}

/// What the HTTP client of a Halo client is made of.
pub(crate) struct Parts {
    pub(crate) api: Url,
    pub(crate) config: HttpConfig,
    pub(crate) pool: psa_core::reexports::reqwest::Client,
    pub(crate) auth: Arc<dyn Auth>,
    pub(crate) limiter: Arc<dyn RateLimiter>,
    pub(crate) retry_budget: Option<RetryBudget>,
}

impl fmt::Debug for Parts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parts")
            .field("api", &self.api.as_str())
            .finish_non_exhaustive()
    }
}

/// The HTTP client of the resource server: its auth, rate limit, retry
/// budget, and Halo's error bodies ([`crate::error_parser`]) and rate-limit
/// text ([`crate::error::classifier`]).
pub(crate) fn http_client(parts: Parts) -> Result<HttpClient> {
    let mut b = HttpClient::builder(Vendor::Halo, parts.api.as_str())
        .config(parts.config)
        .reqwest_client(parts.pool)
        .auth(parts.auth)
        .rate_limiter(parts.limiter)
        .error_parser(crate::error::error_parser())
        .classifier(crate::error::classifier());
    if let Some(budget) = parts.retry_budget {
        b = b.retry_budget(budget);
    }
    b.build()
}

impl Client {
    /// Sends a request through the HTTP client.
    pub(crate) async fn send(&self, req: ApiRequest) -> Result<ApiResponse> {
        self.http().send(req).await
    }

    /// Sends a request and decodes the JSON response, naming the failing
    /// field on a decode error.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        req: ApiRequest,
        what: &str,
    ) -> Result<T> {
        let body = self.send(req).await?.body;
        decode(&body, what)
    }

    /// Sends a request whose response body does not matter.
    pub(crate) async fn send_empty(&self, req: ApiRequest) -> Result<()> {
        self.send(req).await.map(drop)
    }

    /// Sends a request and returns the response as it came (credential
    /// headers removed).
    pub(crate) async fn send_raw(&self, req: ApiRequest) -> Result<RawResponse> {
        self.send(req).await.map(RawResponse::from_api)
    }
}

/// Decodes a JSON body, naming the failing field path
/// ([`psa_core::error::decode_slice`]).
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    psa_core::error::decode_slice(Some(Vendor::Halo), what, body)
}

/// Decodes a JSON value, naming the failing field path.
pub(crate) fn decode_value<T: DeserializeOwned>(
    value: &serde_json::Value,
    what: &str,
) -> Result<T> {
    psa_core::error::decode_value(Some(Vendor::Halo), what, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_and_shared_limiters() {
        assert_eq!(
            RateLimit::margin(RateLimit::HOSTED_WINDOW),
            Duration::from_secs(5)
        );
        assert_eq!(
            RateLimit::margin(Duration::from_secs(2)),
            Duration::from_millis(100)
        );
        assert_eq!(
            RateLimit::margin(Duration::from_millis(10)),
            Duration::from_millis(10)
        );
        let api = Url::parse("https://acme.halopsa.com/api/").unwrap();
        let a = RateLimit::Hosted.limiter(&api);
        let b = RateLimit::Hosted.limiter(&api);
        assert!(Arc::ptr_eq(&a, &b), "one budget per tenant in a process");
        let other = Url::parse("https://other.halopsa.com/api/").unwrap();
        assert!(!Arc::ptr_eq(&a, &RateLimit::Hosted.limiter(&other)));
        let window = RateLimit::Window {
            max: 10,
            window: Duration::from_secs(1),
        };
        assert!(
            !Arc::ptr_eq(&a, &window.limiter(&api)),
            "another limit is another budget"
        );
    }
}
