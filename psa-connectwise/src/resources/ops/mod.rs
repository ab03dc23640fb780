//! The operation structs the resource handles return: [`List`], [`Get`],
//! [`Create`], [`Update`], [`Delete`], [`Count`], and ConnectWise's own
//! verbs [`Merge`] and [`AttachChildren`].
//!
//! Each builds its [`ApiRequest`] in `request()`, without I/O, with the
//! caller's [`RequestOptions`] applied, and says whether it is idempotent
//! from ConnectWise's semantics: reads, JSON-Patch updates (they set
//! values) and deletes yes; creates, merges and bundles no.

mod documents;
mod list;

use bytes::Bytes;
use futures::future::BoxFuture;
use psa_core::http::{ApiRequest, Customize, RequestOptions};
use psa_core::{Error, ErrorKind, Result, Vendor};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

pub use documents::{Download, Upload};
pub use list::{List, PageRef, Paging};

use super::{Collection, checked};
use crate::client::Client;
use crate::models::{PatchOperation, SuccessResponse, TicketBundle, TicketMerge};
use crate::query::{Condition, ListQuery};

macro_rules! customize {
    ($($op:ident $(<$t:ident>)?),*) => {$(
        impl$(<$t>)? Customize for $op$(<$t>)? {
            fn options_mut(&mut self) -> &mut RequestOptions {
                &mut self.options
            }
        }
    )*};
}

customize!(
    Get<T>,
    Create<T>,
    Update<T>,
    Delete,
    Count,
    Merge,
    AttachChildren,
    Upload,
    Download
);

/// `GET {path}/{id}`: one record.
#[derive(Debug)]
#[must_use]
pub struct Get<T> {
    client: Client,
    at: Collection,
    id: i64,
    options: RequestOptions,
    _t: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Send + 'static> Get<T> {
    pub(crate) fn new(client: Client, at: Collection, id: i64) -> Self {
        Get {
            client,
            at,
            id,
            options: RequestOptions::new(),
            _t: PhantomData,
        }
    }

    /// The same request, its response decoded as `U` instead — e.g.
    /// `serde_json::Value` for the record exactly as ConnectWise sent it.
    pub fn decode_as<U: DeserializeOwned + Send + 'static>(self) -> Get<U> {
        Get {
            client: self.client,
            at: self.at,
            id: self.id,
            options: self.options,
            _t: PhantomData,
        }
    }

    /// The request, without I/O; an invalid id is an `InvalidInput` error.
    pub fn request(&self) -> Result<ApiRequest> {
        Ok(self
            .options
            .apply(ApiRequest::get(self.at.record(self.id)?)))
    }

    /// Sends it and decodes the record.
    pub fn send(self) -> BoxFuture<'static, Result<T>> {
        Box::pin(async move { self.client.send_json(self.request()?).await })
    }

    /// Sends it and returns the record's JSON text as ConnectWise sent it,
    /// undecoded (what the uniform reads keep as a record's `raw`).
    pub fn send_text(self) -> BoxFuture<'static, Result<Bytes>> {
        Box::pin(async move { Ok(self.client.send(self.request()?).await?.body) })
    }
}

/// `POST {path}`: creates a record and returns it. Not idempotent.
#[derive(Debug)]
#[must_use]
pub struct Create<T> {
    client: Client,
    at: Collection,
    body: T,
    options: RequestOptions,
}

impl<T: Serialize + DeserializeOwned + Send + 'static> Create<T> {
    pub(crate) fn new(client: Client, at: Collection, body: T) -> Self {
        Create {
            client,
            at,
            body,
            options: RequestOptions::new(),
        }
    }

    /// The request, without I/O.
    pub fn request(&self) -> Result<ApiRequest> {
        let req = ApiRequest::post(self.at.path()?)
            .json(&self.body)?
            .idempotent(false);
        Ok(self.options.apply(req))
    }

    /// Sends it; the answer is the created record.
    pub fn send(self) -> BoxFuture<'static, Result<T>> {
        Box::pin(async move { self.client.send_json(self.request()?).await })
    }
}

/// `PATCH {path}/{id}` with JSON-Patch operations: returns the updated
/// record. Idempotent: the operations set values, so sending them twice has
/// the effect of once.
#[derive(Debug)]
#[must_use]
pub struct Update<T> {
    client: Client,
    at: Collection,
    id: i64,
    ops: Vec<PatchOperation>,
    options: RequestOptions,
    _t: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Send + 'static> Update<T> {
    pub(crate) fn new(client: Client, at: Collection, id: i64, ops: Vec<PatchOperation>) -> Self {
        Update {
            client,
            at,
            id,
            ops,
            options: RequestOptions::new(),
            _t: PhantomData,
        }
    }

    /// The request, without I/O.
    pub fn request(&self) -> Result<ApiRequest> {
        let req = ApiRequest::patch(self.at.record(self.id)?)
            .json(&self.ops)?
            .idempotent(true);
        Ok(self.options.apply(req))
    }

    /// Sends it; the answer is the updated record.
    pub fn send(self) -> BoxFuture<'static, Result<T>> {
        Box::pin(async move { self.client.send_json(self.request()?).await })
    }
}

/// `DELETE {path}/{id}`.
#[derive(Debug)]
#[must_use]
pub struct Delete {
    client: Client,
    at: Collection,
    id: i64,
    options: RequestOptions,
}

