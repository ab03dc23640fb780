//! `sys_choice`: [`SysChoice`].

use super::Field;

table_model! {
    /// A choice (`sys_choice`): the label of a value of a choice field.
    SysChoice = "sys_choice" {
        /// `sys_id`.
        sys_id: Field,
        /// The table.
        name: Field,
        /// The field.
        element: Field,
        /// The stored value.
        value: Field,
        /// The label.
        label: Field,
        /// Language (`en` …).
        language: Field,
        /// Whether inactive.
        inactive: Field,
        /// Order.
        sequence: Field,
        /// Dependent value (for dependent choices).
        dependent_value: Field,
    }
}
