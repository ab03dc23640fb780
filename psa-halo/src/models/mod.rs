//! Typed Halo records, in Halo's own (lowercase) field names.
//!
//! Every record keeps the fields it does not name in `extra`, so that
//! decoding and re-encoding a record reproduces it; a `null` Halo sends for
//! a named field reads as `None` and is left out when the record is written
//! back (Halo treats an absent field on `POST` as "unchanged").

mod action;
mod attachment;
mod catalog;
mod common;
mod lookup;
pub(crate) mod macros;
mod party;
mod ticket;
mod webhook;

pub use action::Action;
pub use attachment::{Attachment, FieldInfo, FieldValue};
pub use catalog::{Appointment, Asset, Contract, Item, KbArticle, Sla, TimesheetEvent};
pub use common::{CustomField, Listing, Number};
pub use lookup::{LookupEntry, Priority, Status, Team, TicketType};
pub use party::{Agent, Customer, Site, User};
pub(crate) use ticket::TicketHead;
pub use ticket::{Audit, Ticket, TicketItem};
pub use webhook::{
    EventNo, Notification, Redacted, Webhook, WebhookAuthType, WebhookKind, WebhookMethod,
};

use psa_core::reexports::bytes::Bytes;
use serde::Serialize;
use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::{fmt, marker::PhantomData};

/// A record of resource `R` kept as the JSON text Halo sent, undecoded:
/// what [`Get::send_text`](crate::resources::Get::send_text) and
/// [`List::text`](crate::resources::List::text) return, for a caller that
/// keeps a record's text (the uniform models' `raw`) and decodes only what
/// it needs.
///
/// A record read from a page is checked to be JSON by the page's decoding;
/// the body of a single read is not checked until it is decoded.
pub struct Text<R> {
    json: Bytes,
    _r: PhantomData<fn() -> R>,
}

impl<R> Text<R> {
    pub(crate) fn new(json: Bytes) -> Self {
        Text {
            json,
            _r: PhantomData,
        }
    }

    /// The text, as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.json
    }

    /// The text, as the bytes it arrived in (no copy).
    pub fn into_bytes(self) -> Bytes {
        self.json
    }
}

impl<R: DeserializeOwned> Text<R> {
    /// Decodes the record; a `Decode` error names the failing field.
    ///
    /// # Errors
    /// When the text is not a record of `R`.
    pub fn decode(&self) -> psa_core::Result<R> {
        crate::transport::decode(&self.json, std::any::type_name::<R>())
    }
}

impl<R> fmt::Debug for Text<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text(<{} bytes>)", self.json.len())
    }
}

impl<'de, R> serde::Deserialize<'de> for Text<R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        let text: Box<str> = raw.into();
        Ok(Text::new(Bytes::from(text.into_boxed_bytes())))
    }
}

impl<R: Resource> Resource for Text<R> {
    const LIST_KEY: &'static str = R::LIST_KEY;

    fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.json.hash(&mut h);
        h.finish()
    }
}

/// A record Halo creates and updates with a `POST` of an array
/// ([`Create`](crate::resources::Create), [`Update`](crate::resources::Update)):
/// a record without an id is created, one with an id is updated.
pub trait Writable: Serialize + DeserializeOwned {
    /// Whether the record carries its own id; an `InvalidInput` error
    /// naming the id (`record` is the record's name, "ticket") when it
    /// carries one Halo cannot have (not positive, not a GUID), or lacks a
    /// reference Halo requires (an action's ticket).
    ///
    /// # Errors
    /// As above.
    fn check_ids(&self, record: &str) -> psa_core::Result<bool>;
}

macros::writable!(
    Ticket,
    Attachment,
    Customer,
    User,
    Asset,
    Appointment,
    Webhook,
    Notification,
);

impl Writable for Action {
    /// An action belongs to a ticket: `ticket_id` must be positive too.
    fn check_ids(&self, record: &str) -> psa_core::Result<bool> {
        psa_core::id::positive(self.ticket_id.unwrap_or_default(), "halo ticket id")?;
        macros::IdField::check(&self.id, record)
    }
}

/// A record type with a list endpoint: the key Halo wraps its list in.
pub trait Resource: DeserializeOwned {
    /// The key of the list in a list response (`tickets`, `actions` …).
    const LIST_KEY: &'static str;

    /// A hash of the record as Halo sent it, for the fingerprint of a page
    /// (a server that serves the same records again under a new page
    /// number ends the listing with an error, `psa_core::paging`).
    fn fingerprint(&self) -> u64;
}

/// The most records the SDK decodes from one list response: Halo serves at
/// most 100 a page, and the endpoints it answers in one response (teams,
/// statuses, a ticket's actions …) hold far fewer than this; a response
/// with more is a misbehaving server, refused with a `Decode` error before
/// the record past the cap is decoded (`psa_core::paging::MaxRecords`).
pub const MAX_LIST_RECORDS: usize = 10_000;

/// The hash of a record's JSON.
pub(crate) fn hash_json<T: Serialize>(record: &T) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_vec(record).unwrap_or_default().hash(&mut h);
    h.finish()
}

macros::list_key! {
    Ticket => "tickets",
    Attachment => "attachments",
    FieldInfo => "fields",
    Action => "actions",
    Customer => "clients",
    Site => "sites",
    User => "users",
    Agent => "agents",
    Asset => "assets",
    Appointment => "appointments",
    Item => "items",
    Contract => "contracts",
    Sla => "slas",
    KbArticle => "articles",
    Status => "statuses",
    Priority => "priorities",
    Team => "teams",
    TicketType => "tickettypes",
    LookupEntry => "lookup",
    Webhook => "webhooks",
    Notification => "notifications",
    TimesheetEvent => "timesheetevents",
}

/// A list response body. Halo answers list endpoints either with a bare JSON
/// array or with an envelope `{"record_count": N, "<key>": [...]}` (the
/// envelope always when paginating); both decode. Decoding errors name the
/// field path (`tickets[3].id`).
pub(crate) struct ListBody<T>(pub(crate) Listing<T>);

impl<'de, T: Resource> serde::Deserialize<'de> for ListBody<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Resource> Visitor<'de> for V<T> {
            type Value = ListBody<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    "a JSON array or an object with a `{}` array",
                    T::LIST_KEY
                )
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut records = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1000));
                while let Some(r) = seq.next_element()? {
                    if records.len() == MAX_LIST_RECORDS {
                        return Err(serde::de::Error::custom(format_args!(
                            "the list has more than {MAX_LIST_RECORDS} records"
                        )));
                    }
                    records.push(r);
                }
                Ok(ListBody(Listing::new(records, None, None)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut records = None;
                let mut count = None;
                let mut page_no = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == T::LIST_KEY {
                        records = Some(
                            map.next_value::<psa_core::paging::MaxRecords<T, MAX_LIST_RECORDS>>()?
                                .into_inner(),
                        );
                    } else if key == "record_count" {
                        count = map.next_value::<Option<u64>>()?;
                    } else if key == "page_no" {
                        page_no = map.next_value::<Option<u64>>()?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                let records = records.ok_or_else(|| {
                    serde::de::Error::custom(format_args!("missing field `{}`", T::LIST_KEY))
                })?;
                Ok(ListBody(Listing::new(records, count, page_no)))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}
