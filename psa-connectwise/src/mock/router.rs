//! The simulator's request handling: auth, versioned `Accept`, routing,
//! conditions, paging and the stateful writes.
//!
//! Handlers return the simulated response itself as their error
//! (`Result<_, ResponseTemplate>`): large, but never on a hot path.
#![allow(clippy::result_large_err)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use wiremock::{Request, Respond, ResponseTemplate};

use super::conditions::{self, ParseError};
use super::state::{
    Coll, IssuedToken, State, configuration_custom_fields, ticket_custom_fields, ts,
};
use crate::error::{ErrorResponse, ValidationError};
use crate::models::parse_timestamp;

/// Settings of a running simulator.
#[derive(Debug, Clone)]
pub(crate) struct MockConfig {
    pub(crate) company_id: String,
    pub(crate) public_key: String,
    pub(crate) private_key: String,
    pub(crate) client_id: String,
    pub(crate) codebase: String,
    pub(crate) api_member: String,
    pub(crate) token_lifetime: chrono::Duration,
    pub(crate) rate_limit_every: Option<u64>,
}

/// Request counters.
#[derive(Debug, Default, Clone)]
pub(crate) struct Counters {
    pub(crate) total: u64,
    pub(crate) api: u64,
    pub(crate) per_path: BTreeMap<String, u64>,
    pub(crate) key_requests: u64,
    pub(crate) companyinfo_requests: u64,
    pub(crate) unexpected: u64,
    pub(crate) unauthorized: u64,
    pub(crate) rate_limited: u64,
    pub(crate) accept_versions: Vec<String>,
    pub(crate) write_identities: Vec<String>,
}

/// Faults a test injects.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    pub(crate) next_429: u32,
    pub(crate) retry_after_secs: u64,
}

/// State shared by the router and the [`ConnectWiseMock`](super::ConnectWiseMock) handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) cfg: MockConfig,
    pub(crate) state: Mutex<State>,
    pub(crate) counters: Mutex<Counters>,
    pub(crate) faults: Mutex<Faults>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The wiremock responder that is the whole simulated site.
pub(crate) struct Router(pub(crate) Arc<Shared>);

type Resp = ResponseTemplate;

fn json_resp(status: u16, body: &Value) -> Resp {
    ResponseTemplate::new(status).set_body_raw(
        serde_json::to_vec(body).unwrap_or_default(),
        "application/json; charset=utf-8",
    )
}

fn error(status: u16, code: &str, message: impl Into<String>) -> Resp {
    let body = serde_json::to_value(ErrorResponse::new(code, message)).unwrap_or(Value::Null);
    json_resp(status, &body)
}

fn invalid(resource: &str, field: &str, message: impl Into<String>) -> Resp {
    let body =
        ErrorResponse::new("InvalidObject", format!("{resource} object is invalid")).with_error(
            ValidationError::new("InvalidField", resource, field, message),
        );
    json_resp(400, &serde_json::to_value(body).unwrap_or(Value::Null))
}

fn not_found(what: &str, id: impl std::fmt::Display) -> Resp {
    error(404, "NotFound", format!("{what} ID {id} not found"))
}

