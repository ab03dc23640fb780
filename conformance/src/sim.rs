//! The four vendor simulators behind one type, and the few facts about each
//! that the suite cannot learn through the [`Psa`] trait: how to point a
//! client elsewhere (a proxy), how to give it short timeouts, how many
//! requests the simulator saw, and which of its requests are credentials,
//! reads or writes.

use std::sync::Arc;
use std::time::Duration;

use http::Method;
use psa_autotask::mock::AutotaskMock;
use psa_connectwise::ConnectWiseMock;
use psa_core::http::{HttpConfig, RetryPolicy};
use psa_core::{Id, NewWebhook, Psa, RawRequest, Ticket, Vendor, WebhookDelivery};
use psa_halo::HaloMock;
use psa_servicenow::ServiceNowMock;
use secrecy::SecretString;
use wiremock::MockServer;

/// Every vendor, in the order the suite reports them.
pub const VENDORS: [Vendor; 4] = [
    Vendor::Halo,
    Vendor::ConnectWise,
    Vendor::Autotask,
    Vendor::ServiceNow,
];

/// What a request to a simulator is, for mounting faults on the right ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestClass {
    /// Credentials and set-up: token endpoints, ConnectWise member tokens
    /// and company info, Autotask zone discovery. Faults are never mounted
    /// on these (except the expired-token case, which uses the simulator's
    /// own expiry).
    Setup,
    /// A read: any `GET`, and Autotask's `POST …/query` (a read in a
    /// `POST`, safe to retry).
    Read,
    /// A write: `POST`, `PATCH`, `PUT` or `DELETE` that changes a record.
    Write,
}

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
/// crate's own `mock` feature).
pub enum Sim {
    /// HaloPSA.
    Halo(HaloMock),
    /// ConnectWise PSA.
    ConnectWise(ConnectWiseMock),
    /// Autotask PSA.
    Autotask(AutotaskMock),
    /// ServiceNow.
    ServiceNow(ServiceNowMock),
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Sim").field(&self.vendor()).finish()
    }
}

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
        match vendor {
            Vendor::Halo => Sim::Halo(HaloMock::start().await),
            Vendor::ConnectWise => Sim::ConnectWise(ConnectWiseMock::start().await),
            Vendor::Autotask => Sim::Autotask(AutotaskMock::start().await),
            Vendor::ServiceNow => Sim::ServiceNow(ServiceNowMock::start().await),
            other => panic!("no simulator for {other}"),
        }
    }

    /// Starts `vendor`'s simulator with [`PAGED_EXTRA_TICKETS`] more
    /// tickets, so that a listing spans several pages.
    ///
    /// # Panics
    /// For a vendor this suite does not know.
    pub async fn start_paged(vendor: Vendor) -> Sim {
        let n = PAGED_EXTRA_TICKETS;
        match vendor {
            Vendor::Halo => Sim::Halo(
                HaloMock::builder()
                    .generated_tickets(n as u64)
                    .start()
                    .await,
            ),
            Vendor::ConnectWise => Sim::ConnectWise(
                ConnectWiseMock::builder()
                    .generated_tickets(n)
                    .start()
                    .await,
            ),
            Vendor::Autotask => Sim::Autotask(
                AutotaskMock::builder()
                    .generated_tickets(n as u64)
                    .start()
                    .await,
            ),
            Vendor::ServiceNow => Sim::ServiceNow(
                ServiceNowMock::builder()
                    .generated_tickets(n as u64)
                    .start()
                    .await,
            ),
            other => panic!("no simulator for {other}"),
        }
    }

    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        match self {
            Sim::Halo(_) => Vendor::Halo,
            Sim::ConnectWise(_) => Vendor::ConnectWise,
            Sim::Autotask(_) => Vendor::Autotask,
            Sim::ServiceNow(_) => Vendor::ServiceNow,
        }
    }

    /// The simulator's wiremock server: fault mocks mounted on it with
    /// priority 1 win over every simulator route (HaloPSA, ConnectWise and
    /// ServiceNow mount theirs at 10, Autotask at 50).
    pub fn server(&self) -> &MockServer {
        match self {
            Sim::Halo(m) => m.server(),
            Sim::ConnectWise(m) => m.server(),
            Sim::Autotask(m) => m.server(),
            Sim::ServiceNow(m) => m.server(),
        }
    }

    /// The simulator's own client (the vendor crate's defaults for it), as
    /// the uniform trait object.
    pub fn psa(&self) -> Arc<dyn Psa> {
        match self {
            Sim::Halo(m) => Arc::new(m.client()),
            Sim::ConnectWise(m) => Arc::new(m.client()),
            Sim::Autotask(m) => Arc::new(m.client()),
            Sim::ServiceNow(m) => Arc::new(m.client()),
        }
    }

    /// A client with `tuning`'s timeouts and retries. With `origin`
    /// (`http://127.0.0.1:PORT`, a [`Proxy`](crate::proxy::Proxy)) every
    /// request, credentials included, goes there instead of to the
    /// simulator.
    ///
    /// What each vendor crate lets a caller tune (the fault matrix reports
    /// it): HaloPSA, ConnectWise and ServiceNow take a whole `HttpConfig`;
    /// Autotask the attempt timeout only (its retries keep psa-core's
    /// default policy).
    ///
    /// # Panics
    /// When the vendor crate rejects the simulator's own configuration (a
    /// bug in that crate).
    pub fn tuned_psa(&self, tuning: &Tuning, origin: Option<&str>) -> Arc<dyn Psa> {
        match self {
            Sim::Halo(m) => {
                let mut b = m.client_builder().http_config(tuning.http_config());
                if let Some(o) = origin {
                    b = b.base_url(o);
                }
                Arc::new(b.build().expect("halo client"))
            }
            Sim::ConnectWise(m) => {
                let mut b = m.client_builder().http_config(tuning.http_config());
                if let Some(o) = origin {
                    b = b.base_url(format!("{o}/v4_6_release/apis/3.0"));
                }
                Arc::new(b.build().expect("connectwise client"))
            }
            Sim::Autotask(m) => {
                let mut b = m.client_builder().http_config(
                    HttpConfig::default().with_attempt_timeout(tuning.attempt_timeout),
                );
                if let Some(o) = origin {
                    b = b.base_url(format!("{o}/ATServicesRest/"));
                }
                Arc::new(b.build().expect("autotask client"))
            }
            Sim::ServiceNow(m) => {
                let b = match origin {
                    Some(o) => servicenow_builder(o),
                    None => m.client_builder(),
                };
                let b = b.http_config(tuning.http_config());
                Arc::new(b.build().expect("servicenow client"))
            }
        }
    }

    /// A client whose listings page by [`PAGED_PAGE_SIZE`] and that holds a
    /// token the simulator can expire: HaloPSA's and ServiceNow's OAuth
    /// tokens, a ConnectWise member token (`act_as_member` the API member).
    /// `None` for Autotask, which sends its credentials as headers on every
    /// request and has no token.
    ///
    /// # Panics
    /// When the vendor crate rejects the simulator's own configuration.
    pub fn tokened_psa(&self) -> Option<Arc<dyn Psa>> {
        match self {
            Sim::Halo(m) => Some(Arc::new(m.client())),
            Sim::ConnectWise(m) => Some(Arc::new(
                m.client_builder()
                    .act_as_member(psa_connectwise::mock::API_MEMBER)
                    .page_size(PAGED_PAGE_SIZE)
                    .build()
                    .expect("connectwise client"),
            )),
            Sim::Autotask(_) => None,
            Sim::ServiceNow(m) => Some(Arc::new(
                m.client_builder()
                    .page_size(u64::from(PAGED_PAGE_SIZE))
                    .build()
                    .expect("servicenow client"),
            )),
        }
    }

    /// Invalidates every token the simulator issued, so that the next
    /// request carrying one gets a 401. `false` for Autotask (no tokens).
    pub fn expire_tokens(&self) -> bool {
        match self {
            Sim::Halo(m) => m.expire_tokens(),
            Sim::ConnectWise(m) => m.revoke_member_tokens(),
            Sim::Autotask(_) => return false,
            Sim::ServiceNow(m) => m.expire_tokens(),
        }
        true
    }

    /// Token requests the simulator answered (ConnectWise: member tokens).
    pub fn token_requests(&self) -> u64 {
        match self {
            Sim::Halo(m) => m.token_requests(),
            Sim::ConnectWise(m) => m.token_requests(),
            Sim::Autotask(_) => 0,
            Sim::ServiceNow(m) => m.token_requests(),
        }
    }

    /// Every request the simulator's own routes answered (credentials and
    /// unknown routes included; requests answered by a fault mock are not
    /// counted).
    pub fn request_count(&self) -> u64 {
        match self {
            Sim::Halo(m) => m.request_count(),
            Sim::ConnectWise(m) => m.request_count(),
            Sim::Autotask(m) => m.request_count(),
            Sim::ServiceNow(m) => m.request_count(),
        }
    }

    /// Requests to routes the simulator does not know (a client bug).
    pub fn unexpected_requests(&self) -> u64 {
        match self {
            Sim::Halo(m) => m.unexpected_requests(),
            Sim::ConnectWise(m) => m.unexpected_requests(),
            Sim::Autotask(m) => m.unexpected_requests(),
            Sim::ServiceNow(m) => m.unexpected_requests(),
        }
    }

    /// What a request to this vendor is (see [`RequestClass`]).
    pub fn classify(&self, method: &Method, path: &str) -> RequestClass {
        classify(self.vendor(), method, path)
    }

    /// A raw read of one ticket, in the vendor's own API path.
    pub fn raw_ticket_read(&self, ticket: &Id) -> RawRequest {
        match self {
            Sim::Halo(_) | Sim::Autotask(_) => RawRequest::get(format!("Tickets/{ticket}")),
            Sim::ConnectWise(_) => RawRequest::get(format!("service/tickets/{ticket}")),
            Sim::ServiceNow(_) => {
                let text = ticket.to_string();
                let sys_id = text.rsplit(':').next().unwrap_or(&text).to_owned();
                RawRequest::get(format!("api/now/table/incident/{sys_id}"))
            }
        }
    }
}

