//! [`AutotaskMock`]: a stateful wiremock simulator of an Autotask zone.
//!
//! It answers zone discovery (pointing back at itself), checks the
//! `UserName` / `Secret` / `ApiIntegrationCode` headers on every other call
//! (a wrong one gets a 401 with Autotask's `{"errors": […]}` shape), serves
//! a seeded database (companies, contacts, resources with roles, picklists
//! through `entityInformation/fields`, 25 tickets with notes and time
//! entries, configuration items, service calls, products and charges,
//! contracts, SLA results, projects, KB articles), evaluates
//! `POST /{Entity}/query` filters (every operator, `and` / `or` groups,
//! `udf` filters, `IncludeFields`), pages 500 records at a time with
//! `nextPageUrl` (`…/query/next?paging=…`), persists creates, updates and
//! deletes, and answers `GET /V1.0/ThresholdInformation` from its own
//! counters.
//!
//! Optionally it enforces Autotask's limits: at most N requests in flight per
//! (integration code, object endpoint) — the thread threshold, answered with
//! the thread-threshold error (HTTP 500, `Itgenatr005` in the message) — and
//! the hourly request budget (HTTP 429 once spent).
//!
//! Unknown routes are answered with a 404 in Autotask's shape and counted
//! ([`unexpected_requests`](AutotaskMock::unexpected_requests)). The
//! simulator's routes are mounted at priority 50: mount fault mocks with a
//! smaller number (1 wins over everything) to override them.
//!
//! [`AutotaskMock`] implements [`psa_core::testing::Simulator`], so a suite
//! drives it like the other vendors' simulators.
//!
//! ```no_run
//! # async fn demo() -> psa_core::Result<()> {
//! use psa_autotask::AutotaskMock;
//! use psa_core::{Psa, TicketQuery};
//! use futures::TryStreamExt;
//!
//! let mock = AutotaskMock::builder().enforce_thread_limit(3).start().await;
//! let client = mock.client();
//! let open: Vec<_> = client.list_tickets(TicketQuery::open()).try_collect().await?;
//! assert!(!open.is_empty());
//! assert_eq!(mock.requests_to("POST", "/ATServicesRest/V1.0/Tickets/query"), 1);
//! assert_eq!(mock.unexpected_requests(), 0);
//! # Ok(()) }
//! ```

mod filter;
mod routes;
mod seed;
mod store;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method};
use psa_core::http::HttpConfig;
use psa_core::testing::{RequestClass, Simulator, classify_by};
use psa_core::{Error, Id, NewWebhook, Psa, RawRequest, Result, Ticket, Vendor, WebhookDelivery};
use secrecy::SecretString;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

use crate::models::ThresholdInformation;
use crate::{Client, ClientBuilder};
use routes::{CatchAll, Router};
pub use store::WriteRecord;
use store::{Sim, SimConfig};

/// The simulator's API user name.
pub const USERNAME: &str = "api-psa-sdk@northwind-msp.example";
/// The simulator's API user secret.
pub const SECRET: &str = "sim-Secret-9f3a7c";
/// The simulator's integration code (tracking identifier).
pub const INTEGRATION_CODE: &str = "SIMULATEDTRACKINGID0000000";
/// The API user's resource id.
pub const API_USER_RESOURCE_ID: i64 = seed::API_USER_RESOURCE;
/// A technician resource that may be impersonated (Jordan Reyes).
pub const TECH_RESOURCE_ID: i64 = 29_682_886;
/// The "Helpdesk Bot" resource: a good agent resource for an integration.
pub const BOT_RESOURCE_ID: i64 = 29_682_889;
/// Where generated tickets' ids start.
pub const GENERATED_TICKET_BASE: i64 = seed::GENERATED_TICKET_BASE;
/// The seeded tickets' ids: `FIRST_TICKET_ID..FIRST_TICKET_ID + 25`.
pub const FIRST_TICKET_ID: i64 = 1001;
/// Seeded tickets.
pub const SEEDED_TICKETS: usize = 25;
/// A seeded product configuration items can be created with.
pub const CI_PRODUCT_ID: i64 = 29_683_100;

/// Options for [`AutotaskMock`].
#[derive(Debug, Clone)]
#[must_use]
pub struct AutotaskMockBuilder {
    thread_limit: Option<usize>,
    hourly_budget: Option<i64>,
    threshold: i64,
    latency: Duration,
    generated_tickets: u64,
    seeded: bool,
    other_usage: i64,
    budget_window: Duration,
}

