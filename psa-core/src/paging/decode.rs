//! [`PageDecoder`] and [`MaxRecords`]: see the parent module's docs.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess,
    Visitor,
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::{Error, ErrorKind, Result, Vendor};

/// Decodes the records of a page — a JSON array, or the array under a key
/// of an envelope object — refusing more than a cap of records while it
/// reads them. See the [`paging`](crate::paging) module's docs.
///
/// Pick the cap near the page size the vendor is asked for (twice it
/// leaves room for a server that rounds up): memory then stays bounded by
/// a page whatever the server sends.
///
/// ```
/// use psa_core::paging::PageDecoder;
/// use psa_core::Vendor;
/// use serde_json::value::RawValue;
///
/// #[derive(serde::Deserialize)]
/// struct Counts { record_count: u64 }
///
/// let tickets = PageDecoder::new("tickets page", 100).vendor(Vendor::Halo);
/// let body = br#"{"record_count": 2, "tickets": [{"id": 1}, {"id": 2}]}"#;
/// let (records, counts): (Vec<Box<RawValue>>, Counts) = tickets.decode_envelope(body, "tickets")?;
/// assert_eq!((records.len(), counts.record_count), (2, 2));
///
/// let hostile = format!("[{}{{}}]", "{},".repeat(1_000_000));
/// let err = tickets.decode_array::<Box<RawValue>>(hostile.as_bytes()).unwrap_err();
/// assert!(err.is_decode() && err.to_string().contains("more than 100 records"), "{err}");
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct PageDecoder {
    vendor: Option<Vendor>,
    what: Cow<'static, str>,
    max_records: usize,
}

impl PageDecoder {
    /// A decoder of pages described as `what` (`"tickets page"`, for
    /// errors) holding at most `max_records` records.
    pub fn new(what: impl Into<Cow<'static, str>>, max_records: usize) -> Self {
        PageDecoder {
            vendor: None,
            what: what.into(),
            max_records,
        }
    }

    /// Sets the vendor its errors name.
    #[must_use]
    pub fn vendor(mut self, vendor: Vendor) -> Self {
        self.vendor = Some(vendor);
        self
    }

    /// The cap.
    pub fn max_records(&self) -> usize {
        self.max_records
    }

    /// The records of a body that is a JSON array of them (ConnectWise).
    /// `null` reads as no records.
    ///
    /// # Errors
    /// `Decode` when the body is not an array of `T`s (naming the failing
    /// record and field, `[3].id`), or holds more than the cap.
    pub fn decode_array<T: DeserializeOwned>(&self, body: &[u8]) -> Result<Vec<T>> {
        let over = Cell::new(false);
        self.run(body, &over, || Records::<T>::new(self.max_records, &over))
    }

    /// The records under `key` of an envelope object (HaloPSA `tickets`,
    /// Autotask `items`, ServiceNow `result`), other keys skipped unread.
    ///
    /// # Errors
    /// `Decode` when the body is not an object, `key` is missing or not an
    /// array of `T`s, or it holds more than the cap.
    pub fn decode_under_key<T: DeserializeOwned>(&self, body: &[u8], key: &str) -> Result<Vec<T>> {
        let over = Cell::new(false);
        self.run(body, &over, || Envelope::<T, IgnoredAny> {
            key,
            records: Records::new(self.max_records, &over),
            rest: PhantomData,
        })
        .map(|(records, IgnoredAny)| records)
    }

    /// The records under `key` of an envelope object, and the envelope's
    /// other fields decoded as `E` (HaloPSA's `record_count`, Autotask's
    /// `pageDetails`) — `E` must not declare `key`. One pass over the body;
    /// the other fields are kept as JSON text until `E` is decoded from
    /// them.
    ///
    /// # Errors
    /// `Decode` as [`decode_under_key`](Self::decode_under_key), and when
    /// the other fields do not decode as `E`.
    pub fn decode_envelope<T, E>(&self, body: &[u8], key: &str) -> Result<(Vec<T>, E)>
    where
        T: DeserializeOwned,
        E: DeserializeOwned,
    {
        let over = Cell::new(false);
        self.run(body, &over, || Envelope::<T, Rest<E>> {
            key,
            records: Records::new(self.max_records, &over),
            rest: PhantomData,
        })
    }

