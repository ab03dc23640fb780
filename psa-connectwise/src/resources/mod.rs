//! One handle per ConnectWise resource:
//! `client.tickets().list().conditions(…).page_size(100).stream()`,
//! `client.tickets().get(12).send().await`, `client.tickets().update(12, &ops)`.
//!
//! Every operation ([`List`], [`Get`], [`Create`], [`Update`], [`Delete`],
//! [`Count`], and ConnectWise's own [`Merge`] and [`AttachChildren`]) is a
//! `#[must_use]` value that builds its [`ApiRequest`](psa_core::http::ApiRequest)
//! without I/O in `request()` and sends it with `send()`; lists also
//! `stream()`, paging lazily with memory bounded by one page. Every
//! operation takes per-call overrides through
//! [`Customize`](psa_core::http::Customize):
//!
//! ```
//! use std::time::Duration;
//! use psa_core::http::Customize;
//! # fn demo(client: &psa_connectwise::Client) -> psa_core::Result<()> {
//! let get = client.tickets().get(42).customize(|o| o.deadline(Duration::from_secs(2)).no_retry());
//! let req = get.request()?;
//! assert_eq!(req.path(), Some("service/tickets/42"));
//! assert_eq!(req.deadline_override(), Some(Duration::from_secs(2)));
//! # Ok(()) }
//! ```
//!
//! Ids are checked once, here: a record id or a parent id (the ticket of
//! notes, the board of statuses) that is not a positive integer is an
//! `InvalidInput` error naming it ("ConnectWise ticket id"), from
//! `request()` and so from `send()`, before anything is sent.

mod ops;

use psa_core::{Result, Vendor};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::marker::PhantomData;

pub use ops::{
    AttachChildren, Count, Create, Delete, Download, Get, List, Merge, PageRef, Paging, Update,
    Upload,
};

use crate::client::Client;
use crate::models::{self, PatchOperation, TicketBundle, TicketMerge};

/// Where a collection is: its path, the noun its ids are named by in
/// errors, and the parent record its path names, if any.
#[derive(Debug, Clone)]
pub(crate) struct Collection {
    path: Cow<'static, str>,
    noun: &'static str,
    parent: Option<(i64, &'static str)>,
}

impl Collection {
    fn new(path: &'static str, noun: &'static str) -> Self {
        Collection {
            path: path.into(),
            noun,
            parent: None,
        }
    }

    /// A collection under a parent record (`service/tickets/{id}/notes`).
    fn under(
        parent: i64,
        parent_noun: &'static str,
        path: impl Into<Cow<'static, str>>,
        noun: &'static str,
    ) -> Self {
        Collection {
            path: path.into(),
            noun,
            parent: Some((parent, parent_noun)),
        }
    }

    /// The collection's path, its parent id checked (a static path is
    /// shared, not copied).
    pub(crate) fn path(&self) -> Result<Cow<'static, str>> {
        if let Some((id, noun)) = self.parent {
            checked(id, noun)?;
        }
        Ok(self.path.clone())
    }

    /// The collection's path as text, its parent id checked.
    fn path_str(&self) -> Result<&str> {
        if let Some((id, noun)) = self.parent {
            checked(id, noun)?;
        }
        Ok(&self.path)
    }

    /// The path of one record, both ids checked.
    pub(crate) fn record(&self, id: i64) -> Result<String> {
        let base = self.path_str()?;
        Ok(format!("{base}/{}", checked(id, self.noun)?))
    }

    /// A path under one record (`service/tickets/{id}/merge`).
    pub(crate) fn action(&self, id: i64, verb: &str) -> Result<String> {
        Ok(format!("{}/{verb}", self.record(id)?))
    }
}

/// `id` when it is a positive integer, else an `InvalidInput` error naming
/// it ("ConnectWise ticket id must be a positive integer, got 0").
pub(crate) fn checked(id: i64, noun: &str) -> Result<i64> {
    if id > 0 {
        return Ok(id);
    }
    psa_core::id::positive(id, &format!("ConnectWise {noun} id"))
        .map_err(|e| e.with_vendor(Vendor::ConnectWise))
}

/// A collection of records of type `T` at a path (`service/tickets`).
#[derive(Debug, Clone)]
pub struct Resource<T> {
    client: Client,
    at: Collection,
    _t: PhantomData<fn() -> T>,
}

impl<T> Resource<T>
where
    T: DeserializeOwned + Serialize + Clone + Send + 'static,
{
    fn new(client: Client, at: Collection) -> Self {
        Resource {
            client,
            at,
            _t: PhantomData,
        }
    }

    /// The collection's path.
    pub fn path(&self) -> &str {
        &self.at.path
    }

    /// Lists records (`GET {path}`).
    pub fn list(&self) -> List<T> {
        List::new(self.client.clone(), self.at.clone())
    }

    /// Reads one record (`GET {path}/{id}`).
    pub fn get(&self, id: i64) -> Get<T> {
        Get::new(self.client.clone(), self.at.clone(), id)
    }

    /// Creates a record (`POST {path}`); not idempotent, so never retried
    /// after it may have been received.
    pub fn create(&self, body: &T) -> Create<T> {
        Create::new(self.client.clone(), self.at.clone(), body.clone())
    }

    /// Updates fields of a record with JSON-Patch operations
    /// (`PATCH {path}/{id}`); idempotent (the operations set values).
    pub fn update(&self, id: i64, ops: &[PatchOperation]) -> Update<T> {
        Update::new(self.client.clone(), self.at.clone(), id, ops.to_vec())
    }

    /// Deletes a record (`DELETE {path}/{id}`).
    pub fn delete(&self, id: i64) -> Delete {
        Delete::new(self.client.clone(), self.at.clone(), id)
    }

    /// Counts matching records (`GET {path}/count`).
    pub fn count(&self) -> Count {
        Count::new(self.client.clone(), self.at.clone())
    }
}

