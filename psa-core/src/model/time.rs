//! Time entries.

use super::RawRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

use super::common::{CustomFields, Ref, field_if, opt_duration_secs};
use crate::{Error, Id, Result, input};

/// A time entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TimeEntry {
    /// The entry's id.
    pub id: Id,
    /// The ticket it is charged to, when it is.
    pub ticket: Option<Id>,
    /// The agent who worked.
    pub agent: Option<Ref>,
    /// Start of the work (UTC).
    pub start: Option<DateTime<Utc>>,
    /// End of the work (UTC).
    pub end: Option<DateTime<Utc>>,
    /// Time worked, in whole seconds when serialised.
    #[serde(with = "opt_duration_secs")]
    pub duration: Option<Duration>,
    /// Whether it is billable.
    pub billable: Option<bool>,
    /// Work type / billing code / charge rate.
    pub work_type: Option<Ref>,
    /// The note attached to the time.
    pub note: Option<String>,
    /// Custom fields.
    pub custom_fields: CustomFields,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl TimeEntry {
    /// An entry; vendor mappings fill the rest.
    pub fn new(id: Id) -> Self {
        TimeEntry {
            id,
            ticket: None,
            agent: None,
            start: None,
            end: None,
            duration: None,
            billable: None,
            work_type: None,
            note: None,
            custom_fields: CustomFields::new(),
            raw: RawRecord::default(),
        }
    }
}

/// How long the work took: a duration, or an end time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkSpan {
    /// This long from the start, in whole seconds when serialised.
    Duration(
        #[serde(with = "secs")]
        #[cfg_attr(feature = "schemars", schemars(with = "u64"))]
        Duration,
    ),
    /// Until this time (UTC).
    Until(DateTime<Utc>),
}

mod secs {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;
    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_secs())
    }
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_secs)
    }
}

impl WorkSpan {
    /// The duration of the work from `start`, or an error when the end is not
    /// after the start. Never panics, whatever the dates.
    pub fn duration_from(&self, start: DateTime<Utc>) -> Result<Duration> {
        match *self {
            WorkSpan::Duration(d) => Ok(d),
            WorkSpan::Until(end) => end
                .signed_duration_since(start)
                .to_std()
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| Error::invalid_input("time entry end must be after its start")),
        }
    }

    /// The end of the work that starts at `start`: an
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error, never a
    /// panic, when it would fall past the last date chrono can hold.
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use psa_core::WorkSpan;
    /// use std::time::Duration;
    /// let span = WorkSpan::Duration(Duration::from_secs(3600));
    /// assert!(span.end_from(DateTime::<Utc>::MAX_UTC).unwrap_err().is_invalid_input());
    /// ```
    pub fn end_from(&self, start: DateTime<Utc>) -> Result<DateTime<Utc>> {
        let d = self.duration_from(start)?;
        chrono::TimeDelta::from_std(d)
            .ok()
            .and_then(|d| start.checked_add_signed(d))
            .ok_or_else(|| {
                Error::invalid_input(format!(
                    "time entry of {} seconds from {start} ends past the last representable date",
                    d.as_secs()
                ))
            })
    }
}

/// Longest time entry accepted: one entry never spans more than a day.
pub const MAX_TIME_ENTRY: Duration = Duration::from_secs(24 * 3600);

