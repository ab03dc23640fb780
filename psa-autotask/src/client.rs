//! [`Client`] and [`ClientBuilder`].

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use psa_core::http::{ApiRequest, HttpConfig, RateLimiter, RetryBudget, validate_base_url};
use psa_core::phone::CountryCode;
use psa_core::{Error, RawResponse, Result};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::Credentials;
use crate::limits::{BudgetConfig, BudgetMode};
use crate::models::{self, ThresholdInformation};
use crate::picklist::{Picklists, StatusRules};
use crate::query::{Filter, Query};
use crate::transport::{Transport, TransportConfig, ZONE_LOOKUP_URL};
use crate::webhook::WebhookVerifier;

/// One entity's cached picklists: a slot that one fetch fills at a time.
type PicklistSlot = Arc<tokio::sync::Mutex<Option<(Instant, Arc<Picklists>)>>>;

/// A client for one Autotask database (one API user).
///
/// Cheap to clone (an `Arc` inside). Build it with [`Client::builder`].
/// [`impersonating`](Client::impersonating) returns a clone whose writes
/// carry `ImpersonationResourceId`.
///
/// Every request goes through `psa_core::http` (timeouts, retries of
/// idempotent requests, redaction), through the hourly budget, the thread
/// limiter (at most 3 in flight per entity endpoint, by default) and the
/// hourly window.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    pub(crate) impersonation: Option<i64>,
    /// The impersonated resource as the uniform id `acting_as` returns.
    pub(crate) acting: Option<psa_core::Id>,
}

pub(crate) struct Inner {
    transport: Arc<Transport>,
    picklist_ttl: Duration,
    picklists: tokio::sync::Mutex<HashMap<String, PicklistSlot>>,
    roles: Mutex<HashMap<i64, i64>>,
    api_user: tokio::sync::OnceCell<Option<i64>>,
    username: String,
    agent_resource: Option<i64>,
    configuration_product: Option<i64>,
    phone_country: Option<CountryCode>,
    status_rules: StatusRules,
    webhook: Option<WebhookVerifier>,
    /// Attachment uploads of the last 5 minutes (when, bytes).
    uploads: Mutex<std::collections::VecDeque<(Instant, usize)>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("transport", &self.inner.transport)
            .field("impersonation", &self.impersonation)
            .field("agent_resource", &self.inner.agent_resource)
            .field("credentials", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]; [`build`](Self::build) validates everything and is
/// the only place a configuration error comes from.
#[must_use]
pub struct ClientBuilder {
    username: Option<String>,
    secret: Option<SecretString>,
    integration_code: Option<SecretString>,
    zone_lookup: String,
    base_url: Option<String>,
    impersonation: Option<i64>,
    agent_resource: Option<i64>,
    configuration_product: Option<i64>,
    picklist_ttl: Duration,
    closed_statuses: Option<Vec<i64>>,
    webhook_secret: Option<SecretString>,
    budget: BudgetConfig,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    thread_limit: usize,
    http: HttpConfig,
    retry_budget: Option<RetryBudget>,
    phone_country: Option<CountryCode>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("zone_lookup", &self.zone_lookup)
            .field("base_url", &self.base_url)
            .field("impersonation", &self.impersonation)
            .field("agent_resource", &self.agent_resource)
            .field("budget", &self.budget)
            .field("rate_limiter", &self.rate_limiter)
            .field("thread_limit", &self.thread_limit)
            .field("http", &self.http)
            .field("phone_country", &self.phone_country)
            .field("credentials", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            username: None,
            secret: None,
            integration_code: None,
            zone_lookup: ZONE_LOOKUP_URL.to_owned(),
            base_url: None,
            impersonation: None,
            agent_resource: None,
            configuration_product: None,
            picklist_ttl: Duration::from_secs(3600),
            closed_statuses: None,
            webhook_secret: None,
            budget: BudgetConfig::default(),
            rate_limiter: None,
            thread_limit: 3,
            http: HttpConfig::default(),
            retry_budget: None,
            phone_country: None,
        }
    }
}

