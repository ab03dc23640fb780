//! The operations the handles return: each builds its [`ApiRequest`]
//! without IO in `request()` (method, path, query, body, idempotency, the
//! per-call options of [`Customize`]) and sends it with `send()`.
//!
//! | operation | request | idempotent |
//! |---|---|---|
//! | [`Get`] | `GET /{Entity}/{id}` | yes |
//! | [`List`] | `POST /{Entity}/query`, then `GET` each `nextPageUrl` | yes (a read) |
//! | [`Count`] | `POST /{Entity}/query/count` | yes (a read) |
//! | [`Create`] | `POST /{Entity}` or `POST /{Parent}/{id}/{Children}` | no |
//! | [`Update`] | `PATCH` the collection, the id in the body (sparse) | yes |
//! | [`Delete`] | `DELETE /{Entity}/{id}` | yes |
//! | [`ListChildren`] | `GET /{Parent}/{id}/{Children}` | yes |
//! | [`GetFields`] | `GET /{Entity}/entityInformation/fields` (or `/userDefinedFields`) | yes |

use std::fmt;
use std::marker::PhantomData;

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use http::{HeaderValue, Method};
use psa_core::http::{ApiRequest, Customize, RequestOptions};
use psa_core::paging::{self, Page, PageDecoder, PageToken};
use psa_core::{Error, ErrorKind, RawRecord, Result, Vendor};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use url::Url;

use crate::client::Client;
use crate::models::{Entity, FieldInformationResult, ItemId, ItemResult, QueryCount, QueryResult};
use crate::query::{MAX_RECORDS, Query};
use crate::transport::request;

/// The id of a record of `entity`, checked before anything is sent: at
/// least `min` (1; 0 for companies), or an `InvalidInput` error naming it.
pub(crate) fn record_id(entity: &str, min: i64, id: i64) -> Result<i64> {
    let what = format!("autotask {entity} id");
    if min <= 0 {
        if id < 0 {
            return Err(Error::invalid_input(format!(
                "{what} must not be negative, got {id}"
            )));
        }
        return Ok(id);
    }
    psa_core::id::positive(id, &what)
}

/// Declares an operation: its struct (the client, the fields named, the
/// per-call options), [`Customize`], a `Debug` that shows the fields before
/// the `;` (never a body, which may hold a webhook's secret key) and a
/// constructor taking the fields in order.
macro_rules! operation {
    (
        $(#[$doc:meta])*
        $name:ident { $($field:ident: $ty:ty),* $(; $($hidden:ident: $hty:ty),*)? }
    ) => {
        $(#[$doc])*
        #[must_use]
        pub struct $name<T> {
            client: Client,
            $($field: $ty,)*
            $($($hidden: $hty,)*)?
            options: RequestOptions,
            _t: PhantomData<fn() -> T>,
        }

        impl<T> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    $(.field(stringify!($field), &self.$field))*
                    .field("options", &self.options)
                    .finish_non_exhaustive()
            }
        }

        impl<T> Customize for $name<T> {
            fn options_mut(&mut self) -> &mut RequestOptions {
                &mut self.options
            }
        }

        impl<T> $name<T> {
            pub(crate) fn new(client: Client, $($field: $ty,)* $($($hidden: $hty,)*)?) -> Self {
                $name {
                    client,
                    $($field,)*
                    $($($hidden,)*)?
                    options: RequestOptions::new(),
                    _t: PhantomData,
                }
            }
        }
    };
}

/// Where a record lives: a root collection (`Tickets`) or a child
/// collection under a parent record (`Tickets/{id}/Notes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Collection {
    /// `/{entity}`.
    Root(&'static str),
    /// `/{parent}/{id}/{segment}`.
    Child {
        parent: &'static str,
        parent_min: i64,
        parent_id: i64,
        segment: &'static str,
    },
}

impl Collection {
    /// The collection's path relative to `/V1.0/`, the parent id checked.
    pub(crate) fn path(&self) -> Result<String> {
        match *self {
            Collection::Root(entity) => Ok(entity.to_owned()),
            Collection::Child {
                parent,
                parent_min,
                parent_id,
                segment,
            } => Ok(format!(
                "{parent}/{}/{segment}",
                record_id(parent, parent_min, parent_id)?
            )),
        }
    }
}

