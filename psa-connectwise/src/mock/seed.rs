//! The simulator's seed: a deterministic, realistic ConnectWise site
//! (members, companies, contacts, boards and their statuses, types and
//! items, tickets with notes, time and audit trail, configurations,
//! agreements, catalog items, projects, knowledge-base articles …).

use chrono::{DateTime, Duration as TimeDelta, TimeZone, Utc};
use serde_json::{Value, json};

use super::store::{Coll, State, ts};

/// `2026-03-{day}T{hour}:00:00Z` — the seed's clock.
fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day.clamp(1, 28), hour.min(23), 0, 0)
        .single()
        .unwrap_or_default()
}

fn info(entered: DateTime<Utc>, updated: DateTime<Utc>, by: &str) -> Value {
    json!({
        "lastUpdated": ts(updated),
        "updatedBy": by,
        "dateEntered": ts(entered),
        "enteredBy": by,
    })
}

/// The custom field definitions every ticket carries.
pub(crate) fn ticket_custom_fields() -> Value {
    json!([
        {"id": 1, "caption": "Root Cause", "type": "Text", "entryMethod": "EntryField",
         "numberOfDecimals": 0, "value": null, "connectWiseId": "4c1d2a10-0001-4f6e-9a41-1a2b3c4d5e01"},
        {"id": 2, "caption": "Story Points", "type": "Number", "entryMethod": "EntryField",
         "numberOfDecimals": 0, "value": null, "connectWiseId": "4c1d2a10-0002-4f6e-9a41-1a2b3c4d5e02"},
        {"id": 3, "caption": "Escalated", "type": "Checkbox", "entryMethod": "EntryField",
         "numberOfDecimals": 0, "value": false, "connectWiseId": "4c1d2a10-0003-4f6e-9a41-1a2b3c4d5e03"},
        {"id": 4, "caption": "Category", "type": "Text", "entryMethod": "List",
         "numberOfDecimals": 0, "value": null, "connectWiseId": "4c1d2a10-0004-4f6e-9a41-1a2b3c4d5e04"}
    ])
}

/// The definitions (`/system/userDefinedFields`) of the seeded custom
/// fields: tickets' (the Service Ticket screen), companies' and
/// configurations'.
fn user_defined_fields() -> Value {
    let udf = |id: i64, pod: i64, caption: &str, kind: &str, entry: &str, required: bool| {
        json!({"id": id, "podId": pod, "caption": caption, "sequenceNumber": id,
            "helpText": "", "fieldTypeIdentifier": kind, "numberDecimals": 0,
            "entryTypeIdentifier": entry, "requiredFlag": required, "displayOnScreenFlag": true,
            "readOnlyFlag": false, "listViewFlag": false, "businessUnitIds": [], "locationIds": [],
            "dateCreated": "2026-01-05T08:00:00Z",
            "_info": {"lastUpdated": "2026-01-05T08:00:00Z", "updatedBy": "admin"}})
    };
    let mut category = udf(4, 1, "Category", "Text", "List", true);
    category["options"] = json!([
        {"id": 41, "optionValue": "Hardware", "defaultFlag": false, "inactiveFlag": false, "sortOrder": 1},
        {"id": 42, "optionValue": "Software", "defaultFlag": true, "inactiveFlag": false, "sortOrder": 2},
        {"id": 43, "optionValue": "Legacy", "defaultFlag": false, "inactiveFlag": true, "sortOrder": 3}
    ]);
    json!([
        udf(1, 1, "Root Cause", "Text", "EntryField", false),
        udf(2, 1, "Story Points", "Number", "EntryField", false),
        udf(3, 1, "Escalated", "Checkbox", "EntryField", false),
        category,
        udf(11, 17, "Warranty Contract", "Text", "EntryField", false),
        udf(21, 2, "Account Manager", "Text", "EntryField", false)
    ])
}

/// The custom field definitions every configuration carries.
pub(crate) fn configuration_custom_fields() -> Value {
    json!([
        {"id": 11, "caption": "Warranty Contract", "type": "Text", "entryMethod": "EntryField",
         "numberOfDecimals": 0, "value": null, "connectWiseId": "4c1d2a10-0011-4f6e-9a41-1a2b3c4d5e11"}
    ])
}

struct Seeder {
    st: State,
}

impl Seeder {
    fn put(&mut self, c: Coll, id: i64, v: Value) {
        self.st.insert(c, id, v);
    }

