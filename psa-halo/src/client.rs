//! [`Client`] and [`ClientBuilder`].

use psa_core::{Error, Result, Vendor};
use secrecy::SecretString;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

use crate::resources::{
    Actions, Agents, Appointments, Assets, Clients, Contracts, KbArticles, Lookups, Priorities,
    Projects, Sites, Slas, Statuses, Teams, TicketTypes, Tickets, TimesheetEvents, Users,
    Webhooks,
};
use crate::settings::{Outcomes, Settings};
use crate::webhook::WebhookAuth;

/// How the client keeps to Halo's rate limit.
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum RateLimit {
    /// Hosted Halo's limit: 300 requests per rolling 5 minutes (the default).
    #[default]
    Hosted,
    /// A rolling window of `max` requests per `window`.
    Window {
        /// Requests allowed in any window.
        max: u32,
        /// The window.
        window: Duration,
    },
    /// No client-side limit (on-prem instances without one; tests).
    Disabled,
}

impl fmt::Debug for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateLimit::Hosted => f.write_str("Hosted(300 per 5 min)"),
            RateLimit::Window { max, window } => write!(f, "Window({max} per {window:?})"),
            RateLimit::Disabled => f.write_str("Disabled"),
        }
    }
}

impl RateLimit {
    /// Hosted Halo's budget.
    pub const HOSTED_MAX: u32 = 300;
    /// Hosted Halo's window.
    pub const HOSTED_WINDOW: Duration = Duration::from_secs(300);
}

/// Builds a [`Client`]; [`build`](ClientBuilder::build) validates it.
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
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("auth_url", &self.auth_url)
            .field("tenant", &self.tenant)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "[redacted]"))
            .field("scopes", &self.scopes)
            .field("agent_id", &self.agent_id)
            .field("rate_limit", &self.rate_limit)
            .field("webhook_auth", &self.webhook_auth)
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

    /// The authorisation server, when it is not `{base}/auth`.
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

    /// The scopes to ask for (default `all`). Halo intersects them with the
    /// application's permissions and the login agent's.
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

    /// Validates the configuration and builds the client. Errors are
    /// [`Config`](psa_core::ErrorKind::Config) errors naming the problem.
    pub fn build(self) -> Result<Client> {
        let base = self
            .base_url
            .as_deref()
            .ok_or_else(|| Error::config("halo base URL is not set (ClientBuilder::base_url)"))?;
        let (api, auth) = urls(base, self.auth_url.as_deref())?;
        let client_id = self
            .client_id
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| Error::config("halo client id is not set (ClientBuilder::client_id)"))?;
        let client_secret = self.client_secret.ok_or_else(|| {
            Error::config("halo client secret is not set (ClientBuilder::client_secret)")
        })?;
        if secrecy::ExposeSecret::expose_secret(&client_secret).is_empty() {
            return Err(Error::config("halo client secret is empty"));
        }
        if let Some(t) = &self.tenant {
            if t.trim().is_empty() || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(Error::config(format!("halo tenant {t:?} is not a tenant name")));
            }
        }
        for s in &self.scopes {
            if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(Error::config(format!("halo scope {s:?} is not a scope")));
            }
        }
        if let Some(a) = self.agent_id {
            if a <= 0 {
                return Err(Error::config(format!(
                    "halo agent id must be a positive integer, got {a}"
                )));
            }
        }
        if let Some(l) = self.work_type_lookup_id {
            if l <= 0 {
                return Err(Error::config(format!(
                    "halo work type look-up id must be a positive integer, got {l}"
                )));
            }
        }
        if let RateLimit::Window { max, window } = &self.rate_limit {
            if *max == 0 || window.is_zero() {
                return Err(Error::config("halo rate limit window must allow at least one request"));
            }
        }
        let scope = if self.scopes.is_empty() {
            "all".to_owned()
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
        let http = crate::transport::Transport::new(crate::transport::TransportConfig {
            api: api.clone(),
            token_url: token_url(&auth, self.tenant.as_deref()),
            client_id,
            client_secret,
            scope,
            rate_limit: self.rate_limit,
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                api,
                http,
                settings,
                webhook_auth: self.webhook_auth,
            }),
        })
    }
}

/// The resource server and authorisation server for a base URL.
fn urls(base: &str, auth: Option<&str>) -> Result<(Url, Url)> {
    let base = crate::transport::validate(base, "base URL")?;
    let trimmed = base.path().trim_end_matches('/');
    let root = trimmed.strip_suffix("/api").unwrap_or(trimmed).to_owned();
    let mut api = base.clone();
    api.set_path(&format!("{root}/api/"));
    let auth = if let Some(a) = auth {
        let mut u = crate::transport::validate(a, "auth URL")?;
        let p = u.path().trim_end_matches('/').to_owned();
        u.set_path(&format!("{p}/"));
        u
    } else {
        let mut u = base;
        u.set_path(&format!("{root}/auth/"));
        u
    };
    Ok((api, auth))
}

fn token_url(auth: &Url, tenant: Option<&str>) -> Url {
    let mut u = auth.clone();
    let p = u.path().trim_end_matches('/').to_owned();
    u.set_path(&format!("{p}/token"));
    u.set_query(None);
    if let Some(t) = tenant {
        u.query_pairs_mut().append_pair("tenant", t);
    }
    u
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
    api: Url,
    http: crate::transport::Transport,
    settings: Settings,
    webhook_auth: Option<WebhookAuth>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api", &self.inner.api.as_str())
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
        &self.inner.api
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

    /// Sends a request and decodes the JSON response, naming the failing
    /// field on a decode error.
    pub(crate) async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        req: crate::request::Request,
        what: &str,
    ) -> Result<T> {
        let body = self.inner.http.send(req).await?.body;
        decode(&body, what)
    }

    /// Sends a request whose response body does not matter.
    pub(crate) async fn send_empty(&self, req: crate::request::Request) -> Result<()> {
        self.inner.http.send(req).await.map(drop)
    }

    /// Sends a request and returns the response as it came.
    pub(crate) async fn send_raw(
        &self,
        req: crate::request::Request,
    ) -> Result<psa_core::RawResponse> {
        let r = self.inner.http.send(req).await?;
        Ok(psa_core::RawResponse::new(r.status, r.headers, r.body))
    }
}

/// Decodes a JSON body, naming the failing field path.
///
/// The fast path is plain `serde_json`; only a body that fails is decoded
/// again through `serde_path_to_error` to name the field, so a good page
/// costs what `serde_json::from_slice` costs.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    serde_json::from_slice(body).or_else(|_| {
        let de = &mut serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize(de)
            .map_err(|e| Error::decode_json(Some(Vendor::Halo), &format!("halo {what}"), e, body))
    })
}

/// Decodes a JSON value, naming the failing field path.
pub(crate) fn decode_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
    what: &str,
) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let body = serde_json::to_vec(value).unwrap_or_default();
        Error::decode_json(Some(Vendor::Halo), &format!("halo {what}"), e, &body)
    })
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
        let (_, auth) = urls("https://acme.halopsa.com", Some("https://login.acme.example/auth")).unwrap();
        assert_eq!(
            token_url(&auth, Some("acme")).as_str(),
            "https://login.acme.example/auth/token?tenant=acme"
        );
    }
}
