//! Typed Halo records, in Halo's own (lowercase) field names.
//!
//! Every record keeps the fields it does not name in `extra`, so that
//! decoding and re-encoding a record reproduces it; a `null` Halo sends for
//! a named field reads as `None` and is left out when the record is written
//! back (Halo treats an absent field on `POST` as "unchanged").

mod action;
mod catalog;
mod common;
mod lookup;
pub(crate) mod macros;
mod party;
mod ticket;
mod webhook;

pub use action::Action;
pub use catalog::{Appointment, Asset, Contract, Item, KbArticle, Sla, TimesheetEvent};
pub use common::{CustomField, Listing};
pub use lookup::{LookupEntry, Priority, Status, Team, TicketType};
pub use party::{Agent, Client, Site, User};
pub(crate) use ticket::TicketHead;
pub use ticket::{Audit, Ticket, TicketItem};
pub use webhook::{
    EventNo, Notification, Redacted, Webhook, WebhookAuthType, WebhookKind, WebhookMethod,
};

use serde::de::{DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::{fmt, marker::PhantomData};

/// A record of resource `R` kept as the JSON text Halo sent, for the
/// mappings that decode only what they map and keep the rest as text
/// (`psa_core::RawRecord`).
pub(crate) struct Text<R>(
    pub(crate) Box<serde_json::value::RawValue>,
    PhantomData<fn() -> R>,
);

impl<'de, R> serde::Deserialize<'de> for Text<R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<serde_json::value::RawValue>::deserialize(d).map(|raw| Text(raw, PhantomData))
    }
}

impl<R: Resource> Resource for Text<R> {
    const LIST_KEY: &'static str = R::LIST_KEY;
}

/// A record type with a list endpoint: the key Halo wraps its list in.
pub trait Resource: DeserializeOwned {
    /// The key of the list in a list response (`tickets`, `actions` …).
    const LIST_KEY: &'static str;
}

macros::list_key! {
    Ticket => "tickets",
    Action => "actions",
    Client => "clients",
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
                        records = Some(map.next_value::<Vec<T>>()?);
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
