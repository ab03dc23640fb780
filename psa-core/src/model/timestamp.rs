//! [`Timestamp`]: a vendor's date-time, read as an instant and written back
//! exactly as it was sent.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A date-time from a vendor's JSON: the instant (UTC) and the text the
/// vendor sent.
///
/// PSA vendors write ISO 8601 in several shapes: with `Z` or an offset,
/// without a zone (`2024-05-01T09:30:00`, HaloPSA and Autotask, which store
/// UTC), with fractions, with a space for the `T`, as a bare date, empty,
/// or as a placeholder for "no date" (`1900-01-01T00:00:00`, `0001-01-01`
/// from .NET defaults). `Timestamp` reads all of them — a text without a
/// zone is UTC — and serialises the original text, so that a record read
/// and written back is what the vendor sent, byte for byte.
///
/// [`utc`](Self::utc) is `None` for the empty text and for dates on or
/// before 1900-01-01, the vendors' "no date".
///
/// ```
/// use psa_core::Timestamp;
/// let t: Timestamp = serde_json::from_str("\"2024-05-01T09:30:00\"").unwrap();
/// assert_eq!(t.utc().unwrap().to_rfc3339(), "2024-05-01T09:30:00+00:00");
/// assert_eq!(serde_json::to_string(&t).unwrap(), "\"2024-05-01T09:30:00\"");
///
/// let unset: Timestamp = serde_json::from_str("\"1900-01-01T00:00:00\"").unwrap();
/// assert!(unset.is_unset());
/// assert!(serde_json::from_str::<Timestamp>("\"next tuesday\"").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp {
    utc: Option<DateTime<Utc>>,
    text: Box<str>,
}

/// The vendors' placeholder for "no date": anything on or before it.
const NO_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

enum Parsed {
    Instant(DateTime<Utc>),
    Empty,
    Invalid,
}

impl Timestamp {
    /// Parses a vendor's text: RFC 3339 (`Z` or an offset, or an offset
    /// without its colon), a date-time without a zone (UTC; fractions, `T`
    /// or a space, with or without seconds), a bare date (midnight UTC), or
    /// the empty string (unset). `None` for anything else.
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

    /// The instant; `None` when the vendor sent "no date" (empty, or on or
    /// before 1900-01-01).
    pub fn utc(&self) -> Option<DateTime<Utc>> {
        self.utc
    }

    /// The text as the vendor sent it (or as the SDK will send it).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this is the vendor's "no date".
    pub fn is_unset(&self) -> bool {
        self.utc.is_none()
    }
}

fn parse_instant(text: &str) -> Parsed {
    let s = text.trim();
    if s.is_empty() {
        return Parsed::Empty;
    }
    if let Some(t) = plain_datetime(s) {
        return Parsed::Instant(t.and_utc());
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

/// `YYYY-MM-DD HH:MM:SS` (or with `T`), the zone-less form ServiceNow and
/// HaloPSA write, read directly: chrono's `parse_from_str` re-reads its
/// format string on every call, and a ticket read parses a dozen of these.
/// `None` for anything else (the general parsers then decide).
fn plain_datetime(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b' ' | b'T')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5, 7)?, num(8, 10)?)?.and_hms_opt(
        num(11, 13)?,
        num(14, 16)?,
        num(17, 19)?,
    )
}

impl From<DateTime<Utc>> for Timestamp {
    /// A timestamp the SDK sends: RFC 3339 in UTC with a `Z`, so that no
    /// vendor applies an agent's or instance's time zone to it.
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn utc(s: &str) -> String {
        Timestamp::parse(s).unwrap().utc().unwrap().to_rfc3339()
    }