fn no_content() -> Resp {
    ResponseTemplate::new(204)
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

impl Respond for Router {
    fn respond(&self, req: &Request) -> Resp {
        let shared = &self.0;
        let path = req.url.path().to_owned();
        {
            let mut c = lock(&shared.counters);
            c.total += 1;
            *c.per_path
                .entry(format!("{} {}", req.method, path))
                .or_default() += 1;
        }
        let base = format!("/{}apis/3.0/", shared.cfg.codebase);
        if let Some(company) = path.strip_prefix("/login/companyinfo/") {
            lock(&shared.counters).companyinfo_requests += 1;
            return self.company_info(company);
        }
        if let Some(rest) = path.strip_prefix("/callbackkeys/") {
            lock(&shared.counters).key_requests += 1;
            let key = rest
                .parse::<i64>()
                .ok()
                .and_then(|id| lock(&shared.state).signing_keys.get(&id).cloned());
            return match key {
                Some(k) => json_resp(200, &json!({ "signing_key": k })),
                None => error(404, "NotFound", "no such callback key"),
            };
        }
        let Some(rest) = path.strip_prefix(&base) else {
            return self.unexpected(req);
        };
        lock(&shared.counters).api += 1;
        if let Some(r) = self.fault() {
            return r;
        }
        if let Some(r) = self.check_accept(req) {
            return r;
        }
        let identity = match self.authenticate(req) {
            Ok(who) => who,
            Err(r) => return r,
        };
        let segs: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
        let method = req.method.as_str().to_owned();
        let mut st = lock(&shared.state);
        let answer = route(&mut st, &shared.cfg, &method, &segs, req, &identity);
        drop(st);
        let Some(answer) = answer else {
            return self.unexpected(req);
        };
        if method != "GET" {
            lock(&shared.counters).write_identities.push(identity);
        }
        answer
    }
}

impl Router {
    fn unexpected(&self, req: &Request) -> Resp {
        lock(&self.0.counters).unexpected += 1;
        tracing::warn!(method = %req.method, path = req.url.path(), "ConnectWiseMock: unexpected request");
        error(
            404,
            "NotFound",
            format!("no route for {} {}", req.method, req.url.path()),
        )
    }

    fn company_info(&self, company: &str) -> Resp {
        if !company.eq_ignore_ascii_case(&self.0.cfg.company_id) {
            return json_resp(200, &json!({}));
        }
        json_resp(
            200,
            &json!({
                "CompanyName": "Northwind MSP",
                "Codebase": self.0.cfg.codebase,
                "VersionCode": "v2025.1",
                "VersionNumber": "v4.6.119624",
                "CompanyID": self.0.cfg.company_id,
                "IsCloud": true,
            }),
        )
    }

    fn fault(&self) -> Option<Resp> {
        let mut f = lock(&self.0.faults);
        let injected = if f.next_429 > 0 {
            f.next_429 -= 1;
            true
        } else {
            let api = lock(&self.0.counters).api;
            self.0
                .cfg
                .rate_limit_every
                .is_some_and(|n| n > 0 && api % n == 0)
        };
        if !injected {
            return None;
        }
        lock(&self.0.counters).rate_limited += 1;
        // what the Cloudflare edge in front of ConnectWise answers
        Some(
            ResponseTemplate::new(429)
                .insert_header(
                    "retry-after",
                    f.retry_after_secs.max(1).to_string().as_str(),
                )
                .set_body_raw("error code: 1015", "text/plain; charset=UTF-8"),
        )
    }

    fn check_accept(&self, req: &Request) -> Option<Resp> {
        let accept = req
            .headers
            .get("accept")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let vendor_type = accept.contains("application/vnd.connectwise.com+json");
        if !vendor_type && !accept.contains("application/json") && !accept.contains("*/*") {
            return Some(error(
                406,
                "NotAcceptable",
                format!("unsupported Accept {accept:?}"),
            ));
        }
        if vendor_type {
            let version = accept
                .split(';')
                .find_map(|p| p.trim().strip_prefix("version="))
                .unwrap_or("")
                .to_owned();
            lock(&self.0.counters).accept_versions.push(version);
        }
        None
    }

    /// The member the request acts as, or ConnectWise's 401.
    fn authenticate(&self, req: &Request) -> Result<String, Resp> {
        let cfg = &self.0.cfg;
        let deny = |msg: &str| {
            lock(&self.0.counters).unauthorized += 1;
            error(401, "Unauthorized", msg)
        };
        let client_id = req.headers.get("clientid").and_then(|v| v.to_str().ok());
        if client_id != Some(cfg.client_id.as_str()) {
            return Err(deny("A valid clientId is required"));
        }
        let Some(auth) = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
        else {
            return Err(deny("Authorization header is required"));
        };
        let decoded = BASE64
            .decode(auth.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let Some((user, private)) = decoded.split_once(':') else {
            return Err(deny("Invalid authorization"));
        };
        let Some((company, public)) = user.split_once('+') else {
            return Err(deny("Invalid authorization"));
        };
        if !company.eq_ignore_ascii_case(&cfg.company_id) {
            return Err(deny("Invalid company"));
        }
        if public == cfg.public_key && private == cfg.private_key {
            return Ok(cfg.api_member.clone());
        }
        let st = lock(&self.0.state);
        let token = st
            .tokens
            .iter()
            .find(|t| t.public_key == public && t.private_key == private);
        match token {
            Some(t) if t.expires > now() => Ok(t.member.clone()),
            Some(_) => Err(deny("Member token expired")),
            None => Err(deny("Invalid authentication keys")),
        }
    }
}

fn query_param<'a>(req: &'a Request, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    req.url
        .query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

fn parse_id(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().filter(|i| *i > 0)
}

#[allow(clippy::too_many_lines)]
fn route(
    st: &mut State,
    cfg: &MockConfig,
    method: &str,
    segs: &[&str],
    req: &Request,
    who: &str,
) -> Option<Resp> {
    let id_at = |i: usize| segs.get(i).and_then(|s| parse_id(s));
    Some(match (method, segs) {
        ("GET", ["system", "info"]) => json_resp(
            200,
            &json!({"version": "v2025.1.119624", "isCloud": true, "serverTimeZone": "Eastern Standard Time",
                "licenseBits": [], "cloudRegion": "NA"}),
        ),
        // tickets
        ("GET", ["service", "tickets"]) => list(st, Coll::Tickets, req, |_| true),
        ("GET", ["service", "tickets", "count"]) => count(st, Coll::Tickets, req),
        ("POST", ["service", "tickets"]) => create_ticket(st, req, who),
        ("GET", ["service", "tickets", _]) => get(st, Coll::Tickets, id_at(2)?, "Ticket"),
        ("PATCH", ["service", "tickets", _]) => patch_ticket(st, id_at(2)?, req, who),
        ("DELETE", ["service", "tickets", _]) => delete(st, Coll::Tickets, id_at(2)?, "Ticket"),
        ("POST", ["service", "tickets", _, "merge"]) => merge(st, id_at(2)?, req, who),
        ("POST", ["service", "tickets", _, "attachChildren"]) => bundle(st, id_at(2)?, req, who),
        ("GET", ["service", "tickets", _, "notes"]) => {
            let t = id_at(2)?;
            if st.get(Coll::Tickets, t).is_none() {
                return Some(not_found("Ticket", t));
            }
            list(st, Coll::Notes, req, |n| n["ticketId"].as_i64() == Some(t))
        }
        ("POST", ["service", "tickets", _, "notes"]) => create_note(st, id_at(2)?, req, who),
        ("GET", ["service", "tickets", _, "notes", _]) => {
            let t = id_at(2)?;
            match st.get(Coll::Notes, id_at(4)?) {
                Some(n) if n["ticketId"].as_i64() == Some(t) => json_resp(200, n),
                _ => not_found("Note", segs[4]),
            }
        }
        // time
        ("GET", ["time", "entries"]) => list(st, Coll::Time, req, |_| true),
        ("POST", ["time", "entries"]) => create_time(st, req, who),
        ("GET", ["time", "entries", _]) => get(st, Coll::Time, id_at(2)?, "TimeEntry"),
        ("PATCH", ["time", "entries", _]) => {
            patch_generic(st, Coll::Time, id_at(2)?, req, who, "timeEntry")
        }
        ("DELETE", ["time", "entries", _]) => delete(st, Coll::Time, id_at(2)?, "TimeEntry"),
        // companies and contacts
        ("GET", ["company", "companies"]) => list(st, Coll::Companies, req, |_| true),
        ("GET", ["company", "companies", _]) => get(st, Coll::Companies, id_at(2)?, "Company"),
        ("GET", ["company", "contacts"]) => list(st, Coll::Contacts, req, |_| true),
        ("POST", ["company", "contacts"]) => create_contact(st, req, who),
        ("GET", ["company", "contacts", _]) => get(st, Coll::Contacts, id_at(2)?, "Contact"),
        ("PATCH", ["company", "contacts", _]) => {
            patch_generic(st, Coll::Contacts, id_at(2)?, req, who, "contact")
        }
        // configurations
        ("GET", ["company", "configurations"]) => list(st, Coll::Configurations, req, |_| true),
        ("POST", ["company", "configurations"]) => create_configuration(st, req, who),
        ("GET", ["company", "configurations", _]) => {
            get(st, Coll::Configurations, id_at(2)?, "Configuration")
        }
        ("PATCH", ["company", "configurations", _]) => patch_generic(
            st,
            Coll::Configurations,
            id_at(2)?,
            req,
            who,
            "configuration",
        ),
        // schedule
        ("GET", ["schedule", "entries"]) => list(st, Coll::Schedule, req, |_| true),
        ("POST", ["schedule", "entries"]) => create_schedule(st, req, who),
        ("GET", ["schedule", "entries", _]) => get(st, Coll::Schedule, id_at(2)?, "ScheduleEntry"),
        ("PATCH", ["schedule", "entries", _]) => {
            patch_generic(st, Coll::Schedule, id_at(2)?, req, who, "scheduleEntry")
        }
        ("DELETE", ["schedule", "entries", _]) => {
            delete(st, Coll::Schedule, id_at(2)?, "ScheduleEntry")
        }
        // procurement
        ("GET", ["procurement", "catalog"]) => list(st, Coll::Catalog, req, |_| true),
        ("GET", ["procurement", "catalog", _]) => get(st, Coll::Catalog, id_at(2)?, "CatalogItem"),
        ("GET", ["procurement", "products"]) => list(st, Coll::Products, req, |_| true),
        ("POST", ["procurement", "products"]) => create_product(st, req, who),
        ("GET", ["procurement", "products", _]) => {
            get(st, Coll::Products, id_at(2)?, "ProductItem")
        }
        ("DELETE", ["procurement", "products", _]) => {
            delete(st, Coll::Products, id_at(2)?, "ProductItem")
        }
        // read-only records
        ("GET", ["finance", "agreements"]) => list(st, Coll::Agreements, req, |_| true),
        ("GET", ["finance", "agreements", _]) => get(st, Coll::Agreements, id_at(2)?, "Agreement"),
        ("GET", ["service", "SLAs"]) => list(st, Coll::Slas, req, |_| true),
        ("GET", ["service", "SLAs", _]) => get(st, Coll::Slas, id_at(2)?, "SLA"),
        ("GET", ["project", "projects"]) => list(st, Coll::Projects, req, |_| true),
        ("GET", ["project", "projects", _]) => get(st, Coll::Projects, id_at(2)?, "Project"),
        ("GET", ["service", "knowledgeBaseArticles"]) => list(st, Coll::Kb, req, |_| true),
        ("GET", ["service", "knowledgeBaseArticles", _]) => {
            get(st, Coll::Kb, id_at(2)?, "KnowledgeBaseArticle")
        }
        ("GET", ["system", "audittrail"]) => audit_trail(st, req),
        // look-ups
        ("GET", ["service", "boards"]) => list(st, Coll::Boards, req, |_| true),
        ("GET", ["service", "boards", _]) => get(st, Coll::Boards, id_at(2)?, "Board"),
        ("GET", ["service", "boards", _, sub]) => {
            let b = id_at(2)?;
            if st.get(Coll::Boards, b).is_none() {
                return Some(not_found("Board", b));
            }
            let coll = match *sub {
                "statuses" => Coll::Statuses,
                "types" => Coll::Types,
                "subtypes" => Coll::Subtypes,
                "items" => Coll::Items,
                _ => return None,
            };
            list(st, coll, req, |r| r["board"]["id"].as_i64() == Some(b))
        }
        ("GET", ["service", "priorities"]) => list(st, Coll::Priorities, req, |_| true),
        ("GET", ["system", "members"]) => list(st, Coll::Members, req, |_| true),
        ("GET", ["system", "members", _]) => get(st, Coll::Members, id_at(2)?, "Member"),
        ("POST", ["system", "members", member, "tokens"]) => issue_token(st, cfg, member, req),
        ("GET", ["time", "workTypes"]) => list(st, Coll::WorkTypes, req, |_| true),
        // callbacks
        ("GET", ["system", "callbacks"]) => list(st, Coll::Callbacks, req, |_| true),
        ("POST", ["system", "callbacks"]) => create_callback(st, req, who),
        ("GET", ["system", "callbacks", _]) => get(st, Coll::Callbacks, id_at(2)?, "CallbackEntry"),
        ("DELETE", ["system", "callbacks", _]) => {
            delete(st, Coll::Callbacks, id_at(2)?, "CallbackEntry")
        }
        _ => return None,
    })
}

// ---- reads ---------------------------------------------------------------------

fn get(st: &State, c: Coll, id: i64, what: &str) -> Resp {
    match st.get(c, id) {
        Some(r) => json_resp(200, r),
        None => not_found(what, id),
    }
}

fn delete(st: &mut State, c: Coll, id: i64, what: &str) -> Resp {
    match st.coll_mut(c).remove(&id) {
        Some(_) => no_content(),
        None => not_found(what, id),
    }
}

struct Filters {
    conditions: Option<conditions::Expr>,
    child: Option<conditions::Expr>,
    custom: Option<conditions::Expr>,
}

fn bad_filter(name: &str, e: &ParseError) -> Resp {
    let body = ErrorResponse::new("InvalidFilter", format!("Invalid {name}: {}", e.0)).with_error(
        ValidationError::new("InvalidFilter", name, name, e.0.clone()),
    );
    json_resp(400, &serde_json::to_value(body).unwrap_or(Value::Null))
}

fn filters(req: &Request) -> Result<Filters, Resp> {
    let parse = |name: &str| -> Result<Option<conditions::Expr>, Resp> {
        match query_param(req, name) {
            Some(s) if !s.trim().is_empty() => conditions::parse(&s)
                .map(Some)
                .map_err(|e| bad_filter(name, &e)),
            _ => Ok(None),
        }
    };
    Ok(Filters {
        conditions: parse("conditions")?,
        child: parse("childConditions")?,
        custom: parse("customFieldConditions")?,
    })
}

fn matching<'a>(
    st: &'a State,
    c: Coll,
    req: &Request,
    scope: impl Fn(&Value) -> bool,
) -> Result<Vec<&'a Value>, Resp> {
    let f = filters(req)?;
    let mut out = Vec::new();
    for r in st.coll(c).values().filter(|r| scope(r)) {
        if let Some(e) = &f.conditions {
            if !conditions::eval(e, r) {
                continue;
            }
        }
        if let Some(e) = &f.child {
            match conditions::eval_child(e, r) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(err) => return Err(bad_filter("childConditions", &err)),
            }
        }
        if let Some(e) = &f.custom {
            if !conditions::eval_custom(e, r) {
                continue;
            }
        }
        out.push(r);
    }
    Ok(out)
}

