//! Shapes every ConnectWise record shares: references, `_info`, custom
//! fields, vendor enums, JSON-Patch operations and the small envelopes
//! (`Count`, `SuccessResponse`, `TicketMerge` …).

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Unknown JSON fields of a record, kept so that nothing ConnectWise sends is
/// dropped (a later API version's fields, integrator tags …).
pub type Extra = Map<String, Value>;

/// A reference to another record: `{"id": 5, "name": "In Progress", "_info": {…}}`.
///
/// ConnectWise's many `…Reference` schemas (`BoardReference`,
/// `CompanyReference` with an `identifier`, `PriorityReference` with `sort`
/// and `level`, `TicketReference` with a `summary` …) all decode into this one
/// type; their extra members land in [`extra`](Self::extra).
///
/// To write a reference, send the id only: [`Reference::id`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Reference {
    /// The referenced record's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Its identifier (companies, members), when ConnectWise sends one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Its display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Links and audit data.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Other members (`sort`, `level`, `summary`, `dailyCapacity` …).
    #[serde(flatten)]
    pub extra: Extra,
}

impl Reference {
    /// A reference by id, what ConnectWise expects in a write.
    pub fn id(id: i64) -> Self {
        Reference {
            id: Some(id),
            ..Reference::default()
        }
    }

    /// A reference by name (ConnectWise resolves some references by name,
    /// e.g. a contact's communication type `{"name": "Email"}`).
    pub fn name(name: impl Into<String>) -> Self {
        Reference {
            name: Some(name.into()),
            ..Reference::default()
        }
    }
}

/// A record's `_info`: audit fields (`lastUpdated`, `updatedBy`,
/// `dateEntered`, `enteredBy`) and `*_href` links, all strings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Info(pub Map<String, Value>);

impl Info {
    /// A member as text.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    /// `lastUpdated`, parsed.
    pub fn last_updated(&self) -> Option<DateTime<Utc>> {
        self.get_str("lastUpdated").and_then(parse_timestamp)
    }

    /// `dateEntered`, parsed.
    pub fn date_entered(&self) -> Option<DateTime<Utc>> {
        self.get_str("dateEntered").and_then(parse_timestamp)
    }

    /// `updatedBy`.
    pub fn updated_by(&self) -> Option<&str> {
        self.get_str("updatedBy")
    }

    /// `enteredBy`.
    pub fn entered_by(&self) -> Option<&str> {
        self.get_str("enteredBy")
    }
}

/// Parses a ConnectWise timestamp: RFC 3339 (`2026-01-05T14:00:00Z`), or
/// the same without a zone, which ConnectWise means as UTC. `None` for
/// anything else (an empty string, a date without a time).
pub fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

/// Formats a timestamp the way ConnectWise writes them: `2026-01-05T14:00:00Z`.
pub fn format_timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// `serde` for `Option<DateTime<Utc>>` in ConnectWise's format (fields the
/// spec declares `format: date-time`).
pub mod opt_timestamp {
    use super::{DateTime, Deserialize, Deserializer, Serializer, Utc, format_timestamp};

    /// Serialises as `2026-01-05T14:00:00Z`.
    #[allow(clippy::ref_option)]
    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&format_timestamp(*t)),
            None => s.serialize_none(),
        }
    }

    /// Accepts RFC 3339, a zone-less timestamp (UTC) or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => super::parse_timestamp(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not a timestamp"))),
        }
    }
}

/// Deserialises a member that is present — including an explicit `null` —
/// as `Some(value)`, so that `{"value": null}` re-encodes as it came.
pub(crate) fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Declares a ConnectWise picklist: a `#[non_exhaustive]` enum of the values
/// the spec lists, with an `Unknown(String)` fallback so that a value added
/// in a later API version never breaks a page.
macro_rules! cw_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of the SDK does not know, as sent.
            Unknown(String),
        }

        impl $name {
            /// The value as ConnectWise writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(s) => s,
                }
            }

            /// Parses ConnectWise's text; anything unknown becomes `Unknown`.
            pub fn from_text(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok($name::from_text(&s))
            }
        }
    };
}
pub(crate) use cw_enum;

cw_enum! {
    /// `billableOption` of time entries and products; `billTime` & co. of tickets.
    BillableOption {
        /// Billable.
        Billable => "Billable",
        /// Not billed.
        DoNotBill => "DoNotBill",
        /// Shown on the invoice at no charge.
        NoCharge => "NoCharge",
        /// The board's / agreement's default.
        NoDefault => "NoDefault",
    }
}

impl BillableOption {
    /// `true` → `Billable`, `false` → `DoNotBill`.
    pub fn from_bool(billable: bool) -> Self {
        if billable {
            BillableOption::Billable
        } else {
            BillableOption::DoNotBill
        }
    }

    /// Whether the option bills the customer (`None` for `NoDefault` and unknown values).
    pub fn is_billable(&self) -> Option<bool> {
        match self {
            BillableOption::Billable => Some(true),
            BillableOption::DoNotBill | BillableOption::NoCharge => Some(false),
            _ => None,
        }
    }
}

