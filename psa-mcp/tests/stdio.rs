//! The built `psa-mcp` binary, started by rmcp's client as an MCP client
//! starts it (`psa-mcp --vendor X --simulator` over stdio): the newcomer's
//! path, on all four vendors. The simulator runs inside the child, so the
//! "nothing sent" counts are proven in-process (tests/http.rs); here the
//! denials are shown as the agent sees them.

#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{Client, VENDORS, call, data, error_kind, first_ticket, is_error, structured, text};
use rmcp::ServiceExt;
use rmcp::model::ClientConfig;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use serde_json::json;
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_psa-mcp");

/// Credentials the binary might otherwise pick up from the environment.
const VENDOR_ENV: &[&str] = &[
    "PSA_MCP_CONFIG",
    "HALO_BASE_URL",
    "HALO_CLIENT_ID",
    "HALO_CLIENT_SECRET",
    "HALO_TENANT",
    "HALO_AUTH_URL",
    "CW_BASE_URL",
    "CW_SITE",
    "CW_COMPANY_ID",
    "CW_PUBLIC_KEY",
    "CW_PRIVATE_KEY",
    "CW_CLIENT_ID",
    "AUTOTASK_USERNAME",
    "AUTOTASK_SECRET",
    "AUTOTASK_INTEGRATION_CODE",
    "AUTOTASK_ZONE",
    "SERVICENOW_BASE_URL",
    "SERVICENOW_CLIENT_ID",
    "SERVICENOW_CLIENT_SECRET",
    "SERVICENOW_USERNAME",
    "SERVICENOW_PASSWORD",
];

fn command(args: &[&str]) -> Command {
    Command::new(BIN).configure(|c| {
        c.args(args);
        for v in VENDOR_ENV {
            c.env_remove(v);
        }
        c.env("PSA_MCP_LOG", "warn");
    })
}

async fn spawn(args: &[&str]) -> Client {
    let (transport, _stderr) = TokioChildProcess::builder(command(args))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::timeout(
        Duration::from_secs(30),
        ClientConfig::default().serve(transport),
    )
    .await
    .expect("the binary answers initialize in time")
    .unwrap()
}

#[tokio::test]
async fn a_client_of_the_binary_lists_tickets_adds_a_note_and_is_refused_on_every_vendor() {
    for vendor in VENDORS {
        let client = spawn(&["--vendor", vendor.as_str(), "--simulator"]).await;
        let info = client.peer_info().unwrap();
        assert_eq!(
            info.server_info.as_ref().map(|i| i.name.as_str()),
            Some("psa-mcp")
        );

        // The simulator's default policy is Helpdesk.
        let tools = client.list_all_tools().await.unwrap();
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        assert!(
            names.contains(&"list_tickets") && names.contains(&"add_note"),
            "{vendor}: {names:?}"
        );
        assert!(
            !names.contains(&"delete_ticket") && !names.contains(&"raw"),
            "{vendor}: {names:?}"
        );

        let ticket = first_ticket(&client).await;
        let added = call(
            &client,
            "add_note",
            json!({"ticket": ticket, "body": "Looked at it over stdio.", "visibility": "internal"}),
        )
        .await;
        assert_eq!(data(&added)["body"], "Looked at it over stdio.", "{vendor}");

        let priority = common::a_priority(&client).await;
        let denied = call(
            &client,
            "update_ticket",
            json!({"id": ticket, "priority": priority}),
        )
        .await;
        assert_eq!(
            error_kind(&denied),
            "permission_denied",
            "{vendor}: {}",
            text(&denied)
        );
        assert_eq!(structured(&denied)["error"]["sent"], false);
        assert!(
            text(&denied).contains("nothing was sent"),
            "{}",
            text(&denied)
        );

        // A hostile argument: a clean tool error, and the server carries on.
        let r = call(&client, "get_ticket", json!({"id": {"$gt": ""}})).await;
        assert_eq!(error_kind(&r), "invalid_arguments", "{vendor}");
        let listed = call(&client, "list_tickets", json!({"limit": 1})).await;
        assert_eq!(data(&listed)["count"], 1, "{vendor}");
        client.cancel().await.unwrap();
    }
}

