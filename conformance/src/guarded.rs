//! The permission profiles over every vendor: what a profile denies makes no
//! request, and test mode plans the same writes everywhere.
//!
//! One list of write probes ([`Probe`]) is run through a
//! [`Guarded`]`<Arc<dyn Psa>>` per [`Profile`]. [`expected`] is the profile
//! table of psa-permissions, restated here as the suite's expectation:
//!
//! | probe | Read Only | Helpdesk | IT Admin | Full Automation |
//! |---|---|---|---|---|
//! | set status | denied | sent | sent | sent |
//! | set priority | denied | denied | sent | sent |
//! | move queue (with a status of it) | denied | denied | sent | sent |
//! | internal note | denied | sent | sent | sent |
//! | customer note | denied | sent | sent | sent |
//! | log time | denied | denied | sent | sent |
//! | open a ticket | denied | sent | sent | sent |
//! | merge tickets | denied | denied | approval (none configured: refused) | sent |
//! | delete a ticket | denied | denied | denied | denied |
//! | create a contact | denied | denied | sent | sent |
//! | raw `GET` of a ticket | denied | denied | denied | sent |

use std::sync::Arc;

use psa_core::{
    ErrorKind, Id, NewContact, NewNote, NewTicket, NewTimeEntry, OpKind, Operation,
    PermissionGroup, PlannedWrite, Psa, RawRequest, Result, TicketPatch,
};
use psa_permissions::{Guarded, Policy, Profile};
use serde_json::Value;

use crate::scenarios::{self, TriageValues, WORK, must, work_start};
use crate::sim::Sim;

/// One guarded call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// `update_ticket` with a status of the ticket's own queue.
    SetStatus,
    /// `update_ticket` with another priority.
    SetPriority,
    /// `update_ticket` with another queue and an open status of it.
    SetQueue,
    /// `add_note`, internal.
    InternalNote,
    /// `add_note`, customer-facing.
    CustomerNote,
    /// `create_time_entry`, 15 minutes.
    LogTime,
    /// `create_ticket` for a contact of a company, with a description.
    OpenTicket,
    /// `merge_tickets` of another open ticket into the probe ticket.
    MergeTickets,
    /// `delete_ticket`.
    DeleteTicket,
    /// `create_contact`.
    CreateContact,
    /// `raw`: a `GET` of the ticket in the vendor's own API.
    RawRead,
}

impl Probe {
    /// Every probe, in the order they run.
    pub const ALL: [Probe; 11] = [
        Probe::SetStatus,
        Probe::SetPriority,
        Probe::SetQueue,
        Probe::InternalNote,
        Probe::CustomerNote,
        Probe::LogTime,
        Probe::OpenTicket,
        Probe::MergeTickets,
        Probe::DeleteTicket,
        Probe::CreateContact,
        Probe::RawRead,
    ];

    /// The operation the probe calls.
    pub fn operation(self) -> Operation {
        match self {
            Probe::SetStatus | Probe::SetPriority | Probe::SetQueue => Operation::UpdateTicket,
            Probe::InternalNote | Probe::CustomerNote => Operation::AddNote,
            Probe::LogTime => Operation::CreateTimeEntry,
            Probe::OpenTicket => Operation::CreateTicket,
            Probe::MergeTickets => Operation::MergeTickets,
            Probe::DeleteTicket => Operation::DeleteTicket,
            Probe::CreateContact => Operation::CreateContact,
            Probe::RawRead => Operation::Raw,
        }
    }

    /// Whether the probe only reads (test mode lets reads through).
    pub fn is_read(self) -> bool {
        self == Probe::RawRead
    }
}

/// What a guard should do with a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// `PermissionDenied`, no request.
    Denied,
    /// Allowed by the policy but it needs a technician's approval; with no
    /// approver configured, `ApprovalDenied` and no request (test mode plans
    /// it before asking).
    NeedsApproval,
    /// Passed to the vendor client.
    Sent,
}

/// The profile table (see the [module docs](self)).
pub fn expected(profile: Profile, probe: Probe) -> Expect {
    use Expect::{Denied, NeedsApproval, Sent};
    match (profile, probe) {
        (Profile::ReadOnly, _) | (_, Probe::DeleteTicket) | (Profile::ItAdmin, Probe::RawRead) => {
            Denied
        }
        (Profile::Helpdesk, p) => match p {
            Probe::SetStatus | Probe::InternalNote | Probe::CustomerNote | Probe::OpenTicket => {
                Sent
            }
            _ => Denied,
        },
        (Profile::ItAdmin, Probe::MergeTickets) => NeedsApproval,
        _ => Sent,
    }
}

/// The records and values the probes use, found through the unguarded client.
#[derive(Debug, Clone)]
pub struct Targets {
    /// The probe ticket (open).
    pub ticket: Id,
    /// Another open ticket (merged into the probe ticket).
    pub other: Id,
    /// A company with a named contact.
    pub company: Id,
    /// That contact.
    pub contact: Id,
    /// A status valid on the ticket's own queue.
    pub status_here: Id,
    /// Another queue, an open status of it, another priority.
    pub values: TriageValues,
    /// A raw read of the ticket.
    pub raw: RawRequest,
}

