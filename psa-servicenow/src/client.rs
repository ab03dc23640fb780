//! The ServiceNow client: a cheap `Clone` (an `Arc` inside) built with a
//! [`ClientBuilder`] that validates everything in `build()`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use psa_core::http::{
    ApiResponse, HttpClient, HttpConfig, RateLimiter, RetryPolicy, TokenStore, validate_base_url,
};
use psa_core::{Error, Result, Vendor};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use crate::auth::Auth;
use crate::ids::TaskTable;
use crate::mapping::{ChoiceLabels, ResolutionRule, is_custom_field};
use crate::models::SysChoice;
use crate::query::{Query, Term};
use crate::resources::table::Table;
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

/// A request the client sends, built without IO (so that a test can assert
/// method, path, query and body).
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Request {
    /// Method.
    pub method: Method,
    /// Path on the instance (`/api/now/table/incident`).
    pub path: String,
    /// Query pairs.
    pub query: Vec<(String, String)>,
    /// JSON body.
    pub body: Option<Value>,
    /// Whether it may be retried automatically.
    pub idempotent: bool,
}

impl Request {
    /// A request without query or body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            idempotent: false,
        }
    }

    /// Sets the query pairs.
    pub fn query(mut self, q: Vec<(String, String)>) -> Self {
        self.query = q;
        self
    }

    /// Sets the JSON body.
    pub fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Marks the request (not) safe to retry.
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }

    /// The value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A successful response (from [`psa_core::http::ApiResponse`]).
///
/// Its headers are the instance's minus every credential-bearing one
/// (`Set-Cookie: glide_session_store=…` included); `Debug` shows the body's
/// size, not its content.
#[derive(Clone)]
pub struct Response {
    /// Status.
    pub status: StatusCode,
    /// Headers, credential-bearing ones removed.
    pub headers: HeaderMap,
    body: Bytes,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status.as_u16())
            .field("headers", &self.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

impl Response {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Response {
            status,
            headers,
            body,
        }
    }

    pub(crate) fn from_api(r: ApiResponse) -> Self {
        let mut headers = HeaderMap::with_capacity(r.headers.len());
        for (name, value) in &r.headers {
            if !value.is_sensitive() && !psa_core::error::is_sensitive_header(name.as_str()) {
                headers.append(name.clone(), value.clone());
            }
        }
        Response::new(r.status, headers, r.body)
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// A header's value, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Decodes the `result` of a Table API answer (`{"result": …}`); a
    /// malformed body is a `Decode` error naming the field path
    /// (`result[3].opened_by`).
    pub fn result<T: DeserializeOwned>(&self, what: &str) -> Result<T> {
        #[derive(serde::Deserialize)]
        struct Envelope<T> {
            result: T,
        }
        psa_core::error::decode_slice::<Envelope<T>>(
            Some(Vendor::ServiceNow),
            &format!("ServiceNow {what}"),
            &self.body,
        )
        .map(|e| e.result)
    }
}

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
    pub(crate) webhook: Option<WebhookVerifier>,
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
type ChoiceEntries = HashMap<(String, String), (Instant, Arc<Vec<SysChoice>>)>;

#[derive(Default)]
pub(crate) struct ChoiceCache {
    entries: tokio::sync::Mutex<ChoiceEntries>,
}

pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) http: HttpClient,
    pub(crate) auth_kind: &'static str,
    pub(crate) choices: ChoiceCache,
}

