//! The simulator's seed data: a small MSP with three clients.

use serde_json::{Map, Value, json};

use super::store::{Store, obj};

/// The API application's agent (what "Login Type: Agent" logs in as).
pub const API_AGENT_ID: i64 = 1;
/// The look-up table holding the simulator's charge types.
pub const CHARGE_TYPE_LOOKUP: i64 = 17;
/// Statuses Halo treats as closed in the simulator.
pub const CLOSED_STATUSES: [i64; 2] = [9, 10];
/// First id of generated tickets (paging benches).
pub const GENERATED_BASE: i64 = 1_000_000;

fn put(table: &mut std::collections::BTreeMap<i64, Map<String, Value>>, v: Value) {
    let m = obj(v);
    let id = m.get("id").and_then(Value::as_i64).unwrap_or_default();
    table.insert(id, m);
}

#[allow(clippy::too_many_lines)]
pub(crate) fn seed(store: &mut Store) {
    for v in [
        json!({"id": 12, "name": "Acme Pty Ltd", "toplevel_id": 1, "toplevel_name": "Customers", "inactive": false, "website": "https://acme.example", "main_site_id": 31, "main_site_name": "Head Office", "accountsid": "ACME01", "datecreated": "2021-03-04T00:00:00", "customfields": [{"id": 200, "name": "CFTier", "label": "Tier", "type": 2, "value": 1, "display": "Gold"}]}),
        json!({"id": 13, "name": "Globex Corporation", "toplevel_id": 1, "toplevel_name": "Customers", "inactive": false, "website": "https://globex.example", "main_site_id": 33, "main_site_name": "Springfield", "accountsid": "GLOBEX", "customfields": []}),
        json!({"id": 14, "name": "Initech", "toplevel_id": 1, "toplevel_name": "Customers", "inactive": false, "main_site_id": 35, "main_site_name": "Main", "customfields": []}),
        json!({"id": 15, "name": "Umbrella Holdings (former)", "toplevel_id": 1, "toplevel_name": "Customers", "inactive": true, "main_site_id": 36, "main_site_name": "Main", "customfields": []}),
    ] {
        put(&mut store.clients, v);
    }
    for v in [
        json!({"id": 31, "name": "Head Office", "client_id": 12, "client_name": "Acme Pty Ltd", "inactive": false, "phonenumber": "+61 2 9999 0000", "timezone": "AUS Eastern Standard Time", "maincontact_id": 140}),
        json!({"id": 32, "name": "Warehouse", "client_id": 12, "client_name": "Acme Pty Ltd", "inactive": false, "phonenumber": "+61 2 9999 0100", "timezone": "AUS Eastern Standard Time"}),
        json!({"id": 33, "name": "Springfield", "client_id": 13, "client_name": "Globex Corporation", "inactive": false, "phonenumber": "+1 555 0100", "timezone": "Central Standard Time"}),
        json!({"id": 35, "name": "Main", "client_id": 14, "client_name": "Initech", "inactive": false, "phonenumber": "+1 555 0199", "timezone": "Eastern Standard Time"}),
        json!({"id": 36, "name": "Main", "client_id": 15, "client_name": "Umbrella Holdings (former)", "inactive": true}),
    ] {
        put(&mut store.sites, v);
    }
    let users = [
        (140, "Jane", "Citizen", 31, "+61 2 9999 0001"),
        (141, "Raj", "Patel", 31, "+61 2 9999 0002"),
        (142, "Mei", "Chen", 32, "+61 2 9999 0103"),
        (143, "Tom", "Baker", 31, "+61 400 111 222"),
        (150, "Homer", "Simpson", 33, "+1 555 0101"),
        (151, "Lenny", "Leonard", 33, "+1 555 0102"),
        (152, "Carl", "Carlson", 33, "+1 555 0103"),
        (160, "Peter", "Gibbons", 35, "+1 555 0190"),
        (161, "Samir", "Nagheenanajar", 35, "+1 555 0191"),
        (162, "Milton", "Waddams", 35, "+1 555 0192"),
    ];
    for (id, first, last, site, phone) in users {
        let (client_id, client_name, domain) = match site {
            31 | 32 => (12, "Acme Pty Ltd", "acme.example"),
            33 => (13, "Globex Corporation", "globex.example"),
            _ => (14, "Initech", "initech.example"),
        };
        let site_name = store
            .sites
            .get(&site)
            .and_then(|s| s.get("name"))
            .cloned()
            .unwrap_or(Value::Null);
        put(
            &mut store.users,
            json!({"id": id, "name": format!("{first} {last}"), "firstname": first, "surname": last,
                   "site_id": site, "site_name": site_name, "client_id": client_id, "client_name": client_name,
                   "emailaddress": format!("{}@{domain}", first.to_lowercase()), "phonenumber": phone,
                   "mobilenumber": "", "inactive": false, "customfields": []}),
        );
    }
    for v in [
        json!({"id": API_AGENT_ID, "name": "API Integration", "firstname": "API", "surname": "Integration", "email": "api@msp.example", "team": "Service Desk", "isdisabled": false, "isapiagent": true, "is_agent": true}),
        json!({"id": 2, "name": "Alex Tech", "firstname": "Alex", "surname": "Tech", "email": "alex@msp.example", "jobtitle": "Service Desk Engineer", "team": "Service Desk", "isdisabled": false, "isapiagent": false, "is_agent": true}),
        json!({"id": 3, "name": "Priya Lead", "firstname": "Priya", "surname": "Lead", "email": "priya@msp.example", "jobtitle": "Team Lead", "team": "Projects", "isdisabled": false, "isapiagent": false, "is_agent": true}),
        json!({"id": 4, "name": "Sam Senior", "firstname": "Sam", "surname": "Senior", "email": "sam@msp.example", "team": "Escalations", "isdisabled": true, "isapiagent": false, "is_agent": true}),
    ] {
        put(&mut store.agents, v);
    }
    for v in [
        json!({"id": 1, "name": "Service Desk", "sequence": 1, "forrequests": true, "department_id": 1, "department_name": "Support", "inactive": false}),
        json!({"id": 2, "name": "Escalations", "sequence": 2, "forrequests": true, "department_id": 1, "department_name": "Support", "inactive": false}),
        json!({"id": 3, "name": "Projects", "sequence": 3, "forrequests": true, "forprojects": true, "department_id": 2, "department_name": "Delivery", "inactive": false}),
    ] {
        put(&mut store.teams, v);
    }
    for v in [
        json!({"id": 1, "name": "New", "shortname": "NEW", "type": 0, "sequence": 1, "colour": "#1e90ff"}),
        json!({"id": 2, "name": "In Progress", "shortname": "INP", "type": 0, "sequence": 2, "colour": "#32cd32"}),
        json!({"id": 3, "name": "Action Required", "shortname": "ACT", "type": 0, "sequence": 3}),
        json!({"id": 4, "name": "Waiting on User", "shortname": "WOU", "type": 1, "sequence": 4}),
        json!({"id": 8, "name": "Resolved", "shortname": "RES", "type": 0, "sequence": 8}),
        json!({"id": 9, "name": "Closed", "shortname": "CLO", "type": 0, "sequence": 9}),
        json!({"id": 10, "name": "Cancelled", "shortname": "CAN", "type": 0, "sequence": 10}),
    ] {
        put(&mut store.statuses, v);
    }
    // Projects use fewer statuses than service tickets.
    store.type_statuses.insert(5, vec![1, 2, 9]);
    for (sla, names) in [
        (1, ["Critical", "High", "Medium", "Low"]),
        (2, ["P1", "P2", "P3", "P4"]),
    ] {
        for (i, name) in names.iter().enumerate() {
            let pid = i64::try_from(i).unwrap_or_default() + 1;
            let response = [0.25, 1.0, 4.0, 8.0][i];
            let fix = [4, 8, 1, 3][i];
            store.priorities.push(obj(json!({
                "id": format!("6f1a4c2e-1c3b-4e56-9a7d-0000000{sla}{pid:04}"),
                "slaid": sla, "priorityid": pid, "name": name,
                "responsetime": response, "responseunits": "h",
                "fixtime": fix, "fixunits": if i < 2 { "h" } else { "d" },
                "ishidden": false
            })));
        }
    }
    for v in [
        json!({"id": 1, "name": "Incident", "use": "tickets", "group_id": 1, "group_name": "Service", "sequence": 1, "visible": true}),
        json!({"id": 3, "name": "Service Request", "use": "tickets", "group_id": 1, "group_name": "Service", "sequence": 2, "visible": true}),
        json!({"id": 4, "name": "Problem", "use": "tickets", "group_id": 1, "group_name": "Service", "sequence": 3, "visible": true}),
        json!({"id": 5, "name": "Project", "use": "prjs", "group_id": 2, "group_name": "Projects", "sequence": 4, "visible": true}),
    ] {
        put(&mut store.ticket_types, v);
    }
    for v in [
        json!({"id": 1, "name": "Standard SLA", "workday_id": 1, "workday_name": "Business hours", "trackslaresponsetime": true, "trackslafixbytime": true}),
        json!({"id": 2, "name": "24x7", "workday_id": 2, "workday_name": "24x7", "trackslaresponsetime": true, "trackslafixbytime": true}),
    ] {
        put(&mut store.slas, v);
    }
    store.lookups.insert(
        CHARGE_TYPE_LOOKUP,
        vec![
            obj(json!({"id": 1, "lookupid": CHARGE_TYPE_LOOKUP, "name": "Remote Support", "sequence": 1, "inactive": false})),
            obj(json!({"id": 2, "lookupid": CHARGE_TYPE_LOOKUP, "name": "Onsite Support", "sequence": 2, "inactive": false})),
            obj(json!({"id": 3, "lookupid": CHARGE_TYPE_LOOKUP, "name": "Project Work", "sequence": 3, "inactive": false})),
            obj(json!({"id": 4, "lookupid": CHARGE_TYPE_LOOKUP, "name": "Travel (old)", "sequence": 4, "inactive": true})),
        ],
    );
    for v in [
        json!({"id": 501, "inventory_number": "ACME-PRN-03", "key_field": "HP LaserJet M404", "client_id": 12, "client_name": "Acme Pty Ltd", "site_id": 31, "site_name": "Head Office", "assettype_id": 4, "assettype_name": "Printer", "inactive": false, "customfields": []}),
        json!({"id": 502, "inventory_number": "ACME-LT-017", "key_field": "Dell Latitude 7440", "client_id": 12, "client_name": "Acme Pty Ltd", "site_id": 31, "site_name": "Head Office", "assettype_id": 1, "assettype_name": "Laptop", "inactive": false, "customfields": [{"id": 300, "name": "CFWarrantyRef", "label": "Warranty ref", "type": 0, "value": "DL-99812"}]}),
        json!({"id": 503, "inventory_number": "ACME-FW-01", "key_field": "FortiGate 60F", "client_id": 12, "client_name": "Acme Pty Ltd", "site_id": 32, "site_name": "Warehouse", "assettype_id": 2, "assettype_name": "Firewall", "inactive": false, "customfields": []}),
        json!({"id": 504, "inventory_number": "GLX-SRV-01", "key_field": "PowerEdge R650", "client_id": 13, "client_name": "Globex Corporation", "site_id": 33, "site_name": "Springfield", "assettype_id": 3, "assettype_name": "Server", "inactive": false, "customfields": []}),
        json!({"id": 505, "inventory_number": "INI-PRN-01", "key_field": "Brother HL-L2350", "client_id": 14, "client_name": "Initech", "site_id": 35, "site_name": "Main", "assettype_id": 4, "assettype_name": "Printer", "inactive": true, "customfields": []}),
    ] {
        put(&mut store.assets, v);
    }
    for v in [
        json!({"id": 7, "name": "Toner cartridge HP 59A", "description": "Genuine HP toner", "internalreference": "HP-CF259A", "supplier_part_code": "CF259A", "baseprice": 149.0, "costprice": 98.5, "inactive": false, "customfields": []}),
        json!({"id": 8, "name": "USB-C dock", "description": "Dell WD19S", "internalreference": "DOCK-01", "baseprice": 289, "costprice": 190, "inactive": false, "customfields": []}),
        json!({"id": 9, "name": "Microsoft 365 Business Premium", "description": "Monthly licence", "internalreference": "M365-BP", "baseprice": 32.9, "costprice": 26.4, "inactive": false, "customfields": []}),
        json!({"id": 10, "name": "Cat6 patch lead 2m", "description": "", "internalreference": "CAT6-2M", "baseprice": 9.5, "costprice": 2.1, "inactive": false, "customfields": []}),
        json!({"id": 11, "name": "Legacy backup tape", "description": "LTO-5", "internalreference": "LTO5", "baseprice": 45, "costprice": 30, "inactive": true, "customfields": []}),
    ] {
        put(&mut store.items, v);
    }
    for v in [
        json!({"id": 21, "ref": "ACME-MSA-2024", "client_id": 12, "client_name": "Acme Pty Ltd", "site_id": 31, "start_date": "2024-01-01T00:00:00", "end_date": "2026-12-31T00:00:00", "expired": false, "active": true, "status": 1, "contract_status": "Active", "contracttype": 2, "sla_id": 1, "sla_name": "Standard SLA", "customfields": []}),
        json!({"id": 22, "ref": "GLX-247", "client_id": 13, "client_name": "Globex Corporation", "site_id": 33, "start_date": "2024-07-01T00:00:00", "end_date": "2026-06-30T00:00:00", "expired": false, "active": true, "status": 1, "contract_status": "Active", "contracttype": 2, "sla_id": 2, "sla_name": "24x7", "customfields": []}),
        json!({"id": 23, "ref": "ACME-BLOCK-2022", "client_id": 12, "client_name": "Acme Pty Ltd", "start_date": "2022-01-01T00:00:00", "end_date": "2022-12-31T00:00:00", "expired": true, "active": false, "status": 2, "contract_status": "Expired", "contracttype": 1, "customfields": []}),
    ] {
        put(&mut store.contracts, v);
    }
    for v in [
        json!({"id": 61, "name": "Printer shows offline", "description": "When a network printer shows offline for every user, the spooler is usually hung.", "resolution": "Restart the Print Spooler service on the print server.", "tag_string": "printer,spooler", "type": 0, "inactive": false, "date_created": "2023-07-01T00:00:00", "date_edited": "2024-02-10T05:00:00"}),
        json!({"id": 62, "name": "Reset a user's MFA", "description": "How to reset Microsoft Entra MFA registration for a user.", "resolution": "Entra admin centre > Users > Authentication methods > Require re-register MFA.", "tag_string": "mfa,entra", "type": 0, "inactive": false, "date_created": "2023-09-12T00:00:00", "date_edited": "2023-09-12T00:00:00"}),
        json!({"id": 63, "name": "VPN drops every hour", "description": "FortiClient VPN disconnects after 60 minutes.", "resolution": "Raise the SSL-VPN idle timeout on the FortiGate.", "tag_string": "vpn,fortinet", "type": 0, "inactive": false, "date_created": "2024-01-20T00:00:00", "date_edited": "2024-03-01T00:00:00"}),
        json!({"id": 64, "name": "Onboarding checklist", "description": "Steps for a new starter: accounts, licence, laptop, MFA.", "resolution": "", "tag_string": "onboarding", "type": 1, "inactive": false, "date_created": "2022-05-05T00:00:00", "date_edited": "2024-04-01T00:00:00"}),
    ] {
        put(&mut store.kb, v);
    }
    seed_tickets(store);
    seed_files_and_fields(store);
}