operation! {
    /// `GET /{Entity}/{id}`: one record. A missing record is a `NotFound` error.
    Get { id: i64 }
}

impl<T: Entity> Get<T> {
    /// The request, built without IO; an id below the entity's smallest is
    /// `InvalidInput`.
    ///
    /// ```
    /// # fn demo(client: psa_autotask::Client) -> psa_core::Result<()> {
    /// let req = client.tickets().get(1001).request()?;
    /// assert_eq!(req.path(), Some("Tickets/1001"));
    /// assert!(req.is_idempotent());
    /// assert!(client.tickets().get(0).request().unwrap_err().is_invalid_input());
    /// # Ok(()) }
    /// ```
    pub fn request(&self) -> Result<ApiRequest> {
        let id = record_id(T::ENTITY, T::MIN_ID, self.id)?;
        Ok(self
            .options
            .apply(request(Method::GET, format!("{}/{id}", T::ENTITY))))
    }

    /// Sends it; the record.
    pub async fn send(self) -> Result<T> {
        self.fetch::<T>().await
    }

    /// Sends it; the record and its JSON as sent, kept unparsed (what the
    /// uniform models carry as `raw`).
    pub async fn send_record(self) -> Result<(T, RawRecord)> {
        let what = format!("{} {}", T::ENTITY, self.id);
        let raw = self.fetch::<Box<RawValue>>().await?;
        RawRecord::parse_raw_value::<T>(Some(Vendor::Autotask), &what, raw)
    }

    /// The `item` of `{"item": …}` decoded as `I`; a `null` item is `NotFound`.
    async fn fetch<I: DeserializeOwned>(self) -> Result<I> {
        let req = self.request()?;
        let what = format!("{} {}", T::ENTITY, self.id);
        let wrapper: ItemResult<I> = self.client.send_json(req, &what).await?;
        wrapper.item.ok_or_else(|| {
            Error::new(ErrorKind::NotFound, format!("{what} does not exist"))
                .with_vendor(Vendor::Autotask)
        })
    }
}

operation! {
    /// `POST /{Entity}/query`: a query, read page by page (500 records a page,
    /// the most Autotask allows, following `nextPageUrl` on the zone's origin
    /// only). `send()` reads the first page, `stream()` every record lazily
    /// (memory bounded by one page).
    List { query: Query, limit: Option<u64> }
}

impl<T> Clone for List<T> {
    fn clone(&self) -> Self {
        List {
            client: self.client.clone(),
            query: self.query.clone(),
            limit: self.limit,
            options: self.options.clone(),
            _t: PhantomData,
        }
    }
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

impl<T: Entity> List<T> {
    /// Stops after `n` records, and asks Autotask for no more than needed
    /// (`MaxRecords` = `n` when it is under 500).
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        if n > 0 && n < u64::from(MAX_RECORDS) {
            self.query = self
                .query
                .max_records(u32::try_from(n).unwrap_or(MAX_RECORDS));
        }
        self
    }

    /// The query as it will be sent.
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// The first page's request, built without IO: `POST /{Entity}/query`
    /// with the query as its body, a read (idempotent). A query Autotask
    /// would refuse (no filter, too many `OR`s) is `InvalidInput`.
    ///
    /// ```
    /// # fn demo(client: psa_autotask::Client) -> psa_core::Result<()> {
    /// use psa_autotask::query::{Filter, Query};
    /// let req = client
    ///     .tickets()
    ///     .list(Query::new().filter(Filter::eq("priority", 4)))
    ///     .limit(10)
    ///     .request()?;
    /// assert_eq!(req.path(), Some("Tickets/query"));
    /// assert!(req.is_idempotent());
    /// assert_eq!(req.body_json().unwrap()["MaxRecords"], 10);
    /// # Ok(()) }
    /// ```
    pub fn request(&self) -> Result<ApiRequest> {
        let body = self.query.to_body()?;
        Ok(self.options.apply(
            request(Method::POST, format!("{}/query", T::ENTITY))
                .body(body, HeaderValue::from_static("application/json"))
                .idempotent(true),
        ))
    }

