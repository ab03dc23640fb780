//! The simulator's seed data: a small MSP's Autotask database, deterministic.

use serde_json::{Value, json};

use super::store::Store;

/// The API user's resource id (an API-only security level: it cannot be impersonated).
pub(crate) const API_USER_RESOURCE: i64 = 29_682_885;
/// The default queue (Level I Support).
pub(crate) const QUEUE_TRIAGE: i64 = 29_682_833;
/// Where generated tickets start.
pub(crate) const GENERATED_TICKET_BASE: i64 = 500_000;

fn pl(value: i64, label: &str, default: bool, sort: i64) -> Value {
    json!({"value": value.to_string(), "label": label, "isDefaultValue": default,
           "sortOrder": sort, "parentValue": "", "isActive": true, "isSystem": false})
}

fn pl_child(value: i64, label: &str, parent: i64, sort: i64) -> Value {
    json!({"value": value.to_string(), "label": label, "isDefaultValue": false,
           "sortOrder": sort, "parentValue": parent.to_string(), "isActive": true, "isSystem": false})
}

fn field(name: &str, data_type: &str, required: bool, picklist: Option<Vec<Value>>) -> Value {
    let is_pick_list = picklist.is_some();
    let picklist = picklist.map_or(Value::Null, Value::Array);
    json!({
        "name": name, "dataType": data_type, "length": 0, "isRequired": required,
        "isReadOnly": false, "isQueryable": true, "isReference": false,
        "referenceEntityType": "", "isPickList": is_pick_list,
        "picklistValues": picklist, "picklistParentValueField": "",
        "isSupportedWebhookField": false
    })
}

fn reference(name: &str, entity: &str, required: bool) -> Value {
    let mut f = field(name, "integer", required, None);
    f["isReference"] = json!(true);
    f["referenceEntityType"] = json!(entity);
    f
}

/// One `entityInformation/userDefinedFields` entry (the swagger's `Field`:
/// `type`, not `dataType`).
fn udf(name: &str, ty: &str, length: i64, required: bool, picklist: Option<Vec<Value>>) -> Value {
    json!({
        "name": name, "label": name, "type": ty, "length": length, "isRequired": required,
        "isReadOnly": false, "isQueryable": true, "isReference": false, "referenceEntityType": "",
        "isPickList": picklist.is_some(), "picklistValues": picklist.map_or(Value::Null, Value::Array),
        "picklistParentValueField": "", "defaultValue": "", "description": "",
        "isSupportedWebhookField": false
    })
}

/// `entityInformation/userDefinedFields` answers: the seeded records' UDFs.
pub(crate) fn udf_info(entity: &str) -> Vec<Value> {
    match entity {
        "Tickets" => vec![
            udf("Customer Ref", "string", 100, false, None),
            udf("Escalated", "string", 3, false, None),
            udf(
                "Site",
                "string",
                0,
                false,
                Some(vec![
                    pl(1, "Head office", true, 1),
                    pl(2, "Branch", false, 2),
                ]),
            ),
            udf("Root Cause", "string", 8000, false, None),
        ],
        "Companies" => vec![udf("Contract Tier", "string", 20, false, None)],
        "Contacts" => vec![udf("Preferred Channel", "string", 50, false, None)],
        "ConfigurationItems" => vec![udf("Warranty", "date", 0, false, None)],
        _ => Vec::new(),
    }
}

