//! The simulator's routes: `/oauth_token.do`, `/api/now/table/…`, and a
//! catch-all that counts what nothing else answers.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde_json::{Map, Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

mod attachments;
mod batch;

pub(crate) use attachments::AttachmentRoute;
pub(crate) use batch::BatchRoute;

use super::filter;
use super::seed;
use super::store::{Actor, ApiErr, DisplayMode, Store};

/// What the simulator counts.
#[derive(Debug, Default, Clone)]
pub(crate) struct Counters {
    pub(crate) requests: u64,
    /// By method (upper case) and path (lower case).
    pub(crate) per_route: BTreeMap<(String, String), u64>,
    pub(crate) token_requests: u64,
    pub(crate) unauthorized: u64,
    pub(crate) unexpected: u64,
    pub(crate) cookie_requests: u64,
    pub(crate) rate_limited: u64,
}

/// A fixed window of the rate-limit rule.
#[derive(Debug)]
pub(crate) struct RateRule {
    pub(crate) limit: u32,
    pub(crate) window: Duration,
    pub(crate) enforce: bool,
    pub(crate) started: Option<Instant>,
    pub(crate) count: u32,
}

#[derive(Debug)]
pub(crate) struct Grant {
    user: Actor,
    expires: Instant,
}

/// An attachment the simulator keeps: its `sys_attachment` metadata (as
/// the Attachment API returns it) and its content.
#[derive(Debug, Clone)]
pub(crate) struct StoredAttachment {
    pub(crate) meta: Map<String, Value>,
    pub(crate) data: bytes::Bytes,
}

/// Everything the routes share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) store: Store,
    pub(crate) counters: Counters,
    pub(crate) rate: Option<RateRule>,
    pub(crate) token_lifetime: Duration,
    pub(crate) base: String,
    pub(crate) strict_queries: bool,
    pub(crate) passwords: HashMap<String, String>,
    pub(crate) revoked_refresh: bool,
    pub(crate) attachments: Vec<StoredAttachment>,
    /// The Batch API answers 403 (an instance whose ACLs refuse it).
    pub(crate) batch_refused: bool,
    tokens: HashMap<String, Grant>,
    refresh: HashMap<String, Actor>,
    issued: u64,
}

impl Shared {
    pub(crate) fn new(store: Store) -> Self {
        let mut passwords: HashMap<String, String> = store
            .rows("sys_user")
            .iter()
            .filter_map(|u| u.get("user_name"))
            .map(|name| (name.clone(), seed::agent_password(name)))
            .collect();
        passwords.insert(
            seed::INTEGRATION_USER.to_owned(),
            seed::INTEGRATION_PASSWORD.to_owned(),
        );
        Shared {
            store,
            counters: Counters::default(),
            rate: None,
            token_lifetime: Duration::from_secs(1799),
            base: String::new(),
            strict_queries: true,
            passwords,
            revoked_refresh: false,
            attachments: Vec::new(),
            batch_refused: false,
            tokens: HashMap::new(),
            refresh: HashMap::new(),
            issued: 0,
        }
    }

    fn issue(&mut self, prefix: &str) -> String {
        self.issued += 1;
        let id = self.store.new_sys_id();
        format!("{prefix}{}{id}", self.issued)
    }

    /// Expires every access token now (the next call gets a 401).
    pub(crate) fn expire_tokens(&mut self) {
        let now = Instant::now();
        for g in self.tokens.values_mut() {
            g.expires = now;
        }
    }
}

pub(crate) type State = Arc<Mutex<Shared>>;

pub(crate) fn lock(state: &State) -> MutexGuard<'_, Shared> {
    // A panic while holding the lock leaves the data usable: keep serving.
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn count(shared: &mut Shared, req: &Request) {
    shared.counters.requests += 1;
    let route = (
        req.method.as_str().to_ascii_uppercase(),
        req.url.path().to_ascii_lowercase(),
    );
    *shared.counters.per_route.entry(route).or_default() += 1;
    if req.headers.contains_key(http::header::COOKIE) {
        shared.counters.cookie_requests += 1;
    }
}

fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("content-type", "application/json;charset=UTF-8")
        .insert_header("server", "ServiceNow")
        .set_body_string(body.to_string())
}

fn with_session(t: ResponseTemplate, shared: &mut Shared) -> ResponseTemplate {
    // Real instances hand out a session cookie; a client must never send it back.
    let cookie = shared.issue("");
    t.insert_header("x-is-logged-in", "true").insert_header(
        "set-cookie",
        format!("glide_session_store={cookie}; Max-Age=1800; Path=/; Secure; HttpOnly"),
    )
}

fn api_error(e: &ApiErr) -> ResponseTemplate {
    json_response(e.status, &e.body())
}

/// One answer of a route, before it is a wiremock response: a batch
/// item carries it inside the batch's answer.
#[derive(Debug)]
pub(crate) struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Option<Value>,
}

impl Reply {
    fn json(status: u16, body: Value) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Some(body),
        }
    }

    fn empty(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: None,
        }
    }

    fn error(e: &ApiErr) -> Self {
        Reply::json(e.status, e.body())
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    fn into_template(self) -> ResponseTemplate {
        let mut t = match &self.body {
            Some(b) => json_response(self.status, b),
            None => ResponseTemplate::new(self.status),
        };
        for (k, v) in self.headers {
            t = t.insert_header(k, v);
        }
        t
    }
}

/// `POST /oauth_token.do`.
pub(crate) struct TokenRoute(pub(crate) State);

fn oauth_error(status: u16, error: &str, description: &str) -> ResponseTemplate {
    json_response(
        status,
        &json!({"error_description": description, "error": error}),
    )
}

impl Respond for TokenRoute {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut shared = lock(&self.0);
        count(&mut shared, req);
        shared.counters.token_requests += 1;
        let form_encoded = req
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        if !form_encoded {
            // "A content-type of application/json results in an unspecified error."
            return oauth_error(400, "server_error", "unsupported content type");
        }
        let form: HashMap<String, String> = url::form_urlencoded::parse(&req.body)
            .into_owned()
            .collect();
        let get = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
        if get("client_id") != seed::CLIENT_ID || get("client_secret") != seed::CLIENT_SECRET {
            return access_denied(&mut shared);
        }
        let (user, refresh) = match get("grant_type") {
            "client_credentials" => match shared.store.user_by_name(seed::INTEGRATION_USER) {
                Some(u) => (u, None),
                None => return access_denied(&mut shared),
            },
            "password" => {
                let user = get("username");
                let ok = shared
                    .passwords
                    .get(user)
                    .is_some_and(|p| p == get("password"));
                let active = shared.store.rows("sys_user").iter().any(|u| {
                    u.get("user_name").map(String::as_str) == Some(user)
                        && u.get("active").map(String::as_str) == Some("true")
                });
                match shared.store.user_by_name(user).filter(|_| ok && active) {
                    Some(u) => {
                        let r = shared.issue("mockRefresh");
                        shared.refresh.insert(r.clone(), u.clone());
                        (u, Some(r))
                    }
                    None => return access_denied(&mut shared),
                }
            }
            "refresh_token" => {
                let token = get("refresh_token").to_owned();
                match shared
                    .refresh
                    .get(&token)
                    .cloned()
                    .filter(|_| !shared.revoked_refresh)
                {
                    Some(u) => (u, Some(token)),
                    None => return access_denied(&mut shared),
                }
            }
            _ => return oauth_error(400, "unsupported_grant_type", "unsupported grant type"),
        };
        let access = shared.issue("mockAccess");
        let lifetime = shared.token_lifetime;
        shared.tokens.insert(
            access.clone(),
            Grant {
                user,
                expires: Instant::now() + lifetime,
            },
        );
        let mut body = json!({
            "scope": "useraccount",
            "token_type": "Bearer",
            "expires_in": lifetime.as_secs(),
            "access_token": access,
        });
        if let Some(r) = refresh {
            body["refresh_token"] = json!(r);
        }
        json_response(200, &body)
    }
}

