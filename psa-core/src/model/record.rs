//! [`RawRecord`]: the vendor's record as received, parsed into a
//! `serde_json::Value` only when someone reads it.

use bytes::Bytes;
use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;

use crate::{Result, Vendor};

/// The vendor's record exactly as received: the `raw` field of every uniform
/// model, so that nothing the vendor sent is lost in the mapping.
///
/// It reads as a [`serde_json::Value`] (it dereferences to one), but a record
/// read from a response keeps the JSON text and builds the `Value` tree on
/// first access. Most callers only read the mapped fields of a ticket; they
/// never pay for a tree of every key the vendor sent (for a ConnectWise
/// ticket, most of the cost of a `get_ticket` on a fast network). The text
/// itself is available as [`json_text`](Self::json_text), e.g. to forward a
/// record verbatim.
///
/// ```
/// use psa_core::RawRecord;
/// use serde_json::json;
///
/// let (id, raw) = RawRecord::parse::<IdOnly>(None, "ticket", br#"{"id":7,"udf":"kept"}"#.as_slice().into())?;
/// assert_eq!(id.id, 7);
/// assert_eq!(raw["udf"], "kept"); // parsed here, once
/// assert_eq!(raw, json!({"id": 7, "udf": "kept"}));
/// assert_eq!(raw.json_text(), Some(r#"{"id":7,"udf":"kept"}"#));
///
/// // Records built in code hold a `Value` from the start.
/// let built = RawRecord::from(json!({"id": 8}));
/// assert_eq!(built.get("id"), Some(&json!(8)));
/// # #[derive(serde::Deserialize)] struct IdOnly { id: i64 }
/// # Ok::<(), psa_core::Error>(())
/// ```
pub struct RawRecord {
    /// The JSON text as received, while unmodified. When set, it has been
    /// checked to parse into a `Value` (see [`RawRecord::parse`]).
    json: Option<Bytes>,
    /// The parsed record, built from `json` on first access.
    value: OnceLock<Value>,
}

impl RawRecord {
    /// A record holding `value` (`Value::Null` for a record built in code
    /// with nothing from the vendor).
    pub fn new(value: Value) -> Self {
        RawRecord {
            json: None,
            value: OnceLock::from(value),
        }
    }

    /// Decodes `H` — the fields a mapping needs — from one JSON record and
    /// keeps the bytes as the raw record, to be parsed into a `Value` only
    /// when read.
    ///
    /// Decoding `H` checks the JSON syntax of the whole record; a quick scan
    /// then checks that a `Value` can hold it (valid UTF-8, no number out
    /// of range, no lone surrogate escape, no deeper nesting than
    /// serde_json allows), so
    /// reading the record later cannot fail. Errors are `Decode` errors
    /// naming `what` and the failing field ([`crate::error::decode_slice`]).
    /// `H = serde::de::IgnoredAny` keeps a record without decoding anything.
    pub fn parse<H: DeserializeOwned>(
        vendor: Option<Vendor>,
        what: &str,
        json: Bytes,
    ) -> Result<(H, RawRecord)> {
        let head = crate::error::decode_slice(vendor, what, &json)?;
        Ok((head, RawRecord::keep(vendor, what, json)?))
    }

    /// [`parse`](Self::parse) for a record a page or envelope was decoded
    /// into (`serde_json::value::RawValue`, which keeps a record's text
    /// without parsing it): no copy of the text beyond the one the
    /// `RawValue` holds.
    pub fn parse_raw_value<H: DeserializeOwned>(
        vendor: Option<Vendor>,
        what: &str,
        json: Box<RawValue>,
    ) -> Result<(H, RawRecord)> {
        let text: Box<str> = json.into();
        RawRecord::parse(vendor, what, Bytes::from(text.into_boxed_bytes()))
    }