    /// The request for a next-page URL: a `GET` on the zone's own origin
    /// only (the HTTP client checks it again before sending).
    async fn next_page(&self, next: Url) -> Result<ApiRequest> {
        let base = self.client.api_base().await?;
        if next.origin() != base.origin() {
            return Err(Error::new(
                ErrorKind::Api,
                format!(
                    "nextPageUrl points at {}, not this client's zone {}: not followed",
                    next.origin().ascii_serialization(),
                    base.origin().ascii_serialization()
                ),
            )
            .with_vendor(Vendor::Autotask));
        }
        Ok(self.options.apply(
            ApiRequest::absolute(Method::GET, next)
                .rate_key(T::ENTITY.to_ascii_lowercase())
                .idempotent(true),
        ))
    }

    /// One page, its items decoded as `I`.
    async fn page<I: DeserializeOwned>(&self, token: Option<PageToken>) -> Result<Page<I>> {
        let req = match token {
            None => self.request()?,
            Some(PageToken::Url(url)) => self.next_page(url).await?,
            Some(other) => {
                return Err(Error::new(
                    ErrorKind::Api,
                    format!("unexpected page token {other:?} for an Autotask query"),
                )
                .with_vendor(Vendor::Autotask));
            }
        };
        // The records are read with a cap: a page holds at most 500, and a
        // hostile one (millions of `{}` under the body limit) is refused
        // before it is held in memory.
        let resp = self.client.send(req).await?;
        let (items, envelope): (Vec<Box<RawValue>>, PageRest) = PageDecoder::new(
            format!("Autotask {} query page", T::ENTITY),
            MAX_PAGE_RECORDS,
        )
        .vendor(Vendor::Autotask)
        .decode_envelope(&resp.body, "items")?;
        let page = QueryResult {
            items,
            page_details: envelope.page_details,
        };
        let next = page
            .page_details
            .and_then(|d| d.next_page_url)
            .filter(|u| !u.trim().is_empty())
            .map(|u| {
                Url::parse(&u).map(PageToken::Url).map_err(|e| {
                    Error::new(ErrorKind::Decode, format!("nextPageUrl is not a URL: {e}"))
                        .with_vendor(Vendor::Autotask)
                })
            })
            .transpose()?;
        let items = page
            .items
            .iter()
            .map(|raw| {
                serde_json::from_str::<I>(raw.get()).map_err(|e| {
                    Error::new(
                        ErrorKind::Decode,
                        format!("a {} record of a query page: {e}", T::ENTITY),
                    )
                    .with_vendor(Vendor::Autotask)
                })
            })
            .collect::<Result<Vec<I>>>()?;
        // A page whose records repeat an earlier page's ends the listing with
        // an error (a server cycling through fresh next-page URLs).
        let fingerprint = Page::new(page.items, None)
            .with_fingerprint_by(|r| r.get().to_owned())
            .fingerprint;
        let mut out = Page::new(items, next);
        out.fingerprint = fingerprint;
        Ok(out)
    }

    /// Every record decoded as `I`, paging lazily; at most `limit`. A
    /// repeated next-page URL ends the stream (psa-core's paging).
    fn items<I: DeserializeOwned + Send + 'static>(self) -> BoxStream<'static, Result<I>> {
        let limit = self.limit;
        let items = paging::items(move |token: Option<PageToken>| {
            let this = self.clone();
            async move { this.page::<I>(token).await }
        });
        match limit {
            Some(n) => items.take(usize::try_from(n).unwrap_or(usize::MAX)).boxed(),
            None => items,
        }
    }

    /// Sends the first page.
    pub async fn send(self) -> Result<QueryPage<T>> {
        let page = self.page::<T>(None).await?;
        Ok(QueryPage {
            items: page.items,
            next_page_url: page.next.and_then(|t| match t {
                PageToken::Url(u) => Some(u.to_string()),
                _ => None,
            }),
        })
    }