impl ClientBuilder {
    /// The API user's user name (`UserName` header; also the zone look-up key).
    pub fn username(mut self, username: impl Into<String>) -> Self {
        self.username = Some(username.into());
        self
    }

    /// The API user's secret (`Secret` header).
    pub fn secret(mut self, secret: SecretString) -> Self {
        self.secret = Some(secret);
        self
    }

    /// The integration's tracking identifier (`ApiIntegrationCode` header;
    /// also what Autotask counts threads by).
    pub fn integration_code(mut self, code: SecretString) -> Self {
        self.integration_code = Some(code);
        self
    }

    /// Where zones are discovered (default [`ZONE_LOOKUP_URL`]); for tests.
    pub fn zone_lookup_url(mut self, url: impl Into<String>) -> Self {
        self.zone_lookup = url.into();
        self
    }

    /// A known zone's REST base (`https://webservices14.autotask.net/ATServicesRest/`):
    /// no discovery request is made. Without it the zone is discovered from
    /// the user name on the first call.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Timeouts, retries, user agent and body limit of every call (default:
    /// psa-core's). One call is tuned with
    /// [`Customize`](psa_core::http::Customize) on its operation.
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http = config;
        self
    }

    /// The retry budget; pass clones of one budget to every client of a
    /// tenant to share it (default: one of this client's own).
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = Some(budget);
        self
    }

    /// The tenant's country, for phone numbers stored without a country
    /// code (caller look-up by phone; default: none, a national number is
    /// then read in the country of the number it is compared with).
    pub fn phone_country(mut self, country: CountryCode) -> Self {
        self.phone_country = Some(country);
        self
    }

    /// Attributes every write of this client to `resource`
    /// (`ImpersonationResourceId`); per call, use [`Client::impersonating`].
    pub fn impersonate(mut self, resource: i64) -> Self {
        self.impersonation = Some(resource);
        self
    }

    /// The resource time entries are logged for when the caller names no
    /// agent (a dedicated "AI agent" resource, say).
    pub fn agent_resource(mut self, resource: i64) -> Self {
        self.agent_resource = Some(resource);
        self
    }

    /// The product new configuration items are created with (Autotask
    /// requires one; the uniform `NewConfiguration` has none).
    pub fn configuration_product(mut self, product: i64) -> Self {
        self.configuration_product = Some(product);
        self
    }

    /// How long picklists (`entityInformation/fields`) are cached (1 hour).
    pub fn picklist_ttl(mut self, ttl: Duration) -> Self {
        self.picklist_ttl = ttl;
        self
    }

    /// The ticket statuses that count as closed, instead of the ones labelled
    /// "Complete" (and the system Complete status, 5).
    pub fn closed_statuses(mut self, statuses: impl IntoIterator<Item = i64>) -> Self {
        self.closed_statuses = Some(statuses.into_iter().collect());
        self
    }

    /// The secret key webhook deliveries are verified with.
    pub fn webhook_secret(mut self, secret: SecretString) -> Self {
        self.webhook_secret = Some(secret);
        self
    }

    /// What to do when the hourly budget is nearly spent:
    /// [`BudgetMode::Wait`] (default) or [`BudgetMode::FailFast`].
    pub fn budget_mode(mut self, mode: BudgetMode) -> Self {
        self.budget.mode = mode;
        self
    }

    /// The share of the database's hourly budget this client leaves for
    /// other integrations and people (default 0.10: stop at 90%).
    pub fn budget_reserve(mut self, fraction: f64) -> Self {
        self.budget.reserve = fraction;
        self
    }

    /// The database's hourly request limit assumed until
    /// `ThresholdInformation` says otherwise (default 10,000).
    pub fn hourly_limit(mut self, requests: u32) -> Self {
        self.budget.hourly_limit = requests;
        self
    }

    /// How often `ThresholdInformation` is read: at most every `interval`,
    /// or after `requests` requests, whichever comes first (default 5
    /// minutes / 500 requests). `Duration::ZERO` never reads it.
    pub fn threshold_poll(mut self, interval: Duration, requests: u32) -> Self {
        self.budget.poll_interval = interval;
        self.budget.poll_after_requests = requests.max(1);
        self
    }

    /// The longest a call waits for budget in [`BudgetMode::Wait`] before
    /// failing with `RateLimited` (default 15 minutes; the call's deadline,
    /// [`HttpConfig::with_deadline`], bounds it too).
    pub fn budget_max_wait(mut self, wait: Duration) -> Self {
        self.budget.max_wait = wait;
        self
    }

    /// Replaces the default limiter of this client's own hourly request
    /// count — a sliding window of `hourly_limit × (1 − reserve)` requests
    /// per hour, shared by the clients of the integration code in this
    /// process — with `limiter`: give replicas one backed by a shared store
    /// (Redis), or several integrations' clients one limiter, and they draw
    /// from one count. Autotask's other limits stay: the thread limiter
    /// ([`thread_limit`](Self::thread_limit)) and the database budget read
    /// from `ThresholdInformation` ([`threshold_poll`](Self::threshold_poll)).
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// Requests in flight per entity endpoint (Autotask allows 3 for
    /// integrations created since 2023.1; lower it when other processes
    /// share the integration code).
    pub fn thread_limit(mut self, limit: usize) -> Self {
        self.thread_limit = limit;
        self
    }

    /// Validates the configuration and builds the client. No request is made.
    pub fn build(self) -> Result<Client> {
        let credentials = Credentials::new(self.username, self.secret, self.integration_code)?;
        let zone_lookup = validate_endpoint(&self.zone_lookup)?;
        let fixed_zone = self
            .base_url
            .as_deref()
            .map(validate_base_url)
            .transpose()?;
        if self.thread_limit == 0 {
            return Err(Error::config("the thread limit must be at least 1"));
        }
        if let Some(r) = self.impersonation {
            if r <= 0 {
                return Err(Error::config(
                    "the impersonated resource id must be positive",
                ));
            }
        }
        if let Some(s) = &self.webhook_secret {
            crate::webhook::validate_secret_key(s)
                .map_err(|e| Error::config(e.message().to_owned()))?;
        }
        self.budget.validate()?;
        self.http.validate()?;
        let username = credentials.username().to_owned();
        let transport = Transport::new(TransportConfig {
            credentials,
            zone_lookup,
            fixed_zone,
            thread_limit: self.thread_limit,
            hourly: self.rate_limiter,
            budget: self.budget,
            http: self.http,
            retry_budget: self.retry_budget,
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                picklist_ttl: self.picklist_ttl,
                picklists: tokio::sync::Mutex::new(HashMap::new()),
                roles: Mutex::new(HashMap::new()),
                api_user: tokio::sync::OnceCell::new(),
                username,
                agent_resource: self.agent_resource,
                configuration_product: self.configuration_product,
                phone_country: self.phone_country,
                status_rules: StatusRules {
                    closed_override: self.closed_statuses,
                },
                webhook: self.webhook_secret.map(WebhookVerifier::new),
                uploads: Mutex::new(std::collections::VecDeque::new()),
            }),
            impersonation: self.impersonation,
            acting: self.impersonation.map(psa_core::Id::int),
        })
    }
}