/// A time entry to create.
///
/// Times are UTC instants; each vendor crate converts them into what the
/// vendor stores (HaloPSA and Autotask record local times for the agent's
/// time zone where the API asks for it), so an entry logged at 09:00 in
/// Sydney is not filed at 09:00 UTC.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use psa_core::{Id, NewTimeEntry};
/// use std::time::Duration;
/// let start = Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap();
/// let e = NewTimeEntry::new(Id::from(1001), start, Duration::from_secs(15 * 60))
///     .billable(true)
///     .note("Restarted the print spooler");
/// assert!(e.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct NewTimeEntry {
    /// The ticket the time is charged to.
    pub ticket: Id,
    /// The agent who worked; `None` means the integration's own agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Id>,
    /// Start of the work.
    pub start: DateTime<Utc>,
    /// Its length or end.
    pub span: WorkSpan,
    /// Billable; `None` leaves the vendor's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billable: Option<bool>,
    /// Work type / billing code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_type: Option<Id>,
    /// Note describing the work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl NewTimeEntry {
    /// `duration` of work on `ticket` from `start`.
    pub fn new(ticket: impl Into<Id>, start: DateTime<Utc>, duration: Duration) -> Self {
        NewTimeEntry {
            ticket: ticket.into(),
            agent: None,
            start,
            span: WorkSpan::Duration(duration),
            billable: None,
            work_type: None,
            note: None,
        }
    }
    /// Work on `ticket` from `start` until `end`.
    pub fn between(ticket: impl Into<Id>, start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        NewTimeEntry {
            span: WorkSpan::Until(end),
            ..NewTimeEntry::new(ticket, start, Duration::ZERO)
        }
    }
    /// Attributes the time to an agent.
    #[must_use]
    pub fn agent(mut self, id: impl Into<Id>) -> Self {
        self.agent = Some(id.into());
        self
    }
    /// Sets the billable flag.
    #[must_use]
    pub fn billable(mut self, billable: bool) -> Self {
        self.billable = Some(billable);
        self
    }
    /// Sets the work type.
    #[must_use]
    pub fn work_type(mut self, id: impl Into<Id>) -> Self {
        self.work_type = Some(id.into());
        self
    }
    /// Sets the note.
    #[must_use]
    pub fn note(mut self, text: impl Into<String>) -> Self {
        self.note = Some(text.into());
        self
    }

    /// The longest note accepted.
    pub const MAX_NOTE: usize = 8_000;

    /// Rejects a start or end outside the years [`input::MIN_YEAR`] to
    /// [`input::MAX_YEAR`], a zero, negative or over-a-day span, and a note
    /// with control characters other than tabs and line breaks. Never
    /// panics, whatever the dates and durations.
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use psa_core::{Id, NewTimeEntry};
    /// use std::time::Duration;
    /// let near_the_end = DateTime::<Utc>::MAX_UTC - chrono::TimeDelta::seconds(1);
    /// let e = NewTimeEntry::new(Id::from(1), near_the_end, Duration::from_secs(3600));
    /// assert!(e.validate().unwrap_err().is_invalid_input());
    /// ```
    pub fn validate(&self) -> Result<()> {
        input::date("time entry start", self.start)?;
        if let WorkSpan::Until(end) = self.span {
            input::date("time entry end", end)?;
        }
        if let Some(n) = &self.note {
            input::optional_text("time entry note", n, Self::MAX_NOTE)?;
        }
        let d = self.span.duration_from(self.start)?;
        if d.is_zero() {
            return Err(Error::invalid_input("time entry duration is zero"));
        }
        if d > MAX_TIME_ENTRY {
            return Err(Error::invalid_input(format!(
                "time entry of {} minutes is longer than a day",
                d.as_secs() / 60
            )));
        }
        input::date("time entry end", self.span.end_from(self.start)?)
    }

    /// The uniform fields written.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = vec!["ticket".to_owned(), "start".to_owned()];
        f.push(match self.span {
            WorkSpan::Duration(_) => "duration".to_owned(),
            WorkSpan::Until(_) => "end".to_owned(),
        });
        field_if(&mut f, self.agent.as_ref(), "agent");
        field_if(&mut f, self.billable.as_ref(), "billable");
        field_if(&mut f, self.work_type.as_ref(), "work_type");
        field_if(&mut f, self.note.as_ref(), "note");
        f
    }
}

