//! The simulator's request handling: auth, rate limit, and one function per
//! Halo endpoint.

use http::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;
use wiremock::{Request, Respond, ResponseTemplate};

use super::seed::{API_AGENT_ID, GENERATED_BASE};
use super::state::{Record, Store, Table, now_text, obj};
use super::{CLIENT_ID, CLIENT_SECRET, Shared, lock};
use crate::Timestamp;

/// Priority of the simulator's routes; tests mount overrides below it.
pub(crate) const ROUTE_PRIORITY: u8 = 10;

/// Halo's 429 body.
pub(crate) const RATE_LIMIT_BODY: &str =
    "Rate Limit Reached - 300 Requests per rolling 5 minute window";

/// The routes the simulator answers (method, path pattern).
pub(crate) const ROUTES: &[(&str, &str)] = &[
    ("GET", r"(?i)^/api/(tickets|projects)(/[0-9]+)?$"),
    ("POST", r"(?i)^/api/(tickets|projects)$"),
    ("DELETE", r"(?i)^/api/tickets/[0-9]+$"),
    ("GET", r"(?i)^/api/actions(/[0-9]+)?$"),
    ("POST", r"(?i)^/api/actions$"),
    ("DELETE", r"(?i)^/api/actions/[0-9]+$"),
    (
        "GET",
        r"(?i)^/api/(client|site|users|asset|appointment|item|clientcontract|kbarticle)(/[0-9]+)?$",
    ),
    ("POST", r"(?i)^/api/(client|users|asset|appointment)$"),
    ("DELETE", r"(?i)^/api/appointment/[0-9]+$"),
    ("GET", r"(?i)^/api/agent(/([0-9]+|me))?$"),
    (
        "GET",
        r"(?i)^/api/(sla|status|priority|team|tickettype|lookup|timesheetevent|notification)$",
    ),
    ("GET", r"(?i)^/api/webhook(/[0-9a-f-]+)?$"),
    ("POST", r"(?i)^/api/(webhook|notification)$"),
    ("DELETE", r"(?i)^/api/webhook/[0-9a-f-]+$"),
];

/// Answers the simulator's routes.
#[derive(Clone)]
pub(crate) struct Handler(pub(crate) Arc<Shared>);

/// Answers everything else with 404 and counts it.
pub(crate) struct CatchAll(pub(crate) Arc<Shared>);

impl Respond for CatchAll {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        count(&self.0, req);
        self.0.counters.unexpected.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(404).set_body_json(json!({
            "Message": format!("No HTTP resource was found that matches the request URI '{}'.", req.url)
        }))
    }
}

fn count(shared: &Shared, req: &Request) {
    shared.counters.requests.fetch_add(1, Ordering::SeqCst);
    *lock(&shared.per_path)
        .entry(format!("{} {}", req.method, req.url.path()))
        .or_default() += 1;
}

impl Respond for Handler {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let shared = &self.0;
        count(shared, req);
        if req.url.path().eq_ignore_ascii_case("/auth/token") {
            return token(shared, req);
        }
        if let Some((max, window)) = shared.config.rate_limit {
            let now = Instant::now();
            let mut w = lock(&shared.window);
            while w.front().is_some_and(|t| now.duration_since(*t) >= window) {
                w.pop_front();
            }
            if w.len() >= usize::try_from(max).unwrap_or(usize::MAX) {
                shared.counters.rate_limited.fetch_add(1, Ordering::SeqCst);
                return ResponseTemplate::new(429).set_body_string(RATE_LIMIT_BODY);
            }
            w.push_back(now);
        }
        if !authorized(shared, req) {
            shared.counters.unauthorized.fetch_add(1, Ordering::SeqCst);
            return ResponseTemplate::new(401)
                .insert_header("www-authenticate", "Bearer error=\"invalid_token\"");
        }
        let q = Query::of(req);
        let segments: Vec<String> = req
            .url
            .path()
            .trim_start_matches("/api/")
            .split('/')
            .map(str::to_ascii_lowercase)
            .collect();
        let mut store = lock(&shared.store);
        let res = route(&mut store, req, &segments, &q);
        match res {
            Ok((status, body)) => ResponseTemplate::new(status.as_u16()).set_body_json(body),
            Err(e) => e.into_response(),
        }
    }
}

fn authorized(shared: &Shared, req: &Request) -> bool {
    let Some(token) = req
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    lock(&shared.tokens)
        .get(token)
        .is_some_and(|exp| *exp > Instant::now())
}

fn token(shared: &Shared, req: &Request) -> ResponseTemplate {
    shared
        .counters
        .token_requests
        .fetch_add(1, Ordering::SeqCst);
    let oauth = |status: u16, error: &str, desc: &str| {
        ResponseTemplate::new(status)
            .set_body_json(json!({"error": error, "error_description": desc}))
    };
    if let Some(tenant) = &shared.config.tenant {
        let given = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "tenant")
            .map(|(_, v)| v.into_owned());
        if given.as_deref() != Some(tenant.as_str()) {
            return oauth(400, "invalid_request", "The tenant is missing or unknown.");
        }
    }
    let form: HashMap<String, String> = url::form_urlencoded::parse(&req.body)
        .into_owned()
        .collect();
    if form.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return oauth(
            400,
            "unsupported_grant_type",
            "The specified 'grant_type' is not supported.",
        );
    }
    if form.get("client_id").map(String::as_str) != Some(CLIENT_ID)
        || form.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET)
    {
        return oauth(
            401,
            "invalid_client",
            "The specified client credentials are invalid.",
        );
    }
    let n = shared.counters.token_requests.load(Ordering::SeqCst);
    let salt = std::hash::BuildHasher::hash_one(&std::collections::hash_map::RandomState::new(), n);
    let token = format!("mock-{n}-{salt:016x}");
    let lifetime = shared.config.token_lifetime;
    lock(&shared.tokens).insert(token.clone(), Instant::now() + lifetime);
    ResponseTemplate::new(200).set_body_json(json!({
        "token_type": "Bearer",
        "access_token": token,
        "expires_in": lifetime.as_secs(),
        "scope": form.get("scope").cloned().unwrap_or_else(|| "all".to_owned()),
    }))
}

