//! Ticket notes: list (oldest first) and add.

use futures::stream::BoxStream;
use psa_core::psa::error_stream;
use psa_core::{Id, NewNote, Note, Result};

use super::{int, map_stream};
use crate::client::Client;
use crate::mapping;
use crate::query::fields as f;

pub(super) fn list<'a>(client: &'a Client, ticket: &Id) -> BoxStream<'a, Result<Note>> {
    match int(ticket, "ticket") {
        Ok(t) => map_stream(
            || Ok(client.tickets().notes(t).list().order_by(f::ID.asc())),
            move |n| mapping::note(n, t),
        ),
        Err(e) => error_stream(e),
    }
}

pub(super) async fn add(client: &Client, ticket: &Id, note: NewNote) -> Result<Note> {
    let t = int(ticket, "ticket")?;
    let body = mapping::new_note(&note, t)?;
    let created = client.tickets().notes(t).create(&body).send().await?;
    mapping::note(&created, t)
}
