//! The one place this crate meets `psa_core::http`: the instance's
//! [`HttpClient`] (its credentials from [`crate::auth`], its error bodies
//! from [`crate::error`], its rate-limit rules from [`crate::limits`]) and
//! the sending of every [`ApiRequest`] the typed operations build.
//!
//! Everything else — timeouts, retries of idempotent requests only,
//! [`AmbiguousWrite`](psa_core::ErrorKind::AmbiguousWrite) for a write whose
//! outcome is unknown, the single-flight token cache with its 401 → renew →
//! replay-once, redirects never followed, credentials only on the instance's
//! origin, redaction and tracing — is psa-core's.
//!
//! No cookie store: the reqwest client comes from
//! [`HttpConfig::build_reqwest_client`], which never enables one (the
//! workspace does not even build reqwest's `cookies` feature). ServiceNow
//! hands out a `glide_session_store` cookie with every answer and serialises
//! the requests of one session; a client that sent it back would queue its
//! own requests behind each other.

use std::sync::Arc;

use psa_core::http::{
    ApiRequest, ApiResponse, HttpClient, HttpConfig, RateLimiter, RetryBudget, TokenStore,
};
use psa_core::{RawResponse, Result, Vendor};
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::Auth;
use crate::client::Client;
use crate::error::error_parser;
use crate::limits::rate_key;

/// What the instance's HTTP client is built from.
pub(crate) struct Settings {
    pub(crate) base: Url,
    pub(crate) auth: Auth,
    pub(crate) config: HttpConfig,
    pub(crate) limiter: Arc<dyn RateLimiter>,
    pub(crate) retry_budget: Option<RetryBudget>,
    pub(crate) token_store: Option<Arc<dyn TokenStore>>,
}

/// Builds the instance's [`HttpClient`]: one connection pool for the token
/// requests and the API.
pub(crate) fn build(s: Settings) -> Result<HttpClient> {
    let pool = s
        .config
        .build_reqwest_client()
        .map_err(|e| e.with_vendor(Vendor::ServiceNow))?;
    let auth = s
        .auth
        .into_core(&s.base, &s.config, &pool, s.token_store.as_ref())?;
    let mut http = HttpClient::builder(Vendor::ServiceNow, s.base.as_str())
        .config(s.config)
        .reqwest_client(pool)
        .auth(auth)
        .rate_limiter(s.limiter)
        .error_parser(error_parser());
    if let Some(budget) = s.retry_budget {
        http = http.retry_budget(budget);
    }
    http.build()
}

impl Client {
    /// The one place a request is sent: with its REST resource as rate key
    /// when it names none (the operations name theirs; a request built by
    /// hand may not), through the client's [`HttpClient`].
    async fn dispatch(&self, mut request: ApiRequest) -> Result<ApiResponse> {
        if request.rate_key_name().is_none() {
            if let Some(path) = request.path() {
                let key = rate_key(request.method(), path);
                request = request.rate_key(key);
            }
        }
        // A view made by `act_as` writes as its agent; reads are the client's.
        let method = request.method().clone();
        self.http_for(&method).send(request).await
    }

    /// Sends a request through the client's HTTP machinery — timeouts,
    /// retries of idempotent requests only (an unknown outcome of any other
    /// is an `AmbiguousWrite` error), the instance's rate-limit rules, the
    /// token cache, redaction — and returns the answer with its headers
    /// minus every credential-bearing one (the `glide_session_store` cookie
    /// included).
    ///
    /// For a request an operation built (`client.table("incident").list().request()?`,
    /// to inspect or adjust it) or one this crate does not model; the
    /// operations' own `send()` is the usual way.
    pub async fn send(&self, request: ApiRequest) -> Result<ApiResponse> {
        let raw = self.send_raw(request).await?;
        Ok(ApiResponse::new(raw.status, raw.headers, raw.body).with_vendor(Vendor::ServiceNow))
    }

    /// Sends `request` and decodes its body as `T`; a malformed body is a
    /// `Decode` error naming `what` and the field path.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        request: ApiRequest,
        what: &str,
    ) -> Result<T> {
        self.send(request)
            .await?
            .json_named(&format!("ServiceNow {what}"))
    }

    /// Sends `request` and streams the answer's body, which ends with an
    /// error past `max_bytes` (an attachment's content). A view made by
    /// `act_as` reads with the client's own credentials, as every read.
    pub(crate) async fn send_streaming(
        &self,
        mut request: ApiRequest,
        max_bytes: u64,
    ) -> Result<psa_core::http::StreamingResponse> {
        if request.rate_key_name().is_none() {
            if let Some(path) = request.path() {
                let key = rate_key(request.method(), path);
                request = request.rate_key(key);
            }
        }
        let method = request.method().clone();
        self.http_for(&method)
            .send_streaming(request, max_bytes)
            .await
    }

    /// Sends `request`, whose answer has no body worth reading (a delete's 204).
    pub(crate) async fn send_empty(&self, request: ApiRequest) -> Result<()> {
        self.dispatch(request).await.map(drop)
    }

    /// Sends `request`; the answer as a [`RawResponse`] (credential-bearing
    /// headers removed).
    pub(crate) async fn send_raw(&self, request: ApiRequest) -> Result<RawResponse> {
        self.dispatch(request).await.map(RawResponse::from_api)
    }
}
