//! The ConnectWise client and its builder.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use psa_core::http::{
    ApiRequest, ApiResponse, ErrorParser, HttpClient, HttpConfig, RateLimiter, Unlimited,
    validate_base_url,
};
use psa_core::{Error, ErrorKind, Result, Vendor};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

use crate::auth::{Credentials, MemberAuth, MemberToken, MemberTokenSource, api_key_auth};
use crate::models::CompanyInfo;
use crate::query::MAX_PAGE_SIZE;
use crate::request::Request;
use crate::resources::{Boards, ListRequest, Resource, Tickets};
use crate::webhook::{CallbackVerifier, DEFAULT_KEY_TTL, KeyUrlPolicy};

/// The API version pinned in `Accept` by default.
pub const DEFAULT_API_VERSION: &str = "2025.16";

/// ConnectWise's error bodies, for the HTTP client's error-parser hook.
pub fn error_parser() -> ErrorParser {
    Arc::new(|_status: StatusCode, _headers: &HeaderMap, body: &[u8]| {
        crate::error::parse_error_body(body)
    })
}

/// A ConnectWise PSA client: a cheap `Clone` (an `Arc` inside).
///
/// `Debug` shows the base URL and company, never a key.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    /// Requests as the client (the API member, or the member it acts as).
    http: HttpClient,
    /// Requests with the API member's own keys (member tokens).
    api: HttpClient,
    company_id: String,
    act_as: Option<String>,
    default_board: Option<i64>,
    time_member: Option<i64>,
    page_size: u32,
    verifier: CallbackVerifier,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.http.base_url().as_str())
            .field("company_id", &self.inner.company_id)
            .field("act_as", &self.inner.act_as)
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
        self.inner.http.base_url()
    }

    /// The underlying HTTP client (timeouts, retries, auth, redaction).
    pub fn http(&self) -> &HttpClient {
        &self.inner.http
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

    pub(crate) fn page_size(&self) -> u32 {
        self.inner.page_size
    }

    pub(crate) fn verifier(&self) -> &CallbackVerifier {
        &self.inner.verifier
    }

    // ---- resources ------------------------------------------------------------

    /// Service tickets (`/service/tickets`), their notes, merge and bundle.
    pub fn tickets(&self) -> Tickets {
        Tickets::new(self.clone())
    }
    /// Time entries (`/time/entries`).
    pub fn time_entries(&self) -> Resource<crate::models::TimeEntry> {
        Resource::new(self.clone(), "time/entries")
    }
    /// Companies (`/company/companies`).
    pub fn companies(&self) -> Resource<crate::models::Company> {
        Resource::new(self.clone(), "company/companies")
    }
    /// Contacts (`/company/contacts`).
    pub fn contacts(&self) -> Resource<crate::models::Contact> {
        Resource::new(self.clone(), "company/contacts")
    }
    /// Configurations (`/company/configurations`).
    pub fn configurations(&self) -> Resource<crate::models::Configuration> {
        Resource::new(self.clone(), "company/configurations")
    }
    /// Schedule entries (`/schedule/entries`).
    pub fn schedule_entries(&self) -> Resource<crate::models::ScheduleEntry> {
        Resource::new(self.clone(), "schedule/entries")
    }
    /// The product catalog (`/procurement/catalog`).
    pub fn catalog(&self) -> Resource<crate::models::CatalogItem> {
        Resource::new(self.clone(), "procurement/catalog")
    }
    /// Product lines of tickets, projects and orders (`/procurement/products`).
    pub fn products(&self) -> Resource<crate::models::ProductItem> {
        Resource::new(self.clone(), "procurement/products")
    }
    /// Agreements (`/finance/agreements`).
    pub fn agreements(&self) -> Resource<crate::models::Agreement> {
        Resource::new(self.clone(), "finance/agreements")
    }
    /// SLAs (`/service/SLAs`).
    pub fn slas(&self) -> Resource<crate::models::Sla> {
        Resource::new(self.clone(), "service/SLAs")
    }
    /// Projects (`/project/projects`).
    pub fn projects(&self) -> Resource<crate::models::Project> {
        Resource::new(self.clone(), "project/projects")
    }
    /// Knowledge-base articles (`/service/knowledgeBaseArticles`).
    pub fn kb_articles(&self) -> Resource<crate::models::KnowledgeBaseArticle> {
        Resource::new(self.clone(), "service/knowledgeBaseArticles")
    }
    /// Service boards and their statuses, types, subtypes and items.
    pub fn boards(&self) -> Boards {
        Boards::new(self.clone())
    }
    /// Priorities (`/service/priorities`).
    pub fn priorities(&self) -> Resource<crate::models::Priority> {
        Resource::new(self.clone(), "service/priorities")
    }
    /// Members (`/system/members`).
    pub fn members(&self) -> Resource<crate::models::Member> {
        Resource::new(self.clone(), "system/members")
    }
    /// Work types (`/time/workTypes`).
    pub fn work_types(&self) -> Resource<crate::models::WorkType> {
        Resource::new(self.clone(), "time/workTypes")
    }
    /// Callbacks (`/system/callbacks`).
    pub fn callbacks(&self) -> Resource<crate::models::CallbackEntry> {
        Resource::new(self.clone(), "system/callbacks")
    }
    /// A ticket's audit trail (`/system/audittrail?type=Ticket&id=…`).
    pub fn ticket_audit_trail(&self, ticket: i64) -> ListRequest<crate::models::AuditTrailEntry> {
        crate::resources::ticket_audit_trail(self, ticket)
    }

    // ---- sending --------------------------------------------------------------

    /// Asks ConnectWise for temporary keys of `member`
    /// (`POST /system/members/{member}/tokens`, header `x-cw-usertype: member`),
    /// authenticated with the API member's keys.
    pub async fn member_token(&self, member: &str) -> Result<MemberToken> {
        MemberTokenSource::new(
            self.inner.api.clone(),
            self.inner.company_id.clone(),
            member,
        )?
        .request()
        .await
    }

    /// Sends a request as this client (its member when impersonating)
    /// through the shared HTTP machinery: retries of idempotent requests,
    /// 429 `Retry-After`, a 401 renewing a member token once and replaying
    /// once, ConnectWise's error bodies parsed.
    pub async fn send(&self, req: Request) -> Result<ApiResponse> {
        self.inner.http.send(to_api_request(&req)?).await
    }

    /// The next page a `Link` header names (`rel="next"`), only on the
    /// client's own origin and only by its page token.
    pub(crate) fn next_link(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<crate::resources::PageRef>> {
        let Some(target) = psa_core::paging::parse_link_next(headers) else {
            return Ok(None);
        };
        let base = self.base_url();
        let url = base.join(&target).map_err(|_| {
            Error::new(
                ErrorKind::Api,
                "ConnectWise sent a Link URL that does not parse",
            )
            .with_vendor(Vendor::ConnectWise)
        })?;
        if url.origin() != base.origin() {
            return Err(Error::new(
                ErrorKind::Api,
                format!(
                    "ConnectWise sent a next-page Link to another origin ({}); not followed",
                    url.origin().ascii_serialization()
                ),
            )
            .with_vendor(Vendor::ConnectWise));
        }
        let param = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.into_owned())
        };
        if let Some(id) = param("pageId").and_then(|v| v.parse::<i64>().ok()) {
            return Ok(Some(crate::resources::PageRef::After(id)));
        }
        if let Some(n) = param("page").and_then(|v| v.parse::<u32>().ok()) {
            return Ok(Some(crate::resources::PageRef::Number(n)));
        }
        Err(Error::new(
            ErrorKind::Api,
            "ConnectWise sent a next-page Link without page or pageId",
        )
        .with_vendor(Vendor::ConnectWise))
    }

    /// Fetches a callback signing key from a URL the key policy allowed,
    /// without credentials (they only ever go to the API base).
    pub(crate) async fn fetch_signing_key(&self, url: Url) -> Result<SecretString> {
        let origin = format!("{}/", url.origin().ascii_serialization());
        let keys = HttpClient::builder(Vendor::ConnectWise, origin)
            .reqwest_client(self.inner.http.reqwest_client().clone())
            .config(self.inner.http.config().clone())
            .error_parser(error_parser())
            .build()?;
        let resp = keys.send(ApiRequest::absolute(Method::GET, url)).await?;
        let key: crate::webhook::SigningKeyResponse = decode(&resp.body, "callback signing key")?;
        Ok(SecretString::from(key.signing_key))
    }
}

