//! `HaloMock`: a stateful simulator of a HaloPSA tenant on a local
//! [`wiremock`] server, shared by this crate's tests, the examples, the
//! benchmarks and downstream users.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> psa_core::Result<()> {
//! use futures::TryStreamExt;
//! use psa_core::{Psa, TicketQuery};
//! use psa_halo::HaloMock;
//!
//! let mock = HaloMock::start().await;
//! let client = mock.client();
//! let open: Vec<_> = client.list_tickets(TicketQuery::open()).try_collect().await?;
//! assert!(!open.is_empty());
//! assert_eq!(mock.unexpected_requests(), 0);
//! # Ok(()) }
//! ```
//!
//! What it simulates:
//! - the client-credentials token endpoint (`POST /auth/token`, form body
//!   checked; wrong credentials → 401 with an OAuth error body; `?tenant=`
//!   required when a tenant is configured) and a bearer check on every API
//!   call (missing, unknown or expired → 401);
//! - `GET`/`POST`/`DELETE` on the resources the SDK uses, stateful: creates
//!   persist, updates change records (and write audit records), deletes
//!   remove; Halo's create-or-update `POST` of arrays;
//! - list filters for the parameters the `Psa` mapping sends, paging with
//!   `record_count` and Halo's cap of 100 records a page;
//! - attachments (`/Attachment`: listed as records, the file itself at
//!   `/Attachment/{id}`, uploads as base64 JSON) and field definitions
//!   (`/FieldInfo`); statuses per ticket type; SLA timers on the seeded
//!   tickets; a closing action without a note refused (400), as a tenant
//!   that requires a closure note does;
//! - optionally a Halo version that ignores request fields outside its
//!   documented behaviour ([`HaloMockBuilder::ignore_fields`]);
//! - optionally Halo's hosted rate limit (429 "Rate Limit Reached - 300
//!   Requests per rolling 5 minute window");
//! - a catch-all mounted last that answers unknown routes with 404 and
//!   counts them ([`unexpected_requests`](HaloMock::unexpected_requests)).
//!
//! `HaloMock` implements [`psa_core::testing::Simulator`], so a suite that
//! drives every vendor's simulator through the trait drives this one too.
//!
//! Layout: `routes/` answers the requests (one module per group of Halo's
//! resources), `filter.rs` reads Halo's query parameters, `store.rs` holds
//! the records, `seed.rs` the seed data.

mod filter;
mod routes;
pub(crate) mod seed;
mod store;

use base64::Engine as _;
use http::Method;
use psa_core::http::HttpConfig;
use psa_core::reexports::bytes;
use psa_core::testing::{RequestClass, Simulator, classify_by};
use psa_core::{Id, Psa, RawRequest, Result, Vendor, WebhookDelivery};
use secrecy::SecretString;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use wiremock::matchers::{any, method, path_regex};
use wiremock::{Mock, MockServer};

use crate::webhook::WebhookAuth;
use crate::{Client, ClientBuilder, RateLimit};
use store::Store;

pub use seed::{API_AGENT_ID, CHARGE_TYPE_LOOKUP, CLOSED_STATUSES, GENERATED_BASE};

/// The client id the simulator accepts.
pub const CLIENT_ID: &str = "psa-sdk-mock-client";
/// The client secret the simulator accepts.
pub const CLIENT_SECRET: &str = "mock-secret-do-not-use";
/// The Basic credentials of webhook deliveries the simulator's clients verify.
pub const WEBHOOK_USER: &str = "halo";
/// The webhook password the simulator's clients verify.
pub const WEBHOOK_PASSWORD: &str = "mock-webhook-secret";

/// Options of a [`HaloMock`].
#[derive(Debug, Clone)]
#[must_use]
pub struct HaloMockBuilder {
    tenant: Option<String>,
    token_lifetime: Duration,
    rate_limit: Option<(u32, Duration)>,
    generated_tickets: u64,
    seed: bool,
    ignored_fields: Vec<String>,
}

impl Default for HaloMockBuilder {
    fn default() -> Self {
        HaloMockBuilder {
            tenant: None,
            token_lifetime: Duration::from_secs(3600),
            rate_limit: None,
            generated_tickets: 0,
            seed: true,
            ignored_fields: Vec::new(),
        }
    }
}

