//! `problem`: [`Problem`].

use super::{Field, Reference};

task_model! {
    /// A `problem`.
    Problem = "problem" {
        /// Category.
        category: Field,
        /// Subcategory.
        subcategory: Field,
        /// Legacy problem state.
        problem_state: Field,
        /// Known error.
        known_error: Field,
        /// Cause notes.
        cause_notes: Field,
        /// Fix notes.
        fix_notes: Field,
        /// Resolution code.
        resolution_code: Field,
        /// The task first reporting it.
        first_reported_by_task: Reference,
    }
}
