//! [`Client`] and [`ClientBuilder`].
//!
//! Every request goes through [`psa_core::http::HttpClient`]: the
//! client-credentials token (cached, renewed early and single-flight, a 401
//! renews once and replays once), the rate limit, timeouts, retries of
//! idempotent requests only, redaction and tracing. This module only says
//! what is Halo's: the URLs, the token request's `tenant`, the default
//! limit and how Halo's error bodies read.

use psa_core::http::{
    ApiResponse, Classifier, ErrorParser, HttpClient, HttpConfig, OAuthClientCredentials,
    RateLimiter, SlidingWindowLimiter, TokenAuth, TokenStore, Unlimited, validate_base_url,
};
use psa_core::{Error, ErrorKind, Result, Vendor};
use secrecy::SecretString;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};
use std::time::Duration;
use url::Url;

use crate::resources::{
    Actions, Agents, Appointments, Assets, Clients, Contracts, KbArticles, Lookups, Priorities,
    Projects, Sites, Slas, Statuses, Teams, TicketTypes, Tickets, TimesheetEvents, Users, Webhooks,
};
use crate::settings::{Outcomes, Settings};
use crate::webhook::WebhookAuth;

/// The scope asked for when none is configured.
pub const DEFAULT_SCOPE: &str = "all";

/// How the client keeps to Halo's rate limit.
///
/// Halo-hosted tenants allow 300 requests per rolling 5 minutes and answer
/// more with `429 Rate Limit Reached - 300 Requests per rolling 5 minute
/// window` (no `Retry-After`). The client counts request starts in an exact
/// sliding window ([`SlidingWindowLimiter`]) widened by a small safety
/// margin (a fiftieth of the window, at least 100 ms and at most 5 s: the
/// time between taking a slot and the request reaching Halo — a first
/// token request, a TLS handshake). Callers beyond the budget wait their
/// turn, first come first served, up to the call's deadline.
///
/// Clients of the same resource server in one process share one budget
/// (the limit is the tenant's, not the client's). Replicas in several
/// processes share a tenant's budget through [`RateLimit::Shared`] with a
/// limiter backed by a shared store.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum RateLimit {
    /// Hosted Halo's limit: 300 requests per rolling 5 minutes (the default).
    #[default]
    Hosted,
    /// A rolling window of `max` requests per `window` (an on-premises
    /// instance with its own limit; tests).
    Window {
        /// Requests allowed in any window.
        max: u32,
        /// The window.
        window: Duration,
    },
    /// This limiter, as given (shared by several clients, or backed by a
    /// store that several replicas share).
    Shared(Arc<dyn RateLimiter>),
    /// No client-side limit (on-prem instances without one; tests). Halo's
    /// 429s are still retried like any refused request.
    Disabled,
}

impl fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateLimit::Hosted => f.write_str("Hosted(300 per 5 min)"),
            RateLimit::Window { max, window } => write!(f, "Window({max} per {window:?})"),
            RateLimit::Shared(l) => f.debug_tuple("Shared").field(l).finish(),
            RateLimit::Disabled => f.write_str("Disabled"),
        }
    }
}

impl RateLimit {
    /// Hosted Halo's budget.
    pub const HOSTED_MAX: u32 = 300;
    /// Hosted Halo's window.
    pub const HOSTED_WINDOW: Duration = Duration::from_secs(300);

    /// The safety margin added to a window of this length.
    pub fn margin(window: Duration) -> Duration {
        (window / 50).clamp(
            Duration::from_millis(100).min(window),
            Duration::from_secs(5),
        )
    }

    /// The limiter for the resource server `api`.
    fn limiter(&self, api: &Url) -> Arc<dyn RateLimiter> {
        match self {
            RateLimit::Hosted => shared_window(api, Self::HOSTED_MAX, Self::HOSTED_WINDOW),
            RateLimit::Window { max, window } => shared_window(api, *max, *window),
            RateLimit::Shared(l) => Arc::clone(l),
            RateLimit::Disabled => Arc::new(Unlimited),
        }
    }
}

