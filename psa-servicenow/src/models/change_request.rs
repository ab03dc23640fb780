//! `change_request`: [`ChangeRequest`].

use super::{Field, Reference};

task_model! {
    /// A `change_request`.
    ChangeRequest = "change_request" {
        /// Change type (`normal`, `standard`, `emergency`).
        #[serde(rename = "type")]
        change_type: Field,
        /// Category.
        category: Field,
        /// Risk.
        risk: Field,
        /// Planned start.
        start_date: Field,
        /// Planned end.
        end_date: Field,
        /// Implementation plan.
        implementation_plan: Field,
        /// Backout plan.
        backout_plan: Field,
        /// Test plan.
        test_plan: Field,
        /// Close code.
        close_code: Field,
        /// Requested by (`sys_user`): the uniform contact.
        requested_by: Reference,
        /// On hold.
        on_hold: Field,
    }
}
