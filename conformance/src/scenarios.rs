//! The agent scenarios, written once against `dyn Psa`.
//!
//! Each scenario picks its records and values through the uniform trait —
//! an open ticket from a listing, a status, priority and queue from the
//! vendor's look-ups, a contact from a company's contacts — so that nothing
//! vendor-specific is hard-coded. Each asserts what a caller relies on and
//! panics, naming the vendor and the step, when a vendor does not conform;
//! a vendor error at any step is a failure too.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use futures::TryStreamExt;
use psa_core::{
    CompanyQuery, ConfigurationQuery, Contact, ContactQuery, ErrorKind, Id, LookupItem,
    LookupScope, NewNote, NewTicket, NewTimeEntry, Note, NoteVisibility, Operation, Psa, Ref,
    Result, Ticket, TicketPatch, TicketQuery, TimeEntryQuery, Vendor, WebhookDelivery,
};

/// Awaits a vendor call; a failure is a panic naming the vendor and the step.
///
/// # Panics
/// When the call fails.
pub async fn must<T>(vendor: Vendor, step: &str, call: impl Future<Output = Result<T>>) -> T {
    match call.await {
        Ok(v) => v,
        Err(e) => panic!("{vendor}: {step} failed: {e} ({e:?})"),
    }
}

/// Collects a listing; a failure is a panic naming the vendor and the step.
///
/// # Panics
/// When the listing fails.
pub async fn collect<T>(
    vendor: Vendor,
    step: &str,
    stream: futures::stream::BoxStream<'_, Result<T>>,
) -> Vec<T> {
    must(vendor, step, stream.try_collect()).await
}

fn ref_id(r: Option<&Ref>) -> Option<&Id> {
    r.map(|r| &r.id)
}

/// The first of `items` that is usable (not inactive, not a closed status)
/// and is not `current`, preferring one whose name contains `prefer`.
fn pick<'a>(
    items: &'a [LookupItem],
    current: Option<&Id>,
    prefer: Option<&str>,
) -> Option<&'a LookupItem> {
    let usable: Vec<&LookupItem> = items
        .iter()
        .filter(|i| i.active != Some(false) && i.closed != Some(true))
        .filter(|i| Some(&i.id) != current)
        .collect();
    prefer
        .and_then(|p| {
            usable
                .iter()
                .find(|i| i.name.to_ascii_lowercase().contains(p))
                .copied()
        })
        .or_else(|| usable.first().copied())
}

/// An open ticket to work on: one in a "New" status when there is one,
/// else the first open ticket listed.
///
/// # Panics
/// When the listing fails or finds no open ticket.
pub async fn open_ticket(psa: &dyn Psa) -> Ticket {
    let vendor = psa.vendor();
    let open = collect(
        vendor,
        "list open tickets",
        psa.list_tickets(TicketQuery::open().limit(50)),
    )
    .await;
    assert!(
        !open.is_empty(),
        "{vendor}: the simulator has no open ticket"
    );
    assert!(
        open.iter().all(|t| t.closed != Some(true)),
        "{vendor}: an open-ticket listing returned a closed ticket"
    );
    let is_new = |t: &&Ticket| {
        t.status
            .as_ref()
            .and_then(|s| s.name.as_deref())
            .is_some_and(|n| n.eq_ignore_ascii_case("new"))
    };
    let chosen = open.iter().find(is_new).unwrap_or(&open[0]);
    chosen.clone()
}

/// Valid triage values for `ticket`, from the vendor's look-ups: another
/// queue, an open status of that queue ("in progress" when there is one),
/// another priority.
#[derive(Debug, Clone)]
pub struct TriageValues {
    /// The queue / board / assignment group to move the ticket to.
    pub queue: LookupItem,
    /// The status to set (valid on that queue).
    pub status: LookupItem,
    /// The priority to set.
    pub priority: LookupItem,
}