cw_enum! {
    /// A custom field's `type`.
    CustomFieldType {
        /// Multi-line text.
        TextArea => "TextArea",
        /// A button.
        Button => "Button",
        /// Money.
        Currency => "Currency",
        /// A date.
        Date => "Date",
        /// A link.
        Hyperlink => "Hyperlink",
        /// An IP address.
        IpAddress => "IPAddress",
        /// A checkbox.
        Checkbox => "Checkbox",
        /// A number.
        Number => "Number",
        /// A percentage.
        Percent => "Percent",
        /// A phone number.
        PhoneNumber => "PhoneNumber",
        /// One-line text.
        Text => "Text",
        /// A password.
        Password => "Password",
    }
}

cw_enum! {
    /// A custom field's `entryMethod`.
    EntryMethod {
        /// A date picker.
        Date => "Date",
        /// Free entry.
        EntryField => "EntryField",
        /// A pick list.
        List => "List",
        /// Options.
        Option => "Option",
    }
}

/// One custom field value of a record (`customFields[]`).
///
/// Write one back with its `id` and a new `value`; ConnectWise identifies
/// custom fields by id, the SDK's uniform models by caption.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CustomField {
    /// The field definition's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Its caption (what people see, and what the uniform models key by).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Its type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub field_type: Option<CustomFieldType>,
    /// How it is entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_method: Option<EntryMethod>,
    /// Decimals of a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_decimals: Option<i32>,
    /// The value (any JSON type; an explicit `null` is kept).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<Value>,
    /// ConnectWise's global id of the definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_wise_id: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

impl CustomField {
    /// A value to write: the definition's id and the new value.
    pub fn set(id: i64, value: Value) -> Self {
        CustomField {
            id: Some(id),
            value: Some(value),
            ..CustomField::default()
        }
    }
}

/// Turns `customFields[]` into the uniform map keyed by caption (by id when
/// a field has no caption). Fields without a value map to `null`.
pub fn custom_field_map(fields: &[CustomField]) -> psa_core::CustomFields {
    fields
        .iter()
        .filter_map(|f| {
            let key = f
                .caption
                .clone()
                .or_else(|| f.id.map(|id| id.to_string()))?;
            Some((key, f.value.clone().unwrap_or(Value::Null)))
        })
        .collect()
}

cw_enum! {
    /// The `op` of a JSON-Patch operation.
    PatchOp {
        /// Replace a field.
        Replace => "replace",
        /// Add to a field.
        Add => "add",
        /// Remove a field.
        Remove => "remove",
    }
}

/// One operation of a `PATCH` body (ConnectWise's `PatchOperation`):
/// `{"op": "replace", "path": "status", "value": {"id": 42}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PatchOperation {
    /// The operation.
    pub op: PatchOp,
    /// The field's path (`status`, `summary`, `customFields`).
    pub path: String,
    /// The new value.
    #[serde(default)]
    pub value: Value,
}

impl PatchOperation {
    /// `{"op": "replace", "path": path, "value": value}`.
    pub fn replace(path: impl Into<String>, value: impl Into<Value>) -> Self {
        PatchOperation {
            op: PatchOp::Replace,
            path: path.into(),
            value: value.into(),
        }
    }

    /// Replaces a reference field with `{"id": id}`.
    pub fn replace_ref(path: impl Into<String>, id: i64) -> Self {
        PatchOperation::replace(path, serde_json::json!({ "id": id }))
    }

    /// `{"op": "remove", "path": path}`: clears a field.
    pub fn remove(path: impl Into<String>) -> Self {
        PatchOperation {
            op: PatchOp::Remove,
            path: path.into(),
            value: Value::Null,
        }
    }
}

/// `{"count": N}` from a `…/count` endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Count {
    /// The number of records matching.
    pub count: i64,
}

/// `{"success": true, "message": "…"}` from merge, bundle and other actions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SuccessResponse {
    /// Whether ConnectWise did it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// ConnectWise's message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The body of `POST /service/tickets/{parentId}/merge`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TicketMerge {
    /// The tickets merged into the parent.
    pub merge_ticket_ids: Vec<i64>,
    /// The status the merged tickets are set to (a status of their board).
    pub status: Reference,
}

impl TicketMerge {
    /// Merge `ids`, setting them to status `status`.
    pub fn new(ids: Vec<i64>, status: i64) -> Self {
        TicketMerge {
            merge_ticket_ids: ids,
            status: Reference::id(status),
        }
    }
}

/// The body of `POST /service/tickets/{parentId}/attachChildren`: the
/// tickets to bundle under the parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TicketBundle {
    /// The child tickets.
    pub child_ticket_ids: Vec<i64>,
}

impl TicketBundle {
    /// Bundle `ids`.
    pub fn new(ids: Vec<i64>) -> Self {
        TicketBundle {
            child_ticket_ids: ids,
        }
    }
}
