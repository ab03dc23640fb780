//! `ServiceNowMock`: a stateful simulator of a ServiceNow instance's Table
//! API and OAuth endpoint, on a [`wiremock::MockServer`].
//!
//! - `POST /oauth_token.do` (form-encoded): the `client_credentials`,
//!   `password` and `refresh_token` grants for [`seed::CLIENT_ID`] /
//!   [`seed::CLIENT_SECRET`]; bad credentials get ServiceNow's 401
//!   `{"error_description":"access_denied","error":"server_error"}`.
//! - `/api/now/table/{table}[/{sys_id}]`: GET (list and one), POST, PATCH,
//!   PUT, DELETE over seeded tables, with Bearer or Basic auth (a bad token
//!   gets the recorded 401 `User Not Authenticated` body).
//! - Encoded queries (`^`, `^OR`, `^NQ`, the operators the SDK writes,
//!   `ORDERBY`/`ORDERBYDESC`, `123TEXTQUERY321`); unsupported syntax and
//!   unknown fields are a 400 with ServiceNow's error shape (a real instance
//!   would silently ignore them — the simulator makes such a bug visible).
//! - `sysparm_limit` / `sysparm_offset` paging with `Link` and
//!   `X-Total-Count`; the limit is applied before the ACL, so a page holding a
//!   record the API user may not read comes back short (seeded: INC0010005).
//! - `sysparm_fields` (dot-walking included), `sysparm_display_value`
//!   (`true`/`false`/`all`), `sysparm_exclude_reference_link`.
//! - `/api/now/attachment`: list (`sysparm_query` on `table_name` and
//!   `table_sys_id`), metadata, `/file` download, `POST /file` upload (raw
//!   body, `table_name`/`table_sys_id`/`file_name` in the query) and delete,
//!   kept statefully (seeded: `printer-status.txt` on INC0010001).
//! - `POST /api/now/v1/batch` (and `/api/now/batch`): the Batch API over
//!   the Table API — items run in order under the batch's user, answered
//!   base64-encoded; each item also counts on its own route
//!   ([`ServiceNowMockBuilder::refuse_batch_api`] answers it 403).
//! - Tokens per user: the password grant and Basic authenticate any user
//!   given a password ([`ServiceNowMock::set_password`]); what a token
//!   writes carries its user (`sys_updated_by`, journal `sys_created_by`).
//! - Business rules: `sys_id` and number generation (`INC0010007` …),
//!   journal fields written into `sys_journal_field` and read back empty,
//!   `sys_audit` entries for updates, the incident priority lookup
//!   (impact × urgency), `active` / `closed_at` following the state, and
//!   the incident data policy (state 6 Resolved / 7 Closed needs
//!   `close_code` and `close_notes`: 403 "Data Policy Exception" otherwise).
//! - An optional rate-limit rule: `X-RateLimit-Limit/Reset/Rule` on every
//!   answer, and 429 with `Retry-After` past the limit.
//! - Every answer hands out a `glide_session_store` cookie; the counters say
//!   whether a client ever sent one back.
//!
//! [`ServiceNowMock`] implements psa-core's [`Simulator`], so a test suite
//! drives it like every other vendor's simulator: clients for it, the
//! counters (every request, per method and path, token requests, 401s,
//! unknown routes), what each request is ([`Simulator::classify`]), a raw
//! ticket read and a webhook delivery as the business rule sends it.
//!
//! ```no_run
//! # async fn demo() -> psa_core::Result<()> {
//! use psa_core::{Psa, TicketQuery};
//! use futures::TryStreamExt;
//! let mock = psa_servicenow::mock::ServiceNowMock::start().await;
//! let client = mock.client();
//! let open: Vec<_> = client.list_tickets(TicketQuery::open()).try_collect().await?;
//! assert!(!open.is_empty());
//! assert_eq!(mock.requests_to("GET", "/api/now/table/incident"), 1);
//! assert_eq!(mock.unexpected_requests(), 0);
//! # Ok(()) }
//! ```

