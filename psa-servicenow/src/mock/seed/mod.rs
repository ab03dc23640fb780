//! The simulator's seed data: a small MSP's ServiceNow instance.
//!
//! Every `sys_id` here is fixed, so that tests and examples can name records.

use super::store::Store;

/// The OAuth client id the simulator accepts.
pub const CLIENT_ID: &str = "3f1c0e2b4d5a4e0f9e1b2c3d4e5f6a7b";
/// The OAuth client secret the simulator accepts.
pub const CLIENT_SECRET: &str = "mock-client-secret-0d6b9e";
/// The integration user: the OAuth application user of the client, and a
/// user for the password grant and Basic auth.
pub const INTEGRATION_USER: &str = "svc.psa.integration";
/// The password the simulator gives the seeded user `user_name`, and the
/// login its own client holds for that agent (`act_as`).
pub fn agent_password(user_name: &str) -> String {
    format!("mock-agent-{user_name}-7c1e")
}

/// The integration user's password.
pub const INTEGRATION_PASSWORD: &str = "mock-integration-password-51c2";
/// The integration user's `sys_id`.
pub const INTEGRATION_USER_ID: &str = "a3c94e1f1b2d4c5e8f7a6b5c4d3e2f10";

/// `sys_user`: System Administrator (from the recorded samples).
pub const ADMIN: &str = "6816f79cc0a8016401c5a33be04be441";
/// `sys_user`: Beth Anglin, an agent (`itil`).
pub const BETH_ANGLIN: &str = "46d44a23a9fe19810012d100cca80666";
/// `sys_user`: David Loo, an agent (`itil`).
pub const DAVID_LOO: &str = "5137153cc611227c000bbd1bd8cd2006";
/// `sys_user`: Abel Tuter, a contact at ACME.
pub const ABEL_TUTER: &str = "62826bf03710200044e0bfc8bcbe5df1";
/// `sys_user`: Bow Ruggeri, a contact at ACME.
pub const BOW_RUGGERI: &str = "71826bf03710200044e0bfc8bcbe5d3b";
/// `sys_user`: Carla Reyes, a contact at Globex.
pub const CARLA_REYES: &str = "0a826bf03710200044e0bfc8bcbe5d7a";
/// `sys_user`: a former contact, inactive.
pub const FORMER_USER: &str = "9e826bf03710200044e0bfc8bcbe5d9f";

/// `core_company`: ACME North America.
pub const ACME: &str = "81fca4cbac1d55eb4cb89f136b4e7cd4";
/// `core_company`: Globex Corporation.
pub const GLOBEX: &str = "b7e9e843c0a80169009a5a7f0e1ee4b8";
/// `core_company`: a hardware vendor.
pub const DELL: &str = "aa0a6df8c611227601cd2ed45989e0ac";

/// `sys_user_group`: Service Desk (from the recorded samples).
pub const SERVICE_DESK: &str = "287ebd7da9fe198100f92cc8d1d2154e";
/// `sys_user_group`: Network.
pub const NETWORK: &str = "287ee6fea9fe198100ada7950d0b1b73";
/// `sys_user_group`: Hardware.
pub const HARDWARE: &str = "8a5055c9c61122780043563ef53438e3";

/// `cmdb_ci_printer`: the third-floor printer at ACME.
pub const CI_PRINTER: &str = "b4fd7c8437201000deeabfc8bcbe5dc1";
/// `cmdb_ci_computer`: Abel Tuter's laptop.
pub const CI_LAPTOP: &str = "a9c0c8d2c6112276018f7705562f9cb0";
/// `cmdb_ci_server`: Globex's file server.
pub const CI_SERVER: &str = "53fdbc8437201000deeabfc8bcbe5d10";