/// A screenshot on ticket 1001 and the tenant's field definitions.
fn seed_files_and_fields(store: &mut Store) {
    let png: &[u8] = b"\x89PNG\r\n\x1a\nsimulated screenshot";
    store.attachments.insert(
        7001,
        obj(json!({"id": 7001, "ticket_id": 1001, "action_id": 1, "filename": "printer-error.png",
                   "filesize": png.len(), "content_type": "image/png", "datecreated": "2025-03-01T01:20:00",
                   "agent_id": 0, "user_id": 140, "isimage": true, "showforusers": true})),
    );
    store.files.insert(7001, png.to_vec());
    store.fields = vec![
        obj(
            json!({"id": 140, "name": "CFContractRef", "label": "Contract Ref", "type": 0, "usage": 1,
                   "custom": 1, "characterlimit": 50, "readonly": false, "mandatory": false, "values": []}),
        ),
        obj(
            json!({"id": 141, "name": "CFImpactArea", "label": "Impact area", "type": 2, "usage": 1,
                   "custom": 1, "characterlimit": 0, "readonly": false, "mandatory": true,
                   "values": [{"id": 1, "name": "Single user"}, {"id": 2, "name": "Whole site"},
                              {"id": 3, "name": "Legacy", "inactive": true}]}),
        ),
        obj(
            json!({"id": 142, "name": "CFSlaOverride", "label": "SLA override", "type": 6, "usage": 1,
                   "custom": 1, "readonly": true, "mandatory": false, "values": []}),
        ),
        obj(
            json!({"id": 200, "name": "CFTier", "label": "Tier", "type": 2, "usage": 2, "custom": 1,
                   "mandatory": false, "values": [{"id": 1, "name": "Gold"}, {"id": 2, "name": "Silver"}]}),
        ),
        obj(
            json!({"id": 300, "name": "CFWarrantyRef", "label": "Warranty ref", "type": 0, "usage": 5,
                   "custom": 1, "characterlimit": 30, "mandatory": false, "values": []}),
        ),
        obj(
            json!({"id": 5, "name": "summary", "label": "Summary", "type": 0, "usage": 1, "custom": 0,
                   "characterlimit": 1000, "mandatory": true, "values": []}),
        ),
    ];
}