/// The statuses a ticket on `queue` may take: `list_statuses` scoped to the
/// queue. A vendor that does not scope statuses by queue ignores the scope
/// (HaloPSA, Autotask and ServiceNow), as [`LookupScope`] documents;
/// [`statuses_accept_a_queue_scope`] asserts it.
///
/// # Panics
/// When the look-up fails.
pub async fn statuses_of_queue(psa: &dyn Psa, queue: &Id) -> Vec<LookupItem> {
    let vendor = psa.vendor();
    match psa.list_statuses(LookupScope::queue(queue.clone())).await {
        Ok(s) => s,
        Err(e) => panic!("{vendor}: list statuses of queue {queue} failed: {e} ({e:?})"),
    }
}

/// `list_statuses(LookupScope::queue(q))` works for a queue `q` of
/// `list_queues()`: generic code (an agent picking a status for the queue
/// it moves a ticket to) cannot know which vendors scope statuses by queue,
/// so a vendor that does not should ignore the scope, as the trait's
/// "per queue / board where the vendor scopes them" says. Returns the
/// statuses.
///
/// # Panics
/// When the look-up fails or returns nothing.
pub async fn statuses_accept_a_queue_scope(psa: &dyn Psa) -> Vec<LookupItem> {
    let vendor = psa.vendor();
    let queues = must(vendor, "list queues", psa.list_queues()).await;
    let queue = queues
        .first()
        .unwrap_or_else(|| panic!("{vendor}: no queue"));
    let statuses = must(
        vendor,
        "list the statuses of a queue",
        psa.list_statuses(LookupScope::queue(queue.id.clone())),
    )
    .await;
    assert!(
        !statuses.is_empty(),
        "{vendor}: queue {} has no status",
        queue.id
    );
    statuses
}

/// Picks [`TriageValues`] for `ticket` through the look-ups.
///
/// # Panics
/// When a look-up fails or offers no usable value other than the ticket's.
pub async fn triage_values(psa: &dyn Psa, ticket: &Ticket) -> TriageValues {
    let vendor = psa.vendor();
    let queues = must(vendor, "list queues", psa.list_queues()).await;
    let queue = pick(&queues, ref_id(ticket.queue.as_ref()), None)
        .unwrap_or_else(|| panic!("{vendor}: no queue other than the ticket's: {queues:?}"))
        .clone();
    let statuses = statuses_of_queue(psa, &queue.id).await;
    let status = pick(&statuses, ref_id(ticket.status.as_ref()), Some("progress"))
        .unwrap_or_else(|| panic!("{vendor}: no open status to set: {statuses:?}"))
        .clone();
    let priorities = must(vendor, "list priorities", psa.list_priorities()).await;
    let priority = pick(&priorities, ref_id(ticket.priority.as_ref()), None)
        .unwrap_or_else(|| panic!("{vendor}: no priority other than the ticket's: {priorities:?}"))
        .clone();
    TriageValues {
        queue,
        status,
        priority,
    }
}

/// The notes of a ticket whose body contains `marker`.
///
/// # Panics
/// When the listing fails.
pub async fn notes_with(psa: &dyn Psa, ticket: &Id, marker: &str) -> Vec<Note> {
    let vendor = psa.vendor();
    collect(vendor, "list notes", psa.list_notes(ticket))
        .await
        .into_iter()
        .filter(|n| n.body.contains(marker))
        .collect()
}

/// `values` with the ticket's own queue and an open status of it (another
/// than the ticket's, "in progress" when there is one).
async fn stay_in_queue(psa: &dyn Psa, ticket: &Ticket, values: TriageValues) -> TriageValues {
    let vendor = psa.vendor();
    let Some(queue) = ticket.queue.clone() else {
        panic!("{vendor}: ticket {} has no queue", ticket.id);
    };
    let queues = must(vendor, "list queues", psa.list_queues()).await;
    let queue = queues
        .into_iter()
        .find(|q| q.id == queue.id)
        .unwrap_or_else(|| panic!("{vendor}: the ticket's queue {} is not listed", queue.id));
    let statuses = statuses_of_queue(psa, &queue.id).await;
    let status = pick(&statuses, ref_id(ticket.status.as_ref()), Some("progress"))
        .unwrap_or_else(|| panic!("{vendor}: no open status to set: {statuses:?}"))
        .clone();
    TriageValues {
        queue,
        status,
        ..values
    }
}