mod filter;
mod routes;
pub mod seed;
mod store;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use http::Method;
use psa_core::http::HttpConfig;
use psa_core::testing::{RequestClass, Simulator, classify_by};
use psa_core::{Id, Psa, RawRequest, Result, Ticket, Vendor, WebhookDelivery};
use secrecy::SecretString;
use serde_json::Value;
use wiremock::matchers::{any, method, path, path_regex};
use wiremock::{Mock, MockServer};

use crate::ids::{TaskTable, TicketId};
use crate::webhook::DEFAULT_SECRET_HEADER;

use routes::{
    AttachmentRoute, BatchRoute, CatchAll, RateRule, Shared, State, TableRoute, TokenRoute, lock,
};

/// The priority of the simulator's routes. Tests mount fault mocks with a
/// smaller number (higher priority) to take precedence.
pub const ROUTE_PRIORITY: u8 = 10;

/// The priority of the catch-all, mounted last.
pub const CATCH_ALL_PRIORITY: u8 = 250;

/// Options for a [`ServiceNowMock`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ServiceNowMockBuilder {
    seeded: bool,
    generated: u64,
    disabled: Vec<String>,
    token_lifetime: Duration,
    rate: Option<(u32, Duration, bool)>,
    strict_queries: bool,
    link_base: Option<String>,
    refuse_batch: bool,
}

impl Default for ServiceNowMockBuilder {
    fn default() -> Self {
        ServiceNowMockBuilder {
            seeded: true,
            generated: 0,
            disabled: Vec::new(),
            token_lifetime: Duration::from_secs(1799),
            rate: None,
            strict_queries: true,
            link_base: None,
            refuse_batch: false,
        }
    }
}

impl ServiceNowMockBuilder {
    /// Starts without the seed data (choices included).
    pub fn empty(mut self) -> Self {
        self.seeded = false;
        self
    }

    /// Adds `n` generated tickets (incidents), for paging tests and benches.
    pub fn generated_tickets(mut self, n: u64) -> Self {
        self.generated = n;
        self
    }

    /// Makes a table answer `400 Invalid table` (an instance without the
    /// plugin: `pm_project`, `time_card` …).
    pub fn without_table(mut self, table: impl Into<String>) -> Self {
        self.disabled.push(table.into());
        self
    }

    /// How long issued access tokens live (default 1799 s).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// A rate-limit rule: `limit` requests per `window`, enforced with 429
    /// and `Retry-After`.
    pub fn rate_limit(mut self, limit: u32, window: Duration) -> Self {
        self.rate = Some((limit, window, true));
        self
    }

    /// A rate-limit rule that only reports its `X-RateLimit-*` headers.
    pub fn rate_limit_headers_only(mut self, limit: u32, window: Duration) -> Self {
        self.rate = Some((limit, window, false));
        self
    }

    /// Whether unknown query fields are a 400 (default) or ignored like a
    /// real instance does.
    pub fn strict_queries(mut self, strict: bool) -> Self {
        self.strict_queries = strict;
        self
    }

    /// Writes the paging `Link` headers with another base URL than the
    /// simulator's own (`https://support.acme.example`): an instance behind
    /// a custom domain or a proxy names the host it knows, not the one the
    /// client called.
    pub fn link_base(mut self, base: impl Into<String>) -> Self {
        self.link_base = Some(base.into());
        self
    }

    /// Answers the Batch API with 403, as an instance whose ACLs refuse it
    /// does: clients then send each request on its own.
    pub fn refuse_batch_api(mut self) -> Self {
        self.refuse_batch = true;
        self
    }

