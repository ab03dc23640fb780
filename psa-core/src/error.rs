//! One error type for every vendor and every layer.
//!
//! [`Error`] is opaque: ask it what happened with predicates
//! ([`is_not_found`](Error::is_not_found), [`is_rate_limited`](Error::is_rate_limited) …)
//! and accessors ([`http_status`](Error::http_status), [`retry_after`](Error::retry_after),
//! [`raw_body`](Error::raw_body) …), the same way for all four vendors.
//!
//! `Display` describes this layer only; the underlying cause (an I/O error, a
//! JSON error) is reached through [`std::error::Error::source`], never printed
//! twice.

use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use std::{borrow::Cow, error::Error as StdError, fmt, time::Duration};

use crate::Vendor;
use crate::permission::{Denial, PlannedWrite};

/// `Result` with [`Error`] as the default error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The largest response body an error keeps, in bytes. Longer bodies are cut
/// at a character boundary and marked as truncated.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The record or endpoint does not exist (HTTP 404, or an empty result
    /// where one record was asked for).
    NotFound,
    /// The vendor (HTTP 429) or the SDK's own limiter refused the call for now.
    /// [`Error::retry_after`] says when to come back, when known.
    RateLimited,
    /// An attempt or the overall deadline ran out.
    Timeout,
    /// The connection could not be made; nothing was sent.
    Connect,
    /// The vendor rejected the credentials (HTTP 401, or the token request failed).
    Unauthorized,
    /// The vendor refused the call for these credentials (HTTP 403).
    Forbidden,
    /// The SDK's permission policy refused the call; nothing was sent.
    /// [`Error::denial`] says what was missing.
    PermissionDenied,
    /// A technician (the [approver](crate::permission)) refused the write; nothing was sent.
    ApprovalDenied,
    /// Test mode: the write was planned and recorded, not sent.
    /// [`Error::plan`] returns the plan.
    DryRun,
    /// The write waits for a technician's approval; nothing was sent yet.
    /// [`Error::plan_id`] names the stored plan to execute once approved,
    /// and [`Error::plan`] returns it.
    ApprovalPending,
    /// The vendor cannot do this; the message says why.
    Unsupported,
    /// A create whose outcome is unknown (the request may or may not have
    /// reached the vendor). It is never re-sent automatically: check the PSA
    /// before trying again.
    AmbiguousWrite,
    /// The caller's input was rejected before anything was sent.
    InvalidInput,
    /// A vendor response (or webhook body) could not be decoded. The message
    /// names the failing field path.
    Decode,
    /// The vendor answered with another non-success status (400, 409, 500 …).
    Api,
    /// The client was configured wrongly (bad base URL, missing credential).
    Config,
    /// A webhook delivery failed verification or could not be parsed.
    Webhook,
    /// Another transport failure (connection reset, TLS, protocol error).
    Transport,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not found",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::Timeout => "timed out",
            ErrorKind::Connect => "could not connect",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::PermissionDenied => "permission denied",
            ErrorKind::ApprovalDenied => "approval denied",
            ErrorKind::DryRun => "test mode, not sent",
            ErrorKind::ApprovalPending => "waiting for approval, not sent",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::AmbiguousWrite => "write outcome unknown",
            ErrorKind::InvalidInput => "invalid input",
            ErrorKind::Decode => "could not decode",
            ErrorKind::Api => "vendor error",
            ErrorKind::Config => "configuration error",
            ErrorKind::Webhook => "webhook rejected",
            ErrorKind::Transport => "transport error",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A field-level error reported by a vendor (ConnectWise `errors[]`, Autotask
/// `errors`, ServiceNow `detail`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct FieldError {
    /// The field, when the vendor names one.
    pub field: Option<String>,
    /// The vendor's code, when it sends one.
    pub code: Option<String>,
    /// The message.
    pub message: String,
}

impl FieldError {
    /// A field error.
    pub fn new(field: Option<String>, code: Option<String>, message: impl Into<String>) -> Self {
        FieldError {
            field,
            code,
            message: message.into(),
        }
    }
}

/// The vendor's error body, parsed as far as it parses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct ApiErrorBody {
    /// The vendor's top-level message.
    pub message: Option<String>,
    /// The vendor's top-level code.
    pub code: Option<String>,
    /// Field-level errors.
    pub errors: Vec<FieldError>,
}