/// Finds the [`Targets`] on `sim` (reads only).
///
/// # Panics
/// When a read fails or the seed data lacks what the probes need.
pub async fn targets(sim: &Sim) -> Targets {
    let psa = sim.psa();
    let psa = psa.as_ref();
    let vendor = psa.vendor();
    let ticket = scenarios::open_ticket(psa).await;
    let other = scenarios::collect(
        vendor,
        "list open tickets",
        psa.list_tickets(psa_core::TicketQuery::open().limit(20)),
    )
    .await
    .into_iter()
    .find(|t| t.id != ticket.id)
    .unwrap_or_else(|| panic!("{vendor}: needs two open tickets"))
    .id;
    let values = scenarios::triage_values(psa, &ticket).await;
    let statuses = match &ticket.queue {
        Some(q) => scenarios::statuses_of_queue(psa, &q.id).await,
        None => {
            must(
                vendor,
                "list statuses",
                psa.list_statuses(psa_core::LookupScope::all()),
            )
            .await
        }
    };
    let current = ticket.status.as_ref().map(|s| &s.id);
    let status_here = statuses
        .iter()
        .filter(|s| s.active != Some(false) && s.closed != Some(true))
        .find(|s| Some(&s.id) != current)
        .unwrap_or_else(|| panic!("{vendor}: no other open status on the ticket's queue"))
        .id
        .clone();
    let contact = scenarios::known_contact(psa).await;
    let company = contact
        .company
        .clone()
        .map_or_else(|| unreachable!("known_contact has a company"), |c| c.id);
    Targets {
        raw: sim.raw_ticket_read(&ticket.id),
        ticket: ticket.id,
        other,
        company,
        contact: contact.id,
        status_here,
        values,
    }
}

/// Makes one probe's call.
pub async fn call(psa: &dyn Psa, probe: Probe, t: &Targets) -> Result<()> {
    let id = &t.ticket;
    match probe {
        Probe::SetStatus => psa
            .update_ticket(id, TicketPatch::new().status(t.status_here.clone()))
            .await
            .map(drop),
        Probe::SetPriority => psa
            .update_ticket(
                id,
                TicketPatch::new().priority(t.values.priority.id.clone()),
            )
            .await
            .map(drop),
        Probe::SetQueue => psa
            .update_ticket(
                id,
                TicketPatch::new()
                    .queue(t.values.queue.id.clone())
                    .status(t.values.status.id.clone()),
            )
            .await
            .map(drop),
        Probe::InternalNote => psa
            .add_note(id, NewNote::internal("[conformance] guard probe: internal"))
            .await
            .map(drop),
        Probe::CustomerNote => psa
            .add_note(id, NewNote::customer("[conformance] guard probe: customer"))
            .await
            .map(drop),
        Probe::LogTime => psa
            .create_time_entry(
                NewTimeEntry::new(id.clone(), work_start(), WORK).note("[conformance] guard probe"),
            )
            .await
            .map(drop),
        Probe::OpenTicket => psa
            .create_ticket(
                NewTicket::new("Guard probe: VPN drops every hour", t.company.clone())
                    .contact(t.contact.clone())
                    .description("Opened by the conformance suite's guard probe."),
            )
            .await
            .map(drop),
        Probe::MergeTickets => psa.merge_tickets(id, std::slice::from_ref(&t.other)).await,
        Probe::DeleteTicket => psa.delete_ticket(id).await,
        Probe::CreateContact => psa
            .create_contact(
                NewContact::new(t.company.clone(), "Probe")
                    .last_name("Conformance")
                    .email("probe.conformance@example.com"),
            )
            .await
            .map(drop),
        Probe::RawRead => psa.raw(t.raw.clone()).await.map(drop),
    }
}

/// One probe's outcome under a guard.
#[derive(Debug)]
pub struct Outcome {
    /// The probe.
    pub probe: Probe,
    /// What the profile table expects.
    pub expect: Expect,
    /// What the guard returned.
    pub result: Result<()>,
    /// Requests the simulator received during the call.
    pub requests: u64,
}

