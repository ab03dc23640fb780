//! Autotask's error body (`{"errors": ["…", …]}`) as psa-core's
//! [`ApiErrorBody`], and the classifier of the answers whose meaning the
//! status does not carry: the thread threshold (`Itgenatr005`, sent with a
//! 500) and the spent hourly request budget are rate limits whatever their
//! status.

use std::sync::Arc;

use http::StatusCode;
use psa_core::http::{Classifier, ErrorParser};
use psa_core::{ApiErrorBody, ErrorKind, FieldError};

/// The parser of Autotask's error bodies, as `psa_core::http` takes it:
/// `{"errors": ["…", …]}` (strings, or objects with a `message`), with an
/// optional `message`. The first error is the message when there is no
/// other; a body in any other shape (an HTML page from a gateway) gives
/// `None`, and the raw text stays on the error.
///
/// ```
/// use http::{HeaderMap, StatusCode};
///
/// let parse = psa_autotask::error_parser();
/// let body = br#"{"errors":["Missing Required Field(s): queueID"]}"#;
/// let parsed = parse(StatusCode::INTERNAL_SERVER_ERROR, &HeaderMap::new(), body).unwrap();
/// assert_eq!(parsed.message.as_deref(), Some("Missing Required Field(s): queueID"));
/// assert!(parse(StatusCode::BAD_GATEWAY, &HeaderMap::new(), b"<html>502</html>").is_none());
/// ```
pub fn error_parser() -> ErrorParser {
    Arc::new(|_status, _headers, body| parse_error_body(body))
}

/// The hook that gives Autotask's rate-limit answers the `RateLimited` kind
/// (see [`classify`]).
pub(crate) fn classifier() -> Classifier {
    Arc::new(|status, _headers, body| classify(status, body))
}

/// Autotask's error body, `{"errors": ["…", …]}`, as the core's parsed body.
pub(crate) fn parse_error_body(body: &[u8]) -> Option<ApiErrorBody> {
    #[derive(serde::Deserialize)]
    struct Body {
        #[serde(default)]
        errors: Vec<serde_json::Value>,
        #[serde(default, alias = "Message")]
        message: Option<String>,
    }
    let b: Body = serde_json::from_slice(body).ok()?;
    let errors: Vec<FieldError> = b
        .errors
        .into_iter()
        .filter_map(|e| match e {
            serde_json::Value::String(s) => Some(FieldError::new(None, None, s)),
            serde_json::Value::Object(o) => o
                .get("message")
                .and_then(serde_json::Value::as_str)
                .map(|m| FieldError::new(None, None, m)),
            _ => None,
        })
        .collect();
    if errors.is_empty() && b.message.is_none() {
        return None;
    }
    let message = b
        .message
        .or_else(|| errors.first().map(|e| e.message.clone()));
    Some(ApiErrorBody::new(message, None, errors))
}

/// Whether an error body is Autotask's thread-threshold rejection
/// (`Itgenatr005`, "thread threshold … exceeded"), whatever its status.
pub(crate) fn is_thread_threshold(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("itgenatr005")
        || (lower.contains("thread threshold") && lower.contains("exceeded"))
        || lower.contains("thread limit")
}

/// Whether an error body says the database's request threshold is spent.
pub(crate) fn is_request_threshold(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("threshold") && lower.contains("exceeded") && lower.contains("request")
}

/// The error kind Autotask's answer deserves when the status alone would
/// say something else: the thread threshold and the spent hourly budget
/// are rate limits whatever their status.
pub(crate) fn classify(status: StatusCode, body: &[u8]) -> Option<ErrorKind> {
    if status.is_success() {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    if is_thread_threshold(&text) || is_request_threshold(&text) {
        return Some(ErrorKind::RateLimited);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_and_thread_threshold() {
        let body = br#"{"errors":["Value 99 is not valid for field priority.","Missing Required Field(s): queueID"]}"#;
        let parsed = parse_error_body(body).unwrap();
        assert_eq!(parsed.errors.len(), 2);
        assert_eq!(
            parsed.message.as_deref(),
            Some("Value 99 is not valid for field priority.")
        );
        assert!(parse_error_body(b"<html>502</html>").is_none());
        let thread = br#"{"errors":["Thread Threshold Exceeded: The Autotask API thread threshold of 3 threads has been exceeded. (Itgenatr005)"]}"#;
        assert_eq!(
            classify(StatusCode::INTERNAL_SERVER_ERROR, thread),
            Some(ErrorKind::RateLimited)
        );
        assert_eq!(classify(StatusCode::INTERNAL_SERVER_ERROR, body), None);
        assert_eq!(classify(StatusCode::OK, thread), None);
        let hourly = br#"{"errors":["API request threshold of 10000 requests per 60 minutes exceeded for this database; try again later."]}"#;
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, hourly),
            Some(ErrorKind::RateLimited)
        );
        let classify_hook = classifier();
        assert_eq!(
            classify_hook(
                StatusCode::INTERNAL_SERVER_ERROR,
                &http::HeaderMap::new(),
                thread
            ),
            Some(ErrorKind::RateLimited)
        );
    }

    #[test]
    fn object_errors_and_a_message_field() {
        let parsed =
            parse_error_body(br#"{"errors":[{"message":"bad field"}],"Message":"outer"}"#).unwrap();
        assert_eq!(parsed.message.as_deref(), Some("outer"));
        assert_eq!(parsed.errors[0].message, "bad field");
        assert!(parse_error_body(br#"{"errors":[]}"#).is_none());
    }
}