fn count(st: &State, c: Coll, req: &Request) -> Resp {
    match matching(st, c, req, |_| true) {
        Ok(v) => json_resp(200, &json!({ "count": v.len() })),
        Err(r) => r,
    }
}

fn cmp_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (None | Some(Value::Null), None | Some(Value::Null)) => Ordering::Equal,
        (None | Some(Value::Null), _) => Ordering::Less,
        (_, None | Some(Value::Null)) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

fn path_get<'a>(r: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = r;
    for (i, seg) in path.split('/').enumerate() {
        cur = match cur.get(seg) {
            Some(v) => v,
            None if i == 0 => r.get("_info")?.get(seg)?,
            None => return None,
        };
    }
    Some(cur)
}

fn select_fields(r: &Value, fields: &str) -> Value {
    let mut out = Map::new();
    for f in fields.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        let Some(v) = path_get(r, f) else { continue };
        let segs: Vec<&str> = f.split('/').collect();
        let mut cur = &mut out;
        for (i, seg) in segs.iter().enumerate() {
            if i + 1 == segs.len() {
                cur.insert((*seg).to_owned(), v.clone());
            } else {
                let entry = cur
                    .entry((*seg).to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(Map::new());
                }
                let Value::Object(m) = entry else { break };
                cur = m;
            }
        }
    }
    Value::Object(out)
}

