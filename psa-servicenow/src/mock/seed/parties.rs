//! Seed data: choice labels, companies, groups, users and configuration items.

use super::{
    ABEL_TUTER, ACME, ADMIN, BETH_ANGLIN, BOW_RUGGERI, CARLA_REYES, CI_LAPTOP, CI_PRINTER,
    CI_SERVER, DAVID_LOO, DELL, FORMER_USER, GLOBEX, HARDWARE, INTEGRATION_USER,
    INTEGRATION_USER_ID, NETWORK, SERVICE_DESK,
};
use crate::mock::store::Store;

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

/// The `sys_choice` labels of the choice fields the SDK reads.
pub(super) fn choice_lists(s: &mut Store) {
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
}

/// Companies, groups and users (callers, agents, the integration user).
#[allow(clippy::too_many_lines)]
pub(super) fn parties(s: &mut Store) {
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
}

/// Configuration items of several classes.
pub(super) fn configuration_items(s: &mut Store) {
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
}