    /// Every matching record, paging lazily (memory bounded by one page).
    pub fn stream(self) -> BoxStream<'static, Result<T>> {
        self.items::<T>()
    }

    /// Every matching record with its JSON as sent, kept unparsed (what the
    /// uniform models carry as `raw`).
    pub fn stream_records(self) -> BoxStream<'static, Result<(T, RawRecord)>> {
        self.items::<Box<RawValue>>()
            .and_then(|raw| async move {
                RawRecord::parse_raw_value::<T>(Some(Vendor::Autotask), T::ENTITY, raw)
            })
            .boxed()
    }
}

/// The most records a query page may hold before it is refused: twice
/// Autotask's page of 500.
const MAX_PAGE_RECORDS: usize = 1_000;

/// A query page's fields besides `items`.
#[derive(Debug, Default, serde::Deserialize)]
struct PageRest {
    #[serde(rename = "pageDetails", default)]
    page_details: Option<crate::models::PageDetails>,
}

operation! {
    /// `POST /{Entity}/query/count`: how many records match a query.
    Count { query: Query }
}

impl<T: Entity> Count<T> {
    /// The request, built without IO: a read (idempotent).
    pub fn request(&self) -> Result<ApiRequest> {
        let body = self.query.to_body()?;
        Ok(self.options.apply(
            request(Method::POST, format!("{}/query/count", T::ENTITY))
                .body(body, HeaderValue::from_static("application/json"))
                .idempotent(true),
        ))
    }

    /// Sends it; the number of matching records.
    pub async fn send(self) -> Result<i64> {
        let req = self.request()?;
        let count: QueryCount = self.client.send_json(req, "query count").await?;
        Ok(count.query_count)
    }
}

operation! {
    /// `POST` a new record to its collection; its id. Never retried
    /// automatically: an unknown outcome is an `AmbiguousWrite`.
    Create { collection: Collection; body: std::result::Result<Value, String> }
}

impl<T: Entity> Create<T> {
    pub(crate) fn record(client: Client, collection: Collection, record: &T) -> Self {
        Create::new(
            client,
            collection,
            serde_json::to_value(record).map_err(|e| e.to_string()),
        )
    }

    pub(crate) fn fields(
        client: Client,
        collection: Collection,
        fields: Map<String, Value>,
    ) -> Self {
        Create::new(client, collection, Ok(Value::Object(fields)))
    }

    /// The request, built without IO: not idempotent.
    ///
    /// ```
    /// # fn demo(client: psa_autotask::Client) -> psa_core::Result<()> {
    /// let mut note = psa_autotask::models::TicketNote::default();
    /// note.description = Some("Checked the spooler".into());
    /// let req = client.tickets().notes(1001).create(&note).request()?;
    /// assert_eq!(req.path(), Some("Tickets/1001/Notes"));
    /// assert!(!req.is_idempotent());
    /// assert_eq!(req.body_json().unwrap()["description"], "Checked the spooler");
    /// # Ok(()) }
    /// ```
    pub fn request(&self) -> Result<ApiRequest> {
        let body = self.body.as_ref().map_err(|e| {
            Error::invalid_input(format!("the record could not be encoded as JSON: {e}"))
        })?;
        let req = request(Method::POST, self.collection.path()?).idempotent(false);
        Ok(self.options.apply(req.json(body)?))
    }

    /// Sends it; the new record's id.
    pub async fn send(self) -> Result<i64> {
        let req = self.request()?;
        let id: ItemId = self.client.send_json(req, "create result").await?;
        Ok(id.item_id)
    }
}

operation! {
    /// `PATCH` the collection: changes only the given fields of one record
    /// (sparse; `null` clears a field), the id in the body. Setting fields to
    /// values is idempotent, so it is retried like a read.
    Update { collection: Collection, id: i64; changes: Map<String, Value> }
}

impl<T: Entity> Update<T> {
    /// Adds `more` to the fields to change (a field given again takes the
    /// new value).
    pub fn changes(mut self, more: Map<String, Value>) -> Self {
        self.changes.extend(more);
        self
    }

