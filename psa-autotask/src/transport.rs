//! The one place this crate touches `psa_core::http`: Autotask's calls as
//! `ApiRequest`s, its credentials as static sensitive headers, its error
//! body and its thread-threshold error as hooks of the core `HttpClient`.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use http::{HeaderValue, Method, StatusCode};
use psa_core::http::{
    AllOf, ApiRequest, ApiResponse, ConcurrencyLimiter, HttpClient, HttpConfig, RateLimiter,
    StaticHeaderAuth,
};
use psa_core::{Error, ErrorKind, RawRequest, RawResponse, Result, Vendor};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

/// What one call is, before it is resolved against the zone.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) method: Method,
    pub(crate) target: Target,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) idempotent: bool,
    pub(crate) rate_key: String,
}

/// Where a call goes.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A path relative to `{zone}V1.0/`.
    Path(String),
    /// An absolute URL (zone discovery, next-page URLs).
    Url(Url),
}

/// The object endpoint of a relative path: its first segment, lower-cased
/// (the rate key the thread limiter counts by; Autotask's paths are
/// case-insensitive, so `Tickets` and `tickets` are one endpoint).
fn endpoint(path: &str) -> String {
    path.trim_start_matches('/')
        .split(['/', '?'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

impl Call {
    fn new(method: Method, path: String, body: Option<Vec<u8>>, idempotent: bool) -> Call {
        Call {
            rate_key: endpoint(&path),
            method,
            target: Target::Path(path),
            body,
            query: Vec::new(),
            idempotent,
        }
    }

    /// `GET path`.
    pub(crate) fn get(path: impl Into<String>) -> Call {
        Call::new(Method::GET, path.into(), None, true)
    }

    /// `GET url` (absolute), counted under `rate_key`.
    pub(crate) fn get_url(url: Url, rate_key: impl Into<String>) -> Call {
        Call {
            method: Method::GET,
            target: Target::Url(url),
            body: None,
            query: Vec::new(),
            idempotent: true,
            rate_key: rate_key.into(),
        }
    }

    /// `POST {entity}/query`: a read, safe to retry.
    pub(crate) fn query(entity: &str, body: Vec<u8>) -> Call {
        Call::new(Method::POST, format!("{entity}/query"), Some(body), true)
    }

    /// A `POST` that only reads (`query/count`).
    pub(crate) fn post_idempotent(path: String, body: Vec<u8>) -> Call {
        Call::new(Method::POST, path, Some(body), true)
    }

    /// A create: never retried automatically.
    pub(crate) fn create(path: String, body: Vec<u8>) -> Call {
        Call::new(Method::POST, path, Some(body), false)
    }

    /// A sparse update: sets the given fields to the given values, so sending
    /// it twice has the effect of sending it once.
    pub(crate) fn patch(path: String, body: Vec<u8>) -> Call {
        Call::new(Method::PATCH, path, Some(body), true)
    }

    /// A delete.
    pub(crate) fn delete(path: String) -> Call {
        Call::new(Method::DELETE, path, None, true)
    }

    /// A raw request (its path already validated as relative).
    pub(crate) fn raw(r: &RawRequest) -> Result<Call> {
        let body = r
            .body
            .as_ref()
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| {
                Error::invalid_input("the raw body could not be encoded").with_source(e)
            })?;
        let path = r.normalized_path().to_owned();
        let path = path
            .strip_prefix("V1.0/")
            .or_else(|| path.strip_prefix("v1.0/"))
            .map_or(path.clone(), str::to_owned);
        let is_query = path.to_ascii_lowercase().ends_with("/query")
            || path.to_ascii_lowercase().ends_with("/query/count");
        let idempotent = matches!(
            r.method,
            Method::GET
                | Method::HEAD
                | Method::OPTIONS
                | Method::DELETE
                | Method::PATCH
                | Method::PUT
        ) || (r.method == Method::POST && is_query);
        let mut call = Call::new(r.method.clone(), path, body, idempotent);
        call.query.clone_from(&r.query);
        Ok(call)
    }

    /// Whether the call changes data (creates, updates, deletes; not reads
    /// and not `POST …/query`): only writes carry `ImpersonationResourceId`.
    pub(crate) fn is_write(&self) -> bool {
        match self.method {
            Method::GET | Method::HEAD | Method::OPTIONS => false,
            Method::POST => !self.is_query(),
            _ => true,
        }
    }

    fn is_query(&self) -> bool {
        let path = match &self.target {
            Target::Path(p) => p.to_ascii_lowercase(),
            Target::Url(u) => u.path().to_ascii_lowercase(),
        };
        path.ends_with("/query") || path.ends_with("/query/count")
    }

    /// The core request: the path relative to `{zone}V1.0/` (or the
    /// absolute next-page URL, which the HTTP client refuses unless it is on
    /// the zone's origin), the JSON body, idempotency, the endpoint as rate
    /// key, and `ImpersonationResourceId` when given.
    pub(crate) fn into_request(self, impersonation: Option<i64>) -> ApiRequest {
        let mut req = match self.target {
            Target::Path(p) => ApiRequest::new(self.method, p),
            Target::Url(u) => ApiRequest::absolute(self.method, u),
        };
        for (k, v) in self.query {
            req = req.query(k, v);
        }
        if let Some(body) = self.body {
            req = req.body(body, HeaderValue::from_static("application/json"));
        }
        if let Some(resource) = impersonation {
            req = req.header(
                http::HeaderName::from_static("impersonationresourceid"),
                HeaderValue::from(resource),
            );
        }
        req.idempotent(self.idempotent).rate_key(self.rate_key)
    }
}

/// A raw response, sensitive headers removed.
pub(crate) fn into_raw(resp: ApiResponse) -> RawResponse {
    let mut headers = http::HeaderMap::new();
    for (name, value) in &resp.headers {
        if !value.is_sensitive() && !psa_core::error::is_sensitive_header(name.as_str()) {
            headers.append(name.clone(), value.clone());
        }
    }
    RawResponse::new(resp.status, headers, resp.body)
}

/// Whether an error body is Autotask's thread-threshold rejection
/// (`Itgenatr005`, "thread threshold … exceeded"), whatever its status.
pub(crate) fn is_thread_threshold(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("itgenatr005")
        || (lower.contains("thread threshold") && lower.contains("exceeded"))
        || lower.contains("thread limit")
}

/// Whether an error body says the database's request threshold is spent.
pub(crate) fn is_request_threshold(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("threshold") && lower.contains("exceeded") && lower.contains("request")
}

/// Autotask's error body, `{"errors": ["…", …]}`, as the core's parsed body.
pub(crate) fn parse_error_body(body: &[u8]) -> Option<psa_core::ApiErrorBody> {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        errors: Vec<serde_json::Value>,
        #[serde(default, alias = "Message")]
        message: Option<String>,
    }
    let b: Body = serde_json::from_slice(body).ok()?;
    let errors: Vec<psa_core::FieldError> = b
        .errors
        .into_iter()
        .filter_map(|e| match e {
            serde_json::Value::String(s) => Some(psa_core::FieldError::new(None, None, s)),
            serde_json::Value::Object(o) => o
                .get("message")
                .and_then(serde_json::Value::as_str)
                .map(|m| psa_core::FieldError::new(None, None, m)),
            _ => None,
        })
        .collect();
    if errors.is_empty() && b.message.is_none() {
        return None;
    }
    let message = b
        .message
        .or_else(|| errors.first().map(|e| e.message.clone()));
    Some(psa_core::ApiErrorBody::new(message, None, errors))
}

/// The error kind Autotask's answer deserves when the status alone would
/// say something else: the thread threshold and the spent hourly budget
/// are rate limits whatever their status.
pub(crate) fn classify(status: StatusCode, body: &[u8]) -> Option<ErrorKind> {
    if status.is_success() {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    if is_thread_threshold(&text) || is_request_threshold(&text) {
        return Some(ErrorKind::RateLimited);
    }
    None
}

/// The concurrency limiter of one integration code in this process:
/// Autotask counts threads per (integration code, object endpoint), so every
/// client of the same code shares one limiter.
fn thread_limiter(code: &SecretString, limit: usize) -> Arc<ConcurrencyLimiter> {
    type Registry = Mutex<HashMap<(u64, usize), Arc<ConcurrencyLimiter>>>;
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    code.expose_secret().hash(&mut h);
    let key = (h.finish(), limit);
    REGISTRY
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(key)
        .or_insert_with(|| Arc::new(ConcurrencyLimiter::per_key(limit)))
        .clone()
}

/// Settings the transport is built from.
pub(crate) struct TransportConfig<'a> {
    pub(crate) username: &'a str,
    pub(crate) secret: &'a SecretString,
    pub(crate) code: &'a SecretString,
    pub(crate) zone_lookup: &'a Url,
    pub(crate) thread_limit: usize,
    pub(crate) hourly: Arc<dyn RateLimiter>,
    pub(crate) http: HttpConfig,
}

/// The HTTP side of a client: one `HttpClient` for zone discovery and one,
/// built once the zone is known, for the zone's REST API.
pub(crate) struct Transport {
    auth: Arc<StaticHeaderAuth>,
    limiter: Arc<dyn RateLimiter>,
    http: HttpConfig,
    lookup: HttpClient,
    lookup_path: String,
    api: tokio::sync::OnceCell<HttpClient>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("limiter", &self.limiter)
            .field("api", &self.api.get().map(|c| c.base_url().as_str()))
            .finish_non_exhaustive()
    }
}

