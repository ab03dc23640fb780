//! The ServiceNow client: a cheap `Clone` (an `Arc` inside) built with a
//! [`ClientBuilder`] that validates everything in `build()`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use psa_core::http::{
    HttpClient, HttpConfig, RateLimiter, RetryBudget, TokenStore, shared_limiter, validate_base_url,
};
use psa_core::phone::CountryCode;
use psa_core::{Error, Result, Vendor};
use secrecy::SecretString;
use url::Url;

use crate::auth::Auth;
use crate::ids::TaskTable;
use crate::limits::RuleLimiter;
use crate::mapping::{ChoiceLabels, ResolutionRule, is_custom_field};
use crate::models::SysChoice;
use crate::query::{Query, Term};
use crate::webhook::WebhookVerifier;

/// The page the client asks for by default. ServiceNow's own default is
/// [`MAX_PAGE_SIZE`] (10 000); pages that large risk transaction timeouts on
/// busy instances and psa-core's response-size limit (32 MiB by default).
pub const DEFAULT_PAGE_SIZE: u64 = 1000;

/// The largest page the client may be set to ask for: ServiceNow's own
/// default `sysparm_limit`.
pub const MAX_PAGE_SIZE: u64 = 10_000;

/// How long `sys_choice` labels are cached by default.
pub const DEFAULT_CHOICE_TTL: Duration = Duration::from_secs(3600);

/// Everything the builder configures.
#[derive(Clone)]
pub(crate) struct Config {
    pub(crate) base: Url,
    pub(crate) default_table: TaskTable,
    pub(crate) tables: Vec<TaskTable>,
    pub(crate) page_size: u64,
    pub(crate) custom_fields: Vec<String>,
    pub(crate) resolution: HashMap<TaskTable, ResolutionRule>,
    pub(crate) choice_language: String,
    pub(crate) choice_ttl: Duration,
    pub(crate) agent_role: String,
    pub(crate) kb_text_index: bool,
    pub(crate) batch_reads: bool,
    pub(crate) webhook: Option<WebhookVerifier>,
    pub(crate) phone_country: Option<CountryCode>,
}

impl Config {
    pub(crate) fn resolution_rule(&self, table: TaskTable) -> ResolutionRule {
        self.resolution
            .get(&table)
            .cloned()
            .unwrap_or_else(|| ResolutionRule::baseline(table))
    }
}

/// The `sys_choice` cache: labels per (table, element), loaded on first
/// use, one request per table, refreshed after the TTL.
/// table → element → (when read, its choices); looked up by `&str`.
type ChoiceEntries = HashMap<String, HashMap<String, (Instant, Arc<Vec<SysChoice>>)>>;

#[derive(Default)]
pub(crate) struct ChoiceCache {
    entries: tokio::sync::Mutex<ChoiceEntries>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) http: HttpClient,
    pub(crate) auth_kind: &'static str,
    pub(crate) choices: ChoiceCache,
    pub(crate) agents: AgentLogins,
    /// Set when the instance refused the Batch API (not found, not
    /// allowed): reads that would batch send their requests one by one.
    pub(crate) batch_refused: std::sync::atomic::AtomicBool,
    /// The fields a ticket read asks for on each of [`TaskTable::ALL`],
    /// checked and joined on the first read of the table.
    pub(crate) ticket_fields: [std::sync::OnceLock<crate::query::FieldList>; TaskTable::ALL.len()],
    /// The fields a `task_sla` read asks for, checked and joined once.
    pub(crate) sla_fields: std::sync::OnceLock<crate::query::FieldList>,
    /// The choice labels a ticket read of each of [`TaskTable::ALL`] maps
    /// with, assembled from [`choices`](Self::choices), and when the oldest
    /// of them was read (they expire with it).
    pub(crate) ticket_labels: [std::sync::Mutex<Option<DatedLabels>>; TaskTable::ALL.len()],
}

/// Choice labels assembled from the cache, and when the oldest list in them
/// was read from `sys_choice`.
pub(crate) type DatedLabels = (Instant, Arc<ChoiceLabels>);

/// The credentials of one agent, for [`Psa::act_as`](psa_core::Psa::act_as):
/// the agent's ServiceNow login. With OAuth client credentials (or the
/// password grant) the client gets the agent's tokens with the OAuth
/// password grant of the same OAuth client; with Basic it sends the
/// agent's Basic credentials. `Debug` never shows the password.
#[derive(Clone)]
pub struct AgentLogin {
    username: String,
    password: SecretString,
}