    /// Starts the simulator.
    pub async fn start(self) -> ServiceNowMock {
        let server = MockServer::start().await;
        let store = routes::new_store(self.seeded, self.generated, &self.disabled);
        let mut shared = Shared::new(store);
        shared.base = self.link_base.unwrap_or_else(|| server.uri());
        shared.token_lifetime = self.token_lifetime;
        shared.strict_queries = self.strict_queries;
        shared.batch_refused = self.refuse_batch;
        shared.rate = self.rate.map(|(limit, window, enforce)| RateRule {
            limit,
            window,
            enforce,
            started: None,
            count: 0,
        });
        if self.seeded {
            shared.attach(
                "incident",
                seed::INC_PRINTER,
                "printer-status.txt",
                "text/plain",
                bytes::Bytes::from_static(b"Tray 2 jammed; error 13.A2.D2\n"),
                "beth.anglin",
            );
        }
        let state: State = std::sync::Arc::new(std::sync::Mutex::new(shared));
        Mock::given(method("POST"))
            .and(path("/oauth_token.do"))
            .respond_with(TokenRoute(state.clone()))
            .with_priority(ROUTE_PRIORITY)
            .named("oauth_token.do")
            .mount(&server)
            .await;
        Mock::given(path_regex(r"^/api/now/table/[^/]+(/[^/]*)?$"))
            .respond_with(TableRoute(state.clone()))
            .with_priority(ROUTE_PRIORITY)
            .named("table api")
            .mount(&server)
            .await;
        Mock::given(path_regex(r"^/api/now(/v1)?/batch$"))
            .respond_with(BatchRoute(state.clone()))
            .with_priority(ROUTE_PRIORITY)
            .named("batch api")
            .mount(&server)
            .await;
        Mock::given(path_regex(r"^/api/now/attachment(/[^/]+)?(/file)?$"))
            .respond_with(AttachmentRoute(state.clone()))
            .with_priority(ROUTE_PRIORITY)
            .named("attachment api")
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(CatchAll(state.clone()))
            .with_priority(CATCH_ALL_PRIORITY)
            .named("catch-all")
            .mount(&server)
            .await;
        ServiceNowMock { server, state }
    }
}

/// A running simulator. See the [module docs](self).
pub struct ServiceNowMock {
    server: MockServer,
    state: State,
}