    /// Keeps the bytes of one JSON record whose syntax serde_json has just
    /// accepted. Nearly always they are kept as they are; when they might
    /// hold something a `Value` cannot (see [`surely_value`]), they are
    /// parsed now, so that a bad record fails here and never on a read.
    fn keep(vendor: Option<Vendor>, what: &str, json: Bytes) -> Result<RawRecord> {
        let value = OnceLock::new();
        if !surely_value(&json) {
            let parsed: Value = crate::error::decode_slice(vendor, what, &json)?;
            let _ = value.set(parsed);
        }
        Ok(RawRecord {
            json: Some(json),
            value,
        })
    }

    /// The record as a `Value` (parsed on the first call).
    pub fn value(&self) -> &Value {
        self.value
            .get_or_init(|| parse_checked(self.json.as_deref()))
    }

    /// The record as an owned `Value`.
    pub fn into_value(self) -> Value {
        match self.value.into_inner() {
            Some(v) => v,
            None => parse_checked(self.json.as_deref()),
        }
    }

    /// The JSON text exactly as the vendor sent it, when this record was
    /// read from a response and has not been changed through `DerefMut`.
    pub fn json_text(&self) -> Option<&str> {
        self.json
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok())
    }
}

/// Parses bytes that [`RawRecord::keep`] checked. A `Value` holds every
/// JSON text that check accepts, so the `Null` fallback is never taken.
fn parse_checked(json: Option<&[u8]>) -> Value {
    json.and_then(|b| serde_json::from_slice(b).ok())
        .unwrap_or(Value::Null)
}

impl Default for RawRecord {
    /// `Value::Null`.
    fn default() -> Self {
        RawRecord::new(Value::Null)
    }
}

impl From<Value> for RawRecord {
    fn from(value: Value) -> Self {
        RawRecord::new(value)
    }
}

impl From<RawRecord> for Value {
    fn from(raw: RawRecord) -> Self {
        raw.into_value()
    }
}

impl Deref for RawRecord {
    type Target = Value;
    fn deref(&self) -> &Value {
        self.value()
    }
}

impl DerefMut for RawRecord {
    /// Parses the record if needed; the kept text is dropped, since the
    /// `Value` may now differ from it.
    fn deref_mut(&mut self) -> &mut Value {
        let value = std::mem::take(&mut self.value)
            .into_inner()
            .unwrap_or_else(|| parse_checked(self.json.as_deref()));
        self.json = None;
        self.value = OnceLock::from(value);
        self.value
            .get_mut()
            .expect("the OnceLock was initialised on the line above")
    }
}

impl Clone for RawRecord {
    fn clone(&self) -> Self {
        RawRecord {
            json: self.json.clone(),
            value: self.value.clone(),
        }
    }
}

impl fmt::Debug for RawRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.value(), f)
    }
}

impl PartialEq for RawRecord {
    fn eq(&self, other: &Self) -> bool {
        match (&self.json, &other.json) {
            (Some(a), Some(b)) if a == b => true,
            _ => self.value() == other.value(),
        }
    }
}

impl Eq for RawRecord {}

impl PartialEq<Value> for RawRecord {
    fn eq(&self, other: &Value) -> bool {
        self.value() == other
    }
}

impl PartialEq<RawRecord> for Value {
    fn eq(&self, other: &RawRecord) -> bool {
        self == other.value()
    }
}

impl Serialize for RawRecord {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.value().serialize(s)
    }
}

impl<'de> Deserialize<'de> for RawRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Value::deserialize(d).map(RawRecord::new)
    }
}

