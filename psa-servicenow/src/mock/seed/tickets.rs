//! Seed data: tickets of every task table, their journal, audit and time records, and generated incidents.

use super::{
    ABEL_TUTER, ACME, ADMIN, BETH_ANGLIN, BOW_RUGGERI, CARLA_REYES, CAT_ACROBAT, CAT_LAPTOP,
    CHG_FIREWALL, CI_PRINTER, DAVID_LOO, GLOBEX, HARDWARE, INC_CANCELED, INC_CLOSED,
    INC_EMAIL_RESOLVED, INC_HIDDEN, INC_PRINTER, INC_VPN, NETWORK, PRB_VPN, PRJ_OFFICE_MOVE,
    REQ_LAPTOP, RITM_LAPTOP, RITM_SOFTWARE, SCTASK_LAPTOP, SERVICE_DESK, TIME_PRINTER,
};
use crate::mock::store::Store;

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

/// Incidents in every state, one hidden from the API user.
#[allow(clippy::too_many_lines)]
pub(super) fn incidents(s: &mut Store) {
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
}

/// A catalog request with its items and task, a change and a problem.
#[allow(clippy::too_many_lines)]
pub(super) fn catalog_requests(s: &mut Store) {
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
}

/// Journal entries, audit records and time worked on the seeded tickets.
#[allow(clippy::too_many_lines)]
pub(super) fn journal_audit_time(s: &mut Store) {
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
}

/// Adds `n` generated tickets — incidents, the default ticket table — for
/// paging tests and benches, created one second apart sixty days before the
/// seed data, so they list first.
pub(crate) fn generate_tickets(s: &mut Store, n: u64) {
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
