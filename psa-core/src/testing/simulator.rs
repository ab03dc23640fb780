//! [`Simulator`]: what every vendor simulator offers a test suite, so that
//! one suite drives all four the same way.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use http::Method;

use crate::http::HttpConfig;
use crate::{Id, Psa, RawRequest, Result, Ticket, Vendor, WebhookDelivery};

/// What a request to a simulator is, for mounting faults on the right ones
/// and for counting what a call cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RequestClass {
    /// Credentials and set-up: token endpoints, ConnectWise member tokens
    /// and company info, Autotask zone discovery.
    Setup,
    /// A read: any `GET`, and a read the vendor makes with a `POST`
    /// (Autotask's `…/query`), safe to retry.
    Read,
    /// A write: a `POST`, `PATCH`, `PUT` or `DELETE` that changes a record.
    Write,
}

/// A running vendor simulator (each vendor crate's `mock` feature:
/// `psa_halo::HaloMock`, `psa_connectwise::ConnectWiseMock`,
/// `psa_autotask::AutotaskMock`, `psa_servicenow::ServiceNowMock`).
///
/// Every simulator is a stateful wiremock server seeded with realistic
/// data, answering in the vendor's JSON, paging and error shapes. This
/// trait is what a test suite needs of any of them: clients configured for
/// it, the counters that prove what a call cost (a denied call: zero
/// requests), its view of a request, and a webhook delivery as the vendor
/// sends it. Counters are `u64` and count what the simulator's own routes
/// answered (a fault mounted in front of them by a test is not counted).
///
/// ```no_run
/// # async fn demo(sim: &dyn psa_core::testing::Simulator) -> psa_core::Result<()> {
/// use futures::TryStreamExt;
/// use psa_core::TicketQuery;
///
/// let before = sim.request_count();
/// let open: Vec<_> = sim.psa().list_tickets(TicketQuery::open()).try_collect().await?;
/// assert!(sim.request_count() > before);
/// assert_eq!(sim.unexpected_requests(), 0);
/// # Ok(()) }
/// ```
#[async_trait]
pub trait Simulator: Send + Sync + fmt::Debug {
    /// The vendor simulated.
    fn vendor(&self) -> Vendor;

    /// The wiremock server: a test mounts fault mocks on it with priority 1,
    /// which wins over every simulator route.
    fn server(&self) -> &wiremock::MockServer;

    /// The server's origin (`http://127.0.0.1:PORT`).
    fn uri(&self) -> String {
        self.server().uri()
    }

    /// The vendor crate's client configured for the simulator, with the
    /// crate's defaults, as the uniform trait object.
    fn psa(&self) -> Arc<dyn Psa>;

    /// A client with `config`'s timeouts and retries. With `origin`
    /// (`http://127.0.0.1:PORT`, a proxy in front of the simulator) every
    /// request, credentials included, goes there instead.
    ///
    /// # Errors
    /// When the vendor crate refuses the configuration.
    fn tuned_psa(&self, config: HttpConfig, origin: Option<&str>) -> Result<Arc<dyn Psa>>;

    /// A client whose listings page by `page_size` (where the vendor lets a
    /// client choose) and that holds a token the simulator can expire
    /// ([`expire_tokens`](Self::expire_tokens)); `None` for a vendor whose
    /// credentials are not tokens (Autotask sends them on every request).
    ///
    /// # Errors
    /// When the vendor crate refuses the configuration.
    fn tokened_psa(&self, page_size: u32) -> Result<Option<Arc<dyn Psa>>>;

    /// Invalidates every token the simulator issued, so that the next
    /// request carrying one is refused with the vendor's 401; `false` when
    /// the vendor has no tokens.
    fn expire_tokens(&self) -> bool;

    /// Every request the simulator's routes answered, credentials and
    /// unknown routes included.
    fn request_count(&self) -> u64;

    /// Requests answered for `method` and `path` (the URL path as sent,
    /// compared without case; `"GET"`, `"/api/Tickets"`).
    fn requests_to(&self, method: &str, path: &str) -> u64;

    /// Token requests answered (OAuth tokens; ConnectWise member tokens).
    fn token_requests(&self) -> u64;

    /// Requests refused with the vendor's 401 (bad or expired credentials).
    fn unauthorized_requests(&self) -> u64;

    /// Requests to routes the simulator does not know: a client bug, so a
    /// suite asserts zero.
    fn unexpected_requests(&self) -> u64;

    /// What a request with `method` to `path` (the URL path as sent) is.
    fn classify(&self, method: &Method, path: &str) -> RequestClass;

    /// A raw read of one ticket, in the vendor's own API path.
    fn raw_ticket_read(&self, ticket: &Id) -> RawRequest;

    /// A client that verifies webhook deliveries and a delivery of an
    /// update to `ticket` as the vendor sends it, with valid credentials
    /// (signature, shared secret or Basic credentials, as the vendor does).
    ///
    /// # Errors
    /// When the ticket id is not the vendor's, or setting the webhook up
    /// (Autotask registers one) fails.
    async fn ticket_delivery(&self, ticket: &Ticket) -> Result<(Arc<dyn Psa>, WebhookDelivery)>;
}

/// How a vendor's simulator classifies requests when the only vendor
/// knowledge needed is which paths are set-up and which `POST`s read:
/// `setup(path)` (lower-cased) says set-up; `post_read(path)` says a
/// `POST` that only reads.
///
/// ```
/// use http::Method;
/// use psa_core::testing::{RequestClass, classify_by};
///
/// let class = |m: &Method, p: &str| {
///     classify_by(m, p, |p| p.starts_with("/auth/"), |p| p.ends_with("/query"))
/// };
/// assert_eq!(class(&Method::POST, "/auth/token"), RequestClass::Setup);
/// assert_eq!(class(&Method::POST, "/Tickets/query"), RequestClass::Read);
/// assert_eq!(class(&Method::GET, "/Tickets/1"), RequestClass::Read);
/// assert_eq!(class(&Method::PATCH, "/Tickets"), RequestClass::Write);
/// ```
pub fn classify_by(
    method: &Method,
    path: &str,
    setup: impl Fn(&str) -> bool,
    post_read: impl Fn(&str) -> bool,
) -> RequestClass {
    let lower = path.to_ascii_lowercase();
    if setup(&lower) {
        RequestClass::Setup
    } else if *method == Method::GET
        || *method == Method::HEAD
        || (*method == Method::POST && post_read(&lower))
    {
        RequestClass::Read
    } else {
        RequestClass::Write
    }
}
