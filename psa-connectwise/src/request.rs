//! Requests described without I/O, so that a test asserts the method, path,
//! query, headers and body of any operation (twilight's `TryIntoRequest`,
//! kube-core's sans-IO requests). The [`Client`](crate::Client) sends them
//! through `psa_core::http::HttpClient`.

use http::Method;
use serde_json::Value;

/// A ConnectWise request, relative to the API base (`…/apis/3.0`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The path, without a leading slash (`service/tickets/12`).
    pub path: String,
    /// Query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Extra (non-secret) headers: `pagination-type`, `x-cw-usertype`.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body.
    pub body: Option<Value>,
    /// Whether sending it twice is harmless (reads, `PATCH`, `DELETE`); only
    /// those are retried automatically.
    pub idempotent: bool,
}

impl Request {
    /// A request; `GET`, `PUT`, `PATCH` and `DELETE` count as idempotent.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::PUT | Method::PATCH | Method::DELETE
        );
        Request {
            method,
            path: path.into().trim_start_matches('/').to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            idempotent,
        }
    }

    /// A `GET`.
    pub fn get(path: impl Into<String>) -> Self {
        Request::new(Method::GET, path)
    }

    /// Adds a query pair.
    #[must_use]
    pub fn query(mut self, k: impl Into<String>, v: impl Into<String>) -> Self {
        self.query.push((k.into(), v.into()));
        self
    }

    /// Adds a header.
    #[must_use]
    pub fn header(mut self, k: &'static str, v: impl Into<String>) -> Self {
        self.headers.push((k, v.into()));
        self
    }

    /// Sets the JSON body.
    #[must_use]
    pub fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The query value of `k`, when set.
    pub fn query_value(&self, k: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.as_str())
    }
}