impl Default for AutotaskMockBuilder {
    fn default() -> Self {
        AutotaskMockBuilder {
            thread_limit: None,
            hourly_budget: None,
            threshold: 10_000,
            latency: Duration::ZERO,
            generated_tickets: 0,
            seeded: true,
            other_usage: 0,
            budget_window: Duration::from_secs(3600),
        }
    }
}

impl AutotaskMockBuilder {
    /// Rejects a request when `limit` requests of the same integration code
    /// to the same object endpoint are already in flight (Autotask: 3).
    /// Pair it with a [`latency`](Self::latency) so requests overlap.
    pub fn enforce_thread_limit(mut self, limit: usize) -> Self {
        self.thread_limit = Some(limit.max(1));
        self
    }

    /// Enforces the database's request budget: once `max` requests were
    /// counted in the rolling `window` (the clients' and
    /// [`other_usage`](Self::other_usage)), requests get Autotask's 429 with
    /// its "request threshold … exceeded" error. `ThresholdInformation`
    /// reports `max` as the threshold and 60 minutes as the timeframe.
    /// Autotask's is 10,000 per hour; a shorter window scales a rate
    /// benchmark down in time (e.g. 300 requests per 2 s).
    pub fn rate_limit(mut self, max: u32, window: Duration) -> Self {
        self.hourly_budget = Some(i64::from(max));
        self.threshold = i64::from(max);
        self.budget_window = window.max(Duration::from_millis(1));
        self
    }

    /// Enforces Autotask's own budget: 10,000 requests per rolling hour.
    pub fn hourly_rate_limit(self) -> Self {
        self.rate_limit(10_000, Duration::from_secs(3600))
    }

    /// The `externalRequestThreshold` ThresholdInformation reports (10,000 by default).
    pub fn threshold(mut self, threshold: i64) -> Self {
        self.threshold = threshold;
        self
    }

    /// Requests already made this hour by other integrations of the database.
    pub fn other_usage(mut self, requests: i64) -> Self {
        self.other_usage = requests;
        self
    }

    /// How long each request takes on the server.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Adds `n` cheap generated tickets (ids from [`GENERATED_TICKET_BASE`]),
    /// for paging tests and benches.
    pub fn generated_tickets(mut self, n: u64) -> Self {
        self.generated_tickets = n;
        self
    }

    /// Starts with no records at all (no seed data; the picklists of
    /// `entityInformation/fields` are still answered).
    pub fn empty(mut self) -> Self {
        self.seeded = false;
        self
    }

    /// Starts the simulator.
    pub async fn start(self) -> AutotaskMock {
        let server = MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        let sim = Sim::new(
            SimConfig {
                username: USERNAME.into(),
                secret: SECRET.into(),
                integration_code: INTEGRATION_CODE.into(),
                base_url: server.uri(),
                thread_limit: self.thread_limit,
                hourly_budget: self.hourly_budget,
                threshold: self.threshold,
                latency: self.latency,
            },
            self.seeded,
            self.generated_tickets,
        );
        let sim = Arc::new(Mutex::new(sim));
        lock(&sim).other_usage = self.other_usage;
        lock(&sim).budget_window = self.budget_window;
        Mock::given(any())
            .respond_with(Router(sim.clone()))
            .with_priority(50)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(CatchAll(sim.clone()))
            .with_priority(u8::MAX)
            .mount(&server)
            .await;
        AutotaskMock { server, sim }
    }
}

fn lock(sim: &Mutex<Sim>) -> MutexGuard<'_, Sim> {
    sim.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A running simulator. Dropping it stops the server.
#[derive(Debug)]
pub struct AutotaskMock {
    server: MockServer,
    sim: Arc<Mutex<Sim>>,
}

impl AutotaskMock {
    /// A simulator with default options (no limits enforced).
    pub async fn start() -> AutotaskMock {
        AutotaskMock::builder().start().await
    }

    /// Options.
    pub fn builder() -> AutotaskMockBuilder {
        AutotaskMockBuilder::default()
    }

    /// The wiremock server, to mount fault mocks (priority below 50; 1 wins
    /// over everything).
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// The server's base URL (`http://127.0.0.1:port`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The zone's REST base, `{uri}/ATServicesRest/`.
    pub fn zone_url(&self) -> String {
        format!("{}/ATServicesRest/", self.server.uri())
    }

    /// The zone-discovery URL to configure a client with.
    pub fn zone_lookup_url(&self) -> String {
        format!("{}/atservicesrest/v1.0/zoneInformation", self.server.uri())
    }