    /// The request, built without IO: idempotent (a sparse update sets
    /// fields to values).
    ///
    /// ```
    /// # fn demo(client: psa_autotask::Client) -> psa_core::Result<()> {
    /// let mut changes = serde_json::Map::new();
    /// changes.insert("priority".into(), 1.into());
    /// let req = client.tickets().update(1001, changes).request()?;
    /// assert_eq!(req.method(), http::Method::PATCH);
    /// assert_eq!(req.path(), Some("Tickets"));
    /// assert_eq!(req.body_json().unwrap(), serde_json::json!({"priority": 1, "id": 1001}));
    /// assert!(req.is_idempotent());
    /// # Ok(()) }
    /// ```
    pub fn request(&self) -> Result<ApiRequest> {
        let id = record_id(T::ENTITY, T::MIN_ID, self.id)?;
        let mut body = self.changes.clone();
        body.insert("id".into(), Value::from(id));
        let req = request(Method::PATCH, self.collection.path()?).idempotent(true);
        Ok(self.options.apply(req.json(&Value::Object(body))?))
    }

    /// Sends it; the record's id.
    pub async fn send(self) -> Result<i64> {
        let req = self.request()?;
        let id: ItemId = self.client.send_json(req, "update result").await?;
        Ok(id.item_id)
    }
}

operation! {
    /// `DELETE` a record, for entities Autotask lets you delete.
    Delete { collection: Collection, id: i64 }
}

impl<T: Entity> Delete<T> {
    /// The request, built without IO: idempotent.
    pub fn request(&self) -> Result<ApiRequest> {
        let id = record_id(T::ENTITY, T::MIN_ID, self.id)?;
        Ok(self.options.apply(request(
            Method::DELETE,
            format!("{}/{id}", self.collection.path()?),
        )))
    }

    /// Sends it.
    pub async fn send(self) -> Result<()> {
        let req = self.request()?;
        self.client.send_empty(req).await
    }
}

operation! {
    /// `GET` a child collection (`/Tickets/{id}/Notes`): every child of the
    /// parent, in one answer.
    ListChildren { collection: Collection }
}

impl<T: Entity> ListChildren<T> {
    /// The request, built without IO: idempotent.
    pub fn request(&self) -> Result<ApiRequest> {
        Ok(self
            .options
            .apply(request(Method::GET, self.collection.path()?)))
    }

    /// Sends it; the children.
    pub async fn send(self) -> Result<Vec<T>> {
        let req = self.request()?;
        let page: QueryResult<T> = self.client.send_json(req, "child records").await?;
        Ok(page.items)
    }

    /// Sends it; the children with their JSON as sent.
    pub async fn send_records(self) -> Result<Vec<(T, RawRecord)>> {
        let req = self.request()?;
        let page: QueryResult<Box<RawValue>> = self.client.send_json(req, "child records").await?;
        page.items
            .into_iter()
            .enumerate()
            .map(|(i, raw)| {
                RawRecord::parse_raw_value::<T>(Some(Vendor::Autotask), &format!("items[{i}]"), raw)
            })
            .collect()
    }
}

/// `GET /{Entity}/entityInformation/fields`: an entity's fields, with the
/// values of its picklists.
#[must_use]
#[derive(Debug)]
pub struct GetFields {
    client: Client,
    entity: String,
    udfs: bool,
    options: RequestOptions,
}

impl Customize for GetFields {
    fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.options
    }
}

impl GetFields {
    pub(crate) fn new(client: Client, entity: String) -> Self {
        GetFields {
            client,
            entity,
            udfs: false,
            options: RequestOptions::new(),
        }
    }

    /// The entity's user-defined fields instead
    /// (`GET /{Entity}/entityInformation/userDefinedFields`).
    pub(crate) fn user_defined(mut self) -> Self {
        self.udfs = true;
        self
    }

    /// The request, built without IO; an entity name that is not a plain
    /// identifier is `InvalidInput`.
    pub fn request(&self) -> Result<ApiRequest> {
        crate::query::validate_field(&self.entity, false)?;
        Ok(self.options.apply(request(
            Method::GET,
            format!(
                "{}/entityInformation/{}",
                self.entity,
                if self.udfs {
                    "userDefinedFields"
                } else {
                    "fields"
                }
            ),
        )))
    }

    /// Sends it; the fields.
    pub async fn send(self) -> Result<FieldInformationResult> {
        let req = self.request()?;
        self.client.send_json(req, "entity field information").await
    }
}