/// The sliding-window limiter of one resource server in this process:
/// every client of the same tenant (and the same limit) shares it. Entries
/// whose clients are all gone are dropped.
fn shared_window(api: &Url, max: u32, window: Duration) -> Arc<dyn RateLimiter> {
    type Registry = Mutex<HashMap<(String, u32, Duration), Weak<SlidingWindowLimiter>>>;
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    let mut registry = REGISTRY
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let key = (api.as_str().to_ascii_lowercase(), max, window);
    if let Some(live) = registry.get(&key).and_then(Weak::upgrade) {
        return live;
    }
    registry.retain(|_, w| w.strong_count() > 0);
    let limiter =
        Arc::new(SlidingWindowLimiter::new(max, window).with_margin(RateLimit::margin(window)));
    registry.insert(key, Arc::downgrade(&limiter));
    limiter
}

/// Halo's error bodies, for the HTTP client's error-parser hook (see
/// [`parse_error_body`](crate::parse_error_body)).
pub fn error_parser() -> ErrorParser {
    Arc::new(|_status, _headers, body| crate::error::parse_error_body(body))
}

/// Halo's rate-limit text is a rate limit whatever status carries it (a
/// proxy in front of an on-premises instance may turn the 429 into
/// something else).
fn classifier() -> Classifier {
    Arc::new(|status, _headers, body| {
        if status.is_success() || status.as_u16() == 429 {
            return None;
        }
        let head = &body[..body.len().min(64)];
        let text = String::from_utf8_lossy(head);
        text.trim_start()
            .to_ascii_lowercase()
            .starts_with("rate limit reached")
            .then_some(ErrorKind::RateLimited)
    })
}

