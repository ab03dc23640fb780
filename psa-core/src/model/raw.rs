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
/// denies a path it cannot map. [`validate`](Self::validate) runs first: a
/// raw path must be plain segments, so that the path a guard maps is the
/// path the server reads — no encoded traversal (`..%2f`, `%2e%2e`,
/// `%252e`, fullwidth `．．`), no `..;`, no `//`.
///
/// ```
/// use psa_core::RawRequest;
/// let r = RawRequest::get("Invoice").query("client_id", "12");
/// assert_eq!(r.path, "Invoice");
/// assert!(r.validate().is_ok());
/// for hostile in ["https://evil.example/x", "Tickets/..%2fadmin", "Tickets/%252e%252e/x",
///                 "Tickets/．．/x", "Tickets/..;/admin", "Tickets//1"] {
///     assert!(RawRequest::get(hostile).validate().unwrap_err().is_invalid_input(), "{hostile}");
/// }
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

/// The methods a raw request may use at all: those of a REST API.
/// `TRACE` (it echoes the request, credentials included), `CONNECT` and
/// extension methods are refused by [`RawRequest::validate`].
pub const RAW_METHODS: [Method; 7] = [
    Method::GET,
    Method::HEAD,
    Method::OPTIONS,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// How many rounds of percent-decoding [`RawRequest::validate`] tries
/// before it calls a path's encoding hostile (`%25252e…`).
const MAX_DECODE_ROUNDS: usize = 8;

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
    /// way a guard matches it. For a request that passed
    /// [`validate`](Self::validate) it is plain segments, exactly what the
    /// server reads; [`checked_path`](Self::checked_path) returns it only
    /// then.
    pub fn normalized_path(&self) -> &str {
        let p = self.path.trim_start_matches('/');
        p.split(['?', '#']).next().unwrap_or(p)
    }

    /// The [normalized path](Self::normalized_path) of a request that passes
    /// [`validate`](Self::validate), or the validation error: what a
    /// vendor's [`raw_group`](crate::Psa::raw_group) maps and its `raw`
    /// sends, so that the two never differ.
    ///
    /// ```
    /// use psa_core::RawRequest;
    /// assert_eq!(RawRequest::get("/Tickets/12").checked_path()?, "Tickets/12");
    /// assert!(RawRequest::get("Tickets/%2e%2e/Invoice").checked_path().is_err());
    /// # Ok::<(), psa_core::Error>(())
    /// ```
    pub fn checked_path(&self) -> Result<&str> {
        self.validate()?;
        Ok(self.normalized_path())
    }

    /// Rejects what could make the server read another path than the one a
    /// guard maps, or go elsewhere than the vendor's API: `TRACE`, `CONNECT`
    /// and methods no REST API uses (see [`RAW_METHODS`]); absolute URLs;
    /// a query string in the path (put it in `query`); and any path that is
    /// not plain segments. Plain segments are ASCII letters, digits and
    /// `-._~!$&'()*+,=:@` — no `%` (the path is decoded, repeatedly, to
    /// name what an encoding hides: `..%2f`, `%2e%2e`, `%252e`, overlong
    /// UTF-8), no fullwidth or lookalike dots and slashes (`．．`, `∕`),
    /// no `\`, no `;` (`..;/`, path parameters), no empty segment (`//`),
    /// no segment of dots only (`.`, `..`, `...`), no whitespace or control
    /// characters.
    ///
    /// Vendors narrow the methods further with
    /// [`validate_methods`](Self::validate_methods).
    pub fn validate(&self) -> Result<()> {
        if !RAW_METHODS.contains(&self.method) {
            return Err(Error::invalid_input(format!(
                "raw request method {} is refused: a raw request uses one of {}",
                crate::input::excerpt(self.method.as_str()),
                method_list(&RAW_METHODS)
            )));
        }
        check_path(&self.path)
    }

    /// [`validate`](Self::validate), and the method must be one of
    /// `allowed`: the methods the vendor's API uses (HaloPSA: `GET`,
    /// `POST`, `DELETE`), so that a raw request cannot try one the SDK was
    /// never meant to send.
    ///
    /// ```
    /// use http::Method;
    /// use psa_core::RawRequest;
    /// let halo = [Method::GET, Method::POST, Method::DELETE];
    /// assert!(RawRequest::get("Tickets/1").validate_methods(&halo).is_ok());
    /// let put = RawRequest::new(Method::PUT, "Tickets/1");
    /// let err = put.validate_methods(&halo).unwrap_err();
    /// assert!(err.is_invalid_input() && err.to_string().contains("GET, POST, DELETE"), "{err}");
    /// let trace = RawRequest::new(Method::TRACE, "Tickets/1");
    /// assert!(trace.validate_methods(&[Method::TRACE]).is_err());
    /// ```
    pub fn validate_methods(&self, allowed: &[Method]) -> Result<()> {
        self.validate()?;
        if allowed.contains(&self.method) {
            Ok(())
        } else {
            Err(Error::invalid_input(format!(
                "raw request method {} is not one this API uses ({})",
                self.method,
                method_list(allowed)
            )))
        }
    }
}

