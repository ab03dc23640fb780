//! `ConnectWiseMock`: a stateful simulator of a ConnectWise PSA site on a
//! local wiremock server (feature `mock`).
//!
//! It answers like a site does:
//!
//! - `GET /login/companyinfo/{companyId}` → the codebase (`v4_6_release/`);
//! - every API call under `/v4_6_release/apis/3.0/` checks the `clientId`
//!   header and `Authorization: Basic base64(company+public:private)` (the
//!   API member's keys, or a member token it issued) — anything else is
//!   ConnectWise's 401 body — and the versioned `Accept`
//!   (`application/vnd.connectwise.com+json; version=…`, recorded);
//! - seeded, deterministic data: 7 companies, 12 contacts with email and
//!   phone communication items, 4 boards with statuses / types / subtypes /
//!   items, 4 priorities, 6 members (one API member), 25 tickets with notes,
//!   time and audit trail, schedule entries, 8 configurations, 5
//!   agreements, 2 SLAs, 6 catalog items, 3 projects, 4 KB articles, work
//!   types and ticket custom fields;
//! - `conditions`, `childConditions`, `customFieldConditions` (a real parser
//!   of the language; what it cannot parse is a 400 in ConnectWise's error
//!   shape), `orderBy`, `fields`, `page` / `pageSize` with `Link` headers,
//!   forward-only paging (`pagination-type: forward-only`, `pageId`);
//! - stateful writes: ticket create (with `initialDescription` notes),
//!   JSON-Patch `PATCH` (board / status consistency, closing, custom fields
//!   by id, audit entries), merge, bundle (`attachChildren`), notes, time
//!   entries, contacts, configurations, schedule entries, ticket products,
//!   callbacks, member tokens (`x-cw-usertype: member`), deletes;
//! - callback signing keys at `/callbackkeys/{id}` and
//!   [`signed_delivery`](ConnectWiseMock::signed_delivery) to build a
//!   delivery signed exactly as ConnectWise signs them;
//! - a catch-all that answers unknown routes with ConnectWise's 404 body and
//!   counts them ([`unexpected_requests`](ConnectWiseMock::unexpected_requests));
//! - optional 429s from "the Cloudflare edge"
//!   ([`inject_429`](ConnectWiseMock::inject_429), or every n-th request).
//!
//! The simulator's routes are mounted at priority 10: a test mounts its own
//! fault mocks on [`server`](ConnectWiseMock::server) with priority 1 (or
//! wiremock's default, 5) to take precedence.
//!
//! [`ConnectWiseMock`] implements [`psa_core::testing::Simulator`], the
//! interface the shared test suites drive every vendor's simulator through.
//!
//! The simulator is split like the other vendors': `routes/` (the
//! responders), `store.rs` (the state and counters), `seed.rs` (the seed
//! data) and `filter.rs` (the conditions language as the site reads it).

mod filter;
mod routes;
mod seed;
mod store;

use http::{HeaderMap, HeaderValue, Method};
use psa_core::http::HttpConfig;
use psa_core::testing::{RequestClass, Simulator, classify_by};
use psa_core::{Id, Psa, RawRequest, Vendor, WebhookDelivery};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

use crate::auth::Credentials;
use crate::client::{Client, ClientBuilder};
use routes::Router;
use store::{Coll, Counters, Faults, MockConfig, Shared, lock};

/// The simulator's company id.
pub const COMPANY_ID: &str = "northwind";
/// The simulator API member's public key.
pub const PUBLIC_KEY: &str = "mockPublicKey01";
/// The simulator API member's private key.
pub const PRIVATE_KEY: &str = "mockPrivateKey01";
/// The simulator's registered clientId.
pub const CLIENT_ID: &str = "3f2a6c1e-5b7d-4e21-9c0a-7d1e2f3a4b5c";
/// The identifier of the simulator's API member (writes are made as it).
pub const API_MEMBER: &str = "psa.agent";
/// The id of the simulator's API member.
pub const API_MEMBER_ID: i64 = 190;
/// The key the simulator signs callbacks with.
pub const SIGNING_KEY: &str = "mock-callback-signing-key";

/// Options of a [`ConnectWiseMock`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ConnectWiseMockBuilder {
    codebase: String,
    token_lifetime: Duration,
    rate_limit_every: Option<u64>,
    generated_tickets: usize,
}