fn link_url(site: &str, req: &Request, set: &[(&str, String)], drop: &[&str]) -> String {
    // the site's own URL (wiremock rebuilds `req.url` with the Host header)
    let mut url =
        url::Url::parse(&format!("{site}{}", req.url.path())).unwrap_or_else(|_| req.url.clone());
    let pairs: Vec<(String, String)> = req
        .url
        .query_pairs()
        .filter(|(k, _)| {
            !set.iter().any(|(s, _)| k.eq_ignore_ascii_case(s))
                && !drop.iter().any(|d| k.eq_ignore_ascii_case(d))
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    {
        let mut q = url.query_pairs_mut();
        q.clear();
        for (k, v) in &pairs {
            q.append_pair(k, v);
        }
        for (k, v) in set {
            q.append_pair(k, v);
        }
    }
    url.to_string()
}

/// A list endpoint: filters, order, fields and both kinds of paging.
fn list(st: &State, c: Coll, req: &Request, scope: impl Fn(&Value) -> bool) -> Resp {
    let site = st.site.clone();
    let mut records = match matching(st, c, req, scope) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let page_size = query_param(req, "pageSize")
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(25)
        .min(1000);
    let forward = req
        .headers
        .get("pagination-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("forward-only"));
    let order = query_param(req, "orderBy").map(std::borrow::Cow::into_owned);
    if forward {
        if order.is_some() {
            return error(
                400,
                "InvalidObject",
                "orderBy cannot be used with forward-only pagination",
            );
        }
        let after = query_param(req, "pageId")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0);
        records.retain(|r| r["id"].as_i64().unwrap_or(0) > after);
        records.sort_by_key(|r| r["id"].as_i64().unwrap_or(0));
        let more = records.len() > page_size;
        records.truncate(page_size);
        let mut resp = page_body(&records, req);
        if more {
            let last = records
                .last()
                .and_then(|r| r["id"].as_i64())
                .unwrap_or(after);
            let next = link_url(&site, req, &[("pageId", last.to_string())], &["page"]);
            resp = resp.insert_header("link", format!("<{next}>; rel=\"next\"").as_str());
        }
        return resp;
    }
    if let Some(order) = &order {
        let terms: Vec<(String, bool)> = order
            .split(',')
            .filter_map(|t| {
                let mut p = t.split_whitespace();
                let f = p.next()?.to_owned();
                let desc = p.next().is_some_and(|d| d.eq_ignore_ascii_case("desc"));
                Some((f, desc))
            })
            .collect();
        records.sort_by(|a, b| {
            for (f, desc) in &terms {
                let o = cmp_values(path_get(a, f), path_get(b, f));
                let o = if *desc { o.reverse() } else { o };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
    }
    let page = query_param(req, "page")
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1);
    let total = records.len();
    let last = total.div_ceil(page_size).max(1);
    let slice: Vec<&Value> = records
        .into_iter()
        .skip((page - 1).saturating_mul(page_size))
        .take(page_size)
        .collect();
    let mut resp = page_body(&slice, req);
    let mut links = Vec::new();
    let mk = |p: usize| {
        link_url(
            &site,
            req,
            &[("page", p.to_string()), ("pageSize", page_size.to_string())],
            &["pageId"],
        )
    };
    if page > 1 {
        links.push(format!("<{}>; rel=\"first\"", mk(1)));
        links.push(format!("<{}>; rel=\"prev\"", mk(page - 1)));
    }
    if page < last {
        links.push(format!("<{}>; rel=\"next\"", mk(page + 1)));
        links.push(format!("<{}>; rel=\"last\"", mk(last)));
    }
    if !links.is_empty() {
        resp = resp.insert_header("link", links.join(", ").as_str());
    }
    resp
}

fn page_body(records: &[&Value], req: &Request) -> Resp {
    let fields = query_param(req, "fields");
    let out: Vec<Value> = records
        .iter()
        .map(|r| match &fields {
            Some(f) if !f.trim().is_empty() => select_fields(r, f),
            _ => strip_internal((*r).clone()),
        })
        .collect();
    json_resp(200, &Value::Array(out))
}

fn strip_internal(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.retain(|k, _| !k.starts_with("_ticket"));
    }
    v
}

fn audit_trail(st: &State, req: &Request) -> Resp {
    let kind = query_param(req, "type").unwrap_or_default();
    let id = query_param(req, "id").and_then(|s| parse_id(&s));
    let (true, Some(id)) = (kind.eq_ignore_ascii_case("ticket"), id) else {
        return error(400, "InvalidObject", "type=Ticket and id are required");
    };
    if st.get(Coll::Tickets, id).is_none() {
        return not_found("Ticket", id);
    }
    list(st, Coll::Audit, req, |a| a["_ticket"].as_i64() == Some(id))
}

// ---- writes --------------------------------------------------------------------

fn body_object(req: &Request, resource: &str) -> Result<Map<String, Value>, Resp> {
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(o)) => Ok(o),
        _ => Err(error(
            400,
            "InvalidObject",
            format!("{resource} body must be a JSON object"),
        )),
    }
}

fn ref_id(v: Option<&Value>) -> Option<i64> {
    v?.get("id")?.as_i64()
}

/// Replaces a `{id}` reference with the full reference, or an error.
fn resolve_ref(
    st: &State,
    o: &mut Map<String, Value>,
    key: &str,
    c: Coll,
    resource: &str,
) -> Result<Option<i64>, Resp> {
    let Some(v) = o.get(key) else { return Ok(None) };
    if v.is_null() {
        return Ok(None);
    }
    let id = ref_id(Some(v)).ok_or_else(|| invalid(resource, key, format!("{key} needs an id")))?;
    let full = st
        .reference(c, id)
        .ok_or_else(|| invalid(resource, key, format!("{key} id {id} does not exist")))?;
    o.insert(key.to_owned(), full);
    Ok(Some(id))
}

fn stamp(o: &mut Map<String, Value>, who: &str, entered: Option<DateTime<Utc>>) {
    let t = ts(now());
    let mut info = o
        .get("_info")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    info.insert("lastUpdated".into(), json!(t));
    info.insert("updatedBy".into(), json!(who));
    if let Some(e) = entered {
        info.insert("dateEntered".into(), json!(ts(e)));
        info.insert("enteredBy".into(), json!(who));
    }
    o.insert("_info".into(), Value::Object(info));
}

fn check_status_board(st: &State, status: i64, board: i64, resource: &str) -> Result<(), Resp> {
    match st.get(Coll::Statuses, status) {
        Some(s) if s["board"]["id"].as_i64() == Some(board) => Ok(()),
        Some(_) => Err(invalid(
            resource,
            "status",
            format!("status {status} is not a status of board {board}"),
        )),
        None => Err(invalid(
            resource,
            "status",
            format!("status {status} does not exist"),
        )),
    }
}

fn add_note(st: &mut State, ticket: i64, text: &str, flag: &str, who: &str) {
    let id = st.fresh_id();
    let member = st
        .member_by_identifier(who)
        .and_then(|m| st.reference(Coll::Members, m));
    let t = ts(now());
    st.insert(
        Coll::Notes,
        id,
        json!({"id": id, "ticketId": ticket, "text": text,
            "detailDescriptionFlag": flag == "detailDescriptionFlag",
            "internalAnalysisFlag": flag == "internalAnalysisFlag",
            "resolutionFlag": flag == "resolutionFlag", "issueFlag": false,
            "member": member, "customerUpdatedFlag": false, "dateCreated": t, "createdBy": who,
            "internalFlag": flag == "internalAnalysisFlag", "externalFlag": flag != "internalAnalysisFlag",
            "_info": {"lastUpdated": t, "updatedBy": who}}),
    );
}

// one ConnectWise rule after the other, in the order the site applies them
#[allow(clippy::too_many_lines)]
fn create_ticket(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "ticket") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let summary = o
        .get("summary")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_owned();
    if summary.is_empty() {
        return invalid("ticket", "summary", "The summary field is required.");
    }
    if summary.chars().count() > 100 {
        return invalid(
            "ticket",
            "summary",
            "The summary field has a max length of 100.",
        );
    }
    if o.get("company").is_none() {
        return invalid("ticket", "company", "The company field is required.");
    }
    if !o.contains_key("board") {
        o.insert("board".into(), json!({"id": 1}));
    }
    let refs = [
        ("company", Coll::Companies),
        ("board", Coll::Boards),
        ("contact", Coll::Contacts),
        ("priority", Coll::Priorities),
        ("type", Coll::Types),
        ("subType", Coll::Subtypes),
        ("owner", Coll::Members),
        ("status", Coll::Statuses),
    ];
    for (key, c) in refs {
        if let Err(r) = resolve_ref(st, &mut o, key, c, "ticket") {
            return r;
        }
    }
    let board = ref_id(o.get("board")).unwrap_or(1);
    let status = match ref_id(o.get("status")) {
        Some(s) => s,
        None => match st.default_status(board) {
            Some(s) => s,
            None => return invalid("ticket", "status", "the board has no default status"),
        },
    };
    if let Err(r) = check_status_board(st, status, board, "ticket") {
        return r;
    }
    o.insert(
        "status".into(),
        st.reference(Coll::Statuses, status).unwrap_or(Value::Null),
    );
    if o.get("priority").is_none() {
        o.insert(
            "priority".into(),
            st.reference(Coll::Priorities, 3).unwrap_or(Value::Null),
        );
    }
    let id = st.fresh_id();
    o.insert("id".into(), json!(id));
    o.insert("summary".into(), json!(summary));
    o.insert("recordType".into(), json!("ServiceTicket"));
    o.insert(
        "closedFlag".into(),
        json!(
            st.get(Coll::Statuses, status)
                .is_some_and(|s| s["closedStatus"] == true)
        ),
    );
    o.entry("severity").or_insert(json!("Medium"));
    o.entry("impact").or_insert(json!("Medium"));
    o.entry("hasChildTicket").or_insert(json!(false));
    o.entry("hasMergedChildTicketFlag").or_insert(json!(false));
    o.entry("customerUpdatedFlag").or_insert(json!(false));
    o.entry("actualHours").or_insert(json!(0.0));
    let mut cf = ticket_custom_fields();
    if let Some(given) = o.remove("customFields") {
        if let Err(r) = merge_custom(&mut cf, &given, "ticket") {
            return r;
        }
    }
    o.insert("customFields".into(), cf);
    let initial = [
        ("initialDescription", "detailDescriptionFlag"),
        ("initialInternalAnalysis", "internalAnalysisFlag"),
        ("initialResolution", "resolutionFlag"),
    ];
    let mut notes = Vec::new();
    for (key, flag) in initial {
        if let Some(text) = o.remove(key).and_then(|v| v.as_str().map(str::to_owned)) {
            notes.push((text, flag));
        }
    }
    o.remove("processNotifications");
    o.remove("skipCallback");
    stamp(&mut o, who, Some(now()));
    let record = Value::Object(o);
    st.insert(Coll::Tickets, id, record.clone());
    for (text, flag) in notes {
        add_note(st, id, &text, flag, who);
    }
    st.audit(id, "Ticket", "Ticket created", who, now());
    json_resp(201, &record)
}

