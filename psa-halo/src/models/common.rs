//! Custom fields and list envelopes shared by every resource.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One custom field of a record (`customfields[]` on tickets, clients,
/// users, assets, contracts …).
///
/// Halo identifies a custom field by its `name` (`CFContractRef`, always
/// starting with `CF`) and its numeric `id`; `label` is what agents see,
/// `value` the stored value (a string, a number, or for drop-downs an id),
/// `display` the value as shown. To set a field, send its `name` (or `id`)
/// and a `value`.
///
/// ```
/// use psa_halo::CustomField;
/// let cf = CustomField::set("CFContractRef", "ACME-001");
/// let json = serde_json::to_value(&cf).unwrap();
/// assert_eq!(json, serde_json::json!({"name": "CFContractRef", "value": "ACME-001"}));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomField {
    /// The field's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The field's name (`CF…`), what the API identifies it by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The label agents see.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Halo's field type code.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub field_type: Option<i64>,
    /// The stored value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// The value as displayed (drop-down label, formatted date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Every other field Halo sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CustomField {
    /// A value to write to the field named `name`.
    pub fn set(name: impl Into<String>, value: impl Into<Value>) -> Self {
        CustomField {
            name: Some(name.into()),
            value: Some(value.into()),
            ..CustomField::default()
        }
    }

    /// The value as the uniform model keeps it: the stored `value`, or the
    /// `display` text when no value was sent.
    pub fn effective_value(&self) -> Option<Value> {
        match (&self.value, &self.display) {
            (Some(v), _) if !v.is_null() => Some(v.clone()),
            (_, Some(d)) => Some(Value::String(d.clone())),
            _ => None,
        }
    }
}

/// A page of a paginated list: the records and Halo's `record_count` (the
/// total across every page).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Listing<T> {
    /// The records of this page.
    pub records: Vec<T>,
    /// The total number of records matching the query, when Halo sent it.
    pub record_count: Option<u64>,
    /// The page number Halo echoed, when it did.
    pub page_no: Option<u64>,
}

impl<T> Listing<T> {
    /// A listing.
    pub fn new(records: Vec<T>, record_count: Option<u64>, page_no: Option<u64>) -> Self {
        Listing {
            records,
            record_count,
            page_no,
        }
    }
}
