//! What every resource shares: custom fields, list envelopes, and numbers
//! kept as Halo wrote them.
//!
//! Halo is a .NET application and its JSON has two habits a strict decoder
//! trips over, and a naive one silently rewrites:
//!
//! - **Dates** are ISO 8601 strings, usually *without* a zone, sometimes
//!   with fractions, `Z` or an offset, and `1900-01-01T00:00:00` (or `""`)
//!   for "no date". The models keep them as [`psa_core::Timestamp`], which
//!   reads every one of these forms and writes back the original text.
//! - **Numbers** typed `double` in Halo's schema arrive as `0`, `1.5` or
//!   `2.0`. [`Number`] remembers whether the value was written as an
//!   integer, so a round trip does not turn `0` into `0.0`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;

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

/// A number Halo types as `double`, remembering whether it was sent as an
/// integer (`0`) or with a fraction (`0.0`, `1.5`), so that re-serialising
/// reproduces the input.
///
/// ```
/// use psa_halo::Number;
/// let n: Number = serde_json::from_str("2").unwrap();
/// assert_eq!(n.get(), 2.0);
/// assert_eq!(n.as_i64(), Some(2));
/// assert_eq!(serde_json::to_string(&n).unwrap(), "2");
/// assert_eq!(serde_json::to_string(&Number::from(0.25)).unwrap(), "0.25");
/// ```
#[derive(Clone, Copy, PartialEq)]
pub struct Number {
    value: f64,
    integer: bool,
}

impl Number {
    /// The value.
    pub fn get(self) -> f64 {
        self.value
    }

    /// The value as an integer, when it is one (ids Halo types as `double`,
    /// such as `Site.client_id`).
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    pub fn as_i64(self) -> Option<i64> {
        let v = self.value;
        (v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0).then_some(v as i64)
    }

    /// An integer value, sent as an integer.
    #[allow(clippy::cast_precision_loss)]
    pub fn int(v: i64) -> Number {
        Number {
            value: v as f64,
            integer: true,
        }
    }
}

impl From<f64> for Number {
    fn from(value: f64) -> Self {
        Number {
            value,
            integer: false,
        }
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Self {
        Number::int(v)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_i64() {
            Some(i) if self.integer => write!(f, "{i}"),
            _ => write!(f, "{:?}", self.value),
        }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_i64() {
            Some(i) if self.integer => s.serialize_i64(i),
            _ => s.serialize_f64(self.value),
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number::int(v))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number {
                    value: v as f64,
                    integer: true,
                })
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number::from(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use psa_core::Timestamp;

    /// Every date form Halo sends reads as its instant and writes back as
    /// it came (the models' dates are `psa_core::Timestamp`).
    #[test]
    fn halo_dates_round_trip_their_text() {
        for text in [
            "2024-05-01T09:30:00",
            "2024-05-01T09:30:00.123",
            "2024-05-01T09:30:00.1234567",
            "2024-05-01T09:30:00Z",
            "2024-05-01T19:30:00+10:00",
            "2024-05-01 09:30:00",
            "2024-05-01",
        ] {
            let t = Timestamp::parse(text).unwrap_or_else(|| panic!("{text} rejected"));
            assert_eq!(t.as_str(), text);
            let utc = t.utc().unwrap();
            assert_eq!(utc.date_naive().to_string(), "2024-05-01", "{text}");
        }
        let offset = Timestamp::parse("2024-05-01T19:30:00+10:00").unwrap();
        assert_eq!(
            offset.utc().unwrap().to_rfc3339(),
            "2024-05-01T09:30:00+00:00"
        );
    }

    #[test]
    fn halo_placeholders_are_unset() {
        for text in ["1900-01-01T00:00:00", "", "0001-01-01T00:00:00"] {
            let t = Timestamp::parse(text).unwrap();
            assert!(t.is_unset(), "{text}");
            assert_eq!(t.as_str(), text);
        }
    }

    #[test]
    fn bad_dates_are_errors_not_panics() {
        let err = serde_json::from_str::<Timestamp>("\"yesterday\"").unwrap_err();
        assert!(err.to_string().contains("yesterday"));
        assert!(serde_json::from_str::<Timestamp>("42").is_err());
    }

    #[test]
    fn sent_dates_are_utc_with_z() {
        let t = DateTime::parse_from_rfc3339("2026-11-20T09:00:00+11:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(Timestamp::from(t).as_str(), "2026-11-19T22:00:00Z");
    }

    #[test]
    fn numbers_keep_their_form() {
        for text in ["0", "2", "2.0", "0.25", "-3", "1e3"] {
            let n: Number = serde_json::from_str(text).unwrap();
            let back: serde_json::Value = serde_json::to_value(n).unwrap();
            let orig: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(back, orig, "{text}");
        }
    }
}
