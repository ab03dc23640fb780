//! `task_sla`: [`TaskSla`].

use super::{Field, Reference};

table_model! {
    /// An SLA attached to a task (`task_sla`).
    TaskSla = "task_sla" {
        /// `sys_id`.
        sys_id: Field,
        /// The task.
        task: Reference,
        /// The SLA definition (`contract_sla`).
        sla: Reference,
        /// Stage (`in_progress`, `paused`, `completed` …).
        stage: Field,
        /// Whether breached.
        has_breached: Field,
        /// Planned end time.
        planned_end_time: Field,
        /// Elapsed percentage.
        percentage: Field,
        /// Business elapsed percentage.
        business_percentage: Field,
        /// Start.
        start_time: Field,
        /// End.
        end_time: Field,
        /// Active.
        active: Field,
    }
}