/// A Halo error response.
pub(crate) struct Fail(StatusCode, String);

impl Fail {
    fn bad(msg: impl Into<String>) -> Fail {
        Fail(StatusCode::BAD_REQUEST, msg.into())
    }
    fn not_found(msg: impl Into<String>) -> Fail {
        Fail(StatusCode::NOT_FOUND, msg.into())
    }
    fn into_response(self) -> ResponseTemplate {
        ResponseTemplate::new(self.0.as_u16())
            .set_body_json(json!({"ClassName": "System.Exception", "Message": self.1}))
    }
}

type Reply = Result<(StatusCode, Value), Fail>;

/// Query parameters, keys lower-cased.
pub(crate) struct Query(HashMap<String, String>);

impl Query {
    fn of(req: &Request) -> Query {
        Query(
            req.url
                .query_pairs()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.into_owned()))
                .collect(),
        )
    }
    fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(String::as_str).filter(|v| !v.is_empty())
    }
    fn flag(&self, k: &str) -> bool {
        self.get(k).is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
    fn int(&self, k: &str) -> Result<Option<i64>, Fail> {
        self.get(k)
            .map(|v| {
                v.parse()
                    .map_err(|_| Fail::bad(format!("The value '{v}' is not valid for {k}.")))
            })
            .transpose()
    }
    fn ints(&self, k: &str) -> Result<Option<Vec<i64>>, Fail> {
        self.get(k)
            .map(|v| {
                v.split(',')
                    .map(|p| {
                        p.trim().parse().map_err(|_| {
                            Fail::bad(format!("The value '{v}' is not valid for {k}."))
                        })
                    })
                    .collect()
            })
            .transpose()
    }
    fn date(&self, k: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, Fail> {
        self.get(k)
            .map(|v| {
                Timestamp::parse(v).and_then(|t| t.utc()).ok_or_else(|| {
                    Fail::bad(format!("The value '{v}' is not a valid date for {k}."))
                })
            })
            .transpose()
    }
    /// (page number, page size) when paginating: Halo caps pages at 100.
    fn paging(&self) -> Result<Option<(usize, usize)>, Fail> {
        if !self.flag("pageinate") {
            return Ok(None);
        }
        let size = self.int("page_size")?.unwrap_or(50).clamp(1, 100);
        let no = self.int("page_no")?.unwrap_or(1).max(1);
        Ok(Some((
            usize::try_from(no).unwrap_or(1),
            usize::try_from(size).unwrap_or(100),
        )))
    }
}

fn int(r: &Record, k: &str) -> i64 {
    r.get(k).and_then(Value::as_i64).unwrap_or_default()
}
fn num(r: &Record, k: &str) -> f64 {
    r.get(k).and_then(Value::as_f64).unwrap_or_default()
}
fn string<'a>(r: &'a Record, k: &str) -> &'a str {
    r.get(k).and_then(Value::as_str).unwrap_or_default()
}
fn boolean(r: &Record, k: &str) -> bool {
    r.get(k).and_then(Value::as_bool).unwrap_or_default()
}
fn date(r: &Record, k: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    r.get(k)
        .and_then(Value::as_str)
        .and_then(Timestamp::parse)
        .and_then(|t| t.utc())
}
fn contains(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().contains(&needle.to_lowercase())
}
fn name_of(t: &Table, id: i64) -> Value {
    t.get(&id)
        .and_then(|r| r.get("name"))
        .cloned()
        .unwrap_or(Value::Null)
}

/// A list response: an envelope when paginating (or always, for resources
/// Halo wraps), a bare array otherwise for `bare` resources.
fn listing(q: &Query, records: Vec<Record>, key: &str, bare: bool) -> Reply {
    let total = records.len();
    let paging = q.paging()?;
    let (skip, take) = if let Some((no, size)) = paging {
        ((no - 1).saturating_mul(size), size)
    } else {
        let n = q
            .int("count")?
            .and_then(|c| usize::try_from(c).ok())
            .unwrap_or(usize::MAX);
        (0, n)
    };
    let page: Vec<Value> = records
        .into_iter()
        .skip(skip)
        .take(take)
        .map(Value::Object)
        .collect();
    Ok((
        StatusCode::OK,
        match paging {
            Some((no, size)) => {
                json!({"page_no": no, "page_size": size, "record_count": total, key: page})
            }
            None if bare => Value::Array(page),
            None => json!({"record_count": total, key: page}),
        },
    ))
}

fn one(table: &Table, id: i64, what: &str) -> Reply {
    table
        .get(&id)
        .map(|r| (StatusCode::OK, Value::Object(r.clone())))
        .ok_or_else(|| Fail::not_found(format!("{what} {id} not found")))
}

/// The records of a POST body: a JSON array of objects.
fn post_body(req: &Request) -> Result<Vec<Record>, Fail> {
    let v: Value = serde_json::from_slice(&req.body)
        .map_err(|e| Fail::bad(format!("The request body is not valid JSON: {e}")))?;
    let Value::Array(items) = v else {
        return Err(Fail::bad("The request body must be a JSON array."));
    };
    items
        .into_iter()
        .map(|i| match i {
            Value::Object(m) => Ok(m),
            _ => Err(Fail::bad(
                "Each element of the request body must be an object.",
            )),
        })
        .collect()
}

/// Halo answers a one-record POST with the record (201 when created), and
/// several with an array.
#[allow(clippy::unnecessary_wraps)]
fn saved(results: Vec<(bool, Record)>) -> Reply {
    Ok(saved_body(results))
}

fn saved_body(results: Vec<(bool, Record)>) -> (StatusCode, Value) {
    let all_new = results.iter().all(|(created, _)| *created);
    let status = if all_new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut values: Vec<Value> = results.into_iter().map(|(_, r)| Value::Object(r)).collect();
    if values.len() == 1 {
        (status, values.remove(0))
    } else {
        (status, Value::Array(values))
    }
}

fn path_id(seg: Option<&String>) -> Option<i64> {
    seg.and_then(|s| s.parse().ok())
}