    /// Decodes `body` with the seed `make` builds: once fast; again with
    /// path tracking when that failed for another reason than the cap, so
    /// that the error names the failing field. The seeds set `over` when
    /// the cap is passed.
    fn run<S, V>(&self, body: &[u8], over: &Cell<bool>, make: impl Fn() -> S) -> Result<V>
    where
        S: for<'de> DeserializeSeed<'de, Value = Result<V>>,
    {
        let mut de = serde_json::Deserializer::from_slice(body);
        let fast = make()
            .deserialize(&mut de)
            .and_then(|v| de.end().map(|()| v));
        match fast {
            Ok(inner) => inner.map_err(|e| self.tag(e, body)),
            Err(_) if over.get() => Err(self.too_many(body)),
            Err(_) => {
                let mut de = serde_json::Deserializer::from_slice(body);
                let mut track = serde_path_to_error::Track::new();
                let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
                match make().deserialize(tracked) {
                    Ok(Ok(v)) => de.end().map(|()| v).map_err(|e| {
                        self.tag(
                            Error::new(
                                ErrorKind::Decode,
                                format!("{}: trailing data after the JSON value: {e}", self.what),
                            )
                            .with_source(e),
                            body,
                        )
                    }),
                    Ok(Err(e)) => Err(self.tag(e, body)),
                    Err(_) if over.get() => Err(self.too_many(body)),
                    Err(e) => Err(Error::decode_json(
                        self.vendor,
                        &self.what,
                        serde_path_to_error::Error::new(track.path(), e),
                        body,
                    )),
                }
            }
        }
    }

    fn tag(&self, e: Error, body: &[u8]) -> Error {
        let e = e.with_body(body);
        match self.vendor {
            Some(v) => e.with_vendor(v),
            None => e,
        }
    }

    fn too_many(&self, body: &[u8]) -> Error {
        self.tag(
            Error::new(
                ErrorKind::Decode,
                format!(
                    "{} holds more than {} records, more than a page of this listing: refused \
                     before decoding the rest ({} bytes)",
                    self.what,
                    self.max_records,
                    body.len()
                ),
            ),
            &[],
        )
    }
}

/// The records of one page, at most `MAX` of them: a field type for a
/// vendor's page envelope that caps the records as it decodes them, the
/// way [`PageDecoder`] does.
///
/// ```
/// use psa_core::paging::MaxRecords;
/// #[derive(Debug, serde::Deserialize)]
/// struct Page { record_count: u64, tickets: MaxRecords<serde_json::Value, 2> }
/// let ok: Page = serde_json::from_str(r#"{"record_count":2,"tickets":[1,2]}"#).unwrap();
/// assert_eq!(ok.tickets.len(), 2);
/// let err = serde_json::from_str::<Page>(r#"{"record_count":3,"tickets":[1,2,3]}"#).unwrap_err();
/// assert!(err.to_string().contains("more than 2 records"), "{err}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct MaxRecords<T, const MAX: usize>(pub Vec<T>);

impl<T, const MAX: usize> MaxRecords<T, MAX> {
    /// The records.
    pub fn into_inner(self) -> Vec<T> {
        self.0
    }
}

impl<T, const MAX: usize> std::ops::Deref for MaxRecords<T, MAX> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<'de, T: Deserialize<'de>, const MAX: usize> Deserialize<'de> for MaxRecords<T, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let over = Cell::new(false);
        Records::<T>::new(MAX, &over)
            .deserialize(d)
            .map(|v| MaxRecords(v.unwrap_or_default()))
    }
}

/// The array of records, counted as it is read. Its value is a `Result`
/// only to share [`PageDecoder::run`] with the envelopes; it is always `Ok`.
struct Records<'a, T> {
    max: usize,
    over: &'a Cell<bool>,
    item: PhantomData<fn() -> T>,
}

impl<'a, T> Records<'a, T> {
    fn new(max: usize, over: &'a Cell<bool>) -> Self {
        Records {
            max,
            over,
            item: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Records<'_, T> {
    type Value = Result<Vec<T>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Records<'_, T> {
    type Value = Result<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of at most {} records", self.max)
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(Ok(Vec::new()))
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        // Never trust a length hint past the cap.
        let hint = seq.size_hint().unwrap_or(0).min(self.max).min(1024);
        let mut out = Vec::with_capacity(hint);
        loop {
            if out.len() == self.max {
                // One more element is skipped unread (no allocation): it
                // only tells whether the page is over the cap.
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    self.over.set(true);
                    return Err(de::Error::custom(format_args!(
                        "more than {} records in one page",
                        self.max
                    )));
                }
                return Ok(Ok(out));
            }
            match seq.next_element()? {
                Some(item) => out.push(item),
                None => return Ok(Ok(out)),
            }
        }
    }
}

