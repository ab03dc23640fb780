//! `sys_journal_field`: [`JournalEntry`].

use super::Field;

table_model! {
    /// A journal entry (`sys_journal_field`): one work note or comment.
    ///
    /// The journal of a record is read with
    /// `element_id=<sys_id>^elementINwork_notes,comments^ORDERBYsys_created_on`.
    JournalEntry = "sys_journal_field" {
        /// The entry's `sys_id`.
        sys_id: Field,
        /// The journal field: `work_notes` (internal) or `comments` (customer-visible).
        element: Field,
        /// The `sys_id` of the record the entry belongs to.
        element_id: Field,
        /// The record's table.
        name: Field,
        /// The text.
        value: Field,
        /// When (UTC).
        sys_created_on: Field,
        /// Who (a user name).
        sys_created_by: Field,
        /// Tags.
        sys_tags: Field,
    }
}
