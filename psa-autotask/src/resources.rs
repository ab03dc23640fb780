//! Typed handles: one per entity, one per child collection.
//!
//! ```no_run
//! # async fn demo(client: psa_autotask::Client) -> psa_core::Result<()> {
//! use futures::TryStreamExt;
//! use psa_autotask::query::{Filter, Query};
//!
//! // One ticket.
//! let t = client.tickets().get(1001).await?;
//! // A query, streamed page by page (500 records a page).
//! let urgent: Vec<_> = client
//!     .tickets()
//!     .query(Query::new().filter(Filter::eq("priority", 4)))
//!     .stream()
//!     .try_collect()
//!     .await?;
//! // A child collection.
//! let mut note = psa_autotask::models::TicketNote::default();
//! note.description = Some("Checked the spooler".into());
//! note.note_type = Some(13);
//! note.publish = Some(2);
//! let note_id = client.tickets().notes(t.id).create(&note).await?;
//! # let _ = (urgent, note_id); Ok(()) }
//! ```

use std::marker::PhantomData;

use futures::stream::BoxStream;
use psa_core::{Error, Result};
use serde_json::Value;

use crate::client::Client;
use crate::models::{
    ArticlePlainTextContent, Company, Contact, Entity, KnowledgeBaseArticle, ServiceCall,
    ServiceCallTicket, ServiceCallTicketResource, Ticket, TicketCharge, TicketNote, TicketWebhook,
    TicketWebhookExcludedResource, TicketWebhookField,
};
use crate::query::Query;

fn encode<T: serde::Serialize>(record: &T) -> Result<Value> {
    serde_json::to_value(record)
        .map_err(|e| Error::invalid_input("the record could not be encoded as JSON").with_source(e))
}

fn positive(id: i64, what: &str) -> Result<i64> {
    if id > 0 {
        Ok(id)
    } else {
        Err(Error::invalid_input(format!(
            "{what} must be a positive id, got {id}"
        )))
    }
}

/// A handle on one entity (`client.tickets()`, `client.entity::<Contract>()`).
///
/// Autotask decides per entity what is allowed (tickets and companies cannot
/// be deleted, most look-up entities are read-only); a call the entity does
/// not allow comes back as the vendor's error.
#[derive(Debug, Clone)]
#[must_use]
pub struct Entities<T> {
    client: Client,
    _t: PhantomData<fn() -> T>,
}

impl<T: Entity> Entities<T> {
    pub(crate) fn new(client: Client) -> Self {
        Entities {
            client,
            _t: PhantomData,
        }
    }

    /// `GET /{Entity}/{id}`. A missing record is a `NotFound` error. (Ids
    /// are positive, except the MSP's own company, id 0.)
    pub async fn get(&self, id: i64) -> Result<T> {
        if id < 0 {
            return Err(Error::invalid_input(format!(
                "id must not be negative, got {id}"
            )));
        }
        self.client.fetch_typed::<T>(id).await
    }

    /// `POST /{Entity}/query`: build it, then `send()` for the first page,
    /// `stream()` for every record, or `count()`.
    pub fn query(&self, query: Query) -> QueryRequest<T> {
        QueryRequest {
            client: self.client.clone(),
            query,
            limit: None,
            _t: PhantomData,
        }
    }

    /// `POST /{Entity}`: creates the record and returns its id. Never
    /// retried automatically: an unknown outcome is an `AmbiguousWrite`.
    pub async fn create(&self, record: &T) -> Result<i64> {
        self.client
            .post_create(T::ENTITY.to_owned(), encode(record)?)
            .await
    }

    /// `PATCH /{Entity}`: changes only the fields in `changes` of record `id`
    /// (sparse; `null` clears a field). Returns the id.
    pub async fn update(&self, id: i64, changes: serde_json::Map<String, Value>) -> Result<i64> {
        let mut body = changes;
        body.insert("id".into(), Value::from(positive(id, "id")?));
        self.client
            .patch_update(T::ENTITY.to_owned(), Value::Object(body))
            .await
    }

    /// `DELETE /{Entity}/{id}`, for entities Autotask lets you delete.
    pub async fn delete(&self, id: i64) -> Result<()> {
        self.client
            .delete_path(format!("{}/{}", T::ENTITY, positive(id, "id")?))
            .await
    }
}

impl Entities<Ticket> {
    /// The notes of a ticket: `/Tickets/{id}/Notes` (create, update, list).
    pub fn notes(&self, ticket: i64) -> Children<TicketNote> {
        Children::new(self.client.clone(), format!("Tickets/{ticket}/Notes"))
    }

    /// The charges (product line items) of a ticket: `/Tickets/{id}/Charges`.
    pub fn charges(&self, ticket: i64) -> Children<TicketCharge> {
        Children::new(self.client.clone(), format!("Tickets/{ticket}/Charges"))
    }
}

impl Entities<Company> {
    /// The contacts of a company: `/Companies/{id}/Contacts` (contacts are
    /// created and updated here).
    pub fn contacts(&self, company: i64) -> Children<Contact> {
        Children::new(self.client.clone(), format!("Companies/{company}/Contacts"))
    }
}

