//! Picklists: the labels behind Autotask's integer fields.
//!
//! `status`, `priority`, `queueID`, `issueType`, `subIssueType`, `source`,
//! `ticketType` (tickets) and `noteType`, `publish` (ticket notes) are
//! instance-specific integers; their labels, defaults and parents come from
//! `GET /V1.0/{Entity}/entityInformation/fields`. [`Picklists`] is one
//! entity's snapshot; the client caches snapshots per entity with a TTL
//! (see [`ClientBuilder::picklist_ttl`](crate::ClientBuilder::picklist_ttl)).

use std::collections::HashMap;

use psa_core::{Id, Ref};

use crate::models::{FieldInformation, PickListValue};

/// The value of Autotask's system ticket status "Complete".
pub const STATUS_COMPLETE: i64 = 5;

/// `publish` 1: "All Autotask Users" — the note or attachment is shared
/// with the customer side. Autotask documents the `publish` values of notes
/// and attachments as system values: 1 All Autotask Users, 2 Internal Only,
/// 3 Internal & Co-managed.
pub const PUBLISH_ALL_USERS: i64 = 1;
/// `publish` 2: "Internal Only".
pub const PUBLISH_INTERNAL_ONLY: i64 = 2;
/// `publish` 3: "Internal & Co-managed" (internal; co-managing users see it).
pub const PUBLISH_INTERNAL_COMANAGED: i64 = 3;

/// Whether a `publish` value keeps a note or attachment internal: only
/// [`PUBLISH_ALL_USERS`] shares it; every other value — Internal Only,
/// Internal & Co-managed, and any value Autotask does not document — is
/// internal (fail closed). Labels are never read: they are translated and
/// renamed per instance.
pub fn publish_is_internal(publish: Option<i64>) -> bool {
    publish != Some(PUBLISH_ALL_USERS)
}

/// The picklists of one entity, by field name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Picklists {
    entity: String,
    fields: HashMap<String, Vec<PickListValue>>,
    /// `picklistParentValueField` of the fields that have one.
    parents: HashMap<String, String>,
}

impl Picklists {
    /// The picklists of `entity` from its `entityInformation/fields` answer.
    pub fn from_fields(entity: impl Into<String>, fields: &[FieldInformation]) -> Self {
        let info = fields;
        let fields = info
            .iter()
            .filter(|f| f.is_pick_list)
            .filter_map(|f| f.picklist_values.clone().map(|v| (f.name.clone(), v)))
            .collect();
        let parents = info
            .iter()
            .filter_map(|f| {
                f.picklist_parent_value_field
                    .as_deref()
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| (f.name.clone(), p.to_owned()))
            })
            .collect();
        Picklists {
            entity: entity.into(),
            fields,
            parents,
        }
    }

    /// The entity these picklists belong to.
    pub fn entity(&self) -> &str {
        &self.entity
    }

    /// Every value of a picklist field (empty when the field is not a picklist).
    pub fn values(&self, field: &str) -> &[PickListValue] {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(field))
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The field whose value scopes `field`'s values
    /// (`picklistParentValueField`: `issueType` for `subIssueType`), when
    /// it has one.
    pub fn parent_field(&self, field: &str) -> Option<&str> {
        self.parents
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(field))
            .map(|(_, v)| v.as_str())
    }

    /// The values of `field` that belong to `parent`'s value `value`: those
    /// whose `parentValue` is that value, and those without a parent. Every
    /// value when `field` has no parent field or the parent field is not
    /// `parent`.
    pub fn values_under(&self, field: &str, parent: &str, value: i64) -> Vec<PickListValue> {
        let all = self.values(field);
        if !self
            .parent_field(field)
            .is_some_and(|p| p.eq_ignore_ascii_case(parent))
        {
            return all.to_vec();
        }
        all.iter()
            .filter(|p| match p.parent_value.as_deref().map(str::trim) {
                None | Some("") => true,
                Some(v) => v.parse::<i64>().ok() == Some(value),
            })
            .cloned()
            .collect()
    }

    /// The entry of `value` in `field`.
    pub fn entry(&self, field: &str, value: i64) -> Option<&PickListValue> {
        self.values(field)
            .iter()
            .find(|p| p.value.trim().parse::<i64>().ok() == Some(value))
    }

    /// The label of `value` in `field`.
    pub fn label(&self, field: &str, value: i64) -> Option<&str> {
        self.entry(field, value).map(|p| p.label.as_str())
    }

    /// A uniform reference to `value`, named from the picklist when known.
    pub fn reference(&self, field: &str, value: i64) -> Ref {
        Ref::with_opt_name(Id::int(value), self.label(field, value).map(str::to_owned))
    }

    /// The value new records get when none is given (`isDefaultValue`).
    pub fn default_value(&self, field: &str) -> Option<i64> {
        self.values(field)
            .iter()
            .filter(|p| p.is_active)
            .find(|p| p.is_default_value)
            .and_then(|p| p.value.trim().parse().ok())
    }

    /// The active value labelled `label` (case-insensitive).
    pub fn value_by_label(&self, field: &str, label: &str) -> Option<i64> {
        self.values(field)
            .iter()
            .filter(|p| p.is_active)
            .find(|p| p.label.trim().eq_ignore_ascii_case(label.trim()))
            .and_then(|p| p.value.trim().parse().ok())
    }

    /// Whether `value` is a valid (active) value of `field`. A field without
    /// a known picklist accepts anything.
    pub fn accepts(&self, field: &str, value: i64) -> bool {
        let values = self.values(field);
        values.is_empty() || self.entry(field, value).is_some_and(|p| p.is_active)
    }
}

