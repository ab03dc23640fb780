//! [`RawOp`]: a request to any endpoint of Halo's API.

use http::Method;
use psa_core::http::ApiRequest;
use psa_core::{RawRequest, RawResponse, Result};
use serde::de::DeserializeOwned;
use std::fmt;

use super::Call;
use crate::client::Client;

/// A request to any endpoint ([`Client::raw`]): `GET` and `DELETE`
/// idempotent, `POST` not (Halo's `POST` creates or updates).
#[must_use = "a request does nothing until sent"]
#[derive(Debug)]
pub struct RawOp<'a> {
    client: &'a Client,
    pub(super) call: Call,
}

impl<'a> RawOp<'a> {
    /// A request for `path`, relative to the resource server: absolute
    /// URLs, `..` and query strings in the path fail when it is built.
    pub(crate) fn new(
        client: &'a Client,
        method: Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Self {
        let path = path.trim_start_matches('/');
        let check = RawRequest::new(method.clone(), path);
        let call = Call::new(method, check.validate().map(|()| path.to_owned()));
        RawOp {
            client,
            call: match body {
                Some(b) => call.with_body(b),
                None => call,
            },
        }
    }

    /// Adds a query pair (URL-encoded when sent).
    pub fn query(mut self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.call.params.set(key.into(), value);
        self
    }

    /// The request [`send`](Self::send) sends, built without IO.
    ///
    /// # Errors
    /// `InvalidInput` for a path that is not relative to the resource
    /// server.
    pub fn request(&self) -> Result<ApiRequest> {
        self.call.request()
    }

    /// Sends it; the response as it came (credential headers removed).
    ///
    /// # Errors
    /// `InvalidInput` before any request; the HTTP client's errors.
    pub async fn send(self) -> Result<RawResponse> {
        let req = self.request()?;
        self.client.send_raw(req).await
    }

    /// Sends it and decodes the JSON response, naming the failing field.
    ///
    /// # Errors
    /// As [`send`](Self::send), and a `Decode` error naming the field.
    pub async fn json<T: DeserializeOwned>(self) -> Result<T> {
        let req = self.request()?;
        self.client.send_json(req, "raw response").await
    }
}
