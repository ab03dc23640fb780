//! The configuration file: which vendor, where its credentials come from,
//! the permission policy, approvals, test mode, the audit sink, limits and
//! the HTTP transport.
//!
//! ```toml
//! vendor = "halo"                 # halo | connectwise | autotask | servicenow
//! label = "claude-desktop"        # the principal in audit records
//! test_mode = false               # true: writes are planned and returned, never sent
//! transport = "stdio"             # stdio | http
//!
//! [halo]                          # each setting: a value, { env = "NAME" } or { file = "PATH" }
//! base_url = "https://acme.halopsa.com"
//! client_id = { env = "HALO_CLIENT_ID" }
//! client_secret = { file = "/run/secrets/halo_client_secret" }   # secrets: env or file only
//!
//! [policy]                        # psa-permissions' policy format, inline
//! profile = "helpdesk"
//! [policy.groups.ticket_notes]
//! fields = ["internal"]
//!
//! [approval]
//! mode = "psa"                    # deny | channel | psa
//! timeout_seconds = 900           # then a pending plan expires (a waiting call is refused)
//! poll_interval_seconds = 30      # psa: how often the ticket's notes are read
//! approvers = [7]                 # psa: who may answer besides the ticket's assigned agent
//! deferred = true                 # psa: writes return a plan id; plan_status / execute_plan / list_plans follow up
//! plan_store = "file"             # memory (default) | file
//! plan_dir = "/var/lib/psa-mcp/plans"
//!
//! [audit]
//! sink = "file"                   # tracing (default) | file
//! path = "/var/log/psa-mcp/audit.jsonl"
//!
//! [http]
//! bind = "127.0.0.1:8080"         # loopback by default
//! token = { env = "PSA_MCP_TOKEN" }   # required when bound to a non-loopback address
//! ```
//!
//! **Secrets are never written in the file**: a credential given as a plain
//! string is a configuration error (which does not repeat the value). Every
//! vendor setting has a default environment variable (`HALO_CLIENT_SECRET`
//! …, see the README), so a file may leave the vendor section out entirely.
//! Unknown keys are errors naming the key and its line.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use psa_core::Id;
use psa_core::{Error, Psa, Result, Vendor};
use psa_permissions::{
    ApprovalRequest, ChannelApprover, FilePlanStore, JsonLinesAudit, MemoryPlanStore, PlanStore,
    Policy, Profile, PsaApprover,
};
use secrecy::SecretString;
use serde::Deserialize;
use serde::de::{self, Deserializer};
use tokio::sync::mpsc;

use crate::args::Limits;
use crate::http::HttpOptions;
use crate::server::ServerBuilder;

mod source;
mod vendors;

pub use source::{Secret, Setting, Source};
use vendors::{autotask, connectwise, halo, servicenow};

/// `[halo]`: HaloPSA client credentials.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct HaloConfig {
    /// The tenant's URL (default `$HALO_BASE_URL`).
    pub base_url: Option<Setting>,
    /// The authorisation server, when not `{base_url}/auth` (default `$HALO_AUTH_URL` when set).
    pub auth_url: Option<Setting>,
    /// Hosted tenants' name (default `$HALO_TENANT` when set).
    pub tenant: Option<Setting>,
    /// The API application's client id (default `$HALO_CLIENT_ID`).
    pub client_id: Option<Setting>,
    /// Its secret (default `$HALO_CLIENT_SECRET`).
    pub client_secret: Option<Secret>,
}

/// `[connectwise]`: ConnectWise PSA API-member keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ConnectWiseConfig {
    /// The API base, `https://{site}/{codebase}apis/3.0` (default `$CW_BASE_URL` when set).
    pub base_url: Option<Setting>,
    /// The site, whose codebase is discovered when no base URL is given (default `$CW_SITE`).
    pub site: Option<Setting>,
    /// The company id typed at login (default `$CW_COMPANY_ID`).
    pub company_id: Option<Setting>,
    /// The API member's public key (default `$CW_PUBLIC_KEY`).
    pub public_key: Option<Secret>,
    /// The API member's private key (default `$CW_PRIVATE_KEY`).
    pub private_key: Option<Secret>,
    /// The integration's client id (default `$CW_CLIENT_ID`).
    pub client_id: Option<Secret>,
}

