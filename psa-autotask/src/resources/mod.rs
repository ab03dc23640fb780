//! Typed handles: one per entity (`client.tickets()`, `client.entity::<T>()`),
//! one per child collection (`client.tickets().notes(1001)`). Their methods
//! return the operations of [`ops`] — [`Get`], [`List`], [`Count`],
//! [`Create`], [`Update`], [`Delete`], [`ListChildren`] — which build their
//! request without IO (`request()`), take per-call options
//! ([`Customize`](psa_core::http::Customize)) and send with `send()`.
//!
//! ```no_run
//! # async fn demo(client: psa_autotask::Client) -> psa_core::Result<()> {
//! use std::time::Duration;
//! use futures::TryStreamExt;
//! use psa_autotask::query::{Filter, Query};
//! use psa_core::http::Customize;
//!
//! // One ticket, failing within two seconds rather than retrying.
//! let t = client
//!     .tickets()
//!     .get(1001)
//!     .customize(|o| o.deadline(Duration::from_secs(2)).no_retry())
//!     .send()
//!     .await?;
//! // A query, streamed page by page (500 records a page).
//! let urgent: Vec<_> = client
//!     .tickets()
//!     .list(Query::new().filter(Filter::eq("priority", 4)))
//!     .stream()
//!     .try_collect()
//!     .await?;
//! let how_many = client.tickets().count(Query::all()).send().await?;
//! // A child collection.
//! let mut note = psa_autotask::models::TicketNote::default();
//! note.description = Some("Checked the spooler".into());
//! note.note_type = Some(13);
//! note.publish = Some(2);
//! let note_id = client.tickets().notes(t.id).create(&note).send().await?;
//! # let _ = (urgent, how_many, note_id); Ok(()) }
//! ```

pub mod ops;

use std::marker::PhantomData;

use serde_json::{Map, Value};

use crate::client::Client;
use crate::models::{
    self, ArticlePlainTextContent, Company, Contact, Entity, KnowledgeBaseArticle, ServiceCall,
    ServiceCallTicket, ServiceCallTicketResource, Ticket, TicketCharge, TicketNote, TicketWebhook,
    TicketWebhookExcludedResource, TicketWebhookField,
};
use crate::query::Query;
use ops::Collection;
pub use ops::{Count, Create, Delete, Get, GetFields, List, ListChildren, QueryPage, Update};

/// A handle on one entity (`client.tickets()`, `client.entity::<Contract>()`).
///
/// Autotask decides per entity what is allowed (tickets and companies cannot
/// be deleted, most look-up entities are read-only); a call the entity does
/// not allow comes back as the vendor's error.
#[must_use]
pub struct Entities<T> {
    client: Client,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Entities<T> {
    fn clone(&self) -> Self {
        Entities {
            client: self.client.clone(),
            _t: PhantomData,
        }
    }
}

impl<T: Entity> std::fmt::Debug for Entities<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entities")
            .field("entity", &T::ENTITY)
            .finish_non_exhaustive()
    }
}

impl<T: Entity> Entities<T> {
    pub(crate) fn new(client: Client) -> Self {
        Entities {
            client,
            _t: PhantomData,
        }
    }

    /// `GET /{Entity}/{id}`. A missing record is a `NotFound` error; an id
    /// below 1 (below 0 for companies: the MSP's own company is 0) is
    /// refused before sending.
    pub fn get(&self, id: i64) -> Get<T> {
        Get::new(self.client.clone(), id)
    }

    /// `POST /{Entity}/query`: `send()` for the first page, `stream()` for
    /// every record.
    pub fn list(&self, query: Query) -> List<T> {
        List::new(self.client.clone(), query, None)
    }

    /// `POST /{Entity}/query/count`: how many records match `query`.
    pub fn count(&self, query: Query) -> Count<T> {
        Count::new(self.client.clone(), query)
    }

    /// `POST /{Entity}`: creates the record; `send()` returns its id.
    pub fn create(&self, record: &T) -> Create<T> {
        Create::record(self.client.clone(), Collection::Root(T::ENTITY), record)
    }

    /// `POST /{Entity}` with a record given as its JSON fields (sparse: only
    /// the fields to set, in Autotask's casing).
    pub fn create_fields(&self, fields: Map<String, Value>) -> Create<T> {
        Create::fields(self.client.clone(), Collection::Root(T::ENTITY), fields)
    }

