//! The typed handles. ServiceNow's Table API is one resource generic over
//! tables, so there is one handle, [`Table`] (`client.table("incident")`,
//! and `client.tickets()` for the default ticket table);
//! its methods return the operations of [`ops`]: [`List`], [`Get`],
//! [`Create`], [`Update`] and [`Delete`]. [`Raw`] (`client.raw_request(…)`)
//! is any other REST call on the instance, and [`Batch`] (`client.batch()`)
//! sends the requests of several operations in one HTTP request.
//!
//! Every operation builds its [`ApiRequest`](psa_core::http::ApiRequest)
//! without IO in `request()`, takes per-call overrides through
//! [`Customize`](psa_core::http::Customize), and sends through the client.
//!
//! ```
//! use std::time::Duration;
//! use psa_core::http::Customize;
//! use psa_servicenow::{Auth, Client};
//! use psa_servicenow::query::{Query, Term};
//!
//! let client = Client::builder()
//!     .base_url("https://acme.service-now.com")
//!     .auth(Auth::basic("svc.psa", "secret".to_owned().into()))
//!     .build()?;
//! let list = client
//!     .table("incident")
//!     .list()
//!     .query(Query::new().and(Term::eq("active", "true")))
//!     .fields(["sys_id", "number"])
//!     .customize(|o| o.deadline(Duration::from_secs(2)).no_retry());
//! let req = list.request()?;
//! assert_eq!(req.path(), Some("/api/now/table/incident"));
//! assert_eq!(req.query_value("sysparm_query"), Some("active=true"));
//! assert_eq!(req.deadline_override(), Some(Duration::from_secs(2)));
//! assert!(req.is_idempotent());
//! # Ok::<(), psa_core::Error>(())
//! ```

pub mod batch;
pub mod ops;

use std::fmt;

use psa_core::{RawRequest, Result};
use serde::Serialize;

use crate::client::Client;
use crate::ids::{RecordKey, validate_table_name};

pub use batch::{BATCH_PATH, Batch, BatchItem, BatchResponse};
pub use ops::{Create, Delete, DisplayValue, Get, List, Raw, TablePage, Update};

/// A handle on one table: `client.table("incident")`. Cheap to clone.
///
/// The table name is checked (`[a-z][a-z0-9_]*`, at most 80 characters)
/// when an operation builds its request: a bad one is an `InvalidInput`
/// error and nothing is sent.
#[derive(Clone)]
pub struct Table {
    client: Client,
    name: String,
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Table {
    pub(crate) fn new(client: Client, name: String) -> Self {
        Table { client, name }
    }

    /// The table name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// `/api/now/table/{table}`, once the name is checked.
    pub(crate) fn path(&self) -> Result<String> {
        const PREFIX: &str = "/api/now/table/";
        validate_table_name(&self.name)?;
        // Room for a record's `/{sys_id}` after it.
        let mut path = String::with_capacity(PREFIX.len() + self.name.len() + 33);
        path.push_str(PREFIX);
        path.push_str(&self.name);
        Ok(path)
    }

    /// `GET /api/now/table/{table}`: a page of records, or a stream of all.
    pub fn list(&self) -> List {
        List::new(self.clone())
    }

    /// `GET /api/now/table/{table}/{sys_id}`.
    pub fn get(&self, sys_id: impl Into<RecordKey>) -> Get {
        Get::new(self.clone(), sys_id.into())
    }

    /// `POST /api/now/table/{table}`: inserts one record. Not idempotent:
    /// never retried automatically (an unknown outcome is an
    /// `AmbiguousWrite` error).
    pub fn create(&self, body: impl Serialize) -> Create {
        Create::new(self.clone(), body)
    }

    /// `PATCH /api/now/table/{table}/{sys_id}`: sets the fields in `body`.
    ///
    /// Idempotent (setting fields to values twice is setting them once), so
    /// retried on a transient failure — except when `body` writes a journal
    /// field of a task-family record (`work_notes`, `comments`,
    /// `comments_and_work_notes`): each such write adds a journal entry, so
    /// it is never re-sent.
    pub fn update(&self, sys_id: impl Into<RecordKey>, body: impl Serialize) -> Update {
        Update::new(self.clone(), sys_id.into(), body)
    }

    /// `DELETE /api/now/table/{table}/{sys_id}`.
    pub fn delete(&self, sys_id: impl Into<RecordKey>) -> Delete {
        Delete::new(self.clone(), sys_id.into())
    }
}

impl Client {
    /// A handle on a table: `client.table("incident").list()…`.
    pub fn table(&self, name: impl Into<String>) -> Table {
        Table::new(self.clone(), name.into())
    }

    /// The handle on the client's default ticket table (`incident` unless
    /// [`ClientBuilder::default_table`](crate::ClientBuilder::default_table)
    /// says otherwise): `client.tickets().get(sys_id).send_as::<Ticket>()`.
    /// The other task tables are `client.table(TaskTable::ScReqItem.as_str())` ….
    pub fn tickets(&self) -> Table {
        self.table(self.default_table().as_str())
    }

    /// Any REST call on the instance (`api/…`: the Table API, the Aggregate
    /// API, a scripted REST API), as [`Psa::raw`](psa_core::Psa::raw) sends
    /// it.
    pub fn raw_request(&self, request: RawRequest) -> Raw {
        Raw::new(self.clone(), request)
    }
}