impl Default for ConnectWiseMockBuilder {
    fn default() -> Self {
        ConnectWiseMockBuilder {
            codebase: "v4_6_release/".to_owned(),
            token_lifetime: Duration::from_secs(3600),
            rate_limit_every: None,
            generated_tickets: 0,
        }
    }
}

impl ConnectWiseMockBuilder {
    /// The codebase the site reports (default `v4_6_release/`).
    pub fn codebase(mut self, codebase: impl Into<String>) -> Self {
        let mut c = codebase.into();
        if !c.ends_with('/') {
            c.push('/');
        }
        c.trim_start_matches('/').clone_into(&mut self.codebase);
        self
    }

    /// How long member tokens live (default an hour).
    pub fn token_lifetime(mut self, d: Duration) -> Self {
        self.token_lifetime = d;
        self
    }

    /// Answer every `n`-th API request with a 429 (as Cloudflare does).
    pub fn rate_limit_every(mut self, n: u64) -> Self {
        self.rate_limit_every = Some(n);
        self
    }

    /// Generates `n` more tickets (ids from 20000), for paging tests and
    /// benchmarks.
    pub fn generated_tickets(mut self, n: usize) -> Self {
        self.generated_tickets = n;
        self
    }

    /// Starts the simulator.
    pub async fn start(self) -> ConnectWiseMock {
        let server = MockServer::start().await;
        let mut st = seed::seed(self.generated_tickets);
        st.signing_keys.insert(1, SIGNING_KEY.to_owned());
        st.site = server.uri();
        let shared = Arc::new(Shared {
            cfg: MockConfig {
                company_id: COMPANY_ID.to_owned(),
                public_key: PUBLIC_KEY.to_owned(),
                private_key: PRIVATE_KEY.to_owned(),
                client_id: CLIENT_ID.to_owned(),
                codebase: self.codebase,
                api_member: API_MEMBER.to_owned(),
                token_lifetime: chrono::Duration::from_std(self.token_lifetime)
                    .unwrap_or(chrono::Duration::hours(1)),
                rate_limit_every: self.rate_limit_every,
            },
            state: Mutex::new(st),
            counters: Mutex::new(Counters::default()),
            faults: Mutex::new(Faults::default()),
        });
        Mock::given(any())
            .respond_with(Router(Arc::clone(&shared)))
            .with_priority(10)
            .named("ConnectWise simulator")
            .mount(&server)
            .await;
        ConnectWiseMock { server, shared }
    }
}

/// A running ConnectWise PSA simulator. See the [module docs](self).
pub struct ConnectWiseMock {
    server: MockServer,
    shared: Arc<Shared>,
}

impl fmt::Debug for ConnectWiseMock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectWiseMock")
            .field("uri", &self.server.uri())
            .field("codebase", &self.shared.cfg.codebase)
            .finish_non_exhaustive()
    }
}

impl ConnectWiseMock {
    /// Starts a simulator with the default options.
    pub async fn start() -> Self {
        ConnectWiseMockBuilder::default().start().await
    }

    /// Options.
    pub fn builder() -> ConnectWiseMockBuilder {
        ConnectWiseMockBuilder::default()
    }

    /// The wiremock server (mount fault mocks on it).
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// The site root, `http://127.0.0.1:{port}`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The API base, `http://127.0.0.1:{port}/v4_6_release/apis/3.0`.
    pub fn base_url(&self) -> String {
        format!("{}/{}apis/3.0", self.server.uri(), self.shared.cfg.codebase)
    }

    /// The simulator's API-member credentials.
    ///
    /// # Panics
    ///
    /// Never: the simulator's constants are valid credentials.
    #[allow(clippy::expect_used)]
    pub fn credentials(&self) -> Credentials {
        Credentials::new(
            COMPANY_ID,
            SecretString::from(PUBLIC_KEY),
            SecretString::from(PRIVATE_KEY),
            SecretString::from(CLIENT_ID),
        )
        .expect("the simulator's credentials are valid")
    }

