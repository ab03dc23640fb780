//! The flow an MSP's helpdesk agent runs, end to end.
//!
//! ```text
//! cargo run -p psa-examples --bin quickstart                        # HaloPSA simulator
//! cargo run -p psa-examples --bin quickstart -- --vendor autotask   # or connectwise, servicenow
//! ```
//!
//! With no configuration it starts a vendor simulator in-process (no account,
//! no network) and: connects, lists open tickets, reads one with its notes,
//! adds an internal note, logs 15 minutes, then shows a Helpdesk-profile guard
//! denying a priority change (no request reaches the server), test mode
//! planning a write, a note written on behalf of a technician (`act_as`), and
//! a change approved by the ticket's assigned technician on the ticket itself
//! (`PsaApprover`): the plan is posted as an internal note, the technician
//! replies `APPROVE <code>`, and the change runs once.
//!
//! With `HALO_BASE_URL`, `HALO_CLIENT_ID` and `HALO_CLIENT_SECRET` set (and
//! optionally `HALO_TENANT`, `HALO_AUTH_URL`) it runs the same flow against a
//! real HaloPSA tenant **read-only**: every write goes through a test-mode
//! guard and is planned, printed and never sent.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use psa_core::{
    Id, LookupItem, LookupScope, NewNote, NewTimeEntry, Operation, PermissionGroup, PlannedWrite,
    Psa, Ref, Result, Support, Ticket, TicketPatch, TicketQuery,
};
use psa_examples::Simulator;
use psa_permissions::{
    Approval, Guarded, MemoryAudit, MemoryPlanStore, Policy, Profile, PsaApprover,
};
use secrecy::SecretString;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("quickstart failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Where the flow runs.
enum Backend {
    /// An in-process simulator: writes are executed against it.
    Simulator(Simulator),
    /// A real HaloPSA tenant: reads only, writes planned by a test-mode guard.
    RealHalo,
}

async fn run() -> Result<()> {
    let (backend, psa) = connect().await?;
    let live = matches!(backend, Backend::Simulator(_));
    let requests = || match &backend {
        Backend::Simulator(sim) => Some(sim.request_count()),
        Backend::RealHalo => None,
    };

    println!("== Connected to {}", psa.vendor());

    // 1. List open tickets (the stream pages lazily; take the first five).
    let open: Vec<_> = psa
        .list_tickets(TicketQuery::open().limit(5))
        .try_collect()
        .await?;
    // Some vendors send only the ids of a ticket's status and priority: the
    // look-ups give their names (an agent would cache these).
    let statuses = psa.list_statuses(LookupScope::all()).await?;
    let priorities = psa.list_priorities().await?;
    println!("\n== {} open tickets (first page)", open.len());
    for t in &open {
        println!(
            "  #{:<12} {:<45} status: {:<16} priority: {}",
            t.id,
            truncate(&t.summary, 45),
            named(t.status.as_ref(), &statuses),
            named(t.priority.as_ref(), &priorities),
        );
    }
    let Some(first) = open.first() else {
        println!("No open tickets: nothing more to show.");
        return Ok(());
    };

    // 2. Read one ticket with its notes.
    let ticket = psa.get_ticket(&first.id).await?;
    let notes: Vec<_> = psa.list_notes(&ticket.id).try_collect().await?;
    println!("\n== Ticket {}: {}", ticket.id, ticket.summary);
    println!(
        "  company: {}   contact: {}   queue: {}",
        name(ticket.company.as_ref()),
        name(ticket.contact.as_ref()),
        name(ticket.queue.as_ref())
    );
    for n in &notes {
        println!("  [{:?}] {}", n.visibility, truncate(&n.body, 70));
    }

    // Writes: executed against the simulator, planned (never sent) against a
    // real tenant.
    let writer: Arc<dyn Psa> = if live {
        Arc::clone(&psa)
    } else {
        Arc::new(
            Guarded::new(Arc::clone(&psa), Policy::profile(Profile::FullAutomation)).test_mode(),
        )
    };

    // 3. Add an internal note.
    let note =
        NewNote::internal("Checked the backup job logs: last night's run failed on disk space.");
    match writer.add_note(&ticket.id, note).await {
        Ok(n) => println!("\n== Added internal note {} to ticket {}", n.id, ticket.id),
        Err(e) if e.is_dry_run() => print_plan("add an internal note", e.plan()),
        Err(e) => return Err(e),
    }

    // 4. Log 15 minutes of work.
    let entry = NewTimeEntry::new(
        ticket.id.clone(),
        chrono::Utc::now() - chrono::Duration::minutes(15),
        Duration::from_secs(15 * 60),
    )
    .note("Investigated the failed backup and cleared old snapshots.");
    match writer.create_time_entry(entry).await {
        Ok(t) => println!("== Logged 15 minutes as time entry {}", t.id),
        Err(e) if e.is_dry_run() => print_plan("log 15 minutes", e.plan()),
        Err(e) => return Err(e),
    }

    show_guards(&psa, &ticket, &requests).await?;
    if live {
        show_attribution_and_approval(&psa, &ticket).await?;
    }

    println!("\nDone.");
    Ok(())
}

/// Steps 5 and 6: a Helpdesk guard denying a priority change without a
/// request, then a test-mode guard planning a customer note.
async fn show_guards(
    psa: &Arc<dyn Psa>,
    ticket: &Ticket,
    requests: &dyn Fn() -> Option<u64>,
) -> Result<()> {
    // 5. A Helpdesk-profile guard: notes and status yes, priority no. The
    //    denial happens before any request is made.
    let audit = MemoryAudit::new();
    let helpdesk = Guarded::new(Arc::clone(psa), Policy::profile(Profile::Helpdesk))
        .with_label("junior-agent")
        .with_audit(audit.clone());
    let priority = pick_other_priority(psa.as_ref(), ticket.priority.as_ref()).await?;
    let before = requests();
    let denied = helpdesk
        .update_ticket(&ticket.id, TicketPatch::new().priority(priority))
        .await;
    let after = requests();
    match denied {
        Err(e) if e.is_permission_denied() => {
            println!("\n== Helpdesk guard: priority change denied: {e}");
            if let (Some(b), Some(a)) = (before, after) {
                println!("   requests sent for the denied call: {}", a - b);
            }
            println!("   audit events recorded: {}", audit.events().len());
        }
        other => {
            return Err(psa_core::Error::invalid_input(format!(
                "expected the Helpdesk profile to deny a priority change, got {other:?}"
            )));
        }
    }
    println!(
        "   the same guard allows: add_note={}, update_ticket(status)={}",
        helpdesk.allows(Operation::AddNote),
        helpdesk.allows(Operation::UpdateTicket),
    );

    // 6. Test mode: the write is planned, returned and recorded; nothing is sent.
    let dry = Guarded::new(Arc::clone(psa), Policy::profile(Profile::ItAdmin)).test_mode();
    let before = requests();
    let planned = dry
        .add_note(
            &ticket.id,
            NewNote::customer("We're on it and will update you within the hour."),
        )
        .await;
    let after = requests();
    match planned {
        Err(e) if e.is_dry_run() => {
            print_plan("send the customer an update (test mode)", e.plan());
            if let (Some(b), Some(a)) = (before, after) {
                println!("   requests sent: {}", a - b);
            }
            println!("   plans recorded by the guard: {}", dry.planned().len());
        }
        other => {
            return Err(psa_core::Error::invalid_input(format!(
                "expected test mode to plan the note, got {other:?}"
            )));
        }
    }

    Ok(())
}

/// Steps 7 and 8 (simulator only: they write): a note attributed to the
/// technician an agent works for, and a priority change that waits for the
/// ticket's assigned technician to approve it on the ticket.
async fn show_attribution_and_approval(psa: &Arc<dyn Psa>, ticket: &Ticket) -> Result<()> {
    if let Support::Unsupported(reason) = psa.capabilities().act_as() {
        println!("\n== Acting for a technician is not available here: {reason}");
        return Ok(());
    }
    // 7. Attribution: the note is written on behalf of a technician, through
    //    the vendor's own mechanism, and reads back with them as its author.
    //    A vendor may refuse some accounts (Autotask's API-only resources):
    //    those are passed over, as a dispatcher would.
    let agents = psa.list_agents().await?;
    let mut candidates = agents.iter().filter(|a| a.active != Some(false));
    let text = "Called the customer back; they confirm the backup drive is full.";
    let chosen = first_to_write(psa, &ticket.id, candidates.by_ref(), text).await?;
    let Some((owner, as_owner, note)) = chosen else {
        println!("\n== No technician this client may act for: skipping attribution and approval.");
        return Ok(());
    };
    let author = psa
        .list_notes(&ticket.id)
        .try_collect::<Vec<_>>()
        .await?
        .into_iter()
        .find(|n| n.id == note.id)
        .and_then(|n| n.author)
        .map_or_else(|| "-".to_owned(), |a| name(Some(&a)));
    println!(
        "\n== Note {} written on behalf of {} (author read back: {author})",
        note.id, owner.name
    );

    // 8. Approval through the PSA: ticket writes need approval; the plan is
    //    posted on the ticket and waits for the assigned technician.
    psa.update_ticket(&ticket.id, TicketPatch::new().owner(owner.id.clone()))
        .await?;
    let approver = PsaApprover::new(Arc::clone(psa))
        .poll_interval(Duration::from_millis(50))
        .timeout(Duration::from_secs(30));
    let policy = Policy::profile(Profile::ItAdmin)
        .edit(PermissionGroup::Tickets)
        .approval(Approval::Writes)
        .build();
    let agent = Guarded::new(Arc::clone(psa), policy)
        .with_label("triage-bot")
        .with_approver(approver)
        .defer_approvals(MemoryPlanStore::new());
    let priority = pick_other_priority(psa.as_ref(), ticket.priority.as_ref()).await?;
    let pending = agent
        .update_ticket(&ticket.id, TicketPatch::new().priority(priority))
        .await;
    let plan = match pending {
        Err(e) if e.is_approval_pending() => e.plan_id().unwrap_or_default().to_owned(),
        other => {
            return Err(psa_core::Error::invalid_input(format!(
                "expected the change to wait for approval, got {other:?}"
            )));
        }
    };
    let (request, code) = approval_request(psa.as_ref(), &ticket.id).await?;
    println!(
        "== Priority change waiting for approval: plan {plan}, request posted as note {request}"
    );

    let other = first_to_write(psa, &ticket.id, candidates, &format!("APPROVE {code}"))
        .await?
        .map(|(agent, _, _)| agent);
    let Some(other) = other else {
        println!("   no second technician to show a refused approval");
        return Ok(());
    };
    let by_other = agent.execute_plan(&plan).await;
    println!(
        "   {} (not assigned) approves: still pending = {}",
        other.name,
        by_other
            .as_ref()
            .err()
            .is_some_and(psa_core::Error::is_approval_pending)
    );
    as_owner
        .add_note(
            &ticket.id,
            NewNote::internal(format!("Fine by me. APPROVE {code}")),
        )
        .await?;
    agent.execute_plan(&plan).await?;
    println!("   {} (assigned) approves: the change ran once", owner.name);
    let again = agent.execute_plan(&plan).await;
    println!(
        "   a second execution is refused: {}",
        again.as_ref().is_err_and(|e| !e.is_approval_pending())
    );
    Ok(())
}

/// The first of `agents` this client may act for, with its view and the
/// internal note `text` written on `ticket` through it. An account the
/// vendor refuses to be acted for (`Forbidden`) is passed over.
async fn first_to_write<'a>(
    psa: &Arc<dyn Psa>,
    ticket: &Id,
    agents: impl Iterator<Item = &'a psa_core::Agent>,
    text: &str,
) -> Result<Option<(&'a psa_core::Agent, Arc<dyn Psa>, psa_core::Note)>> {
    for agent in agents {
        let view = psa.act_as(&agent.id)?;
        match view.add_note(ticket, NewNote::internal(text)).await {
            Ok(note) => return Ok(Some((agent, view, note))),
            Err(e) if e.kind() == psa_core::ErrorKind::Forbidden => {}
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// The approval request the approver posted on `ticket` (the newest) and
/// its code, which the reply names.
async fn approval_request(psa: &dyn Psa, ticket: &Id) -> Result<(Id, String)> {
    let request = psa
        .list_notes(ticket)
        .try_collect::<Vec<_>>()
        .await?
        .into_iter()
        .rev()
        .find(psa_permissions::is_request_note)
        .ok_or_else(|| psa_core::Error::invalid_input("no approval request on the ticket"))?;
    let code: String = request
        .body
        .split("APPROVE ")
        .nth(1)
        .unwrap_or_default()
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    Ok((request.id, code))
}

/// Picks the client: a real HaloPSA tenant when `HALO_*` is configured,
/// otherwise the simulator named by `--vendor` (default `halo`).
async fn connect() -> Result<(Backend, Arc<dyn Psa>)> {
    if let (Ok(base), Ok(id), Ok(secret)) = (
        std::env::var("HALO_BASE_URL"),
        std::env::var("HALO_CLIENT_ID"),
        std::env::var("HALO_CLIENT_SECRET"),
    ) {
        let mut builder = psa_halo::Client::builder()
            .base_url(base)
            .client_id(id)
            .client_secret(SecretString::from(secret));
        if let Ok(tenant) = std::env::var("HALO_TENANT") {
            builder = builder.tenant(tenant);
        }
        if let Ok(auth) = std::env::var("HALO_AUTH_URL") {
            builder = builder.auth_url(auth);
        }
        println!("HALO_* is set: running read-only against your HaloPSA tenant.");
        return Ok((Backend::RealHalo, Arc::new(builder.build()?)));
    }

    let vendor = psa_examples::vendor_arg("quickstart")?;
    println!("No HALO_* configuration: starting the {vendor} simulator in-process.");
    let sim = Simulator::start(&vendor).await?;
    let psa = sim.psa();
    Ok((Backend::Simulator(sim), psa))
}

/// A priority other than the ticket's current one, from the vendor's look-up.
async fn pick_other_priority(psa: &dyn Psa, current: Option<&Ref>) -> Result<Id> {
    let priorities = psa.list_priorities().await?;
    priorities
        .iter()
        .find(|p| current.is_none_or(|c| c.id != p.id))
        .or(priorities.first())
        .map(|p| p.id.clone())
        .ok_or_else(|| psa_core::Error::invalid_input("the tenant has no priorities"))
}

fn print_plan(what: &str, plan: Option<&PlannedWrite>) {
    println!("\n== Planned, not sent: {what}");
    if let Some(p) = plan {
        println!(
            "   {} on {} ({:?}) target {} fields {:?}",
            p.operation,
            p.group,
            p.kind,
            p.target
                .as_ref()
                .map_or_else(|| "-".to_owned(), ToString::to_string),
            p.fields
        );
    }
}

/// A reference's name, else the look-up entry's name for its id, else its id.
fn named(r: Option<&Ref>, lookup: &[LookupItem]) -> String {
    match r {
        Some(Ref { name: None, id, .. }) => lookup
            .iter()
            .find(|item| &item.id == id)
            .map_or_else(|| id.to_string(), |item| item.name.clone()),
        other => name(other),
    }
}

fn name(r: Option<&Ref>) -> String {
    match r {
        Some(Ref { name: Some(n), .. }) => n.clone(),
        Some(r) => r.id.to_string(),
        None => "-".to_owned(),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}
