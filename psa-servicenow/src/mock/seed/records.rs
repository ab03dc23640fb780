//! Seed data: knowledge, SLA definitions, contracts, catalog items and projects.

use super::{
    ACME, BETH_ANGLIN, CAT_ACROBAT, CAT_LAPTOP, CONTRACT_ACME, CONTRACT_GLOBEX, DAVID_LOO, GLOBEX,
    INC_PRINTER, INC_VPN, KB_DRAFT, KB_PRINTER, KB_VPN, SLA_P1, SLA_P2, SLA_P2_RESPONSE,
};
use crate::mock::store::Store;

/// Knowledge articles, SLA definitions, contracts, catalog items and a project.
#[allow(clippy::too_many_lines)]
pub(super) fn knowledge_and_contracts(s: &mut Store) {
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
        "contract_sla",
        &[
            ("sys_id", SLA_P2_RESPONSE),
            ("name", "Priority 2 response (1 hour)"),
            ("type", "SLA"),
            ("target", "response"),
            ("collection", "incident"),
            ("duration", "1970-01-01 01:00:00"),
            ("schedule", ""),
            ("active", "true"),
        ],
    );
    // The printer incident: responded late, resolution running.
    s.seed(
        "task_sla",
        &[
            ("task", INC_PRINTER),
            ("sla", SLA_P2_RESPONSE),
            ("stage", "completed"),
            ("has_breached", "true"),
            ("planned_end_time", &Store::days_ago(3, 10)),
            ("percentage", "150"),
            ("business_percentage", "150"),
            ("start_time", &Store::days_ago(3, 9)),
            ("end_time", &Store::days_ago(3, 10)),
            ("active", "false"),
        ],
    );
    // The VPN incident: its resolution clock paused.
    s.seed(
        "task_sla",
        &[
            ("task", INC_VPN),
            ("sla", SLA_P1),
            ("stage", "paused"),
            ("has_breached", "false"),
            ("planned_end_time", &Store::days_ago(0, 18)),
            ("percentage", "20"),
            ("business_percentage", "20"),
            ("start_time", &Store::days_ago(1, 9)),
            ("end_time", ""),
            ("active", "true"),
        ],
    );
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

/// `sys_dictionary` entries of the seeded custom columns (and a baseline
/// column, which a custom-field listing must skip), with the `sys_choice`
/// list of the choice one.
pub(super) fn dictionary(s: &mut Store) {
    for (table, element, label, kind, max, mandatory, read_only, choice) in [
        (
            "incident",
            "u_contract_ref",
            "Contract reference",
            "string",
            "40",
            "false",
            "false",
            "0",
        ),
        (
            "incident",
            "u_escalation_tier",
            "Escalation tier",
            "string",
            "40",
            "true",
            "false",
            "3",
        ),
        (
            "task",
            "u_customer_visible",
            "Customer visible",
            "boolean",
            "40",
            "false",
            "false",
            "0",
        ),
        (
            "incident",
            "short_description",
            "Short description",
            "string",
            "160",
            "true",
            "false",
            "0",
        ),
        (
            "core_company",
            "u_account_tier",
            "Account tier",
            "integer",
            "40",
            "false",
            "true",
            "0",
        ),
        (
            "sys_user", "u_notes", "Notes", "string", "4000", "false", "false", "0",
        ),
    ] {
        s.seed(
            "sys_dictionary",
            &[
                ("name", table),
                ("element", element),
                ("column_label", label),
                ("internal_type", kind),
                ("max_length", max),
                ("mandatory", mandatory),
                ("read_only", read_only),
                ("active", "true"),
                ("choice", choice),
                ("reference", ""),
            ],
        );
    }
    for (i, (value, label, inactive)) in [
        ("1", "Tier 1", "false"),
        ("2", "Tier 2", "false"),
        ("3", "Tier 3 (retired)", "true"),
    ]
    .into_iter()
    .enumerate()
    {
        let seq = (i * 10).to_string();
        s.seed(
            "sys_choice",
            &[
                ("name", "incident"),
                ("element", "u_escalation_tier"),
                ("value", value),
                ("label", label),
                ("language", "en"),
                ("inactive", inactive),
                ("sequence", &seq),
                ("dependent_value", ""),
            ],
        );
    }
}