/// `[autotask]`: Autotask API-user credentials.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AutotaskConfig {
    /// The API user's user name (default `$AUTOTASK_USERNAME`).
    pub username: Option<Setting>,
    /// Its secret (default `$AUTOTASK_SECRET`).
    pub secret: Option<Secret>,
    /// The integration code (default `$AUTOTASK_INTEGRATION_CODE`).
    pub integration_code: Option<Secret>,
    /// The zone's API URL, skipping zone discovery (default `$AUTOTASK_ZONE` when set).
    pub zone: Option<Setting>,
    /// The zone look-up URL (default Autotask's; `$AUTOTASK_ZONE_LOOKUP_URL` when set).
    pub zone_lookup_url: Option<Setting>,
}

/// How ServiceNow authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ServiceNowAuth {
    /// OAuth client credentials (`client_id`, `client_secret`).
    Oauth,
    /// Basic auth (`username`, `password`).
    Basic,
}

/// `[servicenow]`: a ServiceNow instance.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ServiceNowConfig {
    /// The instance URL (default `$SERVICENOW_BASE_URL`).
    pub base_url: Option<Setting>,
    /// `oauth` or `basic` (default: `oauth` when `$SERVICENOW_CLIENT_ID` is set, else `basic`).
    pub auth: Option<ServiceNowAuth>,
    /// OAuth client id (default `$SERVICENOW_CLIENT_ID`).
    pub client_id: Option<Setting>,
    /// OAuth client secret (default `$SERVICENOW_CLIENT_SECRET`).
    pub client_secret: Option<Secret>,
    /// Basic-auth user (default `$SERVICENOW_USERNAME`).
    pub username: Option<Setting>,
    /// Basic-auth password (default `$SERVICENOW_PASSWORD`).
    pub password: Option<Secret>,
}

/// How writes that need approval are approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ApprovalMode {
    /// Refused (`approval_denied`): nobody is there to approve. The default.
    #[default]
    Deny,
    /// An in-process channel the embedding program answers
    /// ([`ChannelApprover`]): [`Config::server_builder`] returns its
    /// receiving end. The binary has no one to answer it and refuses this
    /// mode.
    Channel,
    /// Through the PSA itself ([`PsaApprover`]): the planned write is posted
    /// on its ticket as an internal note naming what will change, and the
    /// ticket's assigned agent (or one of `approvers`) answers with a note
    /// `APPROVE <code>` or `DENY <code> <reason>`, read by polling.
    Psa,
}

/// Where plans waiting for a decision are kept (`[approval] plan_store`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PlanStoreKind {
    /// In memory: pending plans are lost when the server stops. The default.
    #[default]
    Memory,
    /// One JSON file a plan in `plan_dir`: plans survive a restart.
    File,
}

/// `[approval]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ApprovalConfig {
    /// The mode.
    #[serde(default)]
    pub mode: ApprovalMode,
    /// How long a write waits for its answer before it is refused; for a
    /// deferred plan, how long it may wait for a decision before it expires
    /// (default 300).
    #[serde(default = "default_approval_timeout")]
    pub timeout_seconds: u64,
    /// `psa`: how often the ticket's notes are read for an answer (default 30).
    #[serde(default = "default_poll_interval")]
    pub poll_interval_seconds: u64,
    /// `psa`: agents (ids as `list_agents` gives them) who may answer any
    /// request, besides the ticket's assigned agent.
    #[serde(default)]
    pub approvers: Vec<Id>,
    /// `psa`: whether the ticket's assigned agent may answer (default true);
    /// off, only `approvers` may.
    #[serde(default = "yes")]
    pub owner_approves: bool,
    /// `psa`: the ticket requests about no ticket (a new contact) are
    /// posted on; without one such writes are refused.
    pub fallback_ticket: Option<Id>,
    /// `psa`: whether a write returns at once with its plan id (status
    /// pending), to be executed with the `execute_plan` tool once approved
    /// (default true), instead of the call waiting for the answer.
    pub deferred: Option<bool>,
    /// `psa`: where plans are kept: `memory` (default) or `file` (`plan_dir`).
    #[serde(default)]
    pub plan_store: PlanStoreKind,
    /// `psa` with `plan_store = "file"`: the directory of the plans.
    pub plan_dir: Option<PathBuf>,
}

fn default_approval_timeout() -> u64 {
    300
}

fn default_poll_interval() -> u64 {
    30
}

fn yes() -> bool {
    true
}

impl Default for ApprovalConfig {
    fn default() -> Self {
        ApprovalConfig {
            mode: ApprovalMode::Deny,
            timeout_seconds: default_approval_timeout(),
            poll_interval_seconds: default_poll_interval(),
            approvers: Vec::new(),
            owner_approves: true,
            fallback_ticket: None,
            deferred: None,
            plan_store: PlanStoreKind::Memory,
            plan_dir: None,
        }
    }
}