fn to_api_request(req: &Request) -> Result<ApiRequest> {
    let mut out = ApiRequest::new(req.method.clone(), req.path.clone());
    for (k, v) in &req.query {
        out = out.query(k.clone(), v);
    }
    for (k, v) in &req.headers {
        out = out.try_header(k, v)?;
    }
    if let Some(b) = &req.body {
        out = out.json(b)?;
    }
    Ok(out.idempotent(req.idempotent))
}

/// Decodes a JSON body, naming the failing field
/// ([`psa_core::error::decode_slice`]).
pub(crate) fn decode<T: DeserializeOwned>(body: &Bytes, what: &str) -> Result<T> {
    psa_core::error::decode_slice(
        Some(Vendor::ConnectWise),
        &format!("ConnectWise {what}"),
        body,
    )
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
        let info = discover(&site, &company).await?;
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
        let config = self.http_config.unwrap_or_default();
        let limiter: Arc<dyn RateLimiter> =
            self.rate_limiter.unwrap_or_else(|| Arc::new(Unlimited));
        let api = HttpClient::builder(Vendor::ConnectWise, base.as_str())
            .config(config.clone())
            .rate_limiter(Arc::clone(&limiter))
            .auth(Arc::new(api_key_auth(&credentials)?))
            .error_parser(error_parser())
            .default_header(http::header::ACCEPT, accept.clone())
            .build()?;
        let act_as = self.act_as.filter(|m| !m.is_empty());
        let http = match &act_as {
            None => api.clone(),
            Some(member) => {
                let source =
                    MemberTokenSource::new(api.clone(), credentials.company_id(), member.clone())?;
                HttpClient::builder(Vendor::ConnectWise, base.as_str())
                    .config(config)
                    .rate_limiter(limiter)
                    .reqwest_client(api.reqwest_client().clone())
                    .auth(Arc::new(MemberAuth::new(source, &credentials)?))
                    .error_parser(error_parser())
                    .default_header(http::header::ACCEPT, accept)
                    .build()?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                api,
                company_id: credentials.company_id().to_owned(),
                act_as,
                default_board: self.default_board,
                time_member: self.time_member,
                page_size,
                verifier: CallbackVerifier::new(policy, self.key_ttl.unwrap_or(DEFAULT_KEY_TTL)),
            }),
        })
    }
}

/// Checks a base URL with the shared rules (https, http only for loopback,
/// no user-info, no query or fragment).
fn validate_base(raw: &str) -> Result<Url> {
    validate_base_url(raw.trim()).map_err(|e| e.with_vendor(Vendor::ConnectWise))
}

/// `GET https://{site}/login/companyinfo/{companyId}` (unauthenticated):
/// the site's codebase.
pub async fn discover(site: &Url, company: &str) -> Result<CompanyInfo> {
    if company.is_empty()
        || !company
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(
            Error::config(format!("{company:?} is not a ConnectWise company id"))
                .with_vendor(Vendor::ConnectWise),
        );
    }
    let origin = format!("{}/", site.origin().ascii_serialization());
    let http = HttpClient::builder(Vendor::ConnectWise, origin)
        .error_parser(error_parser())
        .build()?;
    let resp = http
        .send(ApiRequest::get(format!("login/companyinfo/{company}")))
        .await?;
    decode(&resp.body, "companyinfo")
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