    /// A client builder configured for this simulator: its credentials and
    /// its base URL, board 1 ("Service Desk") as the default board.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .credentials(self.credentials())
            .base_url(self.base_url())
            .default_board(1)
    }

    /// A ready client for this simulator.
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

    fn counters(&self) -> Counters {
        lock(&self.shared.counters).clone()
    }

    /// Every request received.
    pub fn request_count(&self) -> u64 {
        self.counters().total
    }

    /// Requests under the API base.
    pub fn api_request_count(&self) -> u64 {
        self.counters().api
    }

    /// Requests received for `method` and `path` (the full URL path, e.g.
    /// `GET`, `/v4_6_release/apis/3.0/service/tickets`), compared without
    /// case.
    pub fn requests_to(&self, method: &str, path: &str) -> u64 {
        self.counters()
            .per_path
            .iter()
            .filter(|(key, _)| {
                key.split_once(' ').is_some_and(|(m, p)| {
                    m.eq_ignore_ascii_case(method) && p.eq_ignore_ascii_case(path)
                })
            })
            .map(|(_, n)| *n)
            .sum()
    }

    /// Requests for an API path relative to the base (`service/tickets`).
    pub fn api_requests_to(&self, method: &str, path: &str) -> u64 {
        self.requests_to(
            method,
            &format!(
                "/{}apis/3.0/{}",
                self.shared.cfg.codebase,
                path.trim_start_matches('/')
            ),
        )
    }

    /// Member-token requests (`POST /system/members/{id}/tokens`).
    pub fn token_requests(&self) -> u64 {
        self.counters()
            .per_path
            .iter()
            .filter(|(k, _)| k.starts_with("POST ") && k.ends_with("/tokens"))
            .map(|(_, v)| *v)
            .sum()
    }

    /// Signing-key fetches (`GET /callbackkeys/{id}`).
    pub fn key_requests(&self) -> u64 {
        self.counters().key_requests
    }

    /// Codebase look-ups (`GET /login/companyinfo/{company}`).
    pub fn companyinfo_requests(&self) -> u64 {
        self.counters().companyinfo_requests
    }

    /// Requests no route answered (each got ConnectWise's 404 body).
    pub fn unexpected_requests(&self) -> u64 {
        self.counters().unexpected
    }

    /// Requests refused with 401.
    pub fn unauthorized_requests(&self) -> u64 {
        self.counters().unauthorized
    }

    /// 429s the simulator sent.
    pub fn rate_limited_responses(&self) -> u64 {
        self.counters().rate_limited
    }

    /// The `version=` of every versioned `Accept` header received.
    pub fn accept_versions(&self) -> Vec<String> {
        self.counters().accept_versions
    }

    /// Who each write was made as (member identifiers), in order.
    pub fn write_identities(&self) -> Vec<String> {
        self.counters().write_identities
    }

    /// The next `count` API requests get a 429 with `Retry-After: secs`.
    pub fn inject_429(&self, count: u32, retry_after_secs: u64) {
        let mut f = lock(&self.shared.faults);
        f.next_429 = count;
        f.retry_after_secs = retry_after_secs;
    }

    /// Forgets every member token issued: the next request made with one
    /// gets a 401 (as after a revocation on the site).
    pub fn revoke_member_tokens(&self) {
        lock(&self.shared.state).tokens.clear();
    }

    /// A ticket as the simulator stores it.
    pub fn ticket(&self, id: i64) -> Option<Value> {
        lock(&self.shared.state).get(Coll::Tickets, id).cloned()
    }

    /// A ticket's notes as stored.
    pub fn notes_of(&self, ticket: i64) -> Vec<Value> {
        lock(&self.shared.state)
            .coll(Coll::Notes)
            .values()
            .filter(|n| n["ticketId"].as_i64() == Some(ticket))
            .cloned()
            .collect()
    }

    /// A ticket's time entries as stored.
    pub fn time_entries_of(&self, ticket: i64) -> Vec<Value> {
        lock(&self.shared.state)
            .coll(Coll::Time)
            .values()
            .filter(|t| t["chargeToId"].as_i64() == Some(ticket))
            .cloned()
            .collect()
    }

    /// The registered callbacks.
    pub fn callbacks(&self) -> Vec<Value> {
        lock(&self.shared.state)
            .coll(Coll::Callbacks)
            .values()
            .cloned()
            .collect()
    }

    /// How many tickets the simulator holds.
    pub fn ticket_count(&self) -> usize {
        lock(&self.shared.state).coll(Coll::Tickets).len()
    }

    /// The URL the simulator serves its callback signing key at.
    pub fn key_url(&self) -> String {
        format!("{}/callbackkeys/1", self.server.uri())
    }

    /// A callback delivery for `ticket` (`added`, `updated` or `deleted`),
    /// signed exactly as ConnectWise signs them, whose `Metadata.key_url`
    /// points at this simulator.
    pub fn signed_delivery(&self, action: &str, ticket: i64) -> WebhookDelivery {
        self.delivery_with_key_url(action, ticket, &self.key_url())
    }

    /// Like [`signed_delivery`](Self::signed_delivery) with another key URL
    /// (the body is still signed with the simulator's key).
    pub fn delivery_with_key_url(
        &self,
        action: &str,
        ticket: i64,
        key_url: &str,
    ) -> WebhookDelivery {
        let entity = if action == "deleted" {
            Value::Null
        } else {
            self.ticket(ticket)
                .map_or(Value::Null, |t| Value::String(t.to_string()))
        };
        let body = json!({
            "MessageId": format!("{:08x}-0000-4000-8000-{ticket:012}", ticket),
            "FromUrl": self.uri(),
            "CompanyId": COMPANY_ID,
            "MemberId": "jdoe",
            "Action": action,
            "Type": "ticket",
            "ID": ticket,
            "Entity": entity,
            "Metadata": {"key_url": key_url},
            "CallbackObjectRecId": 1,
        });
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let sig = crate::webhook::sign(&SecretString::from(SIGNING_KEY), &bytes);
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        if let Ok(v) = HeaderValue::from_str(&sig) {
            headers.insert(crate::webhook::SIGNATURE_HEADER, v);
        }
        WebhookDelivery::new(headers, bytes)
    }
}

