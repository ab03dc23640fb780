//! The simulator's routes: one request in, Autotask's answer out — zone
//! discovery, credentials, the thread and hourly limits, entity reads,
//! queries with `nextPageUrl` paging, counts, child collections and the
//! writes [`store`](super::store) applies.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use base64::Engine as _;
use http::HeaderMap;
use serde_json::{Value, json};
use url::Url;
use wiremock::{Request, Respond, ResponseTemplate};

use super::filter::Cond;
use super::lock;
use super::seed;
use super::store::{Reply, Sim, WriteRecord, canonical, errors, field_i64, get_ci, int, reply};

/// The responder of every simulated route (mounted at priority 50).
pub(crate) struct Router(pub(crate) Arc<Mutex<Sim>>);

impl Respond for Router {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let reply = lock(&self.0).handle(
            request.method.as_str(),
            &request.url,
            &request.headers,
            &request.body,
            Instant::now(),
        );
        ResponseTemplate::new(reply.status)
            .set_body_json(reply.body)
            .set_delay(reply.delay)
    }
}

/// The responder mounted last: an unknown route, answered with Autotask's
/// 404 shape and counted.
pub(crate) struct CatchAll(pub(crate) Arc<Mutex<Sim>>);

impl Respond for CatchAll {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut sim = lock(&self.0);
        sim.counters
            .count(request.method.as_str(), request.url.path());
        sim.counters.unexpected += 1;
        ResponseTemplate::new(404).set_body_json(json!({"errors": [format!(
            "No HTTP resource was found that matches the request URI '{}'.",
            request.url.path()
        )]}))
    }
}

/// The text of a thread-threshold rejection (the code Autotask's error
/// carries, `Itgenatr005`, as reported by msoukhomlinov/n8n-nodes-autotask).
pub(crate) fn thread_error_text(limit: usize) -> String {
    format!(
        "Thread Threshold Exceeded: The Autotask API thread threshold of {limit} threads has been exceeded. (Itgenatr005)"
    )
}