/// Where audit events go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuditSinkKind {
    /// `tracing` at INFO, target `psa::audit` (the binary logs to stderr).
    #[default]
    Tracing,
    /// One JSON object per line, appended to `path`.
    File,
}

/// `[audit]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AuditConfig {
    /// The sink.
    #[serde(default)]
    pub sink: AuditSinkKind,
    /// The file, for `sink = "file"`.
    pub path: Option<PathBuf>,
}

/// `[http]`: the streamable HTTP transport.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct HttpConfig {
    /// The address to listen on (default `127.0.0.1:8080`).
    pub bind: Option<SocketAddr>,
    /// The bearer token clients must send; required unless `bind` is loopback.
    pub token: Option<Secret>,
    /// Host names accepted in `Host` (default: loopback names when bound to
    /// loopback; any host when bound elsewhere, where the token guards).
    pub allowed_hosts: Option<Vec<String>>,
    /// The endpoint's path (default `/mcp`).
    pub path: Option<String>,
}

/// `[limits]`.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LimitsConfig {
    /// Records a listing returns when the call sets no `limit` (default 25).
    pub default_list: Option<u64>,
    /// The largest `limit` a listing accepts (default 200).
    pub max_list: Option<u64>,
    /// The largest attachment `download_attachment` returns, in bytes (default 5 MiB).
    pub max_download_bytes: Option<u64>,
    /// The largest file `upload_attachment` accepts, in bytes (default 2 MiB;
    /// over HTTP its base64 must fit the 4 MiB request limit).
    pub max_upload_bytes: Option<usize>,
}

/// Which transport the binary serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Transport {
    /// stdin / stdout (an MCP client starts the binary). The default.
    #[default]
    Stdio,
    /// Streamable HTTP (`[http]`).
    Http,
}

/// The whole configuration file. See the [module docs](self).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Config {
    /// The vendor (`--vendor` overrides it).
    #[serde(default, deserialize_with = "de_vendor")]
    pub vendor: Option<Vendor>,
    /// The principal in audit records (default `psa-mcp`).
    pub label: Option<String>,
    /// Plan writes, send none.
    #[serde(default)]
    pub test_mode: bool,
    /// The technician (an agent id) every write is attributed to, through
    /// the vendor's act-as mechanism; needs the policy's `act_as` switch. A
    /// call's own `act_as` argument overrides it.
    pub act_as: Option<Id>,
    /// stdio or http.
    #[serde(default)]
    pub transport: Transport,
    /// The policy, inline in psa-permissions' file format.
    pub policy: Option<Policy>,
    /// Or a policy file (`.toml` / `.json`), relative to the config file.
    pub policy_file: Option<PathBuf>,
    /// Approvals.
    #[serde(default)]
    pub approval: ApprovalConfig,
    /// The audit sink.
    #[serde(default)]
    pub audit: AuditConfig,
    /// The HTTP transport.
    #[serde(default)]
    pub http: HttpConfig,
    /// Argument and listing limits.
    #[serde(default)]
    pub limits: LimitsConfig,
    /// HaloPSA.
    pub halo: Option<HaloConfig>,
    /// ConnectWise PSA.
    pub connectwise: Option<ConnectWiseConfig>,
    /// Autotask PSA.
    pub autotask: Option<AutotaskConfig>,
    /// ServiceNow.
    pub servicenow: Option<ServiceNowConfig>,
}

/// Parses a vendor name: `halo`, `connectwise` (`cw`), `autotask`,
/// `servicenow` (`snow`), any case.
pub fn parse_vendor(name: &str) -> Result<Vendor> {
    match name.trim().to_ascii_lowercase().as_str() {
        "halo" | "halopsa" => Ok(Vendor::Halo),
        "connectwise" | "cw" => Ok(Vendor::ConnectWise),
        "autotask" => Ok(Vendor::Autotask),
        "servicenow" | "snow" => Ok(Vendor::ServiceNow),
        _ => Err(Error::config(format!(
            "unknown vendor `{}`: expected halo, connectwise, autotask or servicenow",
            name.chars().take(40).collect::<String>()
        ))),
    }
}

fn de_vendor<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Vendor>, D::Error> {
    let s = String::deserialize(d)?;
    parse_vendor(&s)
        .map(Some)
        .map_err(|e| de::Error::custom(e.message()))
}