#[allow(clippy::too_many_lines)]
fn route(store: &mut Store, req: &Request, seg: &[String], q: &Query) -> Reply {
    let m = req.method.as_str();
    let resource = seg.first().map_or("", String::as_str);
    let id = path_id(seg.get(1));
    match (m, resource, seg.get(1)) {
        ("GET", "tickets" | "projects", None) => list_tickets(store, q, resource == "projects"),
        ("GET", "tickets" | "projects", Some(_)) => get_ticket(store, q, id.unwrap_or_default()),
        ("POST", "tickets" | "projects", None) => save_tickets(store, post_body(req)?),
        ("DELETE", "tickets", Some(_)) => {
            let id = id.unwrap_or_default();
            if store.ticket(id).is_none() {
                return Err(Fail::not_found(format!("Ticket {id} not found")));
            }
            store.tickets.remove(&id);
            store.deleted_generated.insert(id);
            let keys: Vec<_> = store
                .actions
                .range((id, i64::MIN)..=(id, i64::MAX))
                .map(|(k, _)| *k)
                .collect();
            for k in keys {
                store.actions.remove(&k);
            }
            Ok((StatusCode::OK, Value::Null))
        }
        ("GET", "actions", None) => list_actions(store, q),
        ("GET", "actions", Some(_)) => {
            let t = q
                .int("ticket_id")?
                .ok_or_else(|| Fail::bad("ticket_id is required."))?;
            let id = id.unwrap_or_default();
            store
                .actions
                .get(&(t, id))
                .map(|a| (StatusCode::OK, Value::Object(a.clone())))
                .ok_or_else(|| Fail::not_found(format!("Action {id} on ticket {t} not found")))
        }
        ("POST", "actions", None) => save_actions(store, post_body(req)?),
        ("DELETE", "actions", Some(_)) => {
            let t = q
                .int("ticket_id")?
                .ok_or_else(|| Fail::bad("ticket_id is required."))?;
            let id = id.unwrap_or_default();
            let a = store
                .actions
                .remove(&(t, id))
                .ok_or_else(|| Fail::not_found(format!("Action {id} on ticket {t} not found")))?;
            if let Some(ticket) = store.ticket_mut(t) {
                let left = num(ticket, "timetaken") - num(&a, "timetaken");
                ticket.insert("timetaken".into(), json!(left.max(0.0)));
            }
            Ok((StatusCode::OK, Value::Null))
        }
        ("GET", "client", None) => {
            let search = q.get("search");
            let inactive = q.flag("includeinactive");
            let v = store
                .clients
                .values()
                .filter(|c| inactive || !boolean(c, "inactive"))
                .filter(|c| search.is_none_or(|s| contains(string(c, "name"), s)))
                .cloned()
                .collect();
            listing(q, v, "clients", false)
        }
        ("GET", "client", Some(_)) => one(&store.clients, id.unwrap_or_default(), "Client"),
        ("POST", "client", None) => {
            let mut out = Vec::new();
            for c in post_body(req)? {
                out.push(upsert(store, "clients", c, |_, c| {
                    if string(c, "name").trim().is_empty() {
                        return Err(Fail::bad("Please enter a name."));
                    }
                    Ok(())
                })?);
            }
            saved(out)
        }
        ("GET", "site", None) => {
            let client = q.int("client_id")?;
            let inactive = q.flag("includeinactive");
            let v = store
                .sites
                .values()
                .filter(|s| inactive || !boolean(s, "inactive"))
                .filter(|s| client.is_none_or(|c| int(s, "client_id") == c))
                .cloned()
                .collect();
            listing(q, v, "sites", false)
        }
        ("GET", "site", Some(_)) => one(&store.sites, id.unwrap_or_default(), "Site"),
        ("GET", "users", None) => {
            let search = q.get("search");
            let phones = q.flag("search_phonenumbers");
            let client = q.int("client_id")?;
            let site = q.int("site_id")?;
            let inactive = q.flag("includeinactive");
            let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
            let v = store
                .users
                .values()
                .filter(|u| inactive || !boolean(u, "inactive"))
                .filter(|u| client.is_none_or(|c| int(u, "client_id") == c))
                .filter(|u| site.is_none_or(|s| int(u, "site_id") == s))
                .filter(|u| {
                    search.is_none_or(|s| {
                        contains(string(u, "name"), s)
                            || contains(string(u, "emailaddress"), s)
                            || (phones
                                && !digits(s).is_empty()
                                && ["phonenumber", "mobilenumber"]
                                    .iter()
                                    .any(|k| digits(string(u, k)).contains(&digits(s))))
                    })
                })
                .cloned()
                .collect();
            listing(q, v, "users", false)
        }
        ("GET", "users", Some(_)) => one(&store.users, id.unwrap_or_default(), "User"),
        ("POST", "users", None) => {
            let mut out = Vec::new();
            for u in post_body(req)? {
                out.push(upsert(store, "users", u, |s, u| {
                    let site = u.get("site_id").and_then(Value::as_f64).unwrap_or_default();
                    #[allow(clippy::cast_possible_truncation)]
                    let site = site as i64;
                    let Some(rec) = s.sites.get(&site) else {
                        return Err(Fail::bad(format!("Site {site} not found.")));
                    };
                    let (cid, cname, sname) = (
                        int(rec, "client_id"),
                        rec.get("client_name").cloned(),
                        rec.get("name").cloned(),
                    );
                    u.insert("client_id".into(), json!(cid));
                    u.insert("client_name".into(), cname.unwrap_or(Value::Null));
                    u.insert("site_name".into(), sname.unwrap_or(Value::Null));
                    if string(u, "name").trim().is_empty() {
                        return Err(Fail::bad("Please enter a name."));
                    }
                    Ok(())
                })?);
            }
            saved(out)
        }
        ("GET", "agent", None) => {
            let disabled = q.flag("includedisabled");
            let v: Vec<Value> = store
                .agents
                .values()
                .filter(|a| disabled || !boolean(a, "isdisabled"))
                .cloned()
                .map(Value::Object)
                .collect();
            Ok((StatusCode::OK, Value::Array(v)))
        }
        ("GET", "agent", Some(s)) if s == "me" => one(&store.agents, API_AGENT_ID, "Agent"),
        ("GET", "agent", Some(_)) => one(&store.agents, id.unwrap_or_default(), "Agent"),
        ("GET", "asset", None) => {
            let client = q.int("client_id")?;
            let search = q.get("search");
            let inactive = q.flag("includeinactive");
            let v = store
                .assets
                .values()
                .filter(|a| inactive || !boolean(a, "inactive"))
                .filter(|a| client.is_none_or(|c| int(a, "client_id") == c))
                .filter(|a| {
                    search.is_none_or(|s| {
                        contains(string(a, "inventory_number"), s)
                            || contains(string(a, "key_field"), s)
                    })
                })
                .cloned()
                .collect();
            listing(q, v, "assets", false)
        }
        ("GET", "asset", Some(_)) => one(&store.assets, id.unwrap_or_default(), "Asset"),
        ("POST", "asset", None) => {
            let mut out = Vec::new();
            for a in post_body(req)? {
                out.push(upsert(store, "assets", a, |s, a| {
                    let c = int(a, "client_id");
                    let Some(client) = s.clients.get(&c) else {
                        return Err(Fail::bad(format!("Client {c} not found.")));
                    };
                    let name = client.get("name").cloned().unwrap_or(Value::Null);
                    a.insert("client_name".into(), name);
                    Ok(())
                })?);
            }
            saved(out)
        }
        ("GET", "appointment", None) => {
            let agents = q.ints("agents")?;
            let from = q.date("start_date")?;
            let to = q.date("end_date")?;
            let ticket = q.int("ticket_id")?;
            let v = store
                .appointments
                .values()
                .filter(|a| {
                    agents
                        .as_ref()
                        .is_none_or(|l| l.contains(&int(a, "agent_id")))
                })
                .filter(|a| ticket.is_none_or(|t| int(a, "ticket_id") == t))
                .filter(|a| {
                    let start = date(a, "start_date");
                    from.is_none_or(|f| start.is_some_and(|s| s >= f))
                        && to.is_none_or(|t| start.is_some_and(|s| s < t))
                })
                .cloned()
                .collect();
            listing(q, v, "appointments", true)
        }
        ("GET", "appointment", Some(_)) => {
            one(&store.appointments, id.unwrap_or_default(), "Appointment")
        }
        ("POST", "appointment", None) => {
            let mut out = Vec::new();
            for a in post_body(req)? {
                out.push(upsert(store, "appointments", a, |s, a| {
                    let agent = int(a, "agent_id");
                    let Some(rec) = s.agents.get(&agent) else {
                        return Err(Fail::bad(format!("Agent {agent} not found.")));
                    };
                    let name = rec.get("name").cloned().unwrap_or(Value::Null);
                    a.insert("agent_name".into(), name);
                    match (date(a, "start_date"), date(a, "end_date")) {
                        (Some(s), Some(e)) if s < e => Ok(()),
                        _ => Err(Fail::bad("The appointment must end after it starts.")),
                    }
                })?);
            }
            saved(out)
        }
        ("DELETE", "appointment", Some(_)) => {
            let id = id.unwrap_or_default();
            store
                .appointments
                .remove(&id)
                .map(|_| (StatusCode::OK, Value::Null))
                .ok_or_else(|| Fail::not_found(format!("Appointment {id} not found")))
        }
        ("GET", "item", None) => {
            let search = q.get("search");
            let inactive = q.flag("includeinactive");
            let v = store
                .items
                .values()
                .filter(|i| inactive || !boolean(i, "inactive"))
                .filter(|i| {
                    search.is_none_or(|s| {
                        contains(string(i, "name"), s)
                            || contains(string(i, "internalreference"), s)
                    })
                })
                .cloned()
                .collect();
            listing(q, v, "items", false)
        }
        ("GET", "item", Some(_)) => one(&store.items, id.unwrap_or_default(), "Item"),
        ("GET", "clientcontract", None) => {
            let client = q.int("client_id")?;
            let inactive = q.flag("includeinactive");
            let v = store
                .contracts
                .values()
                .filter(|c| inactive || boolean(c, "active"))
                .filter(|c| client.is_none_or(|id| int(c, "client_id") == id))
                .cloned()
                .collect();
            listing(q, v, "contracts", false)
        }
        ("GET", "clientcontract", Some(_)) => {
            one(&store.contracts, id.unwrap_or_default(), "Contract")
        }
        ("GET", "kbarticle", None) => {
            let search = q.get("search");
            let inactive = q.flag("includeinactive");
            let v = store
                .kb
                .values()
                .filter(|k| inactive || !boolean(k, "inactive"))
                .filter(|k| {
                    search.is_none_or(|s| {
                        contains(string(k, "name"), s)
                            || contains(string(k, "description"), s)
                            || contains(string(k, "tag_string"), s)
                    })
                })
                .cloned()
                .collect();
            listing(q, v, "articles", false)
        }
        ("GET", "kbarticle", Some(_)) => one(&store.kb, id.unwrap_or_default(), "Article"),
        ("GET", "sla", None) => bare(store.slas.values()),
        ("GET", "status", None) => {
            let exclude = q.flag("excludeclosed");
            bare(
                store
                    .statuses
                    .values()
                    .filter(|s| !(exclude && Store::is_closed(int(s, "id")))),
            )
        }
        ("GET", "priority", None) => bare(store.priorities.iter()),
        ("GET", "team", None) => bare(store.teams.values()),
        ("GET", "tickettype", None) => bare(store.ticket_types.values()),
        ("GET", "lookup", None) => {
            let id = q
                .int("lookupid")?
                .ok_or_else(|| Fail::bad("lookupid is required."))?;
            bare(store.lookups.get(&id).into_iter().flatten())
        }
        ("GET", "timesheetevent", None) => timesheet(store, q),
        ("GET", "webhook", None) => bare(store.webhooks.values()),
        ("GET", "webhook", Some(g)) => store
            .webhooks
            .get(g)
            .map(|w| (StatusCode::OK, Value::Object(w.clone())))
            .ok_or_else(|| Fail::not_found(format!("Webhook {g} not found"))),
        ("POST", "webhook", None) => {
            let mut out = Vec::new();
            for mut w in post_body(req)? {
                let existing = w
                    .get("id")
                    .and_then(Value::as_str)
                    .filter(|g| !g.is_empty())
                    .map(str::to_ascii_lowercase);
                let created = existing.is_none();
                let guid = match existing {
                    Some(g) if store.webhooks.contains_key(&g) => g,
                    Some(g) => return Err(Fail::not_found(format!("Webhook {g} not found"))),
                    None => {
                        let n = store.allocate("webhooks");
                        format!("{n:08x}-5d1c-4c2e-9a7d-{n:012x}")
                    }
                };
                if created && string(&w, "name").trim().is_empty() {
                    return Err(Fail::bad("Please enter a name."));
                }
                let rec = store.webhooks.entry(guid.clone()).or_default();
                w.insert("id".into(), json!(guid));
                for (k, v) in w {
                    rec.insert(k, v);
                }
                rec.entry("events").or_insert_with(|| json!([]));
                out.push((created, rec.clone()));
            }
            saved(out)
        }
        ("DELETE", "webhook", Some(g)) => store
            .webhooks
            .remove(g)
            .map(|_| (StatusCode::OK, Value::Null))
            .ok_or_else(|| Fail::not_found(format!("Webhook {g} not found"))),
        ("POST", "notification", None) => {
            let mut out = Vec::new();
            for mut n in post_body(req)? {
                let guid = string(&n, "webhook_id").to_ascii_lowercase();
                if !store.webhooks.contains_key(&guid) {
                    return Err(Fail::bad(format!("Webhook {guid} not found.")));
                }
                let id = store.allocate("notifications");
                n.insert("id".into(), json!(id));
                if let Some(w) = store.webhooks.get_mut(&guid) {
                    if let Some(Value::Array(events)) = w.get_mut("events") {
                        events.push(Value::Object(n.clone()));
                    }
                }
                out.push((true, n));
            }
            saved(out)
        }
        ("GET", "notification", None) => {
            let guid = q.get("webhook_id").map(str::to_ascii_lowercase);
            let v: Vec<Value> = store
                .webhooks
                .iter()
                .filter(|(g, _)| guid.as_ref().is_none_or(|w| w == *g))
                .flat_map(|(_, w)| {
                    w.get("events")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                })
                .collect();
            Ok((StatusCode::OK, Value::Array(v)))
        }
        _ => Err(Fail::not_found(format!(
            "No HTTP resource was found that matches the request URI '{}'.",
            req.url
        ))),
    }
}

