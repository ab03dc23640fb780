//! Ticket notes: internal, customer-facing and resolution.

use super::RawRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::Ref;
use crate::{Id, Result, input};

/// Who can see a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NoteVisibility {
    /// Technicians only (HaloPSA `hiddenfromuser`, ConnectWise internal
    /// analysis, Autotask internal publish, ServiceNow `work_notes`).
    Internal,
    /// The customer can see it (HaloPSA visible action, ConnectWise
    /// discussion, Autotask "all users", ServiceNow `comments`). The PSA may
    /// email it.
    Customer,
    /// The resolution (ConnectWise resolution flag, ServiceNow close notes).
    Resolution,
}

impl NoteVisibility {
    /// The uniform field name a guard sees for a note of this visibility:
    /// `internal`, `customer` or `resolution`.
    pub const fn field_name(self) -> &'static str {
        match self {
            NoteVisibility::Internal => "internal",
            NoteVisibility::Customer => "customer",
            NoteVisibility::Resolution => "resolution",
        }
    }
}

/// A note on a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Note {
    /// The note's id.
    pub id: Id,
    /// The ticket it belongs to.
    pub ticket: Id,
    /// The text.
    pub body: String,
    /// Who can see it.
    pub visibility: NoteVisibility,
    /// Who wrote it.
    pub author: Option<Ref>,
    /// When.
    pub created_at: Option<DateTime<Utc>>,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl Note {
    /// A note; vendor mappings fill the rest.
    pub fn new(id: Id, ticket: Id, body: impl Into<String>, visibility: NoteVisibility) -> Self {
        Note {
            id,
            ticket,
            body: body.into(),
            visibility,
            author: None,
            created_at: None,
            raw: RawRecord::default(),
        }
    }
}

/// A note to add.
///
/// ```
/// use psa_core::{NewNote, NoteVisibility};
/// let n = NewNote::internal("Checked the print spooler; restarting it.");
/// assert_eq!(n.visibility, NoteVisibility::Internal);
/// assert_eq!(n.written_fields(), vec!["internal"]);
/// let c = NewNote::customer("We're on it.").notify(true);
/// assert_eq!(c.written_fields(), vec!["customer", "notify"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct NewNote {
    /// The text.
    pub body: String,
    /// Who can see it.
    pub visibility: NoteVisibility,
    /// Ask the PSA to email the contact (customer-facing notes only; vendors
    /// that always email, or never, say so in their docs).
    #[serde(default)]
    pub notify: bool,
}

impl NewNote {
    /// The longest note accepted (far below every vendor's limit, far above a
    /// sane note).
    pub const MAX_BODY: usize = 100_000;

    /// An internal note.
    pub fn internal(body: impl Into<String>) -> Self {
        NewNote {
            body: body.into(),
            visibility: NoteVisibility::Internal,
            notify: false,
        }
    }
    /// A customer-facing note.
    pub fn customer(body: impl Into<String>) -> Self {
        NewNote {
            body: body.into(),
            visibility: NoteVisibility::Customer,
            notify: false,
        }
    }
    /// A resolution note.
    pub fn resolution(body: impl Into<String>) -> Self {
        NewNote {
            body: body.into(),
            visibility: NoteVisibility::Resolution,
            notify: false,
        }
    }
    /// Whether to ask the PSA to email the contact.
    #[must_use]
    pub fn notify(mut self, notify: bool) -> Self {
        self.notify = notify;
        self
    }

    /// Rejects a body with nothing visible in it (empty, whitespace, NUL or
    /// other control characters only), a body with control characters other
    /// than tabs and line breaks, an oversized body, and `notify` on an
    /// internal note ([`input::text`]).
    ///
    /// ```
    /// use psa_core::NewNote;
    /// for blank in ["", "\n", "\t \r\n", "\0", "\0\0"] {
    ///     assert!(NewNote::internal(blank).validate().unwrap_err().is_invalid_input());
    /// }
    /// ```
    pub fn validate(&self) -> Result<()> {
        input::text("note body", &self.body, Self::MAX_BODY)?;
        if self.notify && self.visibility == NoteVisibility::Internal {
            return Err(crate::Error::invalid_input(
                "an internal note cannot notify the customer",
            ));
        }
        Ok(())
    }

    /// The uniform fields written: the visibility's name, and `notify` when set.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = vec![self.visibility.field_name().to_owned()];
        if self.notify {
            f.push("notify".to_owned());
        }
        f
    }
}
