//! `task`: [`Task`].

use super::{Field, Reference};
use serde::Deserialize as _;

table_model! {
    /// The columns of the `task` table that every task-family record has.
    ///
    /// `work_notes` and `comments` are journal fields: they are written by
    /// setting them (each write adds a journal entry) and read back empty;
    /// their history is in `sys_journal_field`
    /// ([`JournalEntry`](super::JournalEntry)).
    Task = "task" {
        /// The record's `sys_id`.
        sys_id: Field,
        /// The number people quote (`INC0010001`).
        number: Field,
        /// One-line summary.
        short_description: Field,
        /// Description.
        description: Field,
        /// State (a choice value: `"1"`, `"2"` …; names in `sys_choice`).
        state: Field,
        /// Priority, `"1"` (critical) to `"5"` (planning).
        priority: Field,
        /// Impact, `"1"` to `"3"`.
        impact: Field,
        /// Urgency, `"1"` to `"3"`.
        urgency: Field,
        /// `"true"` while the record is open.
        active: Field,
        /// Assignment group (`sys_user_group`).
        assignment_group: Reference,
        /// Assigned to (`sys_user`).
        assigned_to: Reference,
        /// Company (`core_company`).
        company: Reference,
        /// Opened at.
        opened_at: Field,
        /// Opened by (`sys_user`).
        opened_by: Reference,
        /// Closed at.
        closed_at: Field,
        /// Closed by (`sys_user`).
        closed_by: Reference,
        /// Close notes (the resolution text).
        close_notes: Field,
        /// Parent task.
        parent: Reference,
        /// Configuration item (`cmdb_ci`).
        cmdb_ci: Reference,
        /// Due date.
        due_date: Field,
        /// SLA due.
        sla_due: Field,
        /// Work notes (internal journal; reads back empty).
        work_notes: Field,
        /// Additional comments (customer-visible journal; reads back empty).
        comments: Field,
        /// Both journals (reads back empty).
        comments_and_work_notes: Field,
        /// Time worked (a duration, `1970-01-01 HH:MM:SS`).
        time_worked: Field,
        /// Contact type (`phone`, `email`, `self-service` …).
        contact_type: Field,
        /// Location (`cmn_location`).
        location: Reference,
        /// Approval.
        approval: Field,
        /// Escalation.
        escalation: Field,
        /// Watch list (comma-separated `sys_id`s and emails).
        watch_list: Field,
        /// Work notes list.
        work_notes_list: Field,
        /// Correlation id (for integrations).
        correlation_id: Field,
        /// The record's table.
        sys_class_name: Field,
        /// Domain.
        sys_domain: Reference,
        /// Created on (UTC).
        sys_created_on: Field,
        /// Created by (a user name).
        sys_created_by: Field,
        /// Updated on (UTC).
        sys_updated_on: Field,
        /// Updated by (a user name: the authenticated user for API writes).
        sys_updated_by: Field,
        /// Update count.
        sys_mod_count: Field,
    }
}

impl Task {
    /// A field this model does not name (a table-specific column, a
    /// dot-walked field, a custom `u_*` column), decoded as a reference.
    pub fn extra_reference(&self, name: &str) -> Option<Reference> {
        self.extra
            .get(name)
            .and_then(|v| Reference::deserialize(v).ok())
    }

    /// A field this model does not name, decoded as a plain field.
    pub fn extra_field(&self, name: &str) -> Option<Field> {
        self.extra
            .get(name)
            .and_then(|v| Field::deserialize(v).ok())
    }
}
