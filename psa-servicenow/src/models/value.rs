//! Table API field values: strings, display values, reference links.
//!
//! The Table API sends every value as a string (`"priority": "5"`,
//! `"active": "true"`, dates as `"2023-12-10 16:45:21"` in UTC). What a field
//! looks like depends on the request:
//!
//! | request | plain field | reference field |
//! |---|---|---|
//! | default | `"5"` | `{"link": "https://…/sys_user/6816…", "value": "6816…"}` |
//! | `sysparm_exclude_reference_link=true` | `"5"` | `"6816…"` |
//! | `sysparm_display_value=true` | `"5 - Planning"` | `"System Administrator"` |
//! | `sysparm_display_value=all` | `{"display_value": "5 - Planning", "value": "5"}` | `{"display_value": "System Administrator", "link": "…", "value": "6816…"}` |
//!
//! [`Field`] and [`Reference`] decode every form and encode back to the same
//! form, so a record decoded and re-encoded equals what the instance sent.

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::time::Duration;

/// How a value was written on the wire, so that it is written back the same way.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Form {
    /// A JSON string.
    Text,
    /// JSON `null`.
    Null,
    /// A JSON number or boolean (the Table API sends strings, but request
    /// bodies and some scripted APIs use numbers).
    Scalar(serde_json::Value),
    /// An object; which of its keys were present.
    Object {
        display_value: bool,
        link: bool,
        value: bool,
    },
}

/// The parts every value has.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parts {
    value: String,
    display_value: Option<String>,
    link: Option<String>,
    form: Form,
}

impl Parts {
    fn text(value: String) -> Self {
        Parts {
            value,
            display_value: None,
            link: None,
            form: Form::Text,
        }
    }

    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.form {
            Form::Text => s.serialize_str(&self.value),
            Form::Null => s.serialize_none(),
            Form::Scalar(v) => v.serialize(s),
            Form::Object {
                display_value,
                link,
                value,
            } => {
                let mut m = s.serialize_map(None)?;
                if *display_value {
                    m.serialize_entry("display_value", &self.display_value)?;
                }
                if *link {
                    m.serialize_entry("link", &self.link)?;
                }
                if *value {
                    m.serialize_entry("value", &self.value)?;
                }
                m.end()
            }
        }
    }
}