/// What [`triage`] did.
#[derive(Debug, Clone)]
pub struct Triaged {
    /// The ticket triaged.
    pub ticket: Id,
    /// The values set.
    pub values: TriageValues,
    /// The internal note added.
    pub internal_note: Id,
    /// The customer note added.
    pub customer_note: Id,
    /// The time entry logged.
    pub time_entry: Id,
}

/// A fixed start for time entries (a Monday morning), so that runs and
/// plans are reproducible.
pub fn work_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0)
        .single()
        .unwrap_or_else(Utc::now)
}

/// The time the scenarios log.
pub const WORK: Duration = Duration::from_secs(15 * 60);

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
async fn contact_where(
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

/// List a company's configurations: find a company that has some (from a
/// listing of configurations), list that company's configurations, check
/// every one belongs to it and the first is among them, and read that one.
/// Returns the company and how many configurations it has.
///
/// # Panics
/// When a step fails or the filter does not hold.
pub async fn company_configurations(psa: &dyn Psa) -> (Id, usize) {
    let vendor = psa.vendor();
    let some = collect(
        vendor,
        "list configurations",
        psa.list_configurations(ConfigurationQuery::default().limit(100)),
    )
    .await;
    let sample = some
        .iter()
        .find(|c| c.company.is_some())
        .unwrap_or_else(|| panic!("{vendor}: no configuration belongs to a company"))
        .clone();
    let company = sample
        .company
        .clone()
        .map_or_else(|| unreachable!("found by its company"), |c| c.id);
    let theirs = collect(
        vendor,
        "list a company's configurations",
        psa.list_configurations(ConfigurationQuery::company(company.clone())),
    )
    .await;
    assert_found(
        vendor,
        &format!("company {company}'s configurations"),
        &theirs,
        |c| &c.id,
        &sample.id,
        |c| {
            (ref_id(c.company.as_ref()) != Some(&company))
                .then(|| format!("a configuration of {:?}", c.company))
        },
    );
    let one = must(
        vendor,
        "read a configuration",
        psa.get_configuration(&sample.id),
    )
    .await;
    assert_eq!(one.id, sample.id, "{vendor}: get_configuration id");
    assert_eq!(one.name, sample.name, "{vendor}: get_configuration name");
    (company, theirs.len())
}

/// What [`merge`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged {
    /// The vendor merged `from` into `into`.
    Merged {
        /// The surviving ticket.
        into: Id,
        /// The ticket merged into it.
        from: Id,
    },
    /// The vendor cannot merge; the error and `capabilities()` gave this reason.
    Unsupported(String),
}

/// Merge two tickets where the vendor can, else check that it says so the
/// same way twice.
///
/// Supported (`capabilities()` says so): open two tickets for one company,
/// merge the second into the first, and read back the second as closed
/// (and, when the vendor reports it, merged into the first) and the first
/// still open. Unsupported: `merge_tickets` fails with `Unsupported` for
/// this vendor, with exactly the reason `capabilities()` gives, and — when
/// `requests` counts the simulator's requests — without sending any.
///
/// # Panics
/// When a step fails or the vendor's answer and its capabilities disagree.
pub async fn merge(psa: &dyn Psa, requests: Option<&dyn Fn() -> u64>) -> Merged {
    let vendor = psa.vendor();
    let caps = psa.capabilities();
    let base = open_ticket(psa).await;
    if !caps.supports(Operation::MergeTickets) {
        let other = collect(
            vendor,
            "list open tickets",
            psa.list_tickets(TicketQuery::open().limit(10)),
        )
        .await
        .into_iter()
        .find(|t| t.id != base.id)
        .unwrap_or_else(|| panic!("{vendor}: needs two open tickets"));
        let before = requests.map(|r| r());
        let err = psa
            .merge_tickets(&base.id, &[other.id])
            .await
            .expect_err("capabilities() says merge is unsupported, yet it succeeded");
        assert_eq!(err.kind(), ErrorKind::Unsupported, "{vendor}: {err}");
        assert_eq!(
            err.vendor(),
            Some(vendor),
            "{vendor}: the error names its vendor"
        );
        let reason = caps.reason(Operation::MergeTickets).unwrap_or_default();
        assert_eq!(
            err.message(),
            reason,
            "{vendor}: the error and capabilities() give different reasons"
        );
        if let (Some(r), Some(before)) = (requests, before) {
            assert_eq!(r(), before, "{vendor}: an unsupported merge sent a request");
        }
        return Merged::Unsupported(reason.to_owned());
    }
    let company = base
        .company
        .clone()
        .unwrap_or_else(|| panic!("{vendor}: ticket {} has no company", base.id))
        .id;
    let into = must(
        vendor,
        "open the surviving ticket",
        psa.create_ticket(NewTicket::new(
            "Outlook keeps asking for a password",
            company.clone(),
        )),
    )
    .await;
    let from = must(
        vendor,
        "open the duplicate",
        psa.create_ticket(NewTicket::new(
            "Outlook password prompt (duplicate)",
            company,
        )),
    )
    .await;
    must(
        vendor,
        "merge the duplicate",
        psa.merge_tickets(&into.id, std::slice::from_ref(&from.id)),
    )
    .await;
    let merged = must(vendor, "read the merged ticket", psa.get_ticket(&from.id)).await;
    assert_eq!(
        merged.closed,
        Some(true),
        "{vendor}: the merged ticket is not closed"
    );
    if let Some(m) = &merged.merged_into {
        assert_eq!(m, &into.id, "{vendor}: merged into another ticket");
    }
    let kept = must(
        vendor,
        "read the surviving ticket",
        psa.get_ticket(&into.id),
    )
    .await;
    assert_ne!(
        kept.closed,
        Some(true),
        "{vendor}: the surviving ticket was closed"
    );
    Merged::Merged {
        into: into.id,
        from: from.id,
    }
}

