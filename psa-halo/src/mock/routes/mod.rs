//! The simulator's request handling: the token endpoint, the rate limit,
//! the bearer check, and the routes of Halo's resources (one module per
//! group of them), with the answers they share (listings, single records,
//! saves, Halo's error body).

mod attachments;
mod catalog;
mod lookups;
mod parties;
mod tickets;
mod webhooks;

use http::StatusCode;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;
use wiremock::{Request, Respond, ResponseTemplate};

use super::filter::Query;
use super::store::{Record, Store, Table, int};
use super::{CLIENT_ID, CLIENT_SECRET, Shared, lock};

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
    ("GET", r"(?i)^/api/attachment(/[0-9]+)?$"),
    ("POST", r"(?i)^/api/attachment$"),
    ("DELETE", r"(?i)^/api/attachment/[0-9]+$"),
    ("GET", r"(?i)^/api/fieldinfo$"),
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
        let stripped;
        let req = if req.method == http::Method::POST && !shared.config.ignored_fields.is_empty() {
            stripped = ignore_fields(req, &shared.config.ignored_fields);
            &stripped
        } else {
            req
        };
        let q = Query::of(req);
        let segments: Vec<String> = req
            .url
            .path()
            .trim_start_matches("/api/")
            .split('/')
            .map(str::to_ascii_lowercase)
            .collect();
        let mut store = lock(&shared.store);
        if req.method == http::Method::GET && segments.len() == 2 && segments[0] == "attachment" {
            if let Ok(id) = segments[1].parse() {
                return attachments::file(&store, id);
            }
        }
        let res = route(&mut store, req, &segments, &q);
        match res {
            Ok((status, body)) => ResponseTemplate::new(status.as_u16()).set_body_json(body),
            Err(e) => e.into_response(),
        }
    }
}

/// `req` with `fields` removed from the records of its JSON array body
/// (`HaloMockBuilder::ignore_fields`).
fn ignore_fields(req: &Request, fields: &[String]) -> Request {
    let mut out = req.clone();
    if let Ok(Value::Array(mut items)) = serde_json::from_slice::<Value>(&req.body) {
        for item in &mut items {
            if let Value::Object(m) = item {
                for f in fields {
                    m.remove(f);
                }
            }
        }
        out.body = serde_json::to_vec(&Value::Array(items)).unwrap_or_default();
    }
    out
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
    pub(crate) fn bad(msg: impl Into<String>) -> Fail {
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

/// Halo's answer to a route it does not have.
fn no_route(req: &Request) -> Fail {
    Fail::not_found(format!(
        "No HTTP resource was found that matches the request URI '{}'.",
        req.url
    ))
}

/// The method, the resource (the first path segment, lower case) and the
/// record id (the second, when it is a number) of a request.
fn parts<'a>(req: &'a Request, seg: &'a [String]) -> (&'a str, &'a str, Option<i64>) {
    let resource = seg.first().map_or("", String::as_str);
    let id = seg.get(1).and_then(|s| s.parse().ok());
    (req.method.as_str(), resource, id)
}

/// The answer to an authorised API request, by resource.
fn route(store: &mut Store, req: &Request, seg: &[String], q: &Query) -> Reply {
    match seg.first().map_or("", String::as_str) {
        "tickets" | "projects" | "actions" | "timesheetevent" => tickets::route(store, req, seg, q),
        "client" | "site" | "users" | "agent" => parties::route(store, req, seg, q),
        "asset" | "appointment" | "item" | "clientcontract" | "kbarticle" => {
            catalog::route(store, req, seg, q)
        }
        "sla" | "status" | "priority" | "team" | "tickettype" | "lookup" => {
            lookups::route(store, req, seg, q)
        }
        "webhook" | "notification" => webhooks::route(store, req, seg, q),
        "attachment" | "fieldinfo" => attachments::route(store, req, seg, q),
        _ => Err(no_route(req)),
    }
}

/// The `name` of record `id` in `t` (Halo fills names in for the ids a
/// record carries).
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

#[allow(clippy::unnecessary_wraps)]
fn bare<'a>(records: impl Iterator<Item = &'a Record>) -> Reply {
    Ok((
        StatusCode::OK,
        Value::Array(records.cloned().map(Value::Object).collect()),
    ))
}

/// Creates or updates the records of a `POST` body in a simple table,
/// each checked (and completed) by `check`; Halo's answer to the save.
fn upsert_all(
    store: &mut Store,
    req: &Request,
    table: &'static str,
    check: impl Fn(&Store, &mut Record) -> Result<(), Fail>,
) -> Reply {
    let mut out = Vec::new();
    for rec in post_body(req)? {
        out.push(upsert(store, table, rec, &check)?);
    }
    saved(out)
}

/// Creates (no `id`) or updates (`id`) a record of a simple table.
fn upsert(
    store: &mut Store,
    table: &'static str,
    mut rec: Record,
    check: &impl Fn(&Store, &mut Record) -> Result<(), Fail>,
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
