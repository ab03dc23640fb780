//! One handle per ConnectWise resource:
//! `client.tickets().list().conditions(…).page_size(100).stream()`,
//! `client.tickets().get(12).send().await`, `client.tickets().patch(12, ops)`.
//!
//! Every operation is a `#[must_use]` struct that can be turned into a
//! [`Request`] without I/O ([`request`](Get::request)) and sent with
//! `send()`; lists also `stream()`, paging lazily with memory bounded by one
//! page.

mod list;

use futures::future::BoxFuture;
use psa_core::{Error, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

pub use list::{ListRequest, PageRef, Paging};

use crate::client::Client;
use crate::models::{PatchOperation, SuccessResponse};
use crate::request::Request;

/// A collection of records of type `T` at a path (`service/tickets`).
#[derive(Debug, Clone)]
pub struct Resource<T> {
    client: Client,
    path: String,
    _t: PhantomData<fn() -> T>,
}

impl<T> Resource<T>
where
    T: DeserializeOwned + Serialize + Send + 'static,
{
    pub(crate) fn new(client: Client, path: impl Into<String>) -> Self {
        Resource {
            client,
            path: path.into(),
            _t: PhantomData,
        }
    }

    /// The collection's path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Lists records (`GET {path}`).
    pub fn list(&self) -> ListRequest<T> {
        ListRequest::new(self.client.clone(), self.path.clone())
    }

    /// Reads one record (`GET {path}/{id}`).
    pub fn get(&self, id: i64) -> Get<T> {
        Get {
            client: self.client.clone(),
            request: Request::get(format!("{}/{id}", self.path)),
            id,
            _t: PhantomData,
        }
    }

    /// Creates a record (`POST {path}`); never retried automatically.
    pub fn create(&self, body: &T) -> Write<T> {
        let body = serde_json::to_value(body);
        Write {
            client: self.client.clone(),
            request: body.map(|b| Request::new(http::Method::POST, self.path.clone()).json(b)),
            _t: PhantomData,
        }
    }

    /// Updates fields of a record with JSON-Patch operations
    /// (`PATCH {path}/{id}`).
    pub fn patch(&self, id: i64, ops: &[PatchOperation]) -> Write<T> {
        let body = serde_json::to_value(ops);
        Write {
            client: self.client.clone(),
            request: body
                .map(|b| Request::new(http::Method::PATCH, format!("{}/{id}", self.path)).json(b)),
            _t: PhantomData,
        }
    }

    /// Deletes a record (`DELETE {path}/{id}`).
    pub fn delete(&self, id: i64) -> Delete {
        Delete {
            client: self.client.clone(),
            request: Request::new(http::Method::DELETE, format!("{}/{id}", self.path)),
        }
    }

    /// Counts matching records (`GET {path}/count`).
    pub fn count(&self) -> Count {
        Count {
            client: self.client.clone(),
            path: format!("{}/count", self.path),
            query: crate::query::ListQuery::new(),
        }
    }
}

/// `GET {path}/{id}`.
#[derive(Debug)]
#[must_use]
pub struct Get<T> {
    client: Client,
    request: Request,
    id: i64,
    _t: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Send + 'static> Get<T> {
    /// The same request, its response decoded as `U` instead — e.g.
    /// `serde_json::Value` for the record exactly as ConnectWise sent it.
    pub fn decode_as<U: DeserializeOwned + Send + 'static>(self) -> Get<U> {
        Get {
            client: self.client,
            request: self.request,
            id: self.id,
            _t: PhantomData,
        }
    }

    /// The request, without I/O.
    pub fn request(&self) -> Result<Request> {
        check_id(self.id)?;
        Ok(self.request.clone())
    }

    /// Sends it.
    pub fn send(self) -> BoxFuture<'static, Result<T>> {
        Box::pin(async move {
            let req = self.request()?;
            let what = req.path.clone();
            let resp = self.client.send(req).await?;
            crate::client::decode(&resp.body, &what)
        })
    }
}

/// A write returning the written record (`POST`, `PATCH`).
#[derive(Debug)]
#[must_use]
pub struct Write<T> {
    client: Client,
    request: std::result::Result<Request, serde_json::Error>,
    _t: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Send + 'static> Write<T> {
    /// The request, without I/O.
    pub fn request(&self) -> Result<Request> {
        let req = self
            .request
            .as_ref()
            .map_err(|e| Error::invalid_input(format!("the body could not be encoded: {e}")))?;
        check_path_id(&req.path)?;
        Ok(req.clone())
    }