impl AgentLogin {
    /// The agent's login name (`user_name`) and password.
    pub fn new(username: impl Into<String>, password: SecretString) -> Self {
        AgentLogin {
            username: username.into(),
            password,
        }
    }

    /// The login name.
    pub fn username(&self) -> &str {
        &self.username
    }
}

impl fmt::Debug for AgentLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgentLogin")
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// Looks up an agent's login by the agent's `sys_user` sys_id (a vault, a
/// secrets manager …); `None` when the agent has none.
pub type AgentLoginProvider = Arc<dyn Fn(&str) -> Option<AgentLogin> + Send + Sync>;

/// What `act_as` needs: the logins, how to make an agent's HTTP client,
/// and the clients made so far (one per agent, so that its token is
/// cached and renewed single-flight).
pub(crate) struct AgentLogins {
    fixed: HashMap<String, AgentLogin>,
    provider: Option<AgentLoginProvider>,
    /// The OAuth client the agents' password grants use (`None`: Basic).
    oauth_client: Option<(String, SecretString)>,
    token_store: Option<Arc<dyn TokenStore>>,
    clients: std::sync::Mutex<HashMap<String, HttpClient>>,
}

impl AgentLogins {
    fn configured(&self) -> bool {
        !self.fixed.is_empty() || self.provider.is_some()
    }
}

/// The agent a view made by `act_as` writes as, and its HTTP client.
pub(crate) struct Acting {
    pub(crate) agent: psa_core::Id,
    pub(crate) http: HttpClient,
}

/// A ServiceNow client. Cheap to clone; `Send + Sync`.
///
/// It implements [`psa_core::Psa`] and gives the Table API, generic over
/// tables, through [`Client::table`].
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    pub(crate) acting: Option<Arc<Acting>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("servicenow::Client")
            .field("base", &self.inner.config.base.as_str())
            .field("auth", &self.inner.auth_kind)
            .field("default_table", &self.inner.config.default_table)
            .field("acting_as", &self.acting.as_ref().map(|a| &a.agent))
            .finish_non_exhaustive()
    }
}

/// Why `act_as` cannot attribute writes to an agent.
pub(crate) const ACT_AS_NO_LOGIN: &str = "ServiceNow attributes a write to the user who authenticated it (sys_updated_by, journal sys_created_by); this client has no credentials for that agent (ClientBuilder::agent_login or agent_login_provider)";

impl Client {
    /// Whether `act_as` has any agent credentials to use.
    pub(crate) fn act_as_configured(&self) -> bool {
        self.inner.agents.configured()
    }

    /// The HTTP client of a view: the agent's for writes when acting as
    /// one, the client's own otherwise (reads always).
    pub(crate) fn http_for(&self, method: &http::Method) -> &HttpClient {
        match &self.acting {
            Some(a) if method != http::Method::GET && method != http::Method::HEAD => &a.http,
            _ => &self.inner.http,
        }
    }

    /// A view of this client whose writes authenticate as the agent
    /// `agent` (a `sys_user` sys_id, bare or `sys_user:<sys_id>`), with the
    /// agent's login: the same connection pool, rate limiter, retry budget
    /// and timeouts; the agent's token is cached (one HTTP client per
    /// agent, renewing single-flight). `Unsupported` when no login is
    /// configured for the agent.
    pub fn acting_as_agent(&self, agent: &psa_core::Id) -> Result<Client> {
        let sys = crate::ids::sys_id_of(agent, &["sys_user"], "agent id")?;
        let sys = sys.as_str().to_owned();
        let agents = &self.inner.agents;
        let login = agents
            .fixed
            .get(&sys)
            .cloned()
            .or_else(|| agents.provider.as_ref().and_then(|p| p(&sys)))
            .ok_or_else(|| {
                Error::unsupported(
                    Vendor::ServiceNow,
                    format!("acting as sys_user:{sys}: {ACT_AS_NO_LOGIN}"),
                )
            })?;
        let http = {
            let mut clients = agents
                .clients
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(h) = clients.get(&sys) {
                h.clone()
            } else {
                let h = self.agent_http(&login)?;
                clients.insert(sys.clone(), h.clone());
                h
            }
        };
        Ok(Client {
            inner: Arc::clone(&self.inner),
            acting: Some(Arc::new(Acting {
                agent: crate::ids::record_id("sys_user", &sys)?,
                http,
            })),
        })
    }