struct PartsVisitor(&'static str);

impl<'de> Visitor<'de> for PartsVisitor {
    type Value = Parts;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a ServiceNow {}: a string, or an object with `value`, `display_value` or `link`",
            self.0
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Parts, E> {
        Ok(Parts::text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Parts, E> {
        Ok(Parts::text(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Parts, E> {
        Ok(Parts {
            form: Form::Null,
            ..Parts::text(String::new())
        })
    }

    fn visit_none<E: de::Error>(self) -> Result<Parts, E> {
        self.visit_unit()
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Parts, E> {
        Ok(Parts {
            form: Form::Scalar(serde_json::Value::Bool(v)),
            ..Parts::text(v.to_string())
        })
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Parts, E> {
        Ok(Parts {
            form: Form::Scalar(serde_json::Value::from(v)),
            ..Parts::text(v.to_string())
        })
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Parts, E> {
        Ok(Parts {
            form: Form::Scalar(serde_json::Value::from(v)),
            ..Parts::text(v.to_string())
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Parts, E> {
        let json = serde_json::Number::from_f64(v)
            .map(serde_json::Value::Number)
            .ok_or_else(|| E::custom("a non-finite number"))?;
        Ok(Parts {
            form: Form::Scalar(json),
            ..Parts::text(v.to_string())
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parts, A::Error> {
        let mut value: Option<String> = None;
        let mut display: Option<Option<String>> = None;
        let mut link: Option<Option<String>> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "value" => value = Some(map.next_value::<Option<String>>()?.unwrap_or_default()),
                "display_value" => display = Some(map.next_value()?),
                "link" => link = Some(map.next_value()?),
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["value", "display_value", "link"],
                    ));
                }
            }
        }
        if value.is_none() && display.is_none() && link.is_none() {
            return Err(de::Error::custom(format!(
                "a ServiceNow {} object needs `value`, `display_value` or `link`",
                self.0
            )));
        }
        Ok(Parts {
            form: Form::Object {
                display_value: display.is_some(),
                link: link.is_some(),
                value: value.is_some(),
            },
            value: value.unwrap_or_default(),
            display_value: display.flatten(),
            link: link.flatten(),
        })
    }
}

/// A plain (non-reference) field value: a string, or
/// `{"display_value", "value"}` under `sysparm_display_value=all`.
///
/// With `sysparm_display_value=true` the instance sends display values in
/// place of values; [`value`](Field::value) then holds the display value.
///
/// ```
/// use psa_servicenow::models::Field;
/// let f: Field = serde_json::from_str(r#"{"display_value":"1 - Critical","value":"1"}"#)?;
/// assert_eq!(f.value(), "1");
/// assert_eq!(f.display_value(), Some("1 - Critical"));
/// assert_eq!(serde_json::to_string(&f)?, r#"{"display_value":"1 - Critical","value":"1"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Field(Parts);

impl Field {
    /// A value as the Table API writes it: a string.
    pub fn new(value: impl Into<String>) -> Self {
        Field(Parts::text(value.into()))
    }

    /// The value (`""` when empty).
    pub fn value(&self) -> &str {
        &self.0.value
    }

    /// The value, or `None` when it is empty.
    pub fn non_empty(&self) -> Option<&str> {
        Some(self.0.value.as_str()).filter(|v| !v.is_empty())
    }

    /// The display value, when the instance sent one (`sysparm_display_value=all`).
    pub fn display_value(&self) -> Option<&str> {
        self.0.display_value.as_deref()
    }

    /// The value as a boolean (`"true"` / `"false"`).
    pub fn as_bool(&self) -> Option<bool> {
        match self.0.value.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// The value as a number.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.value.trim().parse().ok()
    }

    /// The value as a UTC date-time (`YYYY-MM-DD HH:MM:SS`, or a date).
    pub fn as_datetime(&self) -> Option<DateTime<Utc>> {
        parse_glide_datetime(&self.0.value)
    }

    /// The value as a duration (`1970-01-01 HH:MM:SS`).
    pub fn as_duration(&self) -> Option<Duration> {
        parse_glide_duration(&self.0.value)
    }
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.display_value {
            Some(d) => write!(f, "Field({:?} / {:?})", self.0.value, d),
            None => write!(f, "Field({:?})", self.0.value),
        }
    }
}

impl From<&str> for Field {
    fn from(v: &str) -> Self {
        Field::new(v)
    }
}

impl From<String> for Field {
    fn from(v: String) -> Self {
        Field::new(v)
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PartsVisitor("field value")).map(Field)
    }
}

/// A reference field: the referenced record's `sys_id`, and — depending on
/// the request — a Table API `link` to it and its display value.
///
/// Decodes all three wire forms (`"sys_id"`, `{"link", "value"}`,
/// `{"display_value", "link", "value"}`) and encodes back to the same one.
/// An empty reference is `""`.
///
/// ```
/// use psa_servicenow::models::Reference;
/// let r: Reference = serde_json::from_str(
///     r#"{"link":"https://dev.service-now.com/api/now/table/sys_user_group/287ebd7da9fe198100f92cc8d1d2154e","value":"287ebd7da9fe198100f92cc8d1d2154e"}"#,
/// )?;
/// assert_eq!(r.sys_id(), Some("287ebd7da9fe198100f92cc8d1d2154e"));
/// assert_eq!(r.table(), Some("sys_user_group"));
/// let plain: Reference = serde_json::from_str(r#""287ebd7da9fe198100f92cc8d1d2154e""#)?;
/// assert_eq!(plain.sys_id(), r.sys_id());
/// let empty: Reference = serde_json::from_str(r#""""#)?;
/// assert_eq!(empty.sys_id(), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Reference(Parts);

impl Reference {
    /// A reference by `sys_id`, written as a plain string (how request bodies
    /// set reference fields).
    pub fn new(sys_id: impl Into<String>) -> Self {
        Reference(Parts::text(sys_id.into()))
    }

    /// The referenced `sys_id`, or `None` for an empty reference. Under
    /// `sysparm_display_value=true` this holds the display value instead.
    pub fn sys_id(&self) -> Option<&str> {
        Some(self.0.value.as_str()).filter(|v| !v.is_empty())
    }

    /// The raw value (`""` when empty).
    pub fn value(&self) -> &str {
        &self.0.value
    }

    /// The Table API link to the referenced record, when sent.
    pub fn link(&self) -> Option<&str> {
        self.0.link.as_deref()
    }

    /// The referenced record's display value, when sent.
    pub fn display_value(&self) -> Option<&str> {
        self.0.display_value.as_deref().filter(|d| !d.is_empty())
    }

    /// The referenced table, read from the link
    /// (`…/api/now/table/<table>/<sys_id>`), when there is one.
    pub fn table(&self) -> Option<&str> {
        let link = self.0.link.as_deref()?;
        let after = link.split("/api/now/table/").nth(1)?;
        after.split('/').next().filter(|t| !t.is_empty())
    }
}

impl fmt::Debug for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_tuple("Reference");
        d.field(&self.0.value);
        if let Some(dv) = &self.0.display_value {
            d.field(dv);
        }
        d.finish()
    }
}

impl Serialize for Reference {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PartsVisitor("reference")).map(Reference)
    }
}

/// The date-time format of the Table API: `YYYY-MM-DD HH:MM:SS`, UTC.
pub const GLIDE_DATETIME: &str = "%Y-%m-%d %H:%M:%S";

/// Parses a Table API date-time (`2023-12-10 16:45:21`, UTC) or date
/// (`2023-12-10`, read as midnight UTC) the way every vendor crate reads a
/// date-time, with [`psa_core::Timestamp`]. `None` for `""`, for text that
/// is no date-time, and for dates on or before 1900-01-01 (the vendors'
/// "no date").
///
/// ```
/// use psa_servicenow::models::parse_glide_datetime;
/// let t = parse_glide_datetime("2023-12-10 16:45:21").unwrap();
/// assert_eq!(t.to_rfc3339(), "2023-12-10T16:45:21+00:00");
/// assert!(parse_glide_datetime("").is_none());
/// assert!(parse_glide_datetime("soon").is_none());
/// ```
pub fn parse_glide_datetime(s: &str) -> Option<DateTime<Utc>> {
    psa_core::Timestamp::parse(s)?.utc()
}

/// Formats a UTC instant the way the Table API writes date-times.
pub fn format_glide_datetime(t: DateTime<Utc>) -> String {
    t.format(GLIDE_DATETIME).to_string()
}

fn epoch() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

/// Parses a duration field (`time_worked`, `business_duration`): ServiceNow
/// stores durations as a date-time after 1970-01-01 00:00:00, so 1 h 30 min
/// is `1970-01-01 01:30:00` and 25 h is `1970-01-02 01:00:00`.
pub fn parse_glide_duration(s: &str) -> Option<Duration> {
    let t = NaiveDateTime::parse_from_str(s.trim(), GLIDE_DATETIME).ok()?;
    (t.and_utc() - epoch()).to_std().ok()
}

/// Formats a duration the way ServiceNow stores it (`1970-01-01 00:15:00`),
/// to whole seconds. `None` when it is too long to represent.
pub fn format_glide_duration(d: Duration) -> Option<String> {
    let secs = i64::try_from(d.as_secs()).ok()?;
    let t = epoch().checked_add_signed(TimeDelta::try_seconds(secs)?)?;
    Some(format_glide_datetime(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de>>(json: &str) -> T {
        let v: T = serde_json::from_str(json).unwrap();
        let back = serde_json::to_value(&v).unwrap();
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(json).unwrap(),
            "{json}"
        );
        v
    }

    #[test]
    fn references_round_trip_every_form() {
        let link = round_trip::<Reference>(
            r#"{"link":"https://dev223454.service-now.com/api/now/table/sys_user/6816f79cc0a8016401c5a33be04be441","value":"6816f79cc0a8016401c5a33be04be441"}"#,
        );
        assert_eq!(link.table(), Some("sys_user"));
        assert_eq!(link.display_value(), None);
        let plain = round_trip::<Reference>(r#""6816f79cc0a8016401c5a33be04be441""#);
        assert_eq!(plain.sys_id(), link.sys_id());
        let all = round_trip::<Reference>(
            r#"{"display_value":"System Administrator","link":"https://x/api/now/table/sys_user/6816f79cc0a8016401c5a33be04be441","value":"6816f79cc0a8016401c5a33be04be441"}"#,
        );
        assert_eq!(all.display_value(), Some("System Administrator"));
        let empty_all = round_trip::<Reference>(r#"{"display_value":"","value":""}"#);
        assert_eq!(empty_all.sys_id(), None);
        assert_eq!(empty_all.display_value(), None);
        round_trip::<Reference>(r#""""#);
        round_trip::<Reference>("null");
        assert!(serde_json::from_str::<Reference>(r#"{"other":1}"#).is_err());
        assert!(serde_json::from_str::<Reference>("[1]").is_err());
    }

    #[test]
    fn fields_round_trip_and_parse() {
        let f = round_trip::<Field>(r#""2023-12-10 16:45:21""#);
        assert_eq!(
            f.as_datetime().unwrap().to_rfc3339(),
            "2023-12-10T16:45:21+00:00"
        );
        round_trip::<Field>(r#"{"display_value":"New","value":"1"}"#);
        let n = round_trip::<Field>("3");
        assert_eq!(n.value(), "3");
        let b = round_trip::<Field>("true");
        assert_eq!(b.as_bool(), Some(true));
    }

    #[test]
    fn durations_are_offsets_from_the_epoch() {
        assert_eq!(
            parse_glide_duration("1970-01-01 01:30:00"),
            Some(Duration::from_secs(5400))
        );
        assert_eq!(
            parse_glide_duration("1970-01-02 01:00:00"),
            Some(Duration::from_secs(25 * 3600))
        );
        assert_eq!(parse_glide_duration(""), None);
        assert_eq!(parse_glide_duration("1969-12-31 23:00:00"), None);
        assert_eq!(
            format_glide_duration(Duration::from_secs(15 * 60)).unwrap(),
            "1970-01-01 00:15:00"
        );
    }
}