/// A ServiceNow client builder for the simulator's credentials at `origin`.
fn servicenow_builder(origin: &str) -> psa_servicenow::ClientBuilder {
    use psa_servicenow::mock::seed::{CLIENT_ID, CLIENT_SECRET};
    psa_servicenow::Client::builder().base_url(origin).auth(
        psa_servicenow::Auth::client_credentials(CLIENT_ID, SecretString::from(CLIENT_SECRET)),
    )
}

/// A HaloPSA delivery as Halo sends it: `body` with Basic credentials
/// (`user`, `password`) and a JSON content type.
pub(crate) fn halo_delivery(
    user: &str,
    password: &str,
    body: impl Into<bytes::Bytes>,
) -> WebhookDelivery {
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
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

/// A ServiceNow delivery as the business rule sends it: `body` with the
/// shared-secret header.
pub(crate) fn servicenow_delivery(
    secret: &'static str,
    body: impl Into<bytes::Bytes>,
) -> WebhookDelivery {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "x-psa-webhook-secret",
        http::HeaderValue::from_static(secret),
    );
    WebhookDelivery::new(headers, body)
}

/// The shared secret of the ServiceNow deliveries [`Sim::ticket_delivery`]
/// builds (ServiceNow has no signing: the business rule sends a secret
/// header).
const SERVICENOW_WEBHOOK_SECRET: &str = "conformance-webhook-secret-5d1e";

