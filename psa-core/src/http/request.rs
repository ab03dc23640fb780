//! One request to a vendor ([`ApiRequest`]) and its answer ([`ApiResponse`]).

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::RetryPolicy;
use crate::error::is_sensitive_header;
use crate::{Error, ErrorKind, Result, Vendor};

/// Where a request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A path relative to the client's base URL.
    Path(Cow<'static, str>),
    /// An absolute URL, which must be on the base URL's origin.
    Url(Url),
}

/// A request body, serialised once (replays clone the `Bytes`).
#[derive(Clone, Debug)]
pub(crate) struct Body {
    pub(crate) bytes: Bytes,
    pub(crate) content_type: HeaderValue,
}

/// One request to a vendor, built without IO.
///
/// The path is relative to the client's base URL (`"Tickets"`,
/// `"Tickets/123"`; a leading `/` is allowed and means the same), or an
/// absolute URL on the base URL's origin for the next-page links vendors
/// hand out ([`absolute`](Self::absolute)). Everything is checked before
/// anything is sent; credentials are added by the client, never here.
///
/// `Debug` shows the method, target, query, header names (values of
/// sensitive headers hidden) and the body's size, never its content.
///
/// ```
/// use std::time::Duration;
/// use http::Method;
/// use psa_core::http::ApiRequest;
///
/// let req = ApiRequest::get("Tickets")
///     .query("pageinate", true)
///     .query("page_size", 100)
///     .query_opt("search", None::<&str>)
///     .rate_key("Tickets")
///     .attempt_timeout(Duration::from_secs(10));
/// assert_eq!(req.method(), &Method::GET);
/// assert_eq!(req.path(), Some("Tickets"));
/// assert_eq!(req.query_pairs().len(), 2);
/// assert!(req.is_idempotent());
///
/// let create = ApiRequest::post("Actions").json(&serde_json::json!([{"note": "hi"}])).unwrap();
/// assert!(!create.is_idempotent());
/// assert_eq!(create.body_bytes().unwrap().as_ref(), br#"[{"note":"hi"}]"#);
/// ```
#[derive(Clone)]
#[must_use]
pub struct ApiRequest {
    pub(crate) method: Method,
    pub(crate) target: Target,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Body>,
    pub(crate) idempotent: Option<bool>,
    pub(crate) rate_key: Option<Cow<'static, str>>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
}

impl fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ApiRequest");
        d.field("method", &self.method.as_str());
        match &self.target {
            Target::Path(p) => d.field("path", p),
            Target::Url(u) => d.field("url", &u.as_str()),
        };
        d.field("query", &self.query)
            .field("headers", &DebugHeaders(&self.headers));
        if let Some(b) = &self.body {
            d.field(
                "body",
                &format_args!("<{} bytes of {:?}>", b.bytes.len(), b.content_type),
            );
        }
        d.field("idempotent", &self.is_idempotent());
        if let Some(k) = &self.rate_key {
            d.field("rate_key", k);
        }
        d.finish_non_exhaustive()
    }
}

/// Shows header names, and values only for headers that are not sensitive.
pub(crate) struct DebugHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for DebugHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_sensitive_header(name.as_str()) {
                m.entry(&name.as_str(), &"[redacted]");
            } else {
                m.entry(&name.as_str(), value);
            }
        }
        m.finish()
    }
}

impl ApiRequest {
    /// A request for `path`, relative to the client's base URL.
    pub fn new(method: Method, path: impl Into<Cow<'static, str>>) -> Self {
        ApiRequest::with_target(method, Target::Path(path.into()))
    }

    /// A request for an absolute URL (a vendor's next-page link). The client
    /// refuses it, before sending, unless it is on its base URL's origin.
    pub fn absolute(method: Method, url: Url) -> Self {
        ApiRequest::with_target(method, Target::Url(url))
    }

    fn with_target(method: Method, target: Target) -> Self {
        ApiRequest {
            method,
            target,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            idempotent: None,
            rate_key: None,
            attempt_timeout: None,
            deadline: None,
            retry: None,
        }
    }

    /// `GET path`.
    pub fn get(path: impl Into<Cow<'static, str>>) -> Self {
        ApiRequest::new(Method::GET, path)
    }

    /// `POST path` (not idempotent unless [`idempotent`](Self::idempotent) says so).
    pub fn post(path: impl Into<Cow<'static, str>>) -> Self {
        ApiRequest::new(Method::POST, path)
    }