    #[test]
    fn the_plain_form_reads_as_chronos_parser_reads_it() {
        for s in [
            "2026-12-03 09:30:15",
            "2026-12-03T09:30:15",
            "1970-01-01 00:00:00",
            "2024-02-29 23:59:59",
            "2026-02-29 10:00:00",
            "2026-13-01 10:00:00",
            "2026-12-03 24:00:00",
            "2026-12-03 09:60:00",
            "2026-12-03 09:30:60",
            "2026-12-03 9:30:15 ",
            "2026-12-03+09:30:15",
            "+026-12-03 09:30:15",
            "2026-12-0３ 09:30",
        ] {
            let chrono = NaiveDateTime::parse_from_str(&s.replace('T', " "), "%Y-%m-%d %H:%M:%S");
            // What it leaves (`None`) goes on to the general parsers.
            if let Some(t) = plain_datetime(s) {
                assert_eq!(Ok(t), chrono, "{s}");
            }
        }
        for s in [
            "2026-12-03 09:30:15",
            "2026-12-03T09:30:15",
            "2024-02-29 23:59:59",
        ] {
            assert!(plain_datetime(s).is_some(), "{s}");
        }
        for s in [
            "2026-02-29 10:00:00",
            "2026-12-03 24:00:00",
            "2026-12-0３ 09:30",
        ] {
            assert!(plain_datetime(s).is_none(), "{s}");
            assert!(Timestamp::parse(s).is_none(), "{s}");
        }
        assert_eq!(utc("2026-12-03 09:30:15"), "2026-12-03T09:30:15+00:00");
    }

    #[test]
    fn reads_every_shape_vendors_send() {
        assert_eq!(utc("2024-05-01T09:30:00Z"), "2024-05-01T09:30:00+00:00");
        assert_eq!(
            utc("2024-05-01T19:30:00+10:00"),
            "2024-05-01T09:30:00+00:00"
        );
        assert_eq!(utc("2024-05-01T19:30:00+1000"), "2024-05-01T09:30:00+00:00");
        assert_eq!(utc("2024-05-01T09:30:00"), "2024-05-01T09:30:00+00:00");
        assert_eq!(
            utc("2024-01-31T15:04:05.307"),
            "2024-01-31T15:04:05.307+00:00"
        );
        assert_eq!(utc("2024-05-01 09:30:00"), "2024-05-01T09:30:00+00:00");
        assert_eq!(utc("2024-05-01T09:30"), "2024-05-01T09:30:00+00:00");
        assert_eq!(utc("2024-05-01"), "2024-05-01T00:00:00+00:00");
    }

    #[test]
    fn placeholders_and_empty_are_unset_and_garbage_is_refused() {
        for s in ["", "  ", "1900-01-01T00:00:00", "0001-01-01T00:00:00"] {
            let t = Timestamp::parse(s).unwrap();
            assert!(t.is_unset(), "{s:?}");
            assert_eq!(t.as_str(), s);
        }
        for s in [
            "tomorrow",
            "2024-13-01",
            "2024-05-01T25:00:00",
            "12/05/2024",
        ] {
            assert!(Timestamp::parse(s).is_none(), "{s:?}");
        }
        let e = serde_json::from_str::<Timestamp>("\"soon\"").unwrap_err();
        assert!(e.to_string().contains("soon"));
    }

    #[test]
    fn round_trips_the_text_and_writes_utc_with_z() {
        for s in [
            "\"2024-05-01T09:30:00\"",
            "\"2024-05-01T09:30:00.120\"",
            "\"2024-05-01T19:30:00+10:00\"",
            "\"\"",
        ] {
            let t: Timestamp = serde_json::from_str(s).unwrap();
            assert_eq!(serde_json::to_string(&t).unwrap(), s);
        }
        let t = Timestamp::from(
            Timestamp::parse("2024-05-01T19:30:00+10:00")
                .unwrap()
                .utc()
                .unwrap(),
        );
        assert_eq!(t.as_str(), "2024-05-01T09:30:00Z");
        assert_eq!(format!("{t}"), "2024-05-01T09:30:00Z");
        assert_eq!(format!("{t:?}"), "Timestamp(\"2024-05-01T09:30:00Z\")");
    }
}
