//! [`Client`] and [`ClientBuilder`], and the tenant settings the uniform
//! mapping depends on ([`Outcomes`], closed statuses, the integration's
//! agent, the phone country).
//!
//! The handles of Halo's resources (`client.tickets()` …) are in
//! [`crate::resources`]; the credentials in `auth.rs`; the HTTP client and
//! sending in `transport.rs`.

use psa_core::http::{HttpClient, HttpConfig, RateLimiter, RetryBudget, TokenStore};
use psa_core::phone::CountryCode;
use psa_core::{Error, Result, Vendor, http::validate_base_url};
use secrecy::SecretString;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use url::Url;

use crate::auth::Credentials;
use crate::transport::{self, Parts, RateLimit};
use crate::webhook::WebhookAuth;

/// Builds a [`Client`]; [`build`](ClientBuilder::build) validates it and is
/// the only place a configuration error comes from.
///
/// ```
/// use psa_core::phone::CountryCode;
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
///     .phone_country(CountryCode::AU)
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
    limit: Limit,
    retry_budget: Option<RetryBudget>,
    phone_country: Option<CountryCode>,
    closed_status_ids: Option<Vec<i64>>,
    outcomes: Outcomes,
    work_type_lookup_id: Option<i64>,
    webhook_auth: Option<WebhookAuth>,
    http_config: Option<HttpConfig>,
    token_store: Option<Arc<dyn TokenStore>>,
}

/// The client-side limit: Halo's window settings, or a limiter of the
/// caller's own.
#[derive(Clone, Debug)]
enum Limit {
    Settings(RateLimit),
    Limiter(Arc<dyn RateLimiter>),
}

impl Default for Limit {
    fn default() -> Self {
        Limit::Settings(RateLimit::default())
    }
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
            .field("rate_limit", &self.limit)
            .field("retry_budget", &self.retry_budget)
            .field("phone_country", &self.phone_country)
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

    /// The scopes to ask for (default [`DEFAULT_SCOPE`](crate::DEFAULT_SCOPE),
    /// `all`). Halo intersects them with the application's permissions and
    /// the login agent's. Least-privilege sets are listed in the crate's
    /// README (`read:tickets edit:tickets read:customers` … ).
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

    /// The client-side rate limit by Halo's window settings (default:
    /// hosted Halo's 300 per 5 minutes, shared by every client of the
    /// tenant in the process). Replaces a [`rate_limiter`](Self::rate_limiter).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.limit = Limit::Settings(limit);
        self
    }

    /// Replaces the default limiter with `limiter`: one shared by several
    /// clients, or one backed by a store that replicas share (Redis), so
    /// that they keep to the tenant's budget together. Replaces a
    /// [`rate_limit`](Self::rate_limit).
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limit = Limit::Limiter(limiter);
        self
    }

    /// The retry budget (default: psa-core's, per client): how many
    /// retries the client may add to the requests it sends.
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = Some(budget);
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

    /// The tenant's country, for phone numbers stored without a country
    /// code: a caller's number (`+61 2 9999 0000`) finds the contact stored
    /// as `(02) 9999 0000` ([`psa_core::phone`]). Without it, a national
    /// number is read in the country of the number it is compared with.
    pub fn phone_country(mut self, country: CountryCode) -> Self {
        self.phone_country = Some(country);
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

    /// Validates the configuration and builds the client; no IO.
    ///
    /// # Errors
    /// [`Config`](psa_core::ErrorKind::Config) errors naming the problem
    /// (never quoting the secret).
    pub fn build(self) -> Result<Client> {
        let base = self
            .base_url
            .as_deref()
            .ok_or_else(|| config_error("halo base URL is not set (ClientBuilder::base_url)"))?;
        let (api, auth) = urls(base, self.auth_url.as_deref())?;
        let credentials =
            Credentials::new(self.client_id, self.client_secret, self.scopes, self.tenant)?;
        if let Some(a) = self.agent_id {
            if a <= 0 {
                return Err(config_error(format!(
                    "halo agent id must be a positive integer, got {a}"
                )));
            }
        }
        if let Some(l) = self.work_type_lookup_id {
            if l <= 0 {
                return Err(config_error(format!(
                    "halo work type look-up id must be a positive integer, got {l}"
                )));
            }
        }
        let limiter = match self.limit {
            Limit::Settings(RateLimit::Window { max, window }) if max == 0 || window.is_zero() => {
                return Err(config_error(
                    "halo rate limit window must allow at least one request",
                ));
            }
            Limit::Settings(limit) => limit.limiter(&api),
            Limit::Limiter(l) => l,
        };
        let settings = Settings {
            agent_id: self.agent_id,
            closed_status_ids: self
                .closed_status_ids
                .map_or_else(|| Settings::default().closed_status_ids, Arc::from),
            outcomes: self.outcomes,
            work_type_lookup_id: self.work_type_lookup_id,
            phone_country: self.phone_country,
        };

        let config = self.http_config.unwrap_or_default();
        // One connection pool for the token and the API requests.
        let pool = config
            .build_reqwest_client()
            .map_err(|e| e.with_vendor(Vendor::Halo))?;
        let tokens = credentials.token_auth(&auth, &config, pool.clone(), self.token_store)?;
        let http = transport::http_client(Parts {
            api,
            config,
            pool,
            auth: Arc::new(tokens),
            limiter,
            retry_budget: self.retry_budget,
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                settings,
                webhook_auth: self.webhook_auth,
                teams: std::sync::Mutex::new(None),
            }),
            acting: None,
        })
    }
}