/// `entityInformation/fields` answers, per entity.
#[allow(clippy::too_many_lines)] // seed data, one table per entity
pub(crate) fn field_info(entity: &str) -> Vec<Value> {
    match entity {
        "Tickets" => {
            let mut sub = field(
                "subIssueType",
                "integer",
                false,
                Some(vec![
                    pl_child(1, "Printer", 1, 1),
                    pl_child(2, "Laptop / Desktop", 1, 2),
                    pl_child(3, "Office 365", 2, 1),
                    pl_child(4, "Line of business app", 2, 2),
                    pl_child(5, "Wi-Fi", 3, 1),
                    pl_child(6, "VPN", 3, 2),
                ]),
            );
            sub["picklistParentValueField"] = json!("issueType");
            vec![
                field("id", "long", true, None),
                field("title", "string", true, None),
                field("description", "string", false, None),
                reference("companyID", "Company", true),
                reference("contactID", "Contact", false),
                reference("assignedResourceID", "Resource", false),
                reference("assignedResourceRoleID", "Role", false),
                field(
                    "status",
                    "integer",
                    true,
                    Some(vec![
                        pl(1, "New", true, 1),
                        pl(8, "In Progress", false, 2),
                        pl(7, "Waiting Customer", false, 3),
                        pl(12, "Waiting Vendor", false, 4),
                        pl(5, "Complete", false, 5),
                    ]),
                ),
                field(
                    "priority",
                    "integer",
                    true,
                    Some(vec![
                        pl(4, "Critical", false, 1),
                        pl(1, "High", false, 2),
                        pl(2, "Medium", true, 3),
                        pl(3, "Low", false, 4),
                    ]),
                ),
                field(
                    "queueID",
                    "integer",
                    false,
                    Some(vec![
                        pl(QUEUE_TRIAGE, "Level I Support", true, 1),
                        pl(29_682_834, "Level II Support", false, 2),
                        pl(29_683_354, "Monitoring Alert", false, 3),
                    ]),
                ),
                field(
                    "ticketType",
                    "integer",
                    false,
                    Some(vec![
                        pl(1, "Service Request", true, 1),
                        pl(2, "Incident", false, 2),
                        pl(3, "Problem", false, 3),
                        pl(4, "Change Request", false, 4),
                        pl(5, "Alert", false, 5),
                    ]),
                ),
                field(
                    "issueType",
                    "integer",
                    false,
                    Some(vec![
                        pl(1, "Hardware", false, 1),
                        pl(2, "Software", false, 2),
                        pl(3, "Network", false, 3),
                    ]),
                ),
                sub,
                field(
                    "source",
                    "integer",
                    false,
                    Some(vec![
                        pl(2, "Phone", false, 1),
                        pl(4, "Email", true, 2),
                        pl(-1, "Client Portal", false, 3),
                        pl(8, "Monitoring Alert", false, 4),
                    ]),
                ),
                field(
                    "serviceLevelAgreementID",
                    "integer",
                    false,
                    Some(vec![
                        pl(1, "Standard SLA", false, 1),
                        pl(2, "Premium 4-hour SLA", false, 2),
                    ]),
                ),
                field("dueDateTime", "datetime", false, None),
                field("createDate", "datetime", false, None),
            ]
        }
        "TicketNotes" => vec![
            field("description", "string", true, None),
            field(
                "noteType",
                "integer",
                true,
                Some(vec![
                    pl(1, "Task Summary", false, 1),
                    pl(2, "Task Notes", false, 2),
                    pl(3, "Ticket Summary", false, 3),
                    pl(13, "Ticket Notes", true, 4),
                ]),
            ),
            field(
                "publish",
                "integer",
                true,
                Some(vec![
                    pl(1, "All Autotask Users", true, 1),
                    pl(2, "Internal Only", false, 2),
                    pl(3, "Internal & Co-managed", false, 3),
                ]),
            ),
            reference("ticketID", "Ticket", true),
            field("title", "string", false, None),
        ],
        "TicketAttachments" => vec![
            field("title", "string", true, None),
            field(
                "publish",
                "integer",
                true,
                Some(vec![
                    pl(1, "All Autotask Users", true, 1),
                    pl(2, "Internal Only", false, 2),
                    pl(3, "Internal & Co-managed", false, 3),
                ]),
            ),
            reference("parentID", "Ticket", true),
        ],
        "ConfigurationItems" => vec![field(
            "configurationItemType",
            "integer",
            false,
            Some(vec![
                pl(1, "Workstation", false, 1),
                pl(2, "Server", false, 2),
                pl(3, "Network Device", false, 3),
                pl(4, "Printer", false, 4),
            ]),
        )],
        "Contracts" => vec![
            field(
                "status",
                "integer",
                true,
                Some(vec![pl(0, "Inactive", false, 2), pl(1, "Active", true, 1)]),
            ),
            field(
                "contractType",
                "integer",
                true,
                Some(vec![
                    pl(1, "Time and Materials", false, 1),
                    pl(3, "Fixed Price", false, 2),
                    pl(4, "Block Hours", false, 3),
                    pl(7, "Recurring Service", true, 4),
                ]),
            ),
        ],
        "Projects" => vec![field(
            "status",
            "integer",
            true,
            Some(vec![
                pl(1, "New", true, 1),
                pl(2, "In Progress", false, 2),
                pl(5, "Complete", false, 3),
            ]),
        )],
        "ServiceCalls" => vec![field(
            "status",
            "integer",
            true,
            Some(vec![
                pl(1, "New", true, 1),
                pl(2, "Scheduled", false, 2),
                pl(3, "Complete", false, 3),
            ]),
        )],
        "TicketCharges" => vec![
            field(
                "chargeType",
                "integer",
                true,
                Some(vec![
                    pl(1, "Operational", true, 1),
                    pl(2, "Capitalized", false, 2),
                ]),
            ),
            field(
                "status",
                "integer",
                true,
                Some(vec![
                    pl(1, "Pending Approval", false, 1),
                    pl(2, "Approved", true, 2),
                    pl(3, "Delivered", false, 3),
                ]),
            ),
        ],
        "TicketWebhookFields" => vec![field(
            "fieldID",
            "integer",
            true,
            Some(
                [
                    (1, "ticketNumber"),
                    (2, "title"),
                    (3, "status"),
                    (4, "priority"),
                    (5, "queueID"),
                    (6, "assignedResourceID"),
                    (7, "companyID"),
                    (8, "dueDateTime"),
                ]
                .into_iter()
                .enumerate()
                .map(|(i, (v, l))| pl(v, l, false, i64::try_from(i).unwrap_or_default()))
                .collect(),
            ),
        )],
        _ => Vec::new(),
    }
}