/// ServiceNow's answer to bad OAuth credentials, counted.
fn access_denied(shared: &mut Shared) -> ResponseTemplate {
    shared.counters.unauthorized += 1;
    oauth_error(401, "server_error", "access_denied")
}

/// `/api/now/table/{table}[/{sys_id}]`.
pub(crate) struct TableRoute(pub(crate) State);

fn unauthenticated(bearer: bool) -> ResponseTemplate {
    json_response(
        401,
        &json!({"error": {"message": "User Not Authenticated", "detail": "Required to provide Auth information"}, "status": "failure"}),
    )
    .insert_header(
        "www-authenticate",
        if bearer { "BEARER realm=\"Service-now\"" } else { "Basic realm=\"Service-now\"" },
    )
}

fn authenticate(shared: &Shared, req: &Request) -> Result<Actor, Box<ResponseTemplate>> {
    let header = req
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Some(token) = header.strip_prefix("Bearer ") {
        return match shared.tokens.get(token) {
            Some(g) if g.expires > Instant::now() => Ok(g.user.clone()),
            _ => Err(Box::new(unauthenticated(true))),
        };
    }
    if let Some(b64) = header.strip_prefix("Basic ") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        if let Some((user, pass)) = decoded.split_once(':') {
            if shared.passwords.get(user).is_some_and(|p| p == pass) {
                if let Some(actor) = shared.store.user_by_name(user) {
                    return Ok(actor);
                }
            }
        }
        return Err(Box::new(unauthenticated(false)));
    }
    Err(Box::new(unauthenticated(true)))
}

const RULE_ID: &str = "b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3";

/// Applies the rate-limit rule: the headers to add, or the 429 to answer.
fn rate_limit(shared: &mut Shared) -> Result<Vec<(&'static str, String)>, Box<ResponseTemplate>> {
    let Some(rule) = shared.rate.as_mut() else {
        return Ok(Vec::new());
    };
    let now = Instant::now();
    let started = match rule.started {
        Some(s) if now.duration_since(s) < rule.window => s,
        _ => {
            rule.started = Some(now);
            rule.count = 0;
            now
        }
    };
    rule.count += 1;
    let reset_in = rule.window.saturating_sub(now.duration_since(started));
    let reset_at = SystemTime::now()
        .checked_add(reset_in)
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let headers = vec![
        ("x-ratelimit-limit", rule.limit.to_string()),
        ("x-ratelimit-reset", reset_at.to_string()),
        ("x-ratelimit-rule", RULE_ID.to_owned()),
    ];
    if rule.enforce && rule.count > rule.limit {
        let retry = reset_in.as_secs() + u64::from(reset_in.subsec_nanos() > 0);
        let limit = rule.limit;
        shared.counters.rate_limited += 1;
        let mut t = json_response(
            429,
            &json!({"error": {"message": "Rate limit exceeded", "detail": format!("Rate limit of {limit} requests per hour for Table API exceeded")}, "status": "failure"}),
        )
        .insert_header("retry-after", retry.max(1).to_string());
        for (k, v) in headers {
            t = t.insert_header(k, v);
        }
        return Err(Box::new(t));
    }
    Ok(headers)
}

struct Params {
    pairs: Vec<(String, String)>,
    query: String,
    fields: Option<Vec<String>>,
    display: DisplayMode,
    exclude_links: bool,
    limit: Option<usize>,
    offset: usize,
    no_count: bool,
    suppress_links: bool,
}

