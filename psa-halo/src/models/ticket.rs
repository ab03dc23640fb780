//! Tickets (`Faults`), ticket items and audit records.

use super::common::CustomField;
use super::common::Number;
use super::macros::model;
use psa_core::Timestamp;

model! {
    /// A ticket: Halo's `Faults` record (`/Tickets`, and `/Projects` for
    /// tickets of a project type).
    ///
    /// The same record is read and written: to create a ticket, post one
    /// without `id` ([`Tickets::create`](crate::resources::Tickets::create));
    /// to update one, post `id` and only the fields to change
    /// ([`Tickets::update`](crate::resources::Tickets::update)).
    ///
    /// ```
    /// use psa_halo::Ticket;
    /// let t = Ticket::new(12, "Printer offline").with_details("Third floor, HP M404");
    /// let json = serde_json::to_value(&t).unwrap();
    /// assert_eq!(json["client_id"], 12);
    /// assert!(json.get("id").is_none());
    /// ```
    pub struct Ticket {
        /// Ticket number.
        id: i64,
        /// One-line summary.
        summary: String,
        /// Details as plain text.
        details: String,
        /// Details as HTML.
        details_html: String,
        /// Status id.
        status_id: i64,
        /// Status name.
        status_name: String,
        /// Ticket type (Halo's "request type") id.
        tickettype_id: i64,
        /// Ticket type name.
        tickettype_name: String,
        /// SLA id.
        sla_id: i64,
        /// SLA name.
        sla_name: String,
        /// Priority id.
        priority_id: i64,
        /// Priority name.
        priority_name: String,
        /// Client (customer) id.
        client_id: i64,
        /// Client name.
        client_name: String,
        /// Site id.
        site_id: i64,
        /// Site name.
        site_name: String,
        /// End user id.
        user_id: i64,
        /// End user name.
        user_name: String,
        /// End user email.
        user_email: String,
        /// Assigned agent id (0 = unassigned).
        agent_id: i64,
        /// Assigned agent name.
        agent_name: String,
        /// Team name.
        team: String,
        /// Team id. A field of Halo's responses that the 2024 request
        /// schema (`Faults`) does not list; the uniform queue maps to it,
        /// on reads and on writes. Public Halo integrations (an n8n node
        /// among them) also set a ticket's team with `team_id` on
        /// `POST /Tickets`; the SDK has not checked it against a tenant.
        team_id: i64,
        /// Impact code.
        impact: i64,
        /// Urgency code.
        urgency: i64,
        /// Category 1 (path text, `Hardware>Printer`).
        category_1: String,
        /// Category 1 id.
        categoryid_1: i64,
        /// When the issue occurred / the ticket was logged.
        dateoccurred: Timestamp,
        /// When the record was created.
        datecreated: Timestamp,
        /// When it was closed.
        dateclosed: Timestamp,
        /// SLA response target.
        respondbydate: Timestamp,
        /// When the first response was made.
        responsedate: Timestamp,
        /// Whether the response target was met: `I` inside, `O` outside
        /// (the letters Halo reports; the request schema types it as text).
        slaresponsestate: String,
        /// SLA fix target.
        fixbydate: Timestamp,
        /// Whether the fix target is met: `I` inside, `O` outside.
        slastate: String,
        /// Deadline.
        deadlinedate: Timestamp,
        /// Start date (projects).
        startdate: Timestamp,
        /// Target date (projects).
        targetdate: Timestamp,
        /// Last action.
        lastactiondate: Timestamp,
        /// Last update.
        last_update: Timestamp,
        /// Parent ticket id (0 = none).
        parent_id: i64,
        /// Child ticket ids.
        child_ticket_ids: Vec<i64>,
        /// The ticket this one was merged into (0 = not merged).
        merged_into_id: i64,
        /// Ask Halo to carry out the merge into `merged_into_id` on save.
        domerge: bool,
        /// Whether the ticket has ever been closed.
        hasbeenclosed: bool,
        /// On hold.
        onhold: bool,
        /// Deleted (soft delete).
        deleted: bool,
        /// Whether this is a project.
        is_project: bool,
        /// Estimated hours.
        estimate: Number,
        /// Hours logged.
        timetaken: Number,
        /// Closure note.
        closure_note: String,
        /// Custom fields.
        customfields: Vec<CustomField>,
        /// Items issued to the ticket.
        items_issued: Vec<TicketItem>,
        /// Audit records (`GET /Tickets/{id}?include_auditing=true`).
        audit_log: Vec<Audit>,
        /// Skip Halo's ticket rules on save.
        dont_do_rules: bool,
        /// Hours to add to the UTC dates of this request.
        utcoffset: Number,
    }
}

