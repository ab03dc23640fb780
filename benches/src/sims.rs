//! The four simulators behind one handle, with the three ways of reading one
//! ticket that the call-overhead bench compares: the vendor client's typed
//! call, the uniform [`Psa::get_ticket`], and a bare reqwest + serde_json
//! request against the same loopback server.

use psa_core::{Id, Psa, Vendor};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue};
use serde::Deserialize;
use std::sync::Arc;

/// One running simulator and an SDK client configured for it, with no
/// client-side rate limit in the way (each simulator's default client:
/// HaloPSA `RateLimit::Disabled`, ConnectWise adapts to 429 only, Autotask's
/// thread limiter of 3 per endpoint — the calls here are sequential so it
/// never waits —, ServiceNow follows the instance's `X-RateLimit-*` headers,
/// which this simulator only sends when a rule is configured).
#[derive(Debug)]
pub enum Sim {
    /// HaloPSA.
    Halo(psa_halo::HaloMock, psa_halo::Client),
    /// ConnectWise PSA.
    ConnectWise(psa_connectwise::ConnectWiseMock, psa_connectwise::Client),
    /// Autotask PSA.
    Autotask(psa_autotask::mock::AutotaskMock, psa_autotask::Client),
    /// ServiceNow.
    ServiceNow(psa_servicenow::ServiceNowMock, psa_servicenow::Client),
}

impl Sim {
    /// Starts `vendor`'s simulator with its seed data.
    ///
    /// # Panics
    /// For a vendor this crate has no simulator of.
    pub async fn start(vendor: Vendor) -> Sim {
        match vendor {
            Vendor::Halo => {
                let m = psa_halo::HaloMock::start().await;
                let c = m.client();
                Sim::Halo(m, c)
            }
            Vendor::ConnectWise => {
                let m = psa_connectwise::ConnectWiseMock::start().await;
                let c = m.client();
                Sim::ConnectWise(m, c)
            }
            Vendor::Autotask => {
                let m = psa_autotask::mock::AutotaskMock::start().await;
                let c = m.client();
                Sim::Autotask(m, c)
            }
            Vendor::ServiceNow => {
                let m = psa_servicenow::ServiceNowMock::start().await;
                let c = m.client();
                Sim::ServiceNow(m, c)
            }
            other => panic!("no simulator for {other:?}"),
        }
    }

    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        match self {
            Sim::Halo(..) => Vendor::Halo,
            Sim::ConnectWise(..) => Vendor::ConnectWise,
            Sim::Autotask(..) => Vendor::Autotask,
            Sim::ServiceNow(..) => Vendor::ServiceNow,
        }
    }

    /// The SDK client as a uniform `Psa`.
    pub fn psa(&self) -> Arc<dyn Psa> {
        match self {
            Sim::Halo(_, c) => Arc::new(c.clone()),
            Sim::ConnectWise(_, c) => Arc::new(c.clone()),
            Sim::Autotask(_, c) => Arc::new(c.clone()),
            Sim::ServiceNow(_, c) => Arc::new(c.clone()),
        }
    }

    /// Requests the simulator received so far (every route, auth included).
    pub fn request_count(&self) -> u64 {
        match self {
            Sim::Halo(m, _) => m.request_count(),
            Sim::ConnectWise(m, _) => m.request_count(),
            Sim::Autotask(m, _) => m.request_count() as u64,
            Sim::ServiceNow(m, _) => m.request_count() as u64,
        }
    }

    /// A seeded ticket: its uniform id and its id in the vendor's API
    /// (an integer, or a ServiceNow incident `sys_id`).
    ///
    /// # Errors
    /// When the simulator has no ticket to read.
    pub async fn sample_ticket(&self) -> psa_core::Result<(Id, String)> {
        use futures::TryStreamExt;
        if let Sim::ServiceNow(m, _) = self {
            let sys_id = m
                .records("incident")
                .iter()
                .find_map(|r| r["sys_id"].as_str().map(str::to_owned))
                .ok_or_else(|| psa_core::Error::invalid_input("no seeded incident"))?;
            return Ok((Id::text(&sys_id)?, sys_id));
        }
        let psa = self.psa();
        let first: Vec<psa_core::Ticket> = psa
            .list_tickets(psa_core::TicketQuery::any().limit(1))
            .try_collect()
            .await?;
        let t = first
            .into_iter()
            .next()
            .ok_or_else(|| psa_core::Error::invalid_input("no seeded ticket"))?;
        let native = t.id.to_string();
        Ok((t.id, native))
    }

    /// Reads one ticket with the vendor client's typed call (the vendor's
    /// own model, no mapping) and returns its summary's length.
    ///
    /// # Errors
    /// The SDK's error.
    pub async fn get_typed(&self, id: &str) -> psa_core::Result<usize> {
        let int = || {
            id.parse::<i64>()
                .map_err(|_| psa_core::Error::invalid_input("not an integer id"))
        };
        Ok(match self {
            Sim::Halo(_, c) => c
                .tickets()
                .get(int()?)
                .send()
                .await?
                .summary
                .map_or(0, |s| s.len()),
            Sim::ConnectWise(_, c) => c
                .tickets()
                .get(int()?)
                .send()
                .await?
                .summary
                .map_or(0, |s| s.len()),
            Sim::Autotask(_, c) => c.tickets().get(int()?).await?.title.map_or(0, |s| s.len()),
            Sim::ServiceNow(_, c) => c
                .table("incident")
                .get(id)
                .send_as::<psa_servicenow::models::Incident>()
                .await?
                .task
                .extra
                .len(),
        })
    }

    /// The bare baseline for this simulator: a `reqwest::Client` with the
    /// vendor's credentials already obtained (a Halo or ServiceNow token is
    /// fetched once here, as any client caches it).
    ///
    /// # Errors
    /// When the simulator refuses the credentials.
    pub async fn bare(&self) -> reqwest::Result<Bare> {
        let http = reqwest::Client::new();
        let mut headers = HeaderMap::new();
        let url = match self {
            Sim::Halo(m, _) => {
                let token = oauth_token(
                    &http,
                    &format!("{}/token", m.auth_url()),
                    psa_halo::mock::CLIENT_ID,
                    psa_halo::mock::CLIENT_SECRET,
                    Some("all"),
                )
                .await?;
                headers.insert(AUTHORIZATION, bearer(&token));
                format!("{}/Tickets/", m.api_url())
            }
            Sim::ConnectWise(m, _) => {
                use base64::Engine as _;
                use psa_connectwise::mock::{CLIENT_ID, COMPANY_ID, PRIVATE_KEY, PUBLIC_KEY};
                let basic = base64::engine::general_purpose::STANDARD
                    .encode(format!("{COMPANY_ID}+{PUBLIC_KEY}:{PRIVATE_KEY}"));
                headers.insert(AUTHORIZATION, header(&format!("Basic {basic}")));
                headers.insert("clientId", header(CLIENT_ID));
                headers.insert(
                    ACCEPT,
                    header(&format!(
                        "application/vnd.connectwise.com+json; version={}",
                        psa_connectwise::DEFAULT_API_VERSION
                    )),
                );
                format!("{}/service/tickets/", m.base_url())
            }
            Sim::Autotask(m, _) => {
                use psa_autotask::mock::{INTEGRATION_CODE, SECRET, USERNAME};
                headers.insert("ApiIntegrationCode", header(INTEGRATION_CODE));
                headers.insert("UserName", header(USERNAME));
                headers.insert("Secret", header(SECRET));
                format!("{}V1.0/Tickets/", m.zone_url())
            }
            Sim::ServiceNow(m, _) => {
                use psa_servicenow::mock::seed::{CLIENT_ID, CLIENT_SECRET};
                let token = oauth_token(
                    &http,
                    &format!("{}/oauth_token.do", m.uri()),
                    CLIENT_ID,
                    CLIENT_SECRET,
                    None,
                )
                .await?;
                headers.insert(AUTHORIZATION, bearer(&token));
                headers.insert(ACCEPT, header("application/json"));
                format!("{}/api/now/table/incident/", m.uri())
            }
        };
        Ok(Bare {
            vendor: self.vendor(),
            http,
            headers,
            url,
        })
    }
}