/// Builds a [`Client`]; [`build`](ClientBuilder::build) validates it.
///
/// ```
/// use psa_halo::{Client, RateLimit};
/// use secrecy::SecretString;
///
/// let client = Client::builder()
///     .base_url("https://acme.halopsa.com")
///     .tenant("acme")
///     .client_id("3f2a…-client-id")
///     .client_secret(SecretString::from("from-your-secret-store"))
///     .scopes(["read:tickets", "edit:tickets", "read:customers"])
///     .agent_id(7)
///     .rate_limit(RateLimit::Hosted)
///     .build()?;
/// assert_eq!(client.api_url().as_str(), "https://acme.halopsa.com/api/");
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Clone, Default)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    auth_url: Option<String>,
    tenant: Option<String>,
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    scopes: Vec<String>,
    agent_id: Option<i64>,
    rate_limit: RateLimit,
    closed_status_ids: Option<Vec<i64>>,
    outcomes: Outcomes,
    work_type_lookup_id: Option<i64>,
    webhook_auth: Option<WebhookAuth>,
    http_config: Option<HttpConfig>,
    token_store: Option<Arc<dyn TokenStore>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("auth_url", &self.auth_url)
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("scopes", &self.scopes)
            .field("agent_id", &self.agent_id)
            .field("rate_limit", &self.rate_limit)
            .field("webhook_auth", &self.webhook_auth)
            .field("http_config", &self.http_config)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The tenant's base URL, `https://yourco.halopsa.com` (plain http only
    /// for loopback addresses, for tests). The resource server is
    /// `{base}/api`; a base URL ending in `/api` is accepted too.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The authorisation server, when it is not `{base}/auth` (Halo shows
    /// it as *Authorisation Server* under *Configuration > Integrations >
    /// Halo API*). The token endpoint is `{auth_url}/token`.
    pub fn auth_url(mut self, url: impl Into<String>) -> Self {
        self.auth_url = Some(url.into());
        self
    }

    /// The tenant of a Halo-hosted instance, sent as `?tenant=NAME` on the
    /// token request.
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }

    /// The API application's client id.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// The API application's client secret.
    pub fn client_secret(mut self, secret: SecretString) -> Self {
        self.client_secret = Some(secret);
        self
    }

    /// The scopes to ask for (default [`DEFAULT_SCOPE`], `all`). Halo
    /// intersects them with the application's permissions and the login
    /// agent's. Least-privilege sets are listed in the crate's README
    /// (`read:tickets edit:tickets read:customers` … ).
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The integration's agent (the application's login agent): the
    /// default agent of time entries.
    pub fn agent_id(mut self, id: i64) -> Self {
        self.agent_id = Some(id);
        self
    }

    /// The client-side rate limit (default: hosted Halo's 300 per 5 minutes).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = limit;
        self
    }

    /// Timeouts and retries (default: connect 10 s, 30 s an attempt, 120 s
    /// a call; 429, 502, 503, 504 and connection errors retried with full
    /// jitter for reads and deletes, never a `POST` whose outcome is
    /// unknown).
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http_config = Some(config);
        self
    }

    /// Keeps access tokens in `store` (default: in process memory), so that
    /// replicas sharing a store share one token.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// Status ids that count as closed (default `[9]`, Halo's "Closed").
    pub fn closed_status_ids(mut self, ids: impl IntoIterator<Item = i64>) -> Self {
        self.closed_status_ids = Some(ids.into_iter().collect());
        self
    }

    /// The action types used for notes, time and items.
    pub fn outcomes(mut self, outcomes: Outcomes) -> Self {
        self.outcomes = outcomes;
        self
    }

    /// The look-up table holding charge types (work types).
    pub fn work_type_lookup_id(mut self, id: i64) -> Self {
        self.work_type_lookup_id = Some(id);
        self
    }

    /// How webhook deliveries are authenticated (the credentials configured
    /// on the webhook in Halo).
    pub fn webhook_auth(mut self, auth: WebhookAuth) -> Self {
        self.webhook_auth = Some(auth);
        self
    }

    /// Validates the configuration and builds the client; no IO. Errors are
    /// [`Config`](psa_core::ErrorKind::Config) errors naming the problem
    /// (never quoting the secret).
    pub fn build(self) -> Result<Client> {
        let base = self
            .base_url
            .as_deref()
            .ok_or_else(|| config("halo base URL is not set (ClientBuilder::base_url)"))?;
        let (api, auth) = urls(base, self.auth_url.as_deref())?;
        let client_id = self
            .client_id
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| config("halo client id is not set (ClientBuilder::client_id)"))?;
        if client_id.chars().any(char::is_control) {
            return Err(config("halo client id contains control characters"));
        }
        let client_secret = self.client_secret.ok_or_else(|| {
            config("halo client secret is not set (ClientBuilder::client_secret)")
        })?;
        if secrecy::ExposeSecret::expose_secret(&client_secret).is_empty() {
            return Err(config("halo client secret is empty"));
        }
        if let Some(t) = &self.tenant {
            if t.trim().is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(config(format!("halo tenant {t:?} is not a tenant name")));
            }
        }
        for s in &self.scopes {
            if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(config(format!("halo scope {s:?} is not a scope")));
            }
        }
        if let Some(a) = self.agent_id {
            if a <= 0 {
                return Err(config(format!(
                    "halo agent id must be a positive integer, got {a}"
                )));
            }
        }
        if let Some(l) = self.work_type_lookup_id {
            if l <= 0 {
                return Err(config(format!(
                    "halo work type look-up id must be a positive integer, got {l}"
                )));
            }
        }
        if let RateLimit::Window { max, window } = &self.rate_limit {
            if *max == 0 || window.is_zero() {
                return Err(config(
                    "halo rate limit window must allow at least one request",
                ));
            }
        }
        let scope = if self.scopes.is_empty() {
            DEFAULT_SCOPE.to_owned()
        } else {
            self.scopes.join(" ")
        };
        let settings = Settings {
            agent_id: self.agent_id,
            closed_status_ids: self
                .closed_status_ids
                .map_or_else(|| Settings::default().closed_status_ids, Arc::from),
            outcomes: self.outcomes,
            work_type_lookup_id: self.work_type_lookup_id,
        };

        let http_config = self.http_config.unwrap_or_default();
        // One connection pool for the token and the API requests.
        let pool = http_config
            .build_reqwest_client()
            .map_err(|e| e.with_vendor(Vendor::Halo))?;
        let token_url = auth
            .join("token")
            .map_err(|e| config(format!("halo auth URL cannot take a token path: {e}")))?;
        let mut source = OAuthClientCredentials::new(token_url.as_str(), client_id, client_secret)
            .map_err(|e| config(e.message().replacen("token URL", "halo auth URL", 1)))?
            .with_scope(scope)
            .with_vendor(Vendor::Halo);
        if let Some(t) = &self.tenant {
            source = source.with_query_param("tenant", t);
        }
        let mut tokens = TokenAuth::new(Arc::new(source), http_config.clone())
            .map_err(|e| e.with_vendor(Vendor::Halo))?
            .with_http_client(pool.clone());
        if let Some(store) = self.token_store {
            tokens = tokens.with_store(store);
        }
        let http = HttpClient::builder(Vendor::Halo, api.as_str())
            .config(http_config)
            .reqwest_client(pool)
            .auth(Arc::new(tokens))
            .rate_limiter(self.rate_limit.limiter(&api))
            .error_parser(error_parser())
            .classifier(classifier())
            .build()?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                settings,
                webhook_auth: self.webhook_auth,
            }),
        })
    }
}