    /// Sends it.
    pub fn send(self) -> BoxFuture<'static, Result<T>> {
        Box::pin(async move {
            let req = self.request()?;
            let what = req.path.clone();
            let resp = self.client.send(req).await?;
            crate::client::decode(&resp.body, &what)
        })
    }
}

/// `DELETE {path}/{id}`.
#[derive(Debug)]
#[must_use]
pub struct Delete {
    client: Client,
    request: Request,
}

impl Delete {
    /// The request, without I/O.
    pub fn request(&self) -> Result<Request> {
        check_path_id(&self.request.path)?;
        Ok(self.request.clone())
    }

    /// Sends it.
    pub fn send(self) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move {
            let req = self.request()?;
            self.client.send(req).await.map(|_| ())
        })
    }
}

/// `GET {path}/count`.
#[derive(Debug)]
#[must_use]
pub struct Count {
    client: Client,
    path: String,
    query: crate::query::ListQuery,
}

impl Count {
    /// Counts only records matching `c`.
    pub fn conditions(mut self, c: crate::query::Condition) -> Self {
        self.query = self.query.conditions(c);
        self
    }

    /// The request, without I/O.
    pub fn request(&self) -> Result<Request> {
        let mut r = Request::get(self.path.clone());
        for (k, v) in self.query.to_pairs()? {
            r = r.query(k, v);
        }
        Ok(r)
    }

    /// Sends it.
    pub fn send(self) -> BoxFuture<'static, Result<i64>> {
        Box::pin(async move {
            let req = self.request()?;
            let what = req.path.clone();
            let resp = self.client.send(req).await?;
            crate::client::decode::<crate::models::Count>(&resp.body, &what).map(|c| c.count)
        })
    }
}

/// An action answered with `SuccessResponse` (merge, bundle).
#[derive(Debug)]
#[must_use]
pub struct Action {
    client: Client,
    request: std::result::Result<Request, serde_json::Error>,
}

impl Action {
    /// The request, without I/O.
    pub fn request(&self) -> Result<Request> {
        let req = self
            .request
            .as_ref()
            .map_err(|e| Error::invalid_input(format!("the body could not be encoded: {e}")))?;
        check_path_id(&req.path)?;
        Ok(req.clone())
    }

    /// Sends it; a `{"success": false}` answer is an error.
    pub fn send(self) -> BoxFuture<'static, Result<SuccessResponse>> {
        Box::pin(async move {
            let req = self.request()?;
            let what = req.path.clone();
            let resp = self.client.send(req).await?;
            let ok: SuccessResponse = if resp.body.is_empty() {
                SuccessResponse::default()
            } else {
                crate::client::decode(&resp.body, &what)?
            };
            if ok.success == Some(false) {
                return Err(Error::new(
                    psa_core::ErrorKind::Api,
                    format!(
                        "ConnectWise did not complete {what}: {}",
                        ok.message.as_deref().unwrap_or("no message")
                    ),
                )
                .with_vendor(psa_core::Vendor::ConnectWise));
            }
            Ok(ok)
        })
    }
}

fn check_id(id: i64) -> Result<()> {
    if id > 0 {
        Ok(())
    } else {
        Err(
            Error::invalid_input(format!("ConnectWise ids are positive integers, got {id}"))
                .with_vendor(psa_core::Vendor::ConnectWise),
        )
    }
}

/// Ids embedded in a path must be positive.
fn check_path_id(path: &str) -> Result<()> {
    for seg in path.split('/') {
        if let Some(rest) = seg.strip_prefix('-') {
            if rest.chars().all(|c| c.is_ascii_digit()) {
                return check_id(-1);
            }
        }
        if seg == "0" {
            return check_id(0);
        }
    }
    Ok(())
}

/// Tickets, their notes and their actions.
#[derive(Debug, Clone)]
pub struct Tickets {
    client: Client,
}

impl Tickets {
    pub(crate) fn new(client: Client) -> Self {
        Tickets { client }
    }