    fn reference(&self, c: Coll, id: i64) -> Value {
        self.st
            .reference(c, id)
            .unwrap_or_else(|| json!({ "id": id }))
    }
}

const MEMBERS: &[(i64, &str, &str, &str, &str)] = &[
    (101, "jdoe", "Jane", "Doe", "F"),
    (102, "spatel", "Sam", "Patel", "F"),
    (103, "lchen", "Lee", "Chen", "F"),
    (104, "mgarcia", "Maria", "Garcia", "F"),
    (105, "okoro", "Oluchi", "Okoro", "F"),
    (190, "psa.agent", "PSA", "Agent", "A"),
];

const COMPANIES: &[(i64, &str, &str, &str, &str)] = &[
    (
        10,
        "Acme",
        "ACME Corporation",
        "(555) 201-0100",
        "www.acme.example",
    ),
    (
        11,
        "Globex",
        "Globex Inc",
        "(555) 201-0200",
        "www.globex.example",
    ),
    (
        12,
        "Initech",
        "Initech",
        "(555) 201-0300",
        "www.initech.example",
    ),
    (
        13,
        "Umbrella",
        "Umbrella Health",
        "(555) 201-0400",
        "www.umbrella.example",
    ),
    (
        14,
        "StarkLog",
        "Stark Logistics",
        "(555) 201-0500",
        "www.starklog.example",
    ),
    (
        15,
        "Wayne",
        "Wayne Dental",
        "(555) 201-0600",
        "www.waynedental.example",
    ),
    (
        19,
        "MSP",
        "Northwind MSP (internal)",
        "(555) 201-0900",
        "www.northwind.example",
    ),
];

// id, company, first, last, email, direct phone, mobile
const CONTACTS: &[(i64, i64, &str, &str, &str, &str, &str)] = &[
    (
        201,
        10,
        "Wile",
        "Coyote",
        "wile.coyote@acme.example",
        "5552010111",
        "5553010111",
    ),
    (
        202,
        10,
        "Road",
        "Runner",
        "road.runner@acme.example",
        "5552010112",
        "",
    ),
    (
        203,
        10,
        "Marvin",
        "O'Brien",
        "marvin.obrien@acme.example",
        "5552010113",
        "",
    ),
    (
        204,
        11,
        "Hank",
        "Scorpio",
        "hank@globex.example",
        "5552010211",
        "5553010211",
    ),
    (
        205,
        11,
        "Homer",
        "Simpson",
        "homer.simpson@globex.example",
        "5552010212",
        "",
    ),
    (
        206,
        12,
        "Peter",
        "Gibbons",
        "peter.gibbons@initech.example",
        "5552010311",
        "",
    ),
    (
        207,
        12,
        "Milton",
        "Waddams",
        "milton@initech.example",
        "5552010312",
        "5553010312",
    ),
    (
        208,
        13,
        "Alice",
        "Abernathy",
        "alice@umbrella.example",
        "5552010411",
        "",
    ),
    (
        209,
        13,
        "Albert",
        "Wesker",
        "albert.wesker@umbrella.example",
        "0299990000",
        "",
    ),
    (
        210,
        14,
        "Pepper",
        "Potts",
        "pepper.potts@starklog.example",
        "5552010511",
        "5553010511",
    ),
    (
        211,
        15,
        "Bruce",
        "Wayne",
        "bruce@waynedental.example",
        "5552010611",
        "",
    ),
    (
        212,
        19,
        "Ops",
        "Desk",
        "ops@northwind.example",
        "5552010911",
        "",
    ),
];

// board id, name, project flag
const BOARDS: &[(i64, &str, bool)] = &[
    (1, "Service Desk", false),
    (2, "Network Operations", false),
    (3, "Onboarding", false),
    (4, "Projects", true),
];

// status names per board: (name, closed, default)
const STATUS_NAMES: &[(&str, bool, bool)] = &[
    ("New", false, true),
    ("In Progress", false, false),
    ("Waiting Customer", false, false),
    ("Scheduled", false, false),
    (">Closed", true, false),
];

const TYPE_NAMES: &[&str] = &["Incident", "Service Request", "Problem"];
const SUBTYPE_NAMES: &[&str] = &["Hardware", "Software", "Network", "Account"];
const ITEM_NAMES: &[&str] = &["Printer", "Laptop", "Email", "VPN"];

