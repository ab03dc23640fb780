//! [`Get`] and [`Delete`]: one record, by its path.

use http::Method;
use psa_core::Result;
use psa_core::http::ApiRequest;
use serde::de::DeserializeOwned;
use std::fmt;
use std::marker::PhantomData;

use super::Call;
use crate::client::Client;
use crate::models::Text;

/// Reads one record (`GET {resource}/{id}`): idempotent, so retried on a
/// timeout or a 5xx.
#[must_use = "a read does nothing until sent"]
pub struct Get<'a, T> {
    client: &'a Client,
    pub(super) call: Call,
    what: &'static str,
    _t: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Get<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Get")
            .field("call", &self.call)
            .finish_non_exhaustive()
    }
}

impl<'a, T: DeserializeOwned> Get<'a, T> {
    /// A read of `path` (or of nothing, failing with the path's error);
    /// `what` names the record in a decode error.
    pub(crate) fn new(client: &'a Client, what: &'static str, path: Result<String>) -> Self {
        Get {
            client,
            call: Call::new(Method::GET, path),
            what,
            _t: PhantomData,
        }
    }

    pub(crate) fn push(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.call.params.set(key, value);
        self
    }

    /// Adds any other query parameter of Halo's API (the value is
    /// URL-encoded; it cannot add parameters).
    pub fn param(mut self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.call.params.set(key.into(), value);
        self
    }

    /// The request [`send`](Self::send) sends, built without IO.
    ///
    /// # Errors
    /// `InvalidInput` for an invalid id or parameter.
    pub fn request(&self) -> Result<ApiRequest> {
        self.call.request()
    }

    /// Fetches the record.
    ///
    /// # Errors
    /// `InvalidInput` before any request; the HTTP client's errors; a
    /// `Decode` error naming the failing field.
    pub async fn send(self) -> Result<T> {
        let req = self.request()?;
        self.client.send_json(req, self.what).await
    }

    /// Fetches the record as the JSON text Halo sent, undecoded (what the
    /// uniform `get_ticket` keeps as the ticket's `raw`).
    ///
    /// # Errors
    /// As [`send`](Self::send), except that nothing is decoded.
    pub async fn send_text(self) -> Result<Text<T>> {
        let req = self.request()?;
        Ok(Text::new(self.client.send(req).await?.body))
    }
}

/// Deletes one record (`DELETE {resource}/{id}`): idempotent (deleting a
/// deleted record changes nothing), so retried on a timeout or a 5xx.
#[must_use = "a delete does nothing until sent"]
#[derive(Debug)]
pub struct Delete<'a> {
    client: &'a Client,
    pub(super) call: Call,
}

impl<'a> Delete<'a> {
    /// A delete of `path` (or of nothing, failing with the path's error).
    pub(crate) fn new(client: &'a Client, path: Result<String>) -> Self {
        Delete {
            client,
            call: Call::new(Method::DELETE, path),
        }
    }

    pub(crate) fn push(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.call.params.set(key, value);
        self
    }

    /// The request [`send`](Self::send) sends, built without IO.
    ///
    /// # Errors
    /// `InvalidInput` for an invalid id.
    pub fn request(&self) -> Result<ApiRequest> {
        self.call.request()
    }

    /// Deletes.
    ///
    /// # Errors
    /// `InvalidInput` before any request; the HTTP client's errors.
    pub async fn send(self) -> Result<()> {
        let req = self.request()?;
        self.client.send_empty(req).await
    }
}
