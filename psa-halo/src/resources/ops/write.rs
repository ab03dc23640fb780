//! [`Create`] and [`Update`]: Halo's `POST` of a JSON array.
//!
//! Halo has one write endpoint per resource: `POST /{resource}` with an
//! array of records. A record without an `id` is created; a record with one
//! is updated (only the fields it carries change). The two operations say
//! which the caller means, and refuse a record that would do the other.
//! Neither is retried when its outcome is unknown (a timeout, a 5xx, a
//! dropped connection): the same `POST` that updates also creates, so the
//! call fails with an [`AmbiguousWrite`](psa_core::ErrorKind::AmbiguousWrite)
//! error instead (a 429 is still retried: Halo refused it unprocessed).

use psa_core::http::{ApiRequest, RequestOptions};
use psa_core::{Error, Result};
use std::fmt;

use crate::client::Client;
use crate::models::Writable;

/// Creates records: `POST {resource}` with records that carry no id.
#[must_use = "a create does nothing until sent"]
pub struct Create<'a, T> {
    pub(super) post: Post<'a, T>,
}

/// Updates records: `POST {resource}` with records that carry their id and
/// only the fields to change.
#[must_use = "an update does nothing until sent"]
pub struct Update<'a, T> {
    pub(super) post: Post<'a, T>,
}

/// What [`Create`] and [`Update`] share: the records, where they go, and the
/// per-call options.
pub(super) struct Post<'a, T> {
    client: &'a Client,
    path: &'static str,
    /// The record's name in errors ("ticket").
    record: &'static str,
    records: Vec<T>,
    update: bool,
    pub(super) options: RequestOptions,
}

impl<T: fmt::Debug> fmt::Debug for Post<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(if self.update { "Update" } else { "Create" })
            .field("path", &self.path)
            .field("records", &self.records)
            .finish_non_exhaustive()
    }
}

impl<T: fmt::Debug> fmt::Debug for Create<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.post.fmt(f)
    }
}

impl<T: fmt::Debug> fmt::Debug for Update<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.post.fmt(f)
    }
}

impl<'a, T: Writable> Post<'a, T> {
    fn new(
        client: &'a Client,
        (path, record): (&'static str, &'static str),
        records: impl IntoIterator<Item = T>,
        update: bool,
    ) -> Self {
        Post {
            client,
            path,
            record,
            records: records.into_iter().collect(),
            update,
            options: RequestOptions::default(),
        }
    }

    fn verb(&self) -> &'static str {
        if self.update { "update" } else { "create" }
    }

    /// `POST` of the records as a JSON array, not idempotent (unless the
    /// per-call options say otherwise).
    fn request(&self) -> Result<ApiRequest> {
        let (record, verb) = (self.record, self.verb());
        if self.records.is_empty() {
            return Err(Error::invalid_input(format!(
                "halo {record} {verb} has no records"
            )));
        }
        for (i, r) in self.records.iter().enumerate() {
            match (self.update, r.check_ids(record)?) {
                (true, false) => {
                    return Err(Error::invalid_input(format!(
                        "halo {record} update: record {i} has no id (a record without one is created)"
                    )));
                }
                (false, true) => {
                    return Err(Error::invalid_input(format!(
                        "halo {record} create: record {i} has an id (a record with one is updated)"
                    )));
                }
                _ => {}
            }
        }
        let req = ApiRequest::post(self.path)
            .json(&self.records)?
            .idempotent(false);
        Ok(self.options.apply(req))
    }

    /// Sends the records; the records as Halo saved them (Halo answers one
    /// record with the record, several with an array).
    async fn send(self) -> Result<Vec<T>> {
        let req = self.request()?;
        let what = format!("{} {} response", self.record, self.verb());
        let value: serde_json::Value = self.client.send_json(req, &what).await?;
        if value.is_array() {
            crate::transport::decode_value::<Vec<T>>(&value, &what)
        } else {
            crate::transport::decode_value::<T>(&value, &what).map(|t| vec![t])
        }
    }
}

impl<'a, T: Writable> Create<'a, T> {
    /// A create of `records` at `path`; `record` names them in errors.
    pub(crate) fn new(
        client: &'a Client,
        target: (&'static str, &'static str),
        records: impl IntoIterator<Item = T>,
    ) -> Self {
        let post = Post::new(client, target, records, false);
        Create { post }
    }

    /// The request [`send`](Self::send) sends, built without IO: `POST` of
    /// the records as a JSON array, not idempotent.
    ///
    /// # Errors
    /// `InvalidInput` when there are no records, a record carries an id, or
    /// an id it refers to is invalid.
    pub fn request(&self) -> Result<ApiRequest> {
        self.post.request()
    }

    /// Creates the records; returns them as Halo saved them (with their
    /// ids).
    ///
    /// # Errors
    /// `InvalidInput` before any request; the HTTP client's errors
    /// (`AmbiguousWrite` when the outcome is unknown); a `Decode` error
    /// naming the failing field of the answer.
    pub async fn send(self) -> Result<Vec<T>> {
        self.post.send().await
    }
}

impl<'a, T: Writable> Update<'a, T> {
    /// An update of `records` at `path`; `record` names them in errors.
    pub(crate) fn new(
        client: &'a Client,
        target: (&'static str, &'static str),
        records: impl IntoIterator<Item = T>,
    ) -> Self {
        let post = Post::new(client, target, records, true);
        Update { post }
    }

    /// The request [`send`](Self::send) sends, built without IO: `POST` of
    /// the records as a JSON array, not idempotent (the endpoint that
    /// updates also creates).
    ///
    /// # Errors
    /// `InvalidInput` when there are no records, a record has no id, or an
    /// id is invalid.
    pub fn request(&self) -> Result<ApiRequest> {
        self.post.request()
    }

    /// Updates the records; returns them as Halo saved them.
    ///
    /// # Errors
    /// As [`Create::send`].
    pub async fn send(self) -> Result<Vec<T>> {
        self.post.send().await
    }
}