/// The simulator as the shared test suites drive every vendor's:
/// [`tokened_psa`](Simulator::tokened_psa) acts as the API member
/// ([`API_MEMBER`]) so that every request carries a member token, which
/// [`expire_tokens`](Simulator::expire_tokens) revokes; the token
/// endpoint and company info are set-up requests.
#[async_trait::async_trait]
impl Simulator for ConnectWiseMock {
    fn vendor(&self) -> Vendor {
        Vendor::ConnectWise
    }

    fn server(&self) -> &MockServer {
        &self.server
    }

    fn psa(&self) -> Arc<dyn Psa> {
        Arc::new(self.client())
    }

    fn tuned_psa(
        &self,
        config: HttpConfig,
        origin: Option<&str>,
    ) -> psa_core::Result<Arc<dyn Psa>> {
        let mut b = self.client_builder().http_config(config);
        if let Some(o) = origin {
            b = b.base_url(format!(
                "{}/{}apis/3.0",
                o.trim_end_matches('/'),
                self.shared.cfg.codebase
            ));
        }
        Ok(Arc::new(b.build()?))
    }

    fn tokened_psa(&self, page_size: u32) -> psa_core::Result<Option<Arc<dyn Psa>>> {
        let client = self
            .client_builder()
            .act_as_member(API_MEMBER)
            .page_size(page_size)
            .build()?;
        Ok(Some(Arc::new(client)))
    }

    fn expire_tokens(&self) -> bool {
        self.revoke_member_tokens();
        true
    }

    fn request_count(&self) -> u64 {
        ConnectWiseMock::request_count(self)
    }

    fn requests_to(&self, method: &str, path: &str) -> u64 {
        ConnectWiseMock::requests_to(self, method, path)
    }

    fn token_requests(&self) -> u64 {
        ConnectWiseMock::token_requests(self)
    }

    fn unauthorized_requests(&self) -> u64 {
        ConnectWiseMock::unauthorized_requests(self)
    }

    fn unexpected_requests(&self) -> u64 {
        ConnectWiseMock::unexpected_requests(self)
    }

    fn classify(&self, method: &Method, path: &str) -> RequestClass {
        classify_by(
            method,
            path,
            |p| {
                p.starts_with("/login/")
                    || (*method == Method::POST
                        && p.contains("/system/members/")
                        && p.ends_with("/tokens"))
            },
            // ConnectWise reads only with GET
            |_| false,
        )
    }

    fn raw_ticket_read(&self, ticket: &Id) -> RawRequest {
        RawRequest::get(format!("service/tickets/{ticket}"))
    }

    async fn ticket_delivery(
        &self,
        ticket: &psa_core::Ticket,
    ) -> psa_core::Result<(Arc<dyn Psa>, WebhookDelivery)> {
        let id = ticket
            .id
            .require_int("ConnectWise ticket id")
            .map_err(|e| e.with_vendor(Vendor::ConnectWise))?;
        Ok((Arc::new(self.client()), self.signed_delivery("updated", id)))
    }
}
