//! What an AI helpdesk agent needs beyond CRUD: a ticket found by the number
//! a caller reads out, hostile search text refused, a caller found by any
//! form of their phone number, writes attributed to the technician the agent
//! acts for, attachments, custom-field definitions, and a write approved by
//! the ticket's assigned agent on the ticket itself.
//!
//! A scenario for an operation a vendor lists as unsupported asserts that the
//! operation fails as `Unsupported` with the reason `capabilities()` gives,
//! and returns `None`: the suite then reports the vendor's reason instead of
//! the scenario's result.

use std::sync::Arc;

use bytes::Bytes;
use psa_core::phone::same_number;
use psa_core::{
    Agent, CustomFieldEntity, CustomFieldKind, KbQuery, NewAttachment, NewContact, PermissionGroup,
    Support,
};
use psa_permissions::{Approval, Guarded, MemoryPlanStore, Policy, Profile, PsaApprover};

use std::time::Duration;

use futures::TryStreamExt;
use psa_core::{
    CompanyQuery, ConfigurationQuery, ContactQuery, ErrorKind, Id, NewNote, NoteVisibility,
    Operation, Psa, Result, TicketPatch, TicketQuery, Vendor,
};

use super::search::assert_found;
use super::{collect, must, notes_with, open_ticket, ref_id, triage_values};

/// Asserts that `result` failed as `Unsupported`, for a vendor whose
/// capabilities say so (`what` names the call in the panic).
///
/// # Panics
/// When the call succeeded or failed otherwise.
fn assert_unsupported<T>(vendor: Vendor, what: &str, result: Result<T>) {
    match result {
        Ok(_) => panic!("{vendor}: {what} succeeded, but its capabilities say it is unsupported"),
        Err(e) => assert_eq!(
            e.kind(),
            ErrorKind::Unsupported,
            "{vendor}: {what} should fail as Unsupported: {e}"
        ),
    }
}

/// Find a ticket by the number a caller reads out (ServiceNow `INC0010001`,
/// Autotask `T20261203.0001`, a HaloPSA or ConnectWise ticket id): the
/// number of an open ticket finds that ticket, and a number no ticket has is
/// `NotFound`. Returns the number used.
///
/// # Panics
/// When a step fails or finds another ticket.
pub async fn finds_a_ticket_by_number(psa: &dyn Psa) -> Option<String> {
    let vendor = psa.vendor();
    let ticket = open_ticket(psa).await;
    let caps = psa.capabilities();
    let number = ticket
        .number
        .clone()
        .unwrap_or_else(|| ticket.id.to_string());
    if !caps.supports(Operation::FindTicketByNumber) {
        assert_unsupported(
            vendor,
            "find_ticket_by_number",
            psa.find_ticket_by_number(&number).await,
        );
        return None;
    }
    let found = must(
        vendor,
        "find the ticket by its number",
        psa.find_ticket_by_number(&number),
    )
    .await;
    assert_eq!(
        found.id, ticket.id,
        "{vendor}: number {number:?} found ticket {} instead of {}",
        found.id, ticket.id
    );
    // The same shape with other digits: the vendor's form, not a ticket.
    let missing: String = number
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    if missing != number {
        let err = psa
            .find_ticket_by_number(&missing)
            .await
            .map(|t| t.id)
            .expect_err(&format!("{vendor}: {missing:?} found a ticket"));
        assert!(
            err.is_not_found(),
            "{vendor}: a number no ticket has should be NotFound: {err}"
        );
    }
    Some(number)
}

