//! Value types that keep Halo's JSON exactly as it was sent.
//!
//! Halo is a .NET application and its JSON has two habits a strict decoder
//! trips over, and a naive one silently rewrites:
//!
//! - **Dates** are ISO 8601 strings, usually *without* a zone
//!   (`2024-05-01T09:30:00`, sometimes with fractions `…:00.123`, sometimes
//!   with `Z` or an offset). Halo stores and returns them in UTC unless a
//!   request asks for an `utcoffset`, so a date without a zone is read as UTC.
//!   Halo writes `1900-01-01T00:00:00` (or an empty string) for "no date".
//!   [`Timestamp`] parses all of these and re-serialises the original text, so
//!   a record read and written back is byte-for-byte what Halo sent.
//! - **Numbers** typed `double` in Halo's schema arrive as `0`, `1.5` or
//!   `2.0`. [`Number`] remembers whether the value was written as an integer,
//!   so a round trip does not turn `0` into `0.0`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A Halo date-time: the instant (UTC) and the text Halo sent.
///
/// ```
/// use psa_halo::Timestamp;
/// let t: Timestamp = serde_json::from_str("\"2024-05-01T09:30:00\"").unwrap();
/// assert_eq!(t.utc().unwrap().to_rfc3339(), "2024-05-01T09:30:00+00:00");
/// assert_eq!(serde_json::to_string(&t).unwrap(), "\"2024-05-01T09:30:00\"");
///
/// let unset: Timestamp = serde_json::from_str("\"1900-01-01T00:00:00\"").unwrap();
/// assert!(unset.utc().is_none());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    utc: Option<DateTime<Utc>>,
    text: Box<str>,
}

impl Timestamp {
    /// Parses Halo's text. Accepts RFC 3339 (`Z` or an offset), a date-time
    /// without a zone (read as UTC, with or without fractional seconds, `T`
    /// or a space between date and time), a bare date (midnight UTC), and
    /// the empty string. Years up to 1900 are Halo's "no date" and read as
    /// unset.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let utc = match parse_instant(text) {
            Parsed::Instant(t) => Some(t).filter(|t| t.date_naive() > NO_DATE),
            Parsed::Empty => None,
            Parsed::Invalid => return None,
        };
        Some(Timestamp {
            utc,
            text: text.into(),
        })
    }

    /// The instant, or `None` when Halo sent "no date".
    pub fn utc(&self) -> Option<DateTime<Utc>> {
        self.utc
    }

    /// The text as Halo sent it (or as the SDK will send it).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this is Halo's "no date" (`1900-01-01…` or empty).
    pub fn is_unset(&self) -> bool {
        self.utc.is_none()
    }
}

/// Halo's placeholder for "no date" is 1900-01-01; anything on or before it
/// is treated as unset.
const NO_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

enum Parsed {
    Instant(DateTime<Utc>),
    Empty,
    Invalid,
}

fn parse_instant(text: &str) -> Parsed {
    let s = text.trim();
    if s.is_empty() {
        return Parsed::Empty;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Parsed::Instant(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Parsed::Instant(t.and_utc());
        }
    }
    // An offset without the colon (`+1000`), which RFC 3339 does not allow.
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Parsed::Instant(t.with_timezone(&Utc));
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        Some(t) => Parsed::Instant(t.and_utc()),
        None => Parsed::Invalid,
    }
}

impl From<DateTime<Utc>> for Timestamp {
    /// A timestamp the SDK sends: RFC 3339 in UTC with a `Z`, so that Halo
    /// never applies the API agent's time zone to it.
    fn from(t: DateTime<Utc>) -> Self {
        Timestamp {
            utc: Some(t),
            text: t.to_rfc3339_opts(SecondsFormat::AutoSi, true).into(),
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", &*self.text)
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
                f.write_str("an ISO 8601 date-time string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).ok_or_else(|| {
                    E::custom(format_args!(
                        "invalid date-time {v:?}: expected ISO 8601 such as 2024-05-01T09:30:00"
                    ))
                })
            }
        }
        d.deserialize_str(V)
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

    #[test]
    fn dates_round_trip_their_text() {
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
    fn placeholders_are_unset() {
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