/// Runs every probe through a live guard with `profile`'s policy on a
/// fresh simulator of `vendor`, and checks each against [`expected`]:
/// denied → `PermissionDenied` and **zero requests**; needs approval →
/// `ApprovalDenied` (no approver is configured) and zero requests; sent →
/// not refused by the guard and at least one request to the simulator
/// (whatever the vendor answers: the scenarios check the vendors' answers),
/// or, where the vendor's `capabilities()` says the operation is
/// unsupported, `Unsupported` with zero requests.
///
/// # Panics
/// When an outcome differs from the table.
pub async fn live(vendor: psa_core::Vendor, profile: Profile) -> Vec<Outcome> {
    let sim = Sim::start(vendor).await;
    let t = targets(&sim).await;
    let caps = sim.psa().capabilities();
    let guard = Guarded::new(sim.psa(), Policy::profile(profile)).with_label("conformance");
    let mut out = Vec::new();
    for probe in Probe::ALL {
        let expect = expected(profile, probe);
        let before = sim.request_count();
        let result = call(&guard, probe, &t).await;
        let requests = sim.request_count() - before;
        let what = format!("{vendor} under {profile}: {probe:?}");
        match expect {
            Expect::Denied => {
                let err = result.as_ref().expect_err(&what);
                assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{what}: {err}");
                assert!(err.denial().is_some(), "{what}: the denial is attached");
                assert_eq!(
                    requests, 0,
                    "{what}: a denied call sent {requests} request(s)"
                );
            }
            Expect::NeedsApproval => {
                let err = result.as_ref().expect_err(&what);
                assert_eq!(err.kind(), ErrorKind::ApprovalDenied, "{what}: {err}");
                assert_eq!(
                    requests, 0,
                    "{what}: a refused write sent {requests} request(s)"
                );
            }
            Expect::Sent => {
                if caps.supports(probe.operation()) {
                    // The vendor may refuse the call (the guard's job is done
                    // once it reaches the vendor); the scenarios check success.
                    if let Err(e) = &result {
                        assert!(
                            !matches!(
                                e.kind(),
                                ErrorKind::PermissionDenied
                                    | ErrorKind::ApprovalDenied
                                    | ErrorKind::DryRun
                            ),
                            "{what}: allowed, yet refused by the guard: {e}"
                        );
                    }
                    assert!(requests > 0, "{what}: allowed, yet sent nothing");
                } else {
                    let err = result.as_ref().expect_err(&what);
                    assert_eq!(err.kind(), ErrorKind::Unsupported, "{what}: {err}");
                    assert_eq!(requests, 0, "{what}: an unsupported call sent a request");
                }
            }
        }
        out.push(Outcome {
            probe,
            expect,
            result,
            requests,
        });
    }
    out
}

/// A planned write with vendor-specific ids replaced by `"<id>"`, so that
/// plans compare across vendors.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSummary {
    /// The operation.
    pub operation: Operation,
    /// Its permission group.
    pub group: PermissionGroup,
    /// Its kind.
    pub kind: OpKind,
    /// Whether it names an existing record.
    pub has_target: bool,
    /// The uniform fields written.
    pub fields: Vec<String>,
    /// The input as JSON, ids normalised.
    pub payload: Value,
}

/// Keys whose values are record ids in the plans' payloads.
const ID_KEYS: [&str; 10] = [
    "ticket", "company", "contact", "status", "priority", "queue", "into", "from", "parent",
    "children",
];

fn normalise(v: &mut Value) {
    if let Value::Object(map) = v {
        for (k, val) in map.iter_mut() {
            if ID_KEYS.contains(&k.as_str()) {
                *val = match val {
                    Value::Array(items) => {
                        Value::Array(items.iter().map(|_| Value::from("<id>")).collect())
                    }
                    Value::Null => Value::Null,
                    _ => Value::from("<id>"),
                };
            } else {
                normalise(val);
            }
        }
    }
}

impl From<&PlannedWrite> for PlanSummary {
    fn from(p: &PlannedWrite) -> Self {
        let mut payload = p.payload.clone();
        normalise(&mut payload);
        PlanSummary {
            operation: p.operation,
            group: p.group,
            kind: p.kind,
            has_target: p.target.is_some(),
            fields: p.fields.clone(),
            payload,
        }
    }
}

/// Runs every write probe through a test-mode guard with `profile`'s policy
/// on a fresh simulator of `vendor`: writes the profile allows (approval or
/// not) return `DryRun` carrying their plan, writes it denies return
/// `PermissionDenied`, and the simulator receives **no request at all**
/// while they run. Returns the plans, ids normalised.
///
/// # Panics
/// When an outcome differs, or a request reaches the simulator.
pub async fn test_mode(vendor: psa_core::Vendor, profile: Profile) -> Vec<PlanSummary> {
    let sim = Sim::start(vendor).await;
    let t = targets(&sim).await;
    let inner: Arc<dyn Psa> = sim.psa();
    let guard = Guarded::new(inner, Policy::profile(profile))
        .with_label("conformance")
        .test_mode();
    let before = sim.request_count();
    let mut planned = Vec::new();
    for probe in Probe::ALL.into_iter().filter(|p| !p.is_read()) {
        let what = format!("{vendor} under {profile} in test mode: {probe:?}");
        let err = call(&guard, probe, &t).await.expect_err(&what);
        if expected(profile, probe) == Expect::Denied {
            assert_eq!(err.kind(), ErrorKind::PermissionDenied, "{what}: {err}");
        } else {
            assert_eq!(err.kind(), ErrorKind::DryRun, "{what}: {err}");
            let plan = err.plan().unwrap_or_else(|| panic!("{what}: no plan"));
            assert_eq!(plan.operation, probe.operation(), "{what}");
            assert_eq!(plan.vendor, vendor, "{what}");
            planned.push(PlanSummary::from(plan));
        }
    }
    assert_eq!(
        sim.request_count(),
        before,
        "{vendor} under {profile}: test mode sent a request"
    );
    let recorded: Vec<PlanSummary> = guard.planned().iter().map(PlanSummary::from).collect();
    assert_eq!(recorded, planned, "{vendor}: the guard's record of plans");
    planned
}
