//! Tickets, ticket queries, ticket creation and triage patches.

use super::RawRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{CustomFields, Ref, custom_field_names, field_if, require_text};
use crate::{Id, Result};

/// A ticket (HaloPSA ticket / "fault", ConnectWise service ticket, Autotask
/// ticket, ServiceNow task-family record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ticket {
    /// The ticket's id. ServiceNow ids name the table: `incident:<sys_id>`.
    pub id: Id,
    /// The number people quote (`INC0010001`, `T20240101.0001`), when it differs from the id.
    pub number: Option<String>,
    /// One-line summary / title / short description.
    pub summary: String,
    /// The full description, as text.
    pub description: Option<String>,
    /// Status.
    pub status: Option<Ref>,
    /// Priority.
    pub priority: Option<Ref>,
    /// Queue / board / team / assignment group.
    pub queue: Option<Ref>,
    /// Ticket type.
    pub ticket_type: Option<Ref>,
    /// Subtype / sub-issue type / category.
    pub subtype: Option<Ref>,
    /// The company (client / account) the ticket is for.
    pub company: Option<Ref>,
    /// The contact (end user / caller) who raised it.
    pub contact: Option<Ref>,
    /// The agent it is assigned to.
    pub owner: Option<Ref>,
    /// Whether it is closed (resolved, completed, cancelled), when known.
    pub closed: Option<bool>,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last updated.
    pub updated_at: Option<DateTime<Utc>>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// When it is due (SLA resolution target or due date).
    pub due_at: Option<DateTime<Utc>>,
    /// Parent ticket (bundles, child tickets).
    pub parent: Option<Id>,
    /// The ticket this one was merged into.
    pub merged_into: Option<Id>,
    /// Custom / user-defined fields.
    pub custom_fields: CustomFields,
    /// The vendor's record exactly as received.
    pub raw: RawRecord,
}

impl Ticket {
    /// A ticket with only an id and a summary; vendor mappings fill the rest.
    pub fn new(id: Id, summary: impl Into<String>) -> Self {
        Ticket {
            id,
            number: None,
            summary: summary.into(),
            description: None,
            status: None,
            priority: None,
            queue: None,
            ticket_type: None,
            subtype: None,
            company: None,
            contact: None,
            owner: None,
            closed: None,
            created_at: None,
            updated_at: None,
            closed_at: None,
            due_at: None,
            parent: None,
            merged_into: None,
            custom_fields: CustomFields::new(),
            raw: RawRecord::default(),
        }
    }
}

/// Whether to list open tickets, closed ones, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    /// Open tickets only.
    #[default]
    Open,
    /// Closed tickets only.
    Closed,
    /// Both.
    Any,
}

/// A vendor-neutral ticket query. Empty fields do not filter.
///
/// Text search goes into each vendor's query language escaped (or is
/// rejected): it can never widen the query.
///
/// ```
/// use psa_core::{Id, TicketQuery};
/// let q = TicketQuery::open()
///     .company(Id::from(12))
///     .priority(Id::from(1))
///     .text("printer offline");
/// assert_eq!(q.text.as_deref(), Some("printer offline"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TicketQuery {
    /// Open, closed or both (default open).
    pub state: TicketState,
    /// Any of these statuses.
    pub statuses: Vec<Id>,
    /// Any of these priorities.
    pub priorities: Vec<Id>,
    /// This company.
    pub company: Option<Id>,
    /// This contact.
    pub contact: Option<Id>,
    /// Assigned to this agent.
    pub owner: Option<Id>,
    /// In this queue / board / team.
    pub queue: Option<Id>,
    /// Of this ticket type.
    pub ticket_type: Option<Id>,
    /// Created at or after.
    pub created_since: Option<DateTime<Utc>>,
    /// Updated at or after.
    pub updated_since: Option<DateTime<Utc>>,
    /// Free text, matched against summary (and details where the vendor can).
    pub text: Option<String>,
    /// Stop after this many tickets.
    pub limit: Option<u64>,
}