impl ApiErrorBody {
    /// A parsed error body.
    pub fn new(message: Option<String>, code: Option<String>, errors: Vec<FieldError>) -> Self {
        ApiErrorBody {
            message,
            code,
            errors,
        }
    }
}

/// The SDK's error. See the [module docs](self).
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: Cow<'static, str>,
    vendor: Option<Vendor>,
    status: Option<StatusCode>,
    headers: Option<HeaderMap>,
    body: Option<String>,
    retry_after: Option<Duration>,
    api: Option<ApiErrorBody>,
    denial: Option<Denial>,
    plan: Option<Box<PlannedWrite>>,
    plan_id: Option<String>,
    source: Option<BoxError>,
}

impl Error {
    /// An error of `kind` with a message describing this layer.
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                vendor: None,
                status: None,
                headers: None,
                body: None,
                retry_after: None,
                api: None,
                denial: None,
                plan: None,
                plan_id: None,
                source: None,
            }),
        }
    }

    /// An [`Unsupported`](ErrorKind::Unsupported) error for `vendor` with the reason.
    pub fn unsupported(vendor: Vendor, reason: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Unsupported, reason).with_vendor(vendor)
    }

    /// An [`InvalidInput`](ErrorKind::InvalidInput) error.
    pub fn invalid_input(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::InvalidInput, message)
    }

    /// A [`Config`](ErrorKind::Config) error.
    pub fn config(message: impl Into<Cow<'static, str>>) -> Self {
        Error::new(ErrorKind::Config, message)
    }

    /// A [`PermissionDenied`](ErrorKind::PermissionDenied) error carrying the denial.
    pub fn permission_denied(denial: Denial) -> Self {
        let mut e = Error::new(ErrorKind::PermissionDenied, denial.to_string());
        e.inner.denial = Some(denial);
        e
    }

    /// A [`DryRun`](ErrorKind::DryRun) error carrying the plan.
    pub fn dry_run(plan: PlannedWrite) -> Self {
        let mut e = Error::new(ErrorKind::DryRun, format!("planned {plan}"));
        e.inner.vendor = Some(plan.vendor);
        e.inner.plan = Some(Box::new(plan));
        e
    }

    /// An [`ApprovalDenied`](ErrorKind::ApprovalDenied) error carrying the plan
    /// that was refused and the approver's reason.
    pub fn approval_denied(plan: PlannedWrite, reason: impl fmt::Display) -> Self {
        let mut e = Error::new(ErrorKind::ApprovalDenied, format!("{plan}: {reason}"));
        e.inner.vendor = Some(plan.vendor);
        e.inner.plan = Some(Box::new(plan));
        e
    }

    /// An [`ApprovalPending`](ErrorKind::ApprovalPending) error: `plan` is
    /// stored as `plan_id` and waits for a technician's approval.
    pub fn approval_pending(plan: PlannedWrite, plan_id: impl Into<String>) -> Self {
        let plan_id = plan_id.into();
        let mut e = Error::new(
            ErrorKind::ApprovalPending,
            format!("{plan}: waiting for approval as plan {plan_id}"),
        );
        e.inner.vendor = Some(plan.vendor);
        e.inner.plan = Some(Box::new(plan));
        e.inner.plan_id = Some(plan_id);
        e
    }

    /// A [`Decode`](ErrorKind::Decode) error for a JSON body, naming the
    /// failing path (`tickets[3].customfields[0].value`) and keeping the body.
    pub fn decode_json(
        vendor: Option<Vendor>,
        what: &str,
        err: serde_path_to_error::Error<serde_json::Error>,
        body: &[u8],
    ) -> Self {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let at = if path.is_empty() || path == "." {
            String::new()
        } else {
            format!(" at `{path}`")
        };
        let mut e =
            Error::new(ErrorKind::Decode, format!("{what}{at}: {inner}")).with_source(inner);
        e.inner.vendor = vendor;
        e.with_body(body)
    }

    /// Sets the vendor.
    #[must_use]
    pub fn with_vendor(mut self, vendor: Vendor) -> Self {
        self.inner.vendor = Some(vendor);
        self
    }

    /// Sets the underlying cause, reached through `source()`.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    /// Records the HTTP status, headers (sensitive ones removed) and body of
    /// a failed response.
    #[must_use]
    pub fn with_http(mut self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        self.inner.status = Some(status);
        self.inner.headers = Some(redact_headers(headers));
        self.with_body(body)
    }

    /// Keeps the body that failed (a response body, a webhook body), cut at
    /// [`MAX_ERROR_BODY`] bytes.
    #[must_use]
    pub fn with_body(mut self, body: &[u8]) -> Self {
        self.inner.body = (!body.is_empty()).then(|| truncate_body(body));
        self
    }

    /// Sets how long to wait before retrying.
    #[must_use]
    pub fn with_retry_after(mut self, after: Duration) -> Self {
        self.inner.retry_after = Some(after);
        self
    }

    /// Attaches the vendor's parsed error body.
    #[must_use]
    pub fn with_api_body(mut self, body: ApiErrorBody) -> Self {
        self.inner.api = Some(body);
        self
    }

    /// Attaches the write this error concerns (an ambiguous write, a refused
    /// approval).
    #[must_use]
    pub fn with_plan(mut self, plan: PlannedWrite) -> Self {
        self.inner.plan = Some(Box::new(plan));
        self
    }

    /// This error with every encoding of the scrubber's secrets removed from
    /// everything it keeps that a server or a cause wrote: the message, the
    /// response body and headers, the vendor's parsed error body, and the
    /// cause (replaced by its scrubbed text when it mentions a secret). The
    /// kind, status and `retry_after` are unchanged.
    ///
    /// ```
    /// use psa_core::{Error, ErrorKind, secrets::Scrubber};
    /// let scrubber = Scrubber::new(["client secret+1"]);
    /// let e = Error::new(ErrorKind::Unauthorized, "refused client_secret=client+secret%2B1")
    ///     .with_body(br#"{"error_description":"bad secret client secret+1"}"#)
    ///     .scrubbed(&scrubber);
    /// assert_eq!(e.message(), "refused client_secret=[redacted]");
    /// assert_eq!(e.raw_body(), Some(r#"{"error_description":"bad secret [redacted]"}"#));
    /// ```
    #[must_use]
    pub fn scrubbed(mut self, scrubber: &crate::secrets::Scrubber) -> Self {
        use std::borrow::Cow as C;
        let inner = &mut *self.inner;
        if let C::Owned(m) = scrubber.scrub(&inner.message) {
            inner.message = C::Owned(m);
        }
        if let Some(body) = &inner.body {
            if let C::Owned(b) = scrubber.scrub(body) {
                inner.body = Some(b);
            }
        }
        if let Some(h) = &inner.headers {
            inner.headers = Some(scrubber.scrub_headers(h));
        }
        if let Some(api) = &mut inner.api {
            let scrub = |t: &mut String| {
                if let C::Owned(s) = scrubber.scrub(t) {
                    *t = s;
                }
            };
            let opt = |t: &mut Option<String>| {
                if let Some(t) = t {
                    scrub(t);
                }
            };
            opt(&mut api.message);
            opt(&mut api.code);
            for fe in &mut api.errors {
                scrub(&mut fe.message);
                opt(&mut fe.field);
                opt(&mut fe.code);
            }
        }
        if let Some(source) = &inner.source {
            let mut chain = source.to_string();
            let mut next = source.source();
            while let Some(cause) = next {
                chain.push_str(": ");
                chain.push_str(&cause.to_string());
                next = cause.source();
            }
            if scrubber.contains_secret(&chain) || scrubber.contains_secret(&format!("{source:?}"))
            {
                inner.source = Some(Box::new(ScrubbedCause(scrubber.scrub(&chain).into_owned())));
            }
        }
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// This layer's message, without the kind or the vendor.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The vendor involved, when one was.
    pub fn vendor(&self) -> Option<Vendor> {
        self.inner.vendor
    }

    /// The HTTP status of the vendor's response, when there was one.
    pub fn http_status(&self) -> Option<StatusCode> {
        self.inner.status
    }

    /// The headers of the vendor's failed response (`Authorization`,
    /// `Set-Cookie` and other sensitive headers removed).
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.inner.headers.as_ref()
    }

    /// The response body as text (at most [`MAX_ERROR_BODY`] bytes): the
    /// vendor's error body, an HTML error page, or the body that failed to decode.
    pub fn raw_body(&self) -> Option<&str> {
        self.inner.body.as_deref()
    }

    /// How long to wait before retrying, when the vendor or the limiter said.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }

    /// The vendor's parsed error body, when it parsed.
    pub fn api_body(&self) -> Option<&ApiErrorBody> {
        self.inner.api.as_ref()
    }

    /// The vendor's field-level errors (empty when none).
    pub fn field_errors(&self) -> &[FieldError] {
        self.inner.api.as_ref().map_or(&[], |a| a.errors.as_slice())
    }

    /// What a guard found missing, for a permission denial.
    pub fn denial(&self) -> Option<&Denial> {
        self.inner.denial.as_ref()
    }

    /// The planned write, for dry runs, refused approvals and ambiguous writes.
    pub fn plan(&self) -> Option<&PlannedWrite> {
        self.inner.plan.as_deref()
    }

    /// Whether the record or endpoint does not exist.
    pub fn is_not_found(&self) -> bool {
        self.kind() == ErrorKind::NotFound
    }
    /// Whether the call was rate limited (by the vendor or the SDK's limiter).
    pub fn is_rate_limited(&self) -> bool {
        self.kind() == ErrorKind::RateLimited
    }
    /// Whether an attempt or the deadline timed out.
    pub fn is_timeout(&self) -> bool {
        self.kind() == ErrorKind::Timeout
    }
    /// Whether the connection could not be made.
    pub fn is_connect(&self) -> bool {
        self.kind() == ErrorKind::Connect
    }
    /// Whether the vendor rejected the credentials.
    pub fn is_unauthorized(&self) -> bool {
        self.kind() == ErrorKind::Unauthorized
    }
    /// Whether the vendor forbade the call (HTTP 403).
    pub fn is_forbidden(&self) -> bool {
        self.kind() == ErrorKind::Forbidden
    }
    /// Whether the SDK's permission policy refused the call.
    pub fn is_permission_denied(&self) -> bool {
        self.kind() == ErrorKind::PermissionDenied
    }
    /// Whether an approver refused the write.
    pub fn is_approval_denied(&self) -> bool {
        self.kind() == ErrorKind::ApprovalDenied
    }
    /// Whether the write waits for a technician's approval.
    pub fn is_approval_pending(&self) -> bool {
        self.kind() == ErrorKind::ApprovalPending
    }
    /// The stored plan's id, for a write waiting for approval.
    pub fn plan_id(&self) -> Option<&str> {
        self.inner.plan_id.as_deref()
    }
    /// Whether the write was only planned (test mode).
    pub fn is_dry_run(&self) -> bool {
        self.kind() == ErrorKind::DryRun
    }
    /// Whether the vendor cannot do this.
    pub fn is_unsupported(&self) -> bool {
        self.kind() == ErrorKind::Unsupported
    }
    /// Whether a write's outcome is unknown.
    pub fn is_ambiguous_write(&self) -> bool {
        self.kind() == ErrorKind::AmbiguousWrite
    }
    /// Whether the caller's input was rejected.
    pub fn is_invalid_input(&self) -> bool {
        self.kind() == ErrorKind::InvalidInput
    }
    /// Whether a response could not be decoded.
    pub fn is_decode(&self) -> bool {
        self.kind() == ErrorKind::Decode
    }
    /// Whether a webhook delivery was rejected.
    pub fn is_webhook(&self) -> bool {
        self.kind() == ErrorKind::Webhook
    }
    /// Whether the client is misconfigured.
    pub fn is_config(&self) -> bool {
        self.kind() == ErrorKind::Config
    }

    /// Whether the same call may succeed if made again later, unchanged:
    /// rate limits, timeouts of reads, connection failures, 5xx. Ambiguous
    /// writes are *not* retryable without checking the PSA first.
    pub fn is_retryable(&self) -> bool {
        match self.kind() {
            ErrorKind::RateLimited
            | ErrorKind::Timeout
            | ErrorKind::Connect
            | ErrorKind::Transport => true,
            ErrorKind::Api => self.http_status().is_some_and(|s| s.is_server_error()),
            _ => false,
        }
    }
}

