//! Custom-field definitions: what a tenant's custom / user-defined fields
//! are, so that a write is checked against them before it is sent.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::RawRecord;
use super::common::CustomFields;
use crate::{Error, Result};

/// The kind of record a custom field belongs to.
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CustomFieldEntity {
    /// Tickets.
    Ticket,
    /// Companies.
    Company,
    /// Contacts.
    Contact,
    /// Configurations / assets.
    Configuration,
}

impl CustomFieldEntity {
    /// The snake_case name (`ticket`).
    pub const fn as_str(self) -> &'static str {
        match self {
            CustomFieldEntity::Ticket => "ticket",
            CustomFieldEntity::Company => "company",
            CustomFieldEntity::Contact => "contact",
            CustomFieldEntity::Configuration => "configuration",
        }
    }
}

impl std::fmt::Display for CustomFieldEntity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a custom field holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "vendor_type")]
#[non_exhaustive]
pub enum CustomFieldKind {
    /// Text on one line.
    Text,
    /// Text on several lines.
    LongText,
    /// A number (decimals allowed).
    Number,
    /// A whole number.
    Integer,
    /// True or false.
    Boolean,
    /// A date (`2026-12-03`).
    Date,
    /// A date and time (RFC 3339).
    DateTime,
    /// One value of a list.
    Picklist,
    /// Several values of a list.
    MultiPicklist,
    /// Another vendor type, by the vendor's name; values are not checked.
    Other(String),
}

/// One value of a picklist field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PicklistOption {
    /// The value written to the field (the vendor's id or text).
    pub value: Value,
    /// The label people see.
    pub label: String,
    /// Whether it may still be chosen.
    pub active: bool,
}

impl PicklistOption {
    /// An active option.
    pub fn new(value: impl Into<Value>, label: impl Into<String>) -> Self {
        PicklistOption {
            value: value.into(),
            label: label.into(),
            active: true,
        }
    }

    /// Sets whether it may still be chosen.
    #[must_use]
    pub fn active(mut self, active: bool) -> Self {
        self.active = active;
        self
    }
}

/// The definition of one custom field of a tenant.
///
/// `name` is the key the field has in a record's
/// [`CustomFields`] (the vendor's field name: Halo `CFContractRef`,
/// ConnectWise's caption, Autotask's UDF name, ServiceNow's `u_*` column).
///
/// ```
/// use psa_core::{CustomFieldDef, CustomFieldEntity, CustomFieldKind, PicklistOption};
/// let tier = CustomFieldDef::new("Tier", CustomFieldEntity::Ticket, CustomFieldKind::Picklist)
///     .options([PicklistOption::new("gold", "Gold"), PicklistOption::new("silver", "Silver")]);
/// assert!(tier.check(&"gold".into()).is_ok());
/// let err = tier.check(&"platinum".into()).unwrap_err();
/// assert!(err.to_string().contains("Gold"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CustomFieldDef {
    /// The field's key in [`CustomFields`].
    pub name: String,
    /// The label people see, when it differs from the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The kind of record it belongs to.
    pub entity: CustomFieldEntity,
    /// What it holds.
    pub kind: CustomFieldKind,
    /// Whether a record must have a value.
    pub required: bool,
    /// Whether the API may not write it.
    pub read_only: bool,
    /// The longest text it takes, when the vendor says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// The values of a picklist.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<PicklistOption>,
    /// The vendor's definition record.
    pub raw: RawRecord,
}

impl CustomFieldDef {
    /// A definition; vendor mappings fill the rest.
    pub fn new(name: impl Into<String>, entity: CustomFieldEntity, kind: CustomFieldKind) -> Self {
        CustomFieldDef {
            name: name.into(),
            label: None,
            entity,
            kind,
            required: false,
            read_only: false,
            max_length: None,
            options: Vec::new(),
            raw: RawRecord::default(),
        }
    }

    /// Sets the label.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Marks the field required.
    #[must_use]
    pub fn required(mut self, required: bool) -> Self {
        self.required = required;
        self
    }

    /// Marks the field read-only through the API.
    #[must_use]
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// Sets the longest text.
    #[must_use]
    pub fn max_length(mut self, max: u32) -> Self {
        self.max_length = Some(max);
        self
    }

    /// Sets the picklist values.
    #[must_use]
    pub fn options(mut self, options: impl IntoIterator<Item = PicklistOption>) -> Self {
        self.options = options.into_iter().collect();
        self
    }

