//! What an AI helpdesk agent needs beyond CRUD, over MCP: writes attributed
//! to a technician (`act_as`), finding a ticket by the number a caller
//! quotes, custom-field definitions and attachments.
//!
//! Acting as a technician, custom fields and attachments are driven against
//! an in-memory PSA that supports them (`common::memory`), and against the
//! vendor simulators for what those support today: a vendor that cannot do
//! it hides the tool, or refuses cleanly with `unsupported` and sends
//! nothing.

#![allow(missing_docs, clippy::unwrap_used, clippy::too_many_lines)]

mod common;

use std::sync::Arc;

use common::memory::{API_AGENT, MemoryPsa, TICKET};
use common::{Rig, VENDORS, call, data, error_kind, first_ticket, serve, structured, text};
use psa_core::{Access, Id, Operation, PermissionGroup, Psa};
use psa_mcp::McpServer;
use psa_mcp::envelope::TAG;
use psa_permissions::{AuditDecision, MemoryAudit, Policy, Profile};
use serde_json::{Value, json};

/// Helpdesk with attachments writable and deletable, and acting as
/// technicians switched on (or off).
fn agent_policy(act_as: bool) -> Policy {
    Policy::profile(Profile::Helpdesk)
        .grant(PermissionGroup::Attachments, Access::ReadWrite)
        .delete(true)
        .build()
        .act_as(act_as)
}