#[allow(clippy::unnecessary_wraps)]
fn bare<'a>(records: impl Iterator<Item = &'a Record>) -> Reply {
    Ok((
        StatusCode::OK,
        Value::Array(records.cloned().map(Value::Object).collect()),
    ))
}

/// Creates (no `id`) or updates (`id`) a record of a simple table.
fn upsert(
    store: &mut Store,
    table: &'static str,
    mut rec: Record,
    check: impl FnOnce(&Store, &mut Record) -> Result<(), Fail>,
) -> Result<(bool, Record), Fail> {
    let id = int(&rec, "id");
    let exists = {
        let t = table_mut(store, table);
        id > 0 && t.contains_key(&id)
    };
    if id > 0 && !exists {
        return Err(Fail::not_found(format!("Record {id} not found")));
    }
    let mut merged = if exists {
        let mut cur = table_mut(store, table)
            .get(&id)
            .cloned()
            .unwrap_or_default();
        merge_custom_fields(&mut cur, rec.remove("customfields"));
        for (k, v) in rec {
            cur.insert(k, v);
        }
        cur
    } else {
        let new_id = store.allocate(table);
        rec.insert("id".into(), json!(new_id));
        rec.entry("inactive").or_insert(json!(false));
        rec.entry("customfields").or_insert_with(|| json!([]));
        rec
    };
    check(store, &mut merged)?;
    let id = int(&merged, "id");
    table_mut(store, table).insert(id, merged.clone());
    Ok((!exists, merged))
}

