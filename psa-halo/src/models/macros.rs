//! Model-generating macros.

/// A Halo record: every listed field becomes an `Option` skipped when unset,
/// and every field Halo sends that is not listed is kept in `extra`, so that
/// decoding and re-encoding a record reproduces it.
macro_rules! model {
    (
        $(#[$m:meta])*
        pub struct $name:ident {
            $( $(#[$fm:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$fm])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            /// Every other field Halo sent, kept exactly as received.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    };
}

/// An integer-coded Halo enumeration with an `Unknown` fallback, so that a
/// value added in a later Halo version does not fail a whole page.
macro_rules! int_enum {
    (
        $(#[$m:meta])*
        pub enum $name:ident {
            $( $(#[$vm:meta])* $variant:ident = $value:literal ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vm])* $variant, )*
            /// A code this version of the SDK does not know.
            Unknown(i64),
        }

        impl $name {
            /// Halo's numeric code.
            pub const fn code(self) -> i64 {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Unknown(v) => v,
                }
            }

            /// The variant for a code (`Unknown` for codes not listed).
            pub const fn from_code(code: i64) -> Self {
                match code {
                    $( $value => $name::$variant, )*
                    other => $name::Unknown(other),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                i64::deserialize(d).map($name::from_code)
            }
        }
    };
}

/// Names the key under which a resource's list endpoint wraps its records
/// (`{"record_count": 3, "tickets": [...]}`).
macro_rules! list_key {
    ($($ty:ty => $key:literal),* $(,)?) => {$(
        impl crate::models::Resource for $ty {
            const LIST_KEY: &'static str = $key;

            fn fingerprint(&self) -> u64 {
                crate::models::hash_json(self)
            }
        }
    )*};
}

/// Implements [`Writable`](crate::models::Writable) for models whose only
/// id is their own `id`, a positive integer or a GUID.
macro_rules! writable {
    ($($ty:ty),* $(,)?) => {$(
        impl crate::models::Writable for $ty {
            fn check_ids(&self, record: &str) -> psa_core::Result<bool> {
                crate::models::macros::IdField::check(&self.id, record)
            }
        }
    )*};
}

/// A record's `id` field: absent, or an id Halo can have.
pub(crate) trait IdField {
    /// `false` when absent, `true` when a valid id, an `InvalidInput` error
    /// naming it ("halo ticket id") otherwise.
    fn check(&self, record: &str) -> psa_core::Result<bool>;
}

impl IdField for Option<i64> {
    fn check(&self, record: &str) -> psa_core::Result<bool> {
        match *self {
            None => Ok(false),
            Some(id) if id > 0 => Ok(true),
            Some(id) => psa_core::id::positive(id, &format!("halo {record} id")).map(|_| true),
        }
    }
}

impl IdField for Option<String> {
    fn check(&self, _record: &str) -> psa_core::Result<bool> {
        match self.as_deref().map(str::trim) {
            None | Some("") => Ok(false),
            Some(guid) => crate::ids::webhook_guid(guid).map(|_| true),
        }
    }
}

pub(crate) use {int_enum, list_key, model, writable};