/// A configuration error of this crate.
pub(crate) fn config_error(message: impl Into<Cow<'static, str>>) -> Error {
    Error::config(message).with_vendor(Vendor::Halo)
}

/// Validates a configured URL with the shared rules (https, plain http only
/// for loopback, no user name or password, no query or fragment), naming it
/// `what` in the error.
fn check_url(raw: &str, what: &str) -> Result<Url> {
    validate_base_url(raw.trim()).map_err(|e| {
        config_error(format!(
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

/// A HaloPSA client: Halo's own API through one handle per resource
/// ([`crate::resources`]), and the uniform [`Psa`](psa_core::Psa)
/// operations.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`; `Debug` shows the
/// resource server only.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// The agent writes are attributed to, for a view made by
    /// [`Psa::act_as`](psa_core::Psa::act_as): its id, and as Halo's integer.
    acting: Option<(psa_core::Id, i64)>,
}

struct Inner {
    http: HttpClient,
    settings: Settings,
    webhook_auth: Option<WebhookAuth>,
    /// Teams by name, read when a ticket names its team without its id.
    teams: std::sync::Mutex<Option<(std::time::Instant, TeamNames)>>,
}

/// Team ids and names.
type TeamNames = Arc<Vec<(i64, String)>>;

/// How long the cached teams are used before `/Team` is read again.
const TEAM_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(300);

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.inner.http.base_url().as_str())
            .field("acting_as", &self.acting.as_ref().map(|(_, a)| a))
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

    /// This client, with its writes attributed to agent `agent`: the same
    /// connection, limits and token cache (what `Psa::act_as` returns).
    pub(crate) fn acting_for(&self, agent: i64) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            acting: Some((psa_core::Id::int(agent), agent)),
        }
    }

    /// The id of the team named `name` (compared without case), from the
    /// teams read at most [`TEAM_CACHE_TTL`] ago (`GET /Team` otherwise).
    pub(crate) async fn team_id_by_name(&self, name: &str) -> psa_core::Result<Option<i64>> {
        let cached = {
            let guard = self
                .inner
                .teams
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            guard
                .as_ref()
                .filter(|(at, _)| at.elapsed() < TEAM_CACHE_TTL)
                .map(|(_, t)| Arc::clone(t))
        };
        let teams = if let Some(t) = cached {
            t
        } else {
            let records = self.teams().list().send().await?.records;
            let teams: TeamNames = Arc::new(
                records
                    .into_iter()
                    .filter_map(|t| Some((t.id.filter(|i| *i > 0)?, t.name?)))
                    .collect(),
            );
            *self
                .inner
                .teams
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) =
                Some((std::time::Instant::now(), Arc::clone(&teams)));
            teams
        };
        let name = name.trim();
        Ok(teams
            .iter()
            .find(|(_, n)| n.trim().eq_ignore_ascii_case(name))
            .map(|(id, _)| *id))
    }

    /// The agent this view's writes are attributed to, as its id.
    pub(crate) fn acting_id(&self) -> Option<&psa_core::Id> {
        self.acting.as_ref().map(|(id, _)| id)
    }

    /// The agent this view's writes are attributed to.
    pub(crate) fn acting_agent(&self) -> Option<i64> {
        self.acting.as_ref().map(|(_, a)| *a)
    }
}