fn table_mut<'a>(store: &'a mut Store, table: &str) -> &'a mut Table {
    match table {
        "clients" => &mut store.clients,
        "users" => &mut store.users,
        "assets" => &mut store.assets,
        _ => &mut store.appointments,
    }
}

/// Merges posted custom fields (`[{name|id, value}]`) into a record's.
fn merge_custom_fields(rec: &mut Record, posted: Option<Value>) {
    let Some(Value::Array(posted)) = posted else {
        return;
    };
    let list = rec.entry("customfields").or_insert_with(|| json!([]));
    let Value::Array(list) = list else { return };
    for p in posted {
        let Value::Object(p) = p else { continue };
        let value = p.get("value").cloned().unwrap_or(Value::Null);
        let display = match &value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        let found = list.iter_mut().find_map(|f| match f {
            Value::Object(f)
                if (p.get("name").is_some() && f.get("name") == p.get("name"))
                    || (p.get("id").is_some() && f.get("id") == p.get("id")) =>
            {
                Some(f)
            }
            _ => None,
        });
        if let Some(f) = found {
            f.insert("value".into(), value);
            f.insert("display".into(), json!(display));
        } else {
            let mut f = p.clone();
            f.insert("display".into(), json!(display));
            list.push(Value::Object(f));
        }
    }
}

// ---- tickets ----------------------------------------------------------------------

struct TicketFilter {
    open_only: bool,
    closed_only: bool,
    statuses: Option<Vec<i64>>,
    priorities: Option<Vec<i64>>,
    teams: Option<Vec<i64>>,
    client: Option<i64>,
    user: Option<i64>,
    agent: Option<i64>,
    requesttype: Option<i64>,
    parent: Option<i64>,
    search: Option<String>,
    created_from: Option<chrono::DateTime<chrono::Utc>>,
    created_to: Option<chrono::DateTime<chrono::Utc>>,
    updated_from: Option<chrono::DateTime<chrono::Utc>>,
    projects: bool,
}