fn error_parser() -> psa_core::http::ErrorParser {
    Arc::new(|_status, _headers, body| parse_error_body(body))
}

fn classifier() -> psa_core::http::Classifier {
    Arc::new(|status, _headers, body| classify(status, body))
}

impl Transport {
    pub(crate) fn new(c: TransportConfig<'_>) -> Result<Transport> {
        let auth = Arc::new(
            StaticHeaderAuth::new()
                .with_header("UserName", SecretString::from(c.username.to_owned()))?
                .with_header("Secret", c.secret.clone())?
                .with_header("ApiIntegrationCode", c.code.clone())?,
        );
        let limiter: Arc<dyn RateLimiter> = Arc::new(
            AllOf::new()
                .and(thread_limiter(c.code, c.thread_limit))
                .and(c.hourly),
        );
        // Zone discovery: its own client (another host), not thread-limited.
        let lookup_path = c
            .zone_lookup
            .path_segments()
            .and_then(|mut s| s.next_back())
            .filter(|s| !s.is_empty())
            .unwrap_or("zoneInformation")
            .to_owned();
        let mut lookup_base = c.zone_lookup.clone();
        lookup_base.set_query(None);
        lookup_base
            .path_segments_mut()
            .map_err(|()| Error::config("the zone look-up URL cannot have a path"))?
            .pop()
            .push("");
        let lookup = HttpClient::builder(Vendor::Autotask, lookup_base.as_str())
            .config(c.http.clone())
            .auth(auth.clone())
            .error_parser(error_parser())
            .classifier(classifier())
            .build()?;
        Ok(Transport {
            auth,
            limiter,
            http: c.http,
            lookup,
            lookup_path,
            api: tokio::sync::OnceCell::new(),
        })
    }