/// What [`incremental_sync`] saw.
#[derive(Debug, Clone)]
pub struct Synced {
    /// Tickets the full sync listed.
    pub full: usize,
    /// The checkpoint: the newest `updated_at` of the full sync.
    pub checkpoint: DateTime<Utc>,
    /// The ticket changed after the checkpoint.
    pub changed: Id,
    /// Tickets the incremental sync listed.
    pub incremental: usize,
}

/// A sync service's loop: a full listing sets a checkpoint (the newest
/// `updated_at`); after a ticket changes, a listing `updated_since` the
/// checkpoint returns that ticket with its new summary, the tickets updated
/// at the checkpoint itself ("at or after"), and no older ticket.
///
/// # Panics
/// When a step fails, a ticket has no `updated_at`, or the incremental
/// listing misses the change or ignores its filter.
pub async fn incremental_sync(psa: &dyn Psa) -> Synced {
    let vendor = psa.vendor();
    let all = collect(vendor, "full sync", psa.list_tickets(TicketQuery::any())).await;
    assert!(all.len() > 2, "{vendor}: the simulator has too few tickets");
    if let Some(t) = all.iter().find(|t| t.updated_at.is_none()) {
        panic!("{vendor}: listed ticket {} has no updated_at", t.id);
    }
    let checkpoint = all
        .iter()
        .filter_map(|t| t.updated_at)
        .max()
        .unwrap_or_else(|| panic!("{vendor}: no updated_at"));
    let oldest = all.iter().filter_map(|t| t.updated_at).min();
    assert!(
        oldest < Some(checkpoint),
        "{vendor}: every ticket has the same updated_at, so a filter cannot be seen"
    );
    // Vendors compare at whole seconds: a change in the checkpoint's own
    // second could compare equal, so it comes a second later at least.
    let wait = (checkpoint + chrono::Duration::milliseconds(1_100)) - Utc::now();
    if let Ok(wait) = wait.to_std() {
        tokio::time::sleep(wait).await;
    }

    let target = open_ticket(psa).await;
    // Within the shortest summary limit of the four (100 characters).
    let head: String = target.summary.trim().chars().take(90).collect();
    let summary = format!("{head} (synced)");
    must(
        vendor,
        "change a ticket's summary",
        psa.update_ticket(&target.id, TicketPatch::new().summary(summary.clone())),
    )
    .await;

    let since = collect(
        vendor,
        "incremental sync",
        psa.list_tickets(TicketQuery::any().updated_since(checkpoint)),
    )
    .await;
    let Some(changed) = since.iter().find(|t| t.id == target.id) else {
        panic!(
            "{vendor}: the incremental sync since {checkpoint} missed ticket {} (listed {:?})",
            target.id,
            since.iter().map(|t| &t.id).collect::<Vec<_>>()
        );
    };
    assert_eq!(
        changed.summary, summary,
        "{vendor}: the incremental sync has the old summary"
    );
    assert!(
        changed.updated_at > Some(checkpoint),
        "{vendor}: the changed ticket's updated_at {:?} is not after the checkpoint {checkpoint}",
        changed.updated_at
    );
    let second = chrono::Duration::seconds(1);
    for t in &since {
        let at = t
            .updated_at
            .unwrap_or_else(|| panic!("{vendor}: ticket {} has no updated_at", t.id));
        assert!(
            at + second > checkpoint,
            "{vendor}: ticket {} updated at {at} is listed as updated since {checkpoint}",
            t.id
        );
    }
    // "At or after": the tickets updated at the checkpoint itself are
    // listed again (a sync keys its records by id, so that is harmless).
    for t in all
        .iter()
        .filter(|t| t.updated_at == Some(checkpoint) && t.id != target.id)
    {
        assert!(
            since.iter().any(|s| s.id == t.id),
            "{vendor}: ticket {} updated at the checkpoint {checkpoint} is not listed as updated since it",
            t.id
        );
    }
    assert!(
        since.len() < all.len(),
        "{vendor}: updated_since({checkpoint}) listed {} of {} tickets",
        since.len(),
        all.len()
    );
    Synced {
        full: all.len(),
        checkpoint,
        changed: target.id,
        incremental: since.len(),
    }
}