impl fmt::Debug for ServiceNowMock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceNowMock")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl ServiceNowMock {
    /// Starts a seeded simulator with default options.
    pub async fn start() -> ServiceNowMock {
        ServiceNowMock::builder().start().await
    }

    /// Options.
    pub fn builder() -> ServiceNowMockBuilder {
        ServiceNowMockBuilder::default()
    }

    /// The wiremock server, to mount fault mocks with a priority below
    /// [`ROUTE_PRIORITY`].
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// The instance URL (`http://127.0.0.1:…`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A client builder for this simulator, authenticating with OAuth client
    /// credentials as [`seed::INTEGRATION_USER`].
    pub fn client_builder(&self) -> crate::ClientBuilder {
        builder_at(&self.uri(), &self.state)
    }

    /// A client for this simulator (see [`client_builder`](Self::client_builder)).
    ///
    /// # Panics
    ///
    /// Never for the simulator's own loopback URL and credentials; a panic
    /// would mean the client's URL validation rejects loopback http.
    pub fn client(&self) -> crate::Client {
        self.client_builder()
            .build()
            .expect("the simulator's loopback URL and credentials are a valid configuration")
    }

    /// Requests received, all routes (the [`Simulator`] counter).
    pub fn request_count(&self) -> u64 {
        lock(&self.state).counters.requests
    }

    /// Requests received for `method` and `path` (`"GET"`,
    /// `"/api/now/table/incident"`; compared without case).
    pub fn requests_to(&self, method: &str, path: &str) -> u64 {
        let route = (method.to_ascii_uppercase(), path.to_ascii_lowercase());
        lock(&self.state)
            .counters
            .per_route
            .get(&route)
            .copied()
            .unwrap_or(0)
    }

    /// Requests received per method and path.
    pub fn requests_per_route(&self) -> BTreeMap<(String, String), u64> {
        lock(&self.state).counters.per_route.clone()
    }

    /// Token requests (`/oauth_token.do`).
    pub fn token_requests(&self) -> u64 {
        lock(&self.state).counters.token_requests
    }

    /// Requests refused with a 401: bad OAuth credentials at
    /// `/oauth_token.do`, and a missing, bad or expired token or Basic
    /// credentials at the Table API.
    pub fn unauthorized_requests(&self) -> u64 {
        lock(&self.state).counters.unauthorized
    }

    /// Requests no route knew (answered by the catch-all).
    pub fn unexpected_requests(&self) -> u64 {
        lock(&self.state).counters.unexpected
    }

    /// Requests that carried a `Cookie` header (a client must send none).
    pub fn cookie_requests(&self) -> u64 {
        lock(&self.state).counters.cookie_requests
    }

    /// Requests answered 429 by the rate-limit rule.
    pub fn rate_limited_requests(&self) -> u64 {
        lock(&self.state).counters.rate_limited
    }

    /// One stored record, as stored (every value a string), when it exists.
    pub fn record(&self, table: &str, sys_id: &str) -> Option<Value> {
        let shared = lock(&self.state);
        shared
            .store
            .get(table, sys_id)
            .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
    }

    /// The stored records of a table (class tables share `cmdb_ci`).
    pub fn records(&self, table: &str) -> Vec<Value> {
        let shared = lock(&self.state);
        shared
            .store
            .rows(store::schema::storage_of(table))
            .iter()
            .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
            .collect()
    }

    /// Adds a record as it is (no business rules); returns its `sys_id`.
    pub fn insert(&self, table: &str, fields: &[(&str, &str)]) -> String {
        lock(&self.state).store.seed(table, fields)
    }

    /// Hides a record from the API user (an ACL): lists skip it after the
    /// limit is applied, reads answer 404.
    pub fn hide_from_api(&self, sys_id: &str) {
        lock(&self.state).store.hide(sys_id);
    }

    /// Expires every issued access token: the next call with one gets a 401.
    pub fn expire_tokens(&self) {
        lock(&self.state).expire_tokens();
    }

    /// Gives the user `user_name` (a `sys_user` record) the password
    /// `password`: the password grant and Basic then authenticate as that
    /// user, whose name the records written with its tokens carry
    /// (`sys_created_by`, `sys_updated_by`, journal authors).
    pub fn set_password(&self, user_name: &str, password: &str) {
        lock(&self.state)
            .passwords
            .insert(user_name.to_owned(), password.to_owned());
    }

    /// Makes refresh tokens invalid (a refresh-token grant then gets a 401).
    pub fn revoke_refresh_tokens(&self) {
        lock(&self.state).revoked_refresh = true;
    }

    /// The current simulated time (advances one second per write).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        lock(&self.state).store.current_time()
    }
}

/// A client builder for the simulator's OAuth client at `origin` (the
/// simulator, or a proxy in front of it).
/// The simulator's client configuration at `origin`: its OAuth client, and
/// a login for every active seeded user (`seed::agent_password`), so that
/// `act_as` works as on an instance whose technicians' logins the
/// integration holds.
fn builder_at(origin: &str, state: &State) -> crate::ClientBuilder {
    let state = std::sync::Arc::clone(state);
    crate::Client::builder()
        .base_url(origin)
        .auth(crate::Auth::client_credentials(
            seed::CLIENT_ID,
            SecretString::from(seed::CLIENT_SECRET),
        ))
        .agent_login_provider(move |sys_id| {
            let shared = lock(&state);
            let user = shared.store.get("sys_user", sys_id)?;
            if user.get("active").map(String::as_str) == Some("false") {
                return None;
            }
            let name = user.get("user_name")?.clone();
            let password = seed::agent_password(&name);
            Some(crate::AgentLogin::new(name, SecretString::from(password)))
        })
}

