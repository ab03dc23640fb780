//! `sys_audit`: [`SysAudit`].

use super::Field;

table_model! {
    /// One audited field change (`sys_audit`).
    SysAudit = "sys_audit" {
        /// `sys_id`.
        sys_id: Field,
        /// The table.
        tablename: Field,
        /// The field.
        fieldname: Field,
        /// The record's `sys_id`.
        documentkey: Field,
        /// Who (a user name).
        user: Field,
        /// Old value.
        oldvalue: Field,
        /// New value.
        newvalue: Field,
        /// Reason.
        reason: Field,
        /// Update count at the change.
        record_checkpoint: Field,
        /// When (UTC).
        sys_created_on: Field,
    }
}