fn config(message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::config(message).with_vendor(Vendor::Halo)
}

/// Validates a configured URL with the shared rules (https, plain http only
/// for loopback, no user name or password, no query or fragment), naming it
/// `what` in the error.
fn check_url(raw: &str, what: &str) -> Result<Url> {
    validate_base_url(raw.trim()).map_err(|e| {
        config(format!(
            "halo {}",
            e.message().replacen("base URL", what, 1)
        ))
    })
}

/// The resource server and authorisation server for a base URL, both
/// ending in `/`.
fn urls(base: &str, auth: Option<&str>) -> Result<(Url, Url)> {
    let base = check_url(base, "base URL")?;
    let trimmed = base.path().trim_end_matches('/');
    let root = trimmed.strip_suffix("/api").unwrap_or(trimmed).to_owned();
    let mut api = base.clone();
    api.set_path(&format!("{root}/api/"));
    let auth = if let Some(a) = auth {
        check_url(a, "auth URL")?
    } else {
        let mut u = base;
        u.set_path(&format!("{root}/auth/"));
        u
    };
    Ok((api, auth))
}

/// A HaloPSA client: Halo's own API through one handle per resource, and the
/// uniform [`Psa`](psa_core::Psa) operations.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`; `Debug` shows the
/// resource server only.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: HttpClient,
    settings: Settings,
    webhook_auth: Option<WebhookAuth>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.inner.http.base_url().as_str())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The resource server (`https://yourco.halopsa.com/api/`).
    pub fn api_url(&self) -> &Url {
        self.inner.http.base_url()
    }

    /// The underlying HTTP client (auth, rate limit, retries, timeouts,
    /// redaction), for requests this crate does not model.
    pub fn http(&self) -> &HttpClient {
        &self.inner.http
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    pub(crate) fn webhook_auth(&self) -> Option<&WebhookAuth> {
        self.inner.webhook_auth.as_ref()
    }

    /// Tickets.
    pub fn tickets(&self) -> Tickets<'_> {
        Tickets::new(self)
    }
    /// Projects (tickets of a project type).
    pub fn projects(&self) -> Projects<'_> {
        Projects::new(self)
    }
    /// Actions: notes, emails, time.
    pub fn actions(&self) -> Actions<'_> {
        Actions::new(self)
    }
    /// Clients (customers).
    pub fn clients(&self) -> Clients<'_> {
        Clients::new(self)
    }
    /// Sites.
    pub fn sites(&self) -> Sites<'_> {
        Sites::new(self)
    }
    /// End users.
    pub fn users(&self) -> Users<'_> {
        Users::new(self)
    }
    /// Agents.
    pub fn agents(&self) -> Agents<'_> {
        Agents::new(self)
    }
    /// Assets.
    pub fn assets(&self) -> Assets<'_> {
        Assets::new(self)
    }
    /// Appointments.
    pub fn appointments(&self) -> Appointments<'_> {
        Appointments::new(self)
    }
    /// Catalog items.
    pub fn items(&self) -> crate::resources::Items<'_> {
        crate::resources::Items::new(self)
    }
    /// Client contracts.
    pub fn contracts(&self) -> Contracts<'_> {
        Contracts::new(self)
    }
    /// SLAs.
    pub fn slas(&self) -> Slas<'_> {
        Slas::new(self)
    }
    /// Knowledge-base articles.
    pub fn kb_articles(&self) -> KbArticles<'_> {
        KbArticles::new(self)
    }
    /// Ticket statuses.
    pub fn statuses(&self) -> Statuses<'_> {
        Statuses::new(self)
    }
    /// Priorities.
    pub fn priorities(&self) -> Priorities<'_> {
        Priorities::new(self)
    }
    /// Teams.
    pub fn teams(&self) -> Teams<'_> {
        Teams::new(self)
    }
    /// Ticket types.
    pub fn ticket_types(&self) -> TicketTypes<'_> {
        TicketTypes::new(self)
    }
    /// Generic look-up tables.
    pub fn lookups(&self) -> Lookups<'_> {
        Lookups::new(self)
    }
    /// Timesheet entries.
    pub fn timesheet_events(&self) -> TimesheetEvents<'_> {
        TimesheetEvents::new(self)
    }
    /// Webhooks.
    pub fn webhooks(&self) -> Webhooks<'_> {
        Webhooks::new(self)
    }
    /// Any other endpoint. (The uniform, permission-gated raw request is
    /// [`Psa::raw`](psa_core::Psa::raw): call it as `Psa::raw(&client, req)`.)
    pub fn raw(&self) -> crate::resources::Raw<'_> {
        crate::resources::Raw::new(self)
    }

    /// Sends a request through the HTTP client.
    pub(crate) async fn send(&self, req: crate::request::Request) -> Result<ApiResponse> {
        self.inner.http.send(req.into_api_request()?).await
    }

    /// Sends a request and decodes the JSON response, naming the failing
    /// field on a decode error.
    pub(crate) async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        req: crate::request::Request,
        what: &str,
    ) -> Result<T> {
        let body = self.send(req).await?.body;
        decode(&body, what)
    }

    /// Sends a request whose response body does not matter.
    pub(crate) async fn send_empty(&self, req: crate::request::Request) -> Result<()> {
        self.send(req).await.map(drop)
    }

    /// Sends a request and returns the response as it came (sensitive
    /// headers removed).
    pub(crate) async fn send_raw(
        &self,
        req: crate::request::Request,
    ) -> Result<psa_core::RawResponse> {
        let r = self.send(req).await?;
        let mut headers = http::HeaderMap::new();
        for (name, value) in &r.headers {
            if !value.is_sensitive() && !psa_core::error::is_sensitive_header(name.as_str()) {
                headers.append(name.clone(), value.clone());
            }
        }
        Ok(psa_core::RawResponse::new(r.status, headers, r.body))
    }
}