/// A dispatch bot's "what came in since I last looked": after a ticket is
/// opened, `list_tickets(any().created_since(t))`, with `t` the newest
/// `created_at` before it, lists the new ticket and no ticket created
/// earlier. Returns the new ticket's id and how many were listed.
///
/// # Panics
/// When a step fails, a listed ticket has no `created_at`, or the listing
/// misses the new ticket or ignores its filter.
pub async fn new_since(psa: &dyn Psa) -> (Id, usize) {
    let vendor = psa.vendor();
    let all = collect(
        vendor,
        "list every ticket",
        psa.list_tickets(TicketQuery::any()),
    )
    .await;
    if let Some(t) = all.iter().find(|t| t.created_at.is_none()) {
        panic!("{vendor}: listed ticket {} has no created_at", t.id);
    }
    let newest = all
        .iter()
        .filter_map(|t| t.created_at)
        .max()
        .unwrap_or_else(|| panic!("{vendor}: no created_at"));
    // A second past the newest, as vendors compare at whole seconds.
    let wait = (newest + chrono::Duration::milliseconds(1_100)) - Utc::now();
    if let Ok(wait) = wait.to_std() {
        tokio::time::sleep(wait).await;
    }
    let company = open_ticket(psa)
        .await
        .company
        .unwrap_or_else(|| panic!("{vendor}: an open ticket has no company"))
        .id;
    let since = newest + chrono::Duration::seconds(1);
    let opened = must(
        vendor,
        "open a ticket",
        psa.create_ticket(NewTicket::new("Scanner offline at reception", company)),
    )
    .await;
    let listed = collect(
        vendor,
        "list tickets created since",
        psa.list_tickets(TicketQuery::any().created_since(since)),
    )
    .await;
    assert!(
        listed.iter().any(|t| t.id == opened.id),
        "{vendor}: created_since({since}) missed the new ticket {}",
        opened.id
    );
    for t in &listed {
        let at = t
            .created_at
            .unwrap_or_else(|| panic!("{vendor}: ticket {} has no created_at", t.id));
        assert!(
            at + chrono::Duration::seconds(1) > since,
            "{vendor}: ticket {} created at {at} is listed as created since {since}",
            t.id
        );
    }
    (opened.id, listed.len())
}

/// Asserts what a search (`search`, as the panic names it) returned: the
/// record `want` is among `found`, and every record of `found` matches —
/// `mismatch` gives `None` for a match, or says how the record differs.
///
/// # Panics
/// When `want` is missing or a record does not match.
fn assert_found<T>(
    vendor: Vendor,
    search: &str,
    found: &[T],
    id: impl Fn(&T) -> &Id,
    want: &Id,
    mismatch: impl Fn(&T) -> Option<String>,
) {
    assert!(
        found.iter().any(|r| id(r) == want),
        "{vendor}: {search} missed {want}"
    );
    for r in found {
        if let Some(why) = mismatch(r) {
            panic!("{vendor}: {search} returned {}: {why}", id(r));
        }
    }
}

