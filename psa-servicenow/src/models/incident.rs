//! `incident`: [`Incident`].

use super::{Field, Reference};

task_model! {
    /// An `incident`.
    Incident = "incident" {
        /// Caller (`sys_user`): the uniform contact.
        caller_id: Reference,
        /// Category (a choice value): the uniform subtype.
        category: Field,
        /// Subcategory.
        subcategory: Field,
        /// Resolution code (`close_code`), set when resolving.
        close_code: Field,
        /// Legacy incident state.
        incident_state: Field,
        /// Severity.
        severity: Field,
        /// Parent incident.
        parent_incident: Reference,
        /// Problem (`problem`).
        problem_id: Reference,
        /// Change request that fixes it.
        rfc: Reference,
        /// Change that caused it.
        caused_by: Reference,
        /// On-hold reason.
        hold_reason: Field,
        /// Resolved at.
        resolved_at: Field,
        /// Resolved by.
        resolved_by: Reference,
        /// Reopen count.
        reopen_count: Field,
        /// Number of child incidents.
        child_incidents: Field,
        /// Business service.
        business_service: Reference,
        /// Notify (`1` do not notify, `2` send email, `3` telephone).
        notify: Field,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Task;

    #[test]
    fn the_recorded_incident_round_trips() {
        let raw = include_str!("../../tests/fixtures/incident_create_201.json");
        let sample: serde_json::Value = serde_json::from_str(raw).unwrap();
        let record = sample["response"]["body"]["result"].clone();
        let incident: Incident = serde_json::from_value(record.clone()).unwrap();
        assert_eq!(incident.task.number.as_ref().unwrap().value(), "INC0010001");
        assert_eq!(
            incident.task.assignment_group.as_ref().unwrap().sys_id(),
            Some("287ebd7da9fe198100f92cc8d1d2154e")
        );
        assert_eq!(incident.category.as_ref().unwrap().value(), "inquiry");
        // Journal fields read back empty.
        assert_eq!(incident.task.work_notes.as_ref().unwrap().value(), "");
        assert_eq!(serde_json::to_value(&incident).unwrap(), record);
        // The generic task view keeps the incident-only columns in `extra`.
        let task: Task = serde_json::from_value(record.clone()).unwrap();
        assert!(task.extra.contains_key("caller_id"));
        assert_eq!(serde_json::to_value(&task).unwrap(), record);
    }
}