/// Line and column (1-based) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut cut = offset.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &text[..cut];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// What [`Config::connect`] returns.
#[non_exhaustive]
pub struct Connection {
    /// The vendor client, unguarded (the server guards it).
    pub psa: Arc<dyn Psa>,
    /// The secrets read, for the server's output scrubber.
    pub secrets: Vec<SecretString>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("psa", &self.psa)
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

impl Config {
    /// Parses TOML. Errors name the key and the line, and never repeat a
    /// value (a misplaced secret stays out of logs).
    pub fn from_toml_str(text: &str) -> Result<Config> {
        Self::parse(text, "configuration")
    }

    fn parse(text: &str, origin: &str) -> Result<Config> {
        let describe = |e: &toml::de::Error, path: &str| {
            let at = e.span().map_or(String::new(), |s| {
                let (l, c) = line_col(text, s.start);
                format!(" (line {l}, column {c})")
            });
            Error::config(format!(
                "invalid {origin}{path}{at}: {}",
                e.message().trim_end()
            ))
        };
        let de = toml::Deserializer::parse(text).map_err(|e| describe(&e, ""))?;
        serde_path_to_error::deserialize::<_, Config>(de).map_err(|e| {
            let p = e.path().to_string();
            let path = if p.is_empty() || p == "." {
                String::new()
            } else {
                format!(" at `{p}`")
            };
            describe(e.inner(), &path)
        })
    }