    /// `PUT path`.
    pub fn put(path: impl Into<Cow<'static, str>>) -> Self {
        ApiRequest::new(Method::PUT, path)
    }

    /// `PATCH path` (not idempotent unless [`idempotent`](Self::idempotent) says so).
    pub fn patch(path: impl Into<Cow<'static, str>>) -> Self {
        ApiRequest::new(Method::PATCH, path)
    }

    /// `DELETE path`.
    pub fn delete(path: impl Into<Cow<'static, str>>) -> Self {
        ApiRequest::new(Method::DELETE, path)
    }

    /// Appends a query parameter (`.query("page_no", 2)`).
    pub fn query(mut self, name: impl Into<Cow<'static, str>>, value: impl fmt::Display) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Sets a query parameter, replacing the value of an earlier one with
    /// the same name (keeping its place), else appending it.
    ///
    /// ```
    /// use psa_core::http::ApiRequest;
    /// let req = ApiRequest::get("Tickets").query("page_no", 1).set_query("page_no", 2);
    /// assert_eq!(req.query_value("page_no"), Some("2"));
    /// assert_eq!(req.query_pairs().len(), 1);
    /// ```
    pub fn set_query(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl fmt::Display,
    ) -> Self {
        let name = name.into();
        let value = value.to_string();
        match self.query.iter_mut().find(|(k, _)| *k == name) {
            Some(pair) => pair.1 = value,
            None => self.query.push((name, value)),
        }
        self
    }

    /// Appends a query parameter when `value` is `Some`.
    pub fn query_opt(
        self,
        name: impl Into<Cow<'static, str>>,
        value: Option<impl fmt::Display>,
    ) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    /// Sets a header (replacing one of the same name). Credentials belong in
    /// [`Auth`](super::Auth), not here; a value marked sensitive stays hidden
    /// in `Debug`.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Sets a header from strings; an invalid name or value is `InvalidInput`.
    pub fn try_header(self, name: &str, value: &str) -> Result<Self> {
        let n = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::invalid_input(format!("`{name}` is not a valid header name")))?;
        let v = HeaderValue::from_str(value).map_err(|_| {
            Error::invalid_input(format!(
                "the value of header `{n}` is not a valid header value"
            ))
        })?;
        Ok(self.header(n, v))
    }

