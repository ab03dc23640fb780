//! The simulator's request handling: counting, faults, the versioned
//! `Accept`, auth, and the route table; the handlers live in one file per
//! kind of work (`reads`, `writes`, `tickets`, `records`).
//!
//! Handlers return the simulated response itself as their error
//! (`Result<_, ResponseTemplate>`): large, but never on a hot path.
#![allow(clippy::result_large_err)]

mod documents;
mod reads;
mod records;
mod tickets;
mod writes;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::sync::Arc;
use wiremock::{Request, Respond, ResponseTemplate};

use super::store::{Coll, MockConfig, Shared, State, lock};
use crate::error::{ErrorResponse, ValidationError};
use reads::{audit_trail, count, delete, get, list};
use records::{
    create_callback, create_configuration, create_contact, create_product, create_schedule,
    create_time, issue_token, patch_generic,
};
use tickets::{bundle, create_note, create_ticket, merge, patch_ticket};

/// The wiremock responder that is the whole simulated site.
pub(crate) struct Router(pub(crate) Arc<Shared>);

pub(super) type Resp = ResponseTemplate;

pub(super) fn json_resp(status: u16, body: &Value) -> Resp {
    ResponseTemplate::new(status).set_body_raw(
        serde_json::to_vec(body).unwrap_or_default(),
        "application/json; charset=utf-8",
    )
}

pub(super) fn error(status: u16, code: &str, message: impl Into<String>) -> Resp {
    let body = serde_json::to_value(ErrorResponse::new(code, message)).unwrap_or(Value::Null);
    json_resp(status, &body)
}

pub(super) fn invalid(resource: &str, field: &str, message: impl Into<String>) -> Resp {
    let body =
        ErrorResponse::new("InvalidObject", format!("{resource} object is invalid")).with_error(
            ValidationError::new("InvalidField", resource, field, message),
        );
    json_resp(400, &serde_json::to_value(body).unwrap_or(Value::Null))
}

pub(super) fn not_found(what: &str, id: impl std::fmt::Display) -> Resp {
    error(404, "NotFound", format!("{what} ID {id} not found"))
}

pub(super) fn no_content() -> Resp {
    ResponseTemplate::new(204)
}

pub(super) fn now() -> DateTime<Utc> {
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

pub(super) fn query_param<'a>(req: &'a Request, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    req.url
        .query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

pub(super) fn parse_id(s: &str) -> Option<i64> {
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
        ("PATCH", ["service", "tickets", _, "notes", _]) => {
            let (t, n) = (id_at(2)?, id_at(4)?);
            if st.get(Coll::Notes, n).and_then(|r| r["ticketId"].as_i64()) != Some(t) {
                return Some(not_found("Note", segs[4]));
            }
            let ops: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            let blank = ops.as_array().is_some_and(|ops| {
                ops.iter().any(|o| {
                    o["path"].as_str().map(|p| p.trim_start_matches('/')) == Some("text")
                        && o["value"].as_str().is_none_or(|s| s.trim().is_empty())
                })
            });
            if blank {
                return Some(invalid(
                    "serviceNote",
                    "text",
                    "The text field is required.",
                ));
            }
            patch_generic(st, Coll::Notes, n, req, who, "serviceNote")
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
        ("GET", ["system", "userDefinedFields"]) => {
            list(st, Coll::UserDefinedFields, req, |_| true)
        }
        ("GET", ["system", "userDefinedFields", _]) => {
            get(st, Coll::UserDefinedFields, id_at(2)?, "UserDefinedField")
        }
        // documents
        ("GET", ["system", "documents"]) => documents::list_for(st, req),
        ("POST", ["system", "documents"]) => documents::upload(st, req, who),
        ("GET", ["system", "documents", _]) => get(st, Coll::Documents, id_at(2)?, "Document"),
        ("GET", ["system", "documents", _, "download"]) => documents::download(st, id_at(2)?),
        ("DELETE", ["system", "documents", _]) => documents::delete(st, id_at(2)?),
        // callbacks
        ("GET", ["system", "callbacks"]) => list(st, Coll::Callbacks, req, |_| true),
        ("POST", ["system", "callbacks"]) => create_callback(st, req, who),
        ("GET", ["system", "callbacks", _]) => get(st, Coll::Callbacks, id_at(2)?, "CallbackEntry"),
        ("PATCH", ["system", "callbacks", _]) => {
            patch_generic(st, Coll::Callbacks, id_at(2)?, req, who, "callbackEntry")
        }
        ("DELETE", ["system", "callbacks", _]) => {
            delete(st, Coll::Callbacks, id_at(2)?, "CallbackEntry")
        }
        _ => return None,
    })
}
