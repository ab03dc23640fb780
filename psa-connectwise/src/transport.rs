//! The one place the crate meets `psa_core::http`: building the
//! [`HttpClient`]s (limits, retry budget, auth, the versioned `Accept`,
//! ConnectWise's error bodies) and sending an [`ApiRequest`].
//!
//! A client holds two HTTP clients over one connection pool, one rate
//! limiter and one retry budget: `api`, authenticated with the API member's
//! keys (it asks for member tokens), and `http`, which sends every other
//! request — the same client when the API member acts as itself, or one
//! whose auth is a cached member token when it acts as another member
//! ([`MemberAuth`]). A member token is thus added to each request by the
//! auth, renewed once on a 401 and the request replayed once.

use bytes::Bytes;
use http::{HeaderValue, Method};
use psa_core::http::{
    ApiRequest, ApiResponse, HttpClient, HttpConfig, RateLimiter, RetryBudget, TokenStore,
};
use psa_core::{RawRequest, RawResponse, Result, Vendor};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use url::Url;

use crate::auth::{Credentials, MemberAuth, MemberToken, MemberTokenSource, api_key_auth};
use crate::client::Client;
use crate::error::error_parser;
use crate::models::CompanyInfo;

/// The HTTP clients of a [`Client`].
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    /// Requests as the client (the API member, or the member it acts as).
    http: HttpClient,
    /// Requests with the API member's own keys (member tokens).
    api: HttpClient,
    company_id: String,
    /// What a member's client needs besides `api`'s settings.
    credentials: Credentials,
    accept: HeaderValue,
    token_store: Option<Arc<dyn TokenStore>>,
}

/// What [`Transport::build`] needs of the builder.
pub(crate) struct Settings<'a> {
    pub(crate) base: &'a Url,
    pub(crate) credentials: &'a Credentials,
    pub(crate) accept: HeaderValue,
    pub(crate) config: HttpConfig,
    pub(crate) limiter: Arc<dyn RateLimiter>,
    pub(crate) retry_budget: RetryBudget,
    pub(crate) act_as: Option<&'a str>,
    pub(crate) token_store: Option<Arc<dyn TokenStore>>,
}

impl Transport {
    /// The HTTP clients: one connection pool, limiter and retry budget,
    /// and every request with the client's [`HttpConfig`] — member tokens
    /// included.
    pub(crate) fn build(s: Settings<'_>) -> Result<Transport> {
        let Settings {
            base,
            credentials,
            accept,
            config,
            limiter,
            retry_budget,
            act_as,
            token_store,
        } = s;
        let pool = config
            .build_reqwest_client()
            .map_err(|e| e.with_vendor(Vendor::ConnectWise))?;
        let api = HttpClient::builder(Vendor::ConnectWise, base.as_str())
            .config(config)
            .rate_limiter(limiter)
            .retry_budget(retry_budget)
            .reqwest_client(pool)
            .error_parser(error_parser())
            .default_header(http::header::ACCEPT, accept.clone())
            .auth(Arc::new(api_key_auth(credentials)?))
            .build()?;
        let mut transport = Transport {
            http: api.clone(),
            api,
            company_id: credentials.company_id().to_owned(),
            credentials: credentials.clone(),
            accept,
            token_store,
        };
        if let Some(member) = act_as {
            transport.http = transport.member_http(member)?;
        }
        Ok(transport)
    }

    /// A client sending as `member` with its cached member token
    /// ([`MemberAuth`]: renewed early, single-flight, kept in the token
    /// store when there is one), over the API member's connection pool,
    /// limiter, retry budget and HTTP configuration.
    pub(crate) fn member_http(&self, member: &str) -> Result<HttpClient> {
        let api = &self.api;
        let source = MemberTokenSource::new(api.clone(), self.company_id.clone(), member)?
            .scrubbing(&self.credentials);
        let mut auth = MemberAuth::new(source, &self.credentials, api.config().clone())?
            .with_http_client(api.reqwest_client().clone());
        if let Some(store) = &self.token_store {
            auth = auth.with_store(Arc::clone(store));
        }
        HttpClient::builder(Vendor::ConnectWise, api.base_url().as_str())
            .config(api.config().clone())
            .rate_limiter(Arc::clone(api.rate_limiter()))
            .retry_budget(api.retry_budget().clone())
            .reqwest_client(api.reqwest_client().clone())
            .error_parser(error_parser())
            .default_header(http::header::ACCEPT, self.accept.clone())
            .auth(Arc::new(auth))
            .build()
    }

    /// This transport sending as `member` (reads and writes alike).
    pub(crate) fn as_member(&self, http: HttpClient) -> Transport {
        Transport {
            http,
            ..self.clone()
        }
    }

    /// The client that sends requests as the client.
    pub(crate) fn http(&self) -> &HttpClient {
        &self.http
    }
}

impl Client {
    /// Sends a request as this client (its member when impersonating)
    /// through the shared HTTP machinery: retries of idempotent requests,
    /// 429 `Retry-After`, a 401 renewing a member token once and replaying
    /// once, ConnectWise's error bodies parsed. Every typed operation sends
    /// through here.
    pub async fn send(&self, request: ApiRequest) -> Result<ApiResponse> {
        self.transport().http.send(request).await
    }

