//! The one place this crate meets `psa_core::http`: zone discovery, the
//! zone's `HttpClient` (credentials, limits, error hooks), and sending an
//! [`ApiRequest`] with Autotask's per-request addition, the
//! `ImpersonationResourceId` header on writes.
//!
//! Paths are relative to the zone's `{zone}V1.0/`; every request carries its
//! object endpoint, lower-cased (`tickets`), as its rate key, since Autotask
//! counts threads per endpoint and its paths are case-insensitive.

use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use http::{HeaderName, HeaderValue, Method};
use psa_core::http::{
    AllOf, ApiRequest, ApiResponse, HttpClient, HttpConfig, RateLimiter, RetryBudget,
    StaticHeaderAuth, shared_limiter, validate_base_url,
};
use psa_core::{Error, ErrorKind, RawRequest, RawResponse, Result, Vendor};
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::{Credentials, hashed};
use crate::error::{classifier, error_parser};
use crate::limits::{
    BudgetConfig, THRESHOLD_KEY, ThresholdBudget, ThresholdReader, hourly_window, thread_limiter,
};
use crate::models::{ThresholdInformation, ZoneInformation};

/// Autotask's zone-discovery endpoint.
pub const ZONE_LOOKUP_URL: &str =
    "https://webservices.autotask.net/atservicesrest/v1.0/zoneInformation";

/// How long a discovered zone is trusted before it is looked up again.
const ZONE_TTL: Duration = Duration::from_secs(24 * 3600);

/// The header that attributes a write to another resource.
const IMPERSONATION: HeaderName = HeaderName::from_static("impersonationresourceid");