impl TicketFilter {
    fn of(q: &Query, projects: bool) -> Result<TicketFilter, Fail> {
        let datesearch = q.get("datesearch").map(str::to_ascii_lowercase);
        let by_created = matches!(datesearch.as_deref(), Some("dateoccured" | "dateoccurred"));
        if datesearch.is_some() && !by_created {
            return Err(Fail::bad(
                "The simulator only searches dates on 'dateoccured'.",
            ));
        }
        let mut statuses = q.ints("status")?;
        if let Some(s) = q.int("status_id")? {
            statuses.get_or_insert_with(Vec::new).push(s);
        }
        Ok(TicketFilter {
            open_only: q.flag("open_only"),
            closed_only: q.flag("closed_only"),
            statuses,
            priorities: q.ints("priority")?,
            teams: q.ints("team")?,
            client: q.int("client_id")?,
            user: q.int("user_id")?,
            agent: q.int("agent_id")?,
            requesttype: q.int("requesttype_id")?,
            parent: q.int("parent_id")?,
            search: q.get("search").map(str::to_lowercase),
            created_from: if by_created {
                q.date("startdate")?
            } else {
                None
            },
            created_to: if by_created { q.date("enddate")? } else { None },
            updated_from: q.date("lastupdatefromdate")?,
            projects,
        })
    }

    fn matches(&self, t: &Record, types: &Table, ignore_search: bool) -> bool {
        let status = int(t, "status_id");
        let closed = Store::is_closed(status);
        let tt = int(t, "tickettype_id");
        let is_project =
            boolean(t, "is_project") || types.get(&tt).is_some_and(|r| string(r, "use") == "prjs");
        (!self.open_only || !closed)
            && (!self.closed_only || closed)
            && self.projects == is_project
            && self.statuses.as_ref().is_none_or(|s| s.contains(&status))
            && self
                .priorities
                .as_ref()
                .is_none_or(|p| p.contains(&int(t, "priority_id")))
            && self
                .teams
                .as_ref()
                .is_none_or(|l| l.contains(&int(t, "team_id")))
            && self.client.is_none_or(|c| int(t, "client_id") == c)
            && self.user.is_none_or(|u| int(t, "user_id") == u)
            && self.agent.is_none_or(|a| int(t, "agent_id") == a)
            && self.requesttype.is_none_or(|r| tt == r)
            && self.parent.is_none_or(|p| int(t, "parent_id") == p)
            && int(t, "merged_into_id") <= 0
            && (ignore_search
                || self.search.as_ref().is_none_or(|s| {
                    string(t, "summary").to_lowercase().contains(s)
                        || string(t, "details").to_lowercase().contains(s)
                        || int(t, "id").to_string() == *s
                }))
            && self
                .created_from
                .is_none_or(|f| date(t, "dateoccurred").is_some_and(|d| d >= f))
            && self
                .created_to
                .is_none_or(|e| date(t, "dateoccurred").is_some_and(|d| d < e))
            && self.updated_from.is_none_or(|f| {
                date(t, "last_update")
                    .or_else(|| date(t, "dateoccurred"))
                    .is_some_and(|d| d >= f)
            })
    }
}

fn list_tickets(store: &Store, q: &Query, projects: bool) -> Reply {
    let f = TicketFilter::of(q, projects)?;
    let template = store.generated_ticket(GENERATED_BASE);
    let generated_match = template
        .as_ref()
        .is_some_and(|t| f.matches(t, &store.ticket_types, true));
    let paging = q.paging()?;
    let (skip, take) = match paging {
        Some((no, size)) => ((no - 1).saturating_mul(size), size),
        None => (
            0,
            q.int("count")?
                .and_then(|c| usize::try_from(c).ok())
                .unwrap_or(usize::MAX),
        ),
    };
    let mut total = 0usize;
    let mut page = Vec::new();
    for id in store.ticket_ids() {
        let ok = match store.tickets.get(&id) {
            Some(t) => f.matches(t, &store.ticket_types, false),
            None => {
                generated_match
                    && f.search.as_ref().is_none_or(|s| {
                        format!("generated ticket {}", id - GENERATED_BASE).contains(s)
                    })
            }
        };
        if ok {
            if total >= skip && page.len() < take {
                page.push(id);
            }
            total += 1;
        }
    }
    let records: Vec<Value> = page
        .into_iter()
        .filter_map(|id| store.ticket(id))
        .map(|mut t| {
            t.remove("audit_log");
            Value::Object(t)
        })
        .collect();
    Ok((
        StatusCode::OK,
        match paging {
            Some((no, size)) => {
                json!({"page_no": no, "page_size": size, "record_count": total, "tickets": records})
            }
            None => json!({"record_count": total, "tickets": records}),
        },
    ))
}

fn get_ticket(store: &Store, q: &Query, id: i64) -> Reply {
    let mut t = store
        .ticket(id)
        .ok_or_else(|| Fail::not_found(format!("Ticket {id} not found")))?;
    if !q.flag("includedetails") {
        t.remove("items_issued");
    }
    if q.flag("include_auditing") {
        let log = store.audit.get(&id).cloned().unwrap_or_default();
        t.insert(
            "audit_log".into(),
            Value::Array(log.into_iter().map(Value::Object).collect()),
        );
    }
    Ok((StatusCode::OK, Value::Object(t)))
}

/// Fields whose changes the simulator audits.
const AUDITED: [&str; 6] = [
    "status_id",
    "priority_id",
    "agent_id",
    "team_id",
    "tickettype_id",
    "summary",
];