    /// Sends a request and returns its 2xx answer with the body as a
    /// stream of at most `max_bytes` (see
    /// [`HttpClient::send_streaming`]).
    pub async fn send_streaming(
        &self,
        request: ApiRequest,
        max_bytes: u64,
    ) -> Result<psa_core::http::StreamingResponse> {
        self.transport()
            .http
            .send_streaming(request, max_bytes)
            .await
    }

    /// Sends a request and decodes its JSON answer; a decode error names the
    /// path and the failing field.
    pub async fn send_json<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T> {
        let what = describe(&request);
        let resp = self.send(request).await?;
        decode(&resp.body, &what)
    }

    /// Sends a request whose answer has no body the caller needs.
    pub async fn send_empty(&self, request: ApiRequest) -> Result<()> {
        self.send(request).await.map(|_| ())
    }

    /// Sends a request and returns the answer as a [`RawResponse`]: status,
    /// headers (credential headers removed) and body.
    pub async fn send_raw(&self, request: ApiRequest) -> Result<RawResponse> {
        Ok(RawResponse::from_api(self.send(request).await?))
    }

    /// Asks ConnectWise for temporary keys of `member`
    /// (`POST /system/members/{member}/tokens`, header `x-cw-usertype: member`),
    /// authenticated with the API member's keys.
    pub async fn member_token(&self, member: &str) -> Result<MemberToken> {
        let t = self.transport();
        MemberTokenSource::new(t.api.clone(), t.company_id.clone(), member)?
            .scrubbing(&t.credentials)
            .request()
            .await
    }

    /// Fetches a callback signing key from a URL the key policy allowed,
    /// without credentials (they only ever go to the API base).
    pub(crate) async fn fetch_signing_key(&self, url: Url) -> Result<SecretString> {
        let http = self.transport().http();
        let origin = format!("{}/", url.origin().ascii_serialization());
        let keys = HttpClient::builder(Vendor::ConnectWise, origin)
            .reqwest_client(http.reqwest_client().clone())
            .config(http.config().clone())
            .error_parser(error_parser())
            .build()?;
        let resp = keys.send(ApiRequest::absolute(Method::GET, url)).await?;
        let key: crate::webhook::SigningKeyResponse = decode(&resp.body, "callback signing key")?;
        Ok(SecretString::from(key.signing_key))
    }
}

/// The methods ConnectWise's REST API uses; a raw request with another
/// (`TRACE`, `CONNECT`, `HEAD`, `OPTIONS` …) is refused before it is sent.
pub(crate) const RAW_METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// A raw request of the uniform trait as an [`ApiRequest`]: its method,
/// path, query and JSON body. A `PATCH` is idempotent (ConnectWise's
/// `PATCH` is JSON-Patch, which sets values), as with the typed
/// [`Update`](crate::resources::Update).
pub(crate) fn raw_request(request: &RawRequest) -> Result<ApiRequest> {
    request
        .validate_methods(&RAW_METHODS)
        .map_err(|e| e.with_vendor(Vendor::ConnectWise))?;
    let path = request.checked_path()?.to_owned();
    let mut req = ApiRequest::new(request.method.clone(), path);
    for (k, v) in &request.query {
        req = req.query(k.clone(), v);
    }
    if let Some(b) = &request.body {
        req = req.json(b)?;
    }
    if request.method == Method::PATCH {
        req = req.idempotent(true);
    }
    Ok(req)
}

/// What a request is, for a decode error: its path.
fn describe(request: &ApiRequest) -> String {
    request
        .path()
        .map(str::to_owned)
        .or_else(|| request.absolute_url().map(|u| u.path().to_owned()))
        .unwrap_or_default()
}

/// Decodes a JSON body, naming the failing field
/// ([`psa_core::error::decode_slice`]).
pub(crate) fn decode<T: DeserializeOwned>(body: &Bytes, what: &str) -> Result<T> {
    // the name is only needed for an error: not built on every call
    serde_json::from_slice(body).or_else(|_| {
        psa_core::error::decode_slice(
            Some(Vendor::ConnectWise),
            &format!("ConnectWise {what}"),
            body,
        )
    })
}

/// `GET https://{site}/login/companyinfo/{companyId}` (unauthenticated):
/// the site's codebase, with the default [`HttpConfig`].
pub async fn discover(site: &Url, company: &str) -> Result<CompanyInfo> {
    discover_with(site, company, HttpConfig::default()).await
}

/// [`discover`] with the client's timeouts and retries.
pub(crate) async fn discover_with(
    site: &Url,
    company: &str,
    config: HttpConfig,
) -> Result<CompanyInfo> {
    if company.is_empty()
        || !company
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(psa_core::Error::config(format!(
            "{company:?} is not a ConnectWise company id"
        ))
        .with_vendor(Vendor::ConnectWise));
    }
    let origin = format!("{}/", site.origin().ascii_serialization());
    let http = HttpClient::builder(Vendor::ConnectWise, origin)
        .config(config)
        .error_parser(error_parser())
        .build()?;
    let resp = http
        .send(ApiRequest::get(format!("login/companyinfo/{company}")))
        .await?;
    decode(&resp.body, "companyinfo")
}
