//! Notes: Halo actions that carry a note.

use futures::stream::{BoxStream, TryStreamExt};
use psa_core::{Id, NewNote, Note, Result};

use super::tickets::TICKET_ID;
use super::{first, once};
use crate::client::Client;
use crate::mapping;
use crate::models::Action;

/// The ticket's actions with a note, oldest first.
pub(super) fn list<'a>(c: &'a Client, ticket: &Id) -> Result<BoxStream<'a, Result<Note>>> {
    let id = ticket.require_int(TICKET_ID)?;
    Ok(once(async move {
        let mut actions: Vec<Action> = c.actions().list(id).stream().try_collect().await?;
        actions.retain(|a| {
            a.note.as_deref().is_some_and(|n| !n.trim().is_empty())
                || a.note_html.as_deref().is_some_and(|n| !n.trim().is_empty())
        });
        actions.sort_by_key(|a| {
            (
                a.datetime.as_ref().and_then(psa_core::Timestamp::utc),
                a.id.unwrap_or_default(),
            )
        });
        Ok(actions
            .iter()
            .map(|a| mapping::note(a, c.settings()))
            .collect())
    }))
}

pub(super) async fn add(c: &Client, ticket: &Id, note: NewNote) -> Result<Note> {
    let a = mapping::new_note(
        ticket.require_int(TICKET_ID)?,
        &note,
        c.settings(),
        c.acting_agent(),
    )?;
    let saved = first(c.actions().create([a]).send().await?, "note")?;
    let saved = super::attributed(c, saved, "note").await?;
    mapping::note(&saved, c.settings())
}
