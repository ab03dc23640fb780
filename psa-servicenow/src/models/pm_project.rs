//! `pm_project`: [`PmProject`].

use super::{Field, Reference};

table_model! {
    /// A project (`pm_project`, Project Portfolio Management plugin).
    PmProject = "pm_project" {
        /// `sys_id`.
        sys_id: Field,
        /// Number (`PRJ0010001`).
        number: Field,
        /// Name.
        short_description: Field,
        /// State.
        state: Field,
        /// Company.
        company: Reference,
        /// Project manager.
        project_manager: Reference,
        /// Planned start.
        start_date: Field,
        /// Planned end.
        end_date: Field,
        /// Active.
        active: Field,
        /// Percent complete.
        percent_complete: Field,
    }
}
