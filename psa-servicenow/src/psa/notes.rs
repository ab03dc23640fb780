//! Notes: journal entries (`work_notes`, `comments` in
//! `sys_journal_field`) and resolution notes (`close_notes`).

use std::collections::HashMap;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::http::Customize;
use psa_core::psa::error_stream;
use psa_core::{Id, NewNote, Note, Ref, Result};
use serde_json::Value;

use super::{decode, field_text};
use crate::client::Client;
use crate::ids::{TicketId, record_id};
use crate::mapping;
use crate::models::{JournalEntry, parse_glide_datetime};
use crate::query::{Query, Term};

pub(super) fn list_notes<'a>(c: &'a Client, ticket: &Id) -> BoxStream<'a, Result<Note>> {
    let (uniform, t) = match c.ticket_and_id(ticket) {
        Ok(t) => t,
        Err(e) => return error_stream(e),
    };
    let q = Query::new()
        .eq("element_id", t.sys_id.as_str())
        .and(Term::is_in("element", ["work_notes", "comments"]))
        .order_by("sys_created_on")
        .order_by("sys_id");
    let fields = mapping::JOURNAL_FIELDS
        .iter()
        .map(|f| (*f).to_owned())
        .collect();
    c.mapped("sys_journal_field", q, fields, None, move |raw| {
        let e: JournalEntry = decode(&raw, "journal entry")?;
        mapping::note(&uniform, &e, raw)
    })
    // The authors of up to a page of notes in one `sys_user` request.
    .try_chunks(AUTHOR_BATCH)
    .map_err(|e| e.1)
    .and_then(move |notes| c.with_author_ids(notes))
    .map_ok(|notes| stream::iter(notes.into_iter().map(Ok)))
    .try_flatten()
    .boxed()
}

/// How many notes share one author look-up.
const AUTHOR_BATCH: usize = 100;

impl Client {
    /// Gives each note's author the id `list_agents` knows the user by
    /// (`sys_user:<sys_id>`) and the user's name: the journal records only
    /// the author's login (`sys_created_by`). One `sys_user` request for
    /// all the notes; an author the API user may not read keeps the login
    /// as id and name.
    pub(super) async fn with_author_ids(&self, mut notes: Vec<Note>) -> Result<Vec<Note>> {
        let mut logins: Vec<String> = notes
            .iter()
            .filter_map(|n| n.author.as_ref().map(|a| a.id.to_string()))
            .collect();
        logins.sort();
        logins.dedup();
        if logins.is_empty() {
            return Ok(notes);
        }
        let q = Query::new()
            .and(Term::is_in("user_name", logins.iter().map(String::as_str)))
            .order_by("sys_id");
        let users: Result<Vec<Value>> = self
            .table("sys_user")
            .list()
            .query(q)
            .fields(["sys_id", "user_name", "name"])
            .stream()
            .try_collect()
            .await;
        let users = match users {
            Ok(u) => u,
            Err(e) if e.http_status().is_some_and(|s| s.as_u16() == 403) => return Ok(notes),
            Err(e) => return Err(e),
        };
        let by_login: HashMap<String, Ref> = users
            .iter()
            .filter_map(|u| {
                let login = field_text(u, "user_name")?;
                let id = record_id("sys_user", &field_text(u, "sys_id")?).ok()?;
                let name = field_text(u, "name").unwrap_or_else(|| login.clone());
                Some((login, Ref::named(id, name)))
            })
            .collect();
        for n in &mut notes {
            if let Some(r) = n
                .author
                .as_ref()
                .and_then(|a| by_login.get(&a.id.to_string()))
            {
                n.author = Some(r.clone());
            }
        }
        Ok(notes)
    }
}

pub(super) async fn add_note(c: &Client, ticket: &Id, note: NewNote) -> Result<Note> {
    let t = c.ticket_id(ticket)?;
    let rule = c.config().resolution_rule(t.table);
    let body = mapping::note_body(&note, &rule)?;
    let resp = c
        .table(t.table.as_str())
        .update(&t.sys_id, Value::Object(body))
        .fields(["sys_id", "sys_updated_on", "sys_updated_by"])
        .exclude_reference_link(true)
        // A note is never sent twice: a journal entry would be added twice,
        // and a resolution moves the record (business rules fire again).
        .customize(|o| o.idempotent(false))
        .send()
        .await?;
    let by = field_text(&resp, "sys_updated_by");
    if let Some(element) = mapping::journal_element(note.visibility) {
        if let Some(n) = read_back_note(c, &t, element, &note, by.as_deref()).await? {
            return single(c.with_author_ids(vec![n]).await?);
        }
    }
    // A resolution note (close_notes) has no record of its own; a journal
    // entry the user may not read back is addressed by its field.
    let field = mapping::journal_element(note.visibility).unwrap_or("close_notes");
    let mut n = Note::new(
        Id::text(format!("{t}:{field}"))?,
        t.to_id()?,
        note.body.clone(),
        note.visibility,
    );
    n.author = by.and_then(|u| Id::text(&u).ok().map(|id| Ref::named(id, u)));
    n.created_at = field_text(&resp, "sys_updated_on").and_then(|s| parse_glide_datetime(&s));
    n.raw = resp.into();
    single(c.with_author_ids(vec![n]).await?)
}

fn single(mut notes: Vec<Note>) -> Result<Note> {
    notes
        .pop()
        .ok_or_else(|| psa_core::Error::invalid_input("no note to map"))
}

/// The journal entry a note just wrote: the newest entries of `element` on
/// the record (by `by` when the query can name them), the first with the
/// note's text.
async fn read_back_note(
    c: &Client,
    t: &TicketId,
    element: &str,
    note: &NewNote,
    by: Option<&str>,
) -> Result<Option<Note>> {
    let base = Query::new()
        .eq("element_id", t.sys_id.as_str())
        .eq("element", element);
    let by_user = by.map(|u| base.clone().eq("sys_created_by", u));
    let query = match by_user {
        Some(q) if q.encode().is_ok() => q,
        _ => base,
    }
    .order_by_desc("sys_created_on")
    .order_by_desc("sys_id");
    let page = c
        .table("sys_journal_field")
        .list()
        .query(query)
        .fields(mapping::JOURNAL_FIELDS.iter().copied())
        .limit(10)
        .send()
        .await?;
    let ticket = t.to_id()?;
    for raw in page.items {
        let entry: JournalEntry = decode(&raw, "journal entry")?;
        if entry.value.as_ref().map(|v| v.value().trim()) == Some(note.body.trim()) {
            return mapping::note(&ticket, &entry, raw).map(Some);
        }
    }
    Ok(None)
}
