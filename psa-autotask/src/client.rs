//! [`Client`] and [`ClientBuilder`].

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use futures::stream::{BoxStream, StreamExt};
use psa_core::http::{ApiResponse, HttpClient, HttpConfig, validate_base_url};
use psa_core::paging::{self, Page, PageToken};
use psa_core::{Error, ErrorKind, RawRecord, RawRequest, RawResponse, Result, Vendor};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;
use url::Url;

use crate::budget::{Budget, BudgetConfig, BudgetMode};
use crate::models::{
    self, Entity, FieldInformationResult, ItemId, ItemResult, QueryCount, QueryResult,
    ThresholdInformation, ZoneInformation,
};
use crate::picklist::{Picklists, StatusRules};
use crate::query::{Filter, Query};
use crate::resources::Entities;
use crate::transport::{Call, Transport, TransportConfig};
use crate::webhook::WebhookVerifier;

/// Autotask's zone-discovery endpoint.
pub const ZONE_LOOKUP_URL: &str =
    "https://webservices.autotask.net/atservicesrest/v1.0/zoneInformation";

/// How long a discovered zone is trusted before it is looked up again.
const ZONE_TTL: Duration = Duration::from_secs(24 * 3600);

/// Zones discovered in this process, by (lookup URL, user name): every client
/// of one API user shares one look-up.
type ZoneCache = Mutex<HashMap<(String, String), (Instant, Url)>>;

/// One entity's cached picklists: a slot that one fetch fills at a time.
type PicklistSlot = Arc<tokio::sync::Mutex<Option<(Instant, Arc<Picklists>)>>>;

fn zone_cache() -> &'static ZoneCache {
    static CACHE: OnceLock<ZoneCache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// A client for one Autotask database (one API user).
///
/// Cheap to clone (an `Arc` inside). Build it with [`Client::builder`].
/// [`impersonating`](Client::impersonating) returns a clone whose writes
/// carry `ImpersonationResourceId`.
///
/// Every request goes through `psa_core::http` (timeouts, retries of
/// idempotent requests, redaction), through the thread limiter (at most 3 in
/// flight per entity endpoint, by default) and through the hourly budget.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    impersonation: Option<i64>,
}