    /// Sets a JSON body, serialised once now.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::new(
                ErrorKind::InvalidInput,
                "could not serialise the request body as JSON",
            )
            .with_source(e)
        })?;
        self.body = Some(Body {
            bytes: Bytes::from(bytes),
            content_type: HeaderValue::from_static("application/json"),
        });
        Ok(self)
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    pub fn form<K: AsRef<str>, V: AsRef<str>>(
        mut self,
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            form.append_pair(k.as_ref(), v.as_ref());
        }
        self.body = Some(Body {
            bytes: Bytes::from(form.finish()),
            content_type: HeaderValue::from_static("application/x-www-form-urlencoded"),
        });
        self
    }

    /// Sets a raw body with its content type.
    pub fn body(mut self, bytes: impl Into<Bytes>, content_type: HeaderValue) -> Self {
        self.body = Some(Body {
            bytes: bytes.into(),
            content_type,
        });
        self
    }

    /// Says whether the request may be sent twice with the same effect as
    /// once. Default: GET, HEAD, PUT, DELETE, OPTIONS (and TRACE) yes; POST,
    /// PATCH no. A vendor crate marks a read made with POST (Autotask
    /// `POST /{Entity}/query`) idempotent.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Names the rate-limit budget the request draws from (an endpoint such
    /// as `"Tickets"`). Default: the client's own key.
    pub fn rate_key(mut self, key: impl Into<Cow<'static, str>>) -> Self {
        self.rate_key = Some(key.into());
        self
    }

    /// Overrides the timeout of each attempt for this request.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Overrides the overall deadline for this request.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Overrides the retry policy for this request.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The relative path, for a request built with a path.
    pub fn path(&self) -> Option<&str> {
        match &self.target {
            Target::Path(p) => Some(p),
            Target::Url(_) => None,
        }
    }

    /// The absolute URL, for a request built with [`absolute`](Self::absolute).
    pub fn absolute_url(&self) -> Option<&Url> {
        match &self.target {
            Target::Url(u) => Some(u),
            Target::Path(_) => None,
        }
    }

    /// The query parameters, in order.
    pub fn query_pairs(&self) -> &[(Cow<'static, str>, String)] {
        &self.query
    }

    /// The value of the first query parameter named `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query string as sent (URL-encoded, without the `?`).
    ///
    /// ```
    /// use psa_core::http::ApiRequest;
    /// let req = ApiRequest::get("Tickets").query("search", "a&b=c").query("page_no", 1);
    /// assert_eq!(req.query_string(), "search=a%26b%3Dc&page_no=1");
    /// ```
    pub fn query_string(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.query {
            s.append_pair(k, v);
        }
        s.finish()
    }

    /// The body parsed as JSON, for a test asserting what a write sends;
    /// `None` without a body or when it is not JSON.
    ///
    /// ```
    /// use psa_core::http::ApiRequest;
    /// let req = ApiRequest::post("Actions").json(&serde_json::json!([{"note": "hi"}])).unwrap();
    /// assert_eq!(req.body_json().unwrap()[0]["note"], "hi");
    /// ```
    pub fn body_json(&self) -> Option<serde_json::Value> {
        self.body
            .as_ref()
            .and_then(|b| serde_json::from_slice(&b.bytes).ok())
    }

    /// The extra headers (credentials are not among them).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, when there is one.
    pub fn body_bytes(&self) -> Option<&Bytes> {
        self.body.as_ref().map(|b| &b.bytes)
    }

    /// The body's content type, when there is a body.
    pub fn content_type(&self) -> Option<&HeaderValue> {
        self.body.as_ref().map(|b| &b.content_type)
    }

    /// Whether the request is idempotent (see [`idempotent`](Self::idempotent)).
    pub fn is_idempotent(&self) -> bool {
        self.idempotent.unwrap_or({
            matches!(
                self.method,
                Method::GET
                    | Method::HEAD
                    | Method::PUT
                    | Method::DELETE
                    | Method::OPTIONS
                    | Method::TRACE
            )
        })
    }

    /// The rate-limit key set with [`rate_key`](Self::rate_key).
    pub fn rate_key_name(&self) -> Option<&str> {
        self.rate_key.as_deref()
    }

    /// The per-request attempt timeout, when overridden.
    pub fn attempt_timeout_override(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The per-request deadline, when overridden.
    pub fn deadline_override(&self) -> Option<Duration> {
        self.deadline
    }

    /// The per-request retry policy, when overridden.
    pub fn retry_policy_override(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    pub(crate) fn header_with_content_type(&self) -> HeaderMap {
        let mut headers = self.headers.clone();
        if let Some(b) = &self.body {
            headers
                .entry(CONTENT_TYPE)
                .or_insert_with(|| b.content_type.clone());
        }
        headers
    }
}

/// A successful response: status, headers and the whole body.
///
/// `Debug` shows the status, the headers (sensitive ones hidden) and the
/// body's size.
#[derive(Clone)]
pub struct ApiResponse {
    /// The status (2xx).
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
    vendor: Option<Vendor>,
}

impl fmt::Debug for ApiResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status.as_u16())
            .field("headers", &DebugHeaders(&self.headers))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("vendor", &self.vendor)
            .finish()
    }
}

impl ApiResponse {
    /// A response (for tests and adapters).
    pub fn new(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        ApiResponse {
            status,
            headers,
            body: body.into(),
            vendor: None,
        }
    }

    /// Names the vendor in decode errors.
    #[must_use]
    pub fn with_vendor(mut self, vendor: Vendor) -> Self {
        self.vendor = Some(vendor);
        self
    }

