//! Approval through the PSA, over MCP, against the HaloPSA simulator: a
//! write the policy sends for approval is posted on its ticket as an
//! internal note and returns its plan id; the ticket's assigned agent
//! answers with a note of their own; the agent follows the plan up with
//! `plan_status` and runs it with `execute_plan`, once.

#![allow(missing_docs, clippy::unwrap_used, clippy::too_many_lines)]

mod common;

use common::{call, data, error_kind, is_error, serve, structured, text};
use futures::TryStreamExt;
use psa_core::{Id, Psa, RawRequest, TicketQuery, Vendor};
use psa_mcp::Config;
use psa_mcp::simulator::Simulator;
use psa_permissions::{AuditDecision, MemoryAudit, Profile, REQUEST_MARKER};
use serde_json::{Value, json};

/// Helpdesk, whose ticket changes need a technician's approval through the
/// PSA, deferred.
fn config(extra: &str) -> Config {
    Config::from_toml_str(&format!(
        r#"
vendor = "halo"
label = "triage-bot"
[policy]
profile = "helpdesk"
[policy.groups.tickets]
approval = "writes"
[approval]
mode = "psa"
timeout_seconds = 600
{extra}
"#
    ))
    .unwrap()
}

/// A reply on `ticket` written by `agent`, as a technician types it in
/// Halo (an internal action whose `who_agentid` is theirs).
async fn reply(psa: &dyn Psa, ticket: &Id, agent: &Id, body: &str) {
    let action = json!([{
        "ticket_id": ticket,
        "note": body,
        "outcome": "Private Note",
        "hiddenfromuser": true,
        "who_agentid": agent,
    }]);
    let r = psa.raw(RawRequest::post("Actions", action)).await.unwrap();
    assert!(r.status.is_success(), "the reply was refused: {}", r.status);
}

/// An open ticket with an assigned agent, that agent, and another one.
async fn owned_ticket(psa: &dyn Psa) -> (Id, Id, Id) {
    let tickets: Vec<_> = psa
        .list_tickets(TicketQuery::open())
        .try_collect()
        .await
        .unwrap();
    let t = tickets
        .into_iter()
        .find(|t| t.owner.is_some())
        .expect("a seeded ticket with an assigned agent");
    let owner = t.owner.unwrap().id;
    let other = psa
        .list_agents()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .find(|a| *a != owner && *a != Id::from(psa_halo::mock::API_AGENT_ID))
        .expect("another agent");
    (t.id, owner, other)
}

fn ticket_writes(sim: &Simulator) -> u64 {
    sim.requests_to("POST", "/api/Tickets")
}

/// The approval request note for `code` on `ticket`.
async fn request_note(psa: &dyn Psa, ticket: &Id, code: &str) -> String {
    let notes: Vec<_> = psa.list_notes(ticket).try_collect().await.unwrap();
    notes
        .into_iter()
        .map(|n| n.body)
        .find(|b| b.contains(REQUEST_MARKER) && b.contains(code))
        .expect("the approval request is posted on the ticket")
}

