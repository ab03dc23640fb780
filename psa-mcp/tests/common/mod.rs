//! Shared by the integration tests: a server over a simulator, served over
//! streamable HTTP in-process, and a real rmcp client.

#![allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    clippy::unwrap_used,
    clippy::missing_panics_doc
)]

pub mod memory;

use std::sync::Arc;

use psa_core::Vendor;
use psa_mcp::simulator::Simulator;
use psa_mcp::{HttpOptions, HttpServer, McpServer, ServerBuilder};
use psa_permissions::{Policy, Profile};
use rmcp::model::{CallToolRequestParams, CallToolResult, ClientConfig, JsonObject};
use rmcp::service::RunningService;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::{RoleClient, ServiceExt};
use serde_json::Value;

pub const VENDORS: [Vendor; 4] = [
    Vendor::Halo,
    Vendor::ConnectWise,
    Vendor::Autotask,
    Vendor::ServiceNow,
];

pub type Client = RunningService<RoleClient, ClientConfig>;

/// A simulator, an MCP server over it (built by `build`), served over
/// streamable HTTP on 127.0.0.1:0, and a client connected to it.
pub struct Rig {
    pub sim: Simulator,
    pub server: McpServer,
    pub http: HttpServer,
    pub client: Client,
}

impl Rig {
    pub async fn start(vendor: Vendor, build: impl FnOnce(ServerBuilder) -> ServerBuilder) -> Rig {
        Self::start_with(
            vendor,
            build,
            HttpOptions::bind("127.0.0.1:0".parse().unwrap()),
            None,
        )
        .await
    }

    pub async fn start_with(
        vendor: Vendor,
        build: impl FnOnce(ServerBuilder) -> ServerBuilder,
        options: HttpOptions,
        client_token: Option<&str>,
    ) -> Rig {
        let sim = Simulator::start(vendor).await.unwrap();
        let server = build(McpServer::builder(sim.psa()).label("test-agent"))
            .build()
            .unwrap();
        let http = HttpServer::start(server.clone(), options).await.unwrap();
        let client = connect_http(&http.url(), client_token).await.unwrap();
        Rig {
            sim,
            server,
            http,
            client,
        }
    }

    /// Calls a tool over MCP.
    pub async fn call(&self, name: &str, args: Value) -> CallToolResult {
        call(&self.client, name, args).await
    }

    pub fn requests(&self) -> u64 {
        self.sim.request_count()
    }

    pub async fn stop(self) {
        let _ = self.client.cancel().await;
        self.http.shutdown().await;
    }
}

pub async fn connect_http(url: &str, token: Option<&str>) -> Result<Client, String> {
    let mut config = StreamableHttpClientTransportConfig::with_uri(url.to_owned());
    if let Some(t) = token {
        config = config.auth_header(t.to_owned());
    }
    let transport = StreamableHttpClientTransport::from_config(config);
    ClientConfig::default()
        .serve(transport)
        .await
        .map_err(|e| e.to_string())
}

pub fn helpdesk(b: ServerBuilder) -> ServerBuilder {
    b.policy(Policy::profile(Profile::Helpdesk))
}

pub fn args(v: Value) -> Option<JsonObject> {
    match v {
        Value::Object(m) => Some(m),
        Value::Null => None,
        other => panic!("arguments must be an object, got {other}"),
    }
}

pub async fn call(client: &Client, name: &str, a: Value) -> CallToolResult {
    let mut params = CallToolRequestParams::new(name.to_owned());
    params.arguments = args(a);
    client.call_tool(params).await.unwrap()
}

/// The text of a result's first content block.
pub fn text(r: &CallToolResult) -> String {
    r.content
        .first()
        .and_then(|c| c.as_text())
        .map(|t| t.text.clone())
        .unwrap_or_default()
}

pub fn structured(r: &CallToolResult) -> &Value {
    r.structured_content.as_ref().expect("structured content")
}

pub fn is_error(r: &CallToolResult) -> bool {
    r.is_error == Some(true)
}

/// The error kind of a failed result.
pub fn error_kind(r: &CallToolResult) -> String {
    assert!(is_error(r), "expected an error, got {}", text(r));
    structured(r)["error"]["kind"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// A successful result's data (inside the untrusted envelope's structured twin).
pub fn data(r: &CallToolResult) -> &Value {
    assert!(!is_error(r), "expected success, got {}", text(r));
    let s = structured(r);
    assert_eq!(s["untrusted"], true, "vendor data must be marked untrusted");
    &s["data"]
}

/// The id of the first open ticket, read over MCP.
pub async fn first_ticket(client: &Client) -> Value {
    let r = call(client, "list_tickets", serde_json::json!({"limit": 5})).await;
    let items = data(&r)["items"].as_array().unwrap().clone();
    assert!(!items.is_empty(), "the simulator has open tickets");
    items[0]["id"].clone()
}

/// A priority id, read over MCP.
pub async fn a_priority(client: &Client) -> Value {
    let r = call(client, "list_priorities", serde_json::json!({})).await;
    data(&r)["items"][0]["id"].clone()
}

pub fn arc<T>(t: T) -> Arc<T> {
    Arc::new(t)
}

/// Serves `server` over streamable HTTP on 127.0.0.1:0 and connects a client.
pub async fn serve(server: McpServer) -> (HttpServer, Client) {
    let http = HttpServer::start(server, HttpOptions::bind("127.0.0.1:0".parse().unwrap()))
        .await
        .unwrap();
    let client = connect_http(&http.url(), None).await.unwrap();
    (http, client)
}
