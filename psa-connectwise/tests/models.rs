//! Fixtures shaped like real ConnectWise payloads (the 2026.4 spec's
//! schemas, with `_info` links, references and custom fields) decode into
//! the typed models and re-encode to exactly the same JSON.

use psa_connectwise::models::{
    Agreement, AuditTrailEntry, BillableOption, Board, BoardStatus, BoardType, CallbackEntry,
    CatalogItem, ChargeToType, CommunicationType, Company, CompanyInfo, Configuration, Contact,
    CustomFieldType, KnowledgeBaseArticle, Level, Member, Priority, PriorityLevel, ProductItem,
    Project, ScheduleEntry, ServiceNote, Sla, Ticket, TimeEntry, WorkType,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Decodes through serde_path_to_error (as the client does) and checks that
/// re-encoding gives back the same JSON value.
fn round_trip<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let text = fixture(name);
    let de = &mut serde_json::Deserializer::from_str(&text);
    let typed: T = serde_path_to_error::deserialize(de)
        .unwrap_or_else(|e| panic!("{name}: {} at {}", e.inner(), e.path()));
    let original: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let again = serde_json::to_value(&typed).expect("re-encodes");
    assert_eq!(again, original, "{name} does not round-trip");
    typed
}

#[test]
fn ticket_decodes_and_round_trips() {
    let t: Ticket = round_trip("ticket.json");
    assert_eq!(t.id, Some(1234));
    assert_eq!(
        t.board.as_ref().and_then(|b| b.name.as_deref()),
        Some("Service Desk")
    );
    assert_eq!(
        t.company.as_ref().and_then(|c| c.identifier.as_deref()),
        Some("Acme")
    );
    assert_eq!(t.priority.as_ref().unwrap().extra["level"], "Medium");
    assert_eq!(t.severity, Some(Level::Medium));
    assert_eq!(t.bill_time, Some(BillableOption::NoDefault));
    assert_eq!(t.parent_ticket_id, Some(1200));
    let info = t.info.as_ref().unwrap();
    assert_eq!(info.updated_by(), Some("jdoe"));
    assert_eq!(
        info.last_updated().unwrap().to_rfc3339(),
        "2026-03-04T15:22:10+00:00"
    );
    let cf = t.custom_fields.as_ref().unwrap();
    assert_eq!(cf.len(), 5);
    assert_eq!(cf[0].value, Some(Value::Null), "explicit null kept");
    assert_eq!(cf[1].field_type, Some(CustomFieldType::Number));
    // fields this SDK does not type are kept
    assert!(t.extra.contains_key("currency"));
    assert!(t.extra.contains_key("estimatedTimeCost"));
    assert_eq!(
        t.resolution_goal_utc.unwrap().to_rfc3339(),
        "2026-03-03T09:00:00+00:00"
    );
}

#[test]
fn unknown_picklist_values_do_not_break_a_page() {
    let page: Vec<Ticket> = round_trip("tickets_page.json");
    assert_eq!(page.len(), 2);
    assert_eq!(
        page[1].bill_time,
        Some(BillableOption::Unknown("SomethingNew".into()))
    );
    assert_eq!(page[1].severity, Some(Level::Unknown("Critical".into())));
    assert_eq!(
        page[1].merged_parent_ticket.as_ref().and_then(|r| r.id),
        Some(1234)
    );
    let prios: Vec<Priority> = round_trip("priorities.json");
    assert_eq!(prios[0].level, Some(PriorityLevel::Critical));
    assert_eq!(
        prios[1].level,
        Some(PriorityLevel::Unknown("NotYetALevel".into()))
    );
}