fn company(id: i64, name: &str, number: &str, phone: &str, web: &str, active: bool) -> Value {
    json!({"id": id, "companyName": name, "companyNumber": number, "companyType": 1,
           "phone": phone, "webAddress": web, "isActive": active, "address1": "1 Harbour St",
           "city": "Sydney", "state": "NSW", "postalCode": "2000", "countryID": 14,
           "ownerResourceID": 29_682_886, "createDate": "2021-05-04T08:00:00",
           "lastActivityDate": "2026-10-30T04:12:44.12",
           "userDefinedFields": [{"name": "Contract Tier", "value": if active { "Gold" } else { "None" }}]})
}

#[allow(clippy::too_many_arguments)]
fn contact(
    id: i64,
    company: i64,
    first: &str,
    last: &str,
    email: &str,
    phone: &str,
    mobile: &str,
) -> Value {
    json!({"id": id, "companyID": company, "firstName": first, "lastName": last,
           "emailAddress": email, "phone": phone, "mobilePhone": mobile, "isActive": 1,
           "title": "Office Manager", "createDate": "2022-02-11T00:00:00",
           "lastActivityDate": "2026-09-01T00:00:00", "userDefinedFields": []})
}

fn resource(id: i64, first: &str, last: &str, user: &str, role: i64, api_only: bool) -> Value {
    json!({"id": id, "firstName": first, "lastName": last, "userName": user,
           "email": format!("{user}@northwind-msp.example"), "isActive": true,
           "resourceType": "Employee", "licenseType": if api_only { 7 } else { 1 },
           "defaultServiceDeskRoleID": role, "title": if api_only { "API User" } else { "Technician" }})
}