    /// A client builder configured for this simulator: its credentials, its
    /// zone-discovery URL, and [`BOT_RESOURCE_ID`] as the agent resource.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .username(USERNAME)
            .secret(SecretString::from(SECRET))
            .integration_code(SecretString::from(INTEGRATION_CODE))
            .zone_lookup_url(self.zone_lookup_url())
            .agent_resource(BOT_RESOURCE_ID)
            .configuration_product(CI_PRODUCT_ID)
    }

    /// A client configured for this simulator.
    ///
    /// # Panics
    ///
    /// Never for the simulator's own configuration (a build error would be a
    /// bug in this crate).
    #[allow(clippy::expect_used)]
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the simulator's client configuration is valid")
    }

    /// Every request the simulator's routes answered (zone discovery and
    /// unknown routes included).
    pub fn request_count(&self) -> u64 {
        lock(&self.sim).counters.total
    }

    /// Requests answered for `method` and `path`, the URL path as sent,
    /// compared without case: `requests_to("POST",
    /// "/ATServicesRest/V1.0/Tickets/query")`.
    pub fn requests_to(&self, method: &str, path: &str) -> u64 {
        lock(&self.sim).counters.requests_to(method, path)
    }

    /// Zone discovery requests.
    pub fn zone_requests(&self) -> u64 {
        lock(&self.sim).counters.zone
    }

    /// Requests to routes the simulator does not know.
    pub fn unexpected_requests(&self) -> u64 {
        lock(&self.sim).counters.unexpected
    }

    /// Requests refused with Autotask's 401 (bad credentials).
    pub fn unauthorized_requests(&self) -> u64 {
        lock(&self.sim).counters.unauthorized
    }

    /// Requests rejected by the thread threshold.
    pub fn thread_threshold_errors(&self) -> u64 {
        lock(&self.sim).counters.thread_errors
    }

    /// Requests rejected because the hourly budget was spent.
    pub fn budget_errors(&self) -> u64 {
        lock(&self.sim).counters.budget_errors
    }

    /// `ThresholdInformation` reads.
    pub fn threshold_reads(&self) -> u64 {
        lock(&self.sim).counters.threshold_reads
    }

    /// The most requests that were in flight at once to one object endpoint
    /// (compared without case, e.g. `tickets`).
    pub fn max_in_flight(&self, endpoint: &str) -> u64 {
        lock(&self.sim)
            .counters
            .max_in_flight
            .get(&endpoint.to_ascii_lowercase())
            .copied()
            .unwrap_or_default()
    }

    /// What `ThresholdInformation` would answer now.
    pub fn threshold_information(&self) -> ThresholdInformation {
        let mut sim = lock(&self.sim);
        let used = sim.usage(Instant::now());
        ThresholdInformation::new(sim.config.threshold, 60, used)
    }

    /// Sets the requests other integrations made this hour.
    pub fn set_other_usage(&self, requests: i64) {
        lock(&self.sim).other_usage = requests;
    }

    /// Stores `record` (with its `id`) in `entity` as if Autotask held it —
    /// for a test that needs a record the seed does not have (a ticket
    /// numbered `T20261203.0001`, a UDF left unset).
    pub fn put_record(&self, entity: &str, record: Value) {
        lock(&self.sim).store.insert(entity, record);
    }

    /// The writes accepted so far (method, path, impersonation header).
    pub fn writes(&self) -> Vec<WriteRecord> {
        lock(&self.sim).writes.clone()
    }

    /// A stored record, as the API would return it.
    pub fn record(&self, entity: &str, id: i64) -> Option<Value> {
        lock(&self.sim).store.get(entity, id).cloned()
    }

    /// How many records an entity holds.
    pub fn record_count(&self, entity: &str) -> usize {
        lock(&self.sim).store.len(entity)
    }

    /// A delivery as Autotask would post it for ticket webhook `webhook_id`
    /// (registered on this simulator), signed with its secret key:
    /// `{"Guid", "EntityType": "Ticket", "Id", "EventTime", "SequenceNumber",
    /// "PersonID", "Action", "Fields"}` with an `X-Hook-Signature` header.
    /// `Guid` is the webhook's `webhookGUID` (the same on every delivery of
    /// the webhook); `SequenceNumber` counts the webhook's deliveries.
    /// `None` when no such webhook is registered.
    pub fn signed_ticket_delivery(
        &self,
        webhook_id: i64,
        ticket: i64,
        action: &str,
        fields: &Value,
    ) -> Option<WebhookDelivery> {
        let mut sim = lock(&self.sim);
        let secret = sim.webhook_secrets.get(&webhook_id)?.clone();
        let guid = sim
            .store
            .get("TicketWebhooks", webhook_id)
            .and_then(|w| w.get("webhookGUID"))
            .and_then(Value::as_str)
            .map(str::to_owned)?;
        let sequence = {
            let n = sim.webhook_sequence.entry(webhook_id).or_insert(0);
            *n += 1;
            *n
        };
        drop(sim);
        let body = json!({
            "Guid": guid,
            "EntityType": "Ticket",
            "Id": ticket,
            "EventTime": chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            "SequenceNumber": sequence,
            "PersonID": TECH_RESOURCE_ID,
            "Action": action,
            "Fields": fields,
        });
        let bytes = Bytes::from(serde_json::to_vec(&body).ok()?);
        let sig = crate::webhook::sign(&SecretString::from(secret), &bytes);
        let mut headers = HeaderMap::new();
        headers.insert(
            crate::webhook::SIGNATURE_HEADER,
            HeaderValue::from_str(&sig).ok()?,
        );
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        Some(WebhookDelivery::new(headers, bytes))
    }
}