/// Decodes a JSON body, naming the failing field path
/// ([`psa_core::error::decode_slice`]).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    psa_core::error::decode_slice(Some(Vendor::Halo), what, body)
}

/// Decodes a JSON value, naming the failing field path.
pub(crate) fn decode_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    what: &str,
) -> Result<T> {
    psa_core::error::decode_value(Some(Vendor::Halo), what, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_traits<T: Send + Sync + Clone + fmt::Debug + 'static>() {}

    #[test]
    fn client_is_send_sync_clone_debug() {
        assert_traits::<Client>();
        assert_traits::<ClientBuilder>();
    }

    #[test]
    fn urls_are_derived() {
        let (api, auth) = urls("https://acme.halopsa.com", None).unwrap();
        assert_eq!(api.as_str(), "https://acme.halopsa.com/api/");
        assert_eq!(auth.as_str(), "https://acme.halopsa.com/auth/");
        let (api, _) = urls("https://acme.halopsa.com/api/", None).unwrap();
        assert_eq!(api.as_str(), "https://acme.halopsa.com/api/");
        let (_, auth) = urls(
            "https://acme.halopsa.com",
            Some("https://login.acme.example/auth"),
        )
        .unwrap();
        assert_eq!(
            auth.join("token").unwrap().as_str(),
            "https://login.acme.example/auth/token"
        );
        let e = urls(
            "https://acme.halopsa.com",
            Some("http://login.acme.example/auth"),
        )
        .unwrap_err();
        assert!(e.is_config() && e.message().contains("auth URL"), "{e}");
    }

    #[test]
    fn margins_and_shared_limiters() {
        assert_eq!(
            RateLimit::margin(RateLimit::HOSTED_WINDOW),
            Duration::from_secs(5)
        );
        assert_eq!(
            RateLimit::margin(Duration::from_secs(2)),
            Duration::from_millis(100)
        );
        assert_eq!(
            RateLimit::margin(Duration::from_millis(10)),
            Duration::from_millis(10)
        );
        let api = Url::parse("https://acme.halopsa.com/api/").unwrap();
        let a = RateLimit::Hosted.limiter(&api);
        let b = RateLimit::Hosted.limiter(&api);
        assert!(Arc::ptr_eq(&a, &b), "one budget per tenant in a process");
        let other = Url::parse("https://other.halopsa.com/api/").unwrap();
        assert!(!Arc::ptr_eq(&a, &RateLimit::Hosted.limiter(&other)));
    }

    #[test]
    fn rate_limit_text_is_a_rate_limit() {
        let c = classifier();
        let h = http::HeaderMap::new();
        let body = b"Rate Limit Reached - 300 Requests per rolling 5 minute window";
        assert_eq!(
            c(http::StatusCode::FORBIDDEN, &h, body),
            Some(ErrorKind::RateLimited)
        );
        assert_eq!(c(http::StatusCode::FORBIDDEN, &h, b"{}"), None);
        assert_eq!(c(http::StatusCode::OK, &h, body), None);
    }
}