/// Loads the seed records into `store`.
#[allow(clippy::too_many_lines)]
pub(crate) fn seed(store: &mut Store) {
    for c in [
        company(
            0,
            "Northwind MSP",
            "0",
            "+61 2 9000 0000",
            "https://northwind-msp.example",
            true,
        ),
        company(
            174,
            "Contoso Dental",
            "CD-001",
            "+61 2 9111 2000",
            "https://contoso-dental.example",
            true,
        ),
        company(
            175,
            "Fabrikam Legal",
            "FL-002",
            "+61 2 9222 3000",
            "https://fabrikam-legal.example",
            true,
        ),
        company(
            176,
            "Tailspin Toys",
            "TT-003",
            "+61 3 9333 4000",
            "https://tailspin.example",
            true,
        ),
        company(
            177,
            "Wide World Importers",
            "WW-004",
            "+61 7 3444 5000",
            "https://wwi.example",
            true,
        ),
        company(
            178,
            "Old Mill Bakery",
            "OM-005",
            "+61 8 8555 6000",
            "",
            false,
        ),
    ] {
        store.insert("Companies", c);
    }
    for c in [
        contact(
            30_683_001,
            174,
            "Grace",
            "Hopper",
            "grace.hopper@contoso-dental.example",
            "+61 2 9111 2001",
            "+61 400 111 001",
        ),
        contact(
            30_683_002,
            174,
            "Alan",
            "Turing",
            "alan.turing@contoso-dental.example",
            "+61 2 9111 2002",
            "",
        ),
        contact(
            30_683_003,
            175,
            "Ada",
            "Lovelace",
            "ada@fabrikam-legal.example",
            "(02) 9222 3001",
            "0400 222 003",
        ),
        contact(
            30_683_004,
            175,
            "Edsger",
            "Dijkstra",
            "edsger@fabrikam-legal.example",
            "+61 2 9222 3002",
            "",
        ),
        contact(
            30_683_005,
            176,
            "Barbara",
            "Liskov",
            "barbara@tailspin.example",
            "+61 3 9333 4001",
            "+61 400 333 005",
        ),
        contact(
            30_683_006,
            176,
            "Ken",
            "Thompson",
            "ken@tailspin.example",
            "+61 3 9333 4002",
            "",
        ),
        contact(
            30_683_007,
            177,
            "Margaret",
            "Hamilton",
            "margaret@wwi.example",
            "+61 7 3444 5001",
            "+61 400 444 007",
        ),
        contact(
            30_683_008,
            177,
            "Dennis",
            "Ritchie",
            "dennis@wwi.example",
            "+61 7 3444 5002",
            "",
        ),
        contact(
            30_683_009,
            177,
            "Radia",
            "Perlman",
            "radia@wwi.example",
            "+61 7 3444 5003",
            "",
        ),
        contact(
            30_683_010,
            178,
            "Linus",
            "Torvalds",
            "linus@oldmill.example",
            "+61 8 8555 6001",
            "",
        ),
    ] {
        store.insert("Contacts", c);
    }
    for r in [
        json!({"id": 29_683_460, "name": "Level I Technician", "description": "Service desk", "hourlyRate": 120.0, "hourlyFactor": 1.0, "isActive": true, "isSystemRole": false, "roleType": 1}),
        json!({"id": 29_683_461, "name": "Level II Technician", "description": "Escalations", "hourlyRate": 160.0, "hourlyFactor": 1.0, "isActive": true, "isSystemRole": false, "roleType": 1}),
        json!({"id": 29_683_462, "name": "Engineer", "description": "Projects", "hourlyRate": 190.0, "hourlyFactor": 1.0, "isActive": true, "isSystemRole": false, "roleType": 1}),
    ] {
        store.insert("Roles", r);
    }
    for r in [
        resource(
            API_USER_RESOURCE,
            "API",
            "User",
            "api-psa-sdk",
            29_683_460,
            true,
        ),
        resource(29_682_886, "Jordan", "Reyes", "jreyes", 29_683_460, false),
        resource(
            29_682_887,
            "Priya",
            "Natarajan",
            "pnatarajan",
            29_683_461,
            false,
        ),
        resource(29_682_888, "Sam", "Okafor", "sokafor", 29_683_462, false),
        resource(
            29_682_889,
            "Helpdesk",
            "Bot",
            "helpdesk-bot",
            29_683_460,
            false,
        ),
    ] {
        store.insert("Resources", r);
    }
    for (i, (res, role)) in [
        (29_682_886_i64, 29_683_460_i64),
        (29_682_887, 29_683_461),
        (29_682_888, 29_683_462),
        (29_682_889, 29_683_460),
        (API_USER_RESOURCE, 29_683_460),
    ]
    .into_iter()
    .enumerate()
    {
        let id = 100 + i64::try_from(i).unwrap_or_default();
        store.insert(
            "ResourceServiceDeskRoles",
            json!({"id": id, "resourceID": res, "roleID": role, "isActive": true, "isDefault": true}),
        );
    }
    for b in [
        json!({"id": 29_682_801, "name": "Remote Support", "billingCodeType": 1, "useType": 1, "isActive": true, "unitPrice": 0.0, "description": "Remote support labour"}),
        json!({"id": 29_682_802, "name": "Onsite Support", "billingCodeType": 1, "useType": 1, "isActive": true, "unitPrice": 0.0, "description": "Onsite labour"}),
        json!({"id": 29_682_803, "name": "Internal / Non-billable", "billingCodeType": 1, "useType": 1, "isActive": true, "unitPrice": 0.0, "description": "Non-billable labour"}),
        json!({"id": 29_682_810, "name": "Hardware", "billingCodeType": 2, "useType": 2, "isActive": true, "unitPrice": 0.0, "description": "Material code"}),
    ] {
        store.insert("BillingCodes", b);
    }
    for (id, name) in [(1_i64, "Standard"), (2, "Alerts (API only)")] {
        store.insert(
            "TicketCategories",
            json!({"id": id, "name": name, "nickname": name, "isActive": true, "isApiOnly": id == 2, "isGlobalDefault": id == 1, "displayColorRGB": 0}),
        );
    }

    let titles = [
        "Printer offline on 3rd floor",
        "Outlook keeps asking for password",
        "New starter: set up laptop for reception",
        "VPN drops every 20 minutes",
        "Backup job failed on FS01",
        "Replace toner in MFP",
        "Wi-Fi slow in the boardroom",
        "Disk space low on SQL01",
        "Teams calls dropping audio",
        "Reset MFA for departing employee",
        "Practice management app crashes on launch",
        "Request: second monitor for accounts",
        "Phishing email reported by staff",
        "Firewall firmware update",
        "Scanner to email not working",
        "Laptop battery swelling",
        "Shared mailbox permissions",
        "Website certificate expiring",
        "Ransomware alert from EDR",
        "Quarterly patching window",
        "Door access controller offline",
        "Password manager onboarding",
        "UPS self-test failed in comms room",
        "Slow logon on terminal server",
        "Offboard contractor accounts",
    ];
    let statuses = [1, 8, 7, 1, 5, 12, 8, 1, 5, 7, 1, 8, 5, 1, 8];
    let companies = [174, 175, 176, 177, 174, 175, 176, 177];
    let contacts = [
        30_683_001, 30_683_003, 30_683_005, 30_683_007, 30_683_002, 30_683_004, 30_683_006,
        30_683_008,
    ];
    let techs = [29_682_886, 29_682_887, 0, 29_682_888];
    for (i, title) in titles.iter().enumerate() {
        let n = i64::try_from(i).unwrap_or_default();
        let id = 1001 + n;
        let status = statuses[i % statuses.len()];
        let company = companies[i % companies.len()];
        let tech = techs[i % techs.len()];
        let day = 1 + n % 28;
        let priority = [2, 1, 3, 2, 4][i % 5];
        let issue = [1, 2, 3][i % 3];
        let sub_issue = [1, 3, 5][i % 3];
        let source = [2, 4, -1][i % 3];
        let mut t = json!({
            "id": id,
            "ticketNumber": format!("T202611{:02}.{:04}", day, 1 + n),
            "title": title,
            "description": format!("{title}. Reported by the customer; details in the notes."),
            "companyID": company,
            "contactID": contacts[i % contacts.len()],
            "status": status,
            "priority": priority,
            "queueID": if i % 3 == 0 { 29_682_834 } else { QUEUE_TRIAGE },
            "ticketType": if i == 18 { 5 } else if i == 4 { 3 } else { 1 },
            "issueType": issue,
            "subIssueType": sub_issue,
            "source": source,
            "ticketCategory": 1,
            "serviceLevelAgreementID": if i % 2 == 0 { 1 } else { 2 },
            "createDate": format!("2026-11-{day:02}T0{}:15:00.000", i % 9),
            "lastActivityDate": format!("2026-11-{:02}T10:30:00.000", (day + 1).min(28)),
            "dueDateTime": format!("2026-11-{:02}T17:00:00.000", (day + 2).min(28)),
            "creatorResourceID": 29_682_886,
            "estimatedHours": 1.0,
            "userDefinedFields": [
                {"name": "Customer Ref", "value": format!("CR-{id}")},
                {"name": "Escalated", "value": if status == 12 { "Yes" } else { "No" }}
            ]
        });
        if tech != 0 {
            t["assignedResourceID"] = json!(tech);
            t["assignedResourceRoleID"] = json!(29_683_460);
        }
        // SLA timers: first response due an hour after creation (missed on
        // every fourth ticket), resolution due the next day at 17:00; the
        // clock is on hold while the customer is awaited.
        let hour = i % 9;
        t["firstResponseDueDateTime"] =
            json!(format!("2026-11-{day:02}T{:02}:15:00.000", hour + 1));
        t["firstResponseDateTime"] = json!(if i % 4 == 3 {
            format!("2026-11-{day:02}T{:02}:40:00.000", hour + 2)
        } else {
            format!("2026-11-{day:02}T0{hour}:45:00.000")
        });
        t["resolvedDueDateTime"] = json!(format!("2026-11-{:02}T17:00:00.000", (day + 1).min(28)));
        t["resolutionPlanDueDateTime"] = json!(format!("2026-11-{day:02}T17:00:00.000"));
        t["serviceLevelAgreementPausedNextEventHours"] = json!(if status == 7 { 2.5 } else { 0.0 });
        if status == 5 {
            let done = format!("2026-11-{:02}T16:00:00.000", (day + 1).min(28));
            t["completedDate"] = json!(done);
            t["resolvedDateTime"] = json!(done);
            t["resolution"] = json!("Resolved remotely.");
            t["serviceLevelAgreementHasBeenMet"] = json!(i % 4 != 3);
        }
        if i == 19 {
            t["problemTicketId"] = json!(1005);
        }
        store.insert("Tickets", t);
        // Notes: a customer-visible one and an internal one per ticket.
        store.insert(
            "TicketNotes",
            json!({"id": 40_000 + 2 * n, "ticketID": id, "title": "Acknowledged",
                   "description": "Thanks for reporting this; a technician is looking into it.",
                   "noteType": 13, "publish": 1, "creatorResourceID": 29_682_886,
                   "createDateTime": format!("2026-11-{day:02}T09:30:00.000"),
                   "lastActivityDate": format!("2026-11-{day:02}T09:30:00.000")}),
        );
        store.insert(
            "TicketNotes",
            json!({"id": 40_001 + 2 * n, "ticketID": id, "title": "Triage",
                   "description": "Checked event logs; escalating if it recurs.",
                   "noteType": 13, "publish": 2, "creatorResourceID": 29_682_887,
                   "createDateTime": format!("2026-11-{day:02}T09:45:00.000"),
                   "lastActivityDate": format!("2026-11-{day:02}T09:45:00.000")}),
        );
        if i % 2 == 0 {
            store.insert(
                "TimeEntries",
                json!({"id": 60_000 + n, "ticketID": id, "resourceID": 29_682_886, "roleID": 29_683_460,
                       "billingCodeID": 29_682_801, "startDateTime": format!("2026-11-{day:02}T10:00:00.000"),
                       "endDateTime": format!("2026-11-{day:02}T10:30:00.000"),
                       "dateWorked": format!("2026-11-{day:02}T00:00:00.000"),
                       "hoursWorked": 0.5, "hoursToBill": 0.5, "isNonBillable": false,
                       "summaryNotes": "Remote session to diagnose.", "timeEntryType": 2,
                       "createDateTime": format!("2026-11-{day:02}T10:31:00.000")}),
            );
        }
        store.insert(
            "TicketHistory",
            json!({"id": 80_000 + 2 * n, "ticketID": id, "action": "Created", "detail": "Ticket created",
                   "date": format!("2026-11-{day:02}T0{}:15:00.000", i % 9), "resourceID": 29_682_886}),
        );
    }

    // A file attached to ticket 1001 (its content only on a read by id).
    store.insert(
        "TicketAttachments",
        json!({"id": 90_001, "parentID": 1001, "ticketID": 1001, "title": "printer-status.txt",
               "fullPath": "printer-status.txt", "attachmentType": "FILE_ATTACHMENT",
               "contentType": "text/plain", "fileSize": 65, "publish": 2,
               "attachDate": "2026-11-01T09:50:00.000", "attachedByResourceID": 29_682_886,
               "data": "UHJpbnRlciB0ZXN0IHBhZ2U6IHRvbmVyIDMlLCBkcnVtIE9LLCAxLDIwNCBwYWdlcyBzaW5jZSBzZXJ2aWNlLgo="}),
    );

    for (i, (name, ty, company, serial)) in [
        ("RECEPTION-PC01", 1, 174, "5CD1234XYZ"),
        ("FS01", 2, 174, "CZJ9990001"),
        ("MFP-3F", 4, 174, "XJ3-00991"),
        ("FL-LAPTOP-07", 1, 175, "PF2ABCD7"),
        ("FL-FW01", 3, 175, "FGT60F0001"),
        ("SQL01", 2, 176, "CZJ9990002"),
        ("TT-AP-BOARDROOM", 3, 176, "Q2XX-AAAA-0001"),
        ("WWI-TS01", 2, 177, "CZJ9990003"),
    ]
    .into_iter()
    .enumerate()
    {
        let n = i64::try_from(i).unwrap_or_default();
        store.insert(
            "ConfigurationItems",
            json!({"id": 70_000 + n, "referenceTitle": name, "configurationItemType": ty,
                   "companyID": company, "productID": 29_683_100 + (n % 3), "serialNumber": serial,
                   "isActive": true, "installDate": "2024-07-01T00:00:00", "createDate": "2024-07-01T00:00:00",
                   "userDefinedFields": [{"name": "Warranty", "value": "2027-07-01"}]}),
        );
    }

    for (i, (name, sku, price, cost)) in [
        ("Business Laptop 14\"", "LAP-14-G9", 1899.0, 1450.0),
        ("27\" Monitor", "MON-27-QHD", 429.0, 310.0),
        ("Toner Cartridge (black)", "TNR-BLK-01", 149.0, 88.0),
        ("Wireless Access Point", "WAP-AX-2", 689.0, 505.0),
        ("Managed Backup (per TB)", "SVC-BKP-TB", 79.0, 30.0),
        ("USB-C Dock", "DOCK-USBC-4", 349.0, 240.0),
    ]
    .into_iter()
    .enumerate()
    {
        let n = i64::try_from(i).unwrap_or_default();
        store.insert(
            "Products",
            json!({"id": 29_683_100 + n, "name": name, "sku": sku, "description": format!("{name} ({sku})"),
                   "unitPrice": price, "unitCost": cost, "msrp": price, "isActive": i != 5,
                   "productCategory": 1, "periodType": 1, "billingType": 1, "isSerialized": false,
                   "manufacturerName": "Various", "userDefinedFields": []}),
        );
    }
    for (i, (ticket, product, qty)) in [
        (1006_i64, 29_683_102_i64, 2.0),
        (1002, 29_683_101, 1.0),
        (1016, 29_683_100, 1.0),
    ]
    .into_iter()
    .enumerate()
    {
        let n = i64::try_from(i).unwrap_or_default();
        store.insert(
            "TicketCharges",
            json!({"id": 90_000 + n, "ticketID": ticket, "productID": product, "name": "Hardware",
                   "description": "Supplied and fitted", "unitQuantity": qty, "unitPrice": 149.0,
                   "unitCost": 88.0, "chargeType": 1, "status": 2, "isBillableToCompany": true,
                   "isBilled": false, "createDate": "2026-11-06T12:00:00", "datePurchased": "2026-11-06T00:00:00"}),
        );
    }

    for (i, (name, company, ty, status, start, end)) in [
        (
            "Contoso Dental Managed Services",
            174,
            7,
            1,
            "2026-01-01T00:00:00",
            "2026-12-31T00:00:00",
        ),
        (
            "Fabrikam Legal Block Hours",
            175,
            4,
            1,
            "2026-03-01T00:00:00",
            "2027-02-28T00:00:00",
        ),
        (
            "Tailspin Toys T&M",
            176,
            1,
            1,
            "2025-07-01T00:00:00",
            "2027-06-30T00:00:00",
        ),
        (
            "Old Mill Bakery Support (ended)",
            178,
            1,
            0,
            "2023-01-01T00:00:00",
            "2024-12-31T00:00:00",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let n = i64::try_from(i).unwrap_or_default();
        store.insert(
            "Contracts",
            json!({"id": 120_000 + n, "contractName": name, "contractNumber": format!("C-{:04}", 1 + n),
                   "companyID": company, "contractType": ty, "status": status, "startDate": start,
                   "endDate": end, "serviceLevelAgreementID": 1, "isDefaultContract": i == 0,
                   "contractCategory": 1, "timeReportingRequiresStartAndStopTimes": 1,
                   "userDefinedFields": []}),
        );
    }
    for (i, ticket) in [1001_i64, 1002, 1003, 1005, 1009, 1013]
        .into_iter()
        .enumerate()
    {
        let n = i64::try_from(i).unwrap_or_default();
        store.insert(
            "ServiceLevelAgreementResults",
            json!({"id": 130_000 + n, "ticketID": ticket, "serviceLevelAgreementName": if ticket % 2 == 1 { "Standard SLA" } else { "Premium 4-hour SLA" },
                   "isFirstResponseMet": true, "isResolutionPlanMet": i != 3, "isResolutionMet": i != 3,
                   "firstResponseElapsedHours": 0.25, "resolutionElapsedHours": 3.5 + 2.0 * f64::from(u8::try_from(i).unwrap_or_default()),
                   "resolutionPlanElapsedHours": 1.0, "firstResponseResourceID": 29_682_886}),
        );
    }
    for (i, (name, company, status)) in [
        ("Contoso Dental server refresh", 174, 2),
        ("Fabrikam Legal M365 migration", 175, 1),
        ("Tailspin Toys Wi-Fi upgrade", 176, 5),
    ]
    .into_iter()
    .enumerate()
    {
        let n = i64::try_from(i).unwrap_or_default();
        store.insert(
            "Projects",
            json!({"id": 140_000 + n, "projectName": name, "projectNumber": format!("P2026{:04}", 1 + n),
                   "companyID": company, "status": status, "projectType": 5,
                   "projectLeadResourceID": 29_682_888, "startDateTime": "2026-09-01T00:00:00",
                   "endDateTime": "2026-12-15T00:00:00", "completedPercentage": if status == 5 { 100 } else { 40 },
                   "userDefinedFields": []}),
        );
    }
    for (i, (title, keywords, content)) in [
        ("Reset a user's MFA", "mfa authenticator reset", "1. Open the Entra admin centre.\n2. Require re-register MFA for the user.\n3. Ask the user to sign in again."),
        ("Printer shows offline", "printer offline spooler", "Restart the Print Spooler service, then re-add the printer by IP."),
        ("Connect to the VPN", "vpn forticlient remote", "Install FortiClient, import the profile, sign in with your work account."),
        ("Request a new starter", "onboarding new starter", "Log a Service Request with the start date, role and equipment needed."),
    ]
    .into_iter()
    .enumerate()
    {
        let n = i64::try_from(i).unwrap_or_default();
        let id = 150_000 + n;
        store.insert(
            "KnowledgeBaseArticles",
            json!({"id": id, "title": title, "keywords": keywords, "isActive": true, "publish": 1,
                   "articleCategoryID": 1, "createdByResourceID": 29_682_887,
                   "createdDateTime": "2025-02-01T00:00:00", "lastModifiedDateTime": "2026-06-01T00:00:00"}),
        );
        store.insert("ArticlePlainTextContent", json!({"id": id, "contentData": content}));
    }
    for (i, (ticket, resource, start, end)) in [
        (
            1003_i64,
            29_682_886_i64,
            "2026-11-24T09:00:00",
            "2026-11-24T11:00:00",
        ),
        (
            1007,
            29_682_887,
            "2026-11-24T13:00:00",
            "2026-11-24T14:00:00",
        ),
        (
            1012,
            29_682_888,
            "2026-11-25T09:00:00",
            "2026-11-25T12:00:00",
        ),
        (
            1016,
            29_682_886,
            "2026-11-26T15:00:00",
            "2026-11-26T16:00:00",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let n = i64::try_from(i).unwrap_or_default();
        let call = 110_000 + n;
        let company = store
            .get("Tickets", ticket)
            .and_then(|t| t.get("companyID").cloned())
            .unwrap_or(json!(174));
        store.insert(
            "ServiceCalls",
            json!({"id": call, "companyID": company, "description": "Onsite visit\nBring spare parts",
                   "startDateTime": start, "endDateTime": end, "duration": 1.0, "status": 2,
                   "isComplete": 0, "createDateTime": "2026-11-20T08:00:00", "creatorResourceID": 29_682_886}),
        );
        store.insert(
            "ServiceCallTickets",
            json!({"id": 111_000 + n, "serviceCallID": call, "ticketID": ticket}),
        );
        store.insert(
            "ServiceCallTicketResources",
            json!({"id": 112_000 + n, "serviceCallTicketID": 111_000 + n, "resourceID": resource}),
        );
    }
}

/// Adds `n` lean generated tickets (for paging tests and benches).
pub(crate) fn generate_tickets(store: &mut Store, n: u64) {
    for i in 0..n {
        let id = GENERATED_TICKET_BASE + i64::try_from(i).unwrap_or_default();
        store.insert(
            "Tickets",
            json!({"id": id, "ticketNumber": format!("T20261101.{id}"), "title": format!("Generated ticket {id}"),
                   "companyID": 174 + (id % 4), "status": if id % 7 == 0 { 5 } else { 1 }, "priority": 2,
                   "queueID": QUEUE_TRIAGE, "createDate": "2026-11-01T00:00:00"}),
        );
    }
}