/// The object endpoint of a relative path: its first segment, lower-cased
/// (the rate key the thread limiter counts by).
pub(crate) fn endpoint(path: &str) -> String {
    path.trim_start_matches('/')
        .split(['/', '?'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Whether a path is a read made with `POST`: `…/query` or `…/query/count`.
pub(crate) fn is_query_path(path: &str) -> bool {
    let lower = path.trim_end_matches('/').to_ascii_lowercase();
    lower.ends_with("/query") || lower.ends_with("/query/count")
}

/// `method path` (relative to `{zone}V1.0/`) with the endpoint as rate key.
pub(crate) fn request(method: Method, path: String) -> ApiRequest {
    let key = endpoint(&path);
    ApiRequest::new(method, path).rate_key(key)
}

/// Whether a request changes data (creates, updates, deletes; not reads and
/// not `POST …/query`): only writes carry `ImpersonationResourceId`.
pub(crate) fn is_write(req: &ApiRequest) -> bool {
    match *req.method() {
        Method::GET | Method::HEAD | Method::OPTIONS => false,
        Method::POST => !req.path().is_some_and(is_query_path),
        _ => true,
    }
}

/// Whether a discovered zone URL is one the client sends credentials to:
/// `https` on `autotask.net` or one of its subdomains (Autotask's zones
/// are `webservicesN.autotask.net`), or a loopback host (a local simulator)
/// over `http` or `https`.
pub(crate) fn is_autotask_zone(url: &Url) -> bool {
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    if loopback {
        return matches!(url.scheme(), "http" | "https");
    }
    let autotask = url.host_str().is_some_and(|h| {
        let h = h.trim_end_matches('.').to_ascii_lowercase();
        h == "autotask.net" || h.ends_with(".autotask.net")
    });
    url.scheme() == "https" && autotask && url.username().is_empty() && url.password().is_none()
}

/// The entities whose records Autotask attributes to an impersonated
/// resource: those whose model carries `impersonatorCreatorResourceID` /
/// `impersonatorUpdaterResourceID` in the REST swagger.
const IMPERSONABLE: &[&str] = &[
    "Tickets",
    "TicketNotes",
    "TicketAttachments",
    "TicketNoteAttachments",
    "TimeEntries",
    "TimeEntryAttachments",
    "Companies",
    "CompanyNotes",
    "CompanyAttachments",
    "CompanyToDos",
    "Contacts",
    "ConfigurationItems",
    "ConfigurationItemNotes",
    "ConfigurationItemAttachments",
    "ContractNotes",
    "InventoryItems",
    "InventoryLocations",
    "Opportunities",
    "Products",
    "ProductNotes",
    "Projects",
    "ProjectNotes",
    "ProjectAttachments",
    "PurchaseOrders",
    "Quotes",
    "SalesOrders",
    "ServiceCalls",
    "Subscriptions",
    "TaskNotes",
];

/// The entity a write path (relative to `/V1.0/`) writes: `Tickets`,
/// `Tickets/{id}` → `Tickets`; `Tickets/{id}/Notes` → `TicketNotes`,
/// `Companies/{id}/Contacts` → `Contacts`.
fn written_entity(path: &str) -> Option<String> {
    let segs: Vec<&str> = path
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_matches('/')
        .split('/')
        .collect();
    match segs.as_slice() {
        [entity] | [entity, _] => Some((*entity).to_owned()),
        [parent, _, child] | [parent, _, child, _] => {
            if child.eq_ignore_ascii_case("Contacts") {
                return Some("Contacts".into());
            }
            let singular = parent
                .strip_suffix("ies")
                .map(|s| format!("{s}y"))
                .or_else(|| parent.strip_suffix('s').map(str::to_owned))
                .unwrap_or_else(|| (*parent).to_owned());
            Some(format!("{singular}{child}"))
        }
        _ => None,
    }
}

/// Whether Autotask takes `ImpersonationResourceId` on a write to `path`.
pub(crate) fn impersonable(path: &str) -> bool {
    written_entity(path).is_some_and(|e| IMPERSONABLE.iter().any(|i| i.eq_ignore_ascii_case(&e)))
}

/// `req` with `ImpersonationResourceId: resource` when it is a write to an
/// entity Autotask attributes to an impersonated resource and a resource is
/// given; reads, and writes to other entities (ticket charges, service-call
/// links, webhooks), go out as the API user.
pub(crate) fn with_impersonation(req: ApiRequest, resource: Option<i64>) -> ApiRequest {
    match resource {
        Some(r) if is_write(&req) && req.path().is_some_and(impersonable) => {
            req.header(IMPERSONATION, HeaderValue::from(r))
        }
        _ => req,
    }
}

/// A raw request as the API request it is: the path relative to `/V1.0/`
/// (a leading `V1.0/` is dropped), the query, the JSON body, the endpoint
/// as rate key, and the idempotency Autotask's semantics give it (reads,
/// `POST …/query`, sparse `PATCH` and deletes yes; creates no). The path is
/// checked (`RawRequest::validate`) by the caller.
pub(crate) fn raw_request(r: &RawRequest) -> Result<ApiRequest> {
    let path = r.normalized_path();
    let path = path
        .strip_prefix("V1.0/")
        .or_else(|| path.strip_prefix("v1.0/"))
        .unwrap_or(path)
        .to_owned();
    let idempotent = match r.method {
        Method::POST => is_query_path(&path),
        _ => true,
    };
    let mut req = request(r.method.clone(), path).idempotent(idempotent);
    for (k, v) in &r.query {
        req = req.query(k.clone(), v);
    }
    if let Some(body) = &r.body {
        req = req.json(body)?;
    }
    Ok(req)
}

/// A zone discovered for one API user at one look-up URL, shared by every
/// client of that user in the process (`psa_core::http::shared_limiter`).
#[derive(Debug, Default)]
struct ZoneSlot {
    found: tokio::sync::Mutex<Option<(Instant, Url)>>,
}

/// What the transport is built from.
pub(crate) struct TransportConfig {
    pub(crate) credentials: Credentials,
    pub(crate) zone_lookup: Url,
    pub(crate) fixed_zone: Option<Url>,
    pub(crate) thread_limit: usize,
    pub(crate) hourly: Option<Arc<dyn RateLimiter>>,
    pub(crate) budget: BudgetConfig,
    pub(crate) http: HttpConfig,
    pub(crate) retry_budget: Option<RetryBudget>,
}

/// The HTTP side of a client: one `HttpClient` for zone discovery and one,
/// built once the zone is known, for the zone's REST API.
pub(crate) struct Transport {
    username: String,
    /// Removes a reflected Secret or ApiIntegrationCode from every error.
    scrubber: psa_core::secrets::Scrubber,
    auth: Arc<StaticHeaderAuth>,
    limiter: Arc<dyn RateLimiter>,
    budget: Arc<ThresholdBudget>,
    http: HttpConfig,
    retry_budget: RetryBudget,
    lookup: HttpClient,
    lookup_path: String,
    fixed_zone: Option<Url>,
    discovered: Arc<ZoneSlot>,
    zone: tokio::sync::OnceCell<Url>,
    api: tokio::sync::OnceCell<HttpClient>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("zone", &self.known_zone().map(Url::as_str))
            .field("zone_lookup", &self.lookup.base_url().as_str())
            .field("limiter", &self.limiter)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Builds the look-up client and the limiters; no request is made.
    pub(crate) fn new(c: TransportConfig) -> Result<Arc<Transport>> {
        let auth = Arc::new(c.credentials.auth()?);
        let scrubber = c.credentials.scrubber();
        let retry_budget = c.retry_budget.unwrap_or_default();
        // Zone discovery: its own client (another host), not rate-limited.
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
            .retry_budget(retry_budget.clone())
            .error_parser(error_parser())
            .classifier(classifier())
            .build()?;
        let key = c.credentials.integration_key();
        let threads = thread_limiter(&key, c.thread_limit);
        let hourly = c
            .hourly
            .unwrap_or_else(|| hourly_window(&key, &c.budget) as Arc<dyn RateLimiter>);
        let username = c.credentials.username().to_owned();
        let discovered = shared_limiter(
            &format!(
                "autotask zone {}",
                hashed(&format!("{} {username}", c.zone_lookup))
            ),
            ZoneSlot::default,
        );
        Ok(Arc::new_cyclic(|this: &Weak<Transport>| {
            let this = this.clone();
            // The budget reads ThresholdInformation through this transport;
            // weakly, so that the limiter does not keep its client alive.
            let reader: ThresholdReader = Arc::new(move || {
                let this = this.upgrade();
                Box::pin(async move {
                    match this {
                        Some(t) => t.read_threshold().await,
                        None => Err(Error::new(
                            ErrorKind::Config,
                            "the Autotask client reading ThresholdInformation is gone",
                        )
                        .with_vendor(Vendor::Autotask)),
                    }
                })
            });
            let budget = Arc::new(ThresholdBudget::new(c.budget, reader));
            let limiter: Arc<dyn RateLimiter> =
                Arc::new(AllOf::new().and(budget.clone()).and(threads).and(hourly));
            Transport {
                username,
                scrubber,
                auth,
                limiter,
                budget,
                http: c.http,
                retry_budget,
                lookup,
                lookup_path,
                fixed_zone: c.fixed_zone,
                discovered,
                zone: tokio::sync::OnceCell::new(),
                api: tokio::sync::OnceCell::new(),
            }
        }))
    }

    /// The zone, when it is known without a request.
    pub(crate) fn known_zone(&self) -> Option<&Url> {
        self.zone.get().or(self.fixed_zone.as_ref())
    }

    /// The zone's REST base URL (`…/ATServicesRest/`): the configured one,
    /// or discovered on first use (shared by the clients of the API user in
    /// this process, trusted for a day).
    pub(crate) async fn zone(&self) -> Result<Url> {
        if let Some(z) = &self.fixed_zone {
            return Ok(z.clone());
        }
        self.zone
            .get_or_try_init(|| async {
                let mut found = self.discovered.found.lock().await;
                if let Some((at, url)) = found.as_ref() {
                    if at.elapsed() < ZONE_TTL {
                        return Ok(url.clone());
                    }
                }
                let url = self.discover().await?;
                *found = Some((Instant::now(), url.clone()));
                Ok(url)
            })
            .await
            .cloned()
    }

    /// `GET zoneInformation?user=…` (not rate-limited).
    async fn discover(&self) -> Result<Url> {
        let info: ZoneInformation = self
            .lookup
            .send_json(
                ApiRequest::get(self.lookup_path.clone())
                    .query("user", &self.username)
                    .rate_key("zoneInformation"),
            )
            .await?;
        let url = validate_base_url(&info.url).map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                format!("zone discovery answered an unusable URL: {}", e.message()),
            )
            .with_vendor(Vendor::Autotask)
        })?;
        if !is_autotask_zone(&url) {
            // The credentials ride on every zone request: never follow a zone
            // elsewhere than Autotask's own hosts.
            return Err(Error::new(
                ErrorKind::Api,
                format!(
                    "zone discovery answered {}, which is not an Autotask host over https (*.autotask.net): not followed, no credentials sent",
                    url.origin().ascii_serialization()
                ),
            )
            .with_vendor(Vendor::Autotask));
        }
        Ok(url)
    }

    /// `{zone}V1.0/`: what every path is relative to.
    pub(crate) async fn api_base(&self) -> Result<Url> {
        Ok(self.api().await?.base_url().clone())
    }

    /// The zone's REST client (base `{zone}V1.0/`), built on first use.
    async fn api(&self) -> Result<&HttpClient> {
        self.api
            .get_or_try_init(|| async {
                let base =
                    self.zone().await?.join("V1.0/").map_err(|e| {
                        Error::config(format!("the zone URL cannot take V1.0/: {e}"))
                    })?;
                HttpClient::builder(Vendor::Autotask, base.as_str())
                    .config(self.http.clone())
                    .auth(self.auth.clone())
                    .rate_limiter(self.limiter.clone())
                    .retry_budget(self.retry_budget.clone())
                    .error_parser(error_parser())
                    .classifier(classifier())
                    .build()
            })
            .await
    }

    /// Sends `req` to the zone (through the limiters, retries and error
    /// hooks), with `ImpersonationResourceId` when it is a write and the
    /// client impersonates.
    pub(crate) async fn send(
        &self,
        req: ApiRequest,
        impersonation: Option<i64>,
    ) -> Result<ApiResponse> {
        let api = self.api().await.map_err(|e| e.scrubbed(&self.scrubber))?;
        api.send(with_impersonation(req, impersonation))
            .await
            .map_err(|e| e.scrubbed(&self.scrubber))
    }

    /// [`send`](Self::send), the 2xx body as a stream of chunks, at most
    /// `max_bytes` in all (refused before reading when the announced length
    /// is over).
    pub(crate) async fn send_streaming(
        &self,
        req: ApiRequest,
        impersonation: Option<i64>,
        max_bytes: u64,
    ) -> Result<psa_core::http::StreamingResponse> {
        let api = self.api().await.map_err(|e| e.scrubbed(&self.scrubber))?;
        api.send_streaming(with_impersonation(req, impersonation), max_bytes)
            .await
            .map_err(|e| e.scrubbed(&self.scrubber))
    }

    /// [`send`](Self::send), the body decoded as `T` (`what` names it in a
    /// decode error).
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        req: ApiRequest,
        impersonation: Option<i64>,
        what: &str,
    ) -> Result<T> {
        self.send(req, impersonation).await?.json_named(what)
    }

    /// [`send`](Self::send), the body ignored.
    pub(crate) async fn send_empty(
        &self,
        req: ApiRequest,
        impersonation: Option<i64>,
    ) -> Result<()> {
        self.send(req, impersonation).await.map(drop)
    }

    /// [`send`](Self::send), the answer as a raw response (credential
    /// headers removed).
    pub(crate) async fn send_raw(
        &self,
        req: ApiRequest,
        impersonation: Option<i64>,
    ) -> Result<RawResponse> {
        Ok(RawResponse::from_api(self.send(req, impersonation).await?))
    }

    /// `GET /V1.0/ThresholdInformation`, read and learnt by the budget.
    pub(crate) async fn threshold_information(&self) -> Result<ThresholdInformation> {
        let info = self.read_threshold().await?;
        self.budget.learn(info);
        Ok(info)
    }

    /// `GET /V1.0/ThresholdInformation`: unmetered by the budget (it is how
    /// the budget learns), counted by the thread limiter and the window.
    async fn read_threshold(&self) -> Result<ThresholdInformation> {
        self.send_json(
            ApiRequest::get("ThresholdInformation").rate_key(THRESHOLD_KEY),
            None,
            "threshold information",
        )
        .await
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
        let req = request(Method::GET, "Tickets/12".into());
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
            let req = request(Method::GET, bad.into());
            assert!(api.build_request(&req).is_err(), "{bad}");
        }
        let foreign =
            Url::parse("https://evil.example/ATServicesRest/V1.0/Tickets/query/next?paging=x")
                .unwrap();
        let req = ApiRequest::absolute(Method::GET, foreign).rate_key("tickets");
        assert!(api.build_request(&req).unwrap_err().is_invalid_input());
    }

    #[test]
    fn zones_are_autotask_hosts_over_https_or_loopback() {
        let ok = |u: &str| is_autotask_zone(&Url::parse(u).unwrap());
        assert!(ok("https://webservices14.autotask.net/ATServicesRest/"));
        assert!(ok("https://WEBSERVICES2.AUTOTASK.NET/ATServicesRest/"));
        assert!(ok("http://127.0.0.1:8080/ATServicesRest/"));
        assert!(ok("http://localhost:9/ATServicesRest/"));
        assert!(ok("http://[::1]:9/ATServicesRest/"));
        assert!(!ok("http://webservices14.autotask.net/ATServicesRest/"));
        assert!(!ok(
            "https://webservices14.autotask.net.evil.example/ATServicesRest/"
        ));
        assert!(!ok("https://evil-autotask.net/ATServicesRest/"));
        assert!(!ok("https://attacker.example/ATServicesRest/"));
        assert!(!ok("https://10.0.0.5/ATServicesRest/"));
        assert!(!ok(
            "https://u:p@webservices14.autotask.net/ATServicesRest/"
        ));
    }

    #[test]
    fn writes_carry_impersonation_and_queries_are_reads() {
        let api = zone_client();
        let create = request(Method::POST, "Tickets/12/Notes".into())
            .json(&serde_json::json!({}))
            .unwrap();
        assert!(is_write(&create));
        let req = with_impersonation(create, Some(29_682_886));
        assert!(!req.is_idempotent());
        let built = api.build_request(&req).unwrap();
        assert_eq!(built.method(), Method::POST);
        assert_eq!(built.headers()["impersonationresourceid"], "29682886");
        assert_eq!(built.headers()["content-type"], "application/json");
        assert_eq!(built.body().as_ref(), b"{}");
        for read in [
            request(Method::POST, "Tickets/query".into()),
            request(Method::POST, "Tickets/query/count".into()),
            request(Method::GET, "Tickets/12".into()),
        ] {
            assert!(!is_write(&read));
            let sent = with_impersonation(read, Some(29_682_886));
            assert!(sent.headers().get("impersonationresourceid").is_none());
        }
        let patch = request(Method::PATCH, "Tickets".into());
        assert!(is_write(&patch));
        assert!(with_impersonation(patch, None).headers().is_empty());
        // Only entities Autotask attributes carry the header.
        for (path, carries) in [
            ("Tickets", true),
            ("Tickets/12/Notes", true),
            ("Tickets/12/Attachments", true),
            ("Tickets/12/Attachments/9", true),
            ("TimeEntries/7", true),
            ("Companies/174/Contacts", true),
            ("ServiceCalls", true),
            ("Tickets/12/Charges", false),
            ("ServiceCalls/3/Tickets", false),
            ("TicketWebhooks", false),
            ("TicketWebhooks/4/Fields", false),
        ] {
            assert_eq!(impersonable(path), carries, "{path}");
            let sent = with_impersonation(request(Method::POST, path.into()), Some(5));
            assert_eq!(
                sent.headers().get("impersonationresourceid").is_some(),
                carries,
                "{path}"
            );
        }
    }

    #[test]
    fn raw_calls_keep_their_safety() {
        let get = raw_request(&RawRequest::get("V1.0/Invoices/3")).unwrap();
        assert!(get.is_idempotent());
        assert_eq!(get.path(), Some("Invoices/3"));
        assert_eq!(get.rate_key_name(), Some("invoices"));
        let create = raw_request(&RawRequest::post("Invoices", serde_json::json!({}))).unwrap();
        assert!(!create.is_idempotent());
        let query = raw_request(
            &RawRequest::post("Invoices/query", serde_json::json!({"filter": []})).query("a", "b"),
        )
        .unwrap();
        assert!(query.is_idempotent());
        assert_eq!(query.query_value("a"), Some("b"));
        assert_eq!(query.body_json().unwrap()["filter"], serde_json::json!([]));
        let patch = raw_request(&RawRequest::new(Method::PATCH, "Invoices")).unwrap();
        assert!(patch.is_idempotent());
    }
}
