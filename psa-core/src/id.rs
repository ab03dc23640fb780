//! One identifier type for all four vendors.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::{fmt, str::FromStr};

use crate::{Error, ErrorKind, Result};

/// A record identifier from any vendor.
///
/// HaloPSA, ConnectWise and Autotask identify records by integer; ServiceNow
/// uses 32-hex `sys_id`s (and the SDK names the table of a task-family ticket
/// in its id, `incident:9d385017c611228701d22104cc95c371`). `Id` carries
/// either. Its invariant: a text id never consists of digits only, so
/// `Id::from(42)`, `"42".parse::<Id>()` and the JSON number `42` are the same
/// id.
///
/// A vendor crate rejects the wrong shape with a typed error, see
/// [`Id::require_int`].
///
/// ```
/// use psa_core::Id;
///
/// let a = Id::from(42);
/// let b: Id = "42".parse()?;
/// assert_eq!(a, b);
/// assert_eq!(a.as_i64(), Some(42));
///
/// let sn: Id = "incident:9d385017c611228701d22104cc95c371".parse()?;
/// assert_eq!(sn.as_i64(), None);
/// assert_eq!(sn.to_string(), "incident:9d385017c611228701d22104cc95c371");
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(Repr);

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Repr {
    Int(i64),
    Text(Box<str>),
}

impl Id {
    /// An integer id.
    pub const fn int(value: i64) -> Self {
        Id(Repr::Int(value))
    }

    /// A text id such as a ServiceNow `sys_id`.
    ///
    /// A string of digits becomes an integer id (see the type's invariant).
    /// Empty strings, surrounding whitespace and control characters are
    /// rejected: an id is used in URL paths and vendor queries.
    pub fn text(value: impl AsRef<str>) -> Result<Self> {
        value.as_ref().parse()
    }

    /// The integer, when this is an integer id.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            Repr::Int(v) => Some(v),
            Repr::Text(_) => None,
        }
    }

    /// The text, when this is a text id.
    pub fn as_text(&self) -> Option<&str> {
        match &self.0 {
            Repr::Int(_) => None,
            Repr::Text(s) => Some(s),
        }
    }

    /// Whether this is an integer id.
    pub fn is_int(&self) -> bool {
        matches!(self.0, Repr::Int(_))
    }

    /// The integer of an id that must be one, or an
    /// [`InvalidInput`](ErrorKind::InvalidInput) error naming `what` and the
    /// id that was given.
    ///
    /// ```
    /// use psa_core::Id;
    /// let err = Id::text("incident:abc").unwrap().require_int("ticket id").unwrap_err();
    /// assert!(err.is_invalid_input());
    /// assert!(err.to_string().contains("ticket id"));
    /// ```
    pub fn require_int(&self, what: &str) -> Result<i64> {
        self.as_i64().ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("{what} must be an integer id, got {:?}", self.to_string()),
            )
        })
    }

    /// Like [`require_int`](Self::require_int) but also rejects zero and
    /// negative values, which no vendor uses for a stored record.
    pub fn require_positive(&self, what: &str) -> Result<i64> {
        positive(self.require_int(what)?, what)
    }
}

/// A vendor's integer record id given as a plain integer (a typed handle's
/// `client.tickets().get(42)`): the value, or an `InvalidInput` error naming
/// `what` when it is zero or negative, which no vendor uses for a stored
/// record. [`Id::require_positive`] does the same for a uniform [`Id`].
///
/// ```
/// use psa_core::id::positive;
/// assert_eq!(positive(42, "halo ticket id").unwrap(), 42);
/// let err = positive(0, "halo ticket id").unwrap_err();
/// assert!(err.is_invalid_input() && err.to_string().contains("halo ticket id"));
/// ```
pub fn positive(value: i64, what: &str) -> Result<i64> {
    if value > 0 {
        Ok(value)
    } else {
        Err(Error::new(
            ErrorKind::InvalidInput,
            format!("{what} must be a positive integer, got {value}"),
        ))
    }
}

/// Checks a text id: `Some(n)` when it is the integer `n` (see the type's
/// invariant), `None` when it stays text.
fn check_text(s: &str) -> Result<Option<i64>> {
    if s.is_empty() {
        return Err(Error::new(ErrorKind::InvalidInput, "id is empty"));
    }
    // Nearly every id is ASCII without control characters: then the only
    // white space `trim` would remove is a space at either end.
    let b = s.as_bytes();
    let plain = s.is_ascii()
        && !b.iter().any(|&c| c < 0x20 || c == 0x7f)
        && b.first() != Some(&b' ')
        && b.last() != Some(&b' ');
    if !plain {
        if s.trim() != s {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("id {s:?} has surrounding whitespace"),
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                "id contains control characters",
            ));
        }
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().map(Some).map_err(|_| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("id {s:?} is out of range for an integer id"),
            )
        });
    }
    Ok(None)
}

