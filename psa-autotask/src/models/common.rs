//! Shapes shared by every Autotask entity: timestamps, user-defined fields
//! and the response envelopes (`{"item": …}`, `{"items": […], "pageDetails": …}`,
//! `{"itemId": …}`).

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// `skip_serializing_if` helper: an id of zero is "not created yet".
#[allow(clippy::trivially_copy_pass_by_ref)]
pub(crate) fn is_zero(v: &i64) -> bool {
    *v == 0
}

/// An Autotask date-time, decoded and kept exactly as received.
///
/// Autotask stores and returns times in UTC; responses carry them as
/// ISO 8601 text, sometimes without a zone designator
/// (`2024-01-31T15:04:05.307`) and sometimes with one
/// (`2024-01-31T15:04:05.307Z`). Both decode to the same UTC instant, and
/// the original text is what serialises back, so that a record decoded and
/// re-encoded is byte-for-byte the same value. A text that is not a date-time
/// fails decoding (naming the field).
///
/// ```
/// use psa_autotask::models::Timestamp;
/// let t: Timestamp = serde_json::from_str("\"2024-01-31T15:04:05.307\"").unwrap();
/// assert_eq!(t.utc().to_rfc3339(), "2024-01-31T15:04:05.307+00:00");
/// assert_eq!(serde_json::to_string(&t).unwrap(), "\"2024-01-31T15:04:05.307\"");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    utc: DateTime<Utc>,
    text: Box<str>,
}

impl Timestamp {
    /// Parses Autotask's date-time text (with or without a zone designator;
    /// a missing designator means UTC).
    pub fn parse(text: &str) -> Option<Self> {
        let utc = parse_autotask_datetime(text)?;
        Some(Timestamp {
            utc,
            text: text.into(),
        })
    }

    /// The instant, in UTC.
    pub fn utc(&self) -> DateTime<Utc> {
        self.utc
    }

    /// The text as Autotask sent it.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<DateTime<Utc>> for Timestamp {
    /// A timestamp for a request body: RFC 3339 in UTC with a `Z`.
    fn from(utc: DateTime<Utc>) -> Self {
        Timestamp {
            utc,
            text: utc
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                .into(),
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 8601 date-time")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v)
                    .ok_or_else(|| E::custom(format!("{v:?} is not an ISO 8601 date-time")))
            }
        }
        d.deserialize_str(V)
    }
}

/// Parses `2024-01-31T15:04:05.307Z`, `2024-01-31T15:04:05+02:00`,
/// `2024-01-31T15:04:05.307` (UTC) and `2024-01-31` (midnight UTC).
pub(crate) fn parse_autotask_datetime(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(naive.and_utc());
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return date.and_hms_opt(0, 0, 0).map(|n| n.and_utc());
    }
    None
}

/// One user-defined field (`UserDefinedField`): `{"name": …, "value": …}`.
///
/// Autotask sends values as strings (or `null` when unset); the value keeps
/// whatever JSON type arrived.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserDefinedField {
    /// The field's name, as defined in Admin > User-Defined Fields.
    pub name: String,
    /// The value; `None` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

impl UserDefinedField {
    /// A user-defined field.
    pub fn new(name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        UserDefinedField {
            name: name.into(),
            value: Some(value.into()),
        }
    }
}

/// `GET /{Entity}/{id}`: `{"item": {…}}` (`item` is `null` when the id does
/// not exist on some endpoints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ItemResult<T> {
    /// The record.
    pub item: Option<T>,
}

/// `POST /{Entity}/query` and the next-page URLs: `{"items": […], "pageDetails": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QueryResult<T> {
    /// The records of this page (at most 500).
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// Paging details.
    #[serde(rename = "pageDetails", default)]
    pub page_details: Option<PageDetails>,
}

/// `PagingModel`: where the next and previous pages are.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PageDetails {
    /// Records on this page.
    #[serde(default)]
    pub count: i64,
    /// The `MaxRecords` asked for.
    #[serde(rename = "requestCount", default)]
    pub request_count: i64,
    /// Absolute URL of the previous page, when there is one.
    #[serde(rename = "prevPageUrl", default)]
    pub prev_page_url: Option<String>,
    /// Absolute URL of the next page, when there is one.
    #[serde(rename = "nextPageUrl", default)]
    pub next_page_url: Option<String>,
}

/// `OperationResultModel`: what create, update and delete return, `{"itemId": N}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ItemId {
    /// The id of the record created, changed or deleted.
    #[serde(rename = "itemId")]
    pub item_id: i64,
}

/// `POST /{Entity}/query/count`: `{"queryCount": N}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QueryCount {
    /// How many records match.
    #[serde(rename = "queryCount")]
    pub query_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_their_text() {
        for text in [
            "2024-01-31T15:04:05.307",
            "2024-01-31T15:04:05.307Z",
            "2024-01-31T15:04:05Z",
            "2024-01-31T17:04:05+02:00",
            "2024-01-31",
        ] {
            let json = format!("\"{text}\"");
            let t: Timestamp = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&t).unwrap(), json);
        }
        let a = Timestamp::parse("2024-01-31T15:04:05").unwrap();
        let b = Timestamp::parse("2024-01-31T17:04:05+02:00").unwrap();
        assert_eq!(a.utc(), b.utc());
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<Timestamp>("12").is_err());
    }

    #[test]
    fn request_timestamps_are_utc_with_z() {
        let t = Timestamp::from(Timestamp::parse("2024-01-31T15:04:05").unwrap().utc());
        assert_eq!(t.as_str(), "2024-01-31T15:04:05Z");
    }
}
