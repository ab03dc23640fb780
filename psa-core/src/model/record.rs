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
    /// The decode holds every value of the record, the fields `H` does not
    /// declare included, to the checks a `Value` makes (valid UTF-8, no
    /// lone surrogate escape, no number beyond `f64`, no deeper nesting than
    /// serde_json allows), so reading the record later cannot fail. A field
    /// of `H` that reads past those checks (a `Box<RawValue>`, bytes) makes
    /// the record be parsed into its `Value` at once instead. Errors are
    /// `Decode` errors naming `what` and the failing field
    /// ([`crate::error::decode_slice`]). `H = serde::de::IgnoredAny` keeps a
    /// record without decoding anything.
    pub fn parse<H: DeserializeOwned>(
        vendor: Option<Vendor>,
        what: &str,
        json: Bytes,
    ) -> Result<(H, RawRecord)> {
        let (head, checked) = super::checked::decode(vendor, what, &json)?;
        let value = OnceLock::new();
        if !checked {
            let parsed: Value = crate::error::decode_slice(vendor, what, &json)?;
            let _ = value.set(parsed);
        }
        Ok((
            head,
            RawRecord {
                json: Some(json),
                value,
            },
        ))
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

/// Parses bytes that [`RawRecord::parse`] checked. A `Value` holds every
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
            // The whole path to the value, not only the unmapped field.
            if body.contains('[') {
                assert!(e.to_string().contains("ticket at `x[0]`"), "{e}");
            }
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
    fn records_a_value_holds_are_kept_unparsed() {
        // Numbers with exponents, surrogate pairs, escapes, nesting to just
        // under the limit, long integers: all checked in the decode, none
        // parsed there.
        let deep = format!(r#"{{"id":1,"x":{}{}}}"#, "[".repeat(126), "]".repeat(126));
        let long = format!(r#"{{"id":1,"x":{}}}"#, "9".repeat(300));
        let mut bodies = vec![
            r#"{"id":1,"sys_id":"46d44a5ea9fe198101bd0d4c9e5e01","t":"Office 365 E3 \"x\" \\ud800","n":[-1.25,0,12],"b":[true,false,null]}"#.to_owned(),
            r#"{"id":1,"x":1.5e3,"y":-0,"z":18446744073709551616}"#.to_owned(),
            r#"{"id":1,"x":"\ud83d\ude00","y":{"\uDBFF\uDFFF":["\\\ud83d\ude00"]}}"#.to_owned(),
            r#"{"id":1,"x":"","y":"\\","z":"say \"1e5\" [{"}"#.to_owned(),
            deep,
            long,
        ];
        bodies.push("{\"id\":1,\"x\":\"caf\u{e9} \u{1f600}\"}".to_owned());
        for body in bodies {
            let (head, raw) = parse(&body).unwrap_or_else(|e| panic!("{body}: {e}"));
            assert_eq!(head.id, 1);
            assert!(raw.value.get().is_none(), "{body}");
            assert_eq!(*raw.value(), serde_json::from_str::<Value>(&body).unwrap());
        }
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)] // fields read by the decode only
    struct Nested {
        id: i64,
        inner: Option<Box<Nested>>,
        list: Option<Vec<Nested>>,
        kind: Option<Kind>,
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    enum Kind {
        Plain,
        Wrapped(Box<Nested>),
        Shaped { id: i64 },
    }

    #[test]
    fn what_a_value_cannot_hold_is_refused_at_any_depth() {
        let bad = [
            "1e400",
            "-1e400",
            &"9".repeat(400),
            r#""\ud800""#,
            r#"["ok","\udc00z"]"#,
            r#"{"\ud800":1}"#,
            &format!("{}{}", "[".repeat(200), "]".repeat(200)),
        ];
        // Where the unmapped value sits: at the top, in a mapped struct, in
        // an option, a list, an enum's newtype and struct variants.
        // The error names the path to it.
        let places = [
            (r#"{"id":1,"x":BAD}"#, "x"),
            (r#"{"id":1,"inner":{"id":2,"x":BAD}}"#, "inner.x"),
            (
                r#"{"id":1,"list":[{"id":2},{"id":3,"x":{"y":BAD}}]}"#,
                "list[1].x.y",
            ),
            (
                r#"{"id":1,"kind":{"Wrapped":{"id":2,"x":BAD}}}"#,
                "kind.Wrapped.x",
            ),
            (
                r#"{"id":1,"kind":{"Shaped":{"id":2,"x":[BAD]}}}"#,
                "kind.Shaped.x[0]",
            ),
        ];
        for (place, path) in places {
            for value in bad {
                let body = place.replace("BAD", value);
                assert!(serde_json::from_str::<Value>(&body).is_err(), "{body}");
                let e = RawRecord::parse::<Nested>(
                    Some(Vendor::Halo),
                    "ticket",
                    Bytes::from(body.clone()),
                )
                .unwrap_err();
                assert!(e.is_decode(), "{body}: {e}");
                assert!(
                    e.to_string().contains(&format!(": ticket at `{path}")),
                    "{body}: {e}"
                );
            }
            // The same places with good values are kept unparsed.
            let body = place.replace("BAD", r#"{"a":[1.5e300,"\ud83d\ude00"]}"#);
            let (_, raw) = RawRecord::parse::<Nested>(None, "ticket", Bytes::from(body.clone()))
                .unwrap_or_else(|e| panic!("{body}: {e}"));
            assert!(raw.value.get().is_none(), "{body}");
            assert_eq!(*raw.value(), serde_json::from_str::<Value>(&body).unwrap());
        }
        // Invalid UTF-8 in an unmapped string and in an unmapped key.
        for body in [r#"{"id":1,"x":{"y":["ab"]}}"#, r#"{"id":1,"x":{"ab":1}}"#] {
            let mut bytes = body.as_bytes().to_vec();
            let at = body.find("ab").unwrap_or_default();
            bytes[at] = 0xff;
            let e = RawRecord::parse::<Nested>(None, "ticket", Bytes::from(bytes)).unwrap_err();
            assert!(e.is_decode(), "{body}: {e}");
        }
        let e = parse(r#"{"id":1} {}"#).unwrap_err();
        assert!(e.is_decode() && e.to_string().contains("trailing"), "{e}");
    }

    /// A head field serde_json reads past the checks: its text as a raw
    /// value, or a string as bytes.
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Lax {
        id: i64,
        raw: Option<Box<RawValue>>,
        bytes: Option<AsBytes>,
    }

    #[derive(Debug)]
    struct AsBytes(#[allow(dead_code)] Vec<u8>);

    impl<'de> Deserialize<'de> for AsBytes {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct Visit;
            impl serde::de::Visitor<'_> for Visit {
                type Value = AsBytes;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("bytes")
                }
                fn visit_bytes<E>(self, v: &[u8]) -> std::result::Result<AsBytes, E> {
                    Ok(AsBytes(v.to_vec()))
                }
            }
            d.deserialize_bytes(Visit)
        }
    }

    #[test]
    fn a_field_read_past_the_checks_has_the_record_parsed_at_once() {
        for body in [
            r#"{"id":1,"raw":{"a":[1,"\ud83d\ude00"]}}"#,
            r#"{"id":1,"bytes":"caf\u00e9"}"#,
        ] {
            let (_, raw) = RawRecord::parse::<Lax>(None, "ticket", Bytes::from(body))
                .unwrap_or_else(|e| panic!("{body}: {e}"));
            assert!(raw.value.get().is_some(), "{body}");
            assert_eq!(*raw.value(), serde_json::from_str::<Value>(body).unwrap());
        }
        for body in [
            r#"{"id":1,"raw":{"a":[1,"\ud800"]}}"#,
            r#"{"id":1,"raw":1e400}"#,
            r#"{"id":1,"bytes":"\udfff"}"#,
        ] {
            let e = RawRecord::parse::<Lax>(None, "ticket", Bytes::from(body)).unwrap_err();
            assert!(e.is_decode(), "{body}: {e}");
        }
        let no_lax_field = r#"{"id":1,"x":[2]}"#;
        let (_, raw) = RawRecord::parse::<Lax>(None, "ticket", Bytes::from(no_lax_field)).unwrap();
        assert!(raw.value.get().is_none());
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
