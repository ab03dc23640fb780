//! Look-ups: statuses, priorities, queues, ticket types, agents, work types.

use super::RawRecord;
use serde::{Deserialize, Serialize};

use crate::Id;

/// An entry of a look-up list (a status, a priority, a queue, a ticket type,
/// a work type).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LookupItem {
    /// Id (what ticket patches take).
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Whether the entry is active / selectable.
    pub active: Option<bool>,
    /// For statuses: whether tickets in it count as closed.
    pub closed: Option<bool>,
    /// The queue / board / ticket type this entry belongs to, where the vendor
    /// scopes it (ConnectWise statuses are per board).
    pub scope: Option<Id>,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl LookupItem {
    /// An entry.
    pub fn new(id: Id, name: impl Into<String>) -> Self {
        LookupItem {
            id,
            name: name.into(),
            active: None,
            closed: None,
            scope: None,
            raw: RawRecord::default(),
        }
    }
}

/// Narrows a look-up list to one queue / board or ticket type, where the
/// vendor scopes it.
///
/// A scope the vendor does not have is ignored, not an error: when a vendor
/// keeps one list of statuses for every queue, the statuses "of a queue" are
/// all of them. `capabilities()` notes which scopes a vendor honours.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct LookupScope {
    /// Only entries of this queue / board.
    pub queue: Option<Id>,
    /// Only entries of this ticket type.
    pub ticket_type: Option<Id>,
}

impl LookupScope {
    /// Everything.
    pub fn all() -> Self {
        LookupScope::default()
    }
    /// One queue / board.
    pub fn queue(id: impl Into<Id>) -> Self {
        LookupScope {
            queue: Some(id.into()),
            ticket_type: None,
        }
    }
    /// One ticket type.
    pub fn ticket_type(id: impl Into<Id>) -> Self {
        LookupScope {
            queue: None,
            ticket_type: Some(id.into()),
        }
    }
}

/// An agent / member / resource / technician.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Agent {
    /// Id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Login / identifier.
    pub identifier: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Whether active.
    pub active: Option<bool>,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl Agent {
    /// An agent.
    pub fn new(id: Id, name: impl Into<String>) -> Self {
        Agent {
            id,
            name: name.into(),
            identifier: None,
            email: None,
            active: None,
            raw: RawRecord::default(),
        }
    }
}
