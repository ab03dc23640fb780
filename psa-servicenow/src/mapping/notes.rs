//! Journal entries and resolution notes ⇄ uniform notes.

use super::{own_id, text, time, value};
use crate::ids::TaskTable;
use crate::models::{Field, JournalEntry};
use psa_core::{Error, Id, NewNote, Note, NoteVisibility, Ref, Result};
use serde_json::{Map, Value, json};

/// The journal fields of a read of `sys_journal_field`.
pub const JOURNAL_FIELDS: &[&str] = &[
    "sys_id",
    "element",
    "element_id",
    "name",
    "value",
    "sys_created_on",
    "sys_created_by",
];

/// What a resolution note does on a table: it always writes `close_notes`;
/// it may also move the record to a resolved state and set `close_code`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResolutionRule {
    /// The state to set (`6` Resolved for incidents), if any.
    pub state: Option<String>,
    /// The `close_code` to set (`Solution provided`), if any.
    pub close_code: Option<String>,
}

impl ResolutionRule {
    /// Writes `close_notes` only.
    pub fn notes_only() -> Self {
        ResolutionRule {
            state: None,
            close_code: None,
        }
    }

    /// Also sets the state.
    #[must_use]
    pub fn state(mut self, value: impl Into<String>) -> Self {
        self.state = Some(value.into());
        self
    }

    /// Also sets `close_code`.
    #[must_use]
    pub fn close_code(mut self, value: impl Into<String>) -> Self {
        self.close_code = Some(value.into());
        self
    }

    /// The baseline rule of a table: incidents go to `6` (Resolved) with the
    /// close code `Solution provided` (as in ServiceNow's own recorded close
    /// example); requests, requested items and catalog tasks to `3` (Closed
    /// Complete); changes and problems only get their close notes (their
    /// state models need their own transitions).
    pub fn baseline(table: TaskTable) -> Self {
        match table {
            TaskTable::Incident => ResolutionRule::notes_only()
                .state("6")
                .close_code("Solution provided"),
            TaskTable::ScRequest | TaskTable::ScReqItem | TaskTable::ScTask => {
                ResolutionRule::notes_only().state("3")
            }
            TaskTable::ChangeRequest | TaskTable::Problem => ResolutionRule::notes_only(),
        }
    }
}

/// A uniform note → the PATCH body that writes it: `work_notes`, `comments`,
/// or `close_notes` with the table's [`ResolutionRule`].
pub fn note_body(n: &NewNote, rule: &ResolutionRule) -> Result<Map<String, Value>> {
    n.validate()?;
    let mut body = Map::new();
    match n.visibility {
        NoteVisibility::Internal => {
            body.insert("work_notes".into(), json!(n.body));
        }
        NoteVisibility::Customer => {
            body.insert("comments".into(), json!(n.body));
        }
        NoteVisibility::Resolution => {
            body.insert("close_notes".into(), json!(n.body));
            if let Some(s) = &rule.state {
                body.insert("state".into(), json!(s));
            }
            if let Some(c) = &rule.close_code {
                body.insert("close_code".into(), json!(c));
            }
        }
        _ => {
            return Err(Error::invalid_input(
                "this note visibility has no ServiceNow journal field",
            ));
        }
    }
    Ok(body)
}

/// The journal field a note visibility writes.
pub fn journal_element(v: NoteVisibility) -> Option<&'static str> {
    match v {
        NoteVisibility::Internal => Some("work_notes"),
        NoteVisibility::Customer => Some("comments"),
        _ => None,
    }
}

/// A journal entry → uniform [`Note`]. ServiceNow records the author's user
/// name (`sys_created_by`), not a reference: the note's `author` carries the
/// user name as both its id and its name.
pub fn note(ticket: &Id, e: &JournalEntry, raw: Value) -> Result<Note> {
    let id = own_id("sys_journal_field", e.sys_id.as_ref(), "journal entry")?;
    let visibility = match e.element.as_ref().map(Field::value) {
        Some("comments") => NoteVisibility::Customer,
        _ => NoteVisibility::Internal,
    };
    let body = value(e.value.as_ref());
    let mut n = Note::new(id, ticket.clone(), body, visibility);
    n.author =
        text(e.sys_created_by.as_ref()).and_then(|u| Id::text(&u).ok().map(|id| Ref::named(id, u)));
    n.created_at = time(e.sys_created_on.as_ref());
    n.raw = raw.into();
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_and_resolutions() {
        let rule = ResolutionRule::baseline(TaskTable::Incident);
        let b = note_body(&NewNote::resolution("Replaced the cable"), &rule).unwrap();
        assert_eq!(b["close_notes"], "Replaced the cable");
        assert_eq!(b["state"], "6");
        assert_eq!(b["close_code"], "Solution provided");
        let b = note_body(&NewNote::internal("x"), &rule).unwrap();
        assert_eq!(Value::Object(b), json!({"work_notes": "x"}));
        let b = note_body(&NewNote::customer("y"), &rule).unwrap();
        assert_eq!(Value::Object(b), json!({"comments": "y"}));
    }
}