#[tokio::test]
async fn a_ten_megabyte_string_over_stdio_is_a_clean_error() {
    let client = spawn(&["--vendor", "halo", "--simulator"]).await;
    let ticket = first_ticket(&client).await;
    let huge = "y".repeat(10 * 1024 * 1024);
    let r = call(
        &client,
        "add_note",
        json!({"ticket": ticket, "body": huge, "visibility": "internal"}),
    )
    .await;
    assert_eq!(error_kind(&r), "invalid_arguments");
    assert!(text(&r).len() < 2_000, "the error echoes the string");
    let listed = call(&client, "list_tickets", json!({"limit": 1})).await;
    assert!(!is_error(&listed));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn test_mode_over_stdio_returns_the_plan() {
    let client = spawn(&[
        "--vendor",
        "servicenow",
        "--simulator",
        "--test-mode",
        "--profile",
        "it_admin",
    ])
    .await;
    let ticket = first_ticket(&client).await;
    let r = call(
        &client,
        "update_ticket",
        json!({"id": ticket, "priority": common::a_priority(&client).await}),
    )
    .await;
    assert!(!is_error(&r), "{}", text(&r));
    assert_eq!(structured(&r)["outcome"], "planned");
    assert_eq!(structured(&r)["plan"]["operation"], "update_ticket");
    assert_eq!(structured(&r)["plan"]["fields"], json!(["priority"]));
    client.cancel().await.unwrap();
}

async fn run(args: &[&str], config: Option<&str>) -> (i32, String, String) {
    let mut cmd = command(args);
    let dir = std::env::temp_dir().join(format!(
        "psa-mcp-stdio-{}-{}",
        std::process::id(),
        args.len()
    ));
    if let Some(text) = config {
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("config-{}.toml", text.len()));
        std::fs::write(&path, text).unwrap();
        cmd.arg("--config").arg(path);
    }
    let out = tokio::time::timeout(Duration::from_secs(30), cmd.stdin(Stdio::null()).output())
        .await
        .unwrap()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_binary_explains_configuration_mistakes() {
    let (code, _, err) = run(&["--vendor", "halo"], None).await;
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("HALO_CLIENT_SECRET") || err.contains("HALO_BASE_URL"),
        "{err}"
    );

    let (code, _, err) = run(
        &["--simulator"],
        Some("[approval]\nmode = \"psa\"\nvendor = 1\n"),
    )
    .await;
    assert_eq!(code, 2, "{err}");

    let (code, _, err) = run(
        &["--vendor", "halo", "--simulator"],
        Some("[approval]\nmode = \"psa\"\nplan_store = \"file\"\n"),
    )
    .await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("needs plan_dir"), "{err}");

    // Approval through the PSA, deferred: the binary offers the follow-up tools.
    let (code, out, err) = run(
        &["--vendor", "halo", "--simulator", "--list-tools"],
        Some("[policy]\nprofile = \"helpdesk\"\n[policy.groups.tickets]\napproval = \"writes\"\n[approval]\nmode = \"psa\"\n"),
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let tools: serde_json::Value = serde_json::from_str(&out).unwrap();
    for name in ["plan_status", "execute_plan", "list_plans"] {
        assert!(
            tools.as_array().unwrap().iter().any(|t| t["name"] == name),
            "{name} not listed"
        );
    }

    let (code, _, err) = run(
        &["--vendor", "halo", "--simulator"],
        Some("[approval]\nmode = \"channel\"\n"),
    )
    .await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("embeds psa-mcp"), "{err}");

    let (code, _, err) = run(
        &[],
        Some("vendor = \"halo\"\n[halo]\nclient_secret = \"canary-in-toml-5521\"\n"),
    )
    .await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("must not be written"), "{err}");
    assert!(!err.contains("canary-in-toml-5521"), "{err}");

    let (code, _, err) = run(
        &["--vendor", "halo", "--simulator", "--http", "0.0.0.0:0"],
        None,
    )
    .await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bearer token"), "{err}");

    let (code, out, _) = run(
        &["--vendor", "connectwise", "--simulator", "--list-tools"],
        None,
    )
    .await;
    assert_eq!(code, 0);
    let tools: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        tools
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "add_note")
    );

    let (code, out, _) = run(&["--help"], None).await;
    assert_eq!(code, 0);
    assert!(out.contains("--simulator"));
}

#[tokio::test]
async fn the_binary_defers_a_write_to_approval_through_the_psa() {
    let dir = std::env::temp_dir().join(format!("psa-mcp-stdio-psa-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("psa.toml");
    std::fs::write(
        &path,
        "label = \"stdio-agent\"\n[policy]\nprofile = \"helpdesk\"\n[policy.groups.tickets]\napproval = \"writes\"\n[approval]\nmode = \"psa\"\n",
    )
    .unwrap();
    let client = spawn(&[
        "--vendor",
        "halo",
        "--simulator",
        "--config",
        path.to_str().unwrap(),
    ])
    .await;
    let ticket = first_ticket(&client).await;
    let r = call(
        &client,
        "update_ticket",
        json!({"id": ticket, "summary": "Needs a technician's yes"}),
    )
    .await;
    assert!(!is_error(&r), "{}", text(&r));
    assert_eq!(structured(&r)["outcome"], "pending_approval");
    let plan_id = structured(&r)["plan_id"].as_str().unwrap().to_owned();
    // The request is on the ticket, as an internal note.
    let notes = call(
        &client,
        "list_notes",
        json!({"ticket": ticket, "limit": 200}),
    )
    .await;
    assert!(
        data(&notes)["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["body"]
                .as_str()
                .unwrap_or_default()
                .contains(&plan_id[..8])
                && n["visibility"] == "internal"),
        "{}",
        text(&notes)
    );
    let status = call(&client, "plan_status", json!({"plan_id": plan_id})).await;
    assert_eq!(data(&status)["status"], "pending", "{}", text(&status));
    let r = call(&client, "execute_plan", json!({"plan_id": plan_id})).await;
    assert_eq!(error_kind(&r), "approval_pending", "{}", text(&r));
    let t = call(&client, "get_ticket", json!({"id": ticket})).await;
    assert_ne!(data(&t)["summary"], "Needs a technician's yes");
    client.cancel().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