/// Tickets, their notes and their actions.
#[derive(Debug, Clone)]
pub struct Tickets {
    res: Resource<models::Ticket>,
}

impl Tickets {
    /// `GET /service/tickets`.
    pub fn list(&self) -> List<models::Ticket> {
        self.res.list()
    }
    /// `GET /service/tickets/{id}`.
    pub fn get(&self, id: i64) -> Get<models::Ticket> {
        self.res.get(id)
    }
    /// `POST /service/tickets`.
    pub fn create(&self, ticket: &models::Ticket) -> Create<models::Ticket> {
        self.res.create(ticket)
    }
    /// `PATCH /service/tickets/{id}` with JSON-Patch operations.
    pub fn update(&self, id: i64, ops: &[PatchOperation]) -> Update<models::Ticket> {
        self.res.update(id, ops)
    }
    /// `DELETE /service/tickets/{id}`.
    pub fn delete(&self, id: i64) -> Delete {
        self.res.delete(id)
    }
    /// `GET /service/tickets/count`.
    pub fn count(&self) -> Count {
        self.res.count()
    }
    /// `POST /service/tickets/{parent}/merge`: merges tickets into `parent`.
    /// Not idempotent: never retried after it may have been received.
    pub fn merge(&self, parent: i64, merge: &TicketMerge) -> Merge {
        Merge::new(
            self.res.client.clone(),
            self.res.at.clone(),
            parent,
            merge.clone(),
        )
    }
    /// `POST /service/tickets/{parent}/attachChildren`: bundles child
    /// tickets under `parent`. Not idempotent: never retried after it may
    /// have been received.
    pub fn attach_children(&self, parent: i64, bundle: &TicketBundle) -> AttachChildren {
        AttachChildren::new(
            self.res.client.clone(),
            self.res.at.clone(),
            parent,
            bundle.clone(),
        )
    }
    /// `/service/tickets/{ticket}/notes`.
    pub fn notes(&self, ticket: i64) -> Resource<models::ServiceNote> {
        self.under(ticket, "notes", "note")
    }
    /// A ticket's audit trail (`GET /system/audittrail?type=Ticket&id={ticket}`).
    pub fn audit_trail(&self, ticket: i64) -> List<models::AuditTrailEntry> {
        List::new(
            self.res.client.clone(),
            Collection::under(ticket, "ticket", "system/audittrail", "audit"),
        )
        .param("type", "Ticket")
        .param("id", ticket.to_string())
    }

    fn under<U>(&self, ticket: i64, sub: &str, noun: &'static str) -> Resource<U>
    where
        U: DeserializeOwned + Serialize + Clone + Send + 'static,
    {
        Resource::new(
            self.res.client.clone(),
            Collection::under(
                ticket,
                "ticket",
                format!("service/tickets/{ticket}/{sub}"),
                noun,
            ),
        )
    }
}

/// Documents (`/system/documents`): the files attached to records.
#[derive(Debug, Clone)]
pub struct Documents {
    res: Resource<models::Document>,
}

impl Documents {
    /// The documents of a record
    /// (`GET /system/documents?recordType={type}&recordId={id}`).
    pub fn list_for(&self, record_type: &'static str, record_id: i64) -> List<models::Document> {
        List::new(
            self.res.client.clone(),
            Collection::under(record_id, "record", "system/documents", "document"),
        )
        .param("recordType", record_type)
        .param("recordId", record_id.to_string())
    }
    /// Reads one document's metadata (`GET /system/documents/{id}`).
    pub fn get(&self, id: i64) -> Get<models::Document> {
        self.res.get(id)
    }
    /// Downloads a document's content (`GET /system/documents/{id}/download`).
    pub fn download(&self, id: i64) -> Download {
        Download::new(self.res.client.clone(), self.res.at.clone(), id)
    }
    /// Uploads a file (`POST /system/documents`, `multipart/form-data`).
    pub fn upload(&self, upload: models::DocumentUpload) -> Upload {
        Upload::new(self.res.client.clone(), self.res.at.clone(), upload)
    }
    /// Deletes a document (`DELETE /system/documents/{id}`).
    pub fn delete(&self, id: i64) -> Delete {
        self.res.delete(id)
    }
}

/// Service boards and what is scoped to them.
#[derive(Debug, Clone)]
pub struct Boards {
    res: Resource<models::Board>,
}

impl Boards {
    /// `GET /service/boards`.
    pub fn list(&self) -> List<models::Board> {
        self.res.list()
    }
    /// `GET /service/boards/{id}`.
    pub fn get(&self, id: i64) -> Get<models::Board> {
        self.res.get(id)
    }
    /// `/service/boards/{board}/statuses`.
    pub fn statuses(&self, board: i64) -> Resource<models::BoardStatus> {
        self.under(board, "statuses", "board status")
    }
    /// `/service/boards/{board}/types`.
    pub fn types(&self, board: i64) -> Resource<models::BoardType> {
        self.under(board, "types", "board type")
    }
    /// `/service/boards/{board}/subtypes`.
    pub fn subtypes(&self, board: i64) -> Resource<models::BoardSubType> {
        self.under(board, "subtypes", "board subtype")
    }
    /// `/service/boards/{board}/items`.
    pub fn items(&self, board: i64) -> Resource<models::BoardItem> {
        self.under(board, "items", "board item")
    }