fn memory_server(psa: &MemoryPsa, policy: Policy, audit: &MemoryAudit) -> McpServer {
    McpServer::builder(Arc::new(psa.clone()))
        .policy(policy)
        .label("voice-agent")
        .audit(audit.clone())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_write_is_attributed_to_the_technician_it_acts_for_and_audited() {
    let psa = MemoryPsa::new();
    let audit = MemoryAudit::new();
    let (http, client) = serve(memory_server(&psa, agent_policy(true), &audit)).await;

    // Write tools offer `act_as` when the policy allows it.
    let tools = client.list_all_tools().await.unwrap();
    let add_note = tools.iter().find(|t| t.name == "add_note").unwrap();
    assert!(add_note.input_schema["properties"].get("act_as").is_some());
    let get = tools.iter().find(|t| t.name == "get_ticket").unwrap();
    assert!(get.input_schema["properties"].get("act_as").is_none());

    let r = call(
        &client,
        "add_note",
        json!({"ticket": TICKET, "body": "Called the user back.", "visibility": "internal", "act_as": 7}),
    )
    .await;
    assert_eq!(data(&r)["author"]["id"], 7, "{}", text(&r));
    let r = call(
        &client,
        "add_note",
        json!({"ticket": TICKET, "body": "As the API account.", "visibility": "internal"}),
    )
    .await;
    assert_eq!(data(&r)["author"]["id"], API_AGENT);
    let notes = psa.notes();
    assert_eq!(notes[0].author.as_ref().unwrap().id, Id::from(7));

    let events = audit.events();
    let written: Vec<_> = events
        .iter()
        .filter(|e| e.operation == Operation::AddNote)
        .collect();
    assert_eq!(written.len(), 2);
    assert_eq!(written[0].technician, Some(Id::from(7)));
    assert_eq!(written[0].label, "voice-agent");
    assert_eq!(written[1].technician, None);

    // A malformed technician is an argument error; nothing sent.
    let before = psa.requests();
    let r = call(
        &client,
        "add_note",
        json!({"ticket": TICKET, "body": "x", "visibility": "internal", "act_as": [7]}),
    )
    .await;
    assert_eq!(error_kind(&r), "invalid_arguments");
    assert_eq!(psa.requests(), before);
    let _ = client.cancel().await;
    http.shutdown().await;
}

#[tokio::test]
async fn acting_as_is_refused_when_the_policy_switch_is_off() {
    let psa = MemoryPsa::new();
    let audit = MemoryAudit::new();
    let (http, client) = serve(memory_server(&psa, agent_policy(false), &audit)).await;
    let tools = client.list_all_tools().await.unwrap();
    let add_note = tools.iter().find(|t| t.name == "add_note").unwrap();
    assert!(add_note.input_schema["properties"].get("act_as").is_none());
    let r = call(
        &client,
        "add_note",
        json!({"ticket": TICKET, "body": "x", "visibility": "internal", "act_as": 7}),
    )
    .await;
    assert_eq!(error_kind(&r), "permission_denied", "{}", text(&r));
    assert!(text(&r).contains("act_as"), "{}", text(&r));
    assert_eq!(structured(&r)["error"]["sent"], false);
    assert_eq!(psa.requests(), 0);
    assert!(psa.notes().is_empty());
    // The refusal is audited: who tried to act as whom, for what, and why.
    let events = audit.events();
    assert_eq!(events.len(), 1, "{events:?}");
    let ev = &events[0];
    assert_eq!(ev.label, "voice-agent");
    assert_eq!(ev.technician, Some(Id::from(7)));
    assert_eq!(ev.operation, Operation::AddNote);
    assert!(
        matches!(&ev.decision, AuditDecision::Denied(d) if d.missing == "act_as"),
        "{ev:?}"
    );
    assert_eq!(ev.outcome, psa_permissions::AuditOutcome::NotSent);
    let _ = client.cancel().await;
    http.shutdown().await;

    // A configured technician needs the switch too: the server won't start.
    let err = McpServer::builder(Arc::new(psa.clone()))
        .policy(agent_policy(false))
        .act_as(Id::from(7))
        .build()
        .unwrap_err();
    assert!(
        err.is_config() && err.to_string().contains("act_as"),
        "{err}"
    );
}

#[tokio::test]
async fn a_configured_technician_signs_every_write() {
    let psa = MemoryPsa::new();
    let audit = MemoryAudit::new();
    let server = McpServer::builder(Arc::new(psa.clone()))
        .policy(agent_policy(true))
        .act_as(Id::from(8))
        .audit(audit.clone())
        .build()
        .unwrap();
    assert_eq!(server.technician(), Some(&Id::from(8)));
    let (http, client) = serve(server).await;
    let r = call(
        &client,
        "add_note",
        json!({"ticket": TICKET, "body": "x", "visibility": "internal"}),
    )
    .await;
    assert_eq!(data(&r)["author"]["id"], 8);
    // The call's own technician wins.
    let r = call(
        &client,
        "add_note",
        json!({"ticket": TICKET, "body": "y", "visibility": "internal", "act_as": 7}),
    )
    .await;
    assert_eq!(data(&r)["author"]["id"], 7);
    let techs: Vec<_> = audit
        .events()
        .into_iter()
        .filter(|e| e.decision == AuditDecision::Allowed)
        .map(|e| e.technician)
        .collect();
    assert_eq!(techs, vec![Some(Id::from(8)), Some(Id::from(7))]);
    let _ = client.cancel().await;
    http.shutdown().await;
}

#[tokio::test]
async fn a_vendor_that_cannot_act_as_refuses_cleanly_and_sends_nothing() {
    for vendor in VENDORS {
        let audit = MemoryAudit::new();
        let rig = Rig::start(vendor, |b| {
            b.policy(agent_policy(true)).audit(audit.clone())
        })
        .await;
        let ticket = first_ticket(&rig.client).await;
        let caps = rig.sim.psa().capabilities();
        if caps.act_as().is_supported() {
            // A vendor that acts for technicians: the write goes through for
            // the first agent the vendor lets this client act for (Autotask
            // refuses its API-only resource, as `forbidden`).
            let agents = rig.sim.psa().list_agents().await.unwrap();
            let mut written = false;
            for agent in agents {
                let r = call(
                    &rig.client,
                    "add_note",
                    json!({"ticket": ticket, "body": "x", "visibility": "internal",
                           "act_as": agent.id}),
                )
                .await;
                if !common::is_error(&r) {
                    written = true;
                    break;
                }
                assert_eq!(error_kind(&r), "forbidden", "{vendor}: {}", text(&r));
                // The PSA's refusal is audited as a failed write, with the
                // technician it was for.
                let ev = audit.events().pop().unwrap();
                assert_eq!(ev.technician, Some(agent.id.clone()), "{vendor}");
                assert_eq!(ev.operation, Operation::AddNote);
                assert!(
                    matches!(&ev.outcome, psa_permissions::AuditOutcome::Failed { kind, .. } if kind == "forbidden"),
                    "{vendor}: {ev:?}"
                );
            }
            assert!(written, "{vendor}: no agent could be acted for");
        } else {
            let agent = rig.sim.psa().list_agents().await.unwrap()[0].id.clone();
            let before = rig.requests();
            let r = call(
                &rig.client,
                "add_note",
                json!({"ticket": ticket, "body": "x", "visibility": "internal", "act_as": agent}),
            )
            .await;
            assert_eq!(error_kind(&r), "unsupported", "{vendor}: {}", text(&r));
            assert_eq!(structured(&r)["error"]["sent"], false);
            assert_eq!(rig.requests(), before, "{vendor}: sent a request");
            // Audited: the client could not act for that technician.
            let events = audit.events();
            assert_eq!(events.len(), 1, "{vendor}: {events:?}");
            assert_eq!(events[0].technician, Some(agent.clone()));
            assert_eq!(events[0].operation, Operation::AddNote);
            assert!(
                matches!(&events[0].outcome, psa_permissions::AuditOutcome::Failed { kind, .. } if kind == "unsupported"),
                "{vendor}: {:?}",
                events[0]
            );
            // And a server configured to act as someone does not start.
            let err = McpServer::builder(rig.sim.psa())
                .policy(agent_policy(true))
                .act_as(agent)
                .build()
                .unwrap_err();
            assert!(err.is_config(), "{vendor}: {err}");
        }
        rig.stop().await;
    }
}

#[tokio::test]
async fn a_technician_the_psa_refuses_is_audited_as_a_failed_write() {
    // Autotask refuses to let the integration impersonate an API-only
    // resource: the write reaches the PSA, which answers 403.
    let audit = MemoryAudit::new();
    let rig = Rig::start(psa_core::Vendor::Autotask, |b| {
        b.policy(agent_policy(true)).audit(audit.clone())
    })
    .await;
    let ticket = first_ticket(&rig.client).await;
    let api_only = psa_autotask::mock::API_USER_RESOURCE_ID;
    let before = rig.requests();
    let r = call(
        &rig.client,
        "add_note",
        json!({"ticket": ticket, "body": "x", "visibility": "internal", "act_as": api_only}),
    )
    .await;
    assert_eq!(error_kind(&r), "forbidden", "{}", text(&r));
    assert!(rig.requests() > before, "the PSA was asked");
    let events = audit.events();
    assert_eq!(events.len(), 1, "{events:?}");
    let ev = &events[0];
    assert_eq!(ev.label, "test-agent");
    assert_eq!(ev.technician, Some(Id::from(api_only)));
    assert_eq!(ev.operation, Operation::AddNote);
    assert_eq!(ev.decision, AuditDecision::Allowed);
    assert!(
        matches!(&ev.outcome, psa_permissions::AuditOutcome::Failed { kind, .. } if kind == "forbidden"),
        "{ev:?}"
    );
    rig.stop().await;
}

#[tokio::test]
async fn a_ticket_is_found_by_the_number_people_quote_on_every_vendor() {
    for vendor in VENDORS {
        let rig = Rig::start(vendor, common::helpdesk).await;
        let listed = call(&rig.client, "list_tickets", json!({"limit": 1})).await;
        let first = data(&listed)["items"][0].clone();
        let number = match &first["number"] {
            Value::String(n) => n.clone(),
            _ => first["id"].to_string().trim_matches('"').to_owned(),
        };
        let r = call(
            &rig.client,
            "find_ticket_by_number",
            json!({"number": format!(" #{number} ")}),
        )
        .await;
        assert_eq!(data(&r)["id"], first["id"], "{vendor}: {}", text(&r));
        assert!(text(&r).contains(&format!("<{TAG} nonce=")));
        let before = rig.requests();
        let r = call(
            &rig.client,
            "find_ticket_by_number",
            json!({"number": "not a number; DROP TABLE"}),
        )
        .await;
        assert_eq!(error_kind(&r), "invalid_input", "{vendor}: {}", text(&r));
        assert_eq!(rig.requests(), before, "{vendor}: a bad number was sent");
        rig.stop().await;
    }
}

#[tokio::test]
async fn tools_the_vendor_cannot_do_are_not_listed() {
    for vendor in VENDORS {
        let rig = Rig::start(vendor, |b| b.policy(agent_policy(false))).await;
        let caps = rig.sim.psa().capabilities();
        let names: Vec<String> = rig
            .client
            .list_all_tools()
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.name.to_string())
            .collect();
        for op in [
            Operation::ListCustomFields,
            Operation::ListAttachments,
            Operation::DownloadAttachment,
            Operation::UploadAttachment,
            Operation::DeleteAttachment,
            Operation::FindTicketByNumber,
        ] {
            assert_eq!(
                names.iter().any(|n| n == op.method_name()),
                caps.supports(op),
                "{vendor}: {op} listed against its capabilities"
            );
        }
        rig.stop().await;
    }
}