impl HaloMockBuilder {
    /// Requires `?tenant=NAME` on token requests, as hosted Halo does.
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }

    /// How long issued tokens live (default 3600 s).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Enforces a rolling-window rate limit on API calls: more than `max`
    /// in any `window` get 429 with Halo's body.
    pub fn rate_limit(mut self, max: u32, window: Duration) -> Self {
        self.rate_limit = Some((max, window));
        self
    }

    /// Enforces Halo's hosted limit: 300 requests per rolling 5 minutes.
    pub fn hosted_rate_limit(self) -> Self {
        self.rate_limit(300, Duration::from_secs(300))
    }

    /// Adds `n` generated open tickets (ids from [`GENERATED_BASE`]),
    /// synthesised on demand, for paging benchmarks.
    pub fn generated_tickets(mut self, n: u64) -> Self {
        self.generated_tickets = n;
        self
    }

    /// Accepts these fields in the records of every `POST` and ignores
    /// them, as a Halo version that does not honour a field outside its
    /// request schema would (`team_id` on tickets, `merged_into_id`,
    /// `new_items_issued` on actions, `who_agentid` on actions …): proves
    /// that the client reads such writes back and reports what did not
    /// take.
    pub fn ignore_fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ignored_fields
            .extend(fields.into_iter().map(Into::into));
        self
    }

    /// Starts with no records at all (no seed data).
    pub fn empty(mut self) -> Self {
        self.seed = false;
        self
    }

    /// Starts the simulator.
    pub async fn start(self) -> HaloMock {
        let server = MockServer::start().await;
        let mut store = Store::default();
        if self.seed {
            seed::seed(&mut store);
        }
        store.generated = i64::try_from(self.generated_tickets).unwrap_or(i64::MAX);
        let shared = Arc::new(Shared {
            config: self,
            store: Mutex::new(store),
            tokens: Mutex::new(HashMap::new()),
            window: Mutex::new(VecDeque::new()),
            counters: Counters::default(),
            per_path: Mutex::new(BTreeMap::new()),
        });
        let handler = routes::Handler(Arc::clone(&shared));
        Mock::given(method("POST"))
            .and(path_regex(r"^/auth/token$"))
            .respond_with(handler.clone())
            .with_priority(routes::ROUTE_PRIORITY)
            .mount(&server)
            .await;
        for (m, re) in routes::ROUTES {
            Mock::given(method(*m))
                .and(path_regex(*re))
                .respond_with(handler.clone())
                .with_priority(routes::ROUTE_PRIORITY)
                .mount(&server)
                .await;
        }
        Mock::given(any())
            .respond_with(routes::CatchAll(Arc::clone(&shared)))
            .with_priority(u8::MAX)
            .mount(&server)
            .await;
        HaloMock { server, shared }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) requests: AtomicU64,
    pub(crate) token_requests: AtomicU64,
    pub(crate) unexpected: AtomicU64,
    pub(crate) rate_limited: AtomicU64,
    pub(crate) unauthorized: AtomicU64,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: HaloMockBuilder,
    pub(crate) store: Mutex<Store>,
    /// Issued tokens and their expiry.
    pub(crate) tokens: Mutex<HashMap<String, Instant>>,
    /// Times of recent API calls, for the rate limit.
    pub(crate) window: Mutex<VecDeque<Instant>>,
    pub(crate) counters: Counters,
    pub(crate) per_path: Mutex<BTreeMap<String, u64>>,
}

/// Locks a mutex, recovering the data if a panicking test poisoned it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A running HaloPSA simulator. See the [module docs](self).
#[derive(Debug)]
pub struct HaloMock {
    server: MockServer,
    shared: Arc<Shared>,
}

impl HaloMock {
    /// Starts a simulator with the seed data and default options.
    pub async fn start() -> HaloMock {
        HaloMock::builder().start().await
    }

    /// Options.
    pub fn builder() -> HaloMockBuilder {
        HaloMockBuilder::default()
    }

    /// The wiremock server: mount fault mocks with a priority below 10 (a
    /// lower number wins) to override the simulator's routes.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// The tenant's base URL (`http://127.0.0.1:PORT`).
    pub fn base_url(&self) -> String {
        self.server.uri()
    }

