//! Tickets, ticket queries, ticket creation and triage patches.

use super::RawRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{
    Change, CustomFields, Ref, check_custom_field_names, custom_field_names, field_if,
    field_if_changed,
};
use crate::{Id, Result, input};

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
    /// Its SLA targets, due times and breach state, where the vendor keeps them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<SlaTimers>,
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
            sla: None,
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
    /// The ticket number people quote (`INC0010001`, `T20261203.0001`, a
    /// HaloPSA or ConnectWise ticket id): an exact match on the vendor's
    /// number field. See [`TicketQuery::number`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
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
    /// Only the ticket with this number — the one people quote: ServiceNow
    /// `INC0010001`, Autotask `T20261203.0001`, a HaloPSA or ConnectWise
    /// ticket id. Matched exactly (ServiceNow and Autotask numbers
    /// case-insensitively) on the vendor's number field; checked by
    /// [`validate`](Self::validate) with [`input::ticket_number`].
    ///
    /// The query's state still applies: look a number up in
    /// [`TicketQuery::any`] to find it whether it is open or closed, or use
    /// [`Psa::find_ticket_by_number`](crate::Psa::find_ticket_by_number).
    ///
    /// ```
    /// use psa_core::TicketQuery;
    /// let q = TicketQuery::any().number(" INC0010001 ");
    /// assert!(q.validate().is_ok());
    /// assert_eq!(q.number_filter()?, Some("INC0010001"));
    /// assert!(TicketQuery::any().number("INC1^ORactive=true").validate().is_err());
    /// # Ok::<(), psa_core::Error>(())
    /// ```
    #[must_use]
    pub fn number(mut self, number: impl Into<String>) -> Self {
        self.number = Some(number.into());
        self
    }
    /// Stop after `n` tickets.
    #[must_use]
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// The number filter as a vendor should match it: trimmed, a leading
    /// `#` dropped, checked ([`input::ticket_number`]); `None` when the
    /// query has no number filter.
    pub fn number_filter(&self) -> Result<Option<&str>> {
        self.number.as_deref().map(input::ticket_number).transpose()
    }

    /// Rejects what no vendor can search for the same way: free text with
    /// nothing visible in it (`"\n"`, `"\t"`, `" "`, `"\0"` — never read
    /// as "no filter"), control characters or more than
    /// [`input::MAX_SEARCH_TEXT`] characters; a malformed
    /// [ticket number](Self::number); dates outside the years
    /// [`input::MIN_YEAR`] to [`input::MAX_YEAR`].
    ///
    /// ```
    /// use psa_core::TicketQuery;
    /// assert!(TicketQuery::open().text("printer").validate().is_ok());
    /// for blank in ["\n", "\t", " ", ""] {
    ///     assert!(TicketQuery::open().text(blank).validate().unwrap_err().is_invalid_input());
    /// }
    /// ```
    pub fn validate(&self) -> Result<()> {
        if let Some(t) = &self.text {
            input::search_text("ticket search text", t)?;
        }
        self.number_filter()?;
        if let Some(t) = self.created_since {
            input::date("ticket query `created_since`", t)?;
        }
        if let Some(t) = self.updated_since {
            input::date("ticket query `updated_since`", t)?;
        }
        Ok(())
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

    /// Checks what every vendor requires: a one-line summary with something
    /// visible in it (not empty, not whitespace, NUL or control characters
    /// only) of at most [`MAX_SUMMARY`](Self::MAX_SUMMARY) characters; a
    /// description of at most [`TicketPatch::MAX_DESCRIPTION`] characters
    /// without control characters other than tabs and line breaks; custom
    /// field names that are one line of visible text.
    ///
    /// ```
    /// use psa_core::{Id, NewTicket};
    /// for blank in ["", " ", "\n", "\0"] {
    ///     assert!(NewTicket::new(blank, Id::from(1)).validate().unwrap_err().is_invalid_input());
    /// }
    /// ```
    pub fn validate(&self) -> Result<()> {
        input::line("ticket summary", &self.summary, Self::MAX_SUMMARY)?;
        if let Some(d) = &self.description {
            input::optional_text("ticket description", d, TicketPatch::MAX_DESCRIPTION)?;
        }
        check_custom_field_names(&self.custom_fields)
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

/// A ticket's service-level timers: what it must meet, by when, and whether
/// it did — HaloPSA's SLA fields, ConnectWise's SLA status and dates,
/// Autotask's first-response and resolution due dates, ServiceNow's
/// `task_sla` records.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use psa_core::SlaTimers;
/// let mut sla = SlaTimers::default();
/// sla.resolution_due = Some(Utc.with_ymd_and_hms(2026, 12, 3, 17, 0, 0).unwrap());
/// let now = Utc.with_ymd_and_hms(2026, 12, 3, 18, 0, 0).unwrap();
/// assert!(sla.is_breached_at(now));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SlaTimers {
    /// The SLA (or SLA definition) applied, when the vendor names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<Ref>,
    /// The first response is due by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_due: Option<DateTime<Utc>>,
    /// When the first response was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responded_at: Option<DateTime<Utc>>,
    /// The resolution is due by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_due: Option<DateTime<Utc>>,
    /// When it was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// Whether the response target was missed, as the vendor reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_breached: Option<bool>,
    /// Whether the resolution target was missed, as the vendor reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_breached: Option<bool>,
    /// Whether the clock is paused (waiting on the customer …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
}

impl SlaTimers {
    /// Whether no timer is known.
    pub fn is_empty(&self) -> bool {
        *self == SlaTimers::default()
    }

    /// Whether a target is missed at `now`: as the vendor reports it, or a
    /// due time past without the response or resolution it was for.
    pub fn is_breached_at(&self, now: DateTime<Utc>) -> bool {
        let missed = |due: Option<DateTime<Utc>>, done: Option<DateTime<Utc>>| match (due, done) {
            (Some(due), Some(done)) => done > due,
            (Some(due), None) => now > due,
            _ => false,
        };
        self.response_breached == Some(true)
            || self.resolution_breached == Some(true)
            || missed(self.response_due, self.responded_at)
            || missed(self.resolution_due, self.resolved_at)
    }
}

/// How a ticket was resolved: what ServiceNow requires to resolve an
/// incident (`close_code`, `close_notes`), Autotask's `resolution`, a
/// HaloPSA or ConnectWise resolution note.
///
/// ```
/// use psa_core::Resolution;
/// let r = Resolution::new("Replaced the toner cartridge.").code("Solved (Permanently)");
/// assert_eq!(r.code.as_deref(), Some("Solved (Permanently)"));
/// ```
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Resolution {
    /// The resolution text.
    pub notes: String,
    /// The resolution code, where the vendor has one (ServiceNow `close_code`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl Resolution {
    /// The longest resolution text the SDK sends.
    pub const MAX_NOTES: usize = 4000;

    /// A resolution with its text.
    pub fn new(notes: impl Into<String>) -> Self {
        Resolution {
            notes: notes.into(),
            code: None,
        }
    }

    /// Sets the resolution code.
    #[must_use]
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    /// Rejects notes with nothing visible in them (empty, whitespace, NUL
    /// or control characters only) or with control characters other than
    /// tabs and line breaks, a code that is not one line of visible text,
    /// and text past the limits.
    pub fn validate(&self) -> Result<()> {
        input::text("resolution notes", &self.notes, Self::MAX_NOTES)?;
        if let Some(c) = &self.code {
            input::line("resolution code", c, 100)?;
        }
        Ok(())
    }
}

/// A ticket update: only the fields set are changed. Fields a vendor lets
/// clear are a [`Change`]: kept, cleared (`unassign()`), or set.
///
/// ```
/// use psa_core::{Id, Resolution, TicketPatch};
/// let p = TicketPatch::new().status(Id::from(3)).priority(Id::from(1));
/// assert_eq!(p.written_fields(), vec!["status", "priority"]);
/// let p = TicketPatch::new().unassign().contact(Id::from(40)).description("Printer on floor 2");
/// assert_eq!(p.written_fields(), vec!["owner", "contact", "description"]);
/// let close = TicketPatch::new()
///     .status(Id::from(9))
///     .resolution(Resolution::new("Replaced the toner.").code("Solved (Permanently)"));
/// assert!(close.validate().is_ok());
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
    /// New subtype, or none.
    #[serde(default, skip_serializing_if = "Change::is_keep")]
    pub subtype: Change<Id>,
    /// New owner (assigned agent), or unassigned.
    #[serde(default, skip_serializing_if = "Change::is_keep")]
    pub owner: Change<Id>,
    /// New contact, or none.
    #[serde(default, skip_serializing_if = "Change::is_keep")]
    pub contact: Change<Id>,
    /// New company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Id>,
    /// New summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How it was resolved, for a patch that resolves or closes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// Custom fields to set; a `null` value clears one.
    #[serde(default, skip_serializing_if = "CustomFields::is_empty")]
    pub custom_fields: CustomFields,
}