#[tokio::test]
async fn custom_fields_and_attachments_round_trip() {
    let psa = MemoryPsa::new();
    let audit = MemoryAudit::new();
    let (http, client) = serve(memory_server(&psa, agent_policy(false), &audit)).await;
    let tools = client.list_all_tools().await.unwrap();
    let hint = |name: &str| {
        let a = tools
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("{name} not listed"))
            .annotations
            .clone()
            .unwrap();
        (a.read_only_hint, a.destructive_hint)
    };
    assert_eq!(hint("list_custom_fields"), (Some(true), Some(false)));
    assert_eq!(hint("list_attachments"), (Some(true), Some(false)));
    assert_eq!(hint("download_attachment"), (Some(true), Some(false)));
    assert_eq!(hint("upload_attachment"), (Some(false), Some(false)));
    assert_eq!(hint("delete_attachment"), (Some(false), Some(true)));

    // Custom fields: tickets by default.
    let r = call(&client, "list_custom_fields", json!({})).await;
    assert_eq!(data(&r)["items"][0]["name"], "Tier", "{}", text(&r));
    assert_eq!(data(&r)["items"][0]["options"][1]["label"], "Silver");
    let r = call(&client, "list_custom_fields", json!({"entity": "contact"})).await;
    assert_eq!(data(&r)["items"][0]["name"], "Region");
    let r = call(&client, "list_custom_fields", json!({"entity": "invoice"})).await;
    assert_eq!(error_kind(&r), "invalid_arguments");

    // List and download: base64 with its content type, untrusted.
    let r = call(&client, "list_attachments", json!({"ticket": TICKET})).await;
    assert_eq!(data(&r)["count"], 1);
    assert_eq!(data(&r)["items"][0]["file_name"], "hello.txt");
    let r = call(&client, "download_attachment", json!({"id": 1})).await;
    let d = data(&r);
    assert_eq!(d["content"], "aGVsbG8gd29ybGQ=", "{}", text(&r));
    assert_eq!(d["encoding"], "base64");
    assert_eq!(d["content_type"], "text/plain");
    assert_eq!(d["size"], 11);
    assert_eq!(structured(&r)["untrusted"], true);
    assert!(text(&r).contains("untrusted content"));

    // Upload: base64 in, checked first.
    let r = call(
        &client,
        "upload_attachment",
        json!({"ticket": TICKET, "file_name": "notes.txt", "content_type": "text/plain", "data": "Zm9vYmFy"}),
    )
    .await;
    let id = data(&r)["id"].clone();
    assert_eq!(data(&r)["size"], 6, "{}", text(&r));
    let files = psa.files();
    assert_eq!(&files.last().unwrap().1[..], b"foobar");
    assert!(files.last().unwrap().0.content_type.as_deref() == Some("text/plain"));

    let before = psa.requests();
    for (args, kind) in [
        (
            json!({"ticket": TICKET, "file_name": "a.txt", "content_type": "text/plain", "data": "%%% not base64"}),
            "invalid_arguments",
        ),
        (
            json!({"ticket": TICKET, "file_name": "../../a.txt", "content_type": "text/plain", "data": "Zm9v"}),
            "invalid_input",
        ),
        (
            json!({"ticket": TICKET, "file_name": "fix.exe", "content_type": "application/octet-stream", "data": "TVo="}),
            "invalid_input",
        ),
        (
            json!({"ticket": TICKET, "file_name": "a.txt", "content_type": "text/plain", "data": 42}),
            "invalid_arguments",
        ),
    ] {
        let r = call(&client, "upload_attachment", args.clone()).await;
        assert_eq!(error_kind(&r), kind, "{args}: {}", text(&r));
    }
    assert_eq!(psa.requests(), before, "a refused upload was sent");

    // Delete.
    let r = call(&client, "delete_attachment", json!({"id": id})).await;
    assert_eq!(data(&r)["deleted"], id, "{}", text(&r));
    assert_eq!(psa.files().len(), 1);
    let _ = client.cancel().await;
    http.shutdown().await;
}

