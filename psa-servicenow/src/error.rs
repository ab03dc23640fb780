//! ServiceNow's error bodies → [`psa_core::ApiErrorBody`].
//!
//! The REST APIs answer a failure with
//! `{"error": {"message": "…", "detail": "…"}, "status": "failure"}` —
//! `detail` may be a string, `""`, `null`, or text holding more JSON. The
//! OAuth endpoint (`/oauth_token.do`) answers bad credentials with
//! `{"error_description": "access_denied", "error": "server_error"}`.
//! Anything else (an HTML page from a proxy, an empty 502) does not parse
//! and is kept as text by the HTTP layer.
//!
//! ServiceNow gives no non-2xx status a meaning of its own beyond HTTP's, so
//! the crate has no classifier: [`error_parser`] is all the client needs.

use std::sync::Arc;

use psa_core::http::ErrorParser;
use psa_core::{ApiErrorBody, FieldError};
use serde::{Deserialize, Serialize};

/// The Table API's error envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorEnvelope {
    /// The error.
    pub error: ErrorDetail,
    /// `"failure"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// The `error` object of an [`ErrorEnvelope`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// What went wrong (`"Invalid table sys_user_groups"`).
    #[serde(default)]
    pub message: Option<String>,
    /// More detail: a string, `""`, `null`, or text holding JSON.
    #[serde(default)]
    pub detail: Option<serde_json::Value>,
}

/// The OAuth endpoint's error body.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct OAuthError {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// ServiceNow's error bodies as the HTTP client's error parser: every
/// failed answer's body goes through [`parse_error_body`], so that
/// [`Error::api_body`](psa_core::Error::api_body) holds ServiceNow's message,
/// `status` and `detail`.
///
/// ```
/// use http::{HeaderMap, StatusCode};
/// let parse = psa_servicenow::error_parser();
/// let body = parse(
///     StatusCode::NOT_FOUND,
///     &HeaderMap::new(),
///     br#"{"error":{"message":"No Record found","detail":"Record doesn't exist"},"status":"failure"}"#,
/// )
/// .unwrap();
/// assert_eq!(body.message.as_deref(), Some("No Record found"));
/// ```
pub fn error_parser() -> ErrorParser {
    Arc::new(|_status, _headers, body| parse_error_body(body))
}

/// Parses a ServiceNow error body; `None` when it is not one (the caller
/// keeps the raw text).
///
/// ```
/// use psa_servicenow::error::parse_error_body;
/// let b = parse_error_body(br#"{"error":{"message":"Invalid table sys_user_groups","detail":null},"status":"failure"}"#).unwrap();
/// assert_eq!(b.message.as_deref(), Some("Invalid table sys_user_groups"));
/// assert!(b.errors.is_empty());
/// assert!(parse_error_body(b"<html>502 Bad Gateway</html>").is_none());
/// ```
pub fn parse_error_body(body: &[u8]) -> Option<ApiErrorBody> {
    if let Ok(env) = serde_json::from_slice::<ErrorEnvelope>(body) {
        let errors = detail_text(env.error.detail.as_ref())
            .map(|d| vec![FieldError::new(None, None, d)])
            .unwrap_or_default();
        return Some(ApiErrorBody::new(env.error.message, env.status, errors));
    }
    if let Ok(oauth) = serde_json::from_slice::<OAuthError>(body) {
        return Some(ApiErrorBody::new(
            oauth
                .error_description
                .or_else(|| Some(oauth.error.clone())),
            Some(oauth.error),
            Vec::new(),
        ));
    }
    None
}

/// The text of `detail`, when there is any: strings as they are, other JSON
/// (an object some scripted APIs send) as compact JSON.
fn detail_text(detail: Option<&serde_json::Value>) -> Option<String> {
    match detail? {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) if s.trim().is_empty() => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Whether an error body says the table does not exist (`Invalid table x`),
/// which is how an instance without a plugin's tables answers.
pub(crate) fn is_invalid_table(body: &ApiErrorBody) -> bool {
    body.message
        .as_deref()
        .is_some_and(|m| m.starts_with("Invalid table"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        let raw = std::fs::read_to_string(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
        serde_json::to_vec(&v["response"]["body"]).unwrap()
    }

    #[test]
    fn recorded_error_bodies_parse() {
        let b = parse_error_body(&sample("error_400_invalid_table.json")).unwrap();
        assert_eq!(b.message.as_deref(), Some("Invalid table sys_user_groups"));
        assert_eq!(b.code.as_deref(), Some("failure"));
        assert!(b.errors.is_empty());
        assert!(is_invalid_table(&b));

        let b = parse_error_body(&sample("error_401_not_authenticated.json")).unwrap();
        assert_eq!(b.message.as_deref(), Some("User Not Authenticated"));
        assert_eq!(b.errors[0].message, "Required to provide Auth information");

        let b = parse_error_body(&sample("error_404_change_not_found.json")).unwrap();
        assert_eq!(b.message.as_deref(), Some("Change Request not found"));
        assert!(b.errors.is_empty(), "an empty detail is no field error");
    }

    #[test]
    fn detail_may_hold_json_and_oauth_errors_parse() {
        let b = parse_error_body(
            br#"{"error":{"message":"Operation Failed","detail":"{\"field\":\"state\",\"reason\":\"Data Policy Exception\"}"},"status":"failure"}"#,
        )
        .unwrap();
        assert!(b.errors[0].message.contains("Data Policy Exception"));
        let b = parse_error_body(br#"{"error":{"message":"x","detail":{"a":1}}}"#).unwrap();
        assert_eq!(b.errors[0].message, r#"{"a":1}"#);

        let b =
            parse_error_body(br#"{"error_description":"access_denied","error":"server_error"}"#)
                .unwrap();
        assert_eq!(b.message.as_deref(), Some("access_denied"));
        assert_eq!(b.code.as_deref(), Some("server_error"));
        assert!(parse_error_body(b"").is_none());
    }
}
