//! An agent's ticket work: triage a new ticket, and the voice agent that
//! opens a ticket for a caller.

use psa_core::{
    CompanyQuery, Contact, ContactQuery, Id, NewNote, NewTicket, NewTimeEntry, NoteVisibility, Psa,
    TicketPatch, TicketQuery, TimeEntryQuery,
};

use super::{
    Triaged, WORK, collect, must, notes_with, open_ticket, ref_id, stay_in_queue, triage_values,
    work_start,
};

/// Triage a new ticket: read it; move it to another queue (with
/// `move_queue`) with an open status of that queue and another priority —
/// without `move_queue`, another open status of its own queue and another
/// priority; add an internal note, a customer note and a time entry; then
/// read every effect back — the ticket's status, priority and queue; both
/// notes in the ticket's notes with their visibility; the time entry in the
/// ticket's time entries.
///
/// # Panics
/// When a step fails or an effect does not read back.
pub async fn triage(psa: &dyn Psa, move_queue: bool) -> Triaged {
    let vendor = psa.vendor();
    let listed = open_ticket(psa).await;
    let id = listed.id.clone();

    let ticket = must(vendor, "read the ticket", psa.get_ticket(&id)).await;
    assert_eq!(
        ticket.id, id,
        "{vendor}: get_ticket returned another ticket"
    );
    assert!(
        !ticket.summary.trim().is_empty(),
        "{vendor}: ticket {id} has no summary"
    );
    assert_ne!(ticket.closed, Some(true), "{vendor}: ticket {id} is closed");

    let mut values = triage_values(psa, &ticket).await;
    let mut patch = TicketPatch::new()
        .status(values.status.id.clone())
        .priority(values.priority.id.clone());
    if move_queue {
        patch = patch.queue(values.queue.id.clone());
    } else {
        values = stay_in_queue(psa, &ticket, values).await;
        patch = TicketPatch::new()
            .status(values.status.id.clone())
            .priority(values.priority.id.clone());
    }
    let updated = must(
        vendor,
        "update status, priority and queue",
        psa.update_ticket(&id, patch),
    )
    .await;
    for (what, got, want) in [
        ("status", ref_id(updated.status.as_ref()), &values.status.id),
        (
            "priority",
            ref_id(updated.priority.as_ref()),
            &values.priority.id,
        ),
        ("queue", ref_id(updated.queue.as_ref()), &values.queue.id),
    ] {
        assert_eq!(
            got,
            Some(want),
            "{vendor}: update_ticket returned the old {what}"
        );
    }
    let reread = must(vendor, "read the ticket back", psa.get_ticket(&id)).await;
    for (what, got, want) in [
        ("status", ref_id(reread.status.as_ref()), &values.status.id),
        (
            "priority",
            ref_id(reread.priority.as_ref()),
            &values.priority.id,
        ),
        ("queue", ref_id(reread.queue.as_ref()), &values.queue.id),
    ] {
        assert_eq!(got, Some(want), "{vendor}: the {what} did not persist");
    }

    let (internal, customer) = add_both_notes(psa, &id).await;
    let time_entry = log_time(psa, &id).await;
    Triaged {
        ticket: id,
        values,
        internal_note: internal,
        customer_note: customer,
        time_entry,
    }
}

/// Triage's notes: an internal and a customer note, each read back once
/// in the ticket's notes with its visibility. Returns their ids.
async fn add_both_notes(psa: &dyn Psa, id: &Id) -> (Id, Id) {
    let vendor = psa.vendor();
    let internal_text = format!("[conformance] triage: internal note on {id}");
    let internal = must(
        vendor,
        "add an internal note",
        psa.add_note(id, NewNote::internal(internal_text.clone())),
    )
    .await;
    assert_eq!(internal.visibility, NoteVisibility::Internal, "{vendor}");
    assert_eq!(
        &internal.ticket, id,
        "{vendor}: the note names another ticket"
    );
    let customer_text = format!("[conformance] triage: we are on it ({id})");
    let customer = must(
        vendor,
        "add a customer note",
        psa.add_note(id, NewNote::customer(customer_text.clone())),
    )
    .await;
    assert_eq!(customer.visibility, NoteVisibility::Customer, "{vendor}");
    for (text, note, visibility) in [
        (&internal_text, &internal, NoteVisibility::Internal),
        (&customer_text, &customer, NoteVisibility::Customer),
    ] {
        let found = notes_with(psa, id, text).await;
        assert_eq!(
            found.len(),
            1,
            "{vendor}: the {visibility:?} note is not in the ticket's notes exactly once: {found:?}"
        );
        assert_eq!(found[0].id, note.id, "{vendor}: listed note id differs");
        assert_eq!(
            found[0].visibility, visibility,
            "{vendor}: listed visibility differs"
        );
    }

    (internal.id, customer.id)
}