#[tokio::test]
async fn a_change_is_approved_on_the_ticket_by_its_assigned_agent_and_runs_once() {
    let sim = Simulator::start(Vendor::Halo).await.unwrap();
    let psa = sim.psa();
    let (ticket, owner, other) = owned_ticket(&*psa).await;
    let audit = MemoryAudit::new();
    let (builder, rx) = config("")
        .server_builder(sim.psa(), Profile::ReadOnly)
        .unwrap();
    assert!(rx.is_none());
    let server = builder.audit(audit.clone()).build().unwrap();
    assert!(server.defers_approvals());
    let (http, client) = serve(server).await;

    // The follow-up tools are listed; the write says how approval works.
    let tools = client.list_all_tools().await.unwrap();
    let status_tool = tools.iter().find(|t| t.name == "plan_status").unwrap();
    assert_eq!(
        status_tool.annotations.as_ref().unwrap().read_only_hint,
        Some(true)
    );
    let exec_tool = tools.iter().find(|t| t.name == "execute_plan").unwrap();
    assert_eq!(
        exec_tool.annotations.as_ref().unwrap().read_only_hint,
        Some(false)
    );
    let update = tools.iter().find(|t| t.name == "update_ticket").unwrap();
    assert!(
        update
            .description
            .as_deref()
            .unwrap()
            .contains("returns a plan_id"),
        "{:?}",
        update.description
    );

    // The write: a plan id back at once, nothing changed on the ticket.
    let writes = ticket_writes(&sim);
    let r = call(
        &client,
        "update_ticket",
        json!({"id": ticket, "summary": "Printer replaced under warranty"}),
    )
    .await;
    assert!(!is_error(&r), "{}", text(&r));
    let s = structured(&r);
    assert_eq!(s["outcome"], "pending_approval", "{s}");
    assert_eq!(s["status"], "pending");
    assert_eq!(s["sent"], false);
    assert_eq!(s["plan"]["operation"], "update_ticket");
    let plan_id = s["plan_id"].as_str().unwrap().to_owned();
    assert_eq!(plan_id.len(), 32);
    let code = &plan_id[..8];
    assert!(text(&r).contains("NOT EXECUTED YET"), "{}", text(&r));
    assert_eq!(ticket_writes(&sim), writes, "a pending write was sent");

    // The request on the ticket names what will change.
    let note = request_note(&*psa, &ticket, code).await;
    assert!(
        note.contains("triage-bot asks to run update_ticket")
            && note.contains("[summary]")
            && note.contains("Printer replaced under warranty")
            && note.contains(&format!("APPROVE {code}")),
        "{note}"
    );

    let status = call(&client, "plan_status", json!({"plan_id": plan_id})).await;
    assert_eq!(data(&status)["status"], "pending", "{}", text(&status));
    assert_eq!(
        data(&status)["change"]["summary"],
        "Printer replaced under warranty"
    );
    assert_eq!(data(&status)["approval_code"], code);

    // Another technician's approval does not count.
    reply(&*psa, &ticket, &other, &format!("APPROVE {code}")).await;
    let status = call(&client, "plan_status", json!({"plan_id": plan_id})).await;
    assert_eq!(data(&status)["status"], "pending", "{}", text(&status));
    let early = call(&client, "execute_plan", json!({"plan_id": plan_id})).await;
    assert_eq!(error_kind(&early), "approval_pending", "{}", text(&early));
    assert_eq!(structured(&early)["error"]["sent"], false);
    assert_eq!(ticket_writes(&sim), writes);

    // The assigned agent approves.
    reply(
        &*psa,
        &ticket,
        &owner,
        &format!("Fine by me. APPROVE {code}"),
    )
    .await;
    let status = call(&client, "plan_status", json!({"plan_id": plan_id})).await;
    let d = data(&status);
    assert_eq!(d["status"], "approved", "{}", text(&status));
    assert_eq!(d["decided_by"], owner.to_string());
    assert_eq!(ticket_writes(&sim), writes, "approval alone runs nothing");

    // Executed once, exactly as planned.
    let done = call(&client, "execute_plan", json!({"plan_id": plan_id})).await;
    let d = data(&done);
    assert_eq!(d["status"], "executed", "{}", text(&done));
    assert_eq!(d["result"]["summary"], "Printer replaced under warranty");
    assert!(d["result"].get("raw").is_none());
    assert_eq!(ticket_writes(&sim), writes + 1);
    let t = psa.get_ticket(&ticket).await.unwrap();
    assert_eq!(t.summary, "Printer replaced under warranty");

    // A second execution is refused, and sends nothing.
    let again = call(&client, "execute_plan", json!({"plan_id": plan_id})).await;
    assert_eq!(
        error_kind(&again),
        "plan_not_executable",
        "{}",
        text(&again)
    );
    assert!(text(&again).contains("runs once"), "{}", text(&again));
    assert_eq!(ticket_writes(&sim), writes + 1);
    let status = call(&client, "plan_status", json!({"plan_id": plan_id})).await;
    assert_eq!(data(&status)["status"], "executed");
    assert_eq!(data(&status)["outcome"]["status"], "ok");

    // The audit: awaiting, approved by the owner, executed.
    let events = audit.events();
    let mine: Vec<_> = events
        .iter()
        .filter(|e| e.plan.as_deref() == Some(plan_id.as_str()))
        .collect();
    assert!(
        mine.iter()
            .any(|e| e.decision == AuditDecision::AwaitingApproval),
        "{mine:?}"
    );
    assert!(
        mine.iter().any(|e| e.decision == AuditDecision::Approved
            && e.approver.as_deref() == Some(owner.to_string().as_str())
            && e.outcome == psa_permissions::AuditOutcome::Ok),
        "{mine:?}"
    );
    assert_eq!(sim.unexpected_requests(), 0);
    let _ = client.cancel().await;
    http.shutdown().await;
}