/// `incident` INC0010001: printer offline, in progress (custom field `u_contract_ref`).
pub const INC_PRINTER: &str = "9d385017c611228701d22104cc95c371";
/// `incident` INC0010002: VPN drops, new.
pub const INC_VPN: &str = "e8caedcbc0a80164017df472f39eaed1";
/// `incident` INC0010003: email, resolved.
pub const INC_EMAIL_RESOLVED: &str = "46c6f9efa9fe198101ddf5eed9adf6e7";
/// `incident` INC0010004: closed.
pub const INC_CLOSED: &str = "46e3e949a9fe19810069b824ba2c761a";
/// `incident` INC0010005: open, but hidden from the API user by an ACL.
pub const INC_HIDDEN: &str = "ef43c6d40a0a0b5700c77f9bf387afe3";
/// `incident` INC0010006: canceled.
pub const INC_CANCELED: &str = "f12ca184735123002728660c4cf6a7ef";

/// `sc_request` REQ0010001.
pub const REQ_LAPTOP: &str = "d71f7935c0a8016700802b64c67c11c6";
/// `sc_req_item` RITM0010001: a laptop, work in progress.
pub const RITM_LAPTOP: &str = "aeed229047801200e0ef563dbb9a71c2";
/// `sc_req_item` RITM0010002: software, closed complete.
pub const RITM_SOFTWARE: &str = "b0b8c5f447801200e0ef563dbb9a7192";
/// `sc_task` SCTASK0010001.
pub const SCTASK_LAPTOP: &str = "c9d7e1a347801200e0ef563dbb9a71a4";
/// `change_request` CHG0010001.
pub const CHG_FIREWALL: &str = "c83c5e5347c12200e0ef563dbb9a7190";
/// `problem` PRB0010001.
pub const PRB_VPN: &str = "d7296d02c0a801670085e737da016e70";

/// `kb_knowledge` KB0010001 (published): resetting a VPN token.
pub const KB_VPN: &str = "3b0fccee0a0a0b9b00d0b5c6e6a5e2d0";
/// `kb_knowledge` KB0010002 (published): printer troubleshooting.
pub const KB_PRINTER: &str = "9e7a4ed0c0a80164004d4c8e4e0bd1a3";
/// `kb_knowledge` KB0010003 (draft).
pub const KB_DRAFT: &str = "c85cd2519f77230088aebde8132e70c2";

/// `contract_sla`: Priority 1 resolution (4 hour).
pub const SLA_P1: &str = "3d4d1a5bc0a8016a00ae36b4d5a42d62";
/// `contract_sla`: Priority 2 resolution (8 hour).
pub const SLA_P2: &str = "3d4d1e0fc0a8016a005c8e1c3e1b9c0e";
/// `contract_sla`: Priority 2 response (1 hour), target `response`.
pub const SLA_P2_RESPONSE: &str = "3d4d1e0fc0a8016a005c8e1c3e1b9c0f";

/// `ast_contract`: ACME managed services (active).
pub const CONTRACT_ACME: &str = "8a7e2c5bc0a8016a01c1d7a4d8f1e2a0";
/// `ast_contract`: Globex (expired).
pub const CONTRACT_GLOBEX: &str = "8a7e2c5bc0a8016a01c1d7a4d8f1e2a1";

/// `sc_cat_item`: Standard Laptop.
pub const CAT_LAPTOP: &str = "04b7e94b4f7b4200086eeed18110c7fd";
/// `sc_cat_item`: Adobe Acrobat Pro.
pub const CAT_ACROBAT: &str = "186d917a6fab7980575967ddbb3ee4f2";

/// `pm_project`: ACME office move.
pub const PRJ_OFFICE_MOVE: &str = "ce1c0e5c9f0310004a5fd4b5a67fcf3e";

/// `task_time_worked`: 30 minutes on INC0010001 by Beth Anglin.
pub const TIME_PRINTER: &str = "5f1b1f2c0a0a0b1f00a1b2c3d4e5f601";

mod parties;
mod records;
mod tickets;

pub(crate) use tickets::generate_tickets;

/// Seeds the store, in a fixed order (the simulator is deterministic).
pub(crate) fn seed(s: &mut Store) {
    parties::choice_lists(s);
    parties::parties(s);
    parties::configuration_items(s);
    tickets::incidents(s);
    tickets::catalog_requests(s);
    tickets::journal_audit_time(s);
    records::knowledge_and_contracts(s);
    records::dictionary(s);
}