pub(crate) struct Inner {
    pub(crate) username: String,
    pub(crate) transport: Transport,
    zone_lookup: Url,
    fixed_zone: Option<Url>,
    zone: tokio::sync::OnceCell<Url>,
    picklist_ttl: Duration,
    picklists: tokio::sync::Mutex<HashMap<String, PicklistSlot>>,
    roles: Mutex<HashMap<i64, i64>>,
    api_user: tokio::sync::OnceCell<Option<i64>>,
    pub(crate) budget: Budget,
    agent_resource: Option<i64>,
    configuration_product: Option<i64>,
    status_rules: StatusRules,
    webhook: Option<WebhookVerifier>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field(
                "zone",
                &self.inner.zone.get().map(Url::as_str).or(self
                    .inner
                    .fixed_zone
                    .as_ref()
                    .map(Url::as_str)),
            )
            .field("zone_lookup", &self.inner.zone_lookup.as_str())
            .field("impersonation", &self.impersonation)
            .field("agent_resource", &self.inner.agent_resource)
            .field("budget", &self.inner.budget)
            .field("credentials", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]; [`build`](Self::build) validates everything.
#[must_use]
pub struct ClientBuilder {
    username: Option<String>,
    secret: Option<SecretString>,
    integration_code: Option<SecretString>,
    zone_lookup: String,
    zone: Option<String>,
    impersonation: Option<i64>,
    agent_resource: Option<i64>,
    configuration_product: Option<i64>,
    picklist_ttl: Duration,
    closed_statuses: Option<Vec<i64>>,
    webhook_secret: Option<SecretString>,
    budget: BudgetConfig,
    thread_limit: usize,
    timeout: Option<Duration>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("zone_lookup", &self.zone_lookup)
            .field("zone", &self.zone)
            .field("impersonation", &self.impersonation)
            .field("agent_resource", &self.agent_resource)
            .field("budget", &self.budget)
            .field("thread_limit", &self.thread_limit)
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
            zone: None,
            impersonation: None,
            agent_resource: None,
            configuration_product: None,
            picklist_ttl: Duration::from_secs(3600),
            closed_statuses: None,
            webhook_secret: None,
            budget: BudgetConfig::default(),
            thread_limit: 3,
            timeout: None,
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
    /// no discovery request is made.
    pub fn zone(mut self, url: impl Into<String>) -> Self {
        self.zone = Some(url.into());
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
    /// failing with `RateLimited` (default 15 minutes).
    pub fn budget_max_wait(mut self, wait: Duration) -> Self {
        self.budget.max_wait = wait;
        self
    }

    /// Shares this client's hourly request count with other clients of the
    /// same database — other integrations' clients in the process, or
    /// replicas behind a store such as Redis: every client given the same
    /// limiter draws from one budget. It replaces the default in-process
    /// sliding window (`hourly_limit × (1 − reserve)` per hour).
    pub fn shared_rate_limiter(mut self, limiter: Arc<dyn psa_core::http::RateLimiter>) -> Self {
        self.budget.limiter = Some(limiter);
        self
    }

    /// Requests in flight per entity endpoint (Autotask allows 3 for
    /// integrations created since 2023.1; lower it when other processes
    /// share the integration code).
    pub fn thread_limit(mut self, limit: usize) -> Self {
        self.thread_limit = limit;
        self
    }

    /// The per-attempt timeout (default: psa-core's, 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Validates the configuration and builds the client. No request is made.
    pub fn build(self) -> Result<Client> {
        let username = self
            .username
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| Error::config("the Autotask API user name is missing"))?;
        if username
            .chars()
            .any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(Error::config(
                "the Autotask API user name has spaces or control characters",
            ));
        }
        let secret = self
            .secret
            .ok_or_else(|| Error::config("the Autotask API secret is missing"))?;
        let code = self.integration_code.ok_or_else(|| {
            Error::config("the Autotask integration code (tracking identifier) is missing")
        })?;
        let zone_lookup = validate_endpoint(&self.zone_lookup)?;
        let fixed_zone = self.zone.as_deref().map(parse_zone).transpose()?;
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
        let hourly = self.budget.hourly_limiter();
        let budget = Budget::new(self.budget)?;
        let mut http = HttpConfig::default();
        if let Some(t) = self.timeout {
            http = http.with_attempt_timeout(t);
        }
        let transport = Transport::new(TransportConfig {
            username: &username,
            secret: &secret,
            code: &code,
            zone_lookup: &zone_lookup,
            thread_limit: self.thread_limit,
            hourly,
            http,
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                username,
                transport,
                zone_lookup,
                fixed_zone,
                zone: tokio::sync::OnceCell::new(),
                picklist_ttl: self.picklist_ttl,
                picklists: tokio::sync::Mutex::new(HashMap::new()),
                roles: Mutex::new(HashMap::new()),
                api_user: tokio::sync::OnceCell::new(),
                budget,
                agent_resource: self.agent_resource,
                configuration_product: self.configuration_product,
                status_rules: StatusRules {
                    closed_override: self.closed_statuses,
                },
                webhook: self.webhook_secret.map(WebhookVerifier::new),
            }),
            impersonation: self.impersonation,
        })
    }
}