fn merge_custom(current: &mut Value, given: &Value, resource: &str) -> Result<(), Resp> {
    let Some(given) = given.as_array() else {
        return Err(invalid(
            resource,
            "customFields",
            "customFields must be an array",
        ));
    };
    let Some(cur) = current.as_array_mut() else {
        return Ok(());
    };
    for g in given {
        let id = g["id"].as_i64();
        let Some(slot) = cur
            .iter_mut()
            .find(|c| c["id"].as_i64() == id && id.is_some())
        else {
            return Err(invalid(
                resource,
                "customFields",
                format!("custom field id {} does not exist", g["id"]),
            ));
        };
        if let Some(v) = g.get("value") {
            slot["value"] = v.clone();
        }
    }
    Ok(())
}

/// Applies JSON-Patch `replace` / `add` operations; returns the changed paths.
fn apply_ops(
    target: &mut Map<String, Value>,
    ops: &Value,
    resource: &str,
) -> Result<Vec<String>, Resp> {
    let Some(ops) = ops.as_array() else {
        return Err(error(
            400,
            "InvalidObject",
            "a PATCH body is a JSON array of operations",
        ));
    };
    let mut changed = Vec::new();
    for op in ops {
        let kind = op["op"].as_str().unwrap_or("");
        let path = op["path"].as_str().unwrap_or("").trim_start_matches('/');
        if path.is_empty()
            || !matches!(
                kind.to_ascii_lowercase().as_str(),
                "replace" | "add" | "remove"
            )
        {
            return Err(error(
                400,
                "InvalidObject",
                format!("unsupported patch operation {op}"),
            ));
        }
        if ["id", "_info"].contains(&path) {
            return Err(invalid(resource, path, format!("{path} cannot be changed")));
        }
        let segs: Vec<&str> = path.split('/').collect();
        let value = if kind.eq_ignore_ascii_case("remove") {
            Value::Null
        } else {
            op.get("value").cloned().unwrap_or(Value::Null)
        };
        if segs.len() == 1 {
            target.insert(segs[0].to_owned(), value);
        } else {
            let mut cur = target
                .entry(segs[0].to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            for seg in &segs[1..segs.len() - 1] {
                if !cur.is_object() {
                    *cur = Value::Object(Map::new());
                }
                cur = &mut cur[*seg];
            }
            if !cur.is_object() {
                *cur = Value::Object(Map::new());
            }
            cur[segs[segs.len() - 1]] = value;
        }
        changed.push(segs[0].to_owned());
    }
    Ok(changed)
}

// one ConnectWise rule after the other, in the order the site applies them
#[allow(clippy::too_many_lines)]
fn patch_ticket(st: &mut State, id: i64, req: &Request, who: &str) -> Resp {
    let Some(Value::Object(before)) = st.get(Coll::Tickets, id).cloned() else {
        return not_found("Ticket", id);
    };
    let ops: Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(_) => return error(400, "InvalidObject", "the body is not JSON"),
    };
    let mut o = before.clone();
    // custom fields merge by id rather than replace
    let mut cf_given = None;
    if let Some(arr) = ops.as_array() {
        for op in arr {
            if op["path"].as_str().map(|p| p.trim_start_matches('/')) == Some("customFields") {
                cf_given = op.get("value").cloned();
            }
        }
    }
    let changed = match apply_ops(&mut o, &ops, "ticket") {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Some(given) = cf_given {
        let mut cf = before
            .get("customFields")
            .cloned()
            .unwrap_or_else(ticket_custom_fields);
        if let Err(r) = merge_custom(&mut cf, &given, "ticket") {
            return r;
        }
        o.insert("customFields".into(), cf);
    }
    if let Some(s) = o.get("summary").and_then(Value::as_str) {
        if s.trim().is_empty() || s.chars().count() > 100 {
            return invalid(
                "ticket",
                "summary",
                "The summary must be 1 to 100 characters.",
            );
        }
    }
    for (key, c) in [
        ("board", Coll::Boards),
        ("status", Coll::Statuses),
        ("priority", Coll::Priorities),
        ("type", Coll::Types),
        ("subType", Coll::Subtypes),
        ("owner", Coll::Members),
        ("contact", Coll::Contacts),
        ("company", Coll::Companies),
    ] {
        if changed.iter().any(|c| c == key) {
            if let Err(r) = resolve_ref(st, &mut o, key, c, "ticket") {
                return r;
            }
        }
    }
    let board = ref_id(o.get("board")).unwrap_or(1);
    if changed.iter().any(|c| c == "board") && !changed.iter().any(|c| c == "status") {
        // moving board without a status: ConnectWise picks the new board's default
        if let Some(s) = st.default_status(board) {
            o.insert(
                "status".into(),
                st.reference(Coll::Statuses, s).unwrap_or(Value::Null),
            );
        }
    }
    let status = ref_id(o.get("status")).unwrap_or(0);
    if let Err(r) = check_status_board(st, status, board, "ticket") {
        return r;
    }
    for (key, c) in [("type", Coll::Types), ("subType", Coll::Subtypes)] {
        if let Some(t) = ref_id(o.get(key)) {
            if st
                .get(c, t)
                .is_some_and(|r| r["board"]["id"].as_i64() != Some(board))
            {
                return invalid("ticket", key, format!("{key} {t} is not on board {board}"));
            }
        }
    }
    let closed = st
        .get(Coll::Statuses, status)
        .is_some_and(|s| s["closedStatus"] == true);
    let was_closed = before.get("closedFlag") == Some(&json!(true));
    o.insert("closedFlag".into(), json!(closed));
    if closed && !was_closed {
        o.insert("closedDate".into(), json!(ts(now())));
        o.insert("closedBy".into(), json!(who));
    }
    stamp(&mut o, who, None);
    for key in &changed {
        let old = display(before.get(key.as_str()));
        let new = display(o.get(key.as_str()));
        if old != new {
            let sub = match key.as_str() {
                "status" => "Status",
                "board" => "Board",
                "priority" => "Priority",
                "owner" => "Resources",
                _ => "Ticket",
            };
            let label = match key.as_str() {
                "subType" => "Subtype".to_owned(),
                k => {
                    let mut c = k.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                }
            };
            st.audit(
                id,
                sub,
                &format!("{label} changed from \"{old}\" to \"{new}\""),
                who,
                now(),
            );
        }
    }
    let record = Value::Object(o);
    st.insert(Coll::Tickets, id, record.clone());
    json_resp(200, &record)
}

fn display(v: Option<&Value>) -> String {
    match v {
        Some(Value::Object(o)) => o
            .get("name")
            .or_else(|| o.get("identifier"))
            .or_else(|| o.get("id"))
            .map(|v| display(Some(v)))
            .unwrap_or_default(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn merge(st: &mut State, parent: i64, req: &Request, who: &str) -> Resp {
    if st.get(Coll::Tickets, parent).is_none() {
        return not_found("Ticket", parent);
    }
    let o = match body_object(req, "ticketMerge") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let ids: Vec<i64> = o
        .get("mergeTicketIds")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    if ids.is_empty() {
        return invalid(
            "ticketMerge",
            "mergeTicketIds",
            "mergeTicketIds is required.",
        );
    }
    let Some(status) = ref_id(o.get("status")) else {
        return invalid("ticketMerge", "status", "status is required.");
    };
    for c in &ids {
        if *c == parent {
            return invalid(
                "ticketMerge",
                "mergeTicketIds",
                "a ticket cannot be merged into itself",
            );
        }
        let Some(t) = st.get(Coll::Tickets, *c) else {
            return not_found("Ticket", c);
        };
        let board = ref_id(t.get("board")).unwrap_or(0);
        if let Err(r) = check_status_board(st, status, board, "ticketMerge") {
            return r;
        }
    }
    let parent_ref = st.reference(Coll::Tickets, parent).unwrap_or(Value::Null);
    for c in &ids {
        let status_ref = st.reference(Coll::Statuses, status).unwrap_or(Value::Null);
        let closed = st
            .get(Coll::Statuses, status)
            .is_some_and(|s| s["closedStatus"] == true);
        if let Some(Value::Object(t)) = st.coll_mut(Coll::Tickets).get_mut(c) {
            t.insert("status".into(), status_ref);
            t.insert("closedFlag".into(), json!(closed));
            t.insert("mergedParentTicket".into(), parent_ref.clone());
            stamp(t, who, None);
        }
        st.audit(
            *c,
            "Ticket",
            &format!("Ticket merged into #{parent}"),
            who,
            now(),
        );
    }
    if let Some(Value::Object(p)) = st.coll_mut(Coll::Tickets).get_mut(&parent) {
        p.insert("hasMergedChildTicketFlag".into(), json!(true));
        stamp(p, who, None);
    }
    st.audit(
        parent,
        "Ticket",
        &format!("Tickets {ids:?} merged into this ticket"),
        who,
        now(),
    );
    json_resp(200, &json!({"success": true, "message": "Tickets merged"}))
}

fn bundle(st: &mut State, parent: i64, req: &Request, who: &str) -> Resp {
    if st.get(Coll::Tickets, parent).is_none() {
        return not_found("Ticket", parent);
    }
    let o = match body_object(req, "ticketBundle") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let ids: Vec<i64> = o
        .get("childTicketIds")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    if ids.is_empty() {
        return invalid(
            "ticketBundle",
            "childTicketIds",
            "childTicketIds is required.",
        );
    }
    for c in &ids {
        if *c == parent {
            return invalid(
                "ticketBundle",
                "childTicketIds",
                "a ticket cannot be its own child",
            );
        }
        if st.get(Coll::Tickets, *c).is_none() {
            return not_found("Ticket", c);
        }
    }
    for c in &ids {
        if let Some(Value::Object(t)) = st.coll_mut(Coll::Tickets).get_mut(c) {
            t.insert("parentTicketId".into(), json!(parent));
            stamp(t, who, None);
        }
        st.audit(
            *c,
            "Ticket",
            &format!("Ticket bundled under #{parent}"),
            who,
            now(),
        );
    }
    if let Some(Value::Object(p)) = st.coll_mut(Coll::Tickets).get_mut(&parent) {
        p.insert("hasChildTicket".into(), json!(true));
        stamp(p, who, None);
    }
    json_resp(
        200,
        &json!({"success": true, "message": "Child tickets attached"}),
    )
}

fn create_note(st: &mut State, ticket: i64, req: &Request, who: &str) -> Resp {
    if st.get(Coll::Tickets, ticket).is_none() {
        return not_found("Ticket", ticket);
    }
    let o = match body_object(req, "serviceNote") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let text = o.get("text").and_then(Value::as_str).unwrap_or("");
    if text.trim().is_empty() {
        return invalid("serviceNote", "text", "The text field is required.");
    }
    let flags = [
        "detailDescriptionFlag",
        "internalAnalysisFlag",
        "resolutionFlag",
    ];
    let set: Vec<&str> = flags
        .iter()
        .copied()
        .filter(|f| o.get(*f) == Some(&json!(true)))
        .collect();
    let Some(flag) = set.first() else {
        return invalid(
            "serviceNote",
            "detailDescriptionFlag",
            "One of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag is required.",
        );
    };
    add_note(st, ticket, text, flag, who);
    let id = st.next_id;
    if let Some(Value::Object(n)) = st.coll_mut(Coll::Notes).get_mut(&id) {
        for f in &set {
            n.insert((*f).to_owned(), json!(true));
        }
        if let Some(p) = o.get("processNotifications") {
            n.insert("processNotifications".into(), p.clone());
        }
    }
    if let Some(Value::Object(t)) = st.coll_mut(Coll::Tickets).get_mut(&ticket) {
        stamp(t, who, None);
    }
    st.audit(ticket, "Notes", "Note added", who, now());
    let note = st.get(Coll::Notes, id).cloned().unwrap_or(Value::Null);
    json_resp(201, &note)
}

fn hours_between(start: &Value, end: &Value) -> Option<f64> {
    let from = parse_timestamp(start.as_str()?)?;
    let to = parse_timestamp(end.as_str()?)?;
    #[allow(clippy::cast_precision_loss)]
    let hours = (to - from).num_seconds() as f64 / 3600.0;
    Some((hours * 100.0).round() / 100.0)
}

fn create_time(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "timeEntry") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(start) = o
        .get("timeStart")
        .cloned()
        .filter(|v| v.as_str().and_then(parse_timestamp).is_some())
    else {
        return invalid("timeEntry", "timeStart", "The timeStart field is required.");
    };
    if let Some(end) = o.get("timeEnd") {
        match hours_between(&start, end) {
            Some(h) if h > 0.0 => {
                o.insert("actualHours".into(), json!(h));
            }
            _ => return invalid("timeEntry", "timeEnd", "timeEnd must be after timeStart."),
        }
    }
    let charge_type = o
        .get("chargeToType")
        .and_then(Value::as_str)
        .unwrap_or("Company")
        .to_owned();
    if charge_type == "ServiceTicket" {
        let Some(t) = o.get("chargeToId").and_then(Value::as_i64) else {
            return invalid(
                "timeEntry",
                "chargeToId",
                "chargeToId is required for a ServiceTicket.",
            );
        };
        let Some(ticket) = st.get(Coll::Tickets, t).cloned() else {
            return invalid(
                "timeEntry",
                "chargeToId",
                format!("ticket {t} does not exist"),
            );
        };
        if let Some(s) = ref_id(ticket.get("status")) {
            if st
                .get(Coll::Statuses, s)
                .is_some_and(|s| s["timeEntryNotAllowed"] == true)
            {
                return invalid(
                    "timeEntry",
                    "chargeToId",
                    "time cannot be entered on a ticket in this status",
                );
            }
        }
        o.insert(
            "ticket".into(),
            st.reference(Coll::Tickets, t).unwrap_or(Value::Null),
        );
        o.insert("company".into(), ticket["company"].clone());
    }
    if o.get("member").is_none() {
        match st.member_by_identifier(who) {
            Some(m) => {
                o.insert("member".into(), json!({ "id": m }));
            }
            None => return invalid("timeEntry", "member", "member is required"),
        }
    }
    for (key, c) in [("member", Coll::Members), ("workType", Coll::WorkTypes)] {
        if let Err(r) = resolve_ref(st, &mut o, key, c, "timeEntry") {
            return r;
        }
    }
    o.entry("billableOption").or_insert(json!("Billable"));
    o.entry("status").or_insert(json!("Open"));
    o.entry("hoursDeduct").or_insert(json!(0.0));
    o.insert("enteredBy".into(), json!(who));
    o.insert("dateEntered".into(), json!(ts(now())));
    let id = st.fresh_id();
    o.insert("id".into(), json!(id));
    stamp(&mut o, who, Some(now()));
    let record = Value::Object(o);
    st.insert(Coll::Time, id, record.clone());
    json_resp(201, &record)
}

fn patch_generic(
    st: &mut State,
    c: Coll,
    id: i64,
    req: &Request,
    who: &str,
    resource: &str,
) -> Resp {
    let Some(Value::Object(before)) = st.get(c, id).cloned() else {
        return not_found(resource, id);
    };
    let ops: Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(_) => return error(400, "InvalidObject", "the body is not JSON"),
    };
    let mut o = before.clone();
    let changed = match apply_ops(&mut o, &ops, resource) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if changed.iter().any(|k| k == "customFields") {
        let given = o.get("customFields").cloned().unwrap_or(Value::Null);
        let mut cf = before
            .get("customFields")
            .cloned()
            .unwrap_or_else(configuration_custom_fields);
        if let Err(r) = merge_custom(&mut cf, &given, resource) {
            return r;
        }
        o.insert("customFields".into(), cf);
    }
    for (key, coll) in [
        ("member", Coll::Members),
        ("workType", Coll::WorkTypes),
        ("company", Coll::Companies),
    ] {
        if changed.iter().any(|k| k == key) {
            if let Err(r) = resolve_ref(st, &mut o, key, coll, resource) {
                return r;
            }
        }
    }
    if c == Coll::Time {
        if let (Some(s), Some(e)) = (o.get("timeStart").cloned(), o.get("timeEnd").cloned()) {
            match hours_between(&s, &e) {
                Some(h) if h > 0.0 => {
                    o.insert("actualHours".into(), json!(h));
                }
                _ => return invalid(resource, "timeEnd", "timeEnd must be after timeStart."),
            }
        }
    }
    if c == Coll::Schedule {
        let start = o
            .get("dateStart")
            .and_then(Value::as_str)
            .and_then(parse_timestamp);
        let end = o
            .get("dateEnd")
            .and_then(Value::as_str)
            .and_then(parse_timestamp);
        if let (Some(s), Some(e)) = (start, end) {
            if s >= e {
                return invalid(resource, "dateEnd", "dateEnd must be after dateStart.");
            }
        }
    }
    if c == Coll::Contacts && changed.iter().any(|k| k == "communicationItems") {
        if let Some(items) = o.get_mut("communicationItems") {
            if let Err(r) = normalize_items(st, items) {
                return r;
            }
        }
    }
    stamp(&mut o, who, None);
    let record = Value::Object(o);
    st.insert(c, id, record.clone());
    json_resp(200, &record)
}

fn normalize_items(st: &mut State, items: &mut Value) -> Result<(), Resp> {
    let Some(arr) = items.as_array_mut() else {
        return Err(invalid(
            "contact",
            "communicationItems",
            "communicationItems must be an array",
        ));
    };
    for item in arr.iter_mut() {
        let kind = item["communicationType"].as_str().unwrap_or("").to_owned();
        if !["Email", "Phone", "Fax"].contains(&kind.as_str()) {
            return Err(invalid(
                "contact",
                "communicationItems",
                "communicationType must be Email, Phone or Fax",
            ));
        }
        if item["value"].as_str().is_none_or(|v| v.trim().is_empty()) {
            return Err(invalid(
                "contact",
                "communicationItems",
                "a communication item needs a value",
            ));
        }
        let name = item["type"]["name"].as_str().unwrap_or(&kind).to_owned();
        let type_id = match name.as_str() {
            "Email" => 1,
            "Direct" => 2,
            "Fax" => 3,
            "Mobile" => 4,
            _ => 5,
        };
        item["type"] = json!({"id": type_id, "name": name});
        if kind == "Email" {
            if let Some(d) = item["value"]
                .as_str()
                .and_then(|v| v.split_once('@'))
                .map(|(_, d)| format!("@{d}"))
            {
                item["domain"] = json!(d);
            }
        }
        if item.get("id").and_then(Value::as_i64).is_none() {
            item["id"] = json!(st.fresh_id());
        }
    }
    Ok(())
}

fn create_contact(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "contact") {
        Ok(o) => o,
        Err(r) => return r,
    };
    if o.get("firstName")
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty())
    {
        return invalid("contact", "firstName", "The firstName field is required.");
    }
    if let Err(r) = resolve_ref(st, &mut o, "company", Coll::Companies, "contact") {
        return r;
    }
    if let Some(items) = o.get_mut("communicationItems") {
        if let Err(r) = normalize_items(st, items) {
            return r;
        }
        let phone = items
            .as_array()
            .and_then(|a| a.iter().find(|i| i["communicationType"] == "Phone"))
            .and_then(|i| i["value"].as_str().map(str::to_owned));
        if let Some(p) = phone {
            o.insert("defaultPhoneType".into(), json!("Direct"));
            o.insert("defaultPhoneNbr".into(), json!(p));
        }
    }
    o.entry("inactiveFlag").or_insert(json!(false));
    let id = st.fresh_id();
    o.insert("id".into(), json!(id));
    stamp(&mut o, who, Some(now()));
    let record = Value::Object(o);
    st.insert(Coll::Contacts, id, record.clone());
    json_resp(201, &record)
}