#[tokio::test]
async fn attachment_sizes_are_capped_by_the_server() {
    let psa = MemoryPsa::new();
    let audit = MemoryAudit::new();
    let server = McpServer::builder(Arc::new(psa.clone()))
        .policy(agent_policy(false))
        .audit(audit.clone())
        .limits(psa_mcp::Limits::default().attachment_bytes(5, 8))
        .build()
        .unwrap();
    let (http, client) = serve(server).await;

    // The stored file is 11 bytes: over a 5-byte download cap.
    let r = call(&client, "download_attachment", json!({"id": 1})).await;
    assert!(common::is_error(&r));
    assert!(text(&r).contains('5'), "{}", text(&r));

    // Nine bytes: over the 8-byte upload cap, refused before any request.
    let before = psa.requests();
    let r = call(
        &client,
        "upload_attachment",
        json!({"ticket": TICKET, "file_name": "a.txt", "content_type": "text/plain", "data": "MTIzNDU2Nzg5"}),
    )
    .await;
    assert_eq!(error_kind(&r), "invalid_arguments", "{}", text(&r));
    assert!(text(&r).contains("at most 8 bytes"), "{}", text(&r));
    // A base64 string far over the cap is refused by its length alone.
    let r = call(
        &client,
        "upload_attachment",
        json!({"ticket": TICKET, "file_name": "a.txt", "content_type": "text/plain", "data": "A".repeat(400_000)}),
    )
    .await;
    assert_eq!(error_kind(&r), "invalid_arguments", "{}", text(&r));
    assert_eq!(psa.requests(), before);

    // Under a policy without attachment writes, upload and delete are
    // hidden and refused with nothing sent.
    let _ = client.cancel().await;
    http.shutdown().await;
    let server = McpServer::builder(Arc::new(psa.clone()))
        .policy(Policy::profile(Profile::Helpdesk))
        .build()
        .unwrap();
    let names: Vec<&str> = server.tools().iter().map(|t| t.name.as_ref()).collect();
    assert!(names.contains(&"list_attachments"));
    assert!(!names.contains(&"upload_attachment") && !names.contains(&"delete_attachment"));
    let r = server
        .call(
            "upload_attachment",
            common::args(json!({"ticket": TICKET, "file_name": "a.txt", "content_type": "text/plain", "data": "Zm9v"})),
        )
        .await
        .unwrap();
    assert_eq!(error_kind(&r), "permission_denied");
    let r = server
        .call("delete_attachment", common::args(json!({"id": 1})))
        .await
        .unwrap();
    assert_eq!(error_kind(&r), "permission_denied");
    assert_eq!(psa.requests(), before);
}

