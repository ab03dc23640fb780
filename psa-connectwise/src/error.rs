//! ConnectWise's error bodies → [`psa_core::ApiErrorBody`].
//!
//! A failed call answers with `ErrorResponseMessage`:
//! `{"code": "InvalidObject", "message": "ticket object is invalid",
//! "errors": [{"code": "InvalidField", "message": "…", "resource": "ticket",
//! "field": "summary"}]}`. The field errors are kept. Anything else (an HTML
//! page from Cloudflare, an empty 502) does not parse and the HTTP layer keeps
//! it as text.

use http::{HeaderMap, StatusCode};
use psa_core::http::ErrorParser;
use psa_core::{ApiErrorBody, FieldError};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::models::Extra;

/// ConnectWise's error body (`ErrorResponseMessage`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorResponse {
    /// The error code (`InvalidObject`, `NotFound`, `Unauthorized`,
    /// `InvalidFilter`, `ConnectWiseApi` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Field-level errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ValidationError>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ErrorResponse {
    /// An error body with a code and a message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorResponse {
            code: Some(code.into()),
            message: Some(message.into()),
            errors: Vec::new(),
            extra: Extra::new(),
        }
    }

    /// Adds a field error.
    #[must_use]
    pub fn with_error(mut self, error: ValidationError) -> Self {
        self.errors.push(error);
        self
    }
}

/// One entry of `errors[]` (`ValidationError`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ValidationError {
    /// The error code (`InvalidField`, `ObjectExists`, `Required` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The record kind (`ticket`, `company` …); the raw body keeps it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// More detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

impl ValidationError {
    /// A field error.
    pub fn new(
        code: impl Into<String>,
        resource: impl Into<String>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ValidationError {
            code: Some(code.into()),
            message: Some(message.into()),
            resource: Some(resource.into()),
            field: Some(field.into()),
            details: None,
        }
    }
}

/// ConnectWise's error bodies, for the HTTP client's error-parser hook
/// ([`parse_error_body`] whatever the status).
pub fn error_parser() -> ErrorParser {
    Arc::new(|_status: StatusCode, _headers: &HeaderMap, body: &[u8]| parse_error_body(body))
}

/// Parses a ConnectWise error body; `None` when it is not one (the caller
/// keeps the raw text).
///
/// ```
/// use psa_connectwise::error::parse_error_body;
/// let b = parse_error_body(br#"{"code":"InvalidObject","message":"ticket object is invalid","errors":[{"code":"InvalidField","message":"The summary field is required.","resource":"ticket","field":"summary"}]}"#).unwrap();
/// assert_eq!(b.code.as_deref(), Some("InvalidObject"));
/// assert_eq!(b.errors[0].field.as_deref(), Some("summary"));
/// assert!(parse_error_body(b"<html>error code: 1015</html>").is_none());
/// ```
pub fn parse_error_body(body: &[u8]) -> Option<ApiErrorBody> {
    let parsed: ErrorResponse = serde_json::from_slice(body).ok()?;
    if parsed.code.is_none() && parsed.message.is_none() && parsed.errors.is_empty() {
        return None;
    }
    let errors = parsed
        .errors
        .into_iter()
        .map(|e| {
            let message = match (e.message, e.details) {
                (Some(m), Some(d)) if !d.is_empty() => format!("{m} ({d})"),
                (Some(m), _) => m,
                (None, Some(d)) => d,
                (None, None) => String::new(),
            };
            FieldError::new(e.field, e.code, message)
        })
        .collect();
    Some(ApiErrorBody::new(parsed.message, parsed.code, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_are_kept() {
        let body = br#"{"code":"InvalidObject","message":"company object is invalid","errors":[{"code":"ObjectExists","message":"The identifier is already in use.","resource":"company","field":"identifier"}]}"#;
        let b = parse_error_body(body).unwrap();
        assert_eq!(b.message.as_deref(), Some("company object is invalid"));
        assert_eq!(b.errors.len(), 1);
        assert_eq!(b.errors[0].field.as_deref(), Some("identifier"));
        assert_eq!(b.errors[0].code.as_deref(), Some("ObjectExists"));
    }

    #[test]
    fn non_errors_do_not_parse() {
        assert!(parse_error_body(b"").is_none());
        assert!(parse_error_body(b"{}").is_none());
        assert!(parse_error_body(b"[1,2]").is_none());
        assert!(parse_error_body(b"<html>").is_none());
    }
}