#[allow(clippy::too_many_lines)]
fn save_tickets(store: &mut Store, posted: Vec<Record>) -> Reply {
    let mut out = Vec::new();
    for mut t in posted {
        let id = int(&t, "id");
        let now = now_text();
        if id > 0 {
            if store.ticket(id).is_none() {
                return Err(Fail::not_found(format!("Ticket {id} not found")));
            }
            let merge_into = int(&t, "merged_into_id");
            if merge_into > 0 && boolean(&t, "domerge") {
                if merge_into == id || store.ticket(merge_into).is_none() {
                    return Err(Fail::bad(format!(
                        "Ticket {id} cannot be merged into ticket {merge_into}."
                    )));
                }
                t.insert("status_id".into(), json!(9));
                let next = store.next_action_id(merge_into);
                store.add_action_raw(obj(json!({
                    "ticket_id": merge_into, "id": next, "outcome": "Merged", "who": "API Integration",
                    "who_type": 1, "who_agentid": API_AGENT_ID, "datetime": now,
                    "note": format!("Ticket {id} was merged into this ticket."),
                    "hiddenfromuser": true, "merged_from_ticketid": id, "timetaken": 0
                })));
            }
            t.remove("domerge");
            if let Some(new_parent) = t.get("parent_id").and_then(Value::as_i64) {
                let old_parent = store
                    .ticket(id)
                    .map(|c| int(&c, "parent_id"))
                    .unwrap_or_default();
                if new_parent > 0 && (new_parent == id || store.ticket(new_parent).is_none()) {
                    return Err(Fail::bad(format!(
                        "Ticket {new_parent} cannot be the parent of {id}."
                    )));
                }
                if old_parent != new_parent {
                    if let Some(p) = store.ticket_mut(old_parent) {
                        if let Some(Value::Array(c)) = p.get_mut("child_ticket_ids") {
                            c.retain(|v| v.as_i64() != Some(id));
                        }
                    }
                    if let Some(p) = store.ticket_mut(new_parent) {
                        let c = p.entry("child_ticket_ids").or_insert_with(|| json!([]));
                        if let Value::Array(c) = c {
                            c.push(json!(id));
                        }
                    }
                }
            }
            let names = names(store, &t);
            let before = store.ticket(id).unwrap_or_default();
            for f in AUDITED {
                if let Some(v) = t.get(f) {
                    let old = before.get(f).cloned().unwrap_or(Value::Null);
                    if *v != old {
                        store.audit(id, f, &old, v);
                    }
                }
            }
            let Some(cur) = store.ticket_mut(id) else {
                return Err(Fail::not_found(format!("Ticket {id} not found")));
            };
            merge_custom_fields(cur, t.remove("customfields"));
            for (k, v) in t.into_iter().chain(names) {
                cur.insert(k, v);
            }
            let status = int(cur, "status_id");
            if Store::is_closed(status) && date(cur, "dateclosed").is_none() {
                cur.insert("dateclosed".into(), json!(now));
                cur.insert("hasbeenclosed".into(), json!(true));
            } else if !Store::is_closed(status) {
                cur.insert("dateclosed".into(), json!("1900-01-01T00:00:00"));
            }
            cur.insert("last_update".into(), json!(now));
            out.push((false, cur.clone()));
        } else {
            if string(&t, "summary").trim().is_empty() {
                return Err(Fail::bad("Please enter a summary."));
            }
            let client = int(&t, "client_id");
            if !store.clients.contains_key(&client) {
                return Err(Fail::bad(format!("Client {client} not found.")));
            }
            let new_id = store.allocate("tickets");
            let names = names(store, &t);
            let mut rec = obj(json!({
                "id": new_id, "status_id": 1, "tickettype_id": 1, "priority_id": 3, "sla_id": 1,
                "agent_id": 0, "user_id": 0, "site_id": 0, "team_id": 0, "parent_id": 0,
                "merged_into_id": 0, "dateoccurred": now, "datecreated": now, "last_update": now,
                "dateclosed": "1900-01-01T00:00:00", "timetaken": 0, "onhold": false, "deleted": false,
                "customfields": []
            }));
            merge_custom_fields(&mut rec, t.remove("customfields"));
            t.remove("id");
            for (k, v) in t.into_iter().chain(names) {
                rec.insert(k, v);
            }
            if let Some(site) = store.clients.get(&client).map(|c| int(c, "main_site_id")) {
                if int(&rec, "site_id") == 0 {
                    rec.insert("site_id".into(), json!(site));
                    rec.insert("site_name".into(), name_of(&store.sites, site));
                }
            }
            let summary = rec.get("summary").cloned().unwrap_or(Value::Null);
            store.add_action_raw(obj(json!({
                "ticket_id": new_id, "id": 1, "outcome": "Logged", "who": "API Integration", "who_type": 1,
                "who_agentid": API_AGENT_ID, "datetime": now, "note": summary, "hiddenfromuser": false, "timetaken": 0
            })));
            store.tickets.insert(new_id, rec.clone());
            out.push((true, rec));
        }
    }
    saved(out)
}

/// The display names Halo fills in for the ids a ticket carries.
fn names(store: &Store, t: &Record) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let pairs: [(&str, &str, &Table); 6] = [
        ("client_id", "client_name", &store.clients),
        ("user_id", "user_name", &store.users),
        ("agent_id", "agent_name", &store.agents),
        ("team_id", "team", &store.teams),
        ("status_id", "status_name", &store.statuses),
        ("tickettype_id", "tickettype_name", &store.ticket_types),
    ];
    for (id_key, name_key, table) in pairs {
        if let Some(id) = t.get(id_key).and_then(Value::as_i64) {
            out.push((name_key.to_owned(), name_of(table, id)));
        }
    }
    out
}

// ---- actions and time --------------------------------------------------------------

fn list_actions(store: &Store, q: &Query) -> Reply {
    let t = q
        .int("ticket_id")?
        .ok_or_else(|| Fail::bad("ticket_id is required."))?;
    if store.ticket(t).is_none() {
        return Err(Fail::not_found(format!("Ticket {t} not found")));
    }
    let public_only = q.flag("excludeprivate");
    let time_only = q.flag("timeentriesonly");
    let v: Vec<Record> = store
        .actions
        .range((t, i64::MIN)..=(t, i64::MAX))
        .map(|(_, a)| a)
        .filter(|a| !public_only || !boolean(a, "hiddenfromuser"))
        .filter(|a| !time_only || num(a, "timetaken") > 0.0)
        .cloned()
        .collect();
    listing(q, v, "actions", false)
}