    /// `GET zoneInformation?user=…` (exempt from thread limiting).
    pub(crate) async fn lookup_zone(&self, username: &str) -> Result<ApiResponse> {
        self.lookup
            .send(
                ApiRequest::get(self.lookup_path.clone())
                    .query("user", username)
                    .rate_key("zoneInformation"),
            )
            .await
    }

    /// The zone's REST client (base `{zone}V1.0/`), built on first use.
    pub(crate) fn api(&self, base: &Url) -> Result<&HttpClient> {
        if let Some(c) = self.api.get() {
            return Ok(c);
        }
        let client = HttpClient::builder(Vendor::Autotask, base.as_str())
            .config(self.http.clone())
            .auth(self.auth.clone())
            .rate_limiter(self.limiter.clone())
            .error_parser(error_parser())
            .classifier(classifier())
            .build()?;
        // A concurrent first call may have won; either client is equivalent.
        let _ = self.api.set(client);
        self.api
            .get()
            .ok_or_else(|| Error::config("the Autotask REST client could not be initialised"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone_client() -> HttpClient {
        HttpClient::builder(
            Vendor::Autotask,
            "https://webservices14.autotask.net/ATServicesRest/V1.0/",
        )
        .build()
        .unwrap()
    }

    #[test]
    fn requests_are_built_under_the_zone_only() {
        let api = zone_client();
        let req = Call::get("Tickets/12").into_request(None);
        assert_eq!(req.rate_key_name(), Some("tickets"));
        assert_eq!(
            api.build_request(&req).unwrap().uri(),
            "https://webservices14.autotask.net/ATServicesRest/V1.0/Tickets/12"
        );
        for bad in [
            "../x",
            "Tickets/../../etc",
            "//evil.example/x",
            "https://evil.example/x",
            "a\\b",
        ] {
            let req = Call::get(bad).into_request(None);
            assert!(api.build_request(&req).is_err(), "{bad}");
        }
        let foreign =
            Url::parse("https://evil.example/ATServicesRest/V1.0/Tickets/query/next?paging=x")
                .unwrap();
        let req = Call::get_url(foreign, "tickets").into_request(None);
        assert!(api.build_request(&req).unwrap_err().is_invalid_input());
    }

    #[test]
    fn writes_carry_impersonation_and_queries_are_reads() {
        let api = zone_client();
        let create = Call::create("Tickets/12/Notes".into(), b"{}".to_vec());
        assert!(create.is_write());
        let req = create.into_request(Some(29_682_886));
        assert!(!req.is_idempotent());
        let built = api.build_request(&req).unwrap();
        assert_eq!(built.method(), http::Method::POST);
        assert_eq!(built.headers()["impersonationresourceid"], "29682886");
        assert_eq!(built.headers()["content-type"], "application/json");
        assert_eq!(built.body().as_ref(), b"{}");
        let query = Call::query("Tickets", b"{}".to_vec());
        assert!(!query.is_write());
        assert!(query.into_request(None).is_idempotent());
        let patch = Call::patch("Tickets".into(), b"{}".to_vec());
        assert!(patch.is_write());
        assert!(patch.into_request(None).is_idempotent());
    }

    #[test]
    fn error_bodies_and_thread_threshold() {
        let body = br#"{"errors":["Value 99 is not valid for field priority.","Missing Required Field(s): queueID"]}"#;
        let parsed = parse_error_body(body).unwrap();
        assert_eq!(parsed.errors.len(), 2);
        assert_eq!(
            parsed.message.as_deref(),
            Some("Value 99 is not valid for field priority.")
        );
        assert!(parse_error_body(b"<html>502</html>").is_none());
        let thread = br#"{"errors":["Thread Threshold Exceeded: The Autotask API thread threshold of 3 threads has been exceeded. (Itgenatr005)"]}"#;
        assert_eq!(
            classify(StatusCode::INTERNAL_SERVER_ERROR, thread),
            Some(ErrorKind::RateLimited)
        );
        assert_eq!(classify(StatusCode::INTERNAL_SERVER_ERROR, body), None);
        assert_eq!(classify(StatusCode::OK, thread), None);
    }

    #[test]
    fn raw_calls_keep_their_safety() {
        let get = Call::raw(&RawRequest::get("V1.0/Invoices/3")).unwrap();
        assert!(get.idempotent);
        assert_eq!(get.rate_key, "invoices");
        let create = Call::raw(&RawRequest::post("Invoices", serde_json::json!({}))).unwrap();
        assert!(!create.idempotent);
        let query = Call::raw(&RawRequest::post("Invoices/query", serde_json::json!({}))).unwrap();
        assert!(query.idempotent);
    }
}
