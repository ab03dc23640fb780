//! A typed decode that holds every value of the record to the checks a
//! `serde_json::Value` makes: what lets [`RawRecord`](super::RawRecord)
//! keep a record's text unparsed and promise that reading it later cannot
//! fail.
//!
//! A plain typed decode (`serde_json::from_slice::<H>`) checks the syntax of
//! the whole text but skips the fields `H` does not declare through
//! `deserialize_ignored_any`, which does not look inside strings or numbers:
//! an unmapped field may hold invalid UTF-8, a lone surrogate escape
//! (`"\ud800"`), a number beyond `f64` (`1e400`) or nesting past serde_json's
//! limit, and a `Value` holds none of those. [`Checked`] wraps the
//! deserializer and reads each skipped value with `deserialize_any` instead,
//! the way a `Value` reads it, keeping nothing ([`Strict`]). Mapped fields
//! are already read that way (a `String` field is checked as a `Value`'s
//! string is); the wrapper passes itself down into them so that the fields
//! *their* types skip are checked too.
//!
//! Two ways of reading skip the checks and cannot be checked in passing: a
//! `Box<RawValue>` field (serde_json captures its text; the wrapper knows it
//! by the format-private newtype name, which starts with `$`) and a field
//! read as bytes. The decode reports them, and the caller then parses the
//! whole record as a `Value` at once.
//!
//! The wrapper is written here rather than taken from a crate: the crates
//! that wrap a deserializer (`serde_ignored`, `serde_path_to_error`) report
//! skipped fields but still skip them unchecked.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use std::cell::Cell;
use std::fmt;

use crate::{Result, Vendor};

/// Decodes `H` from one JSON record (no data after it), holding every value
/// to a `Value`'s checks. Returns the head and whether the checks covered
/// the whole record (`false`: a raw value or bytes were read past them, and
/// the caller parses the record as a `Value` at once).
/// A failure is a `Decode` error naming the failing field, as
/// [`crate::error::decode_slice`] words it.
pub(crate) fn decode<H: DeserializeOwned>(
    vendor: Option<Vendor>,
    what: &str,
    body: &[u8],
) -> Result<(H, bool)> {
    let unchecked = Cell::new(false);
    let mut de = serde_json::Deserializer::from_slice(body);
    if let Ok(head) = H::deserialize(Checked::new(&mut de, &unchecked))
        && de.end().is_ok()
    {
        return Ok((head, !unchecked.get()));
    }
    // Read again to name the failing field. A mapped field of the wrong
    // shape fails the plain typed decode; a value a `Value` cannot hold fails
    // the `Value` decode, which names its whole path (`x[1].y`).
    let head = crate::error::decode_slice::<H>(vendor, what, body)?;
    crate::error::decode_slice::<serde_json::Value>(vendor, what, body)?;
    // Both read it (not seen: the checks are a `Value`'s own), so a `Value`
    // holds it: kept, as a record the checks did not cover.
    Ok((head, false))
}

/// A deserializer whose skipped values are read as a `Value` reads them.
struct Checked<'f, D> {
    de: D,
    /// Set when a value was read past the checks (see the module docs).
    unchecked: &'f Cell<bool>,
}

impl<'f, D> Checked<'f, D> {
    fn new(de: D, unchecked: &'f Cell<bool>) -> Self {
        Checked { de, unchecked }
    }

    /// Wraps what the decode hands on (a visitor, a seed, an access), so
    /// that the deserializers it reaches are wrapped as well.
    fn wrap<T>(&self, inner: T) -> Wrap<'f, T> {
        Wrap {
            inner,
            unchecked: self.unchecked,
        }
    }
}

/// A visitor, seed or access whose deserializers are [`Checked`].
struct Wrap<'f, T> {
    inner: T,
    unchecked: &'f Cell<bool>,
}

impl<'f, T> Wrap<'f, T> {
    fn checked<D>(&self, de: D) -> Checked<'f, D> {
        Checked::new(de, self.unchecked)
    }

    fn wrap<U>(&self, inner: U) -> Wrap<'f, U> {
        Wrap {
            inner,
            unchecked: self.unchecked,
        }
    }
}

/// Forwards `deserialize_*` methods to the inner deserializer with the
/// visitor wrapped.
macro_rules! forward_deserialize {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            let visitor = self.wrap(visitor);
            self.de.$method($($arg,)* visitor)
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Checked<'_, D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_str();
        deserialize_string();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        // serde_json hands a string's bytes over without its UTF-8 and
        // surrogate checks.
        self.unchecked.set(true);
        let visitor = self.wrap(visitor);
        self.de.deserialize_bytes(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.unchecked.set(true);
        let visitor = self.wrap(visitor);
        self.de.deserialize_byte_buf(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        if name.starts_with('$') {
            // A format-private newtype (serde_json's `RawValue`): the format
            // reads it its own way, past the checks; left to it untouched.
            self.unchecked.set(true);
            return self.de.deserialize_newtype_struct(name, visitor);
        }
        let visitor = self.wrap(visitor);
        self.de.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.de.deserialize_any(Strict)?;
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// Forwards `visit_*` methods that take a plain value.
macro_rules! forward_visit {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.inner.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_str(&str);
        visit_borrowed_str(&'de str);
        visit_string(String);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        let d = self.checked(d);
        self.inner.visit_some(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        let d = self.checked(d);
        self.inner.visit_newtype_struct(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let seq = self.wrap(seq);
        self.inner.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let map = self.wrap(map);
        self.inner.visit_map(map)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        let data = self.wrap(data);
        self.inner.visit_enum(data)
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Wrap<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        let d = self.checked(d);
        self.inner.deserialize(d)
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let seed = self.wrap(seed);
        self.inner.next_element_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let seed = self.wrap(seed);
        self.inner.next_key_seed(seed)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let seed = self.wrap(seed);
        self.inner.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'f, 'de, A: EnumAccess<'de>> EnumAccess<'de> for Wrap<'f, A> {
    type Error = A::Error;
    type Variant = Wrap<'f, A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let seed = self.wrap(seed);
        let (value, variant) = self.inner.variant_seed(seed)?;
        Ok((
            value,
            Wrap {
                inner: variant,
                unchecked: self.unchecked,
            },
        ))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Wrap<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        let seed = self.wrap(seed);
        self.inner.newtype_variant_seed(seed)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        let visitor = self.wrap(visitor);
        self.inner.tuple_variant(len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let visitor = self.wrap(visitor);
        self.inner.struct_variant(fields, visitor)
    }
}

/// Accepts a scalar the format has already checked.
macro_rules! accept {
    ($($method:ident($ty:ty);)*) => {$(
        fn $method<E: de::Error>(self, _: $ty) -> Result<(), E> {
            Ok(())
        }
    )*};
}

/// Reads any value as a `serde_json::Value` reads it (`deserialize_any` all
/// the way down, so the format checks every string, number and level of
/// nesting), keeping nothing.
#[derive(Clone, Copy)]
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(Strict)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    accept! {
        visit_bool(bool);
        visit_i64(i64);
        visit_i128(i128);
        visit_u64(u64);
        visit_u128(u128);
        visit_f64(f64);
        visit_str(&str);
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(Strict)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(Strict)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Strict)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Strict)?.is_some() {
            map.next_value_seed(Strict)?;
        }
        Ok(())
    }
}