/// A bare reqwest + serde_json reader of one ticket: no retries, no rate
/// limiter, no tracing span, no error mapping.
#[derive(Debug, Clone)]
pub struct Bare {
    vendor: Vendor,
    http: reqwest::Client,
    headers: HeaderMap,
    url: String,
}

#[derive(Deserialize)]
struct Item<T> {
    item: T,
}

#[derive(Deserialize)]
struct Envelope<T> {
    result: T,
}

impl Bare {
    /// `GET` the ticket and decode it into the vendor crate's typed model
    /// with `serde_json::from_slice`; returns the same figure as
    /// [`Sim::get_typed`].
    ///
    /// # Errors
    /// A transport error, or a non-JSON body (as a reqwest decode error).
    pub async fn get(&self, id: &str) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
        let resp = self
            .http
            .get(format!("{}{id}", self.url))
            .headers(self.headers.clone())
            .send()
            .await?
            .error_for_status()?;
        let body = resp.bytes().await?;
        Ok(match self.vendor {
            Vendor::Halo => serde_json::from_slice::<psa_halo::Ticket>(&body)?
                .summary
                .map_or(0, |s| s.len()),
            Vendor::ConnectWise => serde_json::from_slice::<psa_connectwise::Ticket>(&body)?
                .summary
                .map_or(0, |s| s.len()),
            Vendor::Autotask => {
                serde_json::from_slice::<Item<psa_autotask::models::Ticket>>(&body)?
                    .item
                    .title
                    .map_or(0, |s| s.len())
            }
            _ => serde_json::from_slice::<Envelope<psa_servicenow::models::Incident>>(&body)?
                .result
                .task
                .extra
                .len(),
        })
    }
}

async fn oauth_token(
    http: &reqwest::Client,
    url: &str,
    client_id: &str,
    secret: &str,
    scope: Option<&str>,
) -> reqwest::Result<String> {
    #[derive(Deserialize)]
    struct Token {
        access_token: String,
    }
    let mut form = vec![
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
    ];
    if let Some(s) = scope {
        form.push(("scope", s));
    }
    let t: Token = http
        .post(url)
        .form(&form)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(t.access_token)
}

fn bearer(token: &str) -> HeaderValue {
    header(&format!("Bearer {token}"))
}

fn header(value: &str) -> HeaderValue {
    HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static("invalid"))
}