    /// Decodes the body as JSON into `T`. A failure is a
    /// [`Decode`](ErrorKind::Decode) error naming the failing path
    /// (`tickets[3].id`) and keeping the body; it never panics.
    ///
    /// ```
    /// use http::{HeaderMap, StatusCode};
    /// use psa_core::http::ApiResponse;
    ///
    /// #[derive(Debug, serde::Deserialize)]
    /// struct Page { tickets: Vec<Ticket> }
    /// #[derive(Debug, serde::Deserialize)]
    /// struct Ticket { id: u64 }
    ///
    /// let ok = ApiResponse::new(StatusCode::OK, HeaderMap::new(), r#"{"tickets":[{"id":1}]}"#);
    /// assert_eq!(ok.json::<Page>().unwrap().tickets[0].id, 1);
    /// let bad = ApiResponse::new(StatusCode::OK, HeaderMap::new(), r#"{"tickets":[{"id":"x"}]}"#);
    /// assert!(bad.json::<Page>().unwrap_err().to_string().contains("tickets[0].id"));
    /// ```
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        self.json_named("response body")
    }

    /// Like [`json`](Self::json), naming what was decoded in the error
    /// (`"tickets page"`).
    pub fn json_named<T: DeserializeOwned>(&self, what: &str) -> Result<T> {
        crate::error::decode_slice(self.vendor, what, &self.body)
    }

    /// The body as UTF-8 text; invalid UTF-8 is a `Decode` error.
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.body).map_err(|e| {
            let err = Error::new(
                ErrorKind::Decode,
                format!("{} body is not UTF-8", "response"),
            )
            .with_source(e)
            .with_body(&self.body);
            match self.vendor {
                Some(v) => err.with_vendor(v),
                None => err,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn idempotency_defaults() {
        for m in [
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
        ] {
            assert!(ApiRequest::new(m, "x").is_idempotent());
        }
        assert!(!ApiRequest::post("x").is_idempotent());
        assert!(!ApiRequest::patch("x").is_idempotent());
        assert!(
            ApiRequest::post("Tickets/query")
                .idempotent(true)
                .is_idempotent()
        );
        assert!(!ApiRequest::get("x").idempotent(false).is_idempotent());
    }

    #[test]
    fn debug_hides_sensitive_headers_and_bodies() {
        let mut secret = HeaderValue::from_static("canary-1");
        secret.set_sensitive(true);
        let req = ApiRequest::post("Actions")
            .header(HeaderName::from_static("x-custom"), secret)
            .header(
                HeaderName::from_static("x-api-key"),
                HeaderValue::from_static("canary-2"),
            )
            .header(
                HeaderName::from_static("x-visible"),
                HeaderValue::from_static("shown"),
            )
            .form([("client_secret", "canary-3")]);
        let d = format!("{req:?}");
        assert!(!d.contains("canary"), "{d}");
        assert!(d.contains("shown") && d.contains("x-custom"), "{d}");
        assert_eq!(
            req.body_bytes().unwrap().as_ref(),
            b"client_secret=canary-3"
        );
        assert_eq!(
            req.content_type().unwrap(),
            "application/x-www-form-urlencoded"
        );
    }

    #[test]
    fn headers_and_bodies() {
        assert!(ApiRequest::get("x").try_header("bad name", "v").is_err());
        assert!(
            ApiRequest::get("x")
                .try_header("x-a", "bad\nvalue")
                .is_err()
        );
        let r = ApiRequest::get("x")
            .try_header("pagination-type", "forward-only")
            .unwrap();
        assert_eq!(r.headers().get("pagination-type").unwrap(), "forward-only");
        let r = ApiRequest::put("x").body(&b"raw"[..], HeaderValue::from_static("text/plain"));
        assert_eq!(
            r.header_with_content_type().get(CONTENT_TYPE).unwrap(),
            "text/plain"
        );
        let r = ApiRequest::put("x").json(&1).unwrap().header(
            CONTENT_TYPE,
            HeaderValue::from_static("application/vnd.x+json"),
        );
        assert_eq!(
            r.header_with_content_type().get(CONTENT_TYPE).unwrap(),
            "application/vnd.x+json",
            "an explicit content type wins"
        );
        let map = std::collections::HashMap::from([((1, 2), 3)]);
        assert!(
            ApiRequest::post("x")
                .json(&map)
                .unwrap_err()
                .is_invalid_input()
        );
    }

    #[test]
    fn response_decoding() {
        let r = ApiResponse::new(StatusCode::OK, HeaderMap::new(), r#"{"a":1} trailing"#)
            .with_vendor(Vendor::Autotask);
        let e = r.json::<serde_json::Value>().unwrap_err();
        assert!(e.is_decode());
        assert_eq!(e.vendor(), Some(Vendor::Autotask));
        let r = ApiResponse::new(StatusCode::OK, HeaderMap::new(), r#"{"a":[1,"#);
        assert!(r.json::<serde_json::Value>().unwrap_err().is_decode());
        let r = ApiResponse::new(StatusCode::OK, HeaderMap::new(), &b"\xff"[..]);
        assert!(r.text().unwrap_err().is_decode());
        let r = ApiResponse::new(StatusCode::OK, HeaderMap::new(), "hello");
        assert_eq!(r.text().unwrap(), "hello");
        assert!(format!("{r:?}").contains("5 bytes"));
    }
}