const PRIORITIES: &[(i64, &str, &str, &str)] = &[
    (1, "Priority 1 - Emergency Response", "Red", "Critical"),
    (2, "Priority 2 - Quick Response", "Orange", "High"),
    (3, "Priority 3 - Normal Response", "Green", "Medium"),
    (4, "Priority 4 - Schedule Maintenance", "Blue", "Low"),
];

// summary, company, contact, board, status index, priority, owner, closed
const TICKETS: &[(&str, i64, i64, i64, usize, i64, i64)] = &[
    ("Printer offline on 3rd floor", 10, 201, 1, 0, 3, 101),
    ("Outlook keeps asking for password", 10, 202, 1, 1, 2, 102),
    ("New starter laptop for M. O'Brien", 10, 203, 3, 0, 3, 103),
    ("VPN drops every 10 minutes", 11, 204, 2, 1, 2, 104),
    (
        "Shared drive permissions for finance",
        11,
        205,
        1,
        2,
        3,
        101,
    ),
    ("TPS report template broken", 12, 206, 1, 0, 4, 102),
    ("Stapler requisition (red)", 12, 207, 1, 3, 4, 0),
    ("Firewall firmware upgrade", 13, 208, 2, 3, 3, 104),
    ("EHR workstation slow", 13, 209, 1, 1, 1, 101),
    ("Wi-Fi dead zone in warehouse B", 14, 210, 2, 0, 2, 104),
    ("Onboard 3 drivers", 14, 210, 3, 1, 3, 103),
    ("X-ray PC will not boot", 15, 211, 1, 4, 1, 101),
    ("Monthly patching window", 19, 212, 2, 3, 4, 105),
    ("Printer toner low", 10, 201, 1, 4, 4, 102),
    ("Email bounce from partner domain", 11, 204, 1, 0, 2, 0),
    ("Replace UPS battery", 12, 206, 2, 1, 3, 104),
    ("Password reset for Milton", 12, 207, 1, 4, 3, 102),
    ("Backup job failed overnight", 13, 208, 2, 0, 1, 105),
    ("Scanner to email not working", 14, 210, 1, 2, 3, 101),
    ("Printer offline again", 10, 202, 1, 0, 3, 0),
    ("Set up MFA for executives", 11, 205, 3, 1, 2, 103),
    ("Desk phone static", 15, 211, 1, 0, 4, 0),
    ("Quarterly access review", 19, 212, 3, 3, 4, 105),
    ("Server room temperature alarm", 13, 209, 2, 4, 1, 104),
    ("Migrate mailbox to shared", 10, 203, 1, 1, 3, 102),
];

const NOTE_TEXTS: &[(&str, &str)] = &[
    ("detail", "Reported by phone; user cannot work."),
    (
        "internal",
        "Checked the event log; spooler crashed at 08:14.",
    ),
    ("internal", "Escalating to network team."),
    (
        "detail",
        "We're working on it and will update you within the hour.",
    ),
    ("resolution", "Restarted the service and cleared the queue."),
];