#[test]
#[allow(clippy::many_single_char_names)]
fn other_records_round_trip() {
    let n: ServiceNote = round_trip("service_note.json");
    assert_eq!(n.internal_analysis_flag, Some(true));
    assert!(n.extra.contains_key("sentimentScore"));

    let te: TimeEntry = round_trip("time_entry.json");
    assert_eq!(te.charge_to_type, Some(ChargeToType::ServiceTicket));
    assert_eq!(te.charge_to_id, Some(1234));
    assert_eq!(te.billable_option, Some(BillableOption::Billable));
    assert_eq!(te.actual_hours, Some(0.75));
    assert_eq!(
        te.internal_notes.as_deref(),
        Some("Spooler crash dump saved to the ticket.")
    );

    let c: Company = round_trip("company.json");
    assert_eq!(c.identifier.as_deref(), Some("Acme"));
    assert_eq!(
        c.custom_fields.as_ref().unwrap()[0].caption.as_deref(),
        Some("Account Manager")
    );

    let ct: Contact = round_trip("contact.json");
    let items = ct.communication_items.as_ref().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[0].communication_type, Some(CommunicationType::Email));
    assert_eq!(items[3].communication_type, Some(CommunicationType::Fax));

    let cfg: Configuration = round_trip("configuration.json");
    assert_eq!(cfg.serial_number.as_deref(), Some("CNB3K1234"));
    assert!(cfg.extra.contains_key("questions"));

    let s: ScheduleEntry = round_trip("schedule_entry.json");
    assert_eq!(s.schedule_type.as_ref().and_then(|t| t.id), Some(4));
    assert_eq!(
        s.location.as_ref().and_then(|w| w.name.as_deref()),
        Some("On-Site")
    );

    let cat: CatalogItem = round_trip("catalog_item.json");
    assert_eq!(cat.identifier.as_deref(), Some("HW-TONER-HP58"));
    let p: ProductItem = round_trip("product_item.json");
    assert_eq!(p.ticket.as_ref().and_then(|t| t.id), Some(1234));

    let a: Agreement = round_trip("agreement.json");
    assert_eq!(
        a.agreement_status
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("Active")
    );
    let sla: Sla = round_trip("sla.json");
    assert_eq!(sla.resolution_hours, Some(24.0));
    let pr: Project = round_trip("project.json");
    assert_eq!(
        pr.manager.as_ref().and_then(|m| m.identifier.as_deref()),
        Some("lchen")
    );
    let kb: KnowledgeBaseArticle = round_trip("kb_article.json");
    assert_eq!(kb.title.as_deref(), Some("Printer shows offline"));

    let boards: Vec<Board> = round_trip("boards.json");
    assert_eq!(boards[0].project_flag, Some(false));
    let st: Vec<BoardStatus> = round_trip("board_statuses.json");
    assert_eq!(st[1].closed_status, Some(true));
    let ty: Vec<BoardType> = round_trip("board_types.json");
    assert_eq!(ty[0].board.as_ref().and_then(|b| b.id), Some(1));
    let m: Vec<Member> = round_trip("members.json");
    assert_eq!(
        m[0].primary_email.as_deref(),
        Some("jdoe@northwind.example")
    );
    let w: Vec<WorkType> = round_trip("work_types.json");
    assert_eq!(w[0].bill_time, Some(BillableOption::Billable));
    let cb: CallbackEntry = round_trip("callback_entry.json");
    assert_eq!(cb.callback_type.as_deref(), Some("ticket"));
    assert_eq!(
        cb.connect_wise_id.as_deref(),
        Some("9b8a7c6d-0077-4c5e-9f8e-0a1b2c3d4e5f")
    );
    let au: Vec<AuditTrailEntry> = round_trip("audit_trail.json");
    assert_eq!(au[1].audit_sub_type.as_deref(), Some("Status"));
    let ci: CompanyInfo = round_trip("company_info.json");
    assert_eq!(ci.codebase.as_deref(), Some("v2025_1/"));
    assert_eq!(ci.company_id.as_deref(), Some("northwind"));
}

#[test]
fn callback_delivery_round_trips() {
    let p: psa_connectwise::webhook::CallbackPayload = round_trip("callback_delivery.json");
    assert_eq!(p.action.as_deref(), Some("updated"));
    assert_eq!(p.id, Some(1234));
    assert!(p.extra.contains_key("ProductInstanceId"));
    let t = p.ticket().expect("Entity is a JSON-encoded ticket");
    assert_eq!(t.summary.as_deref(), Some("Printer offline on 3rd floor"));
    let events = psa_connectwise::webhook::events(&p, serde_json::json!({})).unwrap();
    assert_eq!(events[0].actor.as_deref(), Some("jdoe"));
}

#[test]
fn malformed_body_names_the_field() {
    let mut page: Value = serde_json::from_str(&fixture("tickets_page.json")).unwrap();
    page[1]["customFields"][1]["numberOfDecimals"] = Value::String("two".into());
    let text = page.to_string();
    let de = &mut serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, Vec<Ticket>>(de).unwrap_err();
    assert_eq!(
        err.path().to_string(),
        "[1].customFields[1].numberOfDecimals"
    );

    let mut t: Value = serde_json::from_str(&fixture("ticket.json")).unwrap();
    t["requiredDate"] = Value::String("next tuesday".into());
    let text = t.to_string();
    let de = &mut serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, Ticket>(de).unwrap_err();
    assert_eq!(err.path().to_string(), "requiredDate");
}

#[test]
fn error_body_keeps_field_errors() {
    let b = psa_connectwise::error::parse_error_body(fixture("error_400.json").as_bytes()).unwrap();
    assert_eq!(b.code.as_deref(), Some("InvalidObject"));
    assert_eq!(b.errors.len(), 2);
    assert_eq!(b.errors[1].field.as_deref(), Some("externalXRef"));
    assert_eq!(b.errors[1].code.as_deref(), Some("ObjectExists"));
}
