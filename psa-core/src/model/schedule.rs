//! Schedule entries / appointments / service calls.

use super::RawRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{Ref, field_if};
use crate::{Error, Id, Result, input};

/// A schedule entry (HaloPSA appointment, ConnectWise schedule entry,
/// Autotask service call, ServiceNow schedule span).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScheduleEntry {
    /// Id.
    pub id: Id,
    /// The agent scheduled.
    pub agent: Option<Ref>,
    /// The ticket it is for.
    pub ticket: Option<Id>,
    /// Subject.
    pub subject: Option<String>,
    /// Start.
    pub start: Option<DateTime<Utc>>,
    /// End.
    pub end: Option<DateTime<Utc>>,
    /// Notes.
    pub note: Option<String>,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl ScheduleEntry {
    /// An entry; vendor mappings fill the rest.
    pub fn new(id: Id) -> Self {
        ScheduleEntry {
            id,
            agent: None,
            ticket: None,
            subject: None,
            start: None,
            end: None,
            note: None,
            raw: RawRecord::default(),
        }
    }
}

/// Which schedule entries to list: an agent's, in a range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ScheduleQuery {
    /// This agent's entries; `None` for everyone the credentials can see.
    pub agent: Option<Id>,
    /// Starting at or after.
    pub from: DateTime<Utc>,
    /// Starting before.
    pub to: DateTime<Utc>,
}

impl ScheduleQuery {
    /// Entries in `[from, to)`.
    pub fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        ScheduleQuery {
            agent: None,
            from,
            to,
        }
    }
    /// Only this agent's.
    #[must_use]
    pub fn agent(mut self, id: impl Into<Id>) -> Self {
        self.agent = Some(id.into());
        self
    }
    /// Rejects an empty range and dates outside the years
    /// [`input::MIN_YEAR`] to [`input::MAX_YEAR`].
    pub fn validate(&self) -> Result<()> {
        input::date("schedule query `from`", self.from)?;
        input::date("schedule query `to`", self.to)?;
        if self.from >= self.to {
            return Err(Error::invalid_input("schedule query range is empty"));
        }
        Ok(())
    }
}

/// A schedule entry to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct NewScheduleEntry {
    /// The agent.
    pub agent: Id,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// The ticket it is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<Id>,
    /// Subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl NewScheduleEntry {
    /// `agent` from `start` to `end`.
    pub fn new(agent: impl Into<Id>, start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        NewScheduleEntry {
            agent: agent.into(),
            start,
            end,
            ticket: None,
            subject: None,
            note: None,
        }
    }
    /// For a ticket.
    #[must_use]
    pub fn ticket(mut self, id: impl Into<Id>) -> Self {
        self.ticket = Some(id.into());
        self
    }
    /// Sets the subject.
    #[must_use]
    pub fn subject(mut self, v: impl Into<String>) -> Self {
        self.subject = Some(v.into());
        self
    }
    /// Sets the note.
    #[must_use]
    pub fn note(mut self, v: impl Into<String>) -> Self {
        self.note = Some(v.into());
        self
    }

    /// Rejects an empty range, dates outside the years [`input::MIN_YEAR`]
    /// to [`input::MAX_YEAR`], a subject that is not one line of visible
    /// text and a note with control characters other than tabs and line
    /// breaks.
    pub fn validate(&self) -> Result<()> {
        input::date("schedule entry start", self.start)?;
        input::date("schedule entry end", self.end)?;
        if self.start >= self.end {
            return Err(Error::invalid_input(
                "schedule entry must end after it starts",
            ));
        }
        if let Some(s) = &self.subject {
            input::line("schedule entry subject", s, 255)?;
        }
        if let Some(n) = &self.note {
            input::optional_text("schedule entry note", n, 8_000)?;
        }
        Ok(())
    }

    /// The uniform fields written.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = vec!["agent".to_owned(), "start".to_owned(), "end".to_owned()];
        field_if(&mut f, self.ticket.as_ref(), "ticket");
        field_if(&mut f, self.subject.as_ref(), "subject");
        field_if(&mut f, self.note.as_ref(), "note");
        f
    }
}

/// Changes to a schedule entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ScheduleEntryPatch {
    /// New agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Id>,
    /// New start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTime<Utc>>,
    /// New end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<DateTime<Utc>>,
    /// New subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// New note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl ScheduleEntryPatch {
    /// An empty patch.
    pub fn new() -> Self {
        ScheduleEntryPatch::default()
    }
    /// Moves it to another agent.
    #[must_use]
    pub fn agent(mut self, id: impl Into<Id>) -> Self {
        self.agent = Some(id.into());
        self
    }
    /// Sets the start.
    #[must_use]
    pub fn start(mut self, t: DateTime<Utc>) -> Self {
        self.start = Some(t);
        self
    }
    /// Sets the end.
    #[must_use]
    pub fn end(mut self, t: DateTime<Utc>) -> Self {
        self.end = Some(t);
        self
    }
    /// Sets the subject.
    #[must_use]
    pub fn subject(mut self, v: impl Into<String>) -> Self {
        self.subject = Some(v.into());
        self
    }
    /// Sets the note.
    #[must_use]
    pub fn note(mut self, v: impl Into<String>) -> Self {
        self.note = Some(v.into());
        self
    }

    /// Rejects an empty patch, an inverted range, dates outside the years
    /// [`input::MIN_YEAR`] to [`input::MAX_YEAR`], a subject that is not
    /// one line of visible text and a note with control characters other
    /// than tabs and line breaks.
    pub fn validate(&self) -> Result<()> {
        if self.written_fields().is_empty() {
            return Err(Error::invalid_input("schedule entry patch changes nothing"));
        }
        if let Some(t) = self.start {
            input::date("schedule entry start", t)?;
        }
        if let Some(t) = self.end {
            input::date("schedule entry end", t)?;
        }
        if let Some(s) = &self.subject {
            input::line("schedule entry subject", s, 255)?;
        }
        if let Some(n) = &self.note {
            input::optional_text("schedule entry note", n, 8_000)?;
        }
        if let (Some(s), Some(e)) = (self.start, self.end) {
            if s >= e {
                return Err(Error::invalid_input(
                    "schedule entry must end after it starts",
                ));
            }
        }
        Ok(())
    }

    /// The uniform fields written.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = Vec::new();
        field_if(&mut f, self.agent.as_ref(), "agent");
        field_if(&mut f, self.start.as_ref(), "start");
        field_if(&mut f, self.end.as_ref(), "end");
        field_if(&mut f, self.subject.as_ref(), "subject");
        field_if(&mut f, self.note.as_ref(), "note");
        f
    }
}