/// Whitespace-only and empty search text is refused as `InvalidInput`
/// before any request, on every search: a blank filter must never widen a
/// search to every record. `requests` counts the simulator's requests.
/// Returns how many searches were checked.
///
/// # Panics
/// When a blank search succeeds, fails otherwise, or sends a request.
pub async fn blank_search_text_is_refused(psa: &dyn Psa, requests: &dyn Fn() -> u64) -> usize {
    let vendor = psa.vendor();
    let caps = psa.capabilities();
    let mut checked = 0;
    for blank in ["", " ", "\n", "\t", " \r\n\t "] {
        let before = requests();
        let mut searches: Vec<(&str, Result<usize>)> = vec![
            (
                "list_tickets(text)",
                psa.list_tickets(TicketQuery::any().text(blank))
                    .try_collect::<Vec<_>>()
                    .await
                    .map(|v| v.len()),
            ),
            (
                "search_companies(name)",
                psa.search_companies(CompanyQuery::name(blank))
                    .try_collect::<Vec<_>>()
                    .await
                    .map(|v| v.len()),
            ),
            (
                "search_contacts(name)",
                psa.search_contacts(ContactQuery::name(blank))
                    .try_collect::<Vec<_>>()
                    .await
                    .map(|v| v.len()),
            ),
            (
                "search_contacts(phone)",
                psa.search_contacts(ContactQuery::phone(blank))
                    .try_collect::<Vec<_>>()
                    .await
                    .map(|v| v.len()),
            ),
            (
                "list_configurations(name)",
                psa.list_configurations(ConfigurationQuery::name(blank))
                    .try_collect::<Vec<_>>()
                    .await
                    .map(|v| v.len()),
            ),
        ];
        if caps.supports(Operation::SearchKbArticles) {
            searches.push((
                "search_kb_articles(text)",
                psa.search_kb_articles(KbQuery::text(blank))
                    .try_collect::<Vec<_>>()
                    .await
                    .map(|v| v.len()),
            ));
        }
        for (what, result) in searches {
            match result {
                Ok(n) => panic!("{vendor}: {what} with {blank:?} returned {n} records"),
                Err(e) => assert!(
                    e.is_invalid_input(),
                    "{vendor}: {what} with {blank:?} should be InvalidInput: {e}"
                ),
            }
            checked += 1;
        }
        assert_eq!(
            requests(),
            before,
            "{vendor}: a blank search sent a request"
        );
    }
    checked
}

/// What [`finds_a_caller_by_any_phone_form`] saw.
#[derive(Debug, Clone)]
pub struct PhoneForms {
    /// The contacts created: one stored in national form, one international.
    pub contacts: [Id; 2],
    /// The caller ids that found them.
    pub forms: Vec<String>,
}

/// A voice agent's caller id in any form finds the contact whatever form
/// a technician typed: a contact stored as `(02) 9555 0147` is found by
/// `+61 2 9555 0147`, `+61 (0)2 9555 0147`, `0061 2 9555 0147` and
/// `02-9555-0147 ext 12`; one stored as `+61 3 9555 0258` by
/// `(03) 9555 0258`, `03 9555 0258 x7` and `+61395550258`. Every contact a
/// search returns is the same number.
///
/// # Panics
/// When a step fails, a form misses its contact or finds another number.
pub async fn finds_a_caller_by_any_phone_form(psa: &dyn Psa) -> Option<PhoneForms> {
    let vendor = psa.vendor();
    let caps = psa.capabilities();
    if !caps.supports(Operation::CreateContact) {
        return None;
    }
    let company = open_ticket(psa).await.company.map_or_else(
        || panic!("{vendor}: the open ticket has no company"),
        |c| c.id,
    );
    let cases: [(&str, &str, &[&str]); 2] = [
        (
            "Nat",
            "(02) 9555 0147",
            &[
                "+61 2 9555 0147",
                "+61 (0)2 9555 0147",
                "0061 2 9555 0147",
                "02-9555-0147 ext 12",
            ],
        ),
        (
            "Intl",
            "+61 3 9555 0258",
            &["(03) 9555 0258", "03 9555 0258 x7", "+61395550258"],
        ),
    ];
    let mut ids = Vec::new();
    let mut forms = Vec::new();
    for (name, stored, callers) in cases {
        let created = must(
            vendor,
            "create a contact with a phone",
            psa.create_contact(
                NewContact::new(company.clone(), "Phone")
                    .last_name(format!("Form{name}"))
                    .email(format!("phone.form.{}@example.com", name.to_lowercase()))
                    .phone(stored),
            ),
        )
        .await;
        for caller in callers {
            let found = collect(
                vendor,
                "find a contact by phone",
                psa.search_contacts(ContactQuery::phone(*caller)),
            )
            .await;
            assert_found(
                vendor,
                &format!("searching {caller:?} (stored {stored:?})"),
                &found,
                |c| &c.id,
                &created.id,
                |c| {
                    let numbers = [c.phone.as_deref(), c.mobile.as_deref()];
                    (!numbers
                        .iter()
                        .flatten()
                        .any(|n| same_number(n, caller, None)))
                    .then(|| format!("a contact with {numbers:?}"))
                },
            );
            forms.push((*caller).to_owned());
        }
        ids.push(created.id);
    }
    let contacts: [Id; 2] = ids
        .try_into()
        .unwrap_or_else(|_| panic!("{vendor}: two contacts"));
    Some(PhoneForms { contacts, forms })
}