    /// Loads a TOML file; a relative `policy_file` is resolved against its folder.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Config> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::config(format!("cannot read configuration file {}", path.display()))
                .with_source(e)
        })?;
        let mut config = Self::parse(&text, &format!("configuration file {}", path.display()))?;
        if let (Some(pf), Some(dir)) = (&config.policy_file, path.parent())
            && pf.is_relative()
        {
            config.policy_file = Some(dir.join(pf));
        }
        Ok(config)
    }

    /// The vendor, or a configuration error when none is set.
    pub fn vendor(&self) -> Result<Vendor> {
        self.vendor.ok_or_else(|| {
            Error::config("no vendor: set `vendor` in the configuration file or pass --vendor")
        })
    }

    /// The policy: `policy` or `policy_file` (not both), else `fallback`.
    pub fn policy_or(&self, fallback: Profile) -> Result<Policy> {
        match (&self.policy, &self.policy_file) {
            (Some(_), Some(_)) => Err(Error::config(
                "give the policy inline ([policy]) or as policy_file, not both",
            )),
            (Some(p), None) => Ok(p.clone()),
            (None, Some(f)) => Policy::from_path(f),
            (None, None) => Ok(Policy::profile(fallback)),
        }
    }

    /// The limits.
    pub fn limits(&self) -> Limits {
        let d = Limits::default();
        Limits::default()
            .list_sizes(
                self.limits.default_list.unwrap_or(d.default_list),
                self.limits.max_list.unwrap_or(d.max_list),
            )
            .attachment_bytes(
                self.limits
                    .max_download_bytes
                    .unwrap_or(d.max_download_bytes),
                self.limits.max_upload_bytes.unwrap_or(d.max_upload_bytes),
            )
    }

    /// The HTTP options (bind address, token, hosts, path), checked: a
    /// non-loopback address needs a token.
    pub fn http_options(&self) -> Result<HttpOptions> {
        let mut o = HttpOptions::default();
        if let Some(b) = self.http.bind {
            o.bind = b;
        }
        if let Some(Secret(src)) = &self.http.token {
            o.token = Some(src.read("http.token")?);
        }
        if let Some(h) = &self.http.allowed_hosts {
            o.allowed_hosts = Some(h.clone());
        }
        if let Some(p) = &self.http.path {
            o.path.clone_from(p);
        }
        o.validate()?;
        Ok(o)
    }

    /// Connects to the configured vendor with credentials from the
    /// environment and files. No request is made (ConnectWise without a
    /// base URL discovers its codebase: one request).
    pub async fn connect(&self) -> Result<Connection> {
        let mut secrets = Vec::new();
        let psa: Arc<dyn Psa> = match self.vendor()? {
            Vendor::Halo => halo(&self.halo.clone().unwrap_or_default(), &mut secrets)?,
            Vendor::ConnectWise => {
                connectwise(&self.connectwise.clone().unwrap_or_default(), &mut secrets).await?
            }
            Vendor::Autotask => autotask(&self.autotask.clone().unwrap_or_default(), &mut secrets)?,
            Vendor::ServiceNow => {
                servicenow(&self.servicenow.clone().unwrap_or_default(), &mut secrets)?
            }
            other => {
                return Err(Error::config(format!(
                    "vendor {other} is not supported by psa-mcp"
                )));
            }
        };
        Ok(Connection { psa, secrets })
    }

    /// A server builder for `psa` with this configuration: policy (or
    /// `fallback`), label, test mode, audit sink, limits and approvals.
    ///
    /// For `approval.mode = "channel"` it also returns the receiving end of
    /// the [`ChannelApprover`]: the embedding program answers each
    /// [`ApprovalRequest`] (`timeout_seconds` bounds the wait; no answer is
    /// a refusal). For `"psa"` the approver is a [`PsaApprover`] that posts
    /// and reads through `psa` (the unguarded client), with the configured
    /// plan store; deferred (the default), writes return their plan id and
    /// the `plan_status`, `execute_plan` and `list_plans` tools are listed.
    pub fn server_builder(
        &self,
        psa: Arc<dyn Psa>,
        fallback: Profile,
    ) -> Result<(ServerBuilder, Option<mpsc::Receiver<ApprovalRequest>>)> {
        // The PSA-backed approver posts and reads through the unguarded client.
        let approver_psa = Arc::clone(&psa);
        let mut b = crate::McpServer::builder(psa)
            .policy(self.policy_or(fallback)?)
            .test_mode(self.test_mode)
            .limits(self.limits());
        if let Some(l) = &self.label {
            b = b.label(l.clone());
        }
        if let Some(agent) = &self.act_as {
            b = b.act_as(agent.clone());
        }
        match self.audit.sink {
            AuditSinkKind::Tracing => {}
            AuditSinkKind::File => {
                let path = self
                    .audit
                    .path
                    .as_ref()
                    .ok_or_else(|| Error::config("audit.path: sink = \"file\" needs a path"))?;
                let sink = JsonLinesAudit::append_to(path).map_err(|e| {
                    Error::config(format!("audit.path: cannot open {}", path.display()))
                        .with_source(e)
                })?;
                b = b.audit(sink);
            }
        }
        let a = &self.approval;
        let timeout = Duration::from_secs(a.timeout_seconds.max(1));
        if a.mode != ApprovalMode::Psa
            && (a.deferred.is_some()
                || a.plan_dir.is_some()
                || a.plan_store != PlanStoreKind::Memory
                || !a.approvers.is_empty()
                || a.fallback_ticket.is_some())
        {
            return Err(Error::config(
                "approval: deferred, plan_store, plan_dir, approvers and fallback_ticket apply to mode = \"psa\" only",
            ));
        }
        let rx = match a.mode {
            ApprovalMode::Deny => None,
            ApprovalMode::Channel => {
                let (approver, rx) = ChannelApprover::new(timeout);
                b = b.approver(approver);
                Some(rx)
            }
            ApprovalMode::Psa => {
                if !a.owner_approves && a.approvers.is_empty() {
                    return Err(Error::config(
                        "approval: owner_approves = false leaves no one to approve; name `approvers`",
                    ));
                }
                let mut approver = PsaApprover::new(approver_psa)
                    .approvers(a.approvers.iter().cloned())
                    .owner_approves(a.owner_approves)
                    .timeout(timeout)
                    .poll_interval(Duration::from_secs(a.poll_interval_seconds.max(1)));
                if let Some(t) = &a.fallback_ticket {
                    approver = approver.fallback_ticket(t.clone());
                }
                let store: Arc<dyn PlanStore> = match (a.plan_store, &a.plan_dir) {
                    (PlanStoreKind::Memory, None) => Arc::new(MemoryPlanStore::new()),
                    (PlanStoreKind::Memory, Some(_)) => {
                        return Err(Error::config(
                            "approval.plan_dir is for plan_store = \"file\"",
                        ));
                    }
                    (PlanStoreKind::File, Some(dir)) => Arc::new(FilePlanStore::open(dir)?),
                    (PlanStoreKind::File, None) => {
                        return Err(Error::config(
                            "approval.plan_store = \"file\" needs plan_dir",
                        ));
                    }
                };
                b = b
                    .approver(approver)
                    .plan_store(store, a.deferred.unwrap_or(true))
                    .plan_ttl(timeout);
                None
            }
        };
        Ok((b, rx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_written_in_the_file_are_refused_without_echo() {
        let err = Config::from_toml_str(
            "vendor = \"halo\"\n[halo]\nclient_secret = \"s3cr3t-value-canary\"\n",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(err.is_config());
        assert!(msg.contains("must not be written"), "{msg}");
        assert!(msg.contains("line 3"), "{msg}");
        assert!(!msg.contains("s3cr3t-value-canary"), "{msg}");
        assert!(!format!("{err:?}").contains("s3cr3t-value-canary"));
    }

    #[test]
    fn a_full_file_parses() {
        let c = Config::from_toml_str(
            r#"
            vendor = "ServiceNow"
            label = "agent"
            test_mode = true
            transport = "http"
            [servicenow]
            base_url = { env = "SN_URL" }
            client_id = "abc"
            client_secret = { file = "/run/secrets/sn" }
            [policy]
            profile = "helpdesk"
            [policy.groups.ticket_notes]
            fields = ["internal"]
            [approval]
            mode = "channel"
            timeout_seconds = 5
            [audit]
            sink = "file"
            path = "audit.jsonl"
            [http]
            bind = "0.0.0.0:9000"
            token = { env = "TOKEN" }
            [limits]
            default_list = 10
            max_list = 50
            "#,
        )
        .unwrap();
        assert_eq!(c.vendor, Some(Vendor::ServiceNow));
        assert_eq!(c.transport, Transport::Http);
        assert_eq!(c.approval.mode, ApprovalMode::Channel);
        let sn = c.servicenow.unwrap();
        assert_eq!(
            sn.client_secret,
            Some(Secret(Source::File("/run/secrets/sn".into())))
        );
        assert_eq!(sn.client_id, Some(Setting::Value("abc".into())));
        assert!(!c.policy.unwrap().allows(psa_core::Operation::UpdateContact));
    }

    #[test]
    fn mistakes_name_the_key() {
        let err =
            Config::from_toml_str("vendor = \"halo\"\n[aproval]\nmode = \"deny\"\n").unwrap_err();
        assert!(err.to_string().contains("aproval"), "{err}");
        let err = Config::from_toml_str("vendor = \"freshdesk\"\n").unwrap_err();
        assert!(err.to_string().contains("unknown vendor"), "{err}");
        let err = Config::from_toml_str("[approval]\nmode = \"sometimes\"\n").unwrap_err();
        assert!(
            err.to_string().contains("sometimes") || err.to_string().contains("approval"),
            "{err}"
        );
    }

    #[test]
    fn psa_approval_builds_a_deferred_server_and_checks_its_settings() {
        let psa: Arc<dyn Psa> = Arc::new(NoPsa);
        let c = Config::from_toml_str(
            "vendor = \"halo\"\n[approval]\nmode = \"psa\"\napprovers = [7, \"8\"]\npoll_interval_seconds = 5\n",
        )
        .unwrap();
        assert_eq!(
            c.approval.approvers,
            vec![Id::from(7), Id::text("8").unwrap()]
        );
        let (b, rx) = c
            .server_builder(Arc::clone(&psa), Profile::ReadOnly)
            .unwrap();
        assert!(rx.is_none());
        let server = b.build().unwrap();
        assert!(server.has_approver() && server.defers_approvals());
        for (toml, needle) in [
            (
                "[approval]\nmode = \"psa\"\nplan_store = \"file\"\n",
                "needs plan_dir",
            ),
            (
                "[approval]\nmode = \"psa\"\nplan_dir = \"/tmp/x\"\n",
                "plan_store = \"file\"",
            ),
            (
                "[approval]\nmode = \"deny\"\ndeferred = true\n",
                "mode = \"psa\" only",
            ),
            (
                "[approval]\nmode = \"psa\"\nowner_approves = false\n",
                "no one to approve",
            ),
        ] {
            let c = Config::from_toml_str(toml).unwrap();
            let err = c
                .server_builder(Arc::clone(&psa), Profile::ReadOnly)
                .err()
                .unwrap();
            assert!(err.is_config() && err.to_string().contains(needle), "{err}");
        }
    }

    #[derive(Debug)]
    struct NoPsa;
    impl Psa for NoPsa {
        fn vendor(&self) -> Vendor {
            Vendor::Halo
        }
    }

    #[test]
    fn http_needs_a_token_off_loopback() {
        let c = Config::from_toml_str("[http]\nbind = \"0.0.0.0:8080\"\n").unwrap();
        let err = c.http_options().unwrap_err();
        assert!(err.to_string().contains("token"), "{err}");
        let c = Config::from_toml_str("[http]\nbind = \"127.0.0.1:0\"\n").unwrap();
        assert!(c.http_options().is_ok());
    }
}
