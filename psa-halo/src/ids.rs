//! Halo's own identifiers: action keys (an action is numbered per ticket)
//! and webhook GUIDs, checked before any request is made. Record ids are
//! positive integers, checked with [`psa_core::id::positive`] by the typed
//! handles.

use psa_core::{Error, Id, Result};
use std::{fmt, str::FromStr};

/// The key of an action (a note or a time entry): Halo numbers actions per
/// ticket, so an action is its ticket id and its number on that ticket.
///
/// In the uniform models it is the text id `"<ticket>:<action>"`
/// (`"1001:3"`).
///
/// ```
/// use psa_halo::ActionKey;
/// use psa_core::Id;
/// let key = ActionKey::new(1001, 3);
/// assert_eq!(key.to_id().to_string(), "1001:3");
/// assert_eq!(ActionKey::from_id(&"1001:3".parse::<Id>()?, "note id")?, key);
/// assert!(ActionKey::from_id(&Id::from(3), "note id").is_err());
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ActionKey {
    /// The ticket.
    pub ticket_id: i64,
    /// The action's number on the ticket.
    pub action_id: i64,
}

impl ActionKey {
    /// A key.
    pub const fn new(ticket_id: i64, action_id: i64) -> Self {
        ActionKey {
            ticket_id,
            action_id,
        }
    }

    /// The uniform id, `"<ticket>:<action>"`.
    pub fn to_id(self) -> Id {
        Id::text(self.to_string()).unwrap_or_else(|_| Id::int(self.action_id))
    }

    /// Parses a uniform id, or an `InvalidInput` error naming `what` and the id.
    pub fn from_id(id: &Id, what: &str) -> Result<ActionKey> {
        id.as_text().and_then(|t| t.parse().ok()).ok_or_else(|| {
            Error::invalid_input(format!(
                "{what} must be `<ticket id>:<action id>` with positive integers, got {:?}",
                id.to_string()
            ))
        })
    }
}

impl fmt::Display for ActionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.ticket_id, self.action_id)
    }
}

impl FromStr for ActionKey {
    type Err = Error;
    fn from_str(s: &str) -> Result<ActionKey> {
        let parse = |p: &str| {
            (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<i64>().ok())
                .flatten()
                .filter(|v| *v > 0)
        };
        s.split_once(':')
            .and_then(|(t, a)| Some(ActionKey::new(parse(t)?, parse(a)?)))
            .ok_or_else(|| Error::invalid_input(format!("{s:?} is not `<ticket>:<action>`")))
    }
}

/// A webhook id: Halo identifies webhooks by GUID. Returns it in lower
/// case, or an `InvalidInput` error quoting what was given (it goes into a
/// path, so anything else is refused).
pub(crate) fn webhook_guid(text: &str) -> Result<String> {
    let ok = text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    if ok {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(Error::invalid_input(format!(
            "halo webhook id must be a GUID, got {text:?}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_keys_parse_strictly() {
        assert_eq!("7:2".parse::<ActionKey>().unwrap(), ActionKey::new(7, 2));
        for bad in ["7", "7:", ":2", "0:2", "7:-2", "7:2:1", "a:b", "+7:2"] {
            assert!(bad.parse::<ActionKey>().is_err(), "{bad}");
        }
    }

    #[test]
    fn guids_are_checked() {
        assert_eq!(
            webhook_guid("3FA85F64-5717-4562-B3FC-2C963F66AFA6").unwrap(),
            "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        );
        for bad in [
            "abc",
            "3fa85f64x5717-4562-b3fc-2c963f66afa6",
            "../Tickets/1",
        ] {
            assert!(webhook_guid(bad).unwrap_err().is_invalid_input());
        }
        assert!(webhook_guid(&Id::from(5).to_string()).is_err());
    }
}