#[tokio::test]
async fn a_denied_plan_never_runs_and_plan_tools_check_their_arguments() {
    let sim = Simulator::start(Vendor::Halo).await.unwrap();
    let psa = sim.psa();
    let (ticket, owner, _) = owned_ticket(&*psa).await;
    let (builder, _) = config("")
        .server_builder(sim.psa(), Profile::ReadOnly)
        .unwrap();
    let (http, client) = serve(builder.build().unwrap()).await;
    let writes = ticket_writes(&sim);

    let r = call(
        &client,
        "update_ticket",
        json!({"id": ticket, "summary": "Close it all"}),
    )
    .await;
    let plan_id = structured(&r)["plan_id"].as_str().unwrap().to_owned();
    let code = &plan_id[..8];
    reply(
        &*psa,
        &ticket,
        &owner,
        &format!("DENY {code} not before the customer confirms"),
    )
    .await;
    let status = call(&client, "plan_status", json!({"plan_id": plan_id})).await;
    let d = data(&status);
    assert_eq!(d["status"], "denied", "{}", text(&status));
    assert!(
        d["reason"]
            .as_str()
            .unwrap()
            .contains("not before the customer confirms")
    );
    // The technician's words are vendor text: inside the envelope.
    assert!(text(&status).contains("<untrusted-vendor-data nonce="));
    let r = call(&client, "execute_plan", json!({"plan_id": plan_id})).await;
    assert_eq!(error_kind(&r), "approval_denied", "{}", text(&r));
    assert_eq!(ticket_writes(&sim), writes);

    // Bad and unknown plan ids.
    let r = call(
        &client,
        "plan_status",
        json!({"plan_id": "../../etc/passwd"}),
    )
    .await;
    assert_eq!(error_kind(&r), "invalid_arguments");
    let r = call(&client, "execute_plan", json!({"plan_id": 42})).await;
    assert_eq!(error_kind(&r), "invalid_arguments");
    let r = call(&client, "plan_status", json!({"plan": plan_id})).await;
    assert_eq!(error_kind(&r), "invalid_arguments");
    let r = call(
        &client,
        "execute_plan",
        json!({"plan_id": "0123456789abcdef0123456789abcdef"}),
    )
    .await;
    assert_eq!(error_kind(&r), "not_found");
    assert_eq!(ticket_writes(&sim), writes);
    let _ = client.cancel().await;
    http.shutdown().await;
}