    fn invalid(&self, why: impl std::fmt::Display) -> Error {
        Error::invalid_input(format!(
            "custom field {} of {}: {why}",
            crate::input::excerpt(&self.name),
            self.entity
        ))
    }

    /// Checks a value about to be written: `null` clears (refused for a
    /// required field), otherwise the value must be of the field's kind,
    /// within its length, and one of its active picklist values.
    pub fn check(&self, value: &Value) -> Result<()> {
        if self.read_only {
            return Err(self.invalid("it is read-only through the API"));
        }
        if value.is_null() {
            return if self.required {
                Err(self.invalid("it is required and cannot be cleared"))
            } else {
                Ok(())
            };
        }
        match &self.kind {
            CustomFieldKind::Text | CustomFieldKind::LongText => {
                let Some(text) = value.as_str() else {
                    return Err(self.invalid("expected text"));
                };
                if let Some(max) = self.max_length {
                    let n = text.chars().count();
                    if n > usize::try_from(max).unwrap_or(usize::MAX) {
                        return Err(self.invalid(format!("{n} characters; the limit is {max}")));
                    }
                }
                Ok(())
            }
            CustomFieldKind::Number => number(value)
                .map(drop)
                .ok_or_else(|| self.invalid("expected a number")),
            CustomFieldKind::Integer => match number(value) {
                Some(n) if n.fract() == 0.0 => Ok(()),
                _ => Err(self.invalid("expected a whole number")),
            },
            CustomFieldKind::Boolean => match value {
                Value::Bool(_) => Ok(()),
                Value::String(s) if matches!(s.as_str(), "true" | "false") => Ok(()),
                _ => Err(self.invalid("expected true or false")),
            },
            CustomFieldKind::Date => match value.as_str() {
                Some(s) if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() => Ok(()),
                _ => Err(self.invalid("expected a date such as 2026-12-03")),
            },
            CustomFieldKind::DateTime => match value.as_str() {
                Some(s) if chrono::DateTime::parse_from_rfc3339(s).is_ok() => Ok(()),
                _ => Err(self.invalid("expected an RFC 3339 date-time")),
            },
            CustomFieldKind::Picklist => self.check_option(value),
            CustomFieldKind::MultiPicklist => match value {
                Value::Array(items) => items.iter().try_for_each(|v| self.check_option(v)),
                other => self.check_option(other),
            },
            CustomFieldKind::Other(_) => Ok(()),
        }
    }

    fn check_option(&self, value: &Value) -> Result<()> {
        if self.options.is_empty() {
            return Ok(());
        }
        let found = self.options.iter().find(|o| same_value(&o.value, value));
        match found {
            Some(o) if o.active => Ok(()),
            Some(o) => Err(self.invalid(format!("`{}` is no longer an active choice", o.label))),
            None => {
                let choices: Vec<String> = self
                    .options
                    .iter()
                    .filter(|o| o.active)
                    .take(20)
                    .map(|o| format!("{} ({})", o.label, o.value))
                    .collect();
                Err(self.invalid(format!(
                    "{} is not one of its values: {}",
                    crate::input::excerpt(&value.to_string()),
                    choices.join(", ")
                )))
            }
        }
    }
}

/// A JSON number, or a string holding one (vendors send both).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Picklist values compare as written, and numbers with their text form
/// (`3` and `"3"`).
fn same_value(a: &Value, b: &Value) -> bool {
    a == b
        || match (a, b) {
            (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
                n.to_string() == *s
            }
            _ => false,
        }
}

