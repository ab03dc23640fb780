//! The ConnectWise client and its builder.

use http::HeaderValue;
use psa_core::http::{
    HttpClient, HttpConfig, RateLimiter, RetryBudget, TokenStore, Unlimited, validate_base_url,
};
use psa_core::phone::CountryCode;
use psa_core::{Error, Id, Result, Vendor};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

use crate::auth::Credentials;
use crate::query::MAX_PAGE_SIZE;
use crate::transport::{Settings, Transport, discover_with};
use crate::webhook::{CallbackVerifier, DEFAULT_KEY_TTL, KeyUrlPolicy};

/// The API version pinned in `Accept` by default.
pub const DEFAULT_API_VERSION: &str = "2025.16";

/// A ConnectWise PSA client: a cheap `Clone` (an `Arc` inside).
///
/// The typed API is one handle per resource (`client.tickets()` …, see
/// [`resources`](crate::resources)); the uniform one is its
/// [`Psa`](psa_core::Psa) implementation. `Debug` shows the base URL and
/// company, never a key.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    transport: Transport,
    company_id: String,
    act_as: Option<String>,
    /// The agent (member id) a [`Psa::act_as`](psa_core::Psa::act_as) view
    /// attributes its writes to.
    agent: Option<Id>,
    default_board: Option<i64>,
    time_member: Option<i64>,
    page_size: u32,
    phone_country: Option<CountryCode>,
    verifier: Arc<CallbackVerifier>,
    members: Arc<Members>,
}

/// What every view of a client shares about members: their identifiers by
/// id (listed once, again only for an id not seen), and one member client
/// per identifier (its token cached, renewed and requested single-flight).
#[derive(Default)]
struct Members {
    identifiers: tokio::sync::Mutex<HashMap<i64, String>>,
    clients: std::sync::Mutex<HashMap<String, HttpClient>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url().as_str())
            .field("company_id", &self.inner.company_id)
            .field("act_as", &self.inner.act_as)
            .field("agent", &self.inner.agent)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The API base (`https://{site}/{codebase}apis/3.0/`).
    pub fn base_url(&self) -> &Url {
        self.http().base_url()
    }

    /// The underlying HTTP client (timeouts, retries, auth, redaction).
    pub fn http(&self) -> &HttpClient {
        self.inner.transport.http()
    }

    /// The member this client acts as, when it impersonates one.
    pub fn acting_as(&self) -> Option<&str> {
        self.inner.act_as.as_deref()
    }

    /// The default board of new tickets.
    pub fn default_board(&self) -> Option<i64> {
        self.inner.default_board
    }

    /// The member time entries are recorded for when none is given.
    pub fn time_member(&self) -> Option<i64> {
        self.inner.time_member
    }

    /// The country phone numbers stored without a country code are read in.
    pub fn phone_country(&self) -> Option<CountryCode> {
        self.inner.phone_country
    }

    pub(crate) fn page_size(&self) -> u32 {
        self.inner.page_size
    }

    pub(crate) fn verifier(&self) -> &CallbackVerifier {
        &self.inner.verifier
    }

    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// A view whose writes are made as the member with id `agent` (an id
    /// `list_agents` returns). No I/O: the member's identifier and token
    /// are fetched by the view's first write.
    pub(crate) fn acting_as_agent(&self, agent: &Id) -> Result<Client> {
        let id = agent
            .require_positive("ConnectWise member id")
            .map_err(|e| e.with_vendor(Vendor::ConnectWise))?;
        let mut inner = (*self.inner).clone();
        inner.agent = Some(Id::from(id));
        Ok(Client {
            inner: Arc::new(inner),
        })
    }

    /// The agent a view's writes are attributed to.
    pub(crate) fn agent(&self) -> Option<&Id> {
        self.inner.agent.as_ref()
    }

    /// The client a write goes through: this one, or — for an
    /// [`acting_as_agent`](Self::acting_as_agent) view — one sending as
    /// the member (its identifier looked up by id once, its token cached
    /// per member and shared by every view of it), whose time entries
    /// default to that member.
    pub(crate) async fn writer(&self) -> Result<Client> {
        let Some(agent) = &self.inner.agent else {
            return Ok(self.clone());
        };
        let id = agent
            .require_positive("ConnectWise member id")
            .map_err(|e| e.with_vendor(Vendor::ConnectWise))?;
        let identifier = self.member_identifier(id).await?;
        let http = {
            let mut clients = self
                .inner
                .members
                .clients
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(h) = clients.get(&identifier) {
                h.clone()
            } else {
                let h = self.inner.transport.member_http(&identifier)?;
                clients.insert(identifier.clone(), h.clone());
                h
            }
        };
        let mut inner = (*self.inner).clone();
        inner.transport = inner.transport.as_member(http);
        inner.act_as = Some(identifier);
        inner.agent = None;
        inner.time_member = Some(id);
        Ok(Client {
            inner: Arc::new(inner),
        })
    }

    /// The identifier of the member with id `id`, from the members list
    /// (listed once and again only for an id it did not have).
    async fn member_identifier(&self, id: i64) -> Result<String> {
        use futures::TryStreamExt;
        let mut known = self.inner.members.identifiers.lock().await;
        if let Some(i) = known.get(&id) {
            return Ok(i.clone());
        }
        let members: Vec<crate::models::Member> =
            self.members().list().stream().try_collect().await?;
        for m in members {
            if let (Some(mid), Some(ident)) = (m.id, m.identifier) {
                known.insert(mid, ident);
            }
        }
        known.get(&id).cloned().ok_or_else(|| {
            Error::new(
                psa_core::ErrorKind::NotFound,
                format!("no ConnectWise member has the id {id}"),
            )
            .with_vendor(Vendor::ConnectWise)
        })
    }
}

