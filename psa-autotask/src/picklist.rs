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
    /// The statuses that count as closed: the caller's override, or every
    /// status labelled "Complete" plus the system Complete value (5).
    pub(crate) fn closed_statuses(&self, tickets: &Picklists) -> Vec<i64> {
        if let Some(v) = &self.closed_override {
            return v.clone();
        }
        let mut out: Vec<i64> = tickets
            .values("status")
            .iter()
            .filter(|p| {
                let l = p.label.trim();
                l.eq_ignore_ascii_case("Complete") || l.eq_ignore_ascii_case("Completed")
            })
            .filter_map(|p| p.value.trim().parse().ok())
            .collect();
        if !out.contains(&STATUS_COMPLETE)
            && (tickets.values("status").is_empty()
                || tickets.entry("status", STATUS_COMPLETE).is_some())
        {
            out.push(STATUS_COMPLETE);
        }
        out.sort_unstable();
        out
    }
}

/// The `publish` values of ticket notes: which one is "All Autotask Users"
/// (shown to the customer side) and which is internal-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PublishValues {
    /// "All Autotask Users".
    pub all_users: i64,
    /// "Internal Only" (or the first internal option).
    pub internal: i64,
}

impl PublishValues {
    /// Reads the `publish` picklist: "All Autotask Users" (a label starting
    /// with "All") and "Internal Only" (else the first label containing
    /// "Internal").
    pub fn from_picklists(notes: &Picklists) -> Option<PublishValues> {
        let values = notes.values("publish");
        let parse = |p: &PickListValue| p.value.trim().parse::<i64>().ok();
        let all_users = values
            .iter()
            .filter(|p| p.is_active)
            .find(|p| p.label.trim_start().to_ascii_lowercase().starts_with("all"))
            .and_then(parse)?;
        let internal = values
            .iter()
            .filter(|p| p.is_active)
            .find(|p| p.label.trim().eq_ignore_ascii_case("Internal Only"))
            .or_else(|| {
                values
                    .iter()
                    .filter(|p| p.is_active)
                    .find(|p| p.label.to_ascii_lowercase().contains("internal"))
            })
            .and_then(parse)?;
        Some(PublishValues {
            all_users,
            internal,
        })
    }

    /// Whether a note with this `publish` value is internal.
    pub fn is_internal(self, notes: &Picklists, publish: i64) -> bool {
        if publish == self.all_users {
            return false;
        }
        if publish == self.internal {
            return true;
        }
        notes
            .label("publish", publish)
            .is_some_and(|l| l.to_ascii_lowercase().contains("internal"))
    }
}

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
        let custom = StatusRules {
            closed_override: Some(vec![5, 29]),
        };
        assert_eq!(custom.closed_statuses(&p), vec![5, 29]);
    }

    #[test]
    fn publish_values_are_read_by_label() {
        let p = Picklists::from_fields(
            "TicketNotes",
            &[field(
                "publish",
                &[
                    ("1", "All Autotask Users", true),
                    ("2", "Internal Only", false),
                    ("4", "Internal & Co-managed", false),
                ],
            )],
        );
        let pv = PublishValues::from_picklists(&p).unwrap();
        assert_eq!((pv.all_users, pv.internal), (1, 2));
        assert!(!pv.is_internal(&p, 1));
        assert!(pv.is_internal(&p, 2) && pv.is_internal(&p, 4));
        assert!(PublishValues::from_picklists(&Picklists::default()).is_none());
    }
}