/// The signing secret of the webhook [`Simulator::ticket_delivery`] registers.
const DELIVERY_WEBHOOK_SECRET: &str = "sim-autotask-hook-8c2b";

#[async_trait]
impl Simulator for AutotaskMock {
    fn vendor(&self) -> Vendor {
        Vendor::Autotask
    }

    fn server(&self) -> &MockServer {
        &self.server
    }

    fn psa(&self) -> Arc<dyn Psa> {
        Arc::new(self.client())
    }

    /// The simulator's client with `config`; with `origin`, the zone is
    /// `{origin}/ATServicesRest/` (no discovery request).
    fn tuned_psa(&self, config: HttpConfig, origin: Option<&str>) -> Result<Arc<dyn Psa>> {
        let mut b = self.client_builder().http_config(config);
        if let Some(o) = origin {
            b = b.base_url(format!("{}/ATServicesRest/", o.trim_end_matches('/')));
        }
        Ok(Arc::new(b.build()?))
    }

    /// `None`: Autotask sends its credentials as headers on every request
    /// and issues no tokens.
    fn tokened_psa(&self, page_size: u32) -> Result<Option<Arc<dyn Psa>>> {
        let _ = page_size;
        Ok(None)
    }

    /// `false`: Autotask issues no tokens.
    fn expire_tokens(&self) -> bool {
        false
    }

    fn request_count(&self) -> u64 {
        AutotaskMock::request_count(self)
    }

    fn requests_to(&self, method: &str, path: &str) -> u64 {
        AutotaskMock::requests_to(self, method, path)
    }

    /// Zero: Autotask issues no tokens.
    fn token_requests(&self) -> u64 {
        0
    }

    fn unauthorized_requests(&self) -> u64 {
        AutotaskMock::unauthorized_requests(self)
    }

    fn unexpected_requests(&self) -> u64 {
        AutotaskMock::unexpected_requests(self)
    }

    /// Set-up is zone discovery (`…/zoneInformation`); `POST …/query` and
    /// `POST …/query/count` are reads.
    fn classify(&self, method: &Method, path: &str) -> RequestClass {
        classify_by(
            method,
            path,
            |p| p.trim_end_matches('/').ends_with("/zoneinformation"),
            crate::transport::is_query_path,
        )
    }

    fn raw_ticket_read(&self, ticket: &Id) -> RawRequest {
        RawRequest::get(format!("Tickets/{ticket}"))
    }

    /// Registers a ticket webhook through a client with a webhook secret,
    /// and returns that client with the simulator's signed delivery of an
    /// update to `ticket`'s title.
    async fn ticket_delivery(&self, ticket: &Ticket) -> Result<(Arc<dyn Psa>, WebhookDelivery)> {
        let id = ticket.id.require_positive("autotask ticket id")?;
        let client = self
            .client_builder()
            .webhook_secret(SecretString::from(DELIVERY_WEBHOOK_SECRET))
            .build()?;
        let url = url::Url::parse("https://hooks.example/autotask")
            .map_err(|e| Error::invalid_input(format!("a webhook URL: {e}")))?;
        let sub = client
            .subscribe_webhook(
                NewWebhook::new("psa-sdk simulator", url)
                    .secret(SecretString::from(DELIVERY_WEBHOOK_SECRET)),
            )
            .await?;
        let hook = sub.id.require_positive("autotask webhook id")?;
        let delivery = self
            .signed_ticket_delivery(hook, id, "Update", &json!({"title": ticket.summary}))
            .ok_or_else(|| {
                Error::invalid_input(format!(
                    "the simulator has no webhook {hook} to deliver for"
                ))
            })?;
        Ok((Arc::new(client), delivery))
    }
}