    /// `PATCH /{Entity}`: changes only the fields in `changes` of record `id`
    /// (sparse; `null` clears a field); `send()` returns the id.
    pub fn update(&self, id: i64, changes: Map<String, Value>) -> Update<T> {
        Update::new(
            self.client.clone(),
            Collection::Root(T::ENTITY),
            id,
            changes,
        )
    }

    /// `DELETE /{Entity}/{id}`, for entities Autotask lets you delete.
    pub fn delete(&self, id: i64) -> Delete<T> {
        Delete::new(self.client.clone(), Collection::Root(T::ENTITY), id)
    }

    /// The child collection `segment` of record `parent` of this entity.
    fn children<C: Entity>(&self, parent: i64, segment: &'static str) -> Children<C> {
        Children {
            client: self.client.clone(),
            collection: Collection::Child {
                parent: T::ENTITY,
                parent_min: T::MIN_ID,
                parent_id: parent,
                segment,
            },
            _t: PhantomData,
        }
    }
}

impl Entities<Ticket> {
    /// The notes of a ticket: `/Tickets/{id}/Notes` (create, update, list).
    pub fn notes(&self, ticket: i64) -> Children<TicketNote> {
        self.children(ticket, "Notes")
    }

    /// The charges (product line items) of a ticket: `/Tickets/{id}/Charges`.
    pub fn charges(&self, ticket: i64) -> Children<TicketCharge> {
        self.children(ticket, "Charges")
    }

    /// The attachments of a ticket: `/Tickets/{id}/Attachments` (create,
    /// delete); query them through
    /// [`Client::ticket_attachments`].
    pub fn attachments(&self, ticket: i64) -> Children<models::TicketAttachment> {
        self.children(ticket, "Attachments")
    }
}

impl Entities<Company> {
    /// The contacts of a company: `/Companies/{id}/Contacts` (contacts are
    /// created and updated here).
    pub fn contacts(&self, company: i64) -> Children<Contact> {
        self.children(company, "Contacts")
    }
}

impl Entities<ServiceCall> {
    /// The tickets linked to a service call: `/ServiceCalls/{id}/Tickets`.
    pub fn tickets(&self, call: i64) -> Children<ServiceCallTicket> {
        self.children(call, "Tickets")
    }
}

impl Entities<ServiceCallTicket> {
    /// The resources assigned to a service call's ticket:
    /// `/ServiceCallTickets/{id}/Resources`.
    pub fn resources(&self, link: i64) -> Children<ServiceCallTicketResource> {
        self.children(link, "Resources")
    }
}

impl Entities<TicketWebhook> {
    /// The fields of a webhook: `/TicketWebhooks/{id}/Fields`.
    pub fn fields(&self, webhook: i64) -> Children<TicketWebhookField> {
        self.children(webhook, "Fields")
    }

    /// The resources excluded from a webhook: `/TicketWebhooks/{id}/ExcludedResources`.
    pub fn excluded_resources(&self, webhook: i64) -> Children<TicketWebhookExcludedResource> {
        self.children(webhook, "ExcludedResources")
    }
}

impl Entities<KnowledgeBaseArticle> {
    /// The plain-text content of an article: `/KnowledgeBaseArticles/{id}/PlainTextContent`.
    pub fn plain_text(&self, article: i64) -> Children<ArticlePlainTextContent> {
        self.children(article, "PlainTextContent")
    }
}