impl TicketQuery {
    /// Open tickets (the default).
    pub fn open() -> Self {
        TicketQuery::default()
    }
    /// Closed tickets.
    pub fn closed() -> Self {
        TicketQuery {
            state: TicketState::Closed,
            ..TicketQuery::default()
        }
    }
    /// Open and closed tickets.
    pub fn any() -> Self {
        TicketQuery {
            state: TicketState::Any,
            ..TicketQuery::default()
        }
    }
    /// Adds a status to match.
    #[must_use]
    pub fn status(mut self, id: impl Into<Id>) -> Self {
        self.statuses.push(id.into());
        self
    }
    /// Adds a priority to match.
    #[must_use]
    pub fn priority(mut self, id: impl Into<Id>) -> Self {
        self.priorities.push(id.into());
        self
    }
    /// Only this company's tickets.
    #[must_use]
    pub fn company(mut self, id: impl Into<Id>) -> Self {
        self.company = Some(id.into());
        self
    }
    /// Only this contact's tickets.
    #[must_use]
    pub fn contact(mut self, id: impl Into<Id>) -> Self {
        self.contact = Some(id.into());
        self
    }
    /// Only tickets assigned to this agent.
    #[must_use]
    pub fn owner(mut self, id: impl Into<Id>) -> Self {
        self.owner = Some(id.into());
        self
    }
    /// Only tickets in this queue / board.
    #[must_use]
    pub fn queue(mut self, id: impl Into<Id>) -> Self {
        self.queue = Some(id.into());
        self
    }
    /// Only tickets of this type.
    #[must_use]
    pub fn ticket_type(mut self, id: impl Into<Id>) -> Self {
        self.ticket_type = Some(id.into());
        self
    }
    /// Only tickets created at or after `t`.
    #[must_use]
    pub fn created_since(mut self, t: DateTime<Utc>) -> Self {
        self.created_since = Some(t);
        self
    }
    /// Only tickets updated at or after `t`.
    #[must_use]
    pub fn updated_since(mut self, t: DateTime<Utc>) -> Self {
        self.updated_since = Some(t);
        self
    }
    /// Free-text search.
    #[must_use]
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }
    /// Stop after `n` tickets.
    #[must_use]
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }
}

/// A ticket to create.
///
/// ```
/// use psa_core::{Id, NewTicket};
/// let t = NewTicket::new("Printer offline on 3rd floor", Id::from(12))
///     .contact(Id::from(40))
///     .description("Reported by phone")
///     .priority(Id::from(2));
/// assert!(t.validate().is_ok());
/// assert!(t.written_fields().contains(&"priority".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct NewTicket {
    /// One-line summary (required).
    pub summary: String,
    /// The company it is for (required by every vendor).
    pub company: Id,
    /// Full description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The contact who raised it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Id>,
    /// Initial status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Id>,
    /// Priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Id>,
    /// Queue / board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<Id>,
    /// Ticket type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_type: Option<Id>,
    /// Subtype.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<Id>,
    /// Assigned agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Id>,
    /// Custom fields.
    #[serde(default, skip_serializing_if = "CustomFields::is_empty")]
    pub custom_fields: CustomFields,
}

impl NewTicket {
    /// The longest summary every vendor accepts (ConnectWise: 100).
    pub const MAX_SUMMARY: usize = 100;

    /// A ticket for `company` with a summary.
    pub fn new(summary: impl Into<String>, company: impl Into<Id>) -> Self {
        NewTicket {
            summary: summary.into(),
            company: company.into(),
            description: None,
            contact: None,
            status: None,
            priority: None,
            queue: None,
            ticket_type: None,
            subtype: None,
            owner: None,
            custom_fields: CustomFields::new(),
        }
    }
    /// Sets the description.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }
    /// Sets the contact.
    #[must_use]
    pub fn contact(mut self, id: impl Into<Id>) -> Self {
        self.contact = Some(id.into());
        self
    }
    /// Sets the status.
    #[must_use]
    pub fn status(mut self, id: impl Into<Id>) -> Self {
        self.status = Some(id.into());
        self
    }
    /// Sets the priority.
    #[must_use]
    pub fn priority(mut self, id: impl Into<Id>) -> Self {
        self.priority = Some(id.into());
        self
    }
    /// Sets the queue / board.
    #[must_use]
    pub fn queue(mut self, id: impl Into<Id>) -> Self {
        self.queue = Some(id.into());
        self
    }
    /// Sets the ticket type.
    #[must_use]
    pub fn ticket_type(mut self, id: impl Into<Id>) -> Self {
        self.ticket_type = Some(id.into());
        self
    }
    /// Sets the subtype.
    #[must_use]
    pub fn subtype(mut self, id: impl Into<Id>) -> Self {
        self.subtype = Some(id.into());
        self
    }
    /// Assigns an agent.
    #[must_use]
    pub fn owner(mut self, id: impl Into<Id>) -> Self {
        self.owner = Some(id.into());
        self
    }
    /// Sets a custom field.
    #[must_use]
    pub fn custom_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.custom_fields.insert(name, value);
        self
    }

    /// Checks what every vendor requires: a non-empty summary of at most
    /// [`MAX_SUMMARY`](Self::MAX_SUMMARY) characters.
    pub fn validate(&self) -> Result<()> {
        require_text("ticket summary", &self.summary, Self::MAX_SUMMARY)
    }

    /// The uniform fields this input writes.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = vec!["summary".to_owned(), "company".to_owned()];
        field_if(&mut f, self.description.as_ref(), "description");
        field_if(&mut f, self.contact.as_ref(), "contact");
        field_if(&mut f, self.status.as_ref(), "status");
        field_if(&mut f, self.priority.as_ref(), "priority");
        field_if(&mut f, self.queue.as_ref(), "queue");
        field_if(&mut f, self.ticket_type.as_ref(), "ticket_type");
        field_if(&mut f, self.subtype.as_ref(), "subtype");
        field_if(&mut f, self.owner.as_ref(), "owner");
        custom_field_names(&mut f, &self.custom_fields);
        f
    }
}