/// Decodes a JSON body into `T`; a failure is a
/// [`Decode`](ErrorKind::Decode) error naming the failing field and keeping
/// the body, as [`Error::decode_json`] words it.
///
/// Plain `serde_json` goes first; `serde_path_to_error` (15–30 % slower,
/// psa-benches `decode`) only re-reads a body that failed. Both passes
/// reject data after the JSON value, as `serde_json::from_slice` does.
///
/// ```
/// use psa_core::{Vendor, error::decode_slice};
/// #[derive(Debug, serde::Deserialize)]
/// struct Rec { id: i64 }
/// assert_eq!(decode_slice::<Rec>(None, "ticket", br#"{"id":1}"#)?.id, 1);
/// let err = decode_slice::<Rec>(Some(Vendor::Halo), "ticket", br#"{"id":1} junk"#).unwrap_err();
/// assert!(err.is_decode() && err.to_string().contains("trailing"));
/// # Ok::<(), psa_core::Error>(())
/// ```
///
/// # Errors
/// `Decode` when `body` is not JSON of the shape of `T`.
pub fn decode_slice<T: serde::de::DeserializeOwned>(
    vendor: Option<Vendor>,
    what: &str,
    body: &[u8],
) -> Result<T> {
    if let Ok(v) = serde_json::from_slice(body) {
        return Ok(v);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| Error::decode_json(vendor, what, e, body))?;
    de.end().map_err(|e| {
        let err = Error::new(
            ErrorKind::Decode,
            format!("{what}: trailing data after the JSON value: {e}"),
        )
        .with_source(e)
        .with_body(body);
        match vendor {
            Some(v) => err.with_vendor(v),
            None => err,
        }
    })?;
    Ok(value)
}