/// The first `n` active agents this client may act for, each with its
/// view and the id of a note written on `ticket` through it (marked
/// `[conformance] acting as …`). An agent the vendor refuses to be acted
/// for (`Forbidden`: Autotask's API-only security levels, a technician the
/// application may not impersonate) is passed over, as an agent picking a
/// technician would; any other failure is one.
///
/// # Panics
/// When a call fails otherwise, or fewer than `n` agents can be acted for.
async fn actable_agents(
    psa: &dyn Psa,
    ticket: &Id,
    n: usize,
) -> Vec<(Agent, Arc<dyn Psa>, String)> {
    let vendor = psa.vendor();
    let agents = must(vendor, "list agents", psa.list_agents()).await;
    let mut out = Vec::new();
    let mut refused = Vec::new();
    for agent in agents
        .into_iter()
        .filter(|a| a.active != Some(false) && !a.name.trim().is_empty())
    {
        if out.len() == n {
            break;
        }
        let view = must(vendor, "act as an agent", async { psa.act_as(&agent.id) }).await;
        let marker = format!("[conformance] acting as {}", agent.id);
        match view.add_note(ticket, NewNote::internal(&marker)).await {
            Ok(_) => out.push((agent, view, marker)),
            Err(e) if e.kind() == ErrorKind::Forbidden => refused.push(agent.id),
            Err(e) => panic!("{vendor}: a note as agent {}: {e}", agent.id),
        }
    }
    assert!(
        out.len() == n,
        "{vendor}: only {} agents can be acted for (refused: {refused:?})",
        out.len()
    );
    out
}

/// What [`act_as_attributes_writes`] did.
#[derive(Debug, Clone)]
pub struct Attributed {
    /// The technician acted for.
    pub agent: Id,
    /// The note written as them.
    pub note: Id,
}

/// A write made through `act_as(agent)` is attributed to that agent: a note
/// added through the view reads back with `author` = the agent (the id
/// `list_agents` gives), and the view says whom it acts for. A vendor that
/// cannot act as another agent refuses `act_as` as `Unsupported` with the
/// reason `capabilities().act_as()` gives.
///
/// # Panics
/// When a step fails or the note is attributed to someone else.
pub async fn act_as_attributes_writes(psa: &dyn Psa) -> Option<Attributed> {
    let vendor = psa.vendor();
    let caps = psa.capabilities();
    if let Support::Unsupported(reason) = caps.act_as() {
        let reason: &str = reason;
        let agents = must(vendor, "list agents", psa.list_agents()).await;
        let agent = agents
            .first()
            .unwrap_or_else(|| panic!("{vendor}: no agent"));
        let err = psa
            .act_as(&agent.id)
            .map(|_| ())
            .expect_err(&format!("{vendor}: act_as succeeded, capabilities say no"));
        assert_eq!(err.kind(), ErrorKind::Unsupported, "{vendor}: {err}");
        assert!(
            err.to_string().contains(reason),
            "{vendor}: act_as refused without the capabilities' reason {reason:?}: {err}"
        );
        return None;
    }
    let ticket = open_ticket(psa).await;
    let (agent, view, marker) = actable_agents(psa, &ticket.id, 1)
        .await
        .pop()
        .unwrap_or_else(|| panic!("{vendor}: no agent"));
    assert_eq!(
        view.acting_as(),
        Some(&agent.id),
        "{vendor}: the view does not say whom it acts for"
    );
    assert_eq!(psa.acting_as(), None, "{vendor}: act_as changed the client");
    let read = notes_with(psa, &ticket.id, &marker).await;
    assert_eq!(read.len(), 1, "{vendor}: the note reads back once");
    let author = read[0]
        .author
        .as_ref()
        .unwrap_or_else(|| panic!("{vendor}: the note written as {} has no author", agent.id));
    assert_eq!(
        author.id, agent.id,
        "{vendor}: the note written as agent {} is attributed to {}",
        agent.id, author.id
    );
    Some(Attributed {
        agent: agent.id,
        note: read[0].id.clone(),
    })
}