    /// An HTTP client authenticating as `login`, sharing this client's pool,
    /// limiter, retry budget and settings.
    fn agent_http(&self, login: &AgentLogin) -> Result<HttpClient> {
        let own = &self.inner.http;
        let auth = match &self.inner.agents.oauth_client {
            Some((id, secret)) => Auth::password(
                id.clone(),
                secret.clone(),
                login.username.clone(),
                login.password.clone(),
            ),
            None => Auth::basic(login.username.clone(), login.password.clone()),
        };
        let core = auth.into_core(
            &self.inner.config.base,
            own.config(),
            own.reqwest_client(),
            self.inner.agents.token_store.as_ref(),
        )?;
        HttpClient::builder(Vendor::ServiceNow, self.inner.config.base.as_str())
            .config(own.config().clone())
            .reqwest_client(own.reqwest_client().clone())
            .auth(core)
            .rate_limiter(Arc::clone(own.rate_limiter()))
            .retry_budget(own.retry_budget().clone())
            .error_parser(crate::error::error_parser())
            .build()
    }

    /// A builder; [`ClientBuilder::base_url`] (the instance URL,
    /// `https://acme.service-now.com`) and [`ClientBuilder::auth`] are
    /// required.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The instance URL.
    pub fn base(&self) -> &Url {
        &self.inner.config.base
    }

    /// Records per page of a list.
    pub fn page_size(&self) -> u64 {
        self.inner.config.page_size
    }

    /// The table a bare ticket `sys_id` belongs to.
    pub fn default_table(&self) -> TaskTable {
        self.inner.config.default_table
    }

    pub(crate) fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The underlying [`HttpClient`] (credentials, rate limits, retries,
    /// timeouts, redaction, tracing): its configuration and its limiter.
    /// Its base URL is the instance URL. To send a request this crate does
    /// not model, use [`Client::send`], which also removes the
    /// credential-bearing headers from the answer.
    pub fn http(&self) -> &HttpClient {
        &self.inner.http
    }

    /// The choice labels of `elements` of `table` (with the `task` table's
    /// choices where the table defines none), from the cache or one
    /// `sys_choice` request.
    pub(crate) async fn choice_labels(
        &self,
        table: &str,
        elements: &[&str],
    ) -> Result<ChoiceLabels> {
        Ok(self.choice_labels_dated(table, elements).await?.1)
    }

    /// [`choice_labels`](Self::choice_labels), and when the oldest list in
    /// them was read (the labels are current until it expires).
    pub(crate) async fn choice_labels_dated(
        &self,
        table: &str,
        elements: &[&str],
    ) -> Result<(Instant, ChoiceLabels)> {
        let cfg = &self.inner.config;
        let mut entries = self.inner.choices.entries.lock().await;
        let now = Instant::now();
        let missing: Vec<&str> = elements
            .iter()
            .copied()
            .filter(|e| {
                entries
                    .get(table)
                    .and_then(|of_table| of_table.get(*e))
                    .is_none_or(|(at, _)| now.duration_since(*at) > cfg.choice_ttl)
            })
            .collect();
        if !missing.is_empty() {
            let mut owners = vec![table.to_owned()];
            if TaskTable::from_name(table).is_some() {
                owners.push("task".to_owned());
            }
            let query = Query::new()
                .and(Term::is_in("name", owners.iter().map(String::as_str)))
                .and(Term::is_in("element", missing.iter().copied()))
                .and(Term::eq("inactive", "false"))
                .and(Term::eq("language", cfg.choice_language.as_str()))
                .order_by("sequence")
                .order_by("sys_id");
            let choices: Vec<SysChoice> = futures::TryStreamExt::try_collect(
                self.table("sys_choice")
                    .list()
                    .query(query)
                    .fields(["name", "element", "value", "label", "inactive", "sequence"])
                    .stream_as::<SysChoice>(),
            )
            .await?;
            for element in &missing {
                let of = |owner: &str| -> Vec<SysChoice> {
                    choices
                        .iter()
                        .filter(|c| {
                            c.element.as_ref().map(crate::models::Field::value) == Some(*element)
                                && c.name.as_ref().map(crate::models::Field::value) == Some(owner)
                        })
                        .cloned()
                        .collect()
                };
                let own = of(table);
                let list = if own.is_empty() { of("task") } else { own };
                entries
                    .entry(table.to_owned())
                    .or_default()
                    .insert((*element).to_owned(), (now, Arc::new(list)));
            }
        }
        let mut labels = ChoiceLabels::new();
        let mut oldest = now;
        if let Some(of_table) = entries.get(table) {
            for e in elements {
                if let Some((at, list)) = of_table.get(*e) {
                    oldest = oldest.min(*at);
                    labels.insert_shared(table, e, Arc::clone(list));
                }
            }
        }
        Ok((oldest, labels))
    }
}

/// Builds a [`Client`]; `build()` validates, and is the only place a
/// configuration error comes from.
#[must_use]
pub struct ClientBuilder {
    base: Option<String>,
    auth: Option<Auth>,
    default_table: TaskTable,
    tables: Vec<TaskTable>,
    page_size: u64,
    custom_fields: Vec<String>,
    resolution: HashMap<TaskTable, ResolutionRule>,
    choice_language: String,
    choice_ttl: Duration,
    agent_role: String,
    kb_text_index: bool,
    batch_reads: bool,
    webhook_secret: Option<SecretString>,
    webhook_header: Option<http::HeaderName>,
    http_config: HttpConfig,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    retry_budget: Option<RetryBudget>,
    phone_country: Option<CountryCode>,
    token_store: Option<Arc<dyn TokenStore>>,
    agent_logins: HashMap<String, AgentLogin>,
    agent_login_provider: Option<AgentLoginProvider>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("servicenow::ClientBuilder")
            .field("base", &self.base)
            .field("auth", &self.auth)
            .field("default_table", &self.default_table)
            .field("page_size", &self.page_size)
            .field(
                "webhook_secret",
                &self.webhook_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("http_config", &self.http_config)
            .field("rate_limiter", &self.rate_limiter)
            .field("phone_country", &self.phone_country)
            .field("agent_logins", &self.agent_logins)
            .field("agent_login_provider", &self.agent_login_provider.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base: None,
            auth: None,
            default_table: TaskTable::Incident,
            tables: TaskTable::ALL.to_vec(),
            page_size: DEFAULT_PAGE_SIZE,
            custom_fields: Vec::new(),
            resolution: HashMap::new(),
            choice_language: "en".to_owned(),
            choice_ttl: DEFAULT_CHOICE_TTL,
            agent_role: "itil".to_owned(),
            kb_text_index: true,
            batch_reads: true,
            webhook_secret: None,
            webhook_header: None,
            http_config: HttpConfig::default(),
            rate_limiter: None,
            retry_budget: None,
            phone_country: None,
            token_store: None,
            agent_logins: HashMap::new(),
            agent_login_provider: None,
        }
    }
}

impl ClientBuilder {
    /// The instance URL (required): `https://acme.service-now.com` (https;
    /// plain http only on loopback; no credentials, query or fragment).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base = Some(url.into());
        self
    }