fn create_configuration(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "configuration") {
        Ok(o) => o,
        Err(r) => return r,
    };
    if o.get("name")
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty())
    {
        return invalid("configuration", "name", "The name field is required.");
    }
    if ref_id(o.get("type")).is_none() {
        return invalid("configuration", "type", "The type field is required.");
    }
    if o.get("company").is_none() {
        return invalid("configuration", "company", "The company field is required.");
    }
    if let Err(r) = resolve_ref(st, &mut o, "company", Coll::Companies, "configuration") {
        return r;
    }
    let mut cf = configuration_custom_fields();
    if let Some(given) = o.remove("customFields") {
        if let Err(r) = merge_custom(&mut cf, &given, "configuration") {
            return r;
        }
    }
    o.insert("customFields".into(), cf);
    o.entry("activeFlag").or_insert(json!(true));
    o.entry("status")
        .or_insert(json!({"id": 1, "name": "Active"}));
    let id = st.fresh_id();
    o.insert("id".into(), json!(id));
    stamp(&mut o, who, Some(now()));
    let record = Value::Object(o);
    st.insert(Coll::Configurations, id, record.clone());
    json_resp(201, &record)
}

fn create_schedule(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "scheduleEntry") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(kind) = ref_id(o.get("type")) else {
        return invalid("scheduleEntry", "type", "The type field is required.");
    };
    if kind == 4 {
        let ticket = o.get("objectId").and_then(Value::as_i64).unwrap_or(0);
        if st.get(Coll::Tickets, ticket).is_none() {
            return invalid(
                "scheduleEntry",
                "objectId",
                format!("ticket {ticket} does not exist"),
            );
        }
        if o.get("name").is_none() {
            let summary = st
                .get(Coll::Tickets, ticket)
                .map(|t| t["summary"].clone())
                .unwrap_or_default();
            o.insert("name".into(), summary);
        }
        o.insert(
            "type".into(),
            json!({"id": 4, "identifier": "S", "name": "Service"}),
        );
    }
    if o.get("member").is_none() {
        return invalid("scheduleEntry", "member", "The member field is required.");
    }
    if let Err(r) = resolve_ref(st, &mut o, "member", Coll::Members, "scheduleEntry") {
        return r;
    }
    let start = o
        .get("dateStart")
        .and_then(Value::as_str)
        .and_then(parse_timestamp);
    let end = o
        .get("dateEnd")
        .and_then(Value::as_str)
        .and_then(parse_timestamp);
    match (start, end) {
        (Some(s), Some(e)) if s < e => {
            #[allow(clippy::cast_precision_loss)]
            let hours = (e - s).num_minutes() as f64 / 60.0;
            o.insert("hours".into(), json!(hours));
        }
        _ => {
            return invalid(
                "scheduleEntry",
                "dateEnd",
                "dateStart and dateEnd are required, end after start.",
            );
        }
    }
    o.entry("doneFlag").or_insert(json!(false));
    o.entry("status")
        .or_insert(json!({"id": 2, "name": "Firm"}));
    let id = st.fresh_id();
    o.insert("id".into(), json!(id));
    stamp(&mut o, who, Some(now()));
    let record = Value::Object(o);
    st.insert(Coll::Schedule, id, record.clone());
    json_resp(201, &record)
}