/// The shared secret of the deliveries [`Simulator::ticket_delivery`]
/// builds: ServiceNow signs nothing, the business rule sends a secret header.
pub const WEBHOOK_SECRET: &str = "servicenow-mock-webhook-secret-5d1e";

#[async_trait]
impl Simulator for ServiceNowMock {
    fn vendor(&self) -> Vendor {
        Vendor::ServiceNow
    }

    fn server(&self) -> &MockServer {
        &self.server
    }

    fn psa(&self) -> Arc<dyn Psa> {
        Arc::new(self.client())
    }

    fn tuned_psa(&self, config: HttpConfig, origin: Option<&str>) -> Result<Arc<dyn Psa>> {
        let builder = match origin {
            Some(o) => builder_at(o, &self.state),
            None => self.client_builder(),
        };
        Ok(Arc::new(builder.http_config(config).build()?))
    }

    fn tokened_psa(&self, page_size: u32) -> Result<Option<Arc<dyn Psa>>> {
        let client = self
            .client_builder()
            .page_size(u64::from(page_size))
            .build()?;
        Ok(Some(Arc::new(client)))
    }

    fn expire_tokens(&self) -> bool {
        ServiceNowMock::expire_tokens(self);
        true
    }

    fn request_count(&self) -> u64 {
        ServiceNowMock::request_count(self)
    }

    fn requests_to(&self, method: &str, path: &str) -> u64 {
        ServiceNowMock::requests_to(self, method, path)
    }

    fn token_requests(&self) -> u64 {
        ServiceNowMock::token_requests(self)
    }

    fn unauthorized_requests(&self) -> u64 {
        ServiceNowMock::unauthorized_requests(self)
    }

    fn unexpected_requests(&self) -> u64 {
        ServiceNowMock::unexpected_requests(self)
    }

    /// `/oauth_token.do` is set-up; a `GET` reads, and so does a batch
    /// (the SDK batches reads only: a ticket and its SLA records);
    /// everything else (the Table API has no read made with `POST`) writes.
    fn classify(&self, method: &Method, path: &str) -> RequestClass {
        classify_by(
            method,
            path,
            |p| p.starts_with("/oauth_token.do"),
            |p| p == "/api/now/v1/batch" || p == "/api/now/batch",
        )
    }

    /// `GET api/now/table/{table}/{sys_id}`: the table the id names
    /// (`incident` for a bare `sys_id`).
    fn raw_ticket_read(&self, ticket: &Id) -> RawRequest {
        if let Ok(t) = TicketId::from_id(ticket, TaskTable::Incident) {
            RawRequest::get(format!("api/now/table/{}/{}", t.table, t.sys_id))
        } else {
            let text = ticket.to_string();
            let sys_id = text.rsplit(':').next().unwrap_or(&text);
            RawRequest::get(format!("api/now/table/incident/{sys_id}"))
        }
    }

    /// A client verifying [`WEBHOOK_SECRET`], and the business rule's JSON
    /// for an update of `ticket`'s `short_description` with the secret header.
    async fn ticket_delivery(&self, ticket: &Ticket) -> Result<(Arc<dyn Psa>, WebhookDelivery)> {
        let client = self
            .client_builder()
            .webhook_secret(SecretString::from(WEBHOOK_SECRET))
            .build()?;
        let id = TicketId::from_id(&ticket.id, TaskTable::Incident)?;
        let body = serde_json::json!({
            "delivery_id": "simulator-1",
            "table": id.table.as_str(),
            "sys_id": id.sys_id.as_str(),
            "number": ticket.number,
            "operation": "update",
            "changed_fields": ["short_description"],
            "sys_updated_on": "2026-11-20 09:15:02",
            "sys_updated_by": "abel.tuter",
        });
        let mut headers = http::HeaderMap::new();
        headers.insert(
            DEFAULT_SECRET_HEADER,
            http::HeaderValue::from_static(WEBHOOK_SECRET),
        );
        let delivery = WebhookDelivery::new(headers, body.to_string());
        Ok((Arc::new(client), delivery))
    }
}