/// The longest word of `text` (letters and digits) of at least `min`
/// characters: a search term every vendor's text search matches.
fn longest_word(text: &str, min: usize) -> Option<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= min)
        .max_by_key(|w| w.chars().count())
}

/// One filter of [`filters_narrow_a_listing`] and what it saw.
#[derive(Debug, Clone)]
pub struct Narrowed {
    /// The filter (`company`, `queue` …).
    pub filter: &'static str,
    /// The value filtered on (an id, or the word searched for).
    pub value: String,
    /// Tickets of the unfiltered listing with that value (for free text:
    /// the one ticket the word was taken from, which must be among those
    /// listed).
    pub expected: usize,
    /// Tickets the filtered listing returned.
    pub listed: usize,
}

type Field = fn(&Ticket) -> Option<&Id>;

/// Every ticket filter of the uniform query, on the value most tickets
/// share: the filtered listing returns exactly the tickets of the
/// unfiltered listing that have that value (none missing, none extra), as
/// the mapped tickets report it. Free text must find the ticket whose
/// summary the word came from.
///
/// # Panics
/// When a listing fails or a filter returns other tickets than expected.
pub async fn filters_narrow_a_listing(psa: &dyn Psa) -> Vec<Narrowed> {
    let vendor = psa.vendor();
    let all = collect(
        vendor,
        "list every ticket",
        psa.list_tickets(TicketQuery::any()),
    )
    .await;
    let fields: [(&'static str, Field); 6] = [
        ("company", |t| ref_id(t.company.as_ref())),
        ("contact", |t| ref_id(t.contact.as_ref())),
        ("owner", |t| ref_id(t.owner.as_ref())),
        ("queue", |t| ref_id(t.queue.as_ref())),
        ("status", |t| ref_id(t.status.as_ref())),
        ("priority", |t| ref_id(t.priority.as_ref())),
    ];
    let mut seen = Vec::new();
    for (filter, field) in fields {
        // The value most tickets share.
        let mut counts: Vec<(&Id, usize)> = Vec::new();
        for id in all.iter().filter_map(field) {
            match counts.iter_mut().find(|(v, _)| *v == id) {
                Some((_, n)) => *n += 1,
                None => counts.push((id, 1)),
            }
        }
        let Some((value, _)) = counts.iter().max_by_key(|(_, n)| *n) else {
            panic!("{vendor}: no listed ticket has a {filter}");
        };
        let value = (*value).clone();
        let query = TicketQuery::any();
        let query = match filter {
            "company" => query.company(value.clone()),
            "contact" => query.contact(value.clone()),
            "owner" => query.owner(value.clone()),
            "queue" => query.queue(value.clone()),
            "status" => query.status(value.clone()),
            _ => query.priority(value.clone()),
        };
        let listed = collect(vendor, filter, psa.list_tickets(query)).await;
        let mut want: Vec<&Id> = all
            .iter()
            .filter(|t| field(t) == Some(&value))
            .map(|t| &t.id)
            .collect();
        let mut got: Vec<&Id> = listed.iter().map(|t| &t.id).collect();
        want.sort_by_key(ToString::to_string);
        got.sort_by_key(ToString::to_string);
        assert_eq!(
            got, want,
            "{vendor}: list_tickets filtered on {filter} = {value} returned other tickets than those with that {filter}"
        );
        seen.push(Narrowed {
            filter,
            value: value.to_string(),
            expected: want.len(),
            listed: got.len(),
        });
    }

    // Free text: the longest word of a ticket's summary finds the ticket.
    let (ticket, word) = all
        .iter()
        .find_map(|t| longest_word(&t.summary, 5).map(|w| (t, w.to_owned())))
        .unwrap_or_else(|| panic!("{vendor}: no summary has a word of 5 letters"));
    let listed = collect(
        vendor,
        "text",
        psa.list_tickets(TicketQuery::any().text(word.clone())),
    )
    .await;
    assert!(
        listed.iter().any(|t| t.id == ticket.id),
        "{vendor}: searching {word:?} did not find ticket {} ({:?})",
        ticket.id,
        ticket.summary
    );
    assert!(
        listed.len() < all.len(),
        "{vendor}: searching {word:?} listed every ticket"
    );
    seen.push(Narrowed {
        filter: "text",
        value: word,
        expected: 1,
        listed: listed.len(),
    });
    seen
}

/// `limit(n)` on a listing: the first `n` tickets of the unlimited listing,
/// in the same order, all of them when there are fewer; and a listing
/// limited to one ticket costs one request (after the client's first call
/// has fetched its token and look-ups). Returns the unlimited count.
///
/// # Panics
/// When a listing fails, returns other tickets than the unlimited
/// listing's first `n`, or a one-ticket listing sends more than one request.
pub async fn limits_stop_early(psa: &dyn Psa, requests: &dyn Fn() -> u64) -> usize {
    let vendor = psa.vendor();
    let all = collect(
        vendor,
        "list every ticket",
        psa.list_tickets(TicketQuery::any()),
    )
    .await;
    let ids = |v: &[Ticket]| v.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
    for n in [1, 3, all.len(), all.len() + 5] {
        let before = requests();
        let limited = collect(
            vendor,
            "list with a limit",
            psa.list_tickets(TicketQuery::any().limit(n as u64)),
        )
        .await;
        let sent = requests() - before;
        assert_eq!(
            ids(&limited),
            ids(&all[..n.min(all.len())]),
            "{vendor}: limit({n}) is not the first {n} of the unlimited listing"
        );
        if n == 1 {
            assert_eq!(sent, 1, "{vendor}: limit(1) sent {sent} requests");
        }
    }
    all.len()
}

/// What [`finds_a_caller`] searched with.
#[derive(Debug, Clone)]
pub struct CallerSearch {
    /// The contact searched for.
    pub contact: Id,
    /// The email, as typed (upper case).
    pub email: String,
    /// The phone number, as typed (its digits regrouped).
    pub phone: String,
    /// Contacts found by email and by phone.
    pub found: (usize, usize),
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The voice agent's other two ways to find a caller: by email typed in
/// another case, and by the caller id's number formatted differently from
/// the stored one. Both find the contact; every contact the email search
/// returns has that email, and every contact the phone search returns has
/// a phone or mobile number ending in the same last four digits.
///
/// # Panics
/// When a search fails, misses the contact or returns a contact that does
/// not match.
pub async fn finds_a_caller(psa: &dyn Psa) -> CallerSearch {
    let vendor = psa.vendor();
    let contact = contact_where(psa, 50, "has a contact with an email and a phone", |c| {
        c.email.as_deref().is_some_and(|e| e.contains('@'))
            && c.phone.as_deref().is_some_and(|p| digits(p).len() >= 7)
    })
    .await;
    let email = contact.email.clone().unwrap_or_default().to_uppercase();
    // The same digits, grouped in threes with spaces and a leading "+":
    // not how any simulator stores them.
    let stored = digits(contact.phone.as_deref().unwrap_or_default());
    let grouped: Vec<String> = stored
        .as_bytes()
        .chunks(3)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let phone = format!("+{}", grouped.join(" "));

    let by_email = collect(
        vendor,
        "find a contact by email",
        psa.search_contacts(ContactQuery::email(email.clone())),
    )
    .await;
    assert_found(
        vendor,
        &format!("searching {email:?}"),
        &by_email,
        |c| &c.id,
        &contact.id,
        |c| {
            (!c.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&email)))
            .then(|| format!("a contact with email {:?}", c.email))
        },
    );

    let by_phone = collect(
        vendor,
        "find a contact by phone",
        psa.search_contacts(ContactQuery::phone(phone.clone())),
    )
    .await;
    let tail = &stored[stored.len() - 4..];
    assert_found(
        vendor,
        &format!("searching {phone:?} (stored {:?})", contact.phone),
        &by_phone,
        |c| &c.id,
        &contact.id,
        |c| {
            let numbers = [c.phone.as_deref(), c.mobile.as_deref()];
            (!numbers.iter().flatten().any(|n| digits(n).ends_with(tail)))
                .then(|| format!("a contact with {numbers:?}"))
        },
    );
    CallerSearch {
        contact: contact.id,
        email,
        phone,
        found: (by_email.len(), by_phone.len()),
    }
}