    /// The resource server (`{base}/api`).
    pub fn api_url(&self) -> String {
        format!("{}/api", self.server.uri())
    }

    /// The authorisation server (`{base}/auth`).
    pub fn auth_url(&self) -> String {
        format!("{}/auth", self.server.uri())
    }

    /// The client id the simulator accepts.
    pub fn client_id(&self) -> &'static str {
        CLIENT_ID
    }

    /// The client secret the simulator accepts.
    pub fn client_secret(&self) -> SecretString {
        SecretString::from(CLIENT_SECRET)
    }

    /// The tenant, when one is required.
    pub fn tenant(&self) -> Option<&str> {
        self.shared.config.tenant.as_deref()
    }

    /// A client builder configured for this simulator: credentials, tenant,
    /// the API agent, the simulator's closed statuses and charge-type look-up,
    /// webhook credentials, and no client-side rate limit (configure one to
    /// test it against [`HaloMockBuilder::rate_limit`]).
    pub fn client_builder(&self) -> ClientBuilder {
        let mut b = Client::builder()
            .base_url(self.base_url())
            .client_id(CLIENT_ID)
            .client_secret(self.client_secret())
            .agent_id(API_AGENT_ID)
            .closed_status_ids(CLOSED_STATUSES)
            .work_type_lookup_id(CHARGE_TYPE_LOOKUP)
            .webhook_auth(WebhookAuth::basic(
                WEBHOOK_USER,
                SecretString::from(WEBHOOK_PASSWORD),
            ))
            .rate_limit(RateLimit::Disabled);
        if let Some(t) = &self.shared.config.tenant {
            b = b.tenant(t.clone());
        }
        b
    }

    /// A client configured for this simulator.
    ///
    /// # Panics
    /// Never in practice: the simulator's configuration is valid by
    /// construction; a failure here is a bug in the simulator.
    #[allow(clippy::expect_used)]
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("the simulator's client configuration is valid")
    }

    /// API and token requests received (unknown routes included).
    pub fn request_count(&self) -> u64 {
        self.shared.counters.requests.load(Ordering::SeqCst)
    }

    /// Token requests received.
    pub fn token_requests(&self) -> u64 {
        self.shared.counters.token_requests.load(Ordering::SeqCst)
    }

    /// Requests to routes the simulator does not know (answered with 404).
    pub fn unexpected_requests(&self) -> u64 {
        self.shared.counters.unexpected.load(Ordering::SeqCst)
    }

    /// Requests answered with 429 by the rate limit.
    pub fn rate_limited_requests(&self) -> u64 {
        self.shared.counters.rate_limited.load(Ordering::SeqCst)
    }

    /// Requests answered with 401 for a missing, unknown or expired token.
    pub fn unauthorized_requests(&self) -> u64 {
        self.shared.counters.unauthorized.load(Ordering::SeqCst)
    }

    /// Requests received per `METHOD /path` (paths as sent, without query).
    pub fn requests_per_path(&self) -> BTreeMap<String, u64> {
        lock(&self.shared.per_path).clone()
    }

    /// Requests received for `method` and `path` (the URL path as sent,
    /// compared without case), e.g. `requests_to("GET", "/api/Tickets")`.
    pub fn requests_to(&self, method: &str, path: &str) -> u64 {
        lock(&self.shared.per_path)
            .iter()
            .filter(|(key, _)| {
                key.split_once(' ').is_some_and(|(m, p)| {
                    m.eq_ignore_ascii_case(method) && p.eq_ignore_ascii_case(path)
                })
            })
            .map(|(_, n)| n)
            .sum()
    }

    /// Expires every issued token: the next API call gets 401.
    pub fn expire_tokens(&self) {
        lock(&self.shared.tokens).clear();
    }

    /// A webhook delivery as Halo sends it to the simulator's clients:
    /// `body` (JSON) with the Basic credentials they verify
    /// ([`WEBHOOK_USER`], [`WEBHOOK_PASSWORD`]).
    pub fn delivery(&self, body: impl Into<bytes::Bytes>) -> WebhookDelivery {
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{WEBHOOK_USER}:{WEBHOOK_PASSWORD}"));
        let mut headers = http::HeaderMap::new();
        if let Ok(v) = http::HeaderValue::from_str(&format!("Basic {basic}")) {
            headers.insert(http::header::AUTHORIZATION, v);
        }
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        WebhookDelivery::new(headers, body)
    }

    /// A stored record as Halo would return it, for assertions
    /// (`record("tickets", 1001)`; tables: tickets, clients, sites, users,
    /// agents, assets, appointments, items, contracts, kb).
    pub fn record(&self, table: &str, id: i64) -> Option<serde_json::Value> {
        let s = lock(&self.shared.store);
        let t = match table {
            "tickets" => return s.ticket(id).map(serde_json::Value::Object),
            "clients" => &s.clients,
            "sites" => &s.sites,
            "users" => &s.users,
            "agents" => &s.agents,
            "assets" => &s.assets,
            "appointments" => &s.appointments,
            "items" => &s.items,
            "contracts" => &s.contracts,
            "kb" => &s.kb,
            _ => return None,
        };
        t.get(&id).cloned().map(serde_json::Value::Object)
    }

    /// An action as stored.
    pub fn action(&self, ticket: i64, action: i64) -> Option<serde_json::Value> {
        lock(&self.shared.store)
            .actions
            .get(&(ticket, action))
            .cloned()
            .map(serde_json::Value::Object)
    }

    /// The webhooks registered, as stored.
    pub fn webhooks(&self) -> Vec<serde_json::Value> {
        lock(&self.shared.store)
            .webhooks
            .values()
            .cloned()
            .map(serde_json::Value::Object)
            .collect()
    }
}