#[tokio::test]
async fn plans_in_a_file_store_survive_a_restart_and_other_servers_plans_are_not_visible() {
    let sim = Simulator::start(Vendor::Halo).await.unwrap();
    let psa = sim.psa();
    let (ticket, owner, _) = owned_ticket(&*psa).await;
    let dir =
        std::env::temp_dir().join(format!("psa-mcp-plans-{}-{}", std::process::id(), line!()));
    let extra = format!("plan_store = \"file\"\nplan_dir = \"{}\"\n", dir.display());

    // The first server plans the write, then stops.
    let (builder, _) = config(&extra)
        .server_builder(sim.psa(), Profile::ReadOnly)
        .unwrap();
    let first = builder.build().unwrap();
    let r = first
        .call(
            "update_ticket",
            common::args(json!({"id": ticket, "summary": "Replaced toner"})),
        )
        .await
        .unwrap();
    let plan_id = structured(&r)["plan_id"].as_str().unwrap().to_owned();
    drop(first);
    reply(
        &*psa,
        &ticket,
        &owner,
        &format!("APPROVE {}", &plan_id[..8]),
    )
    .await;

    // Another principal sharing the directory does not see it.
    let (builder, _) = config(&extra)
        .server_builder(sim.psa(), Profile::ReadOnly)
        .unwrap();
    let stranger = builder.label("someone-else").build().unwrap();
    let r = stranger
        .call("execute_plan", common::args(json!({"plan_id": plan_id})))
        .await
        .unwrap();
    assert_eq!(error_kind(&r), "not_found", "{}", text(&r));

    // In test mode it is not run, approved or not.
    let writes = ticket_writes(&sim);
    let (builder, _) = config(&extra)
        .server_builder(sim.psa(), Profile::ReadOnly)
        .unwrap();
    let dry = builder.test_mode(true).build().unwrap();
    let r = dry
        .call("execute_plan", common::args(json!({"plan_id": plan_id})))
        .await
        .unwrap();
    assert_eq!(structured(&r)["outcome"], "planned", "{}", text(&r));
    assert_eq!(structured(&r)["sent"], false);
    assert_eq!(ticket_writes(&sim), writes);

    // A new server with the same label runs it, once.
    let writes = ticket_writes(&sim);
    let (builder, _) = config(&extra)
        .server_builder(sim.psa(), Profile::ReadOnly)
        .unwrap();
    let second = builder.build().unwrap();
    let r = second
        .call("execute_plan", common::args(json!({"plan_id": plan_id})))
        .await
        .unwrap();
    assert_eq!(data(&r)["status"], "executed", "{}", text(&r));
    assert_eq!(ticket_writes(&sim), writes + 1);
    let r = second
        .call("execute_plan", common::args(json!({"plan_id": plan_id})))
        .await
        .unwrap();
    assert_eq!(error_kind(&r), "plan_not_executable");
    assert_eq!(ticket_writes(&sim), writes + 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn without_deferral_the_call_waits_for_the_answer_on_the_ticket() {
    let sim = Simulator::start(Vendor::Halo).await.unwrap();
    let psa = sim.psa();
    let (ticket, owner, _) = owned_ticket(&*psa).await;
    let (builder, _) = config("deferred = false\npoll_interval_seconds = 1\n")
        .server_builder(sim.psa(), Profile::ReadOnly)
        .unwrap();
    let server = builder.build().unwrap();
    assert!(!server.defers_approvals());
    let (http, client) = serve(server).await;
    let names: Vec<String> = client
        .list_all_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name.to_string())
        .collect();
    for plan_tool in ["plan_status", "execute_plan", "list_plans"] {
        assert!(!names.iter().any(|n| n == plan_tool), "{names:?}");
    }

    // The technician answers once the request is on the ticket.
    let answer = {
        let psa = sim.psa();
        let ticket = ticket.clone();
        tokio::spawn(async move {
            for _ in 0..200 {
                let notes: Vec<_> = psa.list_notes(&ticket).try_collect().await.unwrap();
                if let Some(n) = notes.iter().find(|n| {
                    n.body.contains(REQUEST_MARKER) && n.body.contains("Swapped the drum")
                }) {
                    let at = n.body.find("APPROVE ").unwrap() + "APPROVE ".len();
                    let code = n.body[at..at + 8].to_owned();
                    reply(&*psa, &ticket, &owner, &format!("APPROVE {code}")).await;
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!("no request posted");
        })
    };
    let writes = ticket_writes(&sim);
    let r = call(
        &client,
        "update_ticket",
        json!({"id": ticket, "summary": "Swapped the drum"}),
    )
    .await;
    answer.await.unwrap();
    assert_eq!(data(&r)["summary"], "Swapped the drum", "{}", text(&r));
    assert_eq!(structured(&r)["approved"], Value::Bool(true));
    assert_eq!(ticket_writes(&sim), writes + 1);
    let _ = client.cancel().await;
    http.shutdown().await;
}

#[tokio::test]
async fn a_plan_nobody_answers_expires_and_never_runs() {
    let sim = Simulator::start(Vendor::Halo).await.unwrap();
    let psa = sim.psa();
    let (ticket, owner, _) = owned_ticket(&*psa).await;
    let (builder, _) = Config::from_toml_str(
        "vendor = \"halo\"\n[policy]\nprofile = \"helpdesk\"\n[policy.groups.tickets]\napproval = \"writes\"\n[approval]\nmode = \"psa\"\ntimeout_seconds = 1\n",
    )
    .unwrap()
    .server_builder(sim.psa(), Profile::ReadOnly)
    .unwrap();
    let server = builder.build().unwrap();
    let writes = ticket_writes(&sim);
    let r = server
        .call(
            "update_ticket",
            common::args(json!({"id": ticket, "summary": "Too late"})),
        )
        .await
        .unwrap();
    let plan_id = structured(&r)["plan_id"].as_str().unwrap().to_owned();
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    // An approval after the expiry does not revive it.
    reply(
        &*psa,
        &ticket,
        &owner,
        &format!("APPROVE {}", &plan_id[..8]),
    )
    .await;
    let status = server
        .call("plan_status", common::args(json!({"plan_id": plan_id})))
        .await
        .unwrap();
    assert_eq!(data(&status)["status"], "expired", "{}", text(&status));
    let r = server
        .call("execute_plan", common::args(json!({"plan_id": plan_id})))
        .await
        .unwrap();
    assert_eq!(error_kind(&r), "approval_denied", "{}", text(&r));
    assert!(text(&r).contains("expired"), "{}", text(&r));
    let r = server
        .call("execute_plan", common::args(json!({"plan_id": plan_id})))
        .await
        .unwrap();
    assert_eq!(error_kind(&r), "plan_not_executable", "{}", text(&r));
    assert_eq!(ticket_writes(&sim), writes);
}

/// The ids of a `list_plans` result, in order.
fn listed_ids(r: &rmcp::model::CallToolResult) -> Vec<String> {
    data(r)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["plan_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn list_plans_finds_lost_plan_ids_and_follows_their_state() {
    let sim = Simulator::start(Vendor::Halo).await.unwrap();
    let psa = sim.psa();
    let (ticket, owner, _) = owned_ticket(&*psa).await;
    let dir =
        std::env::temp_dir().join(format!("psa-mcp-plans-{}-{}", std::process::id(), line!()));
    let extra = format!("plan_store = \"file\"\nplan_dir = \"{}\"\n", dir.display());
    let (builder, _) = config(&extra)
        .server_builder(sim.psa(), Profile::ReadOnly)
        .unwrap();
    let (http, client) = serve(builder.build().unwrap()).await;

    // Listed with the other plan tools, read-only, its filter a closed list.
    let tools = client.list_all_tools().await.unwrap();
    let list = tools.iter().find(|t| t.name == "list_plans").unwrap();
    assert_eq!(
        list.annotations.as_ref().unwrap().read_only_hint,
        Some(true)
    );
    let props = &list.input_schema["properties"];
    let states = props["state"].to_string();
    for s in ["pending", "approved", "denied", "expired", "executed"] {
        assert!(states.contains(s), "{s} missing from {states}");
    }
    assert_eq!(props["limit"]["maximum"], 200);

    let r = call(&client, "list_plans", json!({})).await;
    assert_eq!(data(&r)["count"], 0, "{}", text(&r));
    assert!(text(&r).contains("no plans"), "{}", text(&r));

    // Two writes that need approval; the agent keeps neither id.
    let writes = ticket_writes(&sim);
    let mut ids = Vec::new();
    for summary in ["Toner replaced", "Drum replaced"] {
        let r = call(
            &client,
            "update_ticket",
            json!({"id": ticket, "summary": summary}),
        )
        .await;
        ids.push(structured(&r)["plan_id"].as_str().unwrap().to_owned());
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (first, second) = (ids[0].clone(), ids[1].clone());

    // Found again, newest first, with what they are about.
    let r = call(&client, "list_plans", json!({})).await;
    assert_eq!(listed_ids(&r), vec![second.clone(), first.clone()]);
    let d = data(&r);
    assert_eq!(d["count"], 2);
    assert_eq!(d["more_may_exist"], false);
    let item = &d["items"][1];
    assert_eq!(item["status"], "pending", "{item}");
    assert_eq!(item["operation"], "update_ticket");
    assert_eq!(item["target"], json!(ticket));
    assert_eq!(item["fields"], json!(["summary"]));
    assert_eq!(item["approval_code"], &first[..8]);
    assert!(item["created_at"].is_string(), "{item}");
    assert!(item["expires_at"].is_string(), "{item}");
    assert!(item.get("change").is_none(), "{item}");
    assert!(text(&r).contains("<untrusted-vendor-data nonce="));

    // Bounded: a limit of one says more exist.
    let r = call(&client, "list_plans", json!({"limit": 1})).await;
    assert_eq!(listed_ids(&r), vec![second.clone()]);
    assert_eq!(data(&r)["more_may_exist"], true);
    assert!(text(&r).contains("limit of 1"), "{}", text(&r));
    let r = call(&client, "list_plans", json!({"state": "approved"})).await;
    assert!(listed_ids(&r).is_empty(), "{}", text(&r));

    // The ticket's assigned agent approves the first on the ticket; the
    // list asks the approver and shows it approved.
    reply(&*psa, &ticket, &owner, &format!("APPROVE {}", &first[..8])).await;
    let r = call(&client, "list_plans", json!({"state": "approved"})).await;
    assert_eq!(listed_ids(&r), vec![first.clone()], "{}", text(&r));
    assert_eq!(data(&r)["items"][0]["status"], "approved");
    assert_eq!(data(&r)["items"][0]["decided_by"], owner.to_string());
    assert_eq!(data(&r)["state"], "approved");
    let r = call(&client, "list_plans", json!({})).await;
    let statuses: Vec<&str> = data(&r)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["pending", "approved"]);
    assert_eq!(ticket_writes(&sim), writes, "listing ran nothing");

    // Executed, the list says so, with the outcome.
    let done = call(&client, "execute_plan", json!({"plan_id": first})).await;
    assert_eq!(data(&done)["status"], "executed", "{}", text(&done));
    assert_eq!(ticket_writes(&sim), writes + 1);
    let r = call(&client, "list_plans", json!({"state": "executed"})).await;
    assert_eq!(listed_ids(&r), vec![first.clone()]);
    assert_eq!(data(&r)["items"][0]["outcome"], "ok");
    let r = call(&client, "list_plans", json!({"state": "pending"})).await;
    assert_eq!(listed_ids(&r), vec![second.clone()]);

    // Arguments are checked; nothing is listed for a bad one.
    for bad in [
        json!({"state": "done"}),
        json!({"limit": 0}),
        json!({"limit": 201}),
        json!({"plan_id": first}),
    ] {
        let r = call(&client, "list_plans", bad.clone()).await;
        assert_eq!(error_kind(&r), "invalid_arguments", "{bad}: {}", text(&r));
    }

    // Another principal sharing the store sees none of them.
    let (builder, _) = config(&extra)
        .server_builder(sim.psa(), Profile::ReadOnly)
        .unwrap();
    let stranger = builder.label("someone-else").build().unwrap();
    let r = stranger
        .call("list_plans", common::args(json!({})))
        .await
        .unwrap();
    assert_eq!(data(&r)["count"], 0, "{}", text(&r));
    assert_eq!(ticket_writes(&sim), writes + 1);
    assert_eq!(sim.unexpected_requests(), 0);
    let _ = client.cancel().await;
    http.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