#[allow(clippy::too_many_lines)]
fn save_actions(store: &mut Store, posted: Vec<Record>) -> Reply {
    let mut out = Vec::new();
    for mut a in posted {
        let ticket = int(&a, "ticket_id");
        if ticket <= 0 {
            return Err(Fail::bad("Please specify a ticket_id."));
        }
        if store.ticket(ticket).is_none() {
            return Err(Fail::not_found(format!("Ticket {ticket} not found")));
        }
        let id = int(&a, "id");
        let now = now_text();
        if let Some(items) = a.remove("new_items_issued") {
            let mut issued = Vec::new();
            for item in items.as_array().cloned().unwrap_or_default() {
                let Value::Object(mut item) = item else {
                    continue;
                };
                let item_id = int(&item, "item_id");
                let Some(catalog) = store.items.get(&item_id).cloned() else {
                    return Err(Fail::bad(format!("Item {item_id} not found.")));
                };
                let line = store.next_item_line;
                store.next_item_line += 1;
                item.insert("id".into(), json!(line));
                item.insert("ticket_id".into(), json!(ticket));
                item.insert(
                    "name".into(),
                    catalog.get("name").cloned().unwrap_or(Value::Null),
                );
                item.entry("price")
                    .or_insert_with(|| catalog.get("baseprice").cloned().unwrap_or(json!(0)));
                item.entry("costprice")
                    .or_insert_with(|| catalog.get("costprice").cloned().unwrap_or(json!(0)));
                item.insert("agent_id".into(), json!(API_AGENT_ID));
                issued.push(Value::Object(item));
            }
            if let Some(t) = store.ticket_mut(ticket) {
                let list = t.entry("items_issued").or_insert_with(|| json!([]));
                if let Value::Array(list) = list {
                    list.extend(issued.iter().cloned());
                }
            }
            a.insert("new_items_issued".into(), Value::Array(issued));
        }
        if let Some(status) = a
            .get("new_status")
            .and_then(Value::as_i64)
            .filter(|s| *s > 0)
        {
            let old = store
                .ticket(ticket)
                .and_then(|t| t.get("status_id").cloned());
            store.audit(
                ticket,
                "status_id",
                &old.unwrap_or(Value::Null),
                &json!(status),
            );
            if let Some(t) = store.ticket_mut(ticket) {
                t.insert("status_id".into(), json!(status));
            }
        }
        let added_time = num(&a, "timetaken");
        if id > 0 {
            let Some(cur) = store.actions.get_mut(&(ticket, id)) else {
                return Err(Fail::not_found(format!(
                    "Action {id} on ticket {ticket} not found"
                )));
            };
            let old_time = num(cur, "timetaken");
            for (k, v) in a {
                cur.insert(k, v);
            }
            cur.insert("last_updated".into(), json!(now));
            let rec = cur.clone();
            if rec.contains_key("timetaken") {
                if let Some(t) = store.ticket_mut(ticket) {
                    let total = num(t, "timetaken") - old_time + num(&rec, "timetaken");
                    t.insert("timetaken".into(), json!(total.max(0.0)));
                }
            }
            out.push((false, rec));
        } else {
            let next = store.next_action_id(ticket);
            let who_agent = a
                .get("who_agentid")
                .and_then(Value::as_i64)
                .filter(|v| *v > 0)
                .unwrap_or(API_AGENT_ID);
            if !store.agents.contains_key(&who_agent) {
                return Err(Fail::bad(format!("Agent {who_agent} not found.")));
            }
            let mut rec = obj(json!({
                "ticket_id": ticket, "id": next, "outcome": "Note", "who": name_of(&store.agents, who_agent),
                "who_type": 1, "who_agentid": who_agent, "actionby_agent_id": API_AGENT_ID,
                "datetime": now, "actiondatecreated": now, "hiddenfromuser": false, "timetaken": 0
            }));
            a.remove("id");
            for (k, v) in a {
                rec.insert(k, v);
            }
            if added_time > 0.0 {
                if let Some(t) = store.ticket_mut(ticket) {
                    let total = num(t, "timetaken") + added_time;
                    t.insert("timetaken".into(), json!(total));
                }
            }
            if let Some(t) = store.ticket_mut(ticket) {
                t.insert("lastactiondate".into(), json!(now));
                t.insert("last_update".into(), json!(now));
            }
            store.actions.insert((ticket, next), rec.clone());
            out.push((true, rec));
        }
    }
    saved(out)
}

fn timesheet(store: &Store, q: &Query) -> Reply {
    let mut agents = q.ints("agents")?;
    if let Some(a) = q.int("agent_id")? {
        agents.get_or_insert_with(Vec::new).push(a);
    }
    let from = q.date("start_date")?;
    let to = q.date("end_date")?;
    let mut out = Vec::new();
    for ((ticket, id), a) in &store.actions {
        let hours = num(a, "timetaken");
        if hours <= 0.0 {
            continue;
        }
        let agent = int(a, "who_agentid");
        let start = date(a, "actionarrivaldate").or_else(|| date(a, "datetime"));
        if agents.as_ref().is_some_and(|l| !l.contains(&agent))
            || from.is_some_and(|f| start.is_none_or(|s| s < f))
            || to.is_some_and(|t| start.is_none_or(|s| s >= t))
        {
            continue;
        }
        let summary = store
            .ticket(*ticket)
            .map(|t| string(&t, "summary").to_owned())
            .unwrap_or_default();
        out.push(Value::Object(obj(json!({
            "id": 30_000 + ticket * 100 + id, "event_type": 0,
            "subject": format!("{ticket} - {summary}"),
            "start_date": a.get("actionarrivaldate").or_else(|| a.get("datetime")),
            "end_date": a.get("actioncompletiondate").or_else(|| a.get("datetime")),
            "timetaken": hours, "agent_id": agent, "ticket_id": ticket, "action_number": id,
            "note": a.get("note"), "charge_rate": int(a, "chargerate"),
        }))));
    }
    Ok((StatusCode::OK, Value::Array(out)))
}