/// What the ticket and note picklists mean for the uniform models.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct StatusRules {
    /// Statuses that count as closed, when the caller overrides the picklist.
    pub(crate) closed_override: Option<Vec<i64>>,
}

impl StatusRules {
    /// The statuses that count as closed: the caller's override, or
    /// Autotask's system status Complete (value 5, the status that sets
    /// `completedDate`). Labels are never read: an instance renames and
    /// translates them ("Completed", "Erledigt", "Done").
    pub(crate) fn closed_statuses(&self, tickets: &Picklists) -> Vec<i64> {
        let _ = tickets;
        match &self.closed_override {
            Some(v) => v.clone(),
            None => vec![STATUS_COMPLETE],
        }
    }
}

/// The Contracts `status` value of an active contract (system values:
/// 0 Inactive, 1 Active).
pub const CONTRACT_STATUS_ACTIVE: i64 = 1;

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, values: &[(&str, &str, bool)]) -> FieldInformation {
        let mut f = FieldInformation {
            name: name.into(),
            is_pick_list: true,
            ..FieldInformation::default()
        };
        f.picklist_values = Some(
            values
                .iter()
                .map(|(v, l, d)| {
                    let mut p = PickListValue::new(*v, *l);
                    p.is_default_value = *d;
                    p
                })
                .collect(),
        );
        f
    }

    #[test]
    fn labels_defaults_and_closed_statuses() {
        let p = Picklists::from_fields(
            "Tickets",
            &[field(
                "status",
                &[
                    ("1", "New", true),
                    ("5", "Complete", false),
                    ("29", "Done (billed)", false),
                ],
            )],
        );
        assert_eq!(p.label("status", 5), Some("Complete"));
        assert_eq!(p.reference("status", 1).name.as_deref(), Some("New"));
        assert_eq!(p.reference("status", 77).name, None);
        assert_eq!(p.default_value("status"), Some(1));
        assert_eq!(p.value_by_label("STATUS", "complete"), Some(5));
        assert!(p.accepts("status", 29) && !p.accepts("status", 30));
        assert!(p.accepts("priority", 1234));
        let rules = StatusRules::default();
        assert_eq!(rules.closed_statuses(&p), vec![5]);
        // A renamed or translated label changes nothing: the value decides.
        let renamed = Picklists::from_fields(
            "Tickets",
            &[field(
                "status",
                &[("1", "Complete", true), ("5", "Erledigt", false)],
            )],
        );
        assert_eq!(rules.closed_statuses(&renamed), vec![5]);
        let custom = StatusRules {
            closed_override: Some(vec![5, 29]),
        };
        assert_eq!(custom.closed_statuses(&p), vec![5, 29]);
    }

    #[test]
    fn publish_is_read_by_value_and_fails_closed() {
        assert!(!publish_is_internal(Some(PUBLISH_ALL_USERS)));
        assert!(publish_is_internal(Some(PUBLISH_INTERNAL_ONLY)));
        assert!(publish_is_internal(Some(PUBLISH_INTERNAL_COMANAGED)));
        // Unknown values and a missing value are internal.
        assert!(publish_is_internal(Some(4)));
        assert!(publish_is_internal(Some(0)));
        assert!(publish_is_internal(None));
    }
}
