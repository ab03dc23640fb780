//! Typed ConnectWise records ⇄ the uniform `psa_core` models, one file per
//! section of the [`Psa`](psa_core::Psa) trait.
//!
//! Reads keep the vendor record in `raw` and custom fields keyed by
//! caption. Writes build the exact ConnectWise bodies and JSON-Patch
//! operations; the ids they carry (a ticket's company, a patch's status)
//! are checked (positive integers) before anything is sent.

mod assets;
mod attachments;
mod catalog;
mod custom_fields;
mod lookups;
mod notes;
mod parties;
mod schedule;
mod tickets;
mod time;
mod webhooks;

use chrono::{DateTime, Utc};
use psa_core::{CustomFields, Error, ErrorKind, Id, Ref, Result, Vendor};
use serde::Serialize;
use serde_json::Value;

pub use assets::{configuration, configuration_patch, new_configuration};
pub use attachments::{MAX_UPLOAD_BYTES, attachment, document_upload, download};
pub use catalog::{agreement, kb_article, line_item, new_line_item, product, project, sla};
pub use custom_fields::custom_field_def;
pub use lookups::{board, board_status, board_subtype, board_type, member, priority, work_type};
pub use notes::{new_note, note, note_visibility};
pub use parties::{company, contact, contact_patch, new_contact};
pub use schedule::{new_schedule_entry, schedule_entry, schedule_entry_patch};
pub use tickets::{
    CLEARABLE_FIELDS, PATCH_FIELDS, audit_entry, new_ticket, ticket, ticket_json, ticket_patch,
    ticket_raw_value, ticket_record,
};
pub use time::{new_time_entry, time_entry, time_entry_patch};
pub use webhooks::{callback, new_callback};

use crate::models::{CustomField, Info, Reference};

pub(crate) fn to_raw<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

pub(crate) fn missing_id(what: &str) -> Error {
    Error::new(ErrorKind::Decode, format!("ConnectWise {what} has no id"))
        .with_vendor(Vendor::ConnectWise)
}

/// A reference → a uniform [`Ref`] (`None` without an id).
pub fn reference(r: Option<&Reference>) -> Option<Ref> {
    let r = r?;
    let id = r.id?;
    Some(Ref::with_opt_name(
        id,
        r.name.clone().or_else(|| r.identifier.clone()),
    ))
}

/// A positive integer id, or an `InvalidInput` error naming `what`.
pub fn int_id(id: &Id, what: &str) -> Result<i64> {
    id.require_positive(what)
        .map_err(|e| e.with_vendor(Vendor::ConnectWise))
}

pub(crate) fn ref_of(id: &Id, what: &str) -> Result<Reference> {
    int_id(id, what).map(Reference::id)
}

pub(crate) fn info_time(
    info: Option<&Info>,
    f: fn(&Info) -> Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    info.and_then(f)
}

/// Sets uniform custom fields (by caption, or by numeric id) on the
/// record's current `customFields`, returning the whole array to write back.
pub fn merge_custom_fields(
    current: &[CustomField],
    changes: &CustomFields,
    what: &str,
) -> Result<Vec<CustomField>> {
    let mut out = current.to_vec();
    for (name, value) in changes.iter() {
        let pos = out
            .iter()
            .position(|f| f.caption.as_deref() == Some(name))
            .or_else(|| {
                let id: i64 = name.parse().ok()?;
                out.iter().position(|f| f.id == Some(id))
            });
        let Some(i) = pos else {
            let known: Vec<&str> = current
                .iter()
                .filter_map(|f| f.caption.as_deref())
                .collect();
            return Err(Error::invalid_input(format!(
                "{what} has no custom field {name:?}; known: {}",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ))
            .with_vendor(Vendor::ConnectWise));
        };
        out[i].value = Some(value.clone());
    }
    Ok(out)
}