impl TicketPatch {
    /// The longest description the SDK sends.
    pub const MAX_DESCRIPTION: usize = 32_000;

    /// Every field a patch can write, by the names
    /// [`written_fields`](Self::written_fields) and
    /// [`check_mapped`](Self::check_mapped) use (`custom_fields` stands for
    /// every `custom_fields.<name>`): what a vendor mapping passes as
    /// `mapped` when it writes them all.
    ///
    /// ```
    /// use psa_core::{Id, TicketPatch, Vendor};
    /// let p = TicketPatch::new().status(Id::from(3)).summary("Printer on fire");
    /// assert!(p.check_mapped(Vendor::Halo, TicketPatch::FIELDS, &[]).is_ok());
    /// ```
    pub const FIELDS: &'static [&'static str] = &[
        "status",
        "priority",
        "queue",
        "ticket_type",
        "subtype",
        "owner",
        "contact",
        "company",
        "summary",
        "description",
        "resolution",
        "custom_fields",
    ];

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
        self.subtype = Change::Set(id.into());
        self
    }
    /// Clears the subtype.
    #[must_use]
    pub fn clear_subtype(mut self) -> Self {
        self.subtype = Change::Clear;
        self
    }
    /// Assigns an agent.
    #[must_use]
    pub fn owner(mut self, id: impl Into<Id>) -> Self {
        self.owner = Change::Set(id.into());
        self
    }
    /// Unassigns the ticket (no owner).
    #[must_use]
    pub fn unassign(mut self) -> Self {
        self.owner = Change::Clear;
        self
    }
    /// Sets the contact.
    #[must_use]
    pub fn contact(mut self, id: impl Into<Id>) -> Self {
        self.contact = Change::Set(id.into());
        self
    }
    /// Removes the contact.
    #[must_use]
    pub fn clear_contact(mut self) -> Self {
        self.contact = Change::Clear;
        self
    }
    /// Moves the ticket to another company.
    #[must_use]
    pub fn company(mut self, id: impl Into<Id>) -> Self {
        self.company = Some(id.into());
        self
    }
    /// Sets the summary.
    #[must_use]
    pub fn summary(mut self, text: impl Into<String>) -> Self {
        self.summary = Some(text.into());
        self
    }
    /// Sets the description.
    #[must_use]
    pub fn description(mut self, text: impl Into<String>) -> Self {
        self.description = Some(text.into());
        self
    }
    /// Sets how the ticket was resolved (with a resolved or closed status).
    #[must_use]
    pub fn resolution(mut self, resolution: Resolution) -> Self {
        self.resolution = Some(resolution);
        self
    }
    /// Sets a custom field (`serde_json::Value::Null` clears it).
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

    /// Rejects an empty patch, a bad summary, description or resolution.
    pub fn validate(&self) -> Result<()> {
        if self.is_empty() {
            return Err(crate::Error::invalid_input("ticket patch changes nothing"));
        }
        if let Some(s) = &self.summary {
            input::line("ticket summary", s, NewTicket::MAX_SUMMARY)?;
        }
        if let Some(d) = &self.description {
            input::optional_text("ticket description", d, Self::MAX_DESCRIPTION)?;
        }
        if let Some(r) = &self.resolution {
            r.validate()?;
        }
        check_custom_field_names(&self.custom_fields)
    }

    /// Refuses, before any request, a patch that writes a field the vendor
    /// mapping does not map (`mapped`) or clears one it cannot clear
    /// (`clearable`), with an [`Unsupported`](crate::ErrorKind::Unsupported)
    /// error naming the field: a patch is never applied in part in silence.
    ///
    /// ```
    /// use psa_core::{Id, TicketPatch, Vendor};
    /// let p = TicketPatch::new().status(Id::from(3)).unassign();
    /// assert!(p.check_mapped(Vendor::Halo, &["status", "owner"], &["owner"]).is_ok());
    /// let e = p.check_mapped(Vendor::Halo, &["status", "owner"], &[]).unwrap_err();
    /// assert!(e.is_unsupported() && e.to_string().contains("clearing owner"));
    /// ```
    pub fn check_mapped(
        &self,
        vendor: crate::Vendor,
        mapped: &[&str],
        clearable: &[&str],
    ) -> Result<()> {
        for f in self.written_fields() {
            let known = mapped.contains(&f.as_str())
                || (f.starts_with("custom_fields.") && mapped.contains(&"custom_fields"));
            if !known {
                return Err(crate::Error::unsupported(
                    vendor,
                    format!("this {vendor} client does not write the ticket field `{f}`"),
                ));
            }
        }
        for (name, change) in [
            ("subtype", &self.subtype),
            ("owner", &self.owner),
            ("contact", &self.contact),
        ] {
            if change.is_clear() && !clearable.contains(&name) {
                return Err(crate::Error::unsupported(
                    vendor,
                    format!("this {vendor} client does not support clearing {name}"),
                ));
            }
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
        field_if_changed(&mut f, &self.subtype, "subtype");
        field_if_changed(&mut f, &self.owner, "owner");
        field_if_changed(&mut f, &self.contact, "contact");
        field_if(&mut f, self.company.as_ref(), "company");
        field_if(&mut f, self.summary.as_ref(), "summary");
        field_if(&mut f, self.description.as_ref(), "description");
        field_if(&mut f, self.resolution.as_ref(), "resolution");
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