/// Changes to a time entry: only the fields set are changed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TimeEntryPatch {
    /// New start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTime<Utc>>,
    /// New length or end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<WorkSpan>,
    /// New billable flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billable: Option<bool>,
    /// New work type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_type: Option<Id>,
    /// New note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl TimeEntryPatch {
    /// An empty patch.
    pub fn new() -> Self {
        TimeEntryPatch::default()
    }
    /// Sets the start.
    #[must_use]
    pub fn start(mut self, t: DateTime<Utc>) -> Self {
        self.start = Some(t);
        self
    }
    /// Sets the duration.
    #[must_use]
    pub fn duration(mut self, d: Duration) -> Self {
        self.span = Some(WorkSpan::Duration(d));
        self
    }
    /// Sets the end.
    #[must_use]
    pub fn end(mut self, t: DateTime<Utc>) -> Self {
        self.span = Some(WorkSpan::Until(t));
        self
    }
    /// Sets the billable flag.
    #[must_use]
    pub fn billable(mut self, billable: bool) -> Self {
        self.billable = Some(billable);
        self
    }
    /// Sets the work type.
    #[must_use]
    pub fn work_type(mut self, id: impl Into<Id>) -> Self {
        self.work_type = Some(id.into());
        self
    }
    /// Sets the note.
    #[must_use]
    pub fn note(mut self, text: impl Into<String>) -> Self {
        self.note = Some(text.into());
        self
    }

    /// Rejects an empty patch, a bad duration, a start or end outside the
    /// years [`input::MIN_YEAR`] to [`input::MAX_YEAR`], and a note with
    /// control characters other than tabs and line breaks.
    pub fn validate(&self) -> Result<()> {
        if self.written_fields().is_empty() {
            return Err(Error::invalid_input("time entry patch changes nothing"));
        }
        if let Some(start) = self.start {
            input::date("time entry start", start)?;
        }
        if let Some(WorkSpan::Until(end)) = self.span {
            input::date("time entry end", end)?;
        }
        if let Some(n) = &self.note {
            input::optional_text("time entry note", n, NewTimeEntry::MAX_NOTE)?;
        }
        if let Some(WorkSpan::Duration(d)) = self.span {
            if d.is_zero() || d > MAX_TIME_ENTRY {
                return Err(Error::invalid_input(
                    "time entry duration must be between zero and a day",
                ));
            }
        }
        if let (Some(start), Some(span)) = (self.start, self.span) {
            span.duration_from(start)?;
        }
        Ok(())
    }

    /// The uniform fields written.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = Vec::new();
        field_if(&mut f, self.start.as_ref(), "start");
        match self.span {
            Some(WorkSpan::Duration(_)) => f.push("duration".to_owned()),
            Some(WorkSpan::Until(_)) => f.push("end".to_owned()),
            None => {}
        }
        field_if(&mut f, self.billable.as_ref(), "billable");
        field_if(&mut f, self.work_type.as_ref(), "work_type");
        field_if(&mut f, self.note.as_ref(), "note");
        f
    }
}

/// Which time entries to list. At least one field must be set.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TimeEntryQuery {
    /// Entries on this ticket.
    pub ticket: Option<Id>,
    /// Entries by this agent.
    pub agent: Option<Id>,
    /// Starting at or after.
    pub from: Option<DateTime<Utc>>,
    /// Starting before.
    pub to: Option<DateTime<Utc>>,
}

impl TimeEntryQuery {
    /// Entries on a ticket.
    pub fn ticket(id: impl Into<Id>) -> Self {
        TimeEntryQuery {
            ticket: Some(id.into()),
            ..Default::default()
        }
    }
    /// Entries by an agent.
    pub fn agent(id: impl Into<Id>) -> Self {
        TimeEntryQuery {
            agent: Some(id.into()),
            ..Default::default()
        }
    }
    /// Entries in `[from, to)`.
    pub fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        TimeEntryQuery {
            from: Some(from),
            to: Some(to),
            ..Default::default()
        }
    }
    /// Also restricts to an agent.
    #[must_use]
    pub fn and_agent(mut self, id: impl Into<Id>) -> Self {
        self.agent = Some(id.into());
        self
    }
    /// Also restricts to `[from, to)`.
    #[must_use]
    pub fn and_between(mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        self.from = Some(from);
        self.to = Some(to);
        self
    }

    /// Rejects an unbounded query, an inverted range and dates outside the
    /// years [`input::MIN_YEAR`] to [`input::MAX_YEAR`].
    pub fn validate(&self) -> Result<()> {
        if self.ticket.is_none() && self.agent.is_none() && self.from.is_none() && self.to.is_none()
        {
            return Err(Error::invalid_input(
                "time entry query needs a ticket, an agent or a date range",
            ));
        }
        if let Some(t) = self.from {
            input::date("time entry query `from`", t)?;
        }
        if let Some(t) = self.to {
            input::date("time entry query `to`", t)?;
        }
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if f >= t {
                return Err(Error::invalid_input("time entry query range is empty"));
            }
        }
        Ok(())
    }
}
