//! `time_card`: [`TimeCard`].

use super::{Field, Reference};

table_model! {
    /// A time card (`time_card`, Time Card Management plugin).
    TimeCard = "time_card" {
        /// `sys_id`.
        sys_id: Field,
        /// The task.
        task: Reference,
        /// Who.
        user: Reference,
        /// First day of the week.
        week_starts_on: Field,
        /// State.
        state: Field,
        /// Category.
        category: Field,
        /// Total hours.
        total: Field,
        /// Created on.
        sys_created_on: Field,
    }
}