impl Delete {
    pub(crate) fn new(client: Client, at: Collection, id: i64) -> Self {
        Delete {
            client,
            at,
            id,
            options: RequestOptions::new(),
        }
    }

    /// The request, without I/O.
    pub fn request(&self) -> Result<ApiRequest> {
        Ok(self
            .options
            .apply(ApiRequest::delete(self.at.record(self.id)?)))
    }

    /// Sends it.
    pub fn send(self) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move { self.client.send_empty(self.request()?).await })
    }
}

/// `GET {path}/count`: how many records match.
#[derive(Debug)]
#[must_use]
pub struct Count {
    client: Client,
    at: Collection,
    query: ListQuery,
    options: RequestOptions,
}

impl Count {
    pub(crate) fn new(client: Client, at: Collection) -> Self {
        Count {
            client,
            at,
            query: ListQuery::new(),
            options: RequestOptions::new(),
        }
    }

    /// Counts only records matching `c`.
    pub fn conditions(mut self, c: Condition) -> Self {
        self.query = self.query.conditions(c);
        self
    }

    /// The request, without I/O.
    pub fn request(&self) -> Result<ApiRequest> {
        let mut req = ApiRequest::get(format!("{}/count", self.at.path()?));
        for (k, v) in self.query.to_pairs()? {
            req = req.query(k, v);
        }
        Ok(self.options.apply(req))
    }

    /// Sends it.
    pub fn send(self) -> BoxFuture<'static, Result<i64>> {
        Box::pin(async move {
            let count: crate::models::Count = self.client.send_json(self.request()?).await?;
            Ok(count.count)
        })
    }
}

/// `POST /service/tickets/{parent}/merge`: merges tickets into a parent,
/// setting them to a status of their board. Not idempotent.
#[derive(Debug)]
#[must_use]
pub struct Merge {
    client: Client,
    at: Collection,
    parent: i64,
    body: TicketMerge,
    options: RequestOptions,
}

impl Merge {
    pub(crate) fn new(client: Client, at: Collection, parent: i64, body: TicketMerge) -> Self {
        Merge {
            client,
            at,
            parent,
            body,
            options: RequestOptions::new(),
        }
    }

    /// The request, without I/O; the parent, the merged tickets and the
    /// status must be positive ids.
    pub fn request(&self) -> Result<ApiRequest> {
        for id in &self.body.merge_ticket_ids {
            checked(*id, "ticket")?;
        }
        if let Some(status) = self.body.status.id {
            checked(status, "status")?;
        }
        action(&self.at, self.parent, "merge", &self.body, &self.options)
    }

    /// Sends it; a `{"success": false}` answer is an error.
    pub fn send(self) -> BoxFuture<'static, Result<SuccessResponse>> {
        Box::pin(async move { send_action(&self.client, self.request()?).await })
    }
}

/// `POST /service/tickets/{parent}/attachChildren`: bundles child tickets
/// under a parent. Not idempotent.
#[derive(Debug)]
#[must_use]
pub struct AttachChildren {
    client: Client,
    at: Collection,
    parent: i64,
    body: TicketBundle,
    options: RequestOptions,
}

impl AttachChildren {
    pub(crate) fn new(client: Client, at: Collection, parent: i64, body: TicketBundle) -> Self {
        AttachChildren {
            client,
            at,
            parent,
            body,
            options: RequestOptions::new(),
        }
    }

    /// The request, without I/O; the parent and the children must be
    /// positive ids.
    pub fn request(&self) -> Result<ApiRequest> {
        for id in &self.body.child_ticket_ids {
            checked(*id, "ticket")?;
        }
        action(
            &self.at,
            self.parent,
            "attachChildren",
            &self.body,
            &self.options,
        )
    }

    /// Sends it; a `{"success": false}` answer is an error.
    pub fn send(self) -> BoxFuture<'static, Result<SuccessResponse>> {
        Box::pin(async move { send_action(&self.client, self.request()?).await })
    }
}

/// `POST {path}/{id}/{verb}` with a JSON body: an action on one record,
/// never retried after it may have been received.
fn action(
    at: &Collection,
    id: i64,
    verb: &str,
    body: &impl Serialize,
    options: &RequestOptions,
) -> Result<ApiRequest> {
    let req = ApiRequest::post(at.action(id, verb)?)
        .json(body)?
        .idempotent(false);
    Ok(options.apply(req))
}

/// Sends an action answered with `SuccessResponse` (or nothing); a
/// `{"success": false}` answer is an `Api` error with ConnectWise's message.
async fn send_action(client: &Client, req: ApiRequest) -> Result<SuccessResponse> {
    let what = req.path().unwrap_or_default().to_owned();
    let resp = client.send(req).await?;
    let ok: SuccessResponse = if resp.body.is_empty() {
        SuccessResponse::default()
    } else {
        crate::transport::decode(&resp.body, &what)?
    };
    if ok.success == Some(false) {
        return Err(Error::new(
            ErrorKind::Api,
            format!(
                "ConnectWise did not complete {what}: {}",
                ok.message.as_deref().unwrap_or("no message")
            ),
        )
        .with_vendor(Vendor::ConnectWise));
    }
    Ok(ok)
}
