//! A sync service's loop, end to end: copy every ticket into a local store,
//! then keep it current with incremental pulls.
//!
//! ```text
//! cargo run -p psa-examples --bin sync                        # HaloPSA simulator
//! cargo run -p psa-examples --bin sync -- --vendor servicenow # or connectwise, autotask
//! ```
//!
//! It starts a vendor simulator in-process (no account, no network) and:
//!
//! 1. wraps the client in a *Read Only* guard: a sync service never writes,
//!    and the guard refuses any write before a request is made;
//! 2. pages every ticket into a store keyed by ticket id, keeping each
//!    record's vendor JSON verbatim for a downstream system
//!    (`raw.json_text()`, or the parsed record where the SDK did not keep
//!    the text);
//! 3. takes the newest `updated_at` as its checkpoint;
//! 4. lets "another agent" (an unguarded client) change a ticket;
//! 5. pulls only the tickets updated since the checkpoint. `updated_since`
//!    is inclusive, so tickets updated at the checkpoint itself come again:
//!    the store is keyed by id and compares `updated_at`, so they change
//!    nothing.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use psa_core::{Error, NewNote, Psa, Result, Ticket, TicketPatch, TicketQuery};
use psa_examples::Simulator;
use psa_permissions::{Guarded, Policy, Profile};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sync failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What the store keeps of a ticket.
struct Stored {
    updated_at: Option<DateTime<Utc>>,
    summary: String,
    /// The vendor's JSON of the record.
    json: String,
}

/// The local copy: ticket id → record.
#[derive(Default)]
struct Store(HashMap<String, Stored>);

impl Store {
    /// Puts `t` in the store; `true` when it was new or changed.
    fn put(&mut self, t: &Ticket) -> bool {
        let key = t.id.to_string();
        if self
            .0
            .get(&key)
            .is_some_and(|s| s.updated_at == t.updated_at && s.summary == t.summary)
        {
            return false;
        }
        // The text exactly as the vendor sent it, where the SDK kept it;
        // otherwise the parsed record written back out.
        let json = t
            .raw
            .json_text()
            .map_or_else(|| t.raw.to_string(), str::to_owned);
        self.0.insert(
            key,
            Stored {
                updated_at: t.updated_at,
                summary: t.summary.clone(),
                json,
            },
        );
        true
    }

    fn bytes(&self) -> usize {
        self.0.values().map(|s| s.json.len()).sum()
    }
}

async fn run() -> Result<()> {
    let vendor = psa_examples::vendor_arg("sync")?;
    println!("Starting the {vendor} simulator in-process.");
    let sim = Simulator::start(&vendor).await?;
    let agent = sim.psa();
    let sync = Guarded::new(Arc::clone(&agent), Policy::profile(Profile::ReadOnly));

    // 1. A write from the sync service is refused before it is sent.
    let before = sim.request_count();
    let err = sync
        .add_note(
            &psa_core::Id::from(1),
            NewNote::internal("sync services do not write"),
        )
        .await
        .err()
        .ok_or_else(|| Error::invalid_input("the Read Only guard let a write through"))?;
    println!(
        "== Read Only guard: {err}\n   requests sent for it: {}",
        sim.request_count() - before
    );

    // 2. Full sync.
    let mut store = Store::default();
    let before = sim.request_count();
    let all: Vec<Ticket> = sync.list_tickets(TicketQuery::any()).try_collect().await?;
    for t in &all {
        store.put(t);
    }
    println!(
        "\n== Full sync: {} tickets stored ({} KiB of vendor JSON), {} request(s)",
        store.0.len(),
        store.bytes().div_ceil(1024),
        sim.request_count() - before
    );

    // 3. The checkpoint.
    let checkpoint = all
        .iter()
        .filter_map(|t| t.updated_at)
        .max()
        .ok_or_else(|| Error::invalid_input("no ticket has an updated_at"))?;
    println!("   checkpoint: {}", checkpoint.to_rfc3339());

    // 4. Another agent changes an open ticket.
    let open: Vec<Ticket> = agent
        .list_tickets(TicketQuery::open().limit(1))
        .try_collect()
        .await?;
    let target = open
        .first()
        .ok_or_else(|| Error::invalid_input("the simulator has no open ticket"))?;
    let head: String = target.summary.chars().take(80).collect();
    let changed = agent
        .update_ticket(
            &target.id,
            TicketPatch::new().summary(format!("{head} (escalated)")),
        )
        .await?;
    println!(
        "\n== Another agent changed ticket {}: {:?}",
        changed.id, changed.summary
    );

    // 5. Incremental sync.
    let before = sim.request_count();
    let since: Vec<Ticket> = sync
        .list_tickets(TicketQuery::any().updated_since(checkpoint))
        .try_collect()
        .await?;
    let updated: Vec<&Ticket> = since.iter().filter(|t| store.put(t)).collect();
    println!(
        "\n== Incremental sync since the checkpoint: {} ticket(s) listed, {} changed, {} request(s)",
        since.len(),
        updated.len(),
        sim.request_count() - before
    );
    for t in &updated {
        println!("   ticket {} now reads {:?}", t.id, t.summary);
    }
    println!("   store: {} tickets", store.0.len());
    println!("\nDone.");
    Ok(())
}
