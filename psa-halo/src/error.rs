//! Halo's error bodies → [`ApiErrorBody`].
//!
//! Halo's errors are not uniform. Seen in the wild (and handled by
//! homotechsual/HaloAPI's `New-HaloError`):
//!
//! - `{"resultCode": 1, "errorMessage": "…"}`
//! - .NET exceptions: `{"ClassName": "System.Exception", "Message": "…"}`
//! - ASP.NET: `{"Message": "…"}` (404 for unknown routes)
//! - OAuth (token endpoint): `{"error": "invalid_client", "error_description": "…"}`
//! - plain text: `Rate Limit Reached - 300 Requests per rolling 5 minute window`
//! - an HTML page from a proxy, or nothing at all.
//!
//! [`parse_error_body`] turns whichever it gets into a message and a code;
//! it never fails, and leaves the raw body to the error itself.
//! [`error_parser`] hands it to the HTTP client, and the classifier reads
//! Halo's rate-limit text as a rate limit whatever status carries it.

use psa_core::http::{Classifier, ErrorParser};
use psa_core::{ApiErrorBody, ErrorKind, FieldError};
use serde_json::Value;
use std::sync::Arc;

/// Halo's error bodies, for the HTTP client's error-parser hook (see
/// [`parse_error_body`]).
pub fn error_parser() -> ErrorParser {
    Arc::new(|_status, _headers, body| parse_error_body(body))
}

/// Halo's rate-limit text is a rate limit whatever status carries it (a
/// proxy in front of an on-premises instance may turn the 429 into
/// something else).
pub(crate) fn classifier() -> Classifier {
    Arc::new(|status, _headers, body| {
        if status.is_success() || status.as_u16() == 429 {
            return None;
        }
        let head = &body[..body.len().min(64)];
        let text = String::from_utf8_lossy(head);
        text.trim_start()
            .to_ascii_lowercase()
            .starts_with("rate limit reached")
            .then_some(ErrorKind::RateLimited)
    })
}

/// The longest plain-text body used as a message (longer text is an HTML
/// page or a stack trace, kept only as the raw body).
const MAX_TEXT_MESSAGE: usize = 300;

/// Parses a Halo error body. Returns `None` when there is nothing useful in
/// it (empty, HTML, binary).
///
/// ```
/// use psa_halo::parse_error_body;
/// let b = parse_error_body(br#"{"ClassName":"System.Exception","Message":"Ticket 9 not found"}"#).unwrap();
/// assert_eq!(b.message.as_deref(), Some("Ticket 9 not found"));
/// assert_eq!(b.code.as_deref(), Some("System.Exception"));
///
/// let t = parse_error_body(b"Rate Limit Reached - 300 Requests per rolling 5 minute window").unwrap();
/// assert!(t.message.unwrap().starts_with("Rate Limit Reached"));
/// assert!(parse_error_body(b"<html><body>502</body></html>").is_none());
/// ```
pub fn parse_error_body(body: &[u8]) -> Option<ApiErrorBody> {
    let text = std::str::from_utf8(body).ok()?.trim();
    if text.is_empty() {
        return None;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => {
            let s = |k: &str| {
                map.iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(k))
                    .and_then(|(_, v)| match v {
                        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
            };
            let (message, code) = if let Some(m) = s("errorMessage") {
                (Some(m), s("resultCode"))
            } else if let Some(m) = s("error_description") {
                (Some(m), s("error"))
            } else if let Some(m) = s("Message") {
                (Some(m), s("ClassName"))
            } else if let Some(e) = s("error") {
                (Some(e.clone()), Some(e))
            } else {
                (None, None)
            };
            let errors = field_errors(&map);
            (message.is_some() || code.is_some() || !errors.is_empty())
                .then(|| ApiErrorBody::new(message, code, errors))
        }
        Ok(Value::String(s)) if !s.trim().is_empty() => Some(ApiErrorBody::new(
            Some(s.trim().to_owned()),
            None,
            Vec::new(),
        )),
        Ok(_) => None,
        Err(_) => {
            let looks_like_markup = text.starts_with('<');
            (!looks_like_markup && text.chars().count() <= MAX_TEXT_MESSAGE && !text.contains('\0'))
                .then(|| ApiErrorBody::new(Some(text.to_owned()), None, Vec::new()))
        }
    }
}

/// ASP.NET model-state errors: `{"ModelState": {"field": ["message", …]}}`.
fn field_errors(map: &serde_json::Map<String, Value>) -> Vec<FieldError> {
    let Some(Value::Object(state)) = map
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("ModelState"))
        .map(|(_, v)| v)
    else {
        return Vec::new();
    };
    state
        .iter()
        .flat_map(|(field, msgs)| {
            let field = field.clone();
            msgs.as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(move |m| FieldError::new(Some(field.clone()), None, m))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_parses() {
        let cases: [(&[u8], Option<&str>, Option<&str>); 8] = [
            (br#"{"resultCode":3,"errorMessage":"Invalid client"}"#, Some("Invalid client"), Some("3")),
            (br#"{"ClassName":"System.ArgumentException","Message":"Bad id"}"#, Some("Bad id"), Some("System.ArgumentException")),
            (br#"{"Message":"No HTTP resource was found"}"#, Some("No HTTP resource was found"), None),
            (br#"{"error":"invalid_client","error_description":"The specified client credentials are invalid."}"#, Some("The specified client credentials are invalid."), Some("invalid_client")),
            (br#"{"error":"invalid_grant"}"#, Some("invalid_grant"), Some("invalid_grant")),
            (b"Rate Limit Reached - 300 Requests per rolling 5 minute window", Some("Rate Limit Reached - 300 Requests per rolling 5 minute window"), None),
            (br#""Ticket not found""#, Some("Ticket not found"), None),
            (br#"{"message":"lower-case key"}"#, Some("lower-case key"), None),
        ];
        for (body, message, code) in cases {
            let b = parse_error_body(body).unwrap_or_else(|| panic!("{body:?}"));
            assert_eq!(b.message.as_deref(), message);
            assert_eq!(b.code.as_deref(), code);
        }
    }

    #[test]
    fn junk_is_none() {
        for body in [
            &b""[..],
            b"   ",
            b"<!DOCTYPE html><html>502 Bad Gateway</html>",
            b"{}",
            b"[]",
            b"\xff\xfe",
        ] {
            assert!(parse_error_body(body).is_none(), "{body:?}");
        }
    }

    #[test]
    fn model_state_gives_field_errors() {
        let b = parse_error_body(
            br#"{"Message":"The request is invalid.","ModelState":{"summary":["Please enter a summary"]}}"#,
        )
        .unwrap();
        assert_eq!(b.errors.len(), 1);
        assert_eq!(b.errors[0].field.as_deref(), Some("summary"));
    }

    #[test]
    fn rate_limit_text_is_a_rate_limit() {
        let c = classifier();
        let h = http::HeaderMap::new();
        let body = b"Rate Limit Reached - 300 Requests per rolling 5 minute window";
        assert_eq!(
            c(http::StatusCode::FORBIDDEN, &h, body),
            Some(ErrorKind::RateLimited)
        );
        assert_eq!(c(http::StatusCode::FORBIDDEN, &h, b"{}"), None);
        assert_eq!(c(http::StatusCode::OK, &h, body), None);
    }
}