    fn under<U>(&self, board: i64, sub: &str, noun: &'static str) -> Resource<U>
    where
        U: DeserializeOwned + Serialize + Clone + Send + 'static,
    {
        Resource::new(
            self.res.client.clone(),
            Collection::under(
                board,
                "board",
                format!("service/boards/{board}/{sub}"),
                noun,
            ),
        )
    }
}

macro_rules! resources {
    ($($(#[$doc:meta])* $name:ident: $model:ident at $path:literal, $noun:literal;)*) => {
        impl Client {
            /// Service tickets (`/service/tickets`), their notes, audit
            /// trail, merge and bundle.
            pub fn tickets(&self) -> Tickets {
                Tickets {
                    res: Resource::new(self.clone(), Collection::new("service/tickets", "ticket")),
                }
            }
            /// Service boards and their statuses, types, subtypes and items.
            pub fn boards(&self) -> Boards {
                Boards {
                    res: Resource::new(self.clone(), Collection::new("service/boards", "board")),
                }
            }
            /// Documents (`/system/documents`): the files attached to records.
            pub fn documents(&self) -> Documents {
                Documents {
                    res: Resource::new(self.clone(), Collection::new("system/documents", "document")),
                }
            }
            $(
                $(#[$doc])*
                pub fn $name(&self) -> Resource<models::$model> {
                    Resource::new(self.clone(), Collection::new($path, $noun))
                }
            )*
        }
    };
}

resources! {
    /// Time entries (`/time/entries`).
    time_entries: TimeEntry at "time/entries", "time entry";
    /// Companies (`/company/companies`).
    companies: Company at "company/companies", "company";
    /// Contacts (`/company/contacts`).
    contacts: Contact at "company/contacts", "contact";
    /// Configurations (`/company/configurations`).
    configurations: Configuration at "company/configurations", "configuration";
    /// Schedule entries (`/schedule/entries`).
    schedule_entries: ScheduleEntry at "schedule/entries", "schedule entry";
    /// The product catalog (`/procurement/catalog`).
    catalog: CatalogItem at "procurement/catalog", "catalog item";
    /// Product lines of tickets, projects and orders (`/procurement/products`).
    products: ProductItem at "procurement/products", "product";
    /// Agreements (`/finance/agreements`).
    agreements: Agreement at "finance/agreements", "agreement";
    /// SLAs (`/service/SLAs`).
    slas: Sla at "service/SLAs", "SLA";
    /// Projects (`/project/projects`).
    projects: Project at "project/projects", "project";
    /// Knowledge-base articles (`/service/knowledgeBaseArticles`).
    kb_articles: KnowledgeBaseArticle at "service/knowledgeBaseArticles", "knowledge-base article";
    /// Priorities (`/service/priorities`).
    priorities: Priority at "service/priorities", "priority";
    /// Members (`/system/members`).
    members: Member at "system/members", "member";
    /// Work types (`/time/workTypes`).
    work_types: WorkType at "time/workTypes", "work type";
    /// Callbacks (`/system/callbacks`).
    callbacks: CallbackEntry at "system/callbacks", "callback";
    /// Custom-field definitions (`/system/userDefinedFields`).
    user_defined_fields: UserDefinedField at "system/userDefinedFields", "user-defined field";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_where_the_path_is_built() {
        let notes = Collection::under(12, "ticket", "service/tickets/12/notes", "note");
        assert_eq!(notes.record(5).unwrap(), "service/tickets/12/notes/5");
        let err = notes.record(0).unwrap_err();
        assert!(err.is_invalid_input());
        assert!(err.to_string().contains("ConnectWise note id"), "{err}");
        let orphan = Collection::under(-1, "ticket", "service/tickets/-1/notes", "note");
        let err = orphan.path().unwrap_err();
        assert!(err.to_string().contains("ConnectWise ticket id"), "{err}");
        assert_eq!(err.vendor(), Some(Vendor::ConnectWise));
        let tickets = Collection::new("service/tickets", "ticket");
        assert_eq!(
            tickets.action(7, "merge").unwrap(),
            "service/tickets/7/merge"
        );
    }
}