/// The action types (Halo "outcomes") the SDK uses when it writes actions.
///
/// Action types are configuration of each Halo instance (*Configuration >
/// Tickets > Actions*; `GET /Outcome` lists them). The defaults are Halo's
/// usual names; set the names your instance uses. The SDK also reads notes
/// back by these names: an action whose type is `resolution` is a
/// resolution note.
///
/// ```
/// use psa_halo::Outcomes;
/// let o = Outcomes::default().customer_note("Email User");
/// assert_eq!(o.customer_note_name(), "Email User");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcomes {
    internal_note: Arc<str>,
    customer_note: Arc<str>,
    resolution: Arc<str>,
    time_entry: Arc<str>,
    issue_items: Arc<str>,
}

impl Default for Outcomes {
    fn default() -> Self {
        Outcomes {
            internal_note: "Private Note".into(),
            customer_note: "Note".into(),
            resolution: "Resolution".into(),
            time_entry: "Private Note".into(),
            issue_items: "Issue Items".into(),
        }
    }
}

impl Outcomes {
    /// The action type of internal notes (default "Private Note").
    #[must_use]
    pub fn internal_note(mut self, name: impl Into<Arc<str>>) -> Self {
        self.internal_note = name.into();
        self
    }
    /// The action type of customer-visible notes (default "Note").
    #[must_use]
    pub fn customer_note(mut self, name: impl Into<Arc<str>>) -> Self {
        self.customer_note = name.into();
        self
    }
    /// The action type of resolution notes (default "Resolution").
    #[must_use]
    pub fn resolution(mut self, name: impl Into<Arc<str>>) -> Self {
        self.resolution = name.into();
        self
    }
    /// The action type of time entries (default "Private Note": time logged
    /// on an internal action).
    #[must_use]
    pub fn time_entry(mut self, name: impl Into<Arc<str>>) -> Self {
        self.time_entry = name.into();
        self
    }
    /// The action type that issues items to a ticket (default "Issue Items").
    #[must_use]
    pub fn issue_items(mut self, name: impl Into<Arc<str>>) -> Self {
        self.issue_items = name.into();
        self
    }

    /// The internal note type.
    pub fn internal_note_name(&self) -> &str {
        &self.internal_note
    }
    /// The customer note type.
    pub fn customer_note_name(&self) -> &str {
        &self.customer_note
    }
    /// The resolution note type.
    pub fn resolution_name(&self) -> &str {
        &self.resolution
    }
    /// The time entry type.
    pub fn time_entry_name(&self) -> &str {
        &self.time_entry
    }
    /// The item-issuing type.
    pub fn issue_items_name(&self) -> &str {
        &self.issue_items
    }
}

/// What the mapping between Halo records and the uniform models depends on:
/// the tenant's settings.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The integration's agent: the default agent of time entries.
    pub(crate) agent_id: Option<i64>,
    /// Status ids that count as closed.
    pub(crate) closed_status_ids: Arc<[i64]>,
    /// Action types used for writes.
    pub(crate) outcomes: Outcomes,
    /// The look-up table holding charge types (work types).
    pub(crate) work_type_lookup_id: Option<i64>,
    /// The country of phone numbers stored without one.
    pub(crate) phone_country: Option<CountryCode>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            agent_id: None,
            closed_status_ids: Arc::from(vec![9]),
            outcomes: Outcomes::default(),
            work_type_lookup_id: None,
            phone_country: None,
        }
    }
}

impl Settings {
    pub(crate) fn is_closed_status(&self, status_id: i64) -> bool {
        self.closed_status_ids.contains(&status_id)
    }
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
    fn a_limiter_of_ones_own_replaces_the_default() {
        let mine: Arc<dyn RateLimiter> = Arc::new(psa_core::http::Unlimited);
        let c = Client::builder()
            .base_url("https://acme.halopsa.com")
            .client_id("id")
            .client_secret("s".into())
            .rate_limiter(Arc::clone(&mine))
            .build()
            .unwrap();
        assert!(Arc::ptr_eq(c.http().rate_limiter(), &mine));
        let budget = RetryBudget::new(0.5, 3, std::time::Duration::from_secs(1));
        let c = Client::builder()
            .base_url("https://acme.halopsa.com")
            .client_id("id")
            .client_secret("s".into())
            .retry_budget(budget.clone())
            .phone_country(CountryCode::GB)
            .build()
            .unwrap();
        assert_eq!(
            format!("{:?}", c.http().retry_budget()),
            format!("{budget:?}")
        );
        assert_eq!(c.settings().phone_country, Some(CountryCode::GB));
    }
}