/// Checks `fields` about to be written to a record of `entity` against the
/// tenant's definitions: every field must be defined (a typo would be lost
/// silently by most vendors) and its value acceptable
/// ([`CustomFieldDef::check`]). The first problem is an `InvalidInput`
/// error naming the field.
///
/// ```
/// use psa_core::{CustomFieldDef, CustomFieldEntity, CustomFieldKind, CustomFields};
/// use psa_core::model::validate_custom_fields;
/// let defs = [CustomFieldDef::new("Seats", CustomFieldEntity::Ticket, CustomFieldKind::Integer)];
/// let ok: CustomFields = [("Seats", 12)].into_iter().collect();
/// assert!(validate_custom_fields(&defs, CustomFieldEntity::Ticket, &ok).is_ok());
/// let typo: CustomFields = [("Seat", 12)].into_iter().collect();
/// assert!(validate_custom_fields(&defs, CustomFieldEntity::Ticket, &typo).is_err());
/// ```
pub fn validate_custom_fields(
    defs: &[CustomFieldDef],
    entity: CustomFieldEntity,
    fields: &CustomFields,
) -> Result<()> {
    for (name, value) in fields.iter() {
        let def = defs
            .iter()
            .find(|d| d.entity == entity && d.name == name)
            .or_else(|| {
                defs.iter()
                    .find(|d| d.entity == entity && d.name.eq_ignore_ascii_case(name))
            });
        if let Some(d) = def {
            d.check(value)?;
        } else {
            let known: Vec<String> = defs
                .iter()
                .filter(|d| d.entity == entity)
                .map(|d| crate::input::excerpt(&d.name))
                .take(30)
                .collect();
            return Err(Error::invalid_input(format!(
                "{entity} has no custom field {}; its custom fields are: {}",
                crate::input::excerpt(name),
                if known.is_empty() {
                    "(none)".to_owned()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn def(kind: CustomFieldKind) -> CustomFieldDef {
        CustomFieldDef::new("F", CustomFieldEntity::Ticket, kind)
    }

    #[test]
    fn kinds_check_their_values() {
        let text = def(CustomFieldKind::Text).max_length(5);
        assert!(text.check(&json!("abc")).is_ok());
        assert!(
            text.check(&json!("abcdef"))
                .unwrap_err()
                .to_string()
                .contains("limit is 5")
        );
        assert!(text.check(&json!(3)).is_err());
        let int = def(CustomFieldKind::Integer);
        assert!(int.check(&json!(3)).is_ok() && int.check(&json!("3")).is_ok());
        assert!(int.check(&json!(3.5)).is_err() && int.check(&json!("x")).is_err());
        assert!(def(CustomFieldKind::Number).check(&json!("2.5")).is_ok());
        assert!(def(CustomFieldKind::Boolean).check(&json!(true)).is_ok());
        assert!(def(CustomFieldKind::Boolean).check(&json!("yes")).is_err());
        assert!(
            def(CustomFieldKind::Date)
                .check(&json!("2026-12-03"))
                .is_ok()
        );
        assert!(
            def(CustomFieldKind::Date)
                .check(&json!("03/12/2026"))
                .is_err()
        );
        assert!(
            def(CustomFieldKind::DateTime)
                .check(&json!("2026-12-03T09:00:00Z"))
                .is_ok()
        );
        assert!(
            def(CustomFieldKind::Other("Lookup".into()))
                .check(&json!({"id": 1}))
                .is_ok()
        );
    }

    #[test]
    fn picklists_required_and_read_only() {
        let pick = def(CustomFieldKind::Picklist).options([
            PicklistOption::new(1, "One"),
            PicklistOption::new(2, "Two").active(false),
        ]);
        assert!(pick.check(&json!(1)).is_ok());
        assert!(pick.check(&json!("1")).is_ok());
        assert!(
            pick.check(&json!(2))
                .unwrap_err()
                .to_string()
                .contains("no longer")
        );
        assert!(
            pick.check(&json!(3))
                .unwrap_err()
                .to_string()
                .contains("One (1)")
        );
        let multi = def(CustomFieldKind::MultiPicklist).options([PicklistOption::new("a", "A")]);
        assert!(multi.check(&json!(["a"])).is_ok() && multi.check(&json!(["a", "b"])).is_err());
        let required = def(CustomFieldKind::Text).required(true);
        assert!(required.check(&Value::Null).is_err());
        assert!(def(CustomFieldKind::Text).check(&Value::Null).is_ok());
        assert!(
            def(CustomFieldKind::Text)
                .read_only(true)
                .check(&json!("x"))
                .is_err()
        );
    }

    #[test]
    fn unknown_fields_are_named_with_the_known_ones() {
        let defs = [def(CustomFieldKind::Text)];
        let fields: CustomFields = [("G", "x")].into_iter().collect();
        let e = validate_custom_fields(&defs, CustomFieldEntity::Ticket, &fields).unwrap_err();
        assert!(
            e.to_string().contains("no custom field \"G\"") && e.to_string().contains(": \"F\""),
            "{e}"
        );
        let on_company = validate_custom_fields(
            &defs,
            CustomFieldEntity::Company,
            &[("F", "x")].into_iter().collect(),
        );
        assert!(on_company.is_err(), "a ticket field is not a company field");
    }
}