/// The simulator through the trait every vendor's simulator implements: the
/// conformance suite drives it with no Halo-specific code.
#[async_trait::async_trait]
impl Simulator for HaloMock {
    fn vendor(&self) -> Vendor {
        Vendor::Halo
    }

    fn server(&self) -> &MockServer {
        &self.server
    }

    fn psa(&self) -> Arc<dyn Psa> {
        Arc::new(self.client())
    }

    fn tuned_psa(&self, config: HttpConfig, origin: Option<&str>) -> Result<Arc<dyn Psa>> {
        let mut b = self.client_builder().http_config(config);
        if let Some(o) = origin {
            b = b.base_url(o);
        }
        Ok(Arc::new(b.build()?))
    }

    /// The simulator's own client: Halo's token can be expired, and its
    /// uniform listings page by Halo's cap of 100 whatever `page_size` asks.
    fn tokened_psa(&self, _page_size: u32) -> Result<Option<Arc<dyn Psa>>> {
        Ok(Some(Arc::new(self.client())))
    }

    fn expire_tokens(&self) -> bool {
        HaloMock::expire_tokens(self);
        true
    }

    fn request_count(&self) -> u64 {
        HaloMock::request_count(self)
    }

    fn requests_to(&self, method: &str, path: &str) -> u64 {
        HaloMock::requests_to(self, method, path)
    }

    fn token_requests(&self) -> u64 {
        HaloMock::token_requests(self)
    }

    fn unauthorized_requests(&self) -> u64 {
        HaloMock::unauthorized_requests(self)
    }

    fn unexpected_requests(&self) -> u64 {
        HaloMock::unexpected_requests(self)
    }

    /// Set-up is the token endpoint (`/auth/…`); Halo reads only with `GET`.
    fn classify(&self, method: &Method, path: &str) -> RequestClass {
        classify_by(method, path, |p| p.starts_with("/auth/"), |_| false)
    }

    fn raw_ticket_read(&self, ticket: &Id) -> RawRequest {
        RawRequest::get(format!("Tickets/{ticket}"))
    }

    /// The ticket's record under `ticket` with `event_name` "Ticket
    /// Updated", as Halo posts it, with the Basic credentials the
    /// simulator's client verifies.
    async fn ticket_delivery(
        &self,
        ticket: &psa_core::Ticket,
    ) -> Result<(Arc<dyn Psa>, WebhookDelivery)> {
        ticket.id.require_int("halo ticket id")?;
        let body = serde_json::json!({
            "event_name": "Ticket Updated",
            "guid": "6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c",
            "ticket": *ticket.raw,
        });
        Ok((Arc::new(self.client()), self.delivery(body.to_string())))
    }
}