    /// The credentials (required).
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = Some(auth);
        self
    }

    /// The table a bare ticket `sys_id` (and a `NewTicket` without a ticket
    /// type) goes to. Default: `incident`.
    pub fn default_table(mut self, table: TaskTable) -> Self {
        self.default_table = table;
        self
    }

    /// The task tables the uniform surface lists as ticket types. Default: all six.
    pub fn tables(mut self, tables: impl IntoIterator<Item = TaskTable>) -> Self {
        self.tables = tables.into_iter().collect();
        self
    }

    /// Records per page (`sysparm_limit`), 1 to [`MAX_PAGE_SIZE`]. Default
    /// [`DEFAULT_PAGE_SIZE`] (1000).
    pub fn page_size(mut self, n: u64) -> Self {
        self.page_size = n;
        self
    }

    /// Custom columns (`u_…`, `x_…`) to read with tickets, companies,
    /// contacts, configurations and time entries: reads ask only for the
    /// fields they map, so list the custom ones here.
    pub fn custom_fields<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.custom_fields = names.into_iter().map(Into::into).collect();
        self
    }

    /// What a resolution note does on a table (see
    /// [`ResolutionRule::baseline`]).
    pub fn resolution_rule(mut self, table: TaskTable, rule: ResolutionRule) -> Self {
        self.resolution.insert(table, rule);
        self
    }

    /// The language of `sys_choice` labels. Default `en`.
    pub fn choice_language(mut self, lang: impl Into<String>) -> Self {
        self.choice_language = lang.into();
        self
    }

    /// How long `sys_choice` labels are cached. Default one hour.
    pub fn choice_cache_ttl(mut self, ttl: Duration) -> Self {
        self.choice_ttl = ttl;
        self
    }

    /// The role that makes a user an agent (`list_agents`). Default `itil`.
    pub fn agent_role(mut self, role: impl Into<String>) -> Self {
        self.agent_role = role.into();
        self
    }

    /// Whether KB searches use the text index (`123TEXTQUERY321`, default)
    /// or `LIKE` on title and body.
    pub fn kb_text_index(mut self, yes: bool) -> Self {
        self.kb_text_index = yes;
        self
    }

    /// Whether a ticket read sends the ticket's request and its `task_sla`
    /// request in one [`Batch`](crate::resources::Batch) (`POST
    /// /api/now/v1/batch`, default) or one after the other. With the batch a
    /// [`Psa::get_ticket`](psa_core::Psa::get_ticket) with its SLA timers is
    /// one HTTP request. An instance that refuses the Batch API (400, 403,
    /// 404 or 405 on the batch itself) is remembered, and its reads go one
    /// by one from then on.
    pub fn batch_reads(mut self, yes: bool) -> Self {
        self.batch_reads = yes;
        self
    }

    /// The shared secret webhook deliveries carry (see
    /// [`crate::webhook`]).
    pub fn webhook_secret(mut self, secret: SecretString) -> Self {
        self.webhook_secret = Some(secret);
        self
    }

    /// The header webhook deliveries carry the secret in (default
    /// `X-Psa-Webhook-Secret`).
    pub fn webhook_header(mut self, header: http::HeaderName) -> Self {
        self.webhook_header = Some(header);
        self
    }

    /// Timeouts (connect 10 s, 30 s per attempt, 120 s per call by
    /// default), the retry policy, the user agent and the response size
    /// limit: psa-core's [`HttpConfig`].
    ///
    /// Retries (3 by default) are of idempotent requests only, plus any
    /// request the instance refused with 429 (refused unprocessed), waiting
    /// what `Retry-After` says but never longer than the policy's
    /// `max_retry_after` (60 s by default) — which is also the longest the
    /// client waits for an instance's rate-limit window (see
    /// [`crate::limits`]). Creates and journal writes (notes) are never
    /// re-sent: an unknown outcome is an `AmbiguousWrite` error.
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http_config = config;
        self
    }

    /// The client-side rate limiter. Default: a [`RuleLimiter`], which
    /// learns the instance's rate-limit rules from its answers, shared by
    /// every client of the same instance and user in the process (with the
    /// same longest wait, the retry policy's `max_retry_after`): they draw
    /// on one count, as the instance counts them. Replace it with one shared
    /// by replicas (a Redis-backed limiter), or give a client a limiter of
    /// its own.
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// The retry budget (psa-core's [`RetryBudget`]): pass clones of one
    /// budget to every client of a tenant so that together they retry at
    /// most so much. Default: a budget of this client's own.
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = Some(budget);
        self
    }

    /// The tenant's country, for phone numbers stored without a country
    /// code (a caller lookup compares `+61 2 9999 0000` with `(02) 9999
    /// 0000` in it). Default: a national number is read in the country of
    /// the international number it is compared with.
    pub fn phone_country(mut self, country: CountryCode) -> Self {
        self.phone_country = Some(country);
        self
    }

    /// Where OAuth tokens are kept (default: in memory, per client). A
    /// shared store lets replicas share one token.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// The login of the agent whose `sys_user` sys_id is `agent`, for
    /// [`Psa::act_as`](psa_core::Psa::act_as): writes made through
    /// `act_as(agent)` authenticate as that user (OAuth password grant with
    /// the client's OAuth client, or Basic when the client uses Basic), so
    /// ServiceNow records the agent in `sys_updated_by` and as the journal
    /// author. Repeat for each agent.
    pub fn agent_login(mut self, agent: impl Into<String>, login: AgentLogin) -> Self {
        let agent = agent.into();
        let agent = agent
            .strip_prefix("sys_user:")
            .map(str::to_owned)
            .unwrap_or(agent);
        self.agent_logins.insert(agent, login);
        self
    }

    /// Where logins of agents without an [`agent_login`](Self::agent_login)
    /// come from: called with the agent's sys_id the first time the client
    /// acts as that agent (the HTTP client made with it is kept).
    pub fn agent_login_provider<F>(mut self, provider: F) -> Self
    where
        F: Fn(&str) -> Option<AgentLogin> + Send + Sync + 'static,
    {
        self.agent_login_provider = Some(Arc::new(provider));
        self
    }

    /// Validates and builds the client.
    pub fn build(self) -> Result<Client> {
        let raw_base = self.base.ok_or_else(|| {
            Error::config("ServiceNow client needs the instance URL (ClientBuilder::base_url)")
                .with_vendor(Vendor::ServiceNow)
        })?;
        let base = validate_instance_url(&raw_base)?;
        let auth = self.auth.ok_or_else(|| {
            Error::config("ServiceNow client needs credentials (ClientBuilder::auth)")
        })?;
        if !(1..=MAX_PAGE_SIZE).contains(&self.page_size) {
            return Err(Error::config(format!(
                "page size {} is outside 1..={MAX_PAGE_SIZE}",
                self.page_size
            )));
        }
        if self.tables.is_empty() || !self.tables.contains(&self.default_table) {
            return Err(Error::config(
                "the default table must be one of the enabled task tables",
            ));
        }
        for f in &self.custom_fields {
            if !is_custom_field(f) {
                return Err(Error::config(format!(
                    "custom field {f:?} is not a custom column name (`u_…` or `x_…`)"
                )));
            }
        }
        for (what, v) in [
            ("choice language", &self.choice_language),
            ("agent role", &self.agent_role),
        ] {
            Query::new()
                .and(Term::eq("x", v.as_str()))
                .encode()
                .map_err(|_| Error::config(format!("{what} {v:?} cannot be used in a query")))?;
        }
        let webhook = self.webhook_secret.map(|s| {
            let v = WebhookVerifier::new(s);
            match self.webhook_header {
                Some(h) => v.header(h),
                None => v,
            }
        });
        let http_config = self.http_config;
        let limiter = self.rate_limiter.unwrap_or_else(|| {
            let max_wait = http_config.retry().max_retry_after();
            let key = format!(
                "servicenow {} {} max_wait={}ms",
                base.origin().ascii_serialization(),
                auth.principal(),
                max_wait.as_millis()
            );
            shared_limiter(&key, || RuleLimiter::new(max_wait))
        });
        let auth_kind = auth.kind();
        let agents = agent_logins(
            &auth,
            self.agent_logins,
            self.agent_login_provider,
            self.token_store.clone(),
        )?;
        let http = crate::transport::build(crate::transport::Settings {
            base: base.clone(),
            auth,
            config: http_config,
            limiter,
            retry_budget: self.retry_budget,
            token_store: self.token_store,
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                config: Config {
                    base,
                    default_table: self.default_table,
                    tables: self.tables,
                    page_size: self.page_size,
                    custom_fields: self.custom_fields,
                    resolution: self.resolution,
                    choice_language: self.choice_language,
                    choice_ttl: self.choice_ttl,
                    agent_role: self.agent_role,
                    kb_text_index: self.kb_text_index,
                    batch_reads: self.batch_reads,
                    webhook,
                    phone_country: self.phone_country,
                },
                http,
                auth_kind,
                choices: ChoiceCache::default(),
                agents,
                batch_refused: std::sync::atomic::AtomicBool::new(false),
                ticket_fields: Default::default(),
                sla_fields: std::sync::OnceLock::new(),
                ticket_labels: Default::default(),
            }),
            acting: None,
        })
    }
}