/// Attachments on a ticket: upload a small text file, find it listed with
/// its name, download the same bytes, delete it, and no longer find it. A
/// file the SDK refuses (an executable) is `InvalidInput` with no request.
/// Returns the attachment's id.
///
/// # Panics
/// When a step fails or an effect does not read back.
pub async fn attachments_round_trip(psa: &dyn Psa, requests: &dyn Fn() -> u64) -> Option<Id> {
    let vendor = psa.vendor();
    let caps = psa.capabilities();
    let ticket = open_ticket(psa).await;
    if !caps.supports(Operation::UploadAttachment) {
        assert_unsupported(
            vendor,
            "upload_attachment",
            psa.upload_attachment(
                &ticket.id,
                NewAttachment::new("a.txt", "text/plain", &b"a"[..]),
            )
            .await,
        );
        return None;
    }
    let before = requests();
    let err = psa
        .upload_attachment(
            &ticket.id,
            NewAttachment::new("setup.exe", "application/octet-stream", &b"MZ"[..]),
        )
        .await
        .map(|a| a.id)
        .expect_err(&format!("{vendor}: an executable was uploaded"));
    assert!(err.is_invalid_input(), "{vendor}: {err}");
    assert_eq!(
        requests(),
        before,
        "{vendor}: a refused upload sent a request"
    );

    let content = Bytes::from_static(b"conformance attachment: printer log\nline 2\n");
    let uploaded = must(
        vendor,
        "upload an attachment",
        psa.upload_attachment(
            &ticket.id,
            NewAttachment::new("printer-log.txt", "text/plain", content.clone()),
        ),
    )
    .await;
    let listed = collect(vendor, "list attachments", psa.list_attachments(&ticket.id)).await;
    let found = listed
        .iter()
        .find(|a| a.id == uploaded.id)
        .unwrap_or_else(|| panic!("{vendor}: the uploaded attachment is not listed"));
    assert_eq!(found.file_name, "printer-log.txt", "{vendor}: file name");
    let download = must(
        vendor,
        "download the attachment",
        psa.download_attachment(&uploaded.id, 1024 * 1024),
    )
    .await;
    let body = must(vendor, "read the download", download.bytes()).await;
    assert_eq!(body, content, "{vendor}: downloaded bytes differ");
    let capped = psa.download_attachment(&uploaded.id, 8).await;
    let capped = match capped {
        Ok(d) => d.bytes().await.map(|b| b.len()),
        Err(e) => Err(e),
    };
    assert!(
        capped.is_err(),
        "{vendor}: a download over its limit returned {capped:?}"
    );
    must(
        vendor,
        "delete the attachment",
        psa.delete_attachment(&uploaded.id),
    )
    .await;
    let after = collect(vendor, "list attachments", psa.list_attachments(&ticket.id)).await;
    assert!(
        after.iter().all(|a| a.id != uploaded.id),
        "{vendor}: the deleted attachment is still listed"
    );
    Some(uploaded.id)
}

/// The tenant's custom-field definitions for tickets: each has a name, a
/// picklist has its options, and a value of the wrong kind (text for a
/// number, a value not among a picklist's options) is refused by
/// [`CustomFieldDef::check`](psa_core::CustomFieldDef::check).
/// Returns how many definitions there are.
///
/// # Panics
/// When the listing fails or a definition is malformed.
pub async fn custom_field_definitions(psa: &dyn Psa) -> Option<usize> {
    let vendor = psa.vendor();
    let caps = psa.capabilities();
    if !caps.supports(Operation::ListCustomFields) {
        assert_unsupported(
            vendor,
            "list_custom_fields",
            psa.list_custom_fields(CustomFieldEntity::Ticket).await,
        );
        return None;
    }
    let defs = must(
        vendor,
        "list ticket custom fields",
        psa.list_custom_fields(CustomFieldEntity::Ticket),
    )
    .await;
    assert!(
        !defs.is_empty(),
        "{vendor}: the simulator seeds ticket custom fields, none listed"
    );
    for d in &defs {
        assert!(
            !d.name.trim().is_empty(),
            "{vendor}: a definition without a name"
        );
        assert_eq!(d.entity, CustomFieldEntity::Ticket, "{vendor}: {}", d.name);
        match d.kind {
            CustomFieldKind::Picklist => {
                assert!(
                    !d.options.is_empty(),
                    "{vendor}: picklist {} has no options",
                    d.name
                );
                let bad = serde_json::json!("conformance: not one of the options");
                assert!(
                    d.check(&bad).is_err(),
                    "{vendor}: picklist {} accepts a value not among its options",
                    d.name
                );
            }
            CustomFieldKind::Integer | CustomFieldKind::Number => assert!(
                d.check(&serde_json::json!("twelve")).is_err(),
                "{vendor}: number field {} accepts text",
                d.name
            ),
            _ => {}
        }
    }
    Some(defs.len())
}

