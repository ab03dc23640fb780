//! Records beside tickets and over time: a company's configurations,
//! merging, incremental sync.

use chrono::{DateTime, Utc};
use psa_core::{
    ConfigurationQuery, ErrorKind, Id, NewTicket, Operation, Psa, TicketPatch, TicketQuery,
};

use super::search::assert_found;
use super::{collect, must, open_ticket, ref_id};

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