fn params(req: &Request) -> Result<Params, ApiErr> {
    let pairs: Vec<(String, String)> = req.url.query_pairs().into_owned().collect();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(pk, _)| pk == k)
            .map(|(_, v)| v.as_str())
    };
    let flag = |k: &str| get(k) == Some("true");
    let number = |k: &str| -> Result<Option<usize>, ApiErr> {
        get(k)
            .map(|v| {
                v.parse::<usize>().map_err(|_| {
                    ApiErr::new(
                        400,
                        format!("Invalid {k}"),
                        json!(format!("{k} must be a non-negative number")),
                    )
                })
            })
            .transpose()
    };
    let display = match get("sysparm_display_value") {
        None | Some("false") => DisplayMode::Value,
        Some("true") => DisplayMode::Display,
        Some("all") => DisplayMode::All,
        Some(other) => {
            return Err(ApiErr::new(
                400,
                "Invalid sysparm_display_value",
                json!(other),
            ));
        }
    };
    Ok(Params {
        query: get("sysparm_query").unwrap_or_default().to_owned(),
        fields: get("sysparm_fields").map(|f| {
            f.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        }),
        display,
        exclude_links: flag("sysparm_exclude_reference_link"),
        limit: number("sysparm_limit")?,
        offset: number("sysparm_offset")?.unwrap_or(0),
        no_count: flag("sysparm_no_count"),
        suppress_links: flag("sysparm_suppress_pagination_header"),
        pairs,
    })
}

fn link_header(
    base: &str,
    path: &str,
    pairs: &[(String, String)],
    limit: usize,
    offset: usize,
    total: usize,
) -> String {
    let url = |off: usize| {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        let mut had_offset = false;
        for (k, v) in pairs {
            if k == "sysparm_offset" {
                had_offset = true;
                ser.append_pair(k, &off.to_string());
            } else {
                ser.append_pair(k, v);
            }
        }
        if !had_offset {
            ser.append_pair("sysparm_offset", &off.to_string());
        }
        format!("<{base}{path}?{}>", ser.finish())
    };
    let limit = limit.max(1);
    let last = if total == 0 {
        0
    } else {
        (total - 1) / limit * limit
    };
    let mut parts = vec![format!("{};rel=\"first\"", url(0))];
    if offset > 0 {
        parts.push(format!(
            "{};rel=\"prev\"",
            url(offset.saturating_sub(limit))
        ));
    }
    if offset + limit < total {
        parts.push(format!("{};rel=\"next\"", url(offset + limit)));
    }
    parts.push(format!("{};rel=\"last\"", url(last)));
    parts.join(",")
}

fn body_object(req: &Request) -> Result<Map<String, Value>, ApiErr> {
    let json_body = req
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if !json_body {
        return Err(ApiErr::new(
            415,
            "Unsupported media type",
            json!("Content-Type must be application/json"),
        ));
    }
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(ApiErr::new(
            400,
            "Exception while reading request",
            json!("The payload is not valid JSON."),
        )),
    }
}