/// Checks a zone URL (https, or http on loopback; no credentials, no
/// query) and normalises it to end in `/`.
fn parse_zone(text: &str) -> Result<Url> {
    validate_base_url(text)
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
        }
    }

    /// A clone without impersonation.
    #[must_use]
    pub fn without_impersonation(&self) -> Client {
        Client {
            inner: self.inner.clone(),
            impersonation: None,
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

    pub(crate) fn webhook_verifier(&self) -> Option<&WebhookVerifier> {
        self.inner.webhook.as_ref()
    }

    /// A handle on any entity: `client.entity::<models::Contract>()`.
    pub fn entity<T: Entity>(&self) -> Entities<T> {
        Entities::new(self.clone())
    }

    /// Tickets.
    pub fn tickets(&self) -> Entities<models::Ticket> {
        self.entity()
    }
    /// Ticket notes (query and read; create under [`Entities::notes`]).
    pub fn ticket_notes(&self) -> Entities<models::TicketNote> {
        self.entity()
    }
    /// Ticket history (one ticket per query: `ticketID eq`).
    pub fn ticket_history(&self) -> Entities<models::TicketHistory> {
        self.entity()
    }
    /// Ticket categories.
    pub fn ticket_categories(&self) -> Entities<models::TicketCategory> {
        self.entity()
    }
    /// Time entries.
    pub fn time_entries(&self) -> Entities<models::TimeEntry> {
        self.entity()
    }
    /// Companies.
    pub fn companies(&self) -> Entities<models::Company> {
        self.entity()
    }
    /// Contacts (query and read; create under [`Entities::contacts`]).
    pub fn contacts(&self) -> Entities<models::Contact> {
        self.entity()
    }
    /// Configuration items.
    pub fn configuration_items(&self) -> Entities<models::ConfigurationItem> {
        self.entity()
    }
    /// Service calls.
    pub fn service_calls(&self) -> Entities<models::ServiceCall> {
        self.entity()
    }
    /// Service call ↔ ticket links.
    pub fn service_call_tickets(&self) -> Entities<models::ServiceCallTicket> {
        self.entity()
    }
    /// Service call ticket ↔ resource links.
    pub fn service_call_ticket_resources(&self) -> Entities<models::ServiceCallTicketResource> {
        self.entity()
    }
    /// Products.
    pub fn products(&self) -> Entities<models::Product> {
        self.entity()
    }
    /// Ticket charges (query and read; create under [`Entities::charges`]).
    pub fn ticket_charges(&self) -> Entities<models::TicketCharge> {
        self.entity()
    }
    /// Contracts.
    pub fn contracts(&self) -> Entities<models::Contract> {
        self.entity()
    }
    /// SLA results per ticket.
    pub fn sla_results(&self) -> Entities<models::SlaResult> {
        self.entity()
    }
    /// Projects.
    pub fn projects(&self) -> Entities<models::Project> {
        self.entity()
    }
    /// Resources (technicians).
    pub fn resources(&self) -> Entities<models::Resource> {
        self.entity()
    }
    /// Roles.
    pub fn roles(&self) -> Entities<models::Role> {
        self.entity()
    }
    /// Service desk roles of resources.
    pub fn resource_service_desk_roles(&self) -> Entities<models::ResourceServiceDeskRole> {
        self.entity()
    }
    /// Billing codes (work types are `billingCodeType` 1).
    pub fn billing_codes(&self) -> Entities<models::BillingCode> {
        self.entity()
    }
    /// Knowledge-base articles.
    pub fn kb_articles(&self) -> Entities<models::KnowledgeBaseArticle> {
        self.entity()
    }
    /// Ticket webhooks.
    pub fn ticket_webhooks(&self) -> Entities<models::TicketWebhook> {
        self.entity()
    }

    // ---- zone ----------------------------------------------------------------------

    /// The zone's REST base URL (`…/ATServicesRest/`), discovering it on the
    /// first call (cached per API user for this process).
    pub async fn zone(&self) -> Result<Url> {
        if let Some(z) = &self.inner.fixed_zone {
            return Ok(z.clone());
        }
        self.inner
            .zone
            .get_or_try_init(|| async {
                let key = (
                    self.inner.zone_lookup.to_string(),
                    self.inner.username.clone(),
                );
                if let Some((at, url)) = zone_cache()
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .get(&key)
                {
                    if at.elapsed() < ZONE_TTL {
                        return Ok(url.clone());
                    }
                }
                let info: ZoneInformation = self
                    .inner
                    .transport
                    .lookup_zone(&self.inner.username)
                    .await?
                    .json_named("zone information")?;
                let url = parse_zone(&info.url).map_err(|e| {
                    Error::new(
                        ErrorKind::Decode,
                        format!("zone discovery answered an unusable URL: {}", e.message()),
                    )
                    .with_vendor(Vendor::Autotask)
                })?;
                zone_cache()
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(key, (Instant::now(), url.clone()));
                Ok(url)
            })
            .await
            .cloned()
    }

    /// `{zone}V1.0/`: what every path is relative to.
    pub(crate) async fn api_base(&self) -> Result<Url> {
        let zone = self.zone().await?;
        zone.join("V1.0/")
            .map_err(|e| Error::config(format!("the zone URL cannot take V1.0/: {e}")))
    }

    /// The zone's REST client.
    async fn api(&self) -> Result<&HttpClient> {
        let base = self.api_base().await?;
        self.inner.transport.api(&base)
    }

    /// Sends one call through the budget and `psa_core::http` (thread
    /// limiter, hourly limiter, retries, error parsing).
    pub(crate) async fn send(&self, call: Call) -> Result<ApiResponse> {
        let api = self.api().await?;
        self.inner.budget.admit(self).await?;
        // Impersonation attributes writes; reads go out as the API user.
        let impersonation = if call.is_write() {
            self.impersonation
        } else {
            None
        };
        api.send(call.into_request(impersonation)).await
    }

    /// `GET /V1.0/ThresholdInformation`: the database's budget and use. Not
    /// admitted by the budget (it is how the budget learns), but counted by
    /// Autotask like any call.
    pub async fn threshold_information(&self) -> Result<ThresholdInformation> {
        let api = self.api().await?;
        let info: ThresholdInformation = api
            .send(Call::get("ThresholdInformation").into_request(None))
            .await?
            .json_named("threshold information")?;
        self.inner.budget.learn(info);
        Ok(info)
    }

    // ---- picklists ---------------------------------------------------------------------

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
        let fields: FieldInformationResult = self
            .send(Call::get(format!("{entity}/entityInformation/fields")))
            .await?
            .json_named("entity field information")?;
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
        let (r, _) = self.fetch_item::<models::Resource>(resource).await?;
        let role = match r.default_service_desk_role_id.filter(|v| *v > 0) {
            Some(role) => role,
            None => self
                .collect_records::<models::ResourceServiceDeskRole>(
                    Query::new()
                        .filter(Filter::eq("resourceID", resource))
                        .filter(Filter::eq("isDefault", true))
                        .filter(Filter::eq("isActive", true)),
                    Some(1),
                )
                .await?
                .into_iter()
                .find_map(|(r, _)| r.role_id)
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
                Ok::<_, Error>(
                    self.collect_records::<models::Resource>(q, Some(1))
                        .await?
                        .first()
                        .map(|(r, _)| r.id),
                )
            })
            .await
            .copied()
    }

    // ---- generic record access -------------------------------------------------------------

    /// `GET /{T::ENTITY}/{id}`: the record and its JSON as sent, kept
    /// unparsed as a [`RawRecord`] (the `Psa` reads).
    pub(crate) async fn fetch_item<T: Entity>(&self, id: i64) -> Result<(T, RawRecord)> {
        let raw = self.get_item::<T, Box<RawValue>>(id).await?;
        RawRecord::parse_raw_value::<T>(Some(Vendor::Autotask), &format!("{} {id}", T::ENTITY), raw)
    }

    /// `GET /{T::ENTITY}/{id}`, decoded straight into `T` (the typed API).
    pub(crate) async fn fetch_typed<T: Entity>(&self, id: i64) -> Result<T> {
        self.get_item::<T, T>(id).await
    }

    /// `GET /{T::ENTITY}/{id}`, its `item` decoded as `I`; a `null` item
    /// is `NotFound`.
    async fn get_item<T: Entity, I: DeserializeOwned>(&self, id: i64) -> Result<I> {
        let what = format!("{} {id}", T::ENTITY);
        let resp = self.send(Call::get(format!("{}/{id}", T::ENTITY))).await?;
        let wrapper: ItemResult<I> = resp.json_named(&what)?;
        wrapper.item.ok_or_else(|| {
            Error::new(ErrorKind::NotFound, format!("{what} does not exist"))
                .with_vendor(Vendor::Autotask)
        })
    }

    /// `GET` a child collection.
    pub(crate) async fn list_children<T: Entity>(&self, path: String) -> Result<Vec<(T, Value)>> {
        let page: QueryResult<Value> = self
            .send(Call::get(path))
            .await?
            .json_named("child records")?;
        page.items
            .into_iter()
            .enumerate()
            .map(|(i, raw)| Ok((decode_value::<T>(&raw, &format!("items[{i}]"))?, raw)))
            .collect()
    }

    async fn fetch_page<I: DeserializeOwned>(
        &self,
        call: Call,
    ) -> Result<(Vec<I>, Option<String>)> {
        let page: QueryResult<I> = self.send(call).await?.json_named("query page")?;
        let next = page
            .page_details
            .and_then(|d| d.next_page_url)
            .filter(|u| !u.trim().is_empty());
        Ok((page.items, next))
    }

    /// The first page of a query, typed.
    pub(crate) async fn query_first_page<T: Entity>(
        &self,
        query: &Query,
    ) -> Result<(Vec<T>, Option<String>)> {
        let body = query.to_body()?;
        self.fetch_page::<T>(Call::query(T::ENTITY, body)).await
    }

    /// Every record matching `query` for entity `entity`, decoded as `I`,
    /// paging lazily by `nextPageUrl`; at most `limit` records. A next-page
    /// URL on another origin is an error and is not requested; a repeated
    /// one ends the stream with an error.
    pub(crate) fn page_stream<I: DeserializeOwned + Send + 'static>(
        &self,
        entity: &'static str,
        query: Query,
        limit: Option<u64>,
    ) -> BoxStream<'static, Result<I>> {
        let client = self.clone();
        let items = paging::items(move |token: Option<PageToken>| {
            let client = client.clone();
            let query = query.clone();
            async move {
                let call = match token {
                    None => Call::query(entity, query.to_body()?),
                    Some(PageToken::Url(url)) => client.next_page_call(url).await?,
                    Some(other) => {
                        return Err(Error::new(
                            ErrorKind::Api,
                            format!("unexpected page token {other:?} for an Autotask query"),
                        )
                        .with_vendor(Vendor::Autotask));
                    }
                };
                let (items, next) = client.fetch_page::<I>(call).await?;
                let next = next
                    .map(|u| {
                        Url::parse(&u).map(PageToken::Url).map_err(|e| {
                            Error::new(ErrorKind::Decode, format!("nextPageUrl is not a URL: {e}"))
                                .with_vendor(Vendor::Autotask)
                        })
                    })
                    .transpose()?;
                Ok(Page::new(items, next))
            }
        });
        match limit {
            Some(n) => items.take(usize::try_from(n).unwrap_or(usize::MAX)).boxed(),
            None => items,
        }
    }

    /// Every record matching `query`, typed and with its raw JSON (what the
    /// uniform mapping needs).
    pub(crate) fn query_records<T: Entity>(
        &self,
        query: Query,
        limit: Option<u64>,
    ) -> BoxStream<'static, Result<(T, RawRecord)>> {
        use futures::TryStreamExt;
        self.page_stream::<Box<RawValue>>(T::ENTITY, query, limit)
            .and_then(|raw| async move {
                RawRecord::parse_raw_value::<T>(Some(Vendor::Autotask), T::ENTITY, raw)
            })
            .boxed()
    }

    /// The call for a next-page URL: only on the zone's own origin (the
    /// HTTP client checks it again before sending).
    async fn next_page_call(&self, next: Url) -> Result<Call> {
        let base = self.api_base().await?;
        if next.origin() != base.origin() {
            return Err(Error::new(
                ErrorKind::Api,
                format!(
                    "nextPageUrl points at {}, not this client's zone {}: not followed",
                    next.origin().ascii_serialization(),
                    base.origin().ascii_serialization()
                ),
            )
            .with_vendor(Vendor::Autotask));
        }
        let entity = next
            .path()
            .to_ascii_lowercase()
            .split("/v1.0/")
            .nth(1)
            .and_then(|rest| rest.split('/').next().map(str::to_owned))
            .unwrap_or_default();
        Ok(Call::get_url(next, entity))
    }

    /// Every record matching `query`, collected.
    pub(crate) async fn collect_records<T: Entity>(
        &self,
        query: Query,
        limit: Option<u64>,
    ) -> Result<Vec<(T, RawRecord)>> {
        use futures::TryStreamExt;
        self.query_records::<T>(query, limit).try_collect().await
    }

    /// `POST /{Entity}/query/count`.
    pub(crate) async fn query_count<T: Entity>(&self, query: &Query) -> Result<i64> {
        let body = query.to_body()?;
        let count: QueryCount = self
            .send(Call::post_idempotent(
                format!("{}/query/count", T::ENTITY),
                body,
            ))
            .await?
            .json_named("query count")?;
        Ok(count.query_count)
    }

    /// `POST` a create; returns the new id.
    pub(crate) async fn post_create(&self, path: String, body: Value) -> Result<i64> {
        let bytes = serde_json::to_vec(&body)
            .map_err(|e| Error::invalid_input("the record could not be encoded").with_source(e))?;
        let id: ItemId = self
            .send(Call::create(path, bytes))
            .await?
            .json_named("create result")?;
        Ok(id.item_id)
    }

    /// `PATCH` an update (id in the body); returns the id.
    pub(crate) async fn patch_update(&self, path: String, body: Value) -> Result<i64> {
        let bytes = serde_json::to_vec(&body)
            .map_err(|e| Error::invalid_input("the update could not be encoded").with_source(e))?;
        let id: ItemId = self
            .send(Call::patch(path, bytes))
            .await?
            .json_named("update result")?;
        Ok(id.item_id)
    }

    /// `DELETE` a record.
    pub(crate) async fn delete_path(&self, path: String) -> Result<()> {
        self.send(Call::delete(path)).await?;
        Ok(())
    }

    /// Any request, relative to `/V1.0/`.
    pub(crate) async fn send_raw(&self, request: RawRequest) -> Result<RawResponse> {
        let call = Call::raw(&request)?;
        let resp = self.send(call).await?;
        Ok(crate::transport::into_raw(resp))
    }
}

/// Decodes a record from its JSON, naming the failing field
/// ([`psa_core::error::decode_value`]).
pub(crate) fn decode_value<T: DeserializeOwned>(raw: &Value, what: &str) -> Result<T> {
    psa_core::error::decode_value(Some(Vendor::Autotask), what, raw)
}