/// The object endpoint a path belongs to: its first segment.
pub(crate) fn endpoint_of(path_after_version: &str) -> String {
    path_after_version
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// (parent, child segment) → (child entity, foreign key field).
fn child_entity(parent: &str, child: &str) -> Option<(&'static str, &'static str)> {
    let pairs: [(&str, &str, &'static str, &'static str); 9] = [
        ("Tickets", "Notes", "TicketNotes", "ticketID"),
        ("Tickets", "Attachments", "TicketAttachments", "parentID"),
        ("Tickets", "Charges", "TicketCharges", "ticketID"),
        ("Companies", "Contacts", "Contacts", "companyID"),
        (
            "ServiceCalls",
            "Tickets",
            "ServiceCallTickets",
            "serviceCallID",
        ),
        (
            "ServiceCallTickets",
            "Resources",
            "ServiceCallTicketResources",
            "serviceCallTicketID",
        ),
        (
            "TicketWebhooks",
            "Fields",
            "TicketWebhookFields",
            "webhookID",
        ),
        (
            "TicketWebhooks",
            "ExcludedResources",
            "TicketWebhookExcludedResources",
            "webhookID",
        ),
        (
            "KnowledgeBaseArticles",
            "PlainTextContent",
            "ArticlePlainTextContent",
            "id",
        ),
    ];
    pairs
        .iter()
        .find(|(p, c, _, _)| p.eq_ignore_ascii_case(parent) && c.eq_ignore_ascii_case(child))
        .map(|(_, _, e, fk)| (*e, *fk))
}

const ROOT_CREATE: &[&str] = &[
    "Tickets",
    "TimeEntries",
    "Companies",
    "ConfigurationItems",
    "ServiceCalls",
    "Products",
    "TicketWebhooks",
];
const ROOT_DELETE: &[&str] = &["TimeEntries", "ServiceCalls", "TicketWebhooks"];

/// The query a next-page token carries.
#[derive(serde::Serialize, serde::Deserialize)]
struct Cursor {
    q: Value,
    after: i64,
}

/// Request handling.
impl Sim {
    /// Handles one request.
    pub(crate) fn handle(
        &mut self,
        method: &str,
        url: &Url,
        headers: &HeaderMap,
        body: &[u8],
        now: Instant,
    ) -> Reply {
        self.counters.count(method, url.path());
        let path = url.path().to_owned();
        let lower = path.to_ascii_lowercase();
        if lower.trim_end_matches('/') == "/atservicesrest/v1.0/zoneinformation" {
            self.counters.zone += 1;
            return self.zone(url);
        }
        let Some(rest) = lower
            .strip_prefix("/atservicesrest/v1.0/")
            .map(|_| &path["/atservicesrest/v1.0/".len()..])
        else {
            self.counters.unexpected += 1;
            return errors(
                404,
                format!("No HTTP resource was found that matches the request URI '{path}'."),
            );
        };
        let rest = rest.trim_end_matches('/').to_owned();

        if let Err(r) = self.admit(headers, &rest, now) {
            return r;
        }
        let latency = self.config.latency;
        let impersonation = match self.impersonation(headers) {
            Ok(i) => i,
            Err(mut r) => {
                r.delay = latency;
                return r;
            }
        };

        let mut out = self.route(method, &rest, url, body, impersonation);
        if (200..300).contains(&out.status)
            && method != "GET"
            && !rest.to_ascii_lowercase().contains("/query")
        {
            self.writes.push(WriteRecord {
                method: method.to_owned(),
                path: rest.clone(),
                impersonation,
            });
        }
        out.delay = latency;
        out
    }

    /// Credentials, the hourly budget and the thread limit.
    fn admit(&mut self, headers: &HeaderMap, rest: &str, now: Instant) -> Result<(), Reply> {
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        if header("UserName") != Some(self.config.username.as_str())
            || header("Secret") != Some(self.config.secret.as_str())
            || header("ApiIntegrationCode") != Some(self.config.integration_code.as_str())
        {
            self.counters.unauthorized += 1;
            return Err(errors(
                401,
                "Unable to authenticate: the UserName, Secret or ApiIntegrationCode is not valid.",
            ));
        }
        // The database's hourly budget (every call but zone discovery counts).
        let used = self.usage(now);
        if let Some(budget) = self.config.hourly_budget {
            if used >= budget {
                self.counters.budget_errors += 1;
                return Err(errors(
                    429,
                    format!(
                        "API request threshold of {} requests per 60 minutes exceeded for this database; try again later.",
                        self.config.threshold
                    ),
                ));
            }
        }
        self.window.push_back(now);
        // Thread limiting per (integration code, object endpoint).
        let endpoint = endpoint_of(rest).to_ascii_lowercase();
        let key = format!("{}|{endpoint}", self.config.integration_code);
        let slots = self.in_flight.entry(key).or_default();
        slots.retain(|end| *end > now);
        if let Some(limit) = self.config.thread_limit {
            if slots.len() >= limit {
                self.counters.thread_errors += 1;
                return Err(errors(500, thread_error_text(limit)));
            }
        }
        slots.push(now + self.config.latency);
        let in_flight = u64::try_from(slots.len()).unwrap_or(u64::MAX);
        let max = self.counters.max_in_flight.entry(endpoint).or_default();
        *max = (*max).max(in_flight);
        Ok(())
    }

    /// The `ImpersonationResourceId` header: an active resource whose
    /// security level allows impersonation (API-only levels do not).
    fn impersonation(&self, headers: &HeaderMap) -> Result<Option<i64>, Reply> {
        let Some(v) = headers
            .get("ImpersonationResourceId")
            .and_then(|v| v.to_str().ok())
        else {
            return Ok(None);
        };
        let id = v
            .trim()
            .parse::<i64>()
            .map_err(|_| errors(400, "ImpersonationResourceId must be a resource id"))?;
        match self.store.get("Resources", id) {
            Some(r)
                if r.get("isActive") == Some(&json!(true))
                    && r.get("licenseType") != Some(&json!(7)) =>
            {
                Ok(Some(id))
            }
            _ => Err(errors(
                403,
                format!(
                    "Impersonation of resource {id} is not allowed: the resource does not exist, is inactive or has an API-only security level."
                ),
            )),
        }
    }

    fn zone(&self, url: &Url) -> Reply {
        let user = url
            .query_pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case("user"))
            .map(|(_, v)| v.into_owned());
        match user {
            Some(u) if u == self.config.username => reply(
                200,
                json!({"zoneName": "Simulated Zone", "url": format!("{}/ATServicesRest/", self.config.base_url),
                       "webUrl": format!("{}/", self.config.base_url), "ci": 99}),
            ),
            _ => errors(
                404,
                "Zone information could not be determined for the user.",
            ),
        }
    }

    #[allow(clippy::too_many_lines)]
    fn route(
        &mut self,
        method: &str,
        rest: &str,
        url: &Url,
        body: &[u8],
        imp: Option<i64>,
    ) -> Reply {
        let segs: Vec<&str> = rest.split('/').collect();
        let seg = |i: usize| segs.get(i).copied().unwrap_or_default();
        let is = |i: usize, s: &str| seg(i).eq_ignore_ascii_case(s);
        if segs.len() == 1 && is(0, "ThresholdInformation") && method == "GET" {
            self.counters.threshold_reads += 1;
            let used = self.usage(Instant::now());
            return reply(
                200,
                json!({"externalRequestThreshold": self.config.threshold,
                       "requestThresholdTimeframe": 60, "currentTimeframeRequestCount": used}),
            );
        }
        let Some(entity) = canonical(seg(0)) else {
            self.counters.unexpected += 1;
            return errors(
                404,
                format!("No HTTP resource was found that matches the request URI '{rest}'."),
            );
        };
        let json_body = || -> Result<Value, Reply> {
            serde_json::from_slice::<Value>(body)
                .ok()
                .filter(Value::is_object)
                .ok_or_else(|| errors(400, "The request body is not a JSON object."))
        };
        match (method, segs.len()) {
            ("GET", 2) if is(1, "entityInformation") => reply(
                200,
                json!({"info": {"name": entity, "canCreate": ROOT_CREATE.contains(&entity),
                                "canDelete": ROOT_DELETE.contains(&entity), "canQuery": true,
                                "canUpdate": ROOT_CREATE.contains(&entity),
                                "hasUserDefinedFields": matches!(entity, "Tickets" | "Companies" | "Contacts" | "ConfigurationItems" | "Products" | "Contracts" | "Projects"),
                                "supportsWebhookCallouts": matches!(entity, "Tickets" | "TicketNotes" | "Companies" | "Contacts" | "ConfigurationItems")}}),
            ),
            ("GET", 3) if is(1, "entityInformation") && is(2, "fields") => {
                reply(200, json!({"fields": seed::field_info(entity)}))
            }
            ("GET", 3) if is(1, "entityInformation") && is(2, "userDefinedFields") => {
                reply(200, json!({"fields": seed::udf_info(entity)}))
            }
            ("POST", 2) if is(1, "query") => match json_body() {
                Ok(q) => self.query(entity, &q, None),
                Err(r) => r,
            },
            ("GET", 2) if is(1, "query") => {
                let search = url
                    .query_pairs()
                    .find(|(k, _)| k.eq_ignore_ascii_case("search"));
                match search.and_then(|(_, s)| serde_json::from_str::<Value>(&s).ok()) {
                    Some(q) => self.query(entity, &q, None),
                    None => errors(500, "The search parameter is not a valid query."),
                }
            }
            ("POST" | "GET", 3) if is(1, "query") && is(2, "count") => {
                let q = if method == "POST" {
                    match json_body() {
                        Ok(q) => q,
                        Err(r) => return r,
                    }
                } else {
                    url.query_pairs()
                        .find(|(k, _)| k.eq_ignore_ascii_case("search"))
                        .and_then(|(_, s)| serde_json::from_str(&s).ok())
                        .unwrap_or(Value::Null)
                };
                self.count(entity, &q)
            }
            ("GET", 3) if is(1, "query") && is(2, "next") => {
                let token = url
                    .query_pairs()
                    .find(|(k, _)| k.eq_ignore_ascii_case("paging"))
                    .map(|(_, v)| v.into_owned());
                let cursor = token
                    .and_then(|t| {
                        base64::engine::general_purpose::URL_SAFE_NO_PAD
                            .decode(t)
                            .ok()
                    })
                    .and_then(|b| serde_json::from_slice::<Cursor>(&b).ok());
                match cursor {
                    Some(c) => self.query(entity, &c.q, Some(c.after)),
                    None => errors(500, "The paging token is not valid."),
                }
            }
            ("GET", 2) => {
                let Ok(id) = seg(1).parse::<i64>() else {
                    self.counters.unexpected += 1;
                    return errors(
                        404,
                        format!(
                            "No HTTP resource was found that matches the request URI '{rest}'."
                        ),
                    );
                };
                match self.store.get(entity, id) {
                    Some(rec) => reply(200, json!({"item": Self::public(entity, rec)})),
                    None => errors(404, format!("{entity} with id {id} was not found.")),
                }
            }
            ("DELETE", 2) if ROOT_DELETE.contains(&entity) => match seg(1).parse::<i64>() {
                Ok(id) => self.delete(entity, id),
                Err(_) => errors(400, "The id is not a number."),
            },
            ("POST", 1) if ROOT_CREATE.contains(&entity) => match json_body() {
                Ok(b) => self.create(entity, b, None, imp),
                Err(r) => r,
            },
            ("PATCH" | "PUT", 1) if ROOT_CREATE.contains(&entity) => match json_body() {
                Ok(b) => self.update(entity, b, method == "PUT", None, imp),
                Err(r) => r,
            },
            (_, 3 | 4) => {
                let (Ok(pid), Some((child, fk))) =
                    (seg(1).parse::<i64>(), child_entity(entity, seg(2)))
                else {
                    self.counters.unexpected += 1;
                    return errors(
                        404,
                        format!(
                            "No HTTP resource was found that matches the request URI '{rest}'."
                        ),
                    );
                };
                if self.store.get(entity, pid).is_none() {
                    return errors(404, format!("{entity} with id {pid} was not found."));
                }
                match (method, segs.len()) {
                    ("GET", 3) => self.children(child, fk, pid),
                    ("POST", 3) => match json_body() {
                        Ok(b) => self.create(child, b, Some((fk, pid)), imp),
                        Err(r) => r,
                    },
                    ("PATCH" | "PUT", 3) => match json_body() {
                        Ok(b) => self.update(child, b, method == "PUT", Some((fk, pid)), imp),
                        Err(r) => r,
                    },
                    ("GET", 4) => match seg(3).parse::<i64>() {
                        Ok(id) => match self.store.get(child, id) {
                            Some(rec) if field_i64(rec, fk) == Some(pid) => {
                                reply(200, json!({"item": Self::public(child, rec)}))
                            }
                            _ => errors(404, format!("{child} with id {id} was not found.")),
                        },
                        Err(_) => errors(400, "The id is not a number."),
                    },
                    ("DELETE", 4) => match seg(3).parse::<i64>() {
                        Ok(id)
                            if self
                                .store
                                .get(child, id)
                                .is_some_and(|r| field_i64(r, fk) == Some(pid)) =>
                        {
                            self.delete(child, id)
                        }
                        Ok(id) => errors(404, format!("{child} with id {id} was not found.")),
                        Err(_) => errors(400, "The id is not a number."),
                    },
                    _ => {
                        self.counters.unexpected += 1;
                        errors(
                            405,
                            "The requested resource does not support this HTTP method.",
                        )
                    }
                }
            }
            _ => {
                self.counters.unexpected += 1;
                errors(
                    405,
                    format!("The requested resource does not support http method '{method}'."),
                )
            }
        }
    }

    /// A record as a query or a child listing returns it: an attachment
    /// without its content (Autotask sends `data` only on a read by id).
    fn listed(entity: &str, rec: &Value) -> Value {
        let mut rec = Self::public(entity, rec);
        if entity == "TicketAttachments" {
            if let Value::Object(m) = &mut rec {
                m.remove("data");
            }
        }
        rec
    }

    /// A record as the API returns it (webhook secrets are not echoed).
    fn public(entity: &str, rec: &Value) -> Value {
        let mut rec = rec.clone();
        if entity == "TicketWebhooks" {
            if let Value::Object(m) = &mut rec {
                m.remove("secretKey");
            }
        }
        rec
    }

    fn parse_query(entity: &str, q: &Value) -> Result<(Vec<Cond>, usize, Vec<String>), Reply> {
        let obj = q
            .as_object()
            .ok_or_else(|| errors(500, "The query is not a JSON object."))?;
        let max = match get_ci(obj, "maxRecords") {
            None | Some(Value::Null) => 500,
            Some(v) => match int(Some(v)) {
                Some(n) if (1..=500).contains(&n) => usize::try_from(n).unwrap_or(500),
                _ => return Err(errors(500, "MaxRecords must be between 1 and 500.")),
            },
        };
        let filters = get_ci(obj, "filter")
            .and_then(Value::as_array)
            .filter(|f| !f.is_empty())
            .ok_or_else(|| errors(500, "A query must contain at least one filter."))?
            .iter()
            .map(Cond::parse)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| errors(500, e.0))?;
        if filters.iter().map(Cond::or_count).sum::<usize>() > 500 {
            return Err(errors(
                500,
                "Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions.",
            ));
        }
        if entity == "TicketHistory"
            && !(filters.len() == 1 && filters[0].eq_value("ticketID").is_some())
        {
            return Err(errors(
                500,
                "TicketHistory queries require exactly one 'ticketID eq' filter.",
            ));
        }
        let include = get_ci(obj, "includeFields")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Ok((filters, max, include))
    }

    fn query(&mut self, entity: &str, q: &Value, after: Option<i64>) -> Reply {
        let (filters, max, include) = match Self::parse_query(entity, q) {
            Ok(p) => p,
            Err(r) => return r,
        };
        let Some(table) = self.store.table(entity) else {
            return reply(
                200,
                json!({"items": [], "pageDetails": {"count": 0, "requestCount": max, "prevPageUrl": null, "nextPageUrl": null}}),
            );
        };
        let start = after.map_or(std::ops::Bound::Unbounded, std::ops::Bound::Excluded);
        let mut items = Vec::with_capacity(max.min(500));
        let mut more = false;
        let mut last = 0;
        for (id, rec) in table.range((start, std::ops::Bound::Unbounded)) {
            if !filters.iter().all(|f| f.matches(rec)) {
                continue;
            }
            if items.len() == max {
                more = true;
                break;
            }
            last = *id;
            items.push(project(&Self::listed(entity, rec), &include));
        }
        let next = if more {
            let token = serde_json::to_vec(&Cursor {
                q: q.clone(),
                after: last,
            })
            .map(|b| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
            .unwrap_or_default();
            json!(format!(
                "{}/ATServicesRest/V1.0/{entity}/query/next?paging={token}",
                self.config.base_url
            ))
        } else {
            Value::Null
        };
        let count = items.len();
        reply(
            200,
            json!({"items": items, "pageDetails": {"count": count, "requestCount": max,
                   "prevPageUrl": null, "nextPageUrl": next}}),
        )
    }

    fn count(&self, entity: &str, q: &Value) -> Reply {
        let (filters, _, _) = match Self::parse_query(entity, q) {
            Ok(p) => p,
            Err(r) => return r,
        };
        let n = self.store.table(entity).map_or(0, |t| {
            t.values()
                .filter(|r| filters.iter().all(|f| f.matches(r)))
                .count()
        });
        reply(200, json!({"queryCount": n}))
    }

    fn children(&self, child: &str, fk: &str, pid: i64) -> Reply {
        let items: Vec<Value> = self
            .store
            .table(child)
            .map(|t| {
                t.values()
                    .filter(|r| field_i64(r, fk) == Some(pid))
                    .map(|r| Self::listed(child, r))
                    .collect()
            })
            .unwrap_or_default();
        let count = items.len();
        reply(
            200,
            json!({"items": items, "pageDetails": {"count": count, "requestCount": 500, "prevPageUrl": null, "nextPageUrl": null}}),
        )
    }
}