/// A ServiceNow client. Cheap to clone; `Send + Sync`.
///
/// It implements [`psa_core::Psa`] and gives the Table API, generic over
/// tables, through [`Client::table`].
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("servicenow::Client")
            .field("base", &self.inner.config.base.as_str())
            .field("auth", &self.inner.auth_kind)
            .field("default_table", &self.inner.config.default_table)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder for an instance URL (`https://acme.service-now.com`).
    pub fn builder(base_url: impl AsRef<str>) -> ClientBuilder {
        ClientBuilder::new(base_url.as_ref())
    }

    /// A handle on a table: `client.table("incident").list()…`.
    pub fn table(&self, name: impl Into<String>) -> Table {
        Table::new(self.clone(), name.into())
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
    /// timeouts, redaction, tracing), for requests this crate does not model.
    /// Its base URL is the instance URL.
    pub fn http(&self) -> &HttpClient {
        &self.inner.http
    }

    /// Sends a request through the shared HTTP machinery: timeouts, retries
    /// of idempotent requests only (an unknown outcome of any other is an
    /// `AmbiguousWrite` error), the instance's rate-limit rules, the token
    /// cache, redaction. A request is checked before anything is sent.
    pub async fn send(&self, req: Request) -> Result<Response> {
        let api = crate::http_client::api_request(req)?;
        self.inner.http.send(api).await.map(Response::from_api)
    }

    /// The choice labels of `elements` of `table` (with the `task` table's
    /// choices where the table defines none), from the cache or one
    /// `sys_choice` request.
    pub(crate) async fn choice_labels(
        &self,
        table: &str,
        elements: &[&str],
    ) -> Result<ChoiceLabels> {
        let cfg = &self.inner.config;
        let mut entries = self.inner.choices.entries.lock().await;
        let now = Instant::now();
        let missing: Vec<&str> = elements
            .iter()
            .copied()
            .filter(|e| {
                entries
                    .get(&(table.to_owned(), (*e).to_owned()))
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
                entries.insert(
                    (table.to_owned(), (*element).to_owned()),
                    (now, Arc::new(list)),
                );
            }
        }
        let mut labels = ChoiceLabels::new();
        for e in elements {
            if let Some((_, list)) = entries.get(&(table.to_owned(), (*e).to_owned())) {
                labels.insert_shared(table, e, Arc::clone(list));
            }
        }
        Ok(labels)
    }
}

/// Builds a [`Client`]; `build()` validates.
#[must_use]
pub struct ClientBuilder {
    base: String,
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
    webhook_secret: Option<SecretString>,
    webhook_header: Option<http::HeaderName>,
    http_config: HttpConfig,
    retry: Option<(u32, Duration)>,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    token_store: Option<Arc<dyn TokenStore>>,
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
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    fn new(base: &str) -> Self {
        ClientBuilder {
            base: base.to_owned(),
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
            webhook_secret: None,
            webhook_header: None,
            http_config: HttpConfig::default(),
            retry: None,
            rate_limiter: None,
            token_store: None,
        }
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
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http_config = config;
        self
    }

    /// Automatic retries, a shorthand over [`http_config`](Self::http_config)'s
    /// retry policy: at most `max` retries (on 429, 502, 503, 504, connection
    /// failures and attempt timeouts), waiting what `Retry-After` says but
    /// never longer than `max_wait` — which is also the longest the client
    /// waits for an instance's rate-limit window (see [`crate::limits`]).
    /// Default: 3 retries, 60 s.
    ///
    /// Only idempotent requests are retried, plus any request the instance
    /// refused with 429 (refused unprocessed). Creates and journal writes
    /// (notes) are never re-sent: an unknown outcome is an `AmbiguousWrite`
    /// error.
    pub fn retry(mut self, max: u32, max_wait: Duration) -> Self {
        self.retry = Some((max, max_wait));
        self
    }

    /// The client-side rate limiter (default: a [`RuleLimiter`](crate::limits::RuleLimiter)
    /// of its own, which learns the instance's rate-limit rules). Give
    /// several clients of one integration user one limiter to share what
    /// they learn.
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// Where OAuth tokens are kept (default: in memory, per client). A
    /// shared store lets replicas share one token.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// Validates and builds the client.
    pub fn build(self) -> Result<Client> {
        let base = validate_instance_url(&self.base)?;
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
        let mut http_config = self.http_config;
        if let Some((max, max_wait)) = self.retry {
            let policy: RetryPolicy = http_config
                .retry()
                .clone()
                .with_max_attempts(max.saturating_add(1))
                .with_max_retry_after(max_wait);
            http_config = http_config.with_retry(policy);
        }
        let limiter = self.rate_limiter.unwrap_or_else(|| {
            Arc::new(crate::limits::RuleLimiter::new(
                http_config.retry().max_retry_after(),
            ))
        });
        let auth_kind = auth.kind();
        let http = crate::http_client::build(crate::http_client::Settings {
            base: base.clone(),
            auth,
            config: http_config,
            limiter,
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
                    webhook,
                },
                http,
                auth_kind,
                choices: ChoiceCache::default(),
            }),
        })
    }
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
