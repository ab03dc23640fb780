//! The guard matrix: every operation × access levels × switches × raw ×
//! mode, and every profile's decisions pinned by hand.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use common::{CountingPsa, invoke};
use psa_core::{Access, OpKind, Operation, PermissionGroup};
use psa_permissions::{AutoApprove, Guarded, MemoryAudit, Policy, Profile};

const LEVELS: [Access; 3] = [Access::Disabled, Access::ReadOnly, Access::ReadWrite];

/// One policy of the matrix, described independently of `Policy`.
#[derive(Debug, Clone)]
struct Spec {
    levels: BTreeMap<PermissionGroup, Access>,
    switches: bool,
    raw: bool,
}

impl Spec {
    fn policy(&self) -> Policy {
        let mut p = Policy::empty().raw(self.raw);
        for (g, level) in &self.levels {
            let mut grant = p.grant(*g, *level).delete(self.switches);
            if *g == PermissionGroup::Tickets {
                grant = grant.merge(self.switches).bundle(self.switches);
            }
            p = grant.build();
        }
        p
    }

    fn level(&self, g: PermissionGroup) -> Access {
        self.levels.get(&g).copied().unwrap_or(Access::Disabled)
    }

    /// What `allows(op)` should say: for raw requests, whether any path
    /// could be allowed; otherwise the same as [`expect`](Self::expect).
    fn expect_allows(&self, op: Operation) -> bool {
        if op == Operation::Raw {
            return self.raw && self.levels.values().any(|l| *l >= Access::ReadOnly);
        }
        self.expect(op)
    }

    /// What the rules say, computed here from the descriptor alone.
    fn expect(&self, op: Operation) -> bool {
        if op == Operation::Raw {
            // `invoke` sends `GET Tickets/1`.
            return self.raw && self.level(PermissionGroup::Tickets) >= Access::ReadOnly;
        }
        let d = op.descriptor();
        let level = self.level(d.group);
        match d.kind {
            OpKind::Read => level >= Access::ReadOnly,
            OpKind::Write => level == Access::ReadWrite,
            OpKind::Delete | OpKind::Merge | OpKind::Bundle => {
                level == Access::ReadWrite && self.switches
            }
        }
    }
}

fn specs() -> Vec<Spec> {
    let mut level_sets: Vec<BTreeMap<PermissionGroup, Access>> = Vec::new();
    // The same level on every group …
    for level in LEVELS {
        level_sets.push(PermissionGroup::ALL.iter().map(|g| (*g, level)).collect());
    }
    // … and levels rotating across groups, so that a guard checking the
    // wrong group is caught.
    for shift in 0..3 {
        level_sets.push(
            PermissionGroup::ALL
                .iter()
                .enumerate()
                .map(|(i, g)| (*g, LEVELS[(i + shift) % 3]))
                .collect(),
        );
    }
    let mut out = Vec::new();
    for levels in level_sets {
        for switches in [false, true] {
            for raw in [false, true] {
                out.push(Spec {
                    levels: levels.clone(),
                    switches,
                    raw,
                });
            }
        }
    }
    out
}

fn all_ops() -> BTreeSet<Operation> {
    Operation::ALL.iter().copied().collect()
}

