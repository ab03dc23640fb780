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
use psa_core::{Id, LookupItem, LookupScope, Note, Psa, Ref, Result, Ticket, TicketQuery, Vendor};

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

mod agent;
mod records;
mod search;
mod triage;

pub use agent::*;
pub use records::*;
pub use search::*;
pub use triage::*;