/// Triage's time entry: 15 minutes, read back in the ticket's time entries.
/// Returns its id.
async fn log_time(psa: &dyn Psa, id: &Id) -> Id {
    let vendor = psa.vendor();
    let entry = NewTimeEntry::new(id.clone(), work_start(), WORK).note("[conformance] triage");
    let logged = must(vendor, "log time", psa.create_time_entry(entry)).await;
    assert_eq!(
        logged.ticket.as_ref(),
        Some(id),
        "{vendor}: time entry ticket"
    );
    if let Some(d) = logged.duration {
        assert_eq!(d, WORK, "{vendor}: time entry duration");
    }
    let entries = collect(
        vendor,
        "list the ticket's time entries",
        psa.list_time_entries(TimeEntryQuery::ticket(id.clone())),
    )
    .await;
    let listed = entries
        .iter()
        .find(|e| e.id == logged.id)
        .unwrap_or_else(|| {
            panic!(
                "{vendor}: time entry {} is not in the ticket's time entries: {entries:?}",
                logged.id
            )
        });
    if let Some(d) = listed.duration {
        assert_eq!(d, WORK, "{vendor}: listed time entry duration");
    }

    logged.id
}

/// A contact the simulator knows, with a first and last name and a company:
/// the first such contact of the first companies listed.
///
/// # Panics
/// When the searches fail or find no such contact.
pub async fn known_contact(psa: &dyn Psa) -> Contact {
    contact_where(psa, 20, "has a named contact", |c| {
        c.first_name
            .as_deref()
            .is_some_and(|n| !n.trim().is_empty())
            && c.last_name.as_deref().is_some_and(|n| !n.trim().is_empty())
            && c.company.is_some()
    })
    .await
}

/// The first contact for which `wanted` holds, among the first
/// `per_company` contacts of each of the first 20 companies listed.
///
/// # Panics
/// When the searches fail or no company `has` such a contact.
pub(super) async fn contact_where(
    psa: &dyn Psa,
    per_company: u64,
    has: &str,
    wanted: impl Fn(&Contact) -> bool,
) -> Contact {
    let vendor = psa.vendor();
    let companies = collect(
        vendor,
        "list companies",
        psa.search_companies(CompanyQuery::all().limit(20)),
    )
    .await;
    for company in companies {
        let contacts = collect(
            vendor,
            "list a company's contacts",
            psa.search_contacts(ContactQuery::company(company.id.clone()).limit(per_company)),
        )
        .await;
        if let Some(c) = contacts.into_iter().find(|c| wanted(c)) {
            return c;
        }
    }
    panic!("{vendor}: no company {has}");
}

/// What [`voice_agent`] did.
#[derive(Debug, Clone)]
pub struct Opened {
    /// The contact found by name.
    pub contact: Id,
    /// Their company.
    pub company: Id,
    /// The ticket opened.
    pub ticket: Id,
    /// Its first note.
    pub note: Id,
}

/// The voice-agent flow: a caller gives their name; find the contact by
/// name; open a ticket for them (their company, them as the contact) with a
/// first note; then read back the ticket (contact, company, open), the note
/// in its notes, and the ticket in the contact's open tickets.
///
/// # Panics
/// When a step fails or an effect does not read back.
pub async fn voice_agent(psa: &dyn Psa) -> Opened {
    let vendor = psa.vendor();
    let known = known_contact(psa).await;
    let spoken = format!(
        "{} {}",
        known.first_name.as_deref().unwrap_or_default(),
        known.last_name.as_deref().unwrap_or_default()
    );
    let found = collect(
        vendor,
        "search contacts by name",
        psa.search_contacts(ContactQuery::name(spoken.clone())),
    )
    .await;
    let contact = found
        .into_iter()
        .find(|c| c.id == known.id)
        .unwrap_or_else(|| {
            panic!(
                "{vendor}: searching {spoken:?} did not find contact {}",
                known.id
            )
        });
    let company = contact
        .company
        .clone()
        .unwrap_or_else(|| {
            panic!(
                "{vendor}: contact {} found by name has no company",
                contact.id
            )
        })
        .id;

    let summary = format!("Phone call: {spoken} cannot print");
    let new = NewTicket::new(summary.clone(), company.clone())
        .contact(contact.id.clone())
        .description("Opened by the voice agent from a phone call.");
    let created = must(
        vendor,
        "open a ticket for the caller",
        psa.create_ticket(new),
    )
    .await;
    assert_eq!(created.summary, summary, "{vendor}: summary");
    let first_note = format!("[conformance] call transcript: {spoken} says the printer is offline");
    let note = must(
        vendor,
        "add the first note",
        psa.add_note(&created.id, NewNote::internal(first_note.clone())),
    )
    .await;

    let ticket = must(vendor, "read the new ticket", psa.get_ticket(&created.id)).await;
    assert_eq!(
        ref_id(ticket.contact.as_ref()),
        Some(&contact.id),
        "{vendor}: contact"
    );
    assert_eq!(
        ref_id(ticket.company.as_ref()),
        Some(&company),
        "{vendor}: company"
    );
    assert_ne!(
        ticket.closed,
        Some(true),
        "{vendor}: the new ticket is closed"
    );
    let notes = notes_with(psa, &created.id, &first_note).await;
    assert_eq!(
        notes.len(),
        1,
        "{vendor}: the first note reads back once: {notes:?}"
    );
    assert_eq!(notes[0].id, note.id, "{vendor}: listed note id");
    let theirs = collect(
        vendor,
        "list the contact's open tickets",
        psa.list_tickets(TicketQuery::open().contact(contact.id.clone())),
    )
    .await;
    assert!(
        theirs.iter().any(|t| t.id == created.id),
        "{vendor}: the new ticket is not among the contact's open tickets"
    );
    Opened {
        contact: contact.id,
        company,
        ticket: created.id,
        note: note.id,
    }
}
