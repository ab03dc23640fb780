//! [`Batch`]: ServiceNow's Batch API (`POST /api/now/v1/batch`) — several
//! REST calls of the instance in one HTTP request.
//!
//! Each item is an [`ApiRequest`] an operation built (`client.table("incident").get(id).request()?`),
//! so what a batch sends is what the operation would have sent on its own:
//! the same path, query, body and checks. The instance runs the items one
//! after the other, each under the caller's ACLs, and answers with one
//! [`BatchItem`] per item: its own status, headers and (base64-decoded)
//! body. One item's failure is that item's, not the batch's:
//! [`BatchItem::into_response`] turns a non-2xx item into the same
//! [`Error`] the request would have given alone.
//!
//! The instance caps each item's request at 5 MB and each item's answer at
//! 10 MB by default, and cancels what is left of a batch that reaches a
//! limit: those items come back in [`BatchResponse::unserviced`], and
//! [`BatchResponse::take`] reports them as not run.

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use psa_core::http::{ApiRequest, ApiResponse, Customize, RequestOptions};
use psa_core::{Error, ErrorKind, Result, Vendor};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::limits::rate_key;

/// The Batch API's path.
pub const BATCH_PATH: &str = "/api/now/v1/batch";

/// `POST /api/now/v1/batch`: the items run in order, each under the
/// caller's ACLs, in one HTTP request (`client.batch()`).
///
/// The batch is idempotent — retried on a transient failure — only when
/// every item is: a batch holding a write is never re-sent (an unknown
/// outcome is an `AmbiguousWrite` error).
///
/// ```
/// use psa_servicenow::{Auth, Client};
///
/// let client = Client::builder()
///     .base_url("https://acme.service-now.com")
///     .auth(Auth::basic("svc.psa", "secret".to_owned().into()))
///     .build()?;
/// let incident = client.table("incident").get("0123456789abcdef0123456789abcdef").request()?;
/// let slas = client.table("task_sla").list().limit(10).request()?;
/// let batch = client.batch().item("ticket", incident).item("slas", slas);
/// let req = batch.request()?;
/// assert_eq!(req.path(), Some("/api/now/v1/batch"));
/// assert!(req.is_idempotent());
/// let body = req.body_json().unwrap();
/// assert_eq!(body["rest_requests"][0]["url"], "/api/now/table/incident/0123456789abcdef0123456789abcdef");
/// assert_eq!(body["rest_requests"][1]["method"], "GET");
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Clone)]
#[must_use = "an operation does nothing until it is sent"]
pub struct Batch {
    client: Client,
    items: Vec<(String, ApiRequest)>,
    options: RequestOptions,
}

impl fmt::Debug for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Batch")
            .field(
                "items",
                &self
                    .items
                    .iter()
                    .map(|(id, r)| (id.as_str(), r.method(), r.path()))
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Customize for Batch {
    fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

/// One item of the request body.
#[derive(Serialize)]
struct RestRequest<'a> {
    id: &'a str,
    method: &'a str,
    url: String,
    headers: Vec<NameValue<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    exclude_response_headers: bool,
}

/// The request body.
#[derive(Serialize)]
struct RequestBody<'a> {
    batch_request_id: &'a str,
    rest_requests: Vec<RestRequest<'a>>,
}

#[derive(Serialize)]
struct NameValue<'a> {
    name: &'a str,
    value: &'a str,
}

impl Batch {
    pub(crate) fn new(client: Client) -> Self {
        Batch {
            client,
            items: Vec::new(),
            options: RequestOptions::default(),
        }
    }

