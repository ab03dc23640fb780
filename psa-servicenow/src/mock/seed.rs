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

/// id, login, first, last, email, phone, mobile, roles, active.
type UserSeed<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

fn choices(s: &mut Store, table: &str, element: &str, list: &[(&str, &str)]) {
    for (i, (value, label)) in list.iter().enumerate() {
        let seq = ((i + 1) * 100).to_string();
        s.seed(
            "sys_choice",
            &[
                ("name", table),
                ("element", element),
                ("value", value),
                ("label", label),
                ("language", "en"),
                ("inactive", "false"),
                ("sequence", &seq),
                ("dependent_value", ""),
            ],
        );
    }
}

fn seed_incident(s: &mut Store, f: &[(&str, &str)]) {
    let mut all: Vec<(&str, &str)> = vec![
        ("description", ""),
        ("assigned_to", ""),
        ("cmdb_ci", ""),
        ("close_code", ""),
        ("close_notes", ""),
        ("resolved_at", ""),
        ("closed_at", ""),
        ("parent_incident", ""),
        ("subcategory", ""),
        ("contact_type", "phone"),
        ("escalation", "0"),
        ("approval", "not requested"),
        ("due_date", ""),
        ("sla_due", ""),
        ("time_worked", ""),
        ("parent", ""),
        ("watch_list", ""),
        ("work_notes_list", ""),
        ("correlation_id", ""),
        ("opened_by", ADMIN),
        ("notify", "1"),
        ("reopen_count", "0"),
    ];
    for (k, v) in f {
        all.retain(|(kk, _)| kk != k);
        all.push((k, v));
    }
    s.seed("incident", &all);
}