/// A child collection under a parent record (`/Tickets/{id}/Notes`).
#[must_use]
pub struct Children<T> {
    client: Client,
    collection: Collection,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Children<T> {
    fn clone(&self) -> Self {
        Children {
            client: self.client.clone(),
            collection: self.collection,
            _t: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Children<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Children")
            .field("collection", &self.collection)
            .finish_non_exhaustive()
    }
}

impl<T: Entity> Children<T> {
    /// The collection's path, relative to `/V1.0/`; an invalid parent id is
    /// `InvalidInput`.
    pub fn path(&self) -> psa_core::Result<String> {
        self.collection.path()
    }

    /// `GET` the collection.
    pub fn list(&self) -> ListChildren<T> {
        ListChildren::new(self.client.clone(), self.collection)
    }

    /// `POST` a new child; `send()` returns its id. Never retried automatically.
    pub fn create(&self, record: &T) -> Create<T> {
        Create::record(self.client.clone(), self.collection, record)
    }

    /// `POST` a new child given as its JSON fields.
    pub fn create_fields(&self, fields: Map<String, Value>) -> Create<T> {
        Create::fields(self.client.clone(), self.collection, fields)
    }

    /// `PATCH` child `id` with `changes`.
    pub fn update(&self, id: i64, changes: Map<String, Value>) -> Update<T> {
        Update::new(self.client.clone(), self.collection, id, changes)
    }

    /// `DELETE` child `id`, where Autotask allows it.
    pub fn delete(&self, id: i64) -> Delete<T> {
        Delete::new(self.client.clone(), self.collection, id)
    }
}

/// The handles.
impl Client {
    /// A handle on any entity: `client.entity::<models::Contract>()`.
    pub fn entity<T: Entity>(&self) -> Entities<T> {
        Entities::new(self.clone())
    }

    /// `GET /{entity}/entityInformation/fields`: an entity's fields and
    /// picklists, uncached ([`Client::picklists`] caches the picklists).
    pub fn entity_fields(&self, entity: impl Into<String>) -> GetFields {
        GetFields::new(self.clone(), entity.into())
    }

    /// `GET /{entity}/entityInformation/userDefinedFields`: an entity's
    /// user-defined fields (name, label, type, required, length, picklist).
    pub fn entity_udfs(&self, entity: impl Into<String>) -> GetFields {
        GetFields::new(self.clone(), entity.into()).user_defined()
    }

    /// Tickets.
    pub fn tickets(&self) -> Entities<models::Ticket> {
        self.entity()
    }
    /// Ticket notes (query and read; create under [`Entities::notes`]).
    pub fn ticket_notes(&self) -> Entities<models::TicketNote> {
        self.entity()
    }
    /// Ticket history (one ticket per query: `ticketID eq`).
    pub fn ticket_history(&self) -> Entities<models::TicketHistory> {
        self.entity()
    }
    /// Ticket categories.
    pub fn ticket_categories(&self) -> Entities<models::TicketCategory> {
        self.entity()
    }
    /// Time entries.
    pub fn time_entries(&self) -> Entities<models::TimeEntry> {
        self.entity()
    }
    /// Companies.
    pub fn companies(&self) -> Entities<models::Company> {
        self.entity()
    }
    /// Contacts (query and read; create under [`Entities::contacts`]).
    pub fn contacts(&self) -> Entities<models::Contact> {
        self.entity()
    }
    /// Configuration items.
    pub fn configuration_items(&self) -> Entities<models::ConfigurationItem> {
        self.entity()
    }
    /// Service calls.
    pub fn service_calls(&self) -> Entities<models::ServiceCall> {
        self.entity()
    }
    /// Service call ↔ ticket links.
    pub fn service_call_tickets(&self) -> Entities<models::ServiceCallTicket> {
        self.entity()
    }
    /// Service call ticket ↔ resource links.
    pub fn service_call_ticket_resources(&self) -> Entities<models::ServiceCallTicketResource> {
        self.entity()
    }
    /// Products.
    pub fn products(&self) -> Entities<models::Product> {
        self.entity()
    }
    /// Ticket charges (query and read; create under [`Entities::charges`]).
    pub fn ticket_charges(&self) -> Entities<models::TicketCharge> {
        self.entity()
    }
    /// Contracts.
    pub fn contracts(&self) -> Entities<models::Contract> {
        self.entity()
    }
    /// SLA results per ticket.
    pub fn sla_results(&self) -> Entities<models::SlaResult> {
        self.entity()
    }
    /// Projects.
    pub fn projects(&self) -> Entities<models::Project> {
        self.entity()
    }
    /// Resources (technicians).
    pub fn resources(&self) -> Entities<models::Resource> {
        self.entity()
    }
    /// Roles.
    pub fn roles(&self) -> Entities<models::Role> {
        self.entity()
    }
    /// Service desk roles of resources.
    pub fn resource_service_desk_roles(&self) -> Entities<models::ResourceServiceDeskRole> {
        self.entity()
    }
    /// Billing codes (work types are `billingCodeType` 1).
    pub fn billing_codes(&self) -> Entities<models::BillingCode> {
        self.entity()
    }
    /// Knowledge-base articles.
    pub fn kb_articles(&self) -> Entities<models::KnowledgeBaseArticle> {
        self.entity()
    }
    /// Ticket webhooks.
    pub fn ticket_webhooks(&self) -> Entities<models::TicketWebhook> {
        self.entity()
    }
    /// Ticket attachments (`/TicketAttachments`: query, and read one with
    /// its content).
    pub fn ticket_attachments(&self) -> Entities<models::TicketAttachment> {
        self.entity()
    }
}
