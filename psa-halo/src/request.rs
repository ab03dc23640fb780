//! A request to Halo's resource server, described without IO.

use http::Method;
use psa_core::http::ApiRequest;
use psa_core::{Error, Result};
use serde_json::Value;
use std::borrow::Cow;

/// The longest free-text search the SDK sends.
pub const MAX_SEARCH_LEN: usize = 255;

/// A request to Halo's resource server, built without IO: every operation
/// struct turns into one with `request()`, so a unit test asserts the
/// method, path, query and body.
///
/// Paths are relative to the resource server (`{base}/api`). Query values
/// are URL-encoded when sent, so caller text can never add a parameter.
///
/// ```
/// # let client = psa_halo::Client::builder()
/// #     .base_url("https://acme.halopsa.com").client_id("id")
/// #     .client_secret("s".into()).build()?;
/// let req = client.tickets().list().open_only().client_id(12).search("a&b=c").request()?;
/// assert_eq!(req.method(), &http::Method::GET);
/// assert_eq!(req.path(), "Tickets");
/// assert_eq!(
///     req.query_string(),
///     "pageinate=true&page_size=100&page_no=1&open_only=true&client_id=12&search=a%26b%3Dc"
/// );
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Request {
    method: Method,
    path: String,
    query: Vec<(Cow<'static, str>, String)>,
    body: Option<Value>,
}

impl Request {
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Request {
        Request {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn get(path: impl Into<String>) -> Request {
        Request::new(Method::GET, path)
    }

    pub(crate) fn post(path: impl Into<String>, body: Value) -> Request {
        Request {
            body: Some(body),
            ..Request::new(Method::POST, path)
        }
    }

    pub(crate) fn delete(path: impl Into<String>) -> Request {
        Request::new(Method::DELETE, path)
    }

    /// Adds a query pair, replacing an earlier one with the same key.
    #[allow(clippy::needless_pass_by_value)]
    pub(crate) fn set(&mut self, key: impl Into<Cow<'static, str>>, value: impl ToString) {
        let key = key.into();
        let value = value.to_string();
        match self.query.iter_mut().find(|(k, _)| *k == key) {
            Some(pair) => pair.1 = value,
            None => self.query.push((key, value)),
        }
    }

    pub(crate) fn with(mut self, key: impl Into<Cow<'static, str>>, value: impl ToString) -> Self {
        self.set(key, value);
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path relative to the resource server.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query pairs, unencoded.
    pub fn query(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_ref(), v.as_str()))
    }

    /// The value of one query parameter.
    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The query string as sent (URL-encoded).
    pub fn query_string(&self) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.query {
            s.append_pair(k, v);
        }
        s.finish()
    }

    /// The JSON body.
    pub fn body(&self) -> Option<&Value> {
        self.body.as_ref()
    }

    /// Whether sending it twice has the effect of sending it once: GET and
    /// DELETE. Halo's POST creates when the record has no id, so POSTs are
    /// never retried automatically.
    pub fn is_idempotent(&self) -> bool {
        self.method == Method::GET || self.method == Method::DELETE
    }

    /// The request for the core HTTP client: method, path, query, JSON
    /// body, and Halo's idempotency (a `POST` is never retried on an
    /// unknown outcome).
    pub(crate) fn into_api_request(self) -> Result<ApiRequest> {
        let idempotent = self.is_idempotent();
        let mut req = ApiRequest::new(self.method, self.path);
        for (k, v) in self.query {
            req = req.query(k, v);
        }
        if let Some(body) = &self.body {
            req = req.json(body)?;
        }
        Ok(req.idempotent(idempotent))
    }
}

/// Checks free text bound for Halo's `search` parameters: not blank, no
/// control characters, at most [`MAX_SEARCH_LEN`] characters. (It is sent as
/// one URL-encoded value, so it cannot add parameters.)
pub(crate) fn search_text(what: &str, text: &str) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::invalid_input(format!("{what} is empty")));
    }
    if t.chars().any(char::is_control) {
        return Err(Error::invalid_input(format!(
            "{what} contains control characters"
        )));
    }
    let n = t.chars().count();
    if n > MAX_SEARCH_LEN {
        return Err(Error::invalid_input(format!(
            "{what} is {n} characters long; the limit is {MAX_SEARCH_LEN}"
        )));
    }
    Ok(t.to_owned())
}