impl Ticket {
    /// A new ticket for client `client_id` with a summary.
    pub fn new(client_id: i64, summary: impl Into<String>) -> Self {
        Ticket {
            client_id: Some(client_id),
            summary: Some(summary.into()),
            ..Ticket::default()
        }
    }

    /// An update of ticket `id`: set the fields to change, then send it with
    /// [`Tickets::update`](crate::resources::Tickets::update).
    pub fn update(id: i64) -> Self {
        Ticket {
            id: Some(id),
            ..Ticket::default()
        }
    }

    /// Sets the details.
    #[must_use]
    pub fn with_details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }

    /// Sets a custom field by name.
    #[must_use]
    pub fn with_custom_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.customfields
            .get_or_insert_with(Vec::new)
            .push(CustomField::set(name, value));
        self
    }
}

model! {
    /// An item issued to a ticket (Halo's `FaultItem`).
    pub struct TicketItem {
        /// Line id.
        id: i64,
        /// Ticket id.
        ticket_id: i64,
        /// Catalog item id.
        item_id: i64,
        /// Item name.
        name: String,
        /// Quantity.
        quantity: Number,
        /// Unit price.
        price: Number,
        /// Unit cost.
        costprice: Number,
        /// Line note.
        note: String,
        /// Agent who issued it.
        agent_id: i64,
    }
}

model! {
    /// One audit record of a ticket (Halo's `Audit`): a field change.
    pub struct Audit {
        /// Record id.
        id: i64,
        /// Ticket id.
        ticket_id: i64,
        /// Agent who made the change.
        agent_id: i64,
        /// End user who made the change.
        user_id: i64,
        /// Who made the change, by name.
        username: String,
        /// When.
        date: Timestamp,
        /// The field / value changed.
        value: String,
        /// Old value.
        from: String,
        /// New value.
        to: String,
        /// The table changed.
        table_name: String,
        /// The action type that made the change.
        actoutcome: String,
    }
}

/// The ticket fields the uniform mapping reads, decoded from a ticket's JSON
/// by reference: the other fields are not copied, since the record itself
/// becomes `psa_core::Ticket::raw`. (Decoding a whole [`Ticket`] and
/// re-encoding it as `raw` doubled the decode work of `get_ticket` —
/// psa-benches `call_overhead`.)
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct TicketHead {
    pub(crate) id: Option<i64>,
    pub(crate) summary: Option<String>,
    pub(crate) details: Option<String>,
    pub(crate) status_id: Option<i64>,
    pub(crate) status_name: Option<String>,
    pub(crate) priority_id: Option<i64>,
    pub(crate) priority_name: Option<String>,
    pub(crate) team_id: Option<i64>,
    pub(crate) team: Option<String>,
    pub(crate) tickettype_id: Option<i64>,
    pub(crate) tickettype_name: Option<String>,
    pub(crate) categoryid_1: Option<i64>,
    pub(crate) category_1: Option<String>,
    pub(crate) client_id: Option<i64>,
    pub(crate) client_name: Option<String>,
    pub(crate) user_id: Option<i64>,
    pub(crate) user_name: Option<String>,
    pub(crate) agent_id: Option<i64>,
    pub(crate) agent_name: Option<String>,
    pub(crate) datecreated: Option<Timestamp>,
    pub(crate) dateoccurred: Option<Timestamp>,
    pub(crate) last_update: Option<Timestamp>,
    pub(crate) lastactiondate: Option<Timestamp>,
    pub(crate) dateclosed: Option<Timestamp>,
    pub(crate) fixbydate: Option<Timestamp>,
    pub(crate) deadlinedate: Option<Timestamp>,
    pub(crate) sla_id: Option<i64>,
    pub(crate) sla_name: Option<String>,
    pub(crate) respondbydate: Option<Timestamp>,
    pub(crate) responsedate: Option<Timestamp>,
    pub(crate) slaresponsestate: Option<String>,
    pub(crate) slastate: Option<String>,
    pub(crate) onhold: Option<bool>,
    pub(crate) parent_id: Option<i64>,
    pub(crate) merged_into_id: Option<i64>,
    pub(crate) customfields: Option<Vec<CustomField>>,
}
