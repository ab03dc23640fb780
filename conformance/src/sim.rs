//! The four vendor simulators behind one type: each vendor crate's `mock`
//! simulator through psa-core's [`Simulator`] trait, which says what the
//! suite cannot learn through the [`Psa`] trait — how to point a client
//! elsewhere (a proxy), how to give it short timeouts, how many requests the
//! simulator saw, and which of its requests are credentials, reads or
//! writes. Only starting one names the vendor crates.

use std::sync::Arc;
use std::time::Duration;

use http::Method;
use psa_autotask::mock::AutotaskMock;
use psa_connectwise::ConnectWiseMock;
use psa_core::http::{HttpConfig, RetryPolicy};
pub use psa_core::testing::RequestClass;
use psa_core::testing::Simulator;
use psa_core::{Id, Psa, RawRequest, Ticket, Vendor, WebhookDelivery};
use psa_halo::HaloMock;
use psa_servicenow::ServiceNowMock;
use wiremock::MockServer;

/// Every vendor, in the order the suite reports them.
pub const VENDORS: [Vendor; 4] = [
    Vendor::Halo,
    Vendor::ConnectWise,
    Vendor::Autotask,
    Vendor::ServiceNow,
];

/// Client settings for the fault matrix: short attempt timeouts and a fast
/// backoff, so that a case with retries runs in about a second.
#[derive(Debug, Clone)]
pub struct Tuning {
    /// The timeout of one attempt (the "slow response" case answers after
    /// three times this).
    pub attempt_timeout: Duration,
    /// Attempts in all for a retried request (psa-core's default is 4).
    pub max_attempts: u32,
    /// The base of the full-jitter backoff.
    pub backoff: Duration,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            attempt_timeout: Duration::from_secs(1),
            max_attempts: 4,
            backoff: Duration::from_millis(20),
        }
    }
}

impl Tuning {
    /// The psa-core HTTP settings for these options.
    pub fn http_config(&self) -> HttpConfig {
        HttpConfig::default()
            .with_attempt_timeout(self.attempt_timeout)
            .with_retry(
                RetryPolicy::default()
                    .with_max_attempts(self.max_attempts)
                    .with_backoff(self.backoff, self.backoff * 4)
                    .with_max_retry_after(Duration::from_secs(5)),
            )
    }
}

/// One of the four vendor simulators, started in-process (each vendor
/// crate's own `mock` feature), behind psa-core's [`Simulator`] trait.
/// Cheap to clone: clones share the running simulator.
#[derive(Debug, Clone)]
pub struct Sim(Arc<dyn Simulator>);

/// Tickets added to the seed data by [`Sim::start_paged`].
pub const PAGED_EXTRA_TICKETS: usize = 150;

/// The page size of the clients [`Sim::tokened_psa`] builds, where the vendor
/// lets a client choose it (HaloPSA pages by its own cap of 100).
pub const PAGED_PAGE_SIZE: u32 = 50;

impl Sim {
    /// Starts `vendor`'s simulator with its seed data.
    ///
    /// # Panics
    /// For a vendor this suite does not know (psa-core added one).
    pub async fn start(vendor: Vendor) -> Sim {
        Sim::start_with(vendor, 0).await
    }

    /// Starts `vendor`'s simulator with [`PAGED_EXTRA_TICKETS`] more
    /// tickets, so that a listing spans several pages.
    ///
    /// # Panics
    /// For a vendor this suite does not know.
    pub async fn start_paged(vendor: Vendor) -> Sim {
        Sim::start_with(vendor, PAGED_EXTRA_TICKETS as u64).await
    }

    /// The one place the suite names the vendor crates: `vendor`'s
    /// simulator with `extra` generated open tickets.
    async fn start_with(vendor: Vendor, extra: u64) -> Sim {
        let sim: Arc<dyn Simulator> = match vendor {
            Vendor::Halo => Arc::new(HaloMock::builder().generated_tickets(extra).start().await),
            Vendor::ConnectWise => Arc::new(
                ConnectWiseMock::builder()
                    .generated_tickets(usize::try_from(extra).unwrap_or(usize::MAX))
                    .start()
                    .await,
            ),
            Vendor::Autotask => Arc::new(
                AutotaskMock::builder()
                    .generated_tickets(extra)
                    .start()
                    .await,
            ),
            Vendor::ServiceNow => Arc::new(
                ServiceNowMock::builder()
                    .generated_tickets(extra)
                    .start()
                    .await,
            ),
            other => panic!("no simulator for {other}"),
        };
        Sim(sim)
    }