    fn res(&self) -> Resource<crate::models::Ticket> {
        Resource::new(self.client.clone(), "service/tickets")
    }

    /// `GET /service/tickets`.
    pub fn list(&self) -> ListRequest<crate::models::Ticket> {
        self.res().list()
    }
    /// `GET /service/tickets/{id}`.
    pub fn get(&self, id: i64) -> Get<crate::models::Ticket> {
        self.res().get(id)
    }
    /// `POST /service/tickets`.
    pub fn create(&self, ticket: &crate::models::Ticket) -> Write<crate::models::Ticket> {
        self.res().create(ticket)
    }
    /// `PATCH /service/tickets/{id}` with JSON-Patch operations.
    pub fn patch(&self, id: i64, ops: &[PatchOperation]) -> Write<crate::models::Ticket> {
        self.res().patch(id, ops)
    }
    /// `DELETE /service/tickets/{id}`.
    pub fn delete(&self, id: i64) -> Delete {
        self.res().delete(id)
    }
    /// `GET /service/tickets/count`.
    pub fn count(&self) -> Count {
        self.res().count()
    }
    /// `POST /service/tickets/{parent}/merge`: merges tickets into `parent`.
    /// Never retried automatically.
    pub fn merge(&self, parent: i64, merge: &crate::models::TicketMerge) -> Action {
        Action {
            client: self.client.clone(),
            request: serde_json::to_value(merge).map(|b| {
                Request::new(
                    http::Method::POST,
                    format!("service/tickets/{parent}/merge"),
                )
                .json(b)
            }),
        }
    }
    /// `POST /service/tickets/{parent}/attachChildren`: bundles child
    /// tickets under `parent`. Never retried automatically.
    pub fn attach_children(&self, parent: i64, bundle: &crate::models::TicketBundle) -> Action {
        Action {
            client: self.client.clone(),
            request: serde_json::to_value(bundle).map(|b| {
                Request::new(
                    http::Method::POST,
                    format!("service/tickets/{parent}/attachChildren"),
                )
                .json(b)
            }),
        }
    }
    /// `/service/tickets/{ticket}/notes`.
    pub fn notes(&self, ticket: i64) -> Resource<crate::models::ServiceNote> {
        Resource::new(
            self.client.clone(),
            format!("service/tickets/{ticket}/notes"),
        )
    }
}

/// Service boards and what is scoped to them.
#[derive(Debug, Clone)]
pub struct Boards {
    client: Client,
}

impl Boards {
    pub(crate) fn new(client: Client) -> Self {
        Boards { client }
    }

    fn res(&self) -> Resource<crate::models::Board> {
        Resource::new(self.client.clone(), "service/boards")
    }

    /// `GET /service/boards`.
    pub fn list(&self) -> ListRequest<crate::models::Board> {
        self.res().list()
    }
    /// `GET /service/boards/{id}`.
    pub fn get(&self, id: i64) -> Get<crate::models::Board> {
        self.res().get(id)
    }
    /// `/service/boards/{board}/statuses`.
    pub fn statuses(&self, board: i64) -> Resource<crate::models::BoardStatus> {
        Resource::new(
            self.client.clone(),
            format!("service/boards/{board}/statuses"),
        )
    }
    /// `/service/boards/{board}/types`.
    pub fn types(&self, board: i64) -> Resource<crate::models::BoardType> {
        Resource::new(self.client.clone(), format!("service/boards/{board}/types"))
    }
    /// `/service/boards/{board}/subtypes`.
    pub fn subtypes(&self, board: i64) -> Resource<crate::models::BoardSubType> {
        Resource::new(
            self.client.clone(),
            format!("service/boards/{board}/subtypes"),
        )
    }
    /// `/service/boards/{board}/items`.
    pub fn items(&self, board: i64) -> Resource<crate::models::BoardItem> {
        Resource::new(self.client.clone(), format!("service/boards/{board}/items"))
    }
}

/// `GET /system/audittrail?type=Ticket&id={ticket}`.
pub(crate) fn ticket_audit_trail(
    client: &Client,
    ticket: i64,
) -> ListRequest<crate::models::AuditTrailEntry> {
    ListRequest::new(client.clone(), "system/audittrail".to_owned())
        .param("type", "Ticket")
        .param("id", ticket.to_string())
}
