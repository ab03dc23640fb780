//! `POST /api/now/v1/batch` (and the unversioned `/api/now/batch`): the
//! Batch API. Each item runs in order under the batch's user, through the
//! same handler a request of its own would reach, and is answered with its
//! status, headers and base64-encoded body. The simulator batches Table API
//! items; an item for any other API is answered as a request for an unknown
//! resource (400).
//!
//! The batch is one HTTP request: counted once in
//! [`request_count`](crate::mock::ServiceNowMock::request_count) and
//! against the rate-limit rule; each item is also counted on its own route
//! ([`requests_to`](crate::mock::ServiceNowMock::requests_to)), so a test
//! sees which records a batch read.

use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{Map, Value, json};
use url::Url;
use wiremock::{Request, Respond, ResponseTemplate};

use super::{Reply, Shared, State, TableRoute, body_object, json_response, serve};
use crate::mock::store::{Actor, ApiErr};

/// `POST /api/now/v1/batch`.
pub(crate) struct BatchRoute(pub(crate) State);

impl Respond for BatchRoute {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        serve(&self.0, req, true, |shared, actor| {
            if shared.batch_refused {
                return Err(ApiErr::new(
                    403,
                    "User Not Authorized",
                    json!("Not permitted to call the Batch API"),
                ));
            }
            handle(shared, req, actor).map(|body| json_response(200, &body))
        })
    }
}

fn bad_batch(detail: &str) -> ApiErr {
    ApiErr::new(400, "Invalid batch request", json!(detail))
}

fn handle(shared: &mut Shared, req: &Request, actor: &Actor) -> Result<Value, ApiErr> {
    if req.method != Method::POST {
        return Err(ApiErr::new(
            405,
            "Method not Supported",
            json!(format!("{} is not allowed here", req.method)),
        ));
    }
    let body = body_object(req)?;
    let items = body
        .get("rest_requests")
        .and_then(Value::as_array)
        .ok_or_else(|| bad_batch("rest_requests is required"))?;
    let mut serviced = Vec::with_capacity(items.len());
    for item in items {
        let item = item
            .as_object()
            .ok_or_else(|| bad_batch("each rest_requests item is an object"))?;
        let text = |k: &str| item.get(k).and_then(Value::as_str);
        let (Some(id), Some(method), Some(url)) = (text("id"), text("method"), text("url")) else {
            return Err(bad_batch("each item needs id, method and url"));
        };
        let started = Instant::now();
        let reply = match item_request(shared, item, method, url) {
            Ok(sub) => run(shared, &sub, actor),
            Err(e) => Reply::error(&e),
        };
        let exclude_headers = item
            .get("exclude_response_headers")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        serviced.push(answer(id, &reply, exclude_headers, started));
    }
    Ok(json!({
        "batch_request_id": body.get("batch_request_id").cloned().unwrap_or(Value::Null),
        "serviced_requests": serviced,
        "unserviced_requests": [],
    }))
}

/// An item as the request it stands for, on the simulator's own origin.
fn item_request(
    shared: &Shared,
    item: &Map<String, Value>,
    method: &str,
    url: &str,
) -> Result<Request, ApiErr> {
    if !url.starts_with('/') {
        return Err(bad_batch("an item's url is a path on the instance"));
    }
    let full = Url::parse(&format!("{}{url}", shared.base.trim_end_matches('/')))
        .map_err(|_| bad_batch("an item's url does not parse"))?;
    let method =
        Method::from_bytes(method.as_bytes()).map_err(|_| bad_batch("an item's method"))?;
    let mut headers = HeaderMap::new();
    for h in item
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = h.get("name").and_then(Value::as_str).unwrap_or_default();
        let value = h.get("value").and_then(Value::as_str).unwrap_or_default();
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            headers.append(n, v);
        }
    }
    let body = match item.get("body").and_then(Value::as_str) {
        None | Some("") => Vec::new(),
        Some(b64) => crate::resources::batch::decode_base64(b64)
            .map_err(|_| bad_batch("an item's body is not base64"))?,
    };
    Ok(Request {
        url: full,
        method,
        headers,
        body,
    })
}

/// Runs one item through the handler its path reaches, counted on its route.
fn run(shared: &mut Shared, sub: &Request, actor: &Actor) -> Reply {
    let route = (
        sub.method.as_str().to_ascii_uppercase(),
        sub.url.path().to_ascii_lowercase(),
    );
    *shared.counters.per_route.entry(route).or_default() += 1;
    if !sub.url.path().starts_with("/api/now/table/") {
        return Reply::error(&ApiErr::new(
            400,
            "Requested URI does not represent any resource",
            Value::Null,
        ));
    }
    TableRoute::handle(shared, sub, actor).unwrap_or_else(|e| Reply::error(&e))
}

/// A serviced item as the Batch API answers it.
fn answer(id: &str, reply: &Reply, exclude_headers: bool, started: Instant) -> Value {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut headers: Vec<Value> = Vec::new();
    if !exclude_headers {
        if reply.body.is_some() {
            headers
                .push(json!({"name": "Content-Type", "value": "application/json;charset=UTF-8"}));
        }
        for (k, v) in &reply.headers {
            headers.push(json!({"name": k, "value": v}));
        }
    }
    let body = reply
        .body
        .as_ref()
        .map(|b| BASE64.encode(b.to_string()))
        .unwrap_or_default();
    json!({
        "id": id,
        "status_code": status.as_u16(),
        "status_text": status.canonical_reason().unwrap_or(""),
        "headers": headers,
        "body": body,
        "execution_time": u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}