fn method_list(methods: &[Method]) -> String {
    methods
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

fn refuse(path: &str, why: &str) -> Error {
    Error::invalid_input(format!(
        "raw request path {} {why}; a raw path must be plain segments",
        crate::input::excerpt(path)
    ))
}

/// The checks of [`RawRequest::validate`] on a path.
fn check_path(path: &str) -> Result<()> {
    if path.trim().is_empty() {
        return Err(Error::invalid_input("raw request path is empty"));
    }
    if path.contains("://") || path.starts_with("//") {
        return Err(Error::invalid_input(
            "raw request path must be relative to the API base, not a URL",
        ));
    }
    if path.contains(['?', '#']) {
        return Err(Error::invalid_input(
            "put raw request query pairs in `query`, not the path",
        ));
    }
    // What any layer between here and the resource may end up reading.
    let decoded = decode_fully(path).map_err(|why| refuse(path, why))?;
    if decoded != path {
        let hides = if has_dot_segment(&decoded) || decoded.contains('\\') {
            "hides a traversal"
        } else {
            "is encoded"
        };
        return Err(refuse(
            path,
            &format!("{hides} (it reads as {})", crate::input::excerpt(&decoded)),
        ));
    }
    let plain = path.trim_start_matches('/');
    if let Some(c) = plain.chars().find(|&c| !is_plain(c)) {
        let why = match c {
            '\\' => "contains a backslash".to_owned(),
            ';' => "contains `;` (a path parameter such as `..;`)".to_owned(),
            c if c.is_control() || c.is_whitespace() => {
                format!(
                    "contains U+{:04X} (whitespace or a control character)",
                    u32::from(c)
                )
            }
            c => format!("contains {c:?}"),
        };
        return Err(refuse(path, &why));
    }
    let segments: Vec<&str> = plain.split('/').collect();
    let last = segments.len() - 1;
    for (i, seg) in segments.iter().enumerate() {
        if seg.is_empty() && i != last {
            return Err(refuse(path, "has an empty segment (`//`)"));
        }
        if !seg.is_empty() && seg.bytes().all(|b| b == b'.') {
            return Err(refuse(path, "has a `.` or `..` segment"));
        }
    }
    Ok(())
}

/// A character of a plain path segment (RFC 3986 `pchar` without `%` and
/// `;`), or `/` between segments.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~!$&'()*+,=:@/".contains(c)
}

/// Whether `path` has a segment of dots only, with `/` or `\` between
/// segments.
fn has_dot_segment(path: &str) -> bool {
    path.split(['/', '\\'])
        .any(|s| !s.is_empty() && s.bytes().all(|b| b == b'.'))
}

/// `path` percent-decoded until nothing changes, with the lookalikes of
/// `.`, `/` and `\` folded in each round (what Unicode NFKC and lenient
/// servers make of them); an error when an escape is malformed, the bytes
/// are not UTF-8 (overlong `%c0%ae`) or decoding does not settle.
fn decode_fully(path: &str) -> std::result::Result<String, &'static str> {
    let mut current = fold_lookalikes(path);
    for _ in 0..MAX_DECODE_ROUNDS {
        let next = fold_lookalikes(&percent_decode(&current)?);
        if next == current {
            return Ok(current);
        }
        current = next;
    }
    Err("is encoded more times than any client would")
}

fn percent_decode(text: &str) -> std::result::Result<String, &'static str> {
    if !text.contains('%') {
        return Ok(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |j: usize| bytes.get(j).and_then(|h| char::from(*h).to_digit(16));
            let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2)) else {
                return Err("has a `%` that is not a percent-escape");
            };
            // Two hex digits: at most 0xff.
            out.push(u8::try_from(hi * 16 + lo).unwrap_or(u8::MAX));
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| "decodes to bytes that are not UTF-8 (an overlong encoding?)")
}