/// Checks the zone look-up URL: a base URL's rules, the last path segment
/// being the endpoint (`…/v1.0/zoneInformation`).
fn validate_endpoint(text: &str) -> Result<Url> {
    let url = validate_base_url(text)?;
    let mut trimmed = url.clone();
    let path = url.path().trim_end_matches('/').to_owned();
    if path.is_empty() {
        return Err(Error::config(
            "the zone look-up URL needs a path (…/zoneInformation)",
        ));
    }
    trimmed.set_path(&path);
    Ok(trimmed)
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A cheap clone whose writes carry `ImpersonationResourceId: resource`,
    /// so that Autotask attributes them to that resource (see the crate docs
    /// for what Autotask honours). Reads are sent as the API user.
    ///
    /// ```no_run
    /// # async fn demo(client: psa_autotask::Client) -> psa_core::Result<()> {
    /// use psa_core::{Id, NewNote, Psa};
    /// let as_jordan = client.impersonating(29682886);
    /// as_jordan.add_note(&Id::from(1001), NewNote::internal("On my way")).await?;
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn impersonating(&self, resource: i64) -> Client {
        Client {
            inner: self.inner.clone(),
            impersonation: Some(resource),
            acting: Some(psa_core::Id::int(resource)),
        }
    }

    /// A clone without impersonation.
    #[must_use]
    pub fn without_impersonation(&self) -> Client {
        Client {
            inner: self.inner.clone(),
            impersonation: None,
            acting: None,
        }
    }

    /// The resource this client's writes impersonate, if any.
    pub fn impersonation(&self) -> Option<i64> {
        self.impersonation
    }

    /// The agent resource time entries default to.
    pub fn agent_resource(&self) -> Option<i64> {
        self.inner.agent_resource
    }

    /// The product new configuration items are created with.
    pub fn configuration_product(&self) -> Option<i64> {
        self.inner.configuration_product
    }

    /// The tenant's country for phone numbers stored without one.
    pub fn phone_country(&self) -> Option<CountryCode> {
        self.inner.phone_country
    }

    pub(crate) fn webhook_verifier(&self) -> Option<&WebhookVerifier> {
        self.inner.webhook.as_ref()
    }

    // ---- zone and sending ------------------------------------------------------

    /// The zone's REST base URL (`…/ATServicesRest/`), discovering it on the
    /// first call (shared by the clients of the API user in this process).
    pub async fn zone(&self) -> Result<Url> {
        self.inner.transport.zone().await
    }

    /// `{zone}V1.0/`: what every path is relative to.
    pub(crate) async fn api_base(&self) -> Result<Url> {
        self.inner.transport.api_base().await
    }

    /// Sends `req` as this client (its impersonation on writes); the body
    /// decoded as `T`.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        req: ApiRequest,
        what: &str,
    ) -> Result<T> {
        self.inner
            .transport
            .send_json(req, self.impersonation, what)
            .await
    }

    /// Sends `req` as this client (its impersonation on writes); the whole
    /// answer, for a caller that decodes the body itself.
    pub(crate) async fn send(&self, req: ApiRequest) -> Result<psa_core::http::ApiResponse> {
        self.inner.transport.send(req, self.impersonation).await
    }

    /// Sends `req` as this client; the body streamed, at most `max_bytes`.
    pub(crate) async fn send_streaming(
        &self,
        req: ApiRequest,
        max_bytes: u64,
    ) -> Result<psa_core::http::StreamingResponse> {
        self.inner
            .transport
            .send_streaming(req, self.impersonation, max_bytes)
            .await
    }

    /// Records `bytes` uploaded now, refusing (before any request) an upload
    /// that would pass Autotask's attachment threshold: 10,000,000 bytes in
    /// 5 minutes per database, after which Autotask blocks attachment
    /// creation for 5 minutes. Counted per process, across this client's
    /// views.
    pub(crate) fn reserve_upload(&self, bytes: usize) -> Result<()> {
        let now = Instant::now();
        let mut window = self
            .inner
            .uploads
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while window
            .front()
            .is_some_and(|(at, _)| now.duration_since(*at) >= crate::psa::UPLOAD_WINDOW)
        {
            window.pop_front();
        }
        let used: usize = window.iter().map(|(_, n)| n).sum();
        if used.saturating_add(bytes) > crate::psa::UPLOAD_THRESHOLD_BYTES {
            let wait = window.front().map_or(crate::psa::UPLOAD_WINDOW, |(at, _)| {
                crate::psa::UPLOAD_WINDOW.saturating_sub(now.duration_since(*at))
            });
            return Err(Error::new(
                psa_core::ErrorKind::RateLimited,
                format!(
                    "Autotask blocks attachment uploads past {} bytes in 5 minutes: {used} bytes were uploaded in the window, this file has {bytes}",
                    crate::psa::UPLOAD_THRESHOLD_BYTES
                ),
            )
            .with_vendor(psa_core::Vendor::Autotask)
            .with_retry_after(wait));
        }
        window.push_back((now, bytes));
        Ok(())
    }

    /// Sends `req` as this client; the body ignored.
    pub(crate) async fn send_empty(&self, req: ApiRequest) -> Result<()> {
        self.inner
            .transport
            .send_empty(req, self.impersonation)
            .await
    }

    /// Sends `req` as this client; the answer as a raw response.
    pub(crate) async fn send_raw(&self, req: ApiRequest) -> Result<RawResponse> {
        self.inner.transport.send_raw(req, self.impersonation).await
    }

    /// `GET /V1.0/ThresholdInformation`: the database's budget and use,
    /// which the client's budget learns from. Not metered by the budget (it
    /// is how the budget learns), but counted by Autotask like any call.
    pub async fn threshold_information(&self) -> Result<ThresholdInformation> {
        self.inner.transport.threshold_information().await
    }

    // ---- picklists ---------------------------------------------------------------

    /// The picklists of an entity (`GET /{entity}/entityInformation/fields`),
    /// cached for the picklist TTL; concurrent callers share one request.
    pub async fn picklists(&self, entity: &str) -> Result<Arc<Picklists>> {
        crate::query::validate_field(entity, false)?;
        let slot = {
            let mut map = self.inner.picklists.lock().await;
            map.entry(entity.to_ascii_lowercase())
                .or_insert_with(|| Arc::new(tokio::sync::Mutex::new(None)))
                .clone()
        };
        let mut slot = slot.lock().await;
        if let Some((at, pl)) = slot.as_ref() {
            if at.elapsed() < self.inner.picklist_ttl {
                return Ok(pl.clone());
            }
        }
        let fields = self.entity_fields(entity).send().await?;
        let pl = Arc::new(Picklists::from_fields(entity, &fields.fields));
        *slot = Some((Instant::now(), pl.clone()));
        Ok(pl)
    }

    /// Forgets every cached picklist.
    pub async fn invalidate_picklists(&self) {
        self.inner.picklists.lock().await.clear();
    }

    /// The ticket statuses that count as closed.
    pub(crate) fn closed_statuses_for(&self, tickets: &Picklists) -> Vec<i64> {
        self.inner.status_rules.closed_statuses(tickets)
    }

    /// The default service desk role of a resource (cached).
    pub(crate) async fn default_role(&self, resource: i64) -> Result<i64> {
        if let Some(r) = self
            .inner
            .roles
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&resource)
        {
            return Ok(*r);
        }
        let r = self.resources().get(resource).send().await?;
        let role = match r.default_service_desk_role_id.filter(|v| *v > 0) {
            Some(role) => role,
            None => self
                .resource_service_desk_roles()
                .list(
                    Query::new()
                        .filter(Filter::eq("resourceID", resource))
                        .filter(Filter::eq("isDefault", true))
                        .filter(Filter::eq("isActive", true)),
                )
                .limit(1)
                .stream()
                .try_collect::<Vec<_>>()
                .await?
                .into_iter()
                .find_map(|r| r.role_id)
                .ok_or_else(|| {
                    Error::invalid_input(format!(
                        "resource {resource} has no default service desk role to log time or take tickets under"
                    ))
                })?,
        };
        self.inner
            .roles
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(resource, role);
        Ok(role)
    }

    /// The API user's own resource id (matched by email or user name), cached.
    pub(crate) async fn api_user_resource(&self) -> Result<Option<i64>> {
        self.inner
            .api_user
            .get_or_try_init(|| async {
                let name = self.inner.username.clone();
                let q = Query::new().filter(Filter::or([
                    Filter::eq("email", name.clone()),
                    Filter::eq("userName", name),
                ]));
                let found: Vec<models::Resource> = self
                    .resources()
                    .list(q)
                    .limit(1)
                    .stream()
                    .try_collect()
                    .await?;
                Ok::<_, Error>(found.first().map(|r| r.id))
            })
            .await
            .copied()
    }
}
