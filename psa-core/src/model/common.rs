//! Types shared by the uniform models.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::Id;

/// A reference to another record: its id and, when the vendor sent it, its
/// display name (`{"id": 5, "name": "In Progress"}` on ConnectWise,
/// `status_id` + `status_name` on HaloPSA, a picklist value and its label on
/// Autotask, a reference field's value and display value on ServiceNow).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ref {
    /// The referenced record's id.
    pub id: Id,
    /// Its display name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Ref {
    /// A reference by id only.
    pub fn new(id: impl Into<Id>) -> Self {
        Ref {
            id: id.into(),
            name: None,
        }
    }

    /// A reference with a display name.
    pub fn named(id: impl Into<Id>, name: impl Into<String>) -> Self {
        Ref {
            id: id.into(),
            name: Some(name.into()),
        }
    }

    /// A reference whose name is set only when non-empty.
    pub fn with_opt_name(id: impl Into<Id>, name: Option<String>) -> Self {
        Ref {
            id: id.into(),
            name: name.filter(|n| !n.is_empty()),
        }
    }
}

/// Custom (user-defined) fields of a record, by the vendor's field name.
///
/// HaloPSA `customfields[]`, ConnectWise `customFields[]`, Autotask
/// `userDefinedFields[]` and ServiceNow `u_*` columns all land here, so a
/// caller reads and writes them the same way for every vendor. Values keep
/// their JSON type.
///
/// ```
/// use psa_core::CustomFields;
/// let mut cf = CustomFields::new();
/// cf.insert("CFContractRef", "ACME-001");
/// assert_eq!(cf.get_str("CFContractRef"), Some("ACME-001"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct CustomFields(BTreeMap<String, serde_json::Value>);

impl CustomFields {
    /// No custom fields.
    pub fn new() -> Self {
        CustomFields(BTreeMap::new())
    }

    /// Sets a field.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) {
        self.0.insert(name.into(), value.into());
    }

    /// A field's value.
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.0.get(name)
    }

    /// A field's value when it is a string.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(serde_json::Value::as_str)
    }

    /// Removes a field.
    pub fn remove(&mut self, name: &str) -> Option<serde_json::Value> {
        self.0.remove(name)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The fields, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The field names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

impl<K: Into<String>, V: Into<serde_json::Value>> FromIterator<(K, V)> for CustomFields {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        CustomFields(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl IntoIterator for CustomFields {
    type Item = (String, serde_json::Value);
    type IntoIter = std::collections::btree_map::IntoIter<String, serde_json::Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// `serde` for `Option<Duration>` as whole seconds.
pub(crate) mod opt_duration_secs {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    #[allow(clippy::ref_option)]
    pub(crate) fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&d.as_secs()),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(d)?.map(Duration::from_secs))
    }
}

/// Adds `name` to `out` when `opt` is set.
pub(crate) fn field_if<T>(out: &mut Vec<String>, opt: Option<&T>, name: &str) {
    if opt.is_some() {
        out.push(name.to_owned());
    }
}

/// Adds `custom_fields.<name>` for each custom field.
pub(crate) fn custom_field_names(out: &mut Vec<String>, cf: &CustomFields) {
    out.extend(cf.names().map(|n| format!("custom_fields.{n}")));
}

/// Checks the names of custom fields about to be written: each one line of
/// visible text (a name is a vendor's field key).
pub(crate) fn check_custom_field_names(cf: &CustomFields) -> crate::Result<()> {
    cf.names()
        .try_for_each(|n| crate::input::line("custom field name", n, 255))
}

/// One field of a patch: leave it as it is, clear it, or set it.
///
/// In JSON a field left as it is is absent, a cleared one is `null`, a set
/// one has its value — so a patch read from a tool call or a stored plan
/// means exactly what it says.
///
/// ```
/// use psa_core::{Change, Id, TicketPatch};
/// let p = TicketPatch::new().unassign();
/// assert_eq!(p.owner, Change::Clear);
/// assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"owner":null}"#);
/// let back: TicketPatch = serde_json::from_str(r#"{"owner":null}"#).unwrap();
/// assert_eq!(back.owner, Change::Clear);
/// let set: TicketPatch = serde_json::from_str(r#"{"owner":7}"#).unwrap();
/// assert_eq!(set.owner, Change::Set(Id::from(7)));
/// assert_eq!(TicketPatch::new().owner, Change::Keep);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Change<T> {
    /// Leave the field as it is.
    #[default]
    Keep,
    /// Clear the field (unassign, remove the contact).
    Clear,
    /// Set the field to this value.
    Set(T),
}

impl<T> Change<T> {
    /// Whether the field is left as it is.
    pub fn is_keep(&self) -> bool {
        matches!(self, Change::Keep)
    }

    /// Whether the field is cleared.
    pub fn is_clear(&self) -> bool {
        matches!(self, Change::Clear)
    }

    /// The value it is set to, when it is set.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Change::Set(v) => Some(v),
            _ => None,
        }
    }

    /// `None` to keep, `Some(None)` to clear, `Some(Some(v))` to set: the
    /// shape a vendor body builder often wants.
    pub fn as_update(&self) -> Option<Option<&T>> {
        match self {
            Change::Keep => None,
            Change::Clear => Some(None),
            Change::Set(v) => Some(Some(v)),
        }
    }

    /// Maps a set value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Change<U> {
        match self {
            Change::Keep => Change::Keep,
            Change::Clear => Change::Clear,
            Change::Set(v) => Change::Set(f(v)),
        }
    }
}

impl<T: Serialize> Serialize for Change<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            // A kept field is skipped by its struct; alone it reads as null.
            Change::Keep | Change::Clear => s.serialize_none(),
            Change::Set(v) => s.serialize_some(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Change<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Reached only when the field is present: null clears, a value sets.
        Ok(match Option::<T>::deserialize(d)? {
            None => Change::Clear,
            Some(v) => Change::Set(v),
        })
    }
}

#[cfg(feature = "schemars")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Change<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Change_{}", T::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // Absent keeps the field; `null` clears it; a value sets it.
        let value = generator.subschema_for::<T>();
        schemars::json_schema!({
            "description": "Leave out to keep; null to clear; a value to set.",
            "anyOf": [value, { "type": "null" }]
        })
    }
}

/// Adds `name` to `out` when `change` clears or sets the field.
pub(crate) fn field_if_changed<T>(out: &mut Vec<String>, change: &Change<T>, name: &str) {
    if !change.is_keep() {
        out.push(name.to_owned());
    }
}