/// The seed: deterministic and realistic.
#[allow(clippy::too_many_lines)]
pub(crate) fn seed(generated_tickets: usize) -> State {
    let mut s = Seeder {
        st: State {
            next_id: 100_000,
            ..State::default()
        },
    };
    let by = "jdoe";

    for (id, ident, first, last, class) in MEMBERS {
        s.put(
            Coll::Members,
            *id,
            json!({
                "id": id, "identifier": ident, "firstName": first, "lastName": last,
                "title": if *class == "A" { "API Member" } else { "Service Technician" },
                "licenseClass": class, "inactiveFlag": false,
                "primaryEmail": format!("{ident}@northwind.example"),
                "officeEmail": format!("{ident}@northwind.example"),
                "officePhone": "5552010900", "defaultEmail": "Office",
                "timeZone": {"id": 1, "name": "GMT-5/Eastern Time: US & Canada"},
                "hireDate": "2020-01-06T00:00:00Z",
                "_info": info(at(1, 8), at(1, 8), "admin"),
            }),
        );
    }

    for (id, ident, name, phone, web) in COMPANIES {
        let deleted = *id == 15;
        s.put(
            Coll::Companies,
            *id,
            json!({
                "id": id, "identifier": ident, "name": name,
                "status": if deleted { json!({"id": 2, "name": "Inactive"}) } else { json!({"id": 1, "name": "Active"}) },
                "types": [{"id": 1, "name": "Client"}],
                "addressLine1": format!("{} Main Street", id * 10), "city": "Tampa", "state": "FL", "zip": "33602",
                "country": {"id": 1, "name": "United States"},
                "phoneNumber": phone, "website": web,
                "territory": {"id": 1, "name": "Main"},
                "timeZoneSetup": {"id": 1, "name": "GMT-5/Eastern Time: US & Canada"},
                "leadFlag": false, "deletedFlag": false,
                "_info": info(at(1, 9), at(2, 9), "admin"),
                "customFields": [{"id": 21, "caption": "Account Manager", "type": "Text",
                    "entryMethod": "EntryField", "numberOfDecimals": 0, "value": "Jane Doe"}],
            }),
        );
    }

    let mut comm_id = 500;
    for (id, company, first, last, email, phone, mobile) in CONTACTS {
        let mut items = vec![];
        comm_id += 1;
        items.push(
            json!({"id": comm_id, "type": {"id": 1, "name": "Email"}, "value": email,
            "defaultFlag": true, "domain": email.split_once('@').map(|(_, d)| format!("@{d}")),
            "communicationType": "Email"}),
        );
        comm_id += 1;
        items.push(
            json!({"id": comm_id, "type": {"id": 2, "name": "Direct"}, "value": phone,
            "defaultFlag": true, "communicationType": "Phone"}),
        );
        if !mobile.is_empty() {
            comm_id += 1;
            items.push(
                json!({"id": comm_id, "type": {"id": 4, "name": "Mobile"}, "value": mobile,
                "defaultFlag": false, "communicationType": "Phone"}),
            );
        }
        let company_ref = s.reference(Coll::Companies, *company);
        s.put(
            Coll::Contacts,
            *id,
            json!({
                "id": id, "firstName": first, "lastName": last, "company": company_ref,
                "site": {"id": company * 10, "name": "Main"},
                "title": "Staff", "inactiveFlag": false,
                "defaultPhoneType": "Direct", "defaultPhoneNbr": phone,
                "defaultBillingFlag": false, "defaultFlag": *id == 201,
                "disablePortalLoginFlag": false, "unsubscribeFlag": false,
                "communicationItems": items, "types": [],
                "_info": info(at(1, 10), at(2, 10), "admin"),
            }),
        );
    }

    let mut status_id = 0;
    let mut type_id = 0;
    let mut subtype_id = 0;
    let mut item_id = 0;
    for (id, name, project) in BOARDS {
        s.put(
            Coll::Boards,
            *id,
            json!({
                "id": id, "name": name, "location": {"id": 1, "name": "Tampa Office"},
                "department": {"id": 1, "name": "Services"}, "inactiveFlag": false,
                "projectFlag": project, "billTime": "Billable",
                "workType": {"id": 1, "name": "Remote Support"},
                "_info": info(at(1, 8), at(1, 8), "admin"),
            }),
        );
        let board_ref = s.reference(Coll::Boards, *id);
        for (n, (sname, closed, default)) in STATUS_NAMES.iter().enumerate() {
            status_id += 1;
            s.put(
                Coll::Statuses,
                status_id,
                json!({"id": status_id, "name": sname, "board": board_ref, "sortOrder": n,
                    "displayOnBoard": true, "inactive": false, "closedStatus": closed,
                    "timeEntryNotAllowed": closed, "defaultFlag": default,
                    "escalationStatus": if *closed { "Resolved" } else if n == 0 { "NotResponded" } else { "Responded" },
                    "customerPortalFlag": true,
                    "_info": info(at(1, 8), at(1, 8), "admin")}),
            );
        }
        for (n, tname) in TYPE_NAMES.iter().enumerate() {
            type_id += 1;
            s.put(
                Coll::Types,
                type_id,
                json!({"id": type_id, "name": tname, "category": if n == 2 { "Proactive" } else { "Reactive" },
                    "defaultFlag": n == 0, "inactiveFlag": false, "requestForChangeFlag": false,
                    "board": board_ref, "_info": info(at(1, 8), at(1, 8), "admin")}),
            );
        }
        let first_type = type_id - 2;
        for sname in SUBTYPE_NAMES {
            subtype_id += 1;
            s.put(
                Coll::Subtypes,
                subtype_id,
                json!({"id": subtype_id, "name": sname, "inactiveFlag": false,
                    "typeAssociationIds": [first_type, first_type + 1],
                    "board": board_ref, "_info": info(at(1, 8), at(1, 8), "admin")}),
            );
        }
        for iname in ITEM_NAMES {
            item_id += 1;
            s.put(
                Coll::Items,
                item_id,
                json!({"id": item_id, "name": iname, "inactiveFlag": false, "board": board_ref,
                    "_info": info(at(1, 8), at(1, 8), "admin")}),
            );
        }
    }

    for (id, name, color, level) in PRIORITIES {
        s.put(
            Coll::Priorities,
            *id,
            json!({"id": id, "name": name, "color": color, "sortOrder": id, "defaultFlag": *id == 3,
                "level": level, "_info": info(at(1, 8), at(1, 8), "admin")}),
        );
    }

    for (id, name, bill, rate) in [
        (1, "Remote Support", "Billable", 1.0),
        (2, "Onsite", "Billable", 1.5),
        (3, "After Hours", "Billable", 2.0),
        (4, "Internal", "DoNotBill", 0.0),
    ] {
        s.put(
            Coll::WorkTypes,
            id,
            json!({"id": id, "name": name, "billTime": bill, "rateType": "Multiplier", "rate": rate,
                "inactiveFlag": false, "overallDefaultFlag": id == 1, "utilizationFlag": true,
                "_info": info(at(1, 8), at(1, 8), "admin")}),
        );
    }

    for (id, name, basis, respond, plan, resolve) in [
        (1, "Standard SLA", "MyCalendar", 2.0, 8.0, 24.0),
        (2, "Premium 24x7", "AllHours", 0.5, 2.0, 8.0),
    ] {
        s.put(
            Coll::Slas,
            id,
            json!({"id": id, "name": name, "basedOn": basis, "defaultFlag": id == 1,
                "applicationOrder": id, "respondHours": respond, "planWithin": plan,
                "resolutionHours": resolve, "_info": info(at(1, 8), at(1, 8), "admin")}),
        );
    }

    for (id, company, name, status) in [
        (301, 10, "ACME Managed Services", "Active"),
        (302, 11, "Globex Block Hours", "Active"),
        (303, 12, "Initech Break/Fix", "Expired"),
        (304, 13, "Umbrella Premium Support", "Active"),
        (305, 15, "Wayne Dental Managed", "Cancelled"),
    ] {
        let company_ref = s.reference(Coll::Companies, company);
        s.put(
            Coll::Agreements,
            id,
            json!({"id": id, "name": name,
                "type": {"id": 1, "name": if id == 302 { "Block Hours" } else { "Managed Services" }},
                "company": company_ref, "startDate": "2025-01-01T00:00:00Z",
                "endDate": "2026-12-31T00:00:00Z", "noEndingDateFlag": false,
                "cancelledFlag": status == "Cancelled", "sla": {"id": if id == 304 { 2 } else { 1 }},
                "billAmount": 1500.0, "agreementStatus": status,
                "_info": info(at(1, 8), at(1, 8), "admin"),
                "customFields": []}),
        );
    }

    for (id, ident, desc, price, cost, inactive) in [
        (
            401,
            "HW-LAPTOP-14",
            "14\" Business Laptop",
            1299.0,
            949.0,
            false,
        ),
        (
            402,
            "HW-DOCK-USBC",
            "USB-C Docking Station",
            229.0,
            149.0,
            false,
        ),
        (
            403,
            "HW-TONER-HP58",
            "HP 58A Toner Cartridge",
            119.0,
            72.0,
            false,
        ),
        (
            404,
            "SW-M365-BP",
            "Microsoft 365 Business Premium",
            22.0,
            18.5,
            false,
        ),
        (
            405,
            "SVC-ONSITE-HR",
            "Onsite Labour (per hour)",
            150.0,
            60.0,
            false,
        ),
        (
            406,
            "HW-UPS-1500",
            "1500VA UPS (discontinued)",
            499.0,
            320.0,
            true,
        ),
    ] {
        s.put(
            Coll::Catalog,
            id,
            json!({"id": id, "identifier": ident, "description": desc,
                "customerDescription": format!("{desc} — supplied and configured"),
                "inactiveFlag": inactive, "subcategory": {"id": 1, "name": "General"},
                "category": {"id": 1, "name": "Hardware"}, "type": {"id": 1, "name": "Product"},
                "productClass": if ident.starts_with("SVC") { "Service" } else { "NonInventory" },
                "price": price, "cost": cost, "taxableFlag": true, "billableOption": "Billable",
                "_info": info(at(1, 8), at(1, 8), "admin")}),
        );
    }

    for (id, title, issue, resolution) in [
        (
            601,
            "Printer shows offline",
            "Network printer shows as offline for all users.",
            "Restart the print spooler on the print server, then power-cycle the printer.",
        ),
        (
            602,
            "Outlook password prompts",
            "Outlook keeps prompting for credentials after a password change.",
            "Remove cached credentials in Credential Manager and sign in again.",
        ),
        (
            603,
            "VPN disconnects",
            "VPN drops at regular intervals.",
            "Raise the IKE lifetime on the firewall to 28800 seconds.",
        ),
        (
            604,
            "Reset MFA",
            "User lost their phone and cannot complete MFA.",
            "Verify identity by phone, then require re-registration of MFA methods.",
        ),
    ] {
        s.put(
            Coll::Kb,
            id,
            json!({"id": id, "title": title, "issue": issue, "resolution": resolution,
                "locationId": 1, "businessUnitId": 1, "board": {"id": 1, "name": "Service Desk"},
                "categoryId": 1, "dateCreated": "2025-11-03T15:00:00Z", "createdBy": "jdoe",
                "_info": info(at(1, 8), at(2, 8), "jdoe")}),
        );
    }

    for (id, company, name, closed, manager) in [
        (701, 10, "ACME Office 365 Migration", false, 103),
        (702, 13, "Umbrella Network Refresh", false, 104),
        (703, 11, "Globex Server Consolidation", true, 103),
    ] {
        let company_ref = s.reference(Coll::Companies, company);
        let manager_ref = s.reference(Coll::Members, manager);
        s.put(
            Coll::Projects,
            id,
            json!({"id": id, "name": name, "board": {"id": 4, "name": "Projects"},
                "company": company_ref, "manager": manager_ref,
                "status": if closed { json!({"id": 3, "name": "Closed"}) } else { json!({"id": 1, "name": "Open"}) },
                "type": {"id": 1, "name": "Implementation"}, "billingMethod": "FixedFee",
                "estimatedStart": "2026-01-05T00:00:00Z", "estimatedEnd": "2026-06-30T00:00:00Z",
                "percentComplete": if closed { 100.0 } else { 35.0 }, "closedFlag": closed,
                "_info": info(at(1, 8), at(2, 8), "admin"), "customFields": []}),
        );
    }

    for (id, company, name, type_name, serial) in [
        (801, 10, "ACME-PRN-03", "Printer", "CNB3K1234"),
        (802, 10, "ACME-LT-0042", "Laptop", "5CG1234XYZ"),
        (803, 11, "GLX-FW-01", "Firewall", "FGT60F0000001"),
        (804, 12, "INI-SRV-FS1", "Server", "MXQ1234567"),
        (805, 13, "UMB-WS-EHR7", "Workstation", "8CC0000777"),
        (806, 14, "STK-AP-WHB", "Access Point", "AP-WHB-0001"),
        (807, 15, "WDN-XRAY-PC", "Workstation", "8CC0000999"),
        (808, 13, "UMB-UPS-01", "UPS", "UPS1500-0001"),
    ] {
        let company_ref = s.reference(Coll::Companies, company);
        s.put(
            Coll::Configurations,
            id,
            json!({"id": id, "name": name,
                "type": {"id": id - 800, "name": type_name}, "status": {"id": 1, "name": "Active"},
                "company": company_ref, "serialNumber": serial, "activeFlag": id != 808,
                "osType": if type_name == "Workstation" || type_name == "Laptop" { "Windows 11 Pro" } else { "" },
                "_info": info(at(1, 8), at(2, 8), "admin"),
                "customFields": configuration_custom_fields()}),
        );
    }

    // tickets, their notes, time, schedule and audit
    for (n, (summary, company, contact, board, status_idx, priority, owner)) in
        TICKETS.iter().enumerate()
    {
        let id = 1000 + i64::try_from(n).unwrap_or(0) + 1;
        let day = 2 + u32::try_from(n % 20).unwrap_or(0);
        add_ticket(
            &mut s,
            id,
            summary,
            *company,
            *contact,
            *board,
            *status_idx,
            *priority,
            *owner,
            at(day, 9),
            by,
        );
        // notes
        let notes = 1 + n % 3;
        for k in 0..notes {
            let (kind, text) = NOTE_TEXTS[(n + k) % NOTE_TEXTS.len()];
            let note_id = 5000 + i64::try_from(n * 10 + k).unwrap_or(0);
            let member = s.reference(Coll::Members, MEMBERS[(n + k) % 5].0);
            let when = at(day, 10 + u32::try_from(k).unwrap_or(0));
            s.put(
                Coll::Notes,
                note_id,
                json!({"id": note_id, "ticketId": id, "text": text,
                    "detailDescriptionFlag": kind == "detail", "internalAnalysisFlag": kind == "internal",
                    "resolutionFlag": kind == "resolution", "issueFlag": false, "member": member,
                    "customerUpdatedFlag": false, "dateCreated": ts(when), "createdBy": MEMBERS[(n + k) % 5].1,
                    "internalFlag": kind == "internal", "externalFlag": kind != "internal",
                    "_info": {"lastUpdated": ts(when), "updatedBy": MEMBERS[(n + k) % 5].1}}),
            );
        }
        // time on most tickets
        if n % 4 != 3 {
            let te_id = 7000 + i64::try_from(n).unwrap_or(0);
            let member_id = MEMBERS[n % 5].0;
            let start = at(day, 11);
            let minutes = 15 * (1 + i64::try_from(n % 4).unwrap_or(0));
            let end = start + TimeDelta::minutes(minutes);
            let company_ref = s.reference(Coll::Companies, *company);
            let member_ref = s.reference(Coll::Members, member_id);
            let ticket_ref = s.reference(Coll::Tickets, id);
            #[allow(clippy::cast_precision_loss)]
            let hours = minutes as f64 / 60.0;
            s.put(
                Coll::Time,
                te_id,
                json!({"id": te_id, "company": company_ref, "chargeToId": id,
                    "chargeToType": "ServiceTicket", "member": member_ref,
                    "workType": {"id": 1, "name": "Remote Support"},
                    "timeStart": ts(start), "timeEnd": ts(end), "hoursDeduct": 0.0,
                    "actualHours": hours, "billableOption": if n % 5 == 0 { "DoNotBill" } else { "Billable" },
                    "notes": "Worked on the issue remotely.", "addToDetailDescriptionFlag": false,
                    "addToInternalAnalysisFlag": false, "addToResolutionFlag": false,
                    "hoursBilled": hours, "enteredBy": MEMBERS[n % 5].1, "dateEntered": ts(end),
                    "status": "Open", "ticket": ticket_ref,
                    "_info": info(end, end, MEMBERS[n % 5].1), "customFields": []}),
            );
        }
    }

    // schedule entries for scheduled tickets
    let scheduled: Vec<(i64, i64)> =
        s.st.coll(Coll::Tickets)
            .values()
            .filter(|t| t["status"]["name"] == ">Closed" || t["status"]["name"] == "Scheduled")
            .filter_map(|t| Some((t["id"].as_i64()?, t["owner"]["id"].as_i64().unwrap_or(101))))
            .take(5)
            .collect();
    for (k, (ticket, member)) in scheduled.into_iter().enumerate() {
        let id = 9000 + i64::try_from(k).unwrap_or(0);
        let start = at(20 + u32::try_from(k).unwrap_or(0), 14);
        let member_ref = s.reference(Coll::Members, member);
        let summary =
            s.st.get(Coll::Tickets, ticket)
                .map(|t| t["summary"].clone())
                .unwrap_or_default();
        s.put(
            Coll::Schedule,
            id,
            json!({"id": id, "objectId": ticket, "name": summary, "member": member_ref,
                "where": {"id": 1, "name": "On-Site"}, "dateStart": ts(start),
                "dateEnd": ts(start + TimeDelta::hours(1)),
                "status": {"id": 2, "name": "Firm"}, "type": {"id": 4, "identifier": "S", "name": "Service"},
                "span": {"id": 1, "identifier": "N", "name": "None"},
                "doneFlag": false, "acknowledgedFlag": false, "ownerFlag": false,
                "meetingFlag": false, "allowScheduleConflictsFlag": true, "hours": 1.0,
                "_info": info(at(2, 8), at(2, 8), "jdoe")}),
        );
    }

    // an existing product on one ticket
    let ticket_ref = s.reference(Coll::Tickets, 1014);
    let catalog_ref = s.reference(Coll::Catalog, 403);
    let acme = s.reference(Coll::Companies, 10);
    s.put(
        Coll::Products,
        4501,
        json!({"id": 4501, "catalogItem": catalog_ref, "description": "HP 58A Toner Cartridge",
            "quantity": 2.0, "price": 119.0, "cost": 72.0, "extPrice": 238.0,
            "billableOption": "Billable", "ticket": ticket_ref, "company": acme, "cancelledFlag": false,
            "_info": info(at(15, 9), at(15, 9), "spatel"), "customFields": []}),
    );

    // generated volume, for paging benchmarks
    for k in 0..generated_tickets {
        let id = 20_000 + i64::try_from(k).unwrap_or(0);
        let (company, contact) = [(10, 201), (11, 204), (12, 206), (13, 208), (14, 210)][k % 5];
        add_ticket(
            &mut s,
            id,
            &format!("Generated ticket #{k}"),
            company,
            contact,
            1 + i64::try_from(k % 3).unwrap_or(0),
            k % 4,
            1 + i64::try_from(k % 4).unwrap_or(0),
            MEMBERS[k % 5].0,
            at(1 + u32::try_from(k % 27).unwrap_or(0), 7),
            "psa.agent",
        );
    }

    if let Value::Array(defs) = user_defined_fields() {
        for d in defs {
            let id = d["id"].as_i64().unwrap_or_default();
            s.put(Coll::UserDefinedFields, id, d);
        }
    }

    s.st
}