impl Entities<ServiceCall> {
    /// The tickets linked to a service call: `/ServiceCalls/{id}/Tickets`.
    pub fn tickets(&self, call: i64) -> Children<ServiceCallTicket> {
        Children::new(self.client.clone(), format!("ServiceCalls/{call}/Tickets"))
    }
}

impl Entities<ServiceCallTicket> {
    /// The resources assigned to a service call's ticket:
    /// `/ServiceCallTickets/{id}/Resources`.
    pub fn resources(&self, link: i64) -> Children<ServiceCallTicketResource> {
        Children::new(
            self.client.clone(),
            format!("ServiceCallTickets/{link}/Resources"),
        )
    }
}

impl Entities<TicketWebhook> {
    /// The fields of a webhook: `/TicketWebhooks/{id}/Fields`.
    pub fn fields(&self, webhook: i64) -> Children<TicketWebhookField> {
        Children::new(
            self.client.clone(),
            format!("TicketWebhooks/{webhook}/Fields"),
        )
    }

    /// The resources excluded from a webhook: `/TicketWebhooks/{id}/ExcludedResources`.
    pub fn excluded_resources(&self, webhook: i64) -> Children<TicketWebhookExcludedResource> {
        Children::new(
            self.client.clone(),
            format!("TicketWebhooks/{webhook}/ExcludedResources"),
        )
    }
}

impl Entities<KnowledgeBaseArticle> {
    /// The plain-text content of an article: `/KnowledgeBaseArticles/{id}/PlainTextContent`.
    pub fn plain_text(&self, article: i64) -> Children<ArticlePlainTextContent> {
        Children::new(
            self.client.clone(),
            format!("KnowledgeBaseArticles/{article}/PlainTextContent"),
        )
    }
}

/// A child collection under a parent record (`/Tickets/{id}/Notes`).
#[derive(Debug, Clone)]
#[must_use]
pub struct Children<T> {
    client: Client,
    path: String,
    _t: PhantomData<fn() -> T>,
}

impl<T: Entity> Children<T> {
    fn new(client: Client, path: String) -> Self {
        Children {
            client,
            path,
            _t: PhantomData,
        }
    }

    /// The collection's path, relative to `/V1.0/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// `GET` the collection.
    pub async fn list(&self) -> Result<Vec<T>> {
        Ok(self
            .client
            .list_children::<T>(self.path.clone())
            .await?
            .into_iter()
            .map(|(t, _)| t)
            .collect())
    }

    /// `POST` a new child; returns its id. Never retried automatically.
    pub async fn create(&self, record: &T) -> Result<i64> {
        self.client
            .post_create(self.path.clone(), encode(record)?)
            .await
    }

    /// `PATCH` child `id` with `changes`.
    pub async fn update(&self, id: i64, changes: serde_json::Map<String, Value>) -> Result<i64> {
        let mut body = changes;
        body.insert("id".into(), Value::from(positive(id, "id")?));
        self.client
            .patch_update(self.path.clone(), Value::Object(body))
            .await
    }

    /// `DELETE` child `id`, where Autotask allows it.
    pub async fn delete(&self, id: i64) -> Result<()> {
        self.client
            .delete_path(format!("{}/{}", self.path, positive(id, "id")?))
            .await
    }
}

/// A query being built: `send()`, `stream()` or `count()`.
#[derive(Debug, Clone)]
#[must_use]
pub struct QueryRequest<T> {
    client: Client,
    query: Query,
    limit: Option<u64>,
    _t: PhantomData<fn() -> T>,
}

/// One page of query results.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct QueryPage<T> {
    /// The records.
    pub items: Vec<T>,
    /// Where the next page is, when there is one (an absolute URL on the zone).
    pub next_page_url: Option<String>,
}

impl<T: Entity> QueryRequest<T> {
    /// Stops after `n` records (and asks Autotask for no more than needed).
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        if n > 0 && n < 500 {
            self.query = self.query.max_records(u32::try_from(n).unwrap_or(500));
        }
        self
    }

    /// The query as it will be sent.
    pub fn query_ref(&self) -> &Query {
        &self.query
    }

    /// The request body, built without IO (for tests and logging).
    pub fn body(&self) -> Result<Vec<u8>> {
        self.query.to_body()
    }

    /// The first page.
    pub async fn send(self) -> Result<QueryPage<T>> {
        self.query.validate()?;
        let (items, next) = self.client.query_first_page::<T>(&self.query).await?;
        Ok(QueryPage {
            items,
            next_page_url: next,
        })
    }

    /// Every matching record, paging lazily (memory bounded by one page).
    pub fn stream(self) -> BoxStream<'static, Result<T>> {
        self.client
            .page_stream::<T>(T::ENTITY, self.query, self.limit)
    }

    /// `POST /{Entity}/query/count`.
    pub async fn count(self) -> Result<i64> {
        self.client.query_count::<T>(&self.query).await
    }
}