/// Keeps only `include` fields (and `id`) of a record, when any are named.
fn project(rec: &Value, include: &[String]) -> Value {
    if include.is_empty() {
        return rec.clone();
    }
    match rec {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| {
                    k.eq_ignore_ascii_case("id")
                        || include.iter().any(|f| f.eq_ignore_ascii_case(k))
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::store::SimConfig;
    use http::HeaderValue;
    use std::time::Duration;

    fn sim(thread_limit: Option<usize>, budget: Option<i64>, latency: Duration) -> Sim {
        Sim::new(
            SimConfig {
                username: "u@x.example".into(),
                secret: "s".into(),
                integration_code: "CODE".into(),
                base_url: "http://127.0.0.1:9".into(),
                thread_limit,
                hourly_budget: budget,
                threshold: budget.unwrap_or(10_000),
                latency,
            },
            true,
            1200,
        )
    }

    fn auth() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("UserName", HeaderValue::from_static("u@x.example"));
        h.insert("Secret", HeaderValue::from_static("s"));
        h.insert("ApiIntegrationCode", HeaderValue::from_static("CODE"));
        h
    }

    fn url(path: &str) -> Url {
        Url::parse(&format!("http://127.0.0.1:9{path}")).unwrap()
    }

    fn call(s: &mut Sim, method: &str, path: &str, body: &Value) -> Reply {
        let bytes = if body.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(body).unwrap()
        };
        s.handle(
            method,
            &url(&format!("/ATServicesRest/V1.0/{path}")),
            &auth(),
            &bytes,
            Instant::now(),
        )
    }

    #[test]
    fn zone_auth_and_unknown_routes() {
        let mut s = sim(None, None, Duration::ZERO);
        let r = s.handle(
            "GET",
            &url("/atservicesrest/v1.0/zoneInformation?user=u%40x.example"),
            &HeaderMap::new(),
            &[],
            Instant::now(),
        );
        assert_eq!(r.status, 200);
        assert_eq!(r.body["url"], "http://127.0.0.1:9/ATServicesRest/");
        let r = s.handle(
            "GET",
            &url("/ATServicesRest/V1.0/Tickets/1001"),
            &HeaderMap::new(),
            &[],
            Instant::now(),
        );
        assert_eq!(r.status, 401);
        assert!(
            r.body["errors"][0]
                .as_str()
                .unwrap()
                .contains("authenticate")
        );
        assert_eq!(call(&mut s, "GET", "Invoices/1", &Value::Null).status, 404);
        assert_eq!(s.counters.unexpected, 1);
    }

    #[test]
    fn queries_page_by_next_url() {
        let mut s = sim(None, None, Duration::ZERO);
        let q = json!({"MaxRecords": 500, "Filter": [{"op": "gte", "field": "id", "value": seed::GENERATED_TICKET_BASE}]});
        let first = call(&mut s, "POST", "Tickets/query", &q);
        assert_eq!(first.body["items"].as_array().unwrap().len(), 500);
        let next = first.body["pageDetails"]["nextPageUrl"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut total = 500;
        let mut next = Some(next);
        while let Some(n) = next {
            let u = Url::parse(&n).unwrap();
            let r = s.handle("GET", &u, &auth(), &[], Instant::now());
            assert_eq!(r.status, 200, "{}", r.body);
            total += r.body["items"].as_array().unwrap().len();
            next = r.body["pageDetails"]["nextPageUrl"]
                .as_str()
                .map(str::to_owned);
        }
        assert_eq!(total, 1200);
    }

    #[test]
    fn query_limits_match_autotask() {
        let mut s = sim(None, None, Duration::ZERO);
        assert_eq!(
            call(
                &mut s,
                "POST",
                "Tickets/query",
                &json!({"MaxRecords": 501, "Filter": [{"op":"gt","field":"id","value":0}]})
            )
            .status,
            500
        );
        assert_eq!(
            call(&mut s, "POST", "Tickets/query", &json!({"Filter": []})).status,
            500
        );
        let ors: Vec<Value> = (0..501)
            .map(|i| json!({"op":"eq","field":"id","value":i}))
            .collect();
        let r = call(
            &mut s,
            "POST",
            "Tickets/query",
            &json!({"Filter": [{"op":"or","items": ors}]}),
        );
        assert!(
            r.body["errors"][0]
                .as_str()
                .unwrap()
                .contains("500 or fewer")
        );
        let r = call(
            &mut s,
            "POST",
            "TicketHistory/query",
            &json!({"Filter": [{"op":"gt","field":"id","value":0}]}),
        );
        assert_eq!(r.status, 500);
        let r = call(
            &mut s,
            "POST",
            "Tickets/query",
            &json!({"IncludeFields": ["title"], "Filter": [{"op":"eq","field":"id","value":1001}]}),
        );
        assert_eq!(
            r.body["items"][0],
            json!({"id": 1001, "title": "Printer offline on 3rd floor"})
        );
    }

    #[test]
    fn creates_validate_and_persist() {
        let mut s = sim(None, None, Duration::ZERO);
        let r = call(
            &mut s,
            "POST",
            "Tickets",
            &json!({"title": "x", "companyID": 174}),
        );
        assert_eq!(r.status, 500);
        assert!(r.body["errors"][0].as_str().unwrap().contains("status"));
        let r = call(
            &mut s,
            "POST",
            "Tickets",
            &json!({"title": "x", "companyID": 174, "status": 1, "priority": 99, "queueID": seed::QUEUE_TRIAGE}),
        );
        assert!(r.body["errors"][0].as_str().unwrap().contains("priority"));
        let r = call(
            &mut s,
            "POST",
            "Tickets",
            &json!({"title": "x", "companyID": 174, "status": 1, "priority": 2, "queueID": seed::QUEUE_TRIAGE}),
        );
        let id = r.body["itemId"].as_i64().unwrap();
        assert_eq!(
            call(&mut s, "GET", &format!("Tickets/{id}"), &Value::Null).body["item"]["title"],
            "x"
        );
        let r = call(&mut s, "PATCH", "Tickets", &json!({"id": id, "status": 5}));
        assert_eq!(r.status, 200);
        let t = call(&mut s, "GET", &format!("Tickets/{id}"), &Value::Null).body["item"].clone();
        assert_eq!(t["status"], 5);
        assert!(t["completedDate"].is_string());
        assert_eq!(
            call(&mut s, "DELETE", &format!("Tickets/{id}"), &Value::Null).status,
            405
        );
        let r = call(
            &mut s,
            "POST",
            &format!("Tickets/{id}/Notes"),
            &json!({"description": "d", "noteType": 13, "publish": 2}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let notes = call(&mut s, "GET", &format!("Tickets/{id}/Notes"), &Value::Null);
        assert_eq!(notes.body["items"][0]["ticketID"], id);
    }

    #[test]
    fn thread_and_budget_limits() {
        let mut s = sim(Some(3), None, Duration::from_secs(60));
        let q = json!({"Filter": [{"op":"eq","field":"id","value":1001}]});
        for _ in 0..3 {
            assert_eq!(
                call(&mut s, "POST", "Tickets/query", &q.clone()).status,
                200
            );
        }
        let r = call(&mut s, "POST", "Tickets/query", &q.clone());
        assert_eq!(r.status, 500);
        assert!(
            r.body["errors"][0]
                .as_str()
                .unwrap()
                .contains("Itgenatr005")
        );
        // Another endpoint has its own threads.
        assert_eq!(
            call(&mut s, "GET", "Companies/174", &Value::Null).status,
            200
        );

        let mut s = sim(None, Some(5), Duration::ZERO);
        s.other_usage = 3;
        assert_eq!(
            call(&mut s, "GET", "Companies/174", &Value::Null).status,
            200
        );
        assert_eq!(
            call(&mut s, "GET", "ThresholdInformation", &Value::Null).body["currentTimeframeRequestCount"],
            5
        );
        assert_eq!(
            call(&mut s, "GET", "Companies/174", &Value::Null).status,
            429
        );
    }
}