/// An envelope object: the records under `key`, and the rest as `R`.
struct Envelope<'k, 'a, T, R> {
    key: &'k str,
    records: Records<'a, T>,
    rest: PhantomData<fn() -> R>,
}

/// How an envelope's other fields are read.
trait RestOf: Sized {
    /// What is kept while reading.
    type Acc: Default;
    /// The decoded rest.
    type Out;
    /// Reads one field's value.
    fn field<'de, A: MapAccess<'de>>(
        acc: &mut Self::Acc,
        key: String,
        map: &mut A,
    ) -> std::result::Result<(), A::Error>;
    /// Decodes what was kept.
    fn finish(acc: Self::Acc) -> Result<Self::Out>;
}

impl RestOf for IgnoredAny {
    type Acc = ();
    type Out = IgnoredAny;
    fn field<'de, A: MapAccess<'de>>(
        (): &mut (),
        _key: String,
        map: &mut A,
    ) -> std::result::Result<(), A::Error> {
        map.next_value::<IgnoredAny>().map(drop)
    }
    fn finish((): ()) -> Result<IgnoredAny> {
        Ok(IgnoredAny)
    }
}

/// The other fields of an envelope decoded as `E`, from their JSON text.
struct Rest<E>(PhantomData<fn() -> E>);

impl<E: DeserializeOwned> RestOf for Rest<E> {
    type Acc = Vec<(String, Box<RawValue>)>;
    type Out = E;
    fn field<'de, A: MapAccess<'de>>(
        acc: &mut Self::Acc,
        key: String,
        map: &mut A,
    ) -> std::result::Result<(), A::Error> {
        acc.push((key, map.next_value::<Box<RawValue>>()?));
        Ok(())
    }
    fn finish(acc: Self::Acc) -> Result<E> {
        let fields = de::value::MapDeserializer::<_, serde_json::Error>::new(
            acc.iter().map(|(k, v)| (k.as_str(), &**v)),
        );
        serde_path_to_error::deserialize(fields).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            Error::new(
                ErrorKind::Decode,
                format!("the page's other fields at `{path}`: {inner}"),
            )
            .with_source(inner)
        })
    }
}