/// A triage update: only the fields set are changed.
///
/// ```
/// use psa_core::{Id, TicketPatch};
/// let p = TicketPatch::new().status(Id::from(3)).priority(Id::from(1));
/// assert_eq!(p.written_fields(), vec!["status", "priority"]);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TicketPatch {
    /// New status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Id>,
    /// New priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Id>,
    /// New queue / board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<Id>,
    /// New ticket type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_type: Option<Id>,
    /// New subtype.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<Id>,
    /// New owner (assigned agent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Id>,
    /// New summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Custom fields to set.
    #[serde(default, skip_serializing_if = "CustomFields::is_empty")]
    pub custom_fields: CustomFields,
}

impl TicketPatch {
    /// An empty patch.
    pub fn new() -> Self {
        TicketPatch::default()
    }
    /// Sets the status.
    #[must_use]
    pub fn status(mut self, id: impl Into<Id>) -> Self {
        self.status = Some(id.into());
        self
    }
    /// Sets the priority.
    #[must_use]
    pub fn priority(mut self, id: impl Into<Id>) -> Self {
        self.priority = Some(id.into());
        self
    }
    /// Sets the queue / board.
    #[must_use]
    pub fn queue(mut self, id: impl Into<Id>) -> Self {
        self.queue = Some(id.into());
        self
    }
    /// Sets the ticket type.
    #[must_use]
    pub fn ticket_type(mut self, id: impl Into<Id>) -> Self {
        self.ticket_type = Some(id.into());
        self
    }
    /// Sets the subtype.
    #[must_use]
    pub fn subtype(mut self, id: impl Into<Id>) -> Self {
        self.subtype = Some(id.into());
        self
    }
    /// Assigns an agent.
    #[must_use]
    pub fn owner(mut self, id: impl Into<Id>) -> Self {
        self.owner = Some(id.into());
        self
    }
    /// Sets the summary.
    #[must_use]
    pub fn summary(mut self, text: impl Into<String>) -> Self {
        self.summary = Some(text.into());
        self
    }
    /// Sets a custom field.
    #[must_use]
    pub fn custom_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.custom_fields.insert(name, value);
        self
    }

    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.written_fields().is_empty()
    }

    /// Rejects an empty patch and a bad summary.
    pub fn validate(&self) -> Result<()> {
        if self.is_empty() {
            return Err(crate::Error::invalid_input("ticket patch changes nothing"));
        }
        if let Some(s) = &self.summary {
            require_text("ticket summary", s, NewTicket::MAX_SUMMARY)?;
        }
        Ok(())
    }

    /// The uniform fields this patch writes.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = Vec::new();
        field_if(&mut f, self.status.as_ref(), "status");
        field_if(&mut f, self.priority.as_ref(), "priority");
        field_if(&mut f, self.queue.as_ref(), "queue");
        field_if(&mut f, self.ticket_type.as_ref(), "ticket_type");
        field_if(&mut f, self.subtype.as_ref(), "subtype");
        field_if(&mut f, self.owner.as_ref(), "owner");
        field_if(&mut f, self.summary.as_ref(), "summary");
        custom_field_names(&mut f, &self.custom_fields);
        f
    }
}

/// One change in a ticket's audit trail / history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuditEntry {
    /// The entry's id, when the vendor has one.
    pub id: Option<Id>,
    /// The ticket.
    pub ticket: Id,
    /// When it happened.
    pub at: Option<DateTime<Utc>>,
    /// Who did it.
    pub actor: Option<String>,
    /// The field changed, when the entry is about one field.
    pub field: Option<String>,
    /// Old value as text.
    pub old_value: Option<String>,
    /// New value as text.
    pub new_value: Option<String>,
    /// The vendor's description of the change.
    pub description: Option<String>,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl AuditEntry {
    /// An entry for `ticket`; vendor mappings fill the rest.
    pub fn new(ticket: Id) -> Self {
        AuditEntry {
            id: None,
            ticket,
            at: None,
            actor: None,
            field: None,
            old_value: None,
            new_value: None,
            description: None,
            raw: RawRecord::default(),
        }
    }
}