/// A seeded ticket: summary, client, site, user, status, priority, team,
/// ticket type, agent, day of March 2025.
type Row = (&'static str, i64, i64, i64, i64, i64, i64, i64, i64, u32);

#[allow(clippy::too_many_lines)]
fn seed_tickets(store: &mut Store) {
    // (summary, client, site, user, status, priority, team, type, agent, day)
    let rows: [Row; 25] = [
        (
            "Printer offline on 3rd floor",
            12,
            31,
            140,
            1,
            3,
            1,
            1,
            0,
            1,
        ),
        (
            "New starter: laptop and accounts for Sam",
            12,
            31,
            141,
            2,
            4,
            3,
            3,
            2,
            1,
        ),
        (
            "Order laptop for new starter",
            12,
            31,
            141,
            9,
            4,
            3,
            3,
            2,
            2,
        ),
        (
            "Outlook keeps asking for password",
            12,
            32,
            142,
            2,
            3,
            1,
            1,
            2,
            2,
        ),
        ("VPN drops every hour", 12, 31, 143, 4, 2, 1, 1, 2, 3),
        (
            "Warehouse scanner not syncing",
            12,
            32,
            142,
            1,
            2,
            1,
            1,
            0,
            3,
        ),
        ("Reset MFA for Tom", 12, 31, 143, 9, 3, 1, 3, 2, 4),
        ("Server disk 90% full", 13, 33, 150, 2, 1, 2, 1, 3, 4),
        ("Add Lenny to finance share", 13, 33, 151, 1, 4, 1, 3, 0, 5),
        (
            "Email bouncing from suppliers",
            13,
            33,
            152,
            3,
            2,
            1,
            1,
            2,
            5,
        ),
        ("Backup job failed overnight", 13, 33, 150, 2, 2, 2, 4, 3, 6),
        (
            "Replace toner in reception printer",
            13,
            33,
            151,
            10,
            4,
            1,
            3,
            0,
            6,
        ),
        ("TPS report template broken", 14, 35, 160, 1, 3, 1, 1, 0, 7),
        ("Stapler missing", 14, 35, 162, 9, 4, 1, 3, 2, 7),
        ("Slow Wi-Fi in meeting room", 14, 35, 161, 2, 3, 1, 1, 2, 8),
        (
            "Office 365 licence for Samir",
            14,
            35,
            161,
            8,
            4,
            1,
            3,
            2,
            8,
        ),
        ("Firewall firmware upgrade", 12, 32, 140, 1, 3, 3, 5, 3, 9),
        (
            "Migrate file server to SharePoint",
            13,
            33,
            150,
            2,
            3,
            3,
            5,
            3,
            9,
        ),
        ("Phishing email reported", 12, 31, 140, 2, 1, 2, 1, 3, 10),
        ("Monitor flickering", 12, 31, 141, 1, 4, 1, 1, 0, 10),
        ("Password reset for Mei", 12, 32, 142, 9, 4, 1, 3, 2, 11),
        ("Shared mailbox access", 13, 33, 152, 1, 3, 1, 3, 0, 11),
        ("Printer offline again", 12, 31, 140, 1, 3, 1, 1, 0, 12),
        ("Laptop battery swelling", 14, 35, 160, 3, 2, 2, 1, 2, 12),
        ("Quarterly patching window", 14, 35, 161, 4, 3, 3, 4, 3, 13),
    ];
    for (i, (summary, client, site, user, status, priority, team, tt, agent, day)) in
        rows.into_iter().enumerate()
    {
        let id = 1001 + i64::try_from(i).unwrap_or_default();
        let occurred = format!("2025-03-{day:02}T0{}:15:00", 1 + i % 8);
        let closed = super::seed::CLOSED_STATUSES.contains(&status);
        let client_name = store
            .clients
            .get(&client)
            .and_then(|c| c.get("name"))
            .cloned();
        let site_name = store.sites.get(&site).and_then(|c| c.get("name")).cloned();
        let user_name = store.users.get(&user).and_then(|c| c.get("name")).cloned();
        let agent_name = store
            .agents
            .get(&agent)
            .and_then(|c| c.get("name"))
            .cloned();
        let team_name = store.teams.get(&team).and_then(|c| c.get("name")).cloned();
        let details = format!(
            "{summary}. Reported by {}.",
            user_name
                .as_ref()
                .and_then(Value::as_str)
                .unwrap_or("the user")
        );
        let sla = if client == 13 { 2 } else { 1 };
        let contract_ref = if client == 12 { "ACME-MSA-2024" } else { "" };
        let dateclosed = if closed {
            format!("2025-03-{:02}T17:00:00", day + 1)
        } else {
            "1900-01-01T00:00:00".to_owned()
        };
        let mut t = obj(json!({
            "id": id, "summary": summary, "details": details,
            "status_id": status, "tickettype_id": tt, "sla_id": sla, "priority_id": priority,
            "client_id": client, "client_name": client_name, "site_id": site, "site_name": site_name,
            "user_id": user, "user_name": user_name, "agent_id": agent, "team": team_name, "team_id": team,
        }));
        t.extend(obj(json!({
            "dateoccurred": occurred, "datecreated": occurred, "last_update": occurred, "lastactiondate": occurred,
            "dateclosed": dateclosed, "fixbydate": format!("2025-03-{:02}T17:00:00", day + 2),
            "parent_id": 0, "merged_into_id": 0, "onhold": status == 4, "deleted": false,
            "hasbeenclosed": closed, "is_project": tt == 5, "estimate": 0, "timetaken": 0,
            "impact": 3, "urgency": 3, "flagged": false, "read": true,
        })));
        // SLA timers: response due an hour after logging, responded within
        // it except on every fifth ticket; Halo reports each target as
        // `I` (inside) or `O` (outside).
        let late = i % 5 == 4;
        let responded = if late {
            format!("2025-03-{day:02}T{:02}:30:00", 3 + i % 8)
        } else {
            format!("2025-03-{day:02}T0{}:45:00", 1 + i % 8)
        };
        t.extend(obj(json!({
            "sla_name": if sla == 2 { "24x7" } else { "Standard SLA" },
            "respondbydate": format!("2025-03-{day:02}T0{}:15:00", 2 + i % 8),
            "responsedate": responded,
            "slaresponsestate": if late { "O" } else { "I" },
            "slastate": if closed || !late { "I" } else { "O" },
        })));
        t.insert(
            "customfields".into(),
            json!([{"id": 140, "name": "CFContractRef", "label": "Contract Ref", "type": 0,
                    "value": contract_ref, "display": contract_ref}]),
        );
        if agent > 0 {
            t.insert("agent_name".into(), agent_name.unwrap_or(Value::Null));
        }
        if id == 1025 {
            // As some Halo versions answer: the team by name only.
            t.remove("team_id");
        }
        if tt == 5 {
            t.insert(
                "startdate".into(),
                json!(format!("2025-03-{day:02}T00:00:00")),
            );
            t.insert(
                "targetdate".into(),
                json!(format!("2025-04-{day:02}T00:00:00")),
            );
        }
        store.tickets.insert(id, t);
        // The logging action every ticket has.
        store.add_action_raw(obj(json!({
            "ticket_id": id, "id": 1, "outcome": "Logged", "who": user_name, "who_type": 2, "who_agentid": 0,
            "datetime": occurred, "note": summary, "hiddenfromuser": false, "timetaken": 0
        })));
        if agent > 0 {
            let an = store
                .agents
                .get(&agent)
                .and_then(|c| c.get("name"))
                .cloned();
            let start = format!("2025-03-{day:02}T0{}:30:00", 1 + i % 8);
            let end = format!("2025-03-{day:02}T0{}:45:00", 1 + i % 8);
            store.add_action_raw(obj(json!({
                "ticket_id": id, "id": 2, "outcome": "Private Note", "who": an, "who_type": 1, "who_agentid": agent,
                "actionby_agent_id": agent, "datetime": end, "note": "Investigated; next steps noted.",
                "hiddenfromuser": true, "timetaken": 0.25, "actisbillable": i % 3 != 0, "chargerate": 1,
                "actionarrivaldate": start, "actioncompletiondate": end
            })));
            store.add_action_raw(obj(json!({
                "ticket_id": id, "id": 3, "outcome": "Note", "who": an, "who_type": 1, "who_agentid": agent,
                "datetime": end, "note": "We're working on this and will update you shortly.",
                "hiddenfromuser": false, "sendemail": true, "timetaken": 0
            })));
            if let Some(t) = store.tickets.get_mut(&id) {
                t.insert("timetaken".into(), json!(0.25));
            }
        }
    }
    // Bundle: 1003 is a child of 1002.
    if let Some(t) = store.tickets.get_mut(&1003) {
        t.insert("parent_id".into(), json!(1002));
    }
    if let Some(t) = store.tickets.get_mut(&1002) {
        t.insert("child_ticket_ids".into(), json!([1003]));
    }
    // An item already issued to the first ticket.
    if let Some(t) = store.tickets.get_mut(&1001) {
        t.insert(
            "items_issued".into(),
            json!([{"id": 1, "ticket_id": 1001, "item_id": 7, "name": "Toner cartridge HP 59A", "quantity": 1, "price": 149.0, "costprice": 98.5, "note": "", "agent_id": 2}]),
        );
    }
    store.next_item_line = 2;
    for v in [
        json!({"id": 801, "subject": "Onsite: printer", "start_date": "2025-03-02T01:00:00", "end_date": "2025-03-02T02:00:00", "allday": false, "agent_id": 2, "agent_name": "Alex Tech", "ticket_id": 1001, "client_id": 12, "client_name": "Acme Pty Ltd", "note": "Bring toner.", "is_private": false, "is_task": false, "appointment_type_name": "Onsite"}),
        json!({"id": 802, "subject": "Laptop handover", "start_date": "2025-03-03T23:00:00", "end_date": "2025-03-04T00:00:00", "allday": false, "agent_id": 2, "agent_name": "Alex Tech", "ticket_id": 1002, "client_id": 12, "client_name": "Acme Pty Ltd", "note": "", "is_private": false, "is_task": false, "appointment_type_name": "Onsite"}),
        json!({"id": 803, "subject": "Disk clean-up", "start_date": "2025-03-05T03:00:00", "end_date": "2025-03-05T04:30:00", "allday": false, "agent_id": 3, "agent_name": "Priya Lead", "ticket_id": 1008, "client_id": 13, "client_name": "Globex Corporation", "note": "Remote session.", "is_private": false, "is_task": false, "appointment_type_name": "Remote"}),
        json!({"id": 804, "subject": "Team meeting", "start_date": "2025-03-06T00:00:00", "end_date": "2025-03-06T01:00:00", "allday": false, "agent_id": 3, "agent_name": "Priya Lead", "ticket_id": 0, "note": "", "is_private": true, "is_task": false, "appointment_type_name": "Internal"}),
    ] {
        put(&mut store.appointments, v);
    }
}