impl TableRoute {
    fn handle(shared: &mut Shared, req: &Request, actor: &Actor) -> Result<Reply, ApiErr> {
        let path = req.url.path().to_owned();
        let rest = path.strip_prefix("/api/now/table/").unwrap_or_default();
        let mut segs = rest.split('/');
        let table = segs.next().unwrap_or_default().to_owned();
        let sys_id = segs.next().map(str::to_owned);
        if segs.next().is_some() || sys_id.as_deref() == Some("") {
            return Err(ApiErr::new(
                400,
                "Requested URI does not represent any resource",
                Value::Null,
            ));
        }
        if !shared.store.table_exists(&table) {
            return Err(ApiErr::invalid_table(&table));
        }
        let p = params(req)?;
        let base = shared.base.clone();
        let method = req.method.as_str();
        let render = |store: &Store, row: &super::store::Row| {
            store.render(
                &table,
                row,
                p.fields.as_deref(),
                p.display,
                p.exclude_links,
                &base,
            )
        };
        match (method, sys_id) {
            ("GET", None) => {
                let strict = shared.strict_queries;
                let store = &shared.store;
                let parsed = filter::parse(&p.query, &|f| {
                    !strict || super::store::schema::knows_path(&table, f)
                })
                .map_err(|detail| ApiErr::new(400, "Invalid encoded query", json!(detail)))?;
                if let Some(fields) = &p.fields {
                    if let Some(bad) = fields
                        .iter()
                        .find(|f| crate::query::validate_field(f).is_err())
                    {
                        return Err(ApiErr::new(400, "Invalid sysparm_fields", json!(bad)));
                    }
                }
                let limit = p.limit.unwrap_or(10_000);
                let (rows, total) = store.list(&table, &parsed, limit, p.offset);
                let result: Vec<Value> = rows.into_iter().map(|r| render(store, r)).collect();
                let mut t = Reply::json(200, json!({ "result": result }));
                if !p.no_count {
                    t = t.header("x-total-count", total.to_string());
                }
                if p.limit.is_some() && !p.suppress_links {
                    t = t.header(
                        "link",
                        link_header(&base, &path, &p.pairs, limit, p.offset, total),
                    );
                }
                Ok(t)
            }
            ("GET", Some(id)) => {
                let store = &shared.store;
                match store.get(&table, &id).filter(|_| !store.is_hidden(&id)) {
                    Some(row) => Ok(Reply::json(200, json!({ "result": render(store, row) }))),
                    None => Err(ApiErr::not_found()),
                }
            }
            ("POST", None) => {
                let body = body_object(req)?;
                let row = shared.store.insert(&table, &body, actor)?;
                let id = row.get("sys_id").cloned().unwrap_or_default();
                Ok(
                    Reply::json(201, json!({ "result": render(&shared.store, &row) }))
                        .header("location", format!("{base}/api/now/table/{table}/{id}")),
                )
            }
            ("PATCH" | "PUT", Some(id)) => {
                let body = body_object(req)?;
                let row = shared.store.update(&table, &id, &body, actor)?;
                Ok(Reply::json(
                    200,
                    json!({ "result": render(&shared.store, &row) }),
                ))
            }
            ("DELETE", Some(id)) => {
                shared.store.delete(&table, &id)?;
                Ok(Reply::empty(204))
            }
            _ => Err(ApiErr::new(
                405,
                "Method not Supported",
                json!(format!("{method} is not allowed here")),
            )),
        }
    }
}

impl Respond for TableRoute {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        serve(&self.0, req, true, |shared, actor| {
            TableRoute::handle(shared, req, actor).map(Reply::into_template)
        })
    }
}

/// Serves an authenticated API request: counted, authenticated (a failure
/// counted as unauthorized), under the rate-limit rule when `rate_limited`
/// (its headers on the answer, or its 429), answered by `handle` as the
/// authenticated user, with a session cookie handed out.
fn serve(
    state: &State,
    req: &Request,
    rate_limited: bool,
    handle: impl FnOnce(&mut Shared, &Actor) -> Result<ResponseTemplate, ApiErr>,
) -> ResponseTemplate {
    let mut shared = lock(state);
    count(&mut shared, req);
    let actor = match authenticate(&shared, req) {
        Ok(a) => a,
        Err(t) => {
            shared.counters.unauthorized += 1;
            return *t;
        }
    };
    let rate_headers = if rate_limited {
        match rate_limit(&mut shared) {
            Ok(h) => h,
            Err(t) => return *t,
        }
    } else {
        Vec::new()
    };
    let mut t = handle(&mut shared, &actor).unwrap_or_else(|e| api_error(&e));
    for (k, v) in rate_headers {
        t = t.insert_header(k, v);
    }
    with_session(t, &mut shared)
}

/// Everything else: counted, answered with ServiceNow's error for an unknown URI.
pub(crate) struct CatchAll(pub(crate) State);

impl Respond for CatchAll {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut shared = lock(&self.0);
        count(&mut shared, req);
        shared.counters.unexpected += 1;
        api_error(&ApiErr::new(
            400,
            "Requested URI does not represent any resource",
            Value::Null,
        ))
    }
}

/// How the store is seeded and what is disabled.
pub(crate) fn new_store(seeded: bool, generated: u64, disabled: &[String]) -> Store {
    let mut store = Store::default();
    if seeded {
        seed::seed(&mut store);
    }
    seed::generate_tickets(&mut store, generated);
    for t in disabled {
        store.disable_table(t);
    }
    store
}
