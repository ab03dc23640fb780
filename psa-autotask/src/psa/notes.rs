//! Ticket notes: list and add (internal, customer-visible, or the
//! ticket's resolution).

use chrono::Utc;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::psa::error_stream;
use psa_core::{Error, Id, NewNote, Note, NoteVisibility, Result};
use serde_json::{Map, json};

use super::{record_id, value_id};
use crate::caps::{self, NO_NOTIFY};
use crate::client::Client;
use crate::mapping;
use crate::models::TicketNote;
use crate::picklist::{PUBLISH_ALL_USERS, PUBLISH_INTERNAL_ONLY, Picklists};
use crate::query::{Filter, Query};

pub(super) fn list<'a>(client: &'a Client, ticket: &Id) -> BoxStream<'a, Result<Note>> {
    let ticket = match value_id(ticket, "ticket id") {
        Ok(t) => t,
        Err(e) => return error_stream(e),
    };
    stream::once(async move {
        let mut notes: Vec<Note> = client
            .ticket_notes()
            .list(Query::new().filter(Filter::eq("ticketID", ticket)))
            .stream_records()
            .map_ok(|(n, raw)| mapping::note(&n, raw))
            .try_collect()
            .await?;
        notes.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok::<_, Error>(stream::iter(notes.into_iter().map(Ok)))
    })
    .try_flatten()
    .boxed()
}

/// The first non-blank line of `text`, at most `max` characters (a note's title).
fn first_line(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    line.chars().take(max).collect()
}

/// The default (or first active) value of a picklist field.
pub(super) fn default_or_first(pl: &Picklists, field: &str) -> Option<i64> {
    pl.default_value(field).or_else(|| {
        pl.values(field)
            .iter()
            .find(|p| p.is_active)
            .and_then(|p| p.value.trim().parse().ok())
    })
}

pub(super) async fn add(client: &Client, ticket: &Id, note: NewNote) -> Result<Note> {
    note.validate()?;
    let ticket = record_id(ticket, "ticket id")?;
    if note.notify {
        return Err(caps::unsupported(NO_NOTIFY));
    }
    if note.visibility == NoteVisibility::Resolution {
        let mut changes = Map::new();
        changes.insert("resolution".into(), json!(note.body));
        client.tickets().update(ticket, changes).send().await?;
        let mut out = Note::new(
            Id::text(format!("resolution:{ticket}"))?,
            Id::int(ticket),
            note.body.clone(),
            NoteVisibility::Resolution,
        );
        out.created_at = Some(Utc::now());
        out.raw = json!({"id": ticket, "resolution": note.body}).into();
        return Ok(out);
    }
    let notes = client.tickets().notes(ticket);
    // The handle checks the ticket id before the picklists are read.
    let _ = notes.path()?;
    let pl = client.picklists("TicketNotes").await?;
    let publish_value = if note.visibility == NoteVisibility::Internal {
        PUBLISH_INTERNAL_ONLY
    } else {
        PUBLISH_ALL_USERS
    };
    let note_type = default_or_first(&pl, "noteType")
        .ok_or_else(|| Error::invalid_input("the TicketNotes noteType picklist is empty"))?;
    let mut body = Map::new();
    body.insert("ticketID".into(), json!(ticket));
    body.insert("title".into(), json!(first_line(&note.body, 250)));
    body.insert("description".into(), json!(note.body));
    body.insert("noteType".into(), json!(note_type));
    body.insert("publish".into(), json!(publish_value));
    let id = notes.create_fields(body).send().await?;
    let (n, raw) = client.entity::<TicketNote>().get(id).send_record().await?;
    Ok(mapping::note(&n, raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_the_first_line() {
        assert_eq!(
            first_line("\n  Restarted the spooler\nthen…", 250),
            "Restarted the spooler"
        );
        assert_eq!(first_line("abcdef", 3), "abc");
        assert_eq!(first_line("   \n  ", 10), "");
    }
}
