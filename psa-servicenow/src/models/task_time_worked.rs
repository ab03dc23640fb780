//! `task_time_worked`: [`TaskTimeWorked`].

use super::{Field, Reference};

table_model! {
    /// Time worked on a task (`task_time_worked`): one record per timer save
    /// or time entry.
    TaskTimeWorked = "task_time_worked" {
        /// `sys_id`.
        sys_id: Field,
        /// The task.
        task: Reference,
        /// Who worked (`sys_user`).
        user: Reference,
        /// How long (a duration, `1970-01-01 HH:MM:SS`).
        time_worked: Field,
        /// The same in seconds, where the instance keeps it.
        time_in_seconds: Field,
        /// Comments.
        comments: Field,
        /// Category (Time Card Management).
        category: Field,
        /// Work date (Time Card Management).
        work_date: Field,
        /// Time card (Time Card Management).
        time_card: Reference,
        /// Created on (when the time was logged).
        sys_created_on: Field,
        /// Created by.
        sys_created_by: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}