/// What [`companies_by_name`] saw: active companies, all companies, and
/// how many a word of one name found.
#[derive(Debug, Clone)]
pub struct CompanySearch {
    /// Active companies listed.
    pub active: usize,
    /// Companies listed with `include_inactive`.
    pub all: usize,
    /// The word searched for (in lower case).
    pub word: String,
    /// Companies it found.
    pub found: usize,
}

/// Company search: the default listing holds no inactive company and is a
/// subset of the listing with `include_inactive`; a word of a company's
/// name, in lower case, finds that company, and every company it finds has
/// the word in its name (any case).
///
/// # Panics
/// When a search fails or returns a company that does not match.
pub async fn companies_by_name(psa: &dyn Psa) -> CompanySearch {
    let vendor = psa.vendor();
    let active = collect(
        vendor,
        "list active companies",
        psa.search_companies(CompanyQuery::all()),
    )
    .await;
    let all = collect(
        vendor,
        "list every company",
        psa.search_companies(CompanyQuery::all().include_inactive()),
    )
    .await;
    for c in &active {
        assert_ne!(
            c.active,
            Some(false),
            "{vendor}: company {} is inactive but listed without include_inactive",
            c.id
        );
        assert!(
            all.iter().any(|a| a.id == c.id),
            "{vendor}: company {} is missing when inactive ones are included",
            c.id
        );
    }
    if all.iter().any(|c| c.active == Some(false)) {
        assert!(
            all.len() > active.len(),
            "{vendor}: include_inactive added nothing"
        );
    }
    let (company, word) = active
        .iter()
        .find_map(|c| longest_word(&c.name, 4).map(|w| (c, w.to_lowercase())))
        .unwrap_or_else(|| panic!("{vendor}: no company name has a word of 4 letters"));
    let found = collect(
        vendor,
        "find a company by a word of its name",
        psa.search_companies(CompanyQuery::name(word.clone())),
    )
    .await;
    assert_found(
        vendor,
        &format!("searching {word:?} (from {:?})", company.name),
        &found,
        |c| &c.id,
        &company.id,
        |c| {
            (!c.name.to_lowercase().contains(&word))
                .then(|| format!("a company named {:?}", c.name))
        },
    );
    CompanySearch {
        active: active.len(),
        all: all.len(),
        word,
        found: found.len(),
    }
}