/// The agent logins `act_as` uses, checked; the agents' password grants
/// use the client's OAuth client (Basic without one).
fn agent_logins(
    auth: &Auth,
    fixed: HashMap<String, AgentLogin>,
    provider: Option<AgentLoginProvider>,
    token_store: Option<Arc<dyn TokenStore>>,
) -> Result<AgentLogins> {
    for agent in fixed.keys() {
        if !crate::ids::SysId::is_valid(agent) {
            return Err(Error::config(format!(
                "agent login for {agent:?}: not a sys_id (32 hexadecimal digits)"
            )));
        }
    }
    let oauth_client = match auth {
        Auth::ClientCredentials {
            client_id,
            client_secret,
        }
        | Auth::Password {
            client_id,
            client_secret,
            ..
        } => Some((client_id.clone(), client_secret.clone())),
        Auth::Basic { .. } => None,
    };
    Ok(AgentLogins {
        fixed,
        provider,
        oauth_client,
        token_store,
        clients: std::sync::Mutex::new(HashMap::new()),
    })
}

/// Checks an instance URL with psa-core's rules (https, plain http only on
/// loopback, no credentials, no query or fragment); the result ends with `/`.
fn validate_instance_url(raw: &str) -> Result<Url> {
    validate_base_url(raw).map_err(|e| {
        Error::config(
            e.message()
                .replacen("base URL", "ServiceNow instance URL", 1),
        )
        .with_vendor(Vendor::ServiceNow)
    })
}
