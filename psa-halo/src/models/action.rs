//! Actions: notes, emails and time on tickets.

use super::common::Number;
use super::macros::model;
use super::ticket::TicketItem;
use psa_core::Timestamp;

model! {
    /// An action on a ticket (`/Actions`): a note, an email, a status change,
    /// time worked, items issued.
    ///
    /// An action is identified by its ticket and its number on that ticket
    /// ([`ActionKey`](crate::ActionKey)): `GET /Actions/{id}?ticket_id=…`.
    /// `hiddenfromuser: true` keeps it from the end user (an internal note);
    /// `sendemail: true` asks Halo to email it. Time is `timetaken` in
    /// hours, between `actionarrivaldate` and `actioncompletiondate`.
    pub struct Action {
        /// The action's number on its ticket.
        id: i64,
        /// The ticket.
        ticket_id: i64,
        /// The action type's name ("Private Note", "Email User" …).
        outcome: String,
        /// The action type's id.
        outcome_id: i64,
        /// Who did it, by name (a response-only field: Halo's request
        /// schema `Actions` does not list it).
        who: String,
        /// Who did it: 1 agent, 2 end user (Halo's `who_type`).
        who_type: i64,
        /// The agent who did it.
        who_agentid: i64,
        /// The agent the action was performed by, when set on creation.
        actionby_agent_id: i64,
        /// When it was recorded.
        datetime: Timestamp,
        /// When it was created.
        actiondatecreated: Timestamp,
        /// Last update.
        last_updated: Timestamp,
        /// The note as text.
        note: String,
        /// The note as HTML.
        note_html: String,
        /// Hidden from the end user (internal).
        hiddenfromuser: bool,
        /// Important.
        important: bool,
        /// Email the note.
        sendemail: bool,
        /// Email recipients.
        emailto: String,
        /// Email copies.
        emailcc: String,
        /// Email subject.
        emailsubject: String,
        /// Hours worked.
        timetaken: Number,
        /// Non-billable hours.
        nonbilltime: Number,
        /// Whether the time is billable.
        actisbillable: bool,
        /// Charge rate (work type) id.
        chargerate: i64,
        /// Start of the work.
        actionarrivaldate: Timestamp,
        /// End of the work.
        actioncompletiondate: Timestamp,
        /// Hours to add to the UTC dates of this request.
        utcoffset: Number,
        /// Status to move the ticket to.
        new_status: i64,
        /// Items to issue to the ticket with this action.
        new_items_issued: Vec<TicketItem>,
        /// The ticket merged into this one, on a merge action.
        merged_from_ticketid: i64,
    }
}

impl Action {
    /// A new action on `ticket_id` with a note.
    pub fn new(ticket_id: i64, note: impl Into<String>) -> Self {
        Action {
            ticket_id: Some(ticket_id),
            note: Some(note.into()),
            ..Action::default()
        }
    }

    /// Sets the action type by name.
    #[must_use]
    pub fn with_outcome(mut self, outcome: impl Into<String>) -> Self {
        self.outcome = Some(outcome.into());
        self
    }

    /// Hides it from the end user (`true`) or shows it (`false`).
    #[must_use]
    pub fn hidden_from_user(mut self, hidden: bool) -> Self {
        self.hiddenfromuser = Some(hidden);
        self
    }

    /// The action's key, when both numbers are present.
    pub fn key(&self) -> Option<crate::ActionKey> {
        match (self.ticket_id, self.id) {
            (Some(t), Some(a)) if t > 0 && a > 0 => Some(crate::ActionKey::new(t, a)),
            _ => None,
        }
    }
}