impl<'de, T: Deserialize<'de>, R: RestOf> DeserializeSeed<'de> for Envelope<'_, '_, T, R> {
    type Value = Result<(Vec<T>, R::Out)>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>, R: RestOf> Visitor<'de> for Envelope<'_, '_, T, R> {
    type Value = Result<(Vec<T>, R::Out)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object with the records under `{}`", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let Envelope { key, records, .. } = self;
        let mut found: Option<Vec<T>> = None;
        let mut seed = Some(records);
        let mut acc = R::Acc::default();
        while let Some(k) = map.next_key::<String>()? {
            if k == key {
                let Some(seed) = seed.take() else {
                    return Err(de::Error::duplicate_field("records"));
                };
                match map.next_value_seed(seed)? {
                    Ok(v) => found = Some(v),
                    Err(e) => return Ok(Err(e)),
                }
            } else {
                R::field(&mut acc, k, &mut map)?;
            }
        }
        let Some(found) = found else {
            return Err(de::Error::custom(format_args!(
                "no `{key}` array of records"
            )));
        };
        Ok(R::finish(acc).map(|rest| (found, rest)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::items_after_statements)]
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts the records decoded, to prove the cap stops before the rest.
    static DECODED: AtomicUsize = AtomicUsize::new(0);

    #[derive(Debug)]
    struct Counted;

    impl<'de> Deserialize<'de> for Counted {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            IgnoredAny::deserialize(d)?;
            DECODED.fetch_add(1, Ordering::SeqCst);
            Ok(Counted)
        }
    }

    #[test]
    fn the_cap_stops_decoding_at_the_first_record_past_it() {
        let hostile = format!("[{}{{}}]", "{},".repeat(200_000));
        let decoder = PageDecoder::new("tickets page", 500).vendor(Vendor::Halo);
        DECODED.store(0, Ordering::SeqCst);
        let e = decoder
            .decode_array::<Counted>(hostile.as_bytes())
            .unwrap_err();
        assert_eq!(DECODED.load(Ordering::SeqCst), 500, "decoded only the cap");
        assert!(e.is_decode(), "{e}");
        assert_eq!(e.vendor(), Some(Vendor::Halo));
        assert!(e.to_string().contains("more than 500 records"), "{e}");
        let under = format!("{{\"x\":1,\"items\":{hostile}}}");
        DECODED.store(0, Ordering::SeqCst);
        let e = decoder
            .decode_under_key::<Counted>(under.as_bytes(), "items")
            .unwrap_err();
        assert!(e.to_string().contains("more than 500 records"), "{e}");
        assert_eq!(DECODED.load(Ordering::SeqCst), 500);
    }

    #[test]
    fn pages_within_the_cap_decode() {
        let d = PageDecoder::new("page", 3);
        assert_eq!(d.decode_array::<u8>(b"[1,2,3]").unwrap(), [1, 2, 3]);
        assert_eq!(d.decode_array::<u8>(b"[]").unwrap(), Vec::<u8>::new());
        assert_eq!(d.decode_array::<u8>(b"null").unwrap(), Vec::<u8>::new());
        assert!(d.decode_array::<u8>(b"[1,2,3,4]").is_err());
        let zero = PageDecoder::new("page", 0);
        assert!(zero.decode_array::<u8>(b"[]").is_ok());
        assert!(zero.decode_array::<u8>(b"[1]").is_err());

        #[derive(Deserialize, Debug, PartialEq)]
        struct Details {
            count: u32,
            #[serde(rename = "nextPageUrl")]
            next: Option<String>,
        }
        let body = br#"{"count": 2, "items": [7, 8], "nextPageUrl": null, "extra": [1, {"a": 2}]}"#;
        let (items, details): (Vec<u8>, Details) = d.decode_envelope(body, "items").unwrap();
        assert_eq!(items, [7, 8]);
        assert_eq!(
            details,
            Details {
                count: 2,
                next: None
            }
        );
        assert_eq!(d.decode_under_key::<u8>(body, "items").unwrap(), [7, 8]);
    }

    #[test]
    fn bad_pages_name_what_failed() {
        let d = PageDecoder::new("tickets page", 10).vendor(Vendor::ConnectWise);
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            id: i64,
        }
        let e = d
            .decode_array::<T>(br#"[{"id":1},{"id":"x"}]"#)
            .unwrap_err();
        assert!(e.is_decode() && e.to_string().contains("[1].id"), "{e}");
        let e = d
            .decode_under_key::<T>(br#"{"result":[{"id":1},{"id":true}]}"#, "result")
            .unwrap_err();
        assert!(e.to_string().contains("result[1].id"), "{e}");
        let e = d
            .decode_under_key::<T>(br#"{"other":[]}"#, "result")
            .unwrap_err();
        assert!(e.to_string().contains("no `result` array"), "{e}");
        let e = d.decode_array::<T>(br#"[{"id":1}] tail"#).unwrap_err();
        assert!(e.is_decode(), "{e}");
        let e = d.decode_array::<T>(br#"{"id":1}"#).unwrap_err();
        assert!(
            e.to_string().contains("an array of at most 10 records"),
            "{e}"
        );
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Count {
            record_count: u32,
        }
        let e = d
            .decode_envelope::<T, Count>(br#"{"record_count":"many","tickets":[]}"#, "tickets")
            .unwrap_err();
        assert!(e.to_string().contains("record_count"), "{e}");
        let e = d
            .decode_under_key::<T>(br#"{"tickets":[],"tickets":[]}"#, "tickets")
            .unwrap_err();
        assert!(e.is_decode(), "{e}");
        // Records and other fields kept as text, through the path-tracking
        // second pass too.
        let e = d
            .decode_envelope::<Box<RawValue>, serde_json::Value>(
                br#"{"x":{"a":[1]},"tickets":5}"#,
                "tickets",
            )
            .unwrap_err();
        assert!(
            e.is_decode()
                && e.to_string()
                    .contains("`tickets`: invalid type: integer `5`"),
            "{e}"
        );
        let (records, rest) = d
            .decode_envelope::<Box<RawValue>, serde_json::Value>(
                br#"{"x":{"a":[1]},"tickets":[{"id":1}, 2]}"#,
                "tickets",
            )
            .unwrap();
        assert_eq!(records[0].get(), r#"{"id":1}"#);
        assert_eq!(rest, serde_json::json!({"x": {"a": [1]}}));
    }
}