/// A dispatch bot's webhook handler: a delivery of an update to an open
/// ticket, as the vendor sends it, parses to events of that ticket whose id
/// `get_ticket` reads back; the same body without credentials is a
/// `Webhook` error.
///
/// # Panics
/// When parsing fails, names another ticket, or accepts the unauthenticated
/// delivery.
pub async fn webhook_names_a_readable_ticket(sim: &crate::Sim) -> Id {
    let psa = sim.psa();
    let vendor = psa.vendor();
    let ticket = open_ticket(psa.as_ref()).await;
    let ticket = must(vendor, "read the ticket", psa.get_ticket(&ticket.id)).await;
    let (hooked, delivery) = sim.ticket_delivery(&ticket).await;
    let events = must(vendor, "parse a delivery", hooked.parse_webhook(&delivery)).await;
    assert!(!events.is_empty(), "{vendor}: a delivery gave no event");
    for e in &events {
        assert_eq!(
            e.ticket, ticket.id,
            "{vendor}: the event names another ticket"
        );
    }
    let read = must(
        vendor,
        "read the event's ticket",
        hooked.get_ticket(&events[0].ticket),
    )
    .await;
    assert_eq!(
        read.summary, ticket.summary,
        "{vendor}: another ticket read"
    );

    let unsigned = WebhookDelivery::new(http::HeaderMap::new(), delivery.body.clone());
    match hooked.parse_webhook(&unsigned).await {
        Err(e) if e.is_webhook() => {}
        other => panic!("{vendor}: a delivery without credentials gave {other:?}"),
    }
    ticket.id
}