    /// Adds an item, answered under `id` (unique within the batch). The
    /// request must be on the instance (a path, not another host's URL).
    pub fn item(mut self, id: impl Into<String>, request: ApiRequest) -> Self {
        self.items.push((id.into(), request));
        self
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the batch has no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The request, without sending it. `InvalidInput` for an empty batch,
    /// a repeated item id, or an item that could not be sent on its own
    /// (a bad path, another host).
    pub fn request(&self) -> Result<ApiRequest> {
        if self.items.is_empty() {
            return Err(Error::invalid_input("a batch needs at least one item"));
        }
        let http = self.client.http();
        let mut rest = Vec::with_capacity(self.items.len());
        for (i, (id, req)) in self.items.iter().enumerate() {
            if id.is_empty() {
                return Err(Error::invalid_input("a batch item's id must not be empty"));
            }
            if self.items[..i].iter().any(|(other, _)| other == id) {
                return Err(Error::invalid_input(format!(
                    "the batch item id {id:?} is used twice"
                )));
            }
            if req.absolute_url().is_some() {
                return Err(Error::invalid_input(
                    "a batch item is a path on the instance, not an absolute URL",
                ));
            }
            let url = http.path_and_query(req)?;
            let mut headers = vec![NameValue {
                name: "Accept",
                value: "application/json",
            }];
            for (name, value) in req.headers() {
                if let Ok(value) = value.to_str() {
                    headers.push(NameValue {
                        name: name.as_str(),
                        value,
                    });
                }
            }
            let body = req.body_bytes().map(|b| BASE64.encode(b));
            if body.is_some() {
                let ct = req
                    .content_type()
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("application/json");
                headers.push(NameValue {
                    name: "Content-Type",
                    value: ct,
                });
            }
            rest.push(RestRequest {
                id,
                method: req.method().as_str(),
                url,
                headers,
                body,
                exclude_response_headers: false,
            });
        }
        let idempotent = self.items.iter().all(|(_, r)| r.is_idempotent());
        let key = rate_key(&Method::POST, BATCH_PATH);
        let req = ApiRequest::post(BATCH_PATH)
            .rate_key(key)
            .json(&RequestBody {
                batch_request_id: "1",
                rest_requests: rest,
            })?
            .idempotent(idempotent);
        Ok(self.options.apply(req))
    }

    /// Sends the batch: one [`BatchItem`] per item that ran.
    ///
    /// In a view made by [`Client::acting_as_agent`], a batch of reads
    /// authenticates as the client (as every read does) and a batch holding
    /// a write as the agent.
    pub async fn send(self) -> Result<BatchResponse> {
        let request = self.request()?;
        let reads_only = self
            .items
            .iter()
            .all(|(_, r)| matches!(*r.method(), Method::GET | Method::HEAD));
        let http = if reads_only {
            self.client.http()
        } else {
            self.client.http_for(&Method::POST)
        };
        let answer = http.send(request).await?;
        let wire = decode_wire(&answer.body)?;
        let mut serviced = Vec::with_capacity(wire.serviced_requests.len());
        for item in wire.serviced_requests {
            let Some((_, req)) = self.items.iter().find(|(id, _)| *id == item.id) else {
                return Err(decode_error(format!(
                    "the batch answered an item {:?} that was not asked for",
                    item.id
                )));
            };
            serviced.push(BatchItem::from_wire(item, req)?);
        }
        Ok(BatchResponse {
            client: self.client,
            serviced,
            unserviced: wire.unserviced_requests,
        })
    }
}

impl Client {
    /// A [`Batch`]: several REST calls in one HTTP request (`POST /api/now/v1/batch`).
    pub fn batch(&self) -> Batch {
        Batch::new(self.clone())
    }
}

/// The batch answer, its item bodies borrowed from `body`; a malformed
/// one is a `Decode` error naming the failing path.
fn decode_wire(body: &[u8]) -> Result<Wire<'_>> {
    if let Ok(w) = serde_json::from_slice(body) {
        return Ok(w);
    }
    let what = "ServiceNow batch";
    let mut de = serde_json::Deserializer::from_slice(body);
    let wire = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| Error::decode_json(Some(Vendor::ServiceNow), what, e, body))?;
    de.end()
        .map_err(|e| decode_error(format!("{what}: trailing data after the JSON value: {e}")))?;
    Ok(wire)
}

/// The answer as ServiceNow sends it; the items' base64 bodies are
/// borrowed from the answer, not copied.
#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(default, borrow)]
    serviced_requests: Vec<WireItem<'a>>,
    #[serde(default)]
    unserviced_requests: Vec<String>,
}

#[derive(Deserialize)]
struct WireItem<'a> {
    id: String,
    status_code: u16,
    #[serde(default)]
    status_text: Option<String>,
    #[serde(default, borrow)]
    body: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    headers: Vec<WireHeader<'a>>,
    #[serde(default)]
    error_message: Option<String>,
    #[serde(default)]
    execution_time: Option<u64>,
}

/// A header of an item's answer, borrowed from the answer.
#[derive(Deserialize)]
struct WireHeader<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    value: Cow<'a, str>,
}

