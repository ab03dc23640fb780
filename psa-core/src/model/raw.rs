//! Raw requests: any endpoint the uniform surface does not cover, still
//! permission-gated.

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde::{Deserialize, Serialize};

use crate::{Error, OpKind, Result};

/// A request to any endpoint of the vendor's API, relative to the client's
/// base URL.
///
/// A guard maps the path to a permission group (through the vendor's
/// [`Psa::raw_group`](crate::Psa::raw_group)) and the method to a kind, and
/// denies a path it cannot map.
///
/// ```
/// use psa_core::RawRequest;
/// let r = RawRequest::get("Invoice").query("client_id", "12");
/// assert_eq!(r.path, "Invoice");
/// assert!(RawRequest::get("https://evil.example/x").validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RawRequest {
    /// HTTP method.
    #[serde(with = "method_serde")]
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub method: Method,
    /// Path relative to the API base (`Tickets/12`, `service/tickets/12`).
    pub path: String,
    /// Query pairs.
    pub query: Vec<(String, String)>,
    /// JSON body.
    pub body: Option<serde_json::Value>,
}

impl RawRequest {
    /// A request.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        RawRequest {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
        }
    }
    /// A GET.
    pub fn get(path: impl Into<String>) -> Self {
        RawRequest::new(Method::GET, path)
    }
    /// A POST with a JSON body.
    pub fn post(path: impl Into<String>, body: serde_json::Value) -> Self {
        RawRequest {
            body: Some(body),
            ..RawRequest::new(Method::POST, path)
        }
    }
    /// A DELETE.
    pub fn delete(path: impl Into<String>) -> Self {
        RawRequest::new(Method::DELETE, path)
    }
    /// Adds a query pair.
    #[must_use]
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }
    /// Sets the JSON body.
    #[must_use]
    pub fn body(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// What the method does: GET/HEAD read, DELETE deletes, anything else writes.
    pub fn kind(&self) -> OpKind {
        match self.method {
            Method::GET | Method::HEAD | Method::OPTIONS => OpKind::Read,
            Method::DELETE => OpKind::Delete,
            _ => OpKind::Write,
        }
    }

    /// The path without a leading slash and without its query string, the
    /// way a guard matches it.
    pub fn normalized_path(&self) -> &str {
        let p = self.path.trim_start_matches('/');
        p.split(['?', '#']).next().unwrap_or(p)
    }

    /// Rejects absolute URLs, `..` segments, backslashes and control
    /// characters: a raw request goes to the vendor's own API, nowhere else.
    pub fn validate(&self) -> Result<()> {
        let p = &self.path;
        if p.trim().is_empty() {
            return Err(Error::invalid_input("raw request path is empty"));
        }
        if p.contains("://") || p.starts_with("//") {
            return Err(Error::invalid_input(
                "raw request path must be relative to the API base, not a URL",
            ));
        }
        if p.contains('\\') || p.chars().any(char::is_control) {
            return Err(Error::invalid_input(
                "raw request path has forbidden characters",
            ));
        }
        if p.contains(['?', '#']) {
            return Err(Error::invalid_input(
                "put raw request query pairs in `query`, not the path",
            ));
        }
        if p.split('/').any(|seg| seg == ".." || seg == ".") {
            return Err(Error::invalid_input(
                "raw request path must not contain `.` or `..` segments",
            ));
        }
        Ok(())
    }
}

/// A raw response.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RawResponse {
    /// Status.
    pub status: StatusCode,
    /// Headers (sensitive ones removed).
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Bytes,
}

impl RawResponse {
    /// A response.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse {
            status,
            headers,
            body,
        }
    }

    /// A vendor's answer as a raw response: status, body, and the headers
    /// without any that carry a credential (sensitive values, and names
    /// such as `Authorization`, `Set-Cookie` or anything with `token`,
    /// `secret` or `password`; see [`crate::error::is_sensitive_header`]).
    ///
    /// ```
    /// use http::{HeaderMap, HeaderValue, StatusCode};
    /// use psa_core::RawResponse;
    /// use psa_core::http::ApiResponse;
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("set-cookie", HeaderValue::from_static("JSESSIONID=canary"));
    /// headers.insert("x-total-count", HeaderValue::from_static("3"));
    /// let raw = RawResponse::from_api(ApiResponse::new(StatusCode::OK, headers, "[]"));
    /// assert!(raw.headers.get("set-cookie").is_none());
    /// assert_eq!(raw.headers["x-total-count"], "3");
    /// ```
    pub fn from_api(response: crate::http::ApiResponse) -> Self {
        RawResponse::new(
            response.status,
            crate::error::redact_headers(&response.headers),
            response.body,
        )
    }

    /// The body as JSON (`Null` when empty), or a decode error naming the path.
    pub fn json(&self) -> Result<serde_json::Value> {
        if self.body.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        crate::error::decode_slice(None, "raw response", &self.body)
    }
}

mod method_serde {
    use http::Method;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(m: &Method, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(m.as_str())
    }
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Method, D::Error> {
        let s = String::deserialize(d)?;
        Method::from_bytes(s.to_ascii_uppercase().as_bytes()).map_err(serde::de::Error::custom)
    }
}