/// Builds a [`Client`]: credentials, where the site is, and options.
///
/// ```
/// use psa_connectwise::{Client, auth::Credentials};
/// let client = Client::builder()
///     .credentials(Credentials::new("acme", "pub".to_owned().into(), "priv".to_owned().into(),
///         "6d6b0f1e-0000-4000-8000-000000000001".to_owned().into())?)
///     .base_url("https://na.myconnectwise.net/v4_6_release/apis/3.0")
///     .default_board(1)
///     .build()?;
/// assert_eq!(client.base_url().as_str(), "https://na.myconnectwise.net/v4_6_release/apis/3.0/");
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    base_url: Option<String>,
    site: Option<String>,
    api_version: Option<String>,
    act_as: Option<String>,
    default_board: Option<i64>,
    time_member: Option<i64>,
    page_size: Option<u32>,
    key_policy: Option<KeyUrlPolicy>,
    extra_key_hosts: Vec<String>,
    key_ttl: Option<Duration>,
    http_config: Option<HttpConfig>,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    retry_budget: Option<RetryBudget>,
    token_store: Option<Arc<dyn TokenStore>>,
    phone_country: Option<CountryCode>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("site", &self.site)
            .field("api_version", &self.api_version)
            .field("act_as", &self.act_as)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API member's credentials and the client id.
    pub fn credentials(mut self, c: Credentials) -> Self {
        self.credentials = Some(c);
        self
    }

    /// The explicit API base: `https://{site}/{codebase}apis/3.0`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The site (`na.myconnectwise.net`, `cw.example.com`, or an
    /// `https://` URL); the codebase is discovered by [`connect`](Self::connect).
    pub fn site(mut self, site: impl Into<String>) -> Self {
        self.site = Some(site.into());
        self
    }

    /// The API version pinned in `Accept` (default [`DEFAULT_API_VERSION`]).
    pub fn api_version(mut self, v: impl Into<String>) -> Self {
        self.api_version = Some(v.into());
        self
    }

    /// Acts as another member: every request uses that member's temporary
    /// keys (`POST /system/members/{member}/tokens`), renewed before they
    /// expire, so writes are attributed to that member.
    pub fn act_as_member(mut self, identifier: impl Into<String>) -> Self {
        self.act_as = Some(identifier.into());
        self
    }

    /// The board new tickets go to when the caller names none.
    pub fn default_board(mut self, board: i64) -> Self {
        self.default_board = Some(board);
        self
    }

    /// The member time entries are recorded for when the caller names none
    /// (otherwise ConnectWise records the authenticated member).
    pub fn time_member(mut self, member: i64) -> Self {
        self.time_member = Some(member);
        self
    }

    /// Records per page of lists (1 to 1000; default 1000).
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }

    /// Replaces the callback key-URL policy (default: ConnectWise's cloud
    /// hosts and the client's own site).
    pub fn callback_key_policy(mut self, policy: KeyUrlPolicy) -> Self {
        self.key_policy = Some(policy);
        self
    }

    /// Also trusts this host for callback signing keys (an on-premises
    /// site's host name).
    pub fn callback_key_host(mut self, host: impl Into<String>) -> Self {
        self.extra_key_hosts.push(host.into());
        self
    }

    /// How long a fetched signing key is reused (default 15 minutes).
    pub fn callback_key_ttl(mut self, ttl: Duration) -> Self {
        self.key_ttl = Some(ttl);
        self
    }

    /// Timeouts and retries (default: connect 10 s, 30 s an attempt, the
    /// shared retry policy — 429s from ConnectWise's Cloudflare edge are
    /// retried after their `Retry-After`).
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http_config = Some(config);
        self
    }

    /// A client-side rate limiter (none by default: ConnectWise publishes no
    /// quota and its 429s are honoured). Share one limiter between the
    /// clients of one tenant, or back it with a shared store for replicas.
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// The retry budget (default: one of the client's own). Give clones of
    /// one budget to every client of a tenant so that, together, they
    /// retry no more than it allows.
    pub fn retry_budget(mut self, budget: RetryBudget) -> Self {
        self.retry_budget = Some(budget);
        self
    }

    /// Where member tokens are kept when the client
    /// [acts as a member](Self::act_as_member) (default: this process's
    /// memory); a shared store lets replicas share one token.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// The tenant's country: phone numbers stored without a country code
    /// (`(02) 9999 0000`) are read in it when a caller's number is looked
    /// up (default: a national number is read in the country of the number
    /// it is compared with).
    pub fn phone_country(mut self, country: CountryCode) -> Self {
        self.phone_country = Some(country);
        self
    }

    fn site_url(&self) -> Result<Url> {
        let raw = self.site.as_deref().ok_or_else(|| {
            Error::config("set the ConnectWise base URL or site").with_vendor(Vendor::ConnectWise)
        })?;
        let with_scheme = if raw.contains("://") {
            raw.to_owned()
        } else {
            format!("https://{raw}")
        };
        let url = validate_base(&with_scheme)?;
        let mut origin = url.clone();
        origin.set_path("/");
        origin.set_query(None);
        Ok(origin)
    }

    /// Builds the client from an explicit [`base_url`](Self::base_url); no I/O.
    pub fn build(self) -> Result<Client> {
        let base = match &self.base_url {
            Some(b) => validate_base(b)?,
            None => {
                return Err(Error::config(
                    "no ConnectWise base URL: set base_url(), or site() and call connect() to discover the codebase",
                )
                .with_vendor(Vendor::ConnectWise));
            }
        };
        self.finish(base)
    }

    /// Builds the client, discovering the codebase of [`site`](Self::site)
    /// from `GET https://{site}/login/companyinfo/{companyId}` when no base
    /// URL is set.
    pub async fn connect(self) -> Result<Client> {
        if self.base_url.is_some() {
            return self.build();
        }
        let site = self.site_url()?;
        let company = self
            .credentials
            .as_ref()
            .map(|c| c.company_id().to_owned())
            .ok_or_else(|| Error::config("ConnectWise credentials are not set"))?;
        let config = self.http_config.clone().unwrap_or_default();
        let info = discover_with(&site, &company, config).await?;
        let codebase = info
            .codebase
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| {
                Error::config(format!(
                    "{} does not know company {company:?} (no Codebase in companyinfo)",
                    site.host_str().unwrap_or_default()
                ))
                .with_vendor(Vendor::ConnectWise)
            })?;
        let codebase = codebase.trim().trim_matches('/');
        if codebase.is_empty()
            || !codebase
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
        {
            return Err(Error::config(format!("unexpected codebase {codebase:?}"))
                .with_vendor(Vendor::ConnectWise));
        }
        let base = validate_base(&format!("{}{codebase}/apis/3.0", site.as_str()))?;
        self.finish(base)
    }

    fn finish(self, mut base: Url) -> Result<Client> {
        if !base.path().ends_with('/') {
            let p = format!("{}/", base.path());
            base.set_path(&p);
        }
        let credentials = self.credentials.ok_or_else(|| {
            Error::config("ConnectWise credentials are not set").with_vendor(Vendor::ConnectWise)
        })?;
        let version = self
            .api_version
            .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
        if version.is_empty() || !version.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(
                Error::config(format!("{version:?} is not a ConnectWise API version"))
                    .with_vendor(Vendor::ConnectWise),
            );
        }
        let accept = HeaderValue::from_str(&format!(
            "application/vnd.connectwise.com+json; version={version}"
        ))
        .map_err(|_| Error::config("bad API version"))?;
        let page_size = self.page_size.unwrap_or(MAX_PAGE_SIZE);
        if page_size == 0 || page_size > MAX_PAGE_SIZE {
            return Err(Error::config(format!(
                "page size must be 1 to {MAX_PAGE_SIZE}"
            )));
        }
        let mut policy = self.key_policy.unwrap_or_default().with_own_site(&base);
        for h in &self.extra_key_hosts {
            policy = policy.allow_host(h)?;
        }
        for (name, id) in [
            ("default board", self.default_board),
            ("time member", self.time_member),
        ] {
            if id.is_some_and(|i| i <= 0) {
                return Err(Error::config(format!("{name} must be a positive id")));
            }
        }
        let limiter: Arc<dyn RateLimiter> =
            self.rate_limiter.unwrap_or_else(|| Arc::new(Unlimited));
        let act_as = self.act_as.filter(|m| !m.is_empty());
        let transport = Transport::build(Settings {
            base: &base,
            credentials: &credentials,
            accept,
            config: self.http_config.unwrap_or_default(),
            limiter,
            retry_budget: self.retry_budget.unwrap_or_default(),
            act_as: act_as.as_deref(),
            token_store: self.token_store,
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                company_id: credentials.company_id().to_owned(),
                act_as,
                agent: None,
                default_board: self.default_board,
                time_member: self.time_member,
                page_size,
                phone_country: self.phone_country,
                verifier: Arc::new(CallbackVerifier::new(
                    policy,
                    self.key_ttl.unwrap_or(DEFAULT_KEY_TTL),
                )),
                members: Arc::default(),
            }),
        })
    }
}

/// Checks a base URL with the shared rules (https, http only for loopback,
/// no user-info, no query or fragment).
fn validate_base(raw: &str) -> Result<Url> {
    validate_base_url(raw.trim()).map_err(|e| e.with_vendor(Vendor::ConnectWise))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert!(validate_base("http://na.myconnectwise.net/v4_6_release/apis/3.0").is_err());
        assert!(validate_base("https://u:p@na.myconnectwise.net/").is_err());
        assert!(validate_base("http://127.0.0.1:8080/v4_6_release/apis/3.0").is_ok());
        assert!(validate_base("https://na.myconnectwise.net/v4_6_release/apis/3.0?x=1").is_err());
    }
}