/// Whether a `serde_json::Value` surely holds `json`, a JSON text whose
/// syntax serde_json has accepted. A typed decode skips the fields it does
/// not declare without the checks a `Value` makes, so four things can pass
/// it and still fail a `Value`: invalid UTF-8, a `\uD800`–`\uDFFF` escape
/// (a lone surrogate), a number beyond `f64` (only with an exponent or 309+
/// integer digits) and nesting past serde_json's limit of 128. This scan
/// answers `false` when any of them *might* be there — a string holding
/// `\uD83D` as half of an emoji, say — and the caller then parses the
/// record at once. One pass, no allocation.
fn surely_value(json: &[u8]) -> bool {
    if std::str::from_utf8(json).is_err() {
        return false;
    }
    let mut depth: u32 = 0;
    let mut digits: u32 = 0;
    let mut i = 0;
    while let Some(&b) = json.get(i) {
        i += 1;
        match b {
            b'"' => {
                // To the closing quote, stopping only at escapes.
                loop {
                    let rest = json.get(i..).unwrap_or_default();
                    let Some(at) = memchr::memchr2(b'"', b'\\', rest) else {
                        i = json.len();
                        break;
                    };
                    i += at + 1;
                    if rest[at] == b'"' {
                        break;
                    }
                    if json.get(i) == Some(&b'u')
                        && matches!(json.get(i + 1), Some(b'd' | b'D'))
                        && matches!(
                            json.get(i + 2),
                            Some(b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
                        )
                    {
                        return false;
                    }
                    i += 1;
                }
                digits = 0;
            }
            b'0'..=b'9' => {
                digits += 1;
                if digits >= 300 {
                    return false;
                }
            }
            b'e' | b'E' if digits > 0 => return false,
            b'[' | b'{' => {
                depth += 1;
                if depth >= 100 {
                    return false;
                }
                digits = 0;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                digits = 0;
            }
            _ => digits = 0,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize, Debug)]
    struct Head {
        id: i64,
    }

    fn parse(s: &str) -> Result<(Head, RawRecord)> {
        RawRecord::parse(
            Some(Vendor::ConnectWise),
            "ticket",
            Bytes::copy_from_slice(s.as_bytes()),
        )
    }

    #[test]
    fn keeps_the_text_and_parses_on_first_read() {
        let (head, raw) = parse(r#"{"id":3,"x":{"y":[1,"two",null]}}"#).unwrap();
        assert_eq!(head.id, 3);
        assert!(raw.value.get().is_none(), "nothing parsed before a read");
        assert_eq!(raw["x"]["y"][1], "two");
        assert!(raw.value.get().is_some());
        assert_eq!(
            raw.json_text(),
            Some(r#"{"id":3,"x":{"y":[1,"two",null]}}"#)
        );
        assert_eq!(
            raw.clone().into_value(),
            json!({"id": 3, "x": {"y": [1, "two", null]}})
        );
    }

    #[test]
    fn rejects_what_a_value_cannot_hold_even_in_unmapped_fields() {
        // A typed decode skips these fields unchecked; a Value cannot hold them.
        for body in [
            r#"{"id":1,"x":1e400}"#,
            r#"{"id":1,"x":-1e400}"#,
            r#"{"id":1,"x":"\ud800"}"#,
            r#"{"id":1,"x":["\udc00z"]}"#,
            r#"{"id":1,"\ud800":1}"#,
        ] {
            assert!(serde_json::from_str::<Value>(body).is_err(), "{body}");
            let e = parse(body).unwrap_err();
            assert!(e.is_decode(), "{body}: {e}");
            assert!(e.to_string().contains("ticket at `"), "{e}");
        }
        // What a Value holds is accepted, duplicates and escapes included.
        for body in [
            r#"{"id":1,"x":1,"x":2}"#,
            r#"{"id":1,"x":"a\u0000\ud83d\ude00"}"#,
            r#"{"id":1,"x":1.5e300,"y":-0,"z":18446744073709551615}"#,
        ] {
            let (_, raw) = parse(body).unwrap();
            assert_eq!(*raw.value(), serde_json::from_str::<Value>(body).unwrap());
        }
    }

    #[test]
    fn the_quick_scan_only_defers_what_a_value_surely_holds() {
        // Everyday records stay unparsed: hex ids, text with digits and
        // "e", escapes, plain numbers.
        let body = r#"{"id":1,"sys_id":"46d44a5ea9fe198101bd0d4c9e5e01","t":"Office 365 E3 \"x\" \\ud800","n":[-1.25,0,12],"b":[true,false,null]}"#;
        let (_, raw) = parse(body).unwrap();
        assert!(raw.value.get().is_none());
        assert_eq!(*raw.value(), serde_json::from_str::<Value>(body).unwrap());
        // What might not fit a Value is parsed at once (and fits here).
        for body in [
            r#"{"id":1,"x":1.5e3}"#,
            r#"{"id":1,"x":"\ud83d\ude00"}"#,
            r#"{"id":1,"x":"\uDBFF\uDFFF"}"#,
        ] {
            let (_, raw) = parse(body).unwrap();
            assert!(raw.value.get().is_some(), "{body}");
            assert_eq!(*raw.value(), serde_json::from_str::<Value>(body).unwrap());
        }
        // An escaped backslash before `ud800` is no surrogate escape; an
        // escaped quote does not end a string.
        for body in [
            r#"{"id":1,"x":"a\\ud800 b"}"#,
            r#"{"id":1,"x":"say \"1e5\" [{"}"#,
            r#"{"id":1,"x":"","y":"\\"}"#,
        ] {
            let (_, raw) = parse(body).unwrap();
            assert!(raw.value.get().is_none(), "{body}");
            assert_eq!(*raw.value(), serde_json::from_str::<Value>(body).unwrap());
        }
        let (_, raw) = parse(r#"{"id":1,"x":"\\\ud83d\ude00"}"#).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            raw.value.get().is_some(),
            "a surrogate escape after an escaped backslash"
        );
        // Escapes and string ends at every offset, in short strings and
        // past the lengths a vectorised search takes in one step.
        for n in 0..40 {
            let pad = "x".repeat(n);
            for (body, parsed) in [
                (format!(r#"{{"id":1,"x":"{pad}\ud83d\ude00"}}"#), true),
                (
                    format!(r#"{{"id":1,"x":"{pad}\\ud800","y":"[1e5"}}"#),
                    false,
                ),
                (format!(r#"{{"id":1,"x":"{pad}\"]","y":1e5}}"#), true),
                (format!(r#"{{"id":1,"{pad}":"{pad}"}}"#), false),
            ] {
                let (_, raw) = parse(&body).unwrap_or_else(|e| panic!("{body}: {e}"));
                assert_eq!(raw.value.get().is_some(), parsed, "{body}");
                assert_eq!(*raw.value(), serde_json::from_str::<Value>(&body).unwrap());
            }
        }
        let deep = format!(r#"{{"id":1,"x":{}{}}}"#, "[".repeat(99), "]".repeat(99));
        assert!(parse(&deep).unwrap().1.value.get().is_some());
        let too_deep = format!(r#"{{"id":1,"x":{}{}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(parse(&too_deep).unwrap_err().is_decode());
        let long = format!(r#"{{"id":1,"x":{}}}"#, "9".repeat(400));
        assert!(parse(&long).unwrap_err().is_decode());
        let mut bad_utf8 = br#"{"id":1,"x":"ab"}"#.to_vec();
        bad_utf8[14] = 0xff;
        let e = RawRecord::parse::<Head>(None, "ticket", Bytes::from(bad_utf8)).unwrap_err();
        assert!(e.is_decode(), "{e}");
    }

    #[test]
    fn a_bad_mapped_field_is_named() {
        let e = parse(r#"{"id":"seven"}"#).unwrap_err();
        assert!(e.is_decode() && e.to_string().contains("`id`"), "{e}");
    }

    #[test]
    fn mutation_drops_the_kept_text() {
        let (_, mut raw) = parse(r#"{"id":1}"#).unwrap();
        raw["note"] = json!("added");
        assert_eq!(raw.json_text(), None);
        assert_eq!(raw, json!({"id": 1, "note": "added"}));
    }

    #[test]
    fn serializes_and_compares_as_its_value() {
        let (_, raw) = parse(r#"{ "id" : 1 }"#).unwrap();
        assert_eq!(serde_json::to_string(&raw).unwrap(), r#"{"id":1}"#);
        assert_eq!(raw, RawRecord::from(json!({"id": 1})));
        assert_eq!(format!("{raw:?}"), format!("{:?}", json!({"id": 1})));
        let back: RawRecord = serde_json::from_str(r#"{"id":1}"#).unwrap();
        assert_eq!(back, raw);
        assert_eq!(RawRecord::default(), Value::Null);
    }
}