/// Folds the characters that read as `.`, `/` or `\` after Unicode
/// compatibility normalisation (fullwidth and small forms, leaders) or to
/// a lenient server (fraction and division slashes).
fn fold_lookalikes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{ff0e}' | '\u{fe52}' | '\u{2024}' | '\u{3002}' | '\u{ff61}' => out.push('.'),
            '\u{2025}' => out.push_str(".."),
            '\u{2026}' => out.push_str("..."),
            '\u{ff0f}' | '\u{2215}' | '\u{2044}' | '\u{29f8}' => out.push('/'),
            '\u{ff3c}' | '\u{fe68}' | '\u{29f5}' | '\u{29f9}' => out.push('\\'),
            c => out.push(c),
        }
    }
    out
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn plain_paths_pass_and_keep_their_form() {
        for p in [
            "Tickets/12",
            "/Tickets/12",
            "V1.0/Tickets/query",
            "api/now/table/incident/9d385017c611228701d22104cc95c371",
            "service/tickets/12/notes",
            "Tickets/",
            "a-b_c~d.e/x:y@z/$!&'()*+,=",
        ] {
            let r = RawRequest::get(p);
            assert!(r.validate().is_ok(), "{p}");
            assert_eq!(r.checked_path().unwrap(), p.trim_start_matches('/'));
        }
    }

    #[test]
    fn encoded_and_lookalike_traversals_are_refused() {
        for p in [
            "Tickets/../Invoice",
            "Tickets/./1",
            "Tickets/...",
            "Tickets/..%2fInvoice",
            "Tickets/..%2FInvoice",
            "Tickets/%2e%2e/Invoice",
            "Tickets/%2E%2E%2FInvoice",
            "Tickets%2f..%2fInvoice",
            "Tickets/..%5cInvoice",
            "Tickets/..\\Invoice",
            "Tickets/..;/Invoice",
            "Tickets;jsessionid=x/1",
            "Tickets/%252e%252e/Invoice",
            "Tickets/%25252e%25252e/Invoice",
            "Tickets/%c0%ae%c0%ae/Invoice",
            "Tickets/%u002e%u002e/Invoice",
            "Tickets/．．/Invoice",
            "Tickets/%EF%BC%8E%EF%BC%8E/Invoice",
            "Tickets/‥/Invoice",
            "Tickets∕..∕Invoice",
            "Tickets//1",
            "Tickets/%20",
            "Tickets/a b",
            "Tickets/\u{0}",
            "Tickets/é",
            "Tickets/%",
            "Tickets/%zz",
            "https://evil.example/x",
            "//evil.example/x",
            "Tickets?x=1",
            "",
            "  ",
        ] {
            let e = RawRequest::get(p).validate().unwrap_err();
            assert!(e.is_invalid_input(), "{p}: {e}");
        }
        let e = RawRequest::get("Tickets/..%252fInvoice")
            .validate()
            .unwrap_err();
        assert!(
            e.to_string().contains("hides a traversal")
                && e.to_string().contains("Tickets/../Invoice"),
            "{e}"
        );
        let e = RawRequest::get("Tickets/．．/x").validate().unwrap_err();
        assert!(e.to_string().contains("hides a traversal"), "{e}");
        let e = RawRequest::get("Tickets/%41").validate().unwrap_err();
        assert!(e.to_string().contains("is encoded"), "{e}");
        let deep = format!("Tickets/{}2e", "%25".repeat(20));
        assert!(RawRequest::get(deep).validate().is_err());
    }

    #[test]
    fn methods_are_checked() {
        for m in [Method::TRACE, Method::CONNECT] {
            let e = RawRequest::new(m, "Tickets/1").validate().unwrap_err();
            assert!(
                e.is_invalid_input() && e.to_string().contains("refused"),
                "{e}"
            );
        }
        let ext = Method::from_bytes(b"PROPFIND").unwrap();
        assert!(RawRequest::new(ext, "Tickets/1").validate().is_err());
        for m in RAW_METHODS {
            assert!(RawRequest::new(m, "Tickets/1").validate().is_ok());
        }
        let sn = [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ];
        let e = RawRequest::new(Method::OPTIONS, "api/now/table/incident")
            .validate_methods(&sn)
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("OPTIONS is not one this API uses (GET, POST, PUT, PATCH, DELETE)"),
            "{e}"
        );
        // The path is still checked.
        assert!(RawRequest::get("a/../b").validate_methods(&sn).is_err());
    }
}