/// A batch body's base64 text, decoded; line breaks and other ASCII
/// white space inside it are skipped (ServiceNow's documented examples wrap
/// it). Used for the answers here and for the requests in the simulator.
pub(crate) fn decode_base64(text: &str) -> std::result::Result<Vec<u8>, base64::DecodeError> {
    // Unwrapped text (what instances send) decodes in one pass; white space
    // is looked for only when that fails.
    match BASE64.decode(text.as_bytes()) {
        Err(_) if text.bytes().any(|b| b.is_ascii_whitespace()) => {
            let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
            BASE64.decode(compact)
        }
        decoded => decoded,
    }
}

fn decode_error(message: String) -> Error {
    Error::new(ErrorKind::Decode, message).with_vendor(Vendor::ServiceNow)
}

/// The answer of a [`Batch`].
#[derive(Clone)]
pub struct BatchResponse {
    client: Client,
    /// The items that ran, in the order the instance answered them.
    pub serviced: Vec<BatchItem>,
    /// The ids of the items that did not run: the batch reached a size or
    /// time limit first.
    pub unserviced: Vec<String>,
}

impl fmt::Debug for BatchResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchResponse")
            .field("serviced", &self.serviced)
            .field("unserviced", &self.unserviced)
            .finish_non_exhaustive()
    }
}

impl BatchResponse {
    /// Takes the answer of item `id` as the request alone would have had
    /// it: a 2xx item is an [`ApiResponse`], any other the same [`Error`]
    /// (`NotFound`, `Forbidden` … with ServiceNow's message). An item that
    /// did not run, or that the instance did not answer, is an error too
    /// (`Api`: nothing is known of its outcome).
    pub fn take(&mut self, id: &str) -> Result<ApiResponse> {
        if let Some(i) = self.serviced.iter().position(|it| it.id == id) {
            return self.serviced.swap_remove(i).into_response(&self.client);
        }
        let why = if self.unserviced.iter().any(|u| u == id) {
            "was not run: the batch reached the instance's size or time limit first"
        } else {
            "has no answer in the batch"
        };
        Err(
            Error::new(ErrorKind::Api, format!("batch item {id:?} {why}"))
                .with_vendor(Vendor::ServiceNow),
        )
    }
}

/// One item's answer.
#[derive(Clone)]
pub struct BatchItem {
    /// The id the item was sent under.
    pub id: String,
    /// Its status.
    pub status: StatusCode,
    /// Its status text (`"OK"`).
    pub status_text: Option<String>,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body, base64-decoded.
    pub body: Bytes,
    /// The instance's error message for the item, when it gives one.
    pub error_message: Option<String>,
    /// How long the item ran on the instance.
    pub execution_time_ms: Option<u64>,
    method: Method,
    path: String,
}

impl fmt::Debug for BatchItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchItem")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .field("error_message", &self.error_message)
            .finish_non_exhaustive()
    }
}

impl BatchItem {
    fn from_wire(w: WireItem<'_>, req: &ApiRequest) -> Result<BatchItem> {
        let status = StatusCode::from_u16(w.status_code).map_err(|_| {
            decode_error(format!(
                "batch item {:?}: status {} is not an HTTP status",
                w.id, w.status_code
            ))
        })?;
        let body = match w.body.as_deref() {
            None | Some("") => Bytes::new(),
            // Line breaks inside the base64 text are tolerated (the
            // documented examples wrap it).
            Some(b64) => decode_base64(b64).map(Bytes::from).map_err(|e| {
                decode_error(format!(
                    "batch item {:?}: the body is not base64: {e}",
                    w.id
                ))
            })?,
        };
        let mut headers = HeaderMap::new();
        for h in w.headers {
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(h.name.as_bytes()),
                HeaderValue::from_str(&h.value),
            ) {
                headers.append(n, v);
            }
        }
        Ok(BatchItem {
            id: w.id,
            status,
            status_text: w.status_text,
            headers,
            body,
            error_message: w.error_message,
            execution_time_ms: w.execution_time,
            method: req.method().clone(),
            path: req.path().unwrap_or_default().to_owned(),
        })
    }

    /// The item as the request alone would have answered: an
    /// [`ApiResponse`] for a 2xx, otherwise the error the client gives for
    /// that answer (its kind, ServiceNow's message and `api_body`).
    pub fn into_response(self, client: &Client) -> Result<ApiResponse> {
        if self.status.is_success() {
            return Ok(ApiResponse::new(self.status, self.headers, self.body)
                .with_vendor(Vendor::ServiceNow));
        }
        Err(client.http().error_for_answer(
            &self.method,
            &self.path,
            self.status,
            &self.headers,
            &self.body,
        ))
    }
}