impl FromStr for Id {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Ok(match check_text(s)? {
            Some(n) => Id::int(n),
            None => Id(Repr::Text(s.into())),
        })
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Id {
            fn from(v: $t) -> Self {
                Id::int(i64::from(v))
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl TryFrom<u64> for Id {
    type Error = Error;
    fn try_from(v: u64) -> Result<Self> {
        i64::try_from(v).map(Id::int).map_err(|_| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("id {v} is out of range for an integer id"),
            )
        })
    }
}

impl TryFrom<&str> for Id {
    type Error = Error;
    fn try_from(v: &str) -> Result<Self> {
        v.parse()
    }
}

impl TryFrom<String> for Id {
    type Error = Error;
    /// As [`Id::text`], keeping the string's buffer for a text id.
    fn try_from(v: String) -> Result<Self> {
        Ok(match check_text(&v)? {
            Some(n) => Id::int(n),
            None => Id(Repr::Text(v.into_boxed_str())),
        })
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Int(v) => write!(f, "{v}"),
            Repr::Text(s) => f.write_str(s),
        }
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Int(v) => write!(f, "Id({v})"),
            Repr::Text(s) => write!(f, "Id({s:?})"),
        }
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Int(v) => s.serialize_i64(*v),
            Repr::Text(t) => s.serialize_str(t),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a non-empty string id")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Id, E> {
                Ok(Id::int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Id, E> {
                Id::try_from(v).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Id, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// The schema of an id as a tool or form input: an integer, or a non-empty
/// string (ServiceNow `sys_id`s, `incident:<sys_id>`).
#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Id {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Id".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A record id: an integer (HaloPSA, ConnectWise, Autotask) or a non-empty string (ServiceNow sys_id, `incident:<sys_id>`).",
            "type": ["integer", "string"],
            "minLength": 1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_integers_everywhere() {
        let from_num: Id = serde_json::from_str("42").unwrap();
        let from_str: Id = serde_json::from_str("\"42\"").unwrap();
        assert_eq!(from_num, Id::from(42));
        assert_eq!(from_str, Id::from(42));
        assert_eq!(serde_json::to_string(&Id::from(42)).unwrap(), "42");
        assert_eq!("-7".parse::<Id>().unwrap(), Id::int(-7));
    }

    #[test]
    fn text_ids_round_trip() {
        let id: Id = "incident:9d385017c611228701d22104cc95c371".parse().unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<Id>(&json).unwrap(), id);
        assert!(id.require_int("ticket id").unwrap_err().is_invalid_input());
    }

    #[test]
    fn bad_ids_are_rejected() {
        for bad in ["", " 1", "1 ", "a\nb", "99999999999999999999"] {
            assert!(bad.parse::<Id>().is_err(), "{bad:?} accepted");
        }
        assert!(serde_json::from_str::<Id>("1.5").is_err());
        assert!(Id::from(0).require_positive("id").is_err());
    }

    #[test]
    fn each_bad_id_gets_its_own_reason() {
        let why = |s: &str| s.parse::<Id>().unwrap_err().to_string();
        for padded in ["\tabc", "abc\n", " abc", "abc\u{a0}", "\u{2003}é"] {
            assert!(why(padded).contains("surrounding whitespace"), "{padded:?}");
        }
        for control in ["a\nb", "a\u{7f}b", "é\u{85}é"] {
            assert!(why(control).contains("control characters"), "{control:?}");
        }
        assert_eq!(Id::text("héllo").unwrap().as_text(), Some("héllo"));
    }

    #[test]
    fn ids_from_owned_strings_follow_the_same_rules() {
        assert_eq!(Id::try_from("42".to_owned()).unwrap(), Id::from(42));
        let text = Id::try_from("incident:abc".to_owned()).unwrap();
        assert_eq!(text, Id::text("incident:abc").unwrap());
        for bad in ["", " 1", "a\nb"] {
            assert!(Id::try_from(bad.to_owned()).is_err(), "{bad:?} accepted");
        }
    }
}