/// The signing secret of the Autotask webhook [`Sim::ticket_delivery`]
/// registers.
const AUTOTASK_WEBHOOK_SECRET: &str = "conformance-autotask-hook-8c2b";

impl Sim {
    /// A client that verifies webhook deliveries, and a delivery of an
    /// update to `ticket` as the vendor sends it, with valid credentials:
    ///
    /// - HaloPSA: the ticket record under `ticket` with `event_name`
    ///   "Ticket Updated", Basic credentials of the simulator's client;
    /// - ConnectWise: the simulator's signed callback (`x-content-signature`,
    ///   key fetched from its key URL);
    /// - Autotask: a webhook registered through the client, then the
    ///   simulator's HMAC-signed delivery for it;
    /// - ServiceNow: the business rule's JSON with the shared-secret header.
    ///
    /// # Panics
    /// When the ticket id is not the vendor's, or registering the Autotask
    /// webhook fails.
    pub async fn ticket_delivery(&self, ticket: &Ticket) -> (Arc<dyn Psa>, WebhookDelivery) {
        let vendor = self.vendor();
        let int_id = || {
            ticket
                .id
                .as_i64()
                .unwrap_or_else(|| panic!("{vendor}: ticket id {} is not a number", ticket.id))
        };
        match self {
            Sim::Halo(m) => {
                let body = serde_json::json!({
                    "event_name": "Ticket Updated",
                    "guid": "6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c",
                    "ticket": *ticket.raw,
                });
                let delivery = halo_delivery(
                    psa_halo::mock::WEBHOOK_USER,
                    psa_halo::mock::WEBHOOK_PASSWORD,
                    body.to_string(),
                );
                (Arc::new(m.client()), delivery)
            }
            Sim::ConnectWise(m) => (Arc::new(m.client()), m.signed_delivery("updated", int_id())),
            Sim::Autotask(m) => {
                let client = m
                    .client_builder()
                    .webhook_secret(SecretString::from(AUTOTASK_WEBHOOK_SECRET))
                    .build()
                    .unwrap_or_else(|e| panic!("autotask: a client with a webhook secret: {e}"));
                let url = url::Url::parse("https://hooks.example/autotask")
                    .unwrap_or_else(|e| panic!("a URL: {e}"));
                let sub = client
                    .subscribe_webhook(
                        NewWebhook::new("conformance", url)
                            .secret(SecretString::from(AUTOTASK_WEBHOOK_SECRET)),
                    )
                    .await
                    .unwrap_or_else(|e| panic!("autotask: register a webhook: {e}"));
                let hook = sub
                    .id
                    .as_i64()
                    .unwrap_or_else(|| panic!("autotask: webhook id {} is not a number", sub.id));
                let delivery = m
                    .signed_ticket_delivery(
                        hook,
                        int_id(),
                        "Update",
                        &serde_json::json!({"title": ticket.summary}),
                    )
                    .unwrap_or_else(|| panic!("autotask: no delivery for webhook {hook}"));
                (Arc::new(client), delivery)
            }
            Sim::ServiceNow(m) => {
                let client = m
                    .client_builder()
                    .webhook_secret(SecretString::from(SERVICENOW_WEBHOOK_SECRET))
                    .build()
                    .unwrap_or_else(|e| panic!("servicenow: a client with a webhook secret: {e}"));
                let id = psa_servicenow::TicketId::from_id(
                    &ticket.id,
                    psa_servicenow::TaskTable::Incident,
                )
                .unwrap_or_else(|e| panic!("servicenow: ticket id {}: {e}", ticket.id));
                let body = serde_json::json!({
                    "delivery_id": "conformance-1",
                    "table": id.table.as_str(),
                    "sys_id": id.sys_id.as_str(),
                    "number": ticket.number,
                    "operation": "update",
                    "changed_fields": ["short_description"],
                    "sys_updated_on": "2026-11-20 09:15:02",
                    "sys_updated_by": "abel.tuter",
                });
                let delivery = servicenow_delivery(SERVICENOW_WEBHOOK_SECRET, body.to_string());
                (Arc::new(client), delivery)
            }
        }
    }
}

/// What a request to `vendor` is (see [`RequestClass`]).
pub fn classify(vendor: Vendor, method: &Method, path: &str) -> RequestClass {
    let lower = path.to_ascii_lowercase();
    let setup = match vendor {
        Vendor::Halo => lower.starts_with("/auth/"),
        Vendor::ConnectWise => {
            lower.starts_with("/login/")
                || (method == Method::POST
                    && lower.contains("/system/members/")
                    && lower.ends_with("/tokens"))
        }
        Vendor::Autotask => lower.ends_with("/zoneinformation"),
        Vendor::ServiceNow => lower.starts_with("/oauth_token.do"),
        _ => false,
    };
    if setup {
        return RequestClass::Setup;
    }
    let read = *method == Method::GET
        || *method == Method::HEAD
        || (vendor == Vendor::Autotask
            && *method == Method::POST
            && (lower.ends_with("/query") || lower.ends_with("/query/count")));
    if read {
        RequestClass::Read
    } else {
        RequestClass::Write
    }
}