#[allow(clippy::too_many_lines)]
pub(crate) fn seed(s: &mut Store) {
    // --- choices --------------------------------------------------------------
    choices(
        s,
        "incident",
        "state",
        &[
            ("1", "New"),
            ("2", "In Progress"),
            ("3", "On Hold"),
            ("6", "Resolved"),
            ("7", "Closed"),
            ("8", "Canceled"),
        ],
    );
    choices(
        s,
        "task",
        "state",
        &[
            ("-5", "Pending"),
            ("1", "Open"),
            ("2", "Work in Progress"),
            ("3", "Closed Complete"),
            ("4", "Closed Incomplete"),
            ("7", "Closed Skipped"),
        ],
    );
    let priorities = [
        ("1", "1 - Critical"),
        ("2", "2 - High"),
        ("3", "3 - Moderate"),
        ("4", "4 - Low"),
        ("5", "5 - Planning"),
    ];
    choices(s, "incident", "priority", &priorities);
    choices(s, "task", "priority", &priorities);
    for element in ["impact", "urgency"] {
        let list = [("1", "1 - High"), ("2", "2 - Medium"), ("3", "3 - Low")];
        choices(s, "incident", element, &list);
        choices(s, "task", element, &list);
    }
    choices(
        s,
        "incident",
        "category",
        &[
            ("inquiry", "Inquiry / Help"),
            ("software", "Software"),
            ("hardware", "Hardware"),
            ("network", "Network"),
            ("database", "Database"),
        ],
    );
    choices(
        s,
        "incident",
        "close_code",
        &[
            ("Solution provided", "Solution provided"),
            ("Workaround provided", "Workaround provided"),
            ("Duplicate", "Duplicate"),
            ("User error", "User error"),
        ],
    );
    choices(
        s,
        "task_time_worked",
        "category",
        &[
            ("task_work", "Task work"),
            ("meeting", "Meeting"),
            ("travel", "Travel"),
        ],
    );
    choices(
        s,
        "cmdb_ci",
        "install_status",
        &[("1", "Installed"), ("6", "In Stock"), ("7", "Retired")],
    );

    // --- companies, groups, users -------------------------------------------------
    for (id, name, phone, web) in [
        (
            ACME,
            "ACME North America",
            "+1 858 287 7834",
            "https://acme.example",
        ),
        (
            GLOBEX,
            "Globex Corporation",
            "+1 312 555 0100",
            "https://globex.example",
        ),
        (DELL, "Dell Inc.", "+1 800 999 3355", "https://dell.example"),
    ] {
        s.seed(
            "core_company",
            &[
                ("sys_id", id),
                ("name", name),
                ("phone", phone),
                ("website", web),
                ("customer", if id == DELL { "false" } else { "true" }),
                ("vendor", if id == DELL { "true" } else { "false" }),
                ("manufacturer", if id == DELL { "true" } else { "false" }),
                ("city", ""),
                ("country", "USA"),
                ("parent", ""),
                ("stock_symbol", ""),
                ("notes", ""),
            ],
        );
    }
    for (id, name, desc, active) in [
        (SERVICE_DESK, "Service Desk", "First line", "true"),
        (NETWORK, "Network", "Network operations", "true"),
        (HARDWARE, "Hardware", "Hardware support", "true"),
        (
            "0a52d3dcd7011200f2d224837e6103f2",
            "Database (retired)",
            "Merged into Service Desk",
            "false",
        ),
    ] {
        s.seed(
            "sys_user_group",
            &[
                ("sys_id", id),
                ("name", name),
                ("description", desc),
                ("active", active),
                ("email", ""),
                ("manager", ""),
                ("parent", ""),
                ("type", ""),
            ],
        );
    }
    let users: [UserSeed<'_>; 8] = [
        (
            ADMIN,
            "admin",
            "System",
            "Administrator",
            "admin@example.com",
            "",
            "",
            "admin,itil",
            "true",
        ),
        (
            INTEGRATION_USER_ID,
            INTEGRATION_USER,
            "PSA",
            "Integration",
            "psa-integration@msp.example",
            "",
            "",
            "itil,rest_api_explorer",
            "true",
        ),
        (
            BETH_ANGLIN,
            "beth.anglin",
            "Beth",
            "Anglin",
            "beth.anglin@msp.example",
            "+1 858 867 7047",
            "",
            "itil",
            "true",
        ),
        (
            DAVID_LOO,
            "david.loo",
            "David",
            "Loo",
            "david.loo@msp.example",
            "+1 858 555 0144",
            "",
            "itil",
            "true",
        ),
        (
            ABEL_TUTER,
            "abel.tuter",
            "Abel",
            "Tuter",
            "abel.tuter@acme.example",
            "+1 (858) 555-0101",
            "+1 858 555 0199",
            "",
            "true",
        ),
        (
            BOW_RUGGERI,
            "bow.ruggeri",
            "Bow",
            "Ruggeri",
            "bow.ruggeri@acme.example",
            "858.555.0102",
            "",
            "",
            "true",
        ),
        (
            CARLA_REYES,
            "carla.reyes",
            "Carla",
            "Reyes",
            "carla.reyes@globex.example",
            "+44 20 7946 0958",
            "",
            "",
            "true",
        ),
        (
            FORMER_USER,
            "former.user",
            "Former",
            "User",
            "former.user@acme.example",
            "",
            "",
            "",
            "false",
        ),
    ];
    for (id, login, first, last, email, phone, mobile, roles, active) in users {
        let company = match id {
            ABEL_TUTER | BOW_RUGGERI | FORMER_USER => ACME,
            CARLA_REYES => GLOBEX,
            _ => "",
        };
        let name = format!("{first} {last}");
        s.seed(
            "sys_user",
            &[
                ("sys_id", id),
                ("user_name", login),
                ("first_name", first),
                ("last_name", last),
                ("name", &name),
                ("email", email),
                ("phone", phone),
                ("mobile_phone", mobile),
                ("company", company),
                ("roles", roles),
                ("active", active),
                ("locked_out", "false"),
                ("time_zone", "GMT"),
                ("title", ""),
                ("department", ""),
                ("location", ""),
            ],
        );
    }

    // --- configuration items ----------------------------------------------------------
    for (id, class, name, company, serial, status) in [
        (
            CI_PRINTER,
            "cmdb_ci_printer",
            "ACME-PRN-3F",
            ACME,
            "CN3F00421",
            "1",
        ),
        (
            CI_LAPTOP,
            "cmdb_ci_computer",
            "ACME-LT-0042",
            ACME,
            "5CD1234XYZ",
            "1",
        ),
        (
            CI_SERVER,
            "cmdb_ci_server",
            "GLOBEX-FS01",
            GLOBEX,
            "SRV-88231",
            "1",
        ),
        (
            "d0fdbc8437201000deeabfc8bcbe5d55",
            "cmdb_ci_computer",
            "ACME-LT-0007",
            ACME,
            "5CD0000OLD",
            "7",
        ),
    ] {
        s.seed(
            "cmdb_ci",
            &[
                ("sys_id", id),
                ("sys_class_name", class),
                ("name", name),
                ("company", company),
                ("serial_number", serial),
                ("install_status", status),
                ("asset_tag", ""),
                ("operational_status", "1"),
                ("manufacturer", DELL),
                ("model_id", ""),
                ("ip_address", ""),
                ("assigned_to", ""),
                ("location", ""),
                ("short_description", ""),
            ],
        );
    }

    // --- incidents ---------------------------------------------------------------------------
    seed_incident(
        s,
        &[
            ("sys_id", INC_PRINTER),
            ("number", "INC0010001"),
            ("short_description", "Printer on the third floor is offline"),
            (
                "description",
                "The HP printer ACME-PRN-3F shows offline for everyone on floor 3.",
            ),
            ("state", "2"),
            ("impact", "2"),
            ("urgency", "2"),
            ("priority", "3"),
            ("active", "true"),
            ("caller_id", ABEL_TUTER),
            ("company", ACME),
            ("assignment_group", SERVICE_DESK),
            ("assigned_to", BETH_ANGLIN),
            ("category", "hardware"),
            ("cmdb_ci", CI_PRINTER),
            ("opened_at", &Store::days_ago(3, 9)),
            ("sys_created_on", &Store::days_ago(3, 9)),
            ("sys_updated_on", &Store::days_ago(2, 14)),
            ("sys_updated_by", "beth.anglin"),
            ("sys_mod_count", "3"),
            ("u_contract_ref", "ACME-MSA-2026"),
        ],
    );
    seed_incident(
        s,
        &[
            ("sys_id", INC_VPN),
            ("number", "INC0010002"),
            ("short_description", "VPN drops every 10 minutes"),
            ("state", "1"),
            ("impact", "1"),
            ("urgency", "2"),
            ("priority", "2"),
            ("active", "true"),
            ("caller_id", CARLA_REYES),
            ("company", GLOBEX),
            ("assignment_group", NETWORK),
            ("category", "network"),
            ("opened_at", &Store::days_ago(2, 8)),
            ("sys_created_on", &Store::days_ago(2, 8)),
            ("u_contract_ref", ""),
        ],
    );
    seed_incident(
        s,
        &[
            ("sys_id", INC_EMAIL_RESOLVED),
            ("number", "INC0010003"),
            ("short_description", "Cannot send email with attachments"),
            ("state", "6"),
            ("impact", "3"),
            ("urgency", "3"),
            ("priority", "5"),
            ("active", "true"),
            ("caller_id", BOW_RUGGERI),
            ("company", ACME),
            ("assignment_group", SERVICE_DESK),
            ("assigned_to", DAVID_LOO),
            ("category", "software"),
            ("close_code", "Solution provided"),
            ("close_notes", "Raised the attachment size limit."),
            ("resolved_at", &Store::days_ago(1, 16)),
            ("opened_at", &Store::days_ago(4, 10)),
            ("sys_created_on", &Store::days_ago(4, 10)),
            ("u_contract_ref", "ACME-MSA-2026"),
        ],
    );
    seed_incident(
        s,
        &[
            ("sys_id", INC_CLOSED),
            ("number", "INC0010004"),
            ("short_description", "Password reset for Abel"),
            ("state", "7"),
            ("impact", "3"),
            ("urgency", "3"),
            ("priority", "5"),
            ("active", "false"),
            ("caller_id", ABEL_TUTER),
            ("company", ACME),
            ("assignment_group", SERVICE_DESK),
            ("category", "inquiry"),
            ("close_code", "Solution provided"),
            ("close_notes", "Reset and confirmed by phone."),
            ("closed_at", &Store::days_ago(9, 11)),
            ("opened_at", &Store::days_ago(10, 9)),
            ("sys_created_on", &Store::days_ago(10, 9)),
            ("u_contract_ref", ""),
        ],
    );
    seed_incident(
        s,
        &[
            ("sys_id", INC_HIDDEN),
            ("number", "INC0010005"),
            ("short_description", "Executive laptop stolen (restricted)"),
            ("state", "1"),
            ("impact", "2"),
            ("urgency", "1"),
            ("priority", "2"),
            ("active", "true"),
            ("caller_id", BOW_RUGGERI),
            ("company", ACME),
            ("assignment_group", HARDWARE),
            ("category", "hardware"),
            ("opened_at", &Store::days_ago(2, 12)),
            ("sys_created_on", &Store::days_ago(2, 12)),
            ("u_contract_ref", ""),
        ],
    );
    s.hide(INC_HIDDEN);
    seed_incident(
        s,
        &[
            ("sys_id", INC_CANCELED),
            ("number", "INC0010006"),
            ("short_description", "Duplicate: printer offline"),
            ("state", "8"),
            ("impact", "3"),
            ("urgency", "3"),
            ("priority", "5"),
            ("active", "false"),
            ("caller_id", ABEL_TUTER),
            ("company", ACME),
            ("assignment_group", SERVICE_DESK),
            ("category", "hardware"),
            ("opened_at", &Store::days_ago(1, 9)),
            ("sys_created_on", &Store::days_ago(1, 9)),
            ("u_contract_ref", ""),
        ],
    );

    // --- catalog requests ----------------------------------------------------------------------
    let task_defaults: [(&str, &str); 8] = [
        ("description", ""),
        ("assigned_to", ""),
        ("close_notes", ""),
        ("closed_at", ""),
        ("cmdb_ci", ""),
        ("parent", ""),
        ("impact", "3"),
        ("urgency", "3"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut v: Vec<(&str, &str)> = task_defaults.to_vec();
        for (k, val) in extra {
            v.retain(|(kk, _)| kk != k);
            v.push((k, val));
        }
        v
    };
    let opened_req = Store::days_ago(5, 9);
    let mut f = with(&[
        ("sys_id", REQ_LAPTOP),
        ("number", "REQ0010001"),
        ("short_description", "New hire equipment"),
        ("state", "2"),
        ("priority", "4"),
        ("active", "true"),
        ("requested_for", ABEL_TUTER),
        ("company", ACME),
        ("request_state", "in_process"),
        ("stage", "fulfillment"),
        ("price", "1100.00"),
    ]);
    f.push(("opened_at", &opened_req));
    f.push(("sys_created_on", &opened_req));
    s.seed("sc_request", &f);
    let mut f = with(&[
        ("sys_id", RITM_LAPTOP),
        ("number", "RITM0010001"),
        ("short_description", "Standard Laptop"),
        ("state", "2"),
        ("priority", "4"),
        ("active", "true"),
        ("request", REQ_LAPTOP),
        ("cat_item", CAT_LAPTOP),
        ("requested_for", ABEL_TUTER),
        ("company", ACME),
        ("assignment_group", HARDWARE),
        ("assigned_to", DAVID_LOO),
        ("quantity", "1"),
        ("stage", "fulfillment"),
        ("price", "1100.00"),
        ("recurring_price", "0"),
    ]);
    f.push(("opened_at", &opened_req));
    f.push(("sys_created_on", &opened_req));
    s.seed("sc_req_item", &f);
    let opened_sw = Store::days_ago(6, 10);
    let mut f = with(&[
        ("sys_id", RITM_SOFTWARE),
        ("number", "RITM0010002"),
        ("short_description", "Adobe Acrobat Pro"),
        ("state", "3"),
        ("priority", "4"),
        ("active", "false"),
        ("request", REQ_LAPTOP),
        ("cat_item", CAT_ACROBAT),
        ("requested_for", ABEL_TUTER),
        ("company", ACME),
        ("assignment_group", SERVICE_DESK),
        ("quantity", "1"),
        ("stage", "complete"),
        ("price", "400.00"),
        ("recurring_price", "0"),
        ("close_notes", "Licence assigned."),
    ]);
    f.push(("opened_at", &opened_sw));
    f.push(("sys_created_on", &opened_sw));
    s.seed("sc_req_item", &f);
    let mut f = with(&[
        ("sys_id", SCTASK_LAPTOP),
        ("number", "SCTASK0010001"),
        ("short_description", "Image and ship the laptop"),
        ("state", "1"),
        ("priority", "4"),
        ("active", "true"),
        ("request_item", RITM_LAPTOP),
        ("request", REQ_LAPTOP),
        ("company", ACME),
        ("assignment_group", HARDWARE),
    ]);
    f.push(("opened_at", &opened_req));
    f.push(("sys_created_on", &opened_req));
    s.seed("sc_task", &f);
    let opened_chg = Store::days_ago(7, 13);
    let mut f = with(&[
        ("sys_id", CHG_FIREWALL),
        ("number", "CHG0010001"),
        ("short_description", "Replace Globex firewall"),
        ("state", "-2"),
        ("priority", "3"),
        ("active", "true"),
        ("type", "normal"),
        ("category", "Network"),
        ("risk", "3"),
        ("requested_by", CARLA_REYES),
        ("company", GLOBEX),
        ("assignment_group", NETWORK),
        ("close_code", ""),
    ]);
    f.push(("opened_at", &opened_chg));
    f.push(("sys_created_on", &opened_chg));
    s.seed("change_request", &f);
    let mut f = with(&[
        ("sys_id", PRB_VPN),
        ("number", "PRB0010001"),
        ("short_description", "Recurring VPN disconnects"),
        ("state", "102"),
        ("priority", "2"),
        ("active", "true"),
        ("category", "network"),
        ("company", GLOBEX),
        ("assignment_group", NETWORK),
        ("first_reported_by_task", INC_VPN),
    ]);
    f.push(("opened_at", &opened_chg));
    f.push(("sys_created_on", &opened_chg));
    s.seed("problem", &f);
    s.seed(
        "pm_project",
        &[
            ("sys_id", PRJ_OFFICE_MOVE),
            ("number", "PRJ0010001"),
            ("short_description", "ACME office move"),
            ("state", "2"),
            ("active", "true"),
            ("company", ACME),
            ("project_manager", BETH_ANGLIN),
            ("start_date", &Store::days_ago(14, 9)),
            ("end_date", "2027-01-29 17:00:00"),
            ("percent_complete", "35"),
            ("priority", "3"),
        ],
    );

    // --- journal, audit, time -------------------------------------------------------------------------
    for (id, element, on, table, value, when, who) in [
        (
            "e1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1",
            "comments",
            INC_PRINTER,
            "incident",
            "We are looking into it and will update you within the hour.",
            Store::days_ago(3, 10),
            "beth.anglin",
        ),
        (
            "e1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c2",
            "work_notes",
            INC_PRINTER,
            "incident",
            "Print spooler on ACME-PRN-3F hung; restarting it.",
            Store::days_ago(2, 14),
            "beth.anglin",
        ),
        (
            "e1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c3",
            "comments",
            RITM_LAPTOP,
            "sc_req_item",
            "Your laptop ships on Friday.",
            Store::days_ago(4, 15),
            "david.loo",
        ),
    ] {
        s.seed(
            "sys_journal_field",
            &[
                ("sys_id", id),
                ("element", element),
                ("element_id", on),
                ("name", table),
                ("value", value),
                ("sys_created_on", &when),
                ("sys_created_by", who),
                ("sys_tags", ""),
            ],
        );
    }
    for (field, old, new, when) in [
        ("state", "1", "2", Store::days_ago_plus(3, 9 * 3600 + 60)),
        (
            "assigned_to",
            "",
            BETH_ANGLIN,
            Store::days_ago_plus(3, 9 * 3600 + 120),
        ),
        ("priority", "4", "3", Store::days_ago(2, 14)),
    ] {
        s.seed(
            "sys_audit",
            &[
                ("tablename", "incident"),
                ("fieldname", field),
                ("documentkey", INC_PRINTER),
                ("user", "beth.anglin"),
                ("oldvalue", old),
                ("newvalue", new),
                ("reason", ""),
                ("record_checkpoint", "1"),
                ("sys_created_on", &when),
                ("sys_created_by", "beth.anglin"),
            ],
        );
    }
    s.seed(
        "task_time_worked",
        &[
            ("sys_id", TIME_PRINTER),
            ("task", INC_PRINTER),
            ("user", BETH_ANGLIN),
            ("time_worked", "1970-01-01 00:30:00"),
            ("time_in_seconds", "1800"),
            ("comments", "Restarted the spooler and test-printed."),
            ("category", "task_work"),
            ("work_date", "2026-11-18"),
            ("time_card", ""),
            ("sys_created_on", &Store::days_ago(2, 14)),
            ("sys_created_by", "beth.anglin"),
        ],
    );
    s.seed(
        "task_time_worked",
        &[
            ("task", RITM_LAPTOP),
            ("user", DAVID_LOO),
            ("time_worked", "1970-01-01 01:00:00"),
            ("time_in_seconds", "3600"),
            ("comments", "Imaged the laptop."),
            ("category", "task_work"),
            ("work_date", "2026-11-17"),
            ("time_card", ""),
            ("sys_created_on", &Store::days_ago(4, 15)),
            ("sys_created_by", "david.loo"),
        ],
    );

    // --- knowledge, SLAs, contracts, catalog --------------------------------------------------------------
    for (id, number, title, text, state) in [
        (
            KB_VPN,
            "KB0010001",
            "How to reset your VPN token",
            "<p>Open the VPN client, choose <b>Reset token</b>, and sign in again.</p>",
            "published",
        ),
        (
            KB_PRINTER,
            "KB0010002",
            "Printer shows offline: troubleshooting",
            "<p>Restart the print spooler, then power-cycle the printer.</p>",
            "published",
        ),
        (
            KB_DRAFT,
            "KB0010003",
            "VPN split tunnelling (draft)",
            "<p>Work in progress.</p>",
            "draft",
        ),
    ] {
        s.seed(
            "kb_knowledge",
            &[
                ("sys_id", id),
                ("number", number),
                ("short_description", title),
                ("text", text),
                ("workflow_state", state),
                ("active", "true"),
                ("kb_knowledge_base", "a7e8a78bff0221009b20ffffffffff17"),
                ("kb_category", ""),
                ("author", BETH_ANGLIN),
                ("valid_to", "2100-01-01"),
                ("sys_updated_on", &Store::days_ago(20, 9)),
            ],
        );
    }
    for (id, name, duration, active) in [
        (
            SLA_P1,
            "Priority 1 resolution (4 hour)",
            "1970-01-01 04:00:00",
            "true",
        ),
        (
            SLA_P2,
            "Priority 2 resolution (8 hour)",
            "1970-01-01 08:00:00",
            "true",
        ),
        (
            "3d4d1e0fc0a8016a005c8e1c3e1b9c99",
            "Legacy response (retired)",
            "1970-01-02 00:00:00",
            "false",
        ),
    ] {
        s.seed(
            "contract_sla",
            &[
                ("sys_id", id),
                ("name", name),
                ("type", "SLA"),
                ("target", "resolution"),
                ("collection", "incident"),
                ("duration", duration),
                ("schedule", ""),
                ("active", active),
            ],
        );
    }
    s.seed(
        "task_sla",
        &[
            ("task", INC_PRINTER),
            ("sla", SLA_P2),
            ("stage", "in_progress"),
            ("has_breached", "false"),
            ("planned_end_time", &Store::days_ago(2, 17)),
            ("percentage", "42.5"),
            ("business_percentage", "42.5"),
            ("start_time", &Store::days_ago(3, 9)),
            ("end_time", ""),
            ("active", "true"),
        ],
    );
    s.seed(
        "ast_contract",
        &[
            ("sys_id", CONTRACT_ACME),
            ("number", "CNTR0010001"),
            ("short_description", "ACME managed services 2026"),
            ("vendor_contract", "ACME-MSA-2026"),
            ("vendor", ""),
            ("customer", ACME),
            ("contract_model", "Service"),
            ("starts", "2026-01-01"),
            ("ends", "2026-12-31"),
            ("state", "active"),
            ("substate", ""),
            ("active", "true"),
            ("contract_administrator", BETH_ANGLIN),
            ("description", "24x7 support, 4h P1."),
        ],
    );
    s.seed(
        "ast_contract",
        &[
            ("sys_id", CONTRACT_GLOBEX),
            ("number", "CNTR0010002"),
            ("short_description", "Globex support 2025"),
            ("vendor_contract", "GLX-2025"),
            ("vendor", ""),
            ("customer", GLOBEX),
            ("contract_model", "Service"),
            ("starts", "2025-01-01"),
            ("ends", "2025-12-31"),
            ("state", "expired"),
            ("substate", ""),
            ("active", "false"),
            ("contract_administrator", DAVID_LOO),
            ("description", ""),
        ],
    );
    for (id, name, desc, price, active) in [
        (
            CAT_LAPTOP,
            "Standard Laptop",
            "Lenovo ThinkPad T14, 16 GB",
            "1100.00",
            "true",
        ),
        (
            CAT_ACROBAT,
            "Adobe Acrobat Pro",
            "Annual licence",
            "400.00",
            "true",
        ),
        (
            "e0d08b13c3330100c8b837659bba8fb4",
            "Blackberry",
            "Retired phone model",
            "450.00",
            "false",
        ),
    ] {
        s.seed(
            "sc_cat_item",
            &[
                ("sys_id", id),
                ("name", name),
                ("short_description", desc),
                ("description", ""),
                ("price", price),
                ("active", active),
                ("category", ""),
                ("sys_class_name", "sc_cat_item"),
            ],
        );
    }
}

/// Adds `n` generated incidents (for paging tests and benches), created one
/// second apart sixty days before the seed data, so they list first.
pub(crate) fn generate_incidents(s: &mut Store, n: usize) {
    for i in 0..n {
        let number = format!("INC{:07}", 20_000 + i);
        let when = Store::days_ago_plus(60, i64::try_from(i).unwrap_or(i64::MAX));
        let (company, group) = if i % 2 == 0 {
            (ACME, SERVICE_DESK)
        } else {
            (GLOBEX, NETWORK)
        };
        let title = format!("Generated incident {i}");
        s.seed(
            "incident",
            &[
                ("number", &number),
                ("short_description", &title),
                ("state", "1"),
                ("impact", "3"),
                ("urgency", "3"),
                ("priority", "5"),
                ("active", "true"),
                ("caller_id", ABEL_TUTER),
                ("company", company),
                ("assignment_group", group),
                ("category", "inquiry"),
                ("opened_at", &when),
                ("sys_created_on", &when),
            ],
        );
    }
}