fn create_product(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "productItem") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(cat) = ref_id(o.get("catalogItem")) else {
        return invalid(
            "productItem",
            "catalogItem",
            "The catalogItem field is required.",
        );
    };
    let Some(item) = st.get(Coll::Catalog, cat).cloned() else {
        return invalid(
            "productItem",
            "catalogItem",
            format!("catalog item {cat} does not exist"),
        );
    };
    if item["inactiveFlag"] == true {
        return invalid("productItem", "catalogItem", "the catalog item is inactive");
    }
    match o.get("billableOption").and_then(Value::as_str) {
        Some("Billable" | "DoNotBill" | "NoCharge") => {}
        _ => {
            return invalid(
                "productItem",
                "billableOption",
                "billableOption must be Billable, DoNotBill or NoCharge.",
            );
        }
    }
    let ticket = ref_id(o.get("ticket")).or_else(|| o.get("chargeToId").and_then(Value::as_i64));
    if let Some(t) = ticket {
        let Some(tk) = st.get(Coll::Tickets, t).cloned() else {
            return invalid(
                "productItem",
                "ticket",
                format!("ticket {t} does not exist"),
            );
        };
        o.insert(
            "ticket".into(),
            st.reference(Coll::Tickets, t).unwrap_or(Value::Null),
        );
        o.insert("chargeToId".into(), json!(t));
        o.insert("chargeToType".into(), json!("Ticket"));
        o.insert("company".into(), tk["company"].clone());
    }
    o.insert(
        "catalogItem".into(),
        st.reference(Coll::Catalog, cat).unwrap_or(Value::Null),
    );
    let qty = o.get("quantity").and_then(Value::as_f64).unwrap_or(1.0);
    let price = o
        .get("price")
        .and_then(Value::as_f64)
        .or_else(|| item["price"].as_f64())
        .unwrap_or(0.0);
    o.entry("description")
        .or_insert(item["description"].clone());
    o.insert("quantity".into(), json!(qty));
    o.insert("price".into(), json!(price));
    o.insert("cost".into(), item["cost"].clone());
    o.insert("extPrice".into(), json!(qty * price));
    o.entry("cancelledFlag").or_insert(json!(false));
    let id = st.fresh_id();
    o.insert("id".into(), json!(id));
    stamp(&mut o, who, Some(now()));
    let record = Value::Object(o);
    st.insert(Coll::Products, id, record.clone());
    json_resp(201, &record)
}