#[tokio::test]
async fn a_deferred_write_keeps_its_technician_until_it_runs() {
    let psa = MemoryPsa::new();
    let audit = MemoryAudit::new();
    let policy = Policy::profile(Profile::Helpdesk)
        .edit(PermissionGroup::TicketNotes)
        .approval(psa_permissions::Approval::Writes)
        .build()
        .act_as(true);
    let client_psa: Arc<dyn Psa> = Arc::new(psa.clone());
    let server = McpServer::builder(Arc::clone(&client_psa))
        .policy(policy)
        .label("voice-agent")
        .audit(audit.clone())
        .approver(psa_permissions::PsaApprover::new(Arc::clone(&client_psa)))
        .plan_store(Arc::new(psa_permissions::MemoryPlanStore::new()), true)
        .build()
        .unwrap();
    let (http, client) = serve(server).await;

    let r = call(
        &client,
        "add_note",
        json!({"ticket": TICKET, "body": "Replaced the fuser.", "visibility": "internal", "act_as": 8}),
    )
    .await;
    assert_eq!(
        structured(&r)["outcome"],
        "pending_approval",
        "{}",
        text(&r)
    );
    let plan_id = structured(&r)["plan_id"].as_str().unwrap().to_owned();
    let request = psa.notes().pop().unwrap();
    assert!(
        request.body.contains("On behalf of agent 8"),
        "{}",
        request.body
    );
    assert_eq!(psa.notes().len(), 1, "only the request was written");

    // The ticket's owner (agent 7 in the memory PSA) approves on the ticket.
    client_psa
        .act_as(&Id::from(7))
        .unwrap()
        .add_note(
            &Id::from(TICKET),
            psa_core::NewNote::internal(format!("APPROVE {}", &plan_id[..8])),
        )
        .await
        .unwrap();
    let status = call(&client, "plan_status", json!({"plan_id": plan_id})).await;
    assert_eq!(data(&status)["status"], "approved", "{}", text(&status));
    assert_eq!(data(&status)["technician"], 8);
    let done = call(&client, "execute_plan", json!({"plan_id": plan_id})).await;
    assert_eq!(data(&done)["result"]["author"]["id"], 8, "{}", text(&done));
    let written = psa.notes().pop().unwrap();
    assert_eq!(written.body, "Replaced the fuser.");
    assert_eq!(written.author.unwrap().id, Id::from(8));
    let executed: Vec<_> = audit
        .events()
        .into_iter()
        .filter(|e| e.plan.as_deref() == Some(plan_id.as_str()))
        .filter(|e| e.outcome == psa_permissions::AuditOutcome::Ok)
        .collect();
    assert_eq!(executed.len(), 1, "{executed:?}");
    assert_eq!(executed[0].technician, Some(Id::from(8)));
    assert_eq!(executed[0].approver.as_deref(), Some("7"));
    let _ = client.cancel().await;
    http.shutdown().await;
}