    /// The simulator, for what this type does not wrap
    /// ([`requests_to`](Simulator::requests_to),
    /// [`unauthorized_requests`](Simulator::unauthorized_requests), …).
    pub fn simulator(&self) -> &Arc<dyn Simulator> {
        &self.0
    }

    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        self.0.vendor()
    }

    /// The simulator's wiremock server: fault mocks mounted on it with
    /// priority 1 win over every simulator route.
    pub fn server(&self) -> &MockServer {
        self.0.server()
    }

    /// The simulator's own client (the vendor crate's defaults for it), as
    /// the uniform trait object.
    pub fn psa(&self) -> Arc<dyn Psa> {
        self.0.psa()
    }

    /// A client with `tuning`'s timeouts and retries. With `origin`
    /// (`http://127.0.0.1:PORT`, a [`Proxy`](crate::proxy::Proxy)) every
    /// request, credentials included, goes there instead of to the
    /// simulator.
    ///
    /// # Panics
    /// When the vendor crate rejects the simulator's own configuration (a
    /// bug in that crate).
    pub fn tuned_psa(&self, tuning: &Tuning, origin: Option<&str>) -> Arc<dyn Psa> {
        let vendor = self.vendor();
        self.0
            .tuned_psa(tuning.http_config(), origin)
            .unwrap_or_else(|e| panic!("{vendor}: a tuned client for the simulator: {e}"))
    }

    /// A client whose listings page by [`PAGED_PAGE_SIZE`] and that holds a
    /// token the simulator can expire: HaloPSA's and ServiceNow's OAuth
    /// tokens, a ConnectWise member token. `None` for Autotask, which sends
    /// its credentials as headers on every request and has no token.
    ///
    /// # Panics
    /// When the vendor crate rejects the simulator's own configuration.
    pub fn tokened_psa(&self) -> Option<Arc<dyn Psa>> {
        let vendor = self.vendor();
        self.0
            .tokened_psa(PAGED_PAGE_SIZE)
            .unwrap_or_else(|e| panic!("{vendor}: a tokened client for the simulator: {e}"))
    }

    /// Invalidates every token the simulator issued, so that the next
    /// request carrying one gets a 401. `false` for Autotask (no tokens).
    pub fn expire_tokens(&self) -> bool {
        self.0.expire_tokens()
    }

    /// Token requests the simulator answered (ConnectWise: member tokens).
    pub fn token_requests(&self) -> u64 {
        self.0.token_requests()
    }

    /// Every request the simulator's own routes answered (credentials and
    /// unknown routes included; requests answered by a fault mock are not
    /// counted).
    pub fn request_count(&self) -> u64 {
        self.0.request_count()
    }

    /// Requests to routes the simulator does not know (a client bug).
    pub fn unexpected_requests(&self) -> u64 {
        self.0.unexpected_requests()
    }

    /// What a request to this vendor is (see [`RequestClass`]).
    pub fn classify(&self, method: &Method, path: &str) -> RequestClass {
        self.0.classify(method, path)
    }

    /// A raw read of one ticket, in the vendor's own API path.
    pub fn raw_ticket_read(&self, ticket: &Id) -> RawRequest {
        self.0.raw_ticket_read(ticket)
    }

    /// A client that verifies webhook deliveries, and a delivery of an
    /// update to `ticket` as the vendor sends it, with valid credentials
    /// (each simulator's [`Simulator::ticket_delivery`]).
    ///
    /// # Panics
    /// When the ticket id is not the vendor's, or setting the webhook up
    /// fails.
    pub async fn ticket_delivery(&self, ticket: &Ticket) -> (Arc<dyn Psa>, WebhookDelivery) {
        let vendor = self.vendor();
        self.0
            .ticket_delivery(ticket)
            .await
            .unwrap_or_else(|e| panic!("{vendor}: a webhook delivery for {}: {e}", ticket.id))
    }
}