fn create_callback(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "callbackEntry") {
        Ok(o) => o,
        Err(r) => return r,
    };
    for f in ["url", "type", "level"] {
        if o.get(f)
            .and_then(Value::as_str)
            .is_none_or(|s| s.trim().is_empty())
        {
            return invalid("callbackEntry", f, format!("The {f} field is required."));
        }
    }
    if o.get("objectId").and_then(Value::as_i64).is_none() {
        return invalid(
            "callbackEntry",
            "objectId",
            "The objectId field is required.",
        );
    }
    if url::Url::parse(o["url"].as_str().unwrap_or("")).is_err() {
        return invalid("callbackEntry", "url", "The url is not valid.");
    }
    if o.get("description")
        .and_then(Value::as_str)
        .is_some_and(|d| d.chars().count() > 100)
    {
        return invalid(
            "callbackEntry",
            "description",
            "The description has a max length of 100.",
        );
    }
    let member = st.member_by_identifier(who);
    o.entry("memberId").or_insert(json!(member));
    o.entry("inactiveFlag").or_insert(json!(false));
    o.entry("payloadVersion").or_insert(json!("2025.1"));
    o.entry("isSoapCallbackFlag").or_insert(json!(false));
    o.entry("isSelfSuppressedFlag").or_insert(json!(false));
    let id = st.fresh_id();
    o.insert("id".into(), json!(id));
    stamp(&mut o, who, None);
    let record = Value::Object(o);
    st.insert(Coll::Callbacks, id, record.clone());
    json_resp(201, &record)
}

fn issue_token(st: &mut State, cfg: &MockConfig, member: &str, req: &Request) -> Resp {
    let usertype = req
        .headers
        .get("x-cw-usertype")
        .and_then(|v| v.to_str().ok());
    if usertype != Some("member") {
        return error(
            400,
            "InvalidObject",
            "x-cw-usertype: member is required to create member tokens",
        );
    }
    let Some(m) = st
        .member_by_identifier(member)
        .or_else(|| parse_id(member).filter(|id| st.get(Coll::Members, *id).is_some()))
    else {
        return not_found("Member", member);
    };
    let identifier = st
        .get(Coll::Members, m)
        .and_then(|r| r["identifier"].as_str().map(str::to_owned))
        .unwrap_or_default();
    let n = st.fresh_id();
    let token = IssuedToken {
        public_key: format!("tmpPub{n:06}"),
        private_key: format!("tmpPriv{n:06}x9"),
        member: identifier,
        expires: now() + cfg.token_lifetime,
    };
    let body = json!({
        "publicKey": token.public_key,
        "privateKey": token.private_key,
        "expiration": ts(token.expires),
    });
    st.tokens.push(token);
    json_resp(200, &body)
}