/// Decodes a record that is already a JSON value (a page item, a field of
/// an envelope) into `T`; a failure is a [`Decode`](ErrorKind::Decode)
/// error naming the failing field, as [`Error::decode_json`] words it.
///
/// Plain serde goes first: `serde_path_to_error` tracks the path of every
/// value it visits, which costs 15–30 % of decode time (psa-benches
/// `decode`), so it only re-reads a value that failed.
///
/// ```
/// use psa_core::{Vendor, error::decode_value};
/// let v = serde_json::json!({"id": "seven"});
/// #[derive(Debug, serde::Deserialize)]
/// struct Rec { id: i64 }
/// let err = decode_value::<Rec>(Some(Vendor::Halo), "ticket", &v).unwrap_err();
/// assert!(err.is_decode() && err.to_string().contains("`id`"));
/// ```
///
/// # Errors
/// `Decode` when `value` does not fit `T`.
pub fn decode_value<T: serde::de::DeserializeOwned>(
    vendor: Option<Vendor>,
    what: &str,
    value: &serde_json::Value,
) -> Result<T> {
    if let Ok(v) = T::deserialize(value) {
        return Ok(v);
    }
    serde_path_to_error::deserialize(value)
        .map_err(|e| Error::decode_json(vendor, what, e, value.to_string().as_bytes()))
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v) = self.inner.vendor {
            write!(f, "{v}: ")?;
        }
        f.write_str(self.inner.kind.describe())?;
        if let Some(status) = self.http_status() {
            write!(f, " (HTTP {})", status.as_u16())?;
        }
        if !self.inner.message.is_empty() {
            write!(f, ": {}", self.inner.message)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.inner.kind)
            .field("message", &self.inner.message);
        if let Some(v) = self.inner.vendor {
            d.field("vendor", &v);
        }
        if let Some(s) = self.http_status() {
            d.field("status", &s.as_u16());
        }
        if let Some(r) = self.inner.retry_after {
            d.field("retry_after", &r);
        }
        if let Some(a) = &self.inner.api {
            d.field("api", a);
        }
        if let Some(dn) = &self.inner.denial {
            d.field("denial", dn);
        }
        if let Some(p) = &self.inner.plan {
            d.field("plan", p);
        }
        if let Some(s) = &self.inner.source {
            d.field("source", s);
        }
        d.finish_non_exhaustive()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// A cause whose text mentioned a secret, kept as its scrubbed text.