/// What [`approval_through_the_psa`] did.
#[derive(Debug, Clone)]
pub struct ApprovedOnTicket {
    /// The ticket.
    pub ticket: Id,
    /// The plan.
    pub plan: String,
    /// The assigned agent who approved.
    pub approver: Id,
}

/// Approval through the PSA, end to end: a guard whose ticket writes need
/// approval defers a priority change; the plan is posted on the ticket as
/// an internal note; another technician's `APPROVE` (written through
/// `act_as`) does not count; the assigned agent's does, and the plan runs
/// once — the priority reads back — and a second execution is refused.
/// Needs `act_as` to write as the two technicians; a vendor without it
/// returns `None` ([`act_as_attributes_writes`] checks its refusal).
///
/// # Panics
/// When a step fails or the approval is not honoured as described.
pub async fn approval_through_the_psa(psa: Arc<dyn Psa>) -> Option<ApprovedOnTicket> {
    let vendor = psa.vendor();
    if !psa.capabilities().act_as().is_supported() {
        return None;
    }
    let ticket = open_ticket(psa.as_ref()).await;
    let mut actable = actable_agents(psa.as_ref(), &ticket.id, 2).await;
    let (other, as_other, _) = actable.pop().unwrap_or_else(|| panic!("{vendor}: agents"));
    let (owner, as_owner, _) = actable.pop().unwrap_or_else(|| panic!("{vendor}: agents"));
    let values = triage_values(psa.as_ref(), &ticket).await;
    must(
        vendor,
        "assign the ticket",
        psa.update_ticket(&ticket.id, TicketPatch::new().owner(owner.id.clone())),
    )
    .await;

    let approver = PsaApprover::new(Arc::clone(&psa))
        .poll_interval(Duration::from_millis(20))
        .timeout(Duration::from_secs(30));
    let policy = Policy::profile(Profile::ItAdmin)
        .edit(PermissionGroup::Tickets)
        .approval(Approval::Writes)
        .build();
    let guard = Guarded::new(Arc::clone(&psa), policy)
        .with_label("conformance-bot")
        .with_approver(approver)
        .defer_approvals(MemoryPlanStore::new());
    let patch = TicketPatch::new().priority(values.priority.id.clone());
    let err = guard
        .update_ticket(&ticket.id, patch)
        .await
        .map(|t| t.id)
        .expect_err(&format!("{vendor}: a write needing approval ran at once"));
    assert!(err.is_approval_pending(), "{vendor}: {err}");
    let plan = err
        .plan_id()
        .unwrap_or_else(|| panic!("{vendor}: a pending approval without a plan id"))
        .to_owned();
    let requests = notes_with(psa.as_ref(), &ticket.id, psa_permissions::REQUEST_MARKER).await;
    let request = requests
        .iter()
        .find(|n| n.body.contains("APPROVE "))
        .unwrap_or_else(|| panic!("{vendor}: no approval request note on the ticket"));
    assert_eq!(
        request.visibility,
        NoteVisibility::Internal,
        "{vendor}: the request note is not internal"
    );
    let at = request.body.find("APPROVE ").unwrap_or_default() + "APPROVE ".len();
    let code: String = request.body[at..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();

    must(
        vendor,
        "another agent approves",
        as_other.add_note(&ticket.id, NewNote::internal(format!("APPROVE {code}"))),
    )
    .await;
    let still = guard.execute_plan(&plan).await.expect_err(&format!(
        "{vendor}: agent {}'s approval ran a plan on a ticket assigned to {}",
        other.id, owner.id
    ));
    assert!(still.is_approval_pending(), "{vendor}: {still}");

    must(
        vendor,
        "the assigned agent approves",
        as_owner.add_note(&ticket.id, NewNote::internal(format!("Ok. APPROVE {code}"))),
    )
    .await;
    must(
        vendor,
        "execute the approved plan",
        guard.execute_plan(&plan),
    )
    .await;
    let read = must(vendor, "read the ticket", psa.get_ticket(&ticket.id)).await;
    assert_eq!(
        ref_id(read.priority.as_ref()),
        Some(&values.priority.id),
        "{vendor}: the approved priority did not read back"
    );
    let again = guard
        .execute_plan(&plan)
        .await
        .expect_err(&format!("{vendor}: a plan ran twice"));
    assert!(
        !again.is_approval_pending(),
        "{vendor}: a second execution should be refused, not pending: {again}"
    );
    Some(ApprovedOnTicket {
        ticket: ticket.id,
        plan,
        approver: owner.id,
    })
}