#[tokio::test]
async fn every_operation_every_level_every_switch() {
    let mut exercised = BTreeSet::new();
    let mut unknown = BTreeSet::new();
    let mut checked = 0usize;
    for spec in specs() {
        let policy = spec.policy();
        policy.validate().unwrap();
        for test_mode in [false, true] {
            let fake = Arc::new(CountingPsa::new());
            let audit = MemoryAudit::new();
            let mut guard =
                Guarded::new(Arc::clone(&fake), policy.clone()).with_audit(audit.clone());
            if test_mode {
                guard = guard.test_mode();
            }
            for op in Operation::ALL {
                fake.reset();
                audit.clear();
                let Some(result) = invoke(&guard, *op).await else {
                    unknown.insert(*op);
                    continue;
                };
                exercised.insert(*op);
                checked += 1;
                let expected = spec.expect(*op);
                let ctx = format!("{op} under {spec:?} (test mode {test_mode}): {result:?}");
                assert_eq!(
                    guard.allows(*op),
                    spec.expect_allows(*op),
                    "allows() disagrees for {ctx}"
                );
                let kind = if *op == Operation::Raw {
                    OpKind::Read
                } else {
                    op.descriptor().kind
                };
                if !expected {
                    let err = result.as_ref().expect_err(&ctx);
                    assert!(err.is_permission_denied(), "{ctx}");
                    let denial = err.denial().expect("a denial");
                    assert_eq!(denial.operation, *op, "{ctx}");
                    assert!(!denial.missing.is_empty(), "{ctx}");
                    assert_eq!(fake.count(), 0, "a denied call reached the client: {ctx}");
                    assert_eq!(audit.events().len(), 1, "denials are audited: {ctx}");
                } else if test_mode && kind.is_mutation() {
                    let err = result.as_ref().expect_err(&ctx);
                    assert!(err.is_dry_run(), "{ctx}");
                    assert_eq!(err.plan().map(|p| p.operation), Some(*op), "{ctx}");
                    assert_eq!(fake.count(), 0, "test mode executed a write: {ctx}");
                    assert_eq!(audit.events().len(), 1, "{ctx}");
                } else {
                    assert!(result.is_ok(), "{ctx}");
                    assert_eq!(fake.calls(), vec![*op], "exactly one inner call: {ctx}");
                    let events = usize::from(kind.is_mutation());
                    assert_eq!(audit.events().len(), events, "{ctx}");
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "operations the matrix does not exercise: {unknown:?} — add them to tests/common::invoke"
    );
    assert_eq!(
        exercised,
        all_ops(),
        "the matrix must exercise every operation"
    );
    assert_eq!(checked, specs().len() * 2 * Operation::ALL.len());
}

// ---- profiles, pinned by hand ------------------------------------------------

const READS: &[Operation] = &[
    Operation::GetTicket,
    Operation::ListTickets,
    Operation::FindTicketByNumber,
    Operation::ListAuditTrail,
    Operation::ListNotes,
    Operation::ListTimeEntries,
    Operation::GetCompany,
    Operation::SearchCompanies,
    Operation::GetContact,
    Operation::SearchContacts,
    Operation::GetConfiguration,
    Operation::ListConfigurations,
    Operation::ListScheduleEntries,
    Operation::SearchProducts,
    Operation::ListAgreements,
    Operation::ListSlas,
    Operation::ListProjects,
    Operation::SearchKbArticles,
    Operation::GetKbArticle,
    Operation::ListStatuses,
    Operation::ListPriorities,
    Operation::ListQueues,
    Operation::ListTicketTypes,
    Operation::ListAgents,
    Operation::ListWorkTypes,
    Operation::ListCustomFields,
    Operation::ListAttachments,
    Operation::DownloadAttachment,
    Operation::ListWebhooks,
    Operation::ParseWebhook,
];

/// The writes each profile allows for `invoke`'s inputs, and which of them
/// go to the approver.
fn pinned(profile: Profile) -> (Vec<Operation>, Vec<Operation>) {
    use Operation as O;
    match profile {
        Profile::ReadOnly => (vec![], vec![]),
        Profile::Helpdesk => (vec![O::CreateTicket, O::UpdateTicket, O::AddNote], vec![]),
        Profile::ItAdmin => (
            vec![
                O::CreateTicket,
                O::UpdateTicket,
                O::MergeTickets,
                O::BundleTickets,
                O::AddNote,
                O::CreateTimeEntry,
                O::UpdateTimeEntry,
                O::CreateContact,
                O::UpdateContact,
                O::CreateConfiguration,
                O::UpdateConfiguration,
                O::CreateScheduleEntry,
                O::UpdateScheduleEntry,
                O::UploadAttachment,
            ],
            vec![O::MergeTickets, O::BundleTickets],
        ),
        Profile::FullAutomation => (
            vec![
                O::CreateTicket,
                O::UpdateTicket,
                O::MergeTickets,
                O::BundleTickets,
                O::AddNote,
                O::CreateTimeEntry,
                O::UpdateTimeEntry,
                O::CreateContact,
                O::UpdateContact,
                O::CreateConfiguration,
                O::UpdateConfiguration,
                O::CreateScheduleEntry,
                O::UpdateScheduleEntry,
                O::AddTicketProduct,
                O::UploadAttachment,
                O::SubscribeWebhook,
                O::Raw,
            ],
            vec![],
        ),
        _ => panic!("profile {profile} is not pinned"),
    }
}

#[tokio::test]
async fn every_profile_is_pinned() {
    for profile in Profile::ALL {
        let (writes, approval) = pinned(profile);
        let allowed: BTreeSet<Operation> = READS.iter().chain(&writes).copied().collect();
        let approval: BTreeSet<Operation> = approval.into_iter().collect();
        let policy = Policy::profile(profile);
        policy.validate().unwrap();

        // With an approver that approves: exactly the pinned set succeeds.
        let fake = Arc::new(CountingPsa::new());
        let guard = Guarded::new(Arc::clone(&fake), policy.clone()).with_approver(AutoApprove);
        let mut exercised = BTreeSet::new();
        for op in Operation::ALL {
            fake.reset();
            let result = invoke(&guard, *op)
                .await
                .unwrap_or_else(|| panic!("{op} is not exercised by tests/common::invoke"));
            exercised.insert(*op);
            let ctx = format!("{op} under {profile}: {result:?}");
            if allowed.contains(op) {
                assert!(result.is_ok(), "{ctx}");
                assert_eq!(fake.calls(), vec![*op], "{ctx}");
            } else {
                let err = result.expect_err(&ctx);
                assert!(err.is_permission_denied(), "{ctx}");
                assert_eq!(fake.count(), 0, "{ctx}");
            }
        }
        assert_eq!(exercised, all_ops());

        // With the default approver (none): exactly the pinned approval set
        // is refused by approval, with no call.
        let fake = Arc::new(CountingPsa::new());
        let guard = Guarded::new(Arc::clone(&fake), policy.clone());
        for op in Operation::ALL {
            fake.reset();
            let result = invoke(&guard, *op).await.expect("exercised");
            let ctx = format!("{op} under {profile} without approval: {result:?}");
            if approval.contains(op) {
                let err = result.expect_err(&ctx);
                assert!(err.is_approval_denied(), "{ctx}");
                assert_eq!(fake.count(), 0, "{ctx}");
            } else {
                assert_eq!(result.is_ok(), allowed.contains(op), "{ctx}");
            }
        }

        // Deletes are off in every profile.
        for op in [
            Operation::DeleteTicket,
            Operation::DeleteTimeEntry,
            Operation::DeleteScheduleEntry,
            Operation::DeleteWebhook,
            Operation::DeleteAttachment,
        ] {
            assert!(!policy.allows(op), "{op} allowed by {profile}");
        }
        assert_eq!(policy.raw_allowed(), profile == Profile::FullAutomation);
    }
}

#[test]
fn profile_levels_are_pinned() {
    use Access::{ReadOnly as R, ReadWrite as W};
    use PermissionGroup as G;
    let it_admin_rw = [
        G::Tickets,
        G::TicketNotes,
        G::TimeEntries,
        G::Contacts,
        G::Configurations,
        G::ScheduleEntries,
        G::Attachments,
    ];
    for g in PermissionGroup::ALL {
        assert_eq!(Policy::profile(Profile::ReadOnly).access(g), R, "{g}");
        let helpdesk = if matches!(g, G::Tickets | G::TicketNotes) {
            W
        } else {
            R
        };
        assert_eq!(
            Policy::profile(Profile::Helpdesk).access(g),
            helpdesk,
            "{g}"
        );
        let admin = if it_admin_rw.contains(&g) { W } else { R };
        assert_eq!(Policy::profile(Profile::ItAdmin).access(g), admin, "{g}");
        assert_eq!(Policy::profile(Profile::FullAutomation).access(g), W, "{g}");
        for p in Profile::ALL {
            assert!(!Policy::profile(p).rules(g).delete, "{p} deletes {g}");
        }
    }
    let helpdesk = Policy::profile(Profile::Helpdesk);
    let tickets = helpdesk.rules(G::Tickets);
    for f in [
        "summary",
        "description",
        "contact",
        "company",
        "status",
        "custom_fields.Any",
    ] {
        assert!(tickets.allows_field(f), "helpdesk tickets should allow {f}");
    }
    for f in ["priority", "owner", "queue", "ticket_type", "subtype"] {
        assert!(
            !tickets.allows_field(f),
            "helpdesk tickets should not allow {f}"
        );
    }
    let notes = helpdesk.rules(G::TicketNotes);
    for f in ["internal", "customer", "resolution"] {
        assert!(notes.allows_field(f), "{f}");
    }
    assert!(!notes.allows_field("notify"));
    assert!(!helpdesk.allows(Operation::MergeTickets));
    assert!(!helpdesk.allows(Operation::BundleTickets));
    assert!(!helpdesk.allows(Operation::CreateTimeEntry));

    let admin = Policy::profile(Profile::ItAdmin);
    assert!(admin.needs_approval(G::Tickets, OpKind::Merge));
    assert!(admin.needs_approval(G::Tickets, OpKind::Bundle));
    assert!(!admin.needs_approval(G::Tickets, OpKind::Write));
    assert!(admin.rules(G::Tickets).fields.is_none());
}