#[derive(Debug)]
struct ScrubbedCause(String);

impl fmt::Display for ScrubbedCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for ScrubbedCause {}

/// Headers never kept in an error or a log line.
const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "clientid",
    "secret",
    "username",
    "apiintegrationcode",
    "x-api-key",
    "x-hook-signature",
    "x-content-signature",
];

/// Whether a header name carries a credential and must never be logged or
/// kept in an error: `Authorization`, cookies, the vendors' credential
/// headers, and any name with `token`, `secret`, `password` or
/// `signature` in it.
pub fn is_sensitive_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SENSITIVE_HEADERS.contains(&lower.as_str())
        || lower.contains("token")
        || lower.contains("secret")
        || lower.contains("password")
        || lower.contains("signature")
}

pub(crate) fn redact_headers(headers: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if !value.is_sensitive() && !is_sensitive_header(name.as_str()) {
            out.append(name.clone(), value.clone());
        }
    }
    out
}

fn truncate_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= MAX_ERROR_BODY {
        return text.into_owned();
    }
    let mut cut = MAX_ERROR_BODY;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}… [truncated, {} bytes in all]", &text[..cut], body.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn display_is_one_layer() {
        let io = std::io::Error::other("socket closed");
        let e = Error::new(ErrorKind::Transport, "sending GET /api/Tickets")
            .with_vendor(Vendor::Halo)
            .with_source(io);
        assert_eq!(
            e.to_string(),
            "halo: transport error: sending GET /api/Tickets"
        );
        assert_eq!(e.source().unwrap().to_string(), "socket closed");
    }

    #[test]
    fn http_details_drop_sensitive_headers() {
        let mut h = HeaderMap::new();
        h.insert("set-cookie", HeaderValue::from_static("glide_session=abc"));
        h.insert("x-request-id", HeaderValue::from_static("r1"));
        let e = Error::new(ErrorKind::Api, "bad request").with_http(
            StatusCode::BAD_REQUEST,
            &h,
            b"{\"message\":\"nope\"}",
        );
        assert_eq!(e.http_status(), Some(StatusCode::BAD_REQUEST));
        assert!(e.headers().unwrap().get("set-cookie").is_none());
        assert!(e.headers().unwrap().get("x-request-id").is_some());
        assert_eq!(e.raw_body(), Some("{\"message\":\"nope\"}"));
        assert_eq!(e.to_string(), "vendor error (HTTP 400): bad request");
    }

    #[test]
    fn decode_names_the_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            items: Vec<Item>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Item {
            id: i64,
        }
        let body = br#"{"items":[{"id":1},{"id":"x"}]}"#;
        let de = &mut serde_json::Deserializer::from_slice(body);
        let err = serde_path_to_error::deserialize::<_, T>(de).unwrap_err();
        let e = Error::decode_json(Some(Vendor::Halo), "tickets page", err, body);
        assert!(e.is_decode());
        assert!(e.to_string().contains("items[1].id"), "{e}");
        assert_eq!(e.http_status(), None);
        assert!(e.raw_body().is_some());
    }

    #[test]
    fn scrubbing_reaches_every_part_kept() {
        use crate::secrets::Scrubber;
        let scrubber = Scrubber::new(["hunter2/secret"]);
        let mut h = HeaderMap::new();
        h.insert(
            "x-echo",
            HeaderValue::from_static("client_secret=hunter2%2Fsecret"),
        );
        h.insert("x-request-id", HeaderValue::from_static("r1"));
        let cause = std::io::Error::other("proxy said hunter2\\/secret");
        let e = Error::new(ErrorKind::Api, "bad hunter2/secret")
            .with_http(StatusCode::BAD_REQUEST, &h, b"aHVudGVyMi9zZWNyZXQ=")
            .with_api_body(ApiErrorBody::new(
                Some("was hunter2/secret".into()),
                None,
                vec![FieldError::new(
                    Some("client_secret".into()),
                    None,
                    "hunter2/secret is wrong",
                )],
            ))
            .with_retry_after(Duration::from_secs(3))
            .with_source(cause)
            .scrubbed(&scrubber);
        let everything = format!(
            "{e} {e:?} {:?} {:?} {:?} {}",
            e.raw_body(),
            e.headers(),
            e.api_body(),
            e.source().unwrap()
        );
        assert!(!scrubber.contains_secret(&everything), "{everything}");
        assert!(!everything.contains("hunter2"), "{everything}");
        assert_eq!(e.headers().unwrap()["x-request-id"], "r1");
        assert_eq!(e.http_status(), Some(StatusCode::BAD_REQUEST));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
        assert_eq!(e.field_errors()[0].field.as_deref(), Some("client_secret"));
        // A cause that mentions no secret keeps its type.
        let io = Error::new(ErrorKind::Transport, "x")
            .with_source(std::io::Error::other("reset"))
            .scrubbed(&scrubber);
        assert!(
            io.source()
                .unwrap()
                .downcast_ref::<std::io::Error>()
                .is_some()
        );
    }

    #[test]
    fn long_bodies_are_truncated() {
        let body = "é".repeat(MAX_ERROR_BODY);
        let e = Error::new(ErrorKind::Api, "x").with_http(
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            body.as_bytes(),
        );
        assert!(e.raw_body().unwrap().ends_with("bytes in all]"));
    }
}