#[allow(clippy::too_many_arguments)]
fn add_ticket(
    s: &mut Seeder,
    id: i64,
    summary: &str,
    company: i64,
    contact: i64,
    board: i64,
    status_idx: usize,
    priority: i64,
    owner: i64,
    entered: DateTime<Utc>,
    by: &str,
) {
    let status_id = (board - 1) * i64::try_from(STATUS_NAMES.len()).unwrap_or(5)
        + i64::try_from(status_idx).unwrap_or(0)
        + 1;
    let closed = STATUS_NAMES.get(status_idx).is_some_and(|s| s.1);
    let type_id = (board - 1) * 3 + 1 + (id % 2);
    let mut t = json!({
        "id": id, "summary": summary, "recordType": "ServiceTicket",
        "board": s.reference(Coll::Boards, board),
        "status": s.reference(Coll::Statuses, status_id),
        "company": s.reference(Coll::Companies, company),
        "site": {"id": company * 10, "name": "Main"},
        "contact": s.reference(Coll::Contacts, contact),
        "contactName": s.reference(Coll::Contacts, contact)["name"].clone(),
        "type": s.reference(Coll::Types, type_id),
        "priority": s.reference(Coll::Priorities, priority),
        "source": {"id": 2, "name": "Phone"},
        "severity": "Medium", "impact": "Medium",
        "requiredDate": ts(entered + TimeDelta::days(3)),
        "customerUpdatedFlag": false, "automaticEmailContactFlag": false,
        "automaticEmailResourceFlag": false, "automaticEmailCcFlag": false,
        "closedFlag": closed, "actualHours": 0.0, "approved": true,
        "isInSla": true, "hasChildTicket": false, "hasMergedChildTicketFlag": false,
        "billTime": "NoDefault", "billExpenses": "Billable", "billProducts": "Billable",
        "sla": {"id": 1, "name": "Standard SLA"},
        "respondByGoalUTC": ts(entered + TimeDelta::hours(2)),
        "resolutionGoalUTC": ts(entered + TimeDelta::hours(24)),
        "respondMinutes": 0, "resPlanMinutes": 0, "resolveMinutes": 0,
        "_info": info(entered, entered + TimeDelta::hours(2), by),
        "customFields": ticket_custom_fields(),
    });
    if owner > 0 {
        t["owner"] = s.reference(Coll::Members, owner);
        t["resources"] =
            s.st.get(Coll::Members, owner)
                .map(|m| m["identifier"].clone())
                .unwrap_or_default();
    }
    if status_idx > 0 {
        t["dateResponded"] = json!(ts(entered + TimeDelta::hours(1)));
        t["respondMinutes"] = json!(60);
    }
    if closed {
        t["dateResolved"] = json!(ts(entered + TimeDelta::hours(5)));
        t["resolveMinutes"] = json!(300);
        t["closedDate"] = json!(ts(entered + TimeDelta::hours(5)));
        t["closedBy"] = json!(by);
        t["customFields"][0]["value"] = json!("Hardware fault");
    }
    s.put(Coll::Tickets, id, t);
    s.st.audit(id, "Ticket", "Ticket created", by, entered);
    if status_idx > 0 {
        let name = STATUS_NAMES.get(status_idx).map_or("", |s| s.0);
        s.st.audit(
            id,
            "Status",
            &format!("Status changed from \"New\" to \"{name}\""),
            by,
            entered + TimeDelta::hours(1),
        );
    }
}
