//! Fixtures shaped like Halo's schemas decode into the typed models and
//! re-encode to the same JSON: nothing is lost.

use psa_halo::models::*;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Removes `null`s of the fields a model names (they read as `None` and are
/// left out when written); nulls in unnamed fields are kept in `extra`.
fn round_trip<T: DeserializeOwned + Serialize>(record: &Value) {
    let typed: T = serde_json::from_value(record.clone()).unwrap_or_else(|e| {
        panic!(
            "{} did not decode: {e}\n{record:#}",
            std::any::type_name::<T>()
        )
    });
    let back = serde_json::to_value(&typed).expect("test helper");
    assert_eq!(
        &back,
        record,
        "{} lost or changed something",
        std::any::type_name::<T>()
    );
}

/// A list fixture: every record round-trips, whether the list is an
/// envelope or a bare array.
fn list<T: DeserializeOwned + Serialize>(name: &str, key: &str) -> usize {
    let v = fixture(name);
    let records = match &v {
        Value::Array(a) => a.clone(),
        Value::Object(m) => m[key].as_array().cloned().unwrap_or_default(),
        _ => panic!("{name} is neither a list nor an envelope"),
    };
    assert!(!records.is_empty(), "{name} has no records");
    for r in &records {
        round_trip::<T>(r);
    }
    records.len()
}

#[test]
fn every_fixture_round_trips() {
    assert_eq!(list::<Ticket>("tickets_page.json", "tickets"), 3);
    assert_eq!(list::<Action>("actions.json", "actions"), 3);
    assert_eq!(list::<Customer>("clients.json", "clients"), 2);
    assert_eq!(list::<Site>("sites.json", "sites"), 2);
    assert_eq!(list::<User>("users.json", "users"), 2);
    assert_eq!(list::<Agent>("agents.json", "agents"), 3);
    assert_eq!(list::<Asset>("assets.json", "assets"), 1);
    assert_eq!(list::<Appointment>("appointments.json", "appointments"), 1);
    assert_eq!(list::<Item>("items.json", "items"), 2);
    assert_eq!(list::<Contract>("contracts.json", "contracts"), 1);
    assert_eq!(list::<Sla>("slas.json", "slas"), 2);
    assert_eq!(list::<KbArticle>("kb_articles.json", "articles"), 1);
    assert_eq!(list::<Status>("statuses.json", "statuses"), 5);
    assert_eq!(list::<Priority>("priorities.json", "priorities"), 3);
    assert_eq!(list::<Team>("teams.json", "teams"), 2);
    assert_eq!(list::<TicketType>("ticket_types.json", "tickettypes"), 3);
    assert_eq!(list::<Webhook>("webhooks.json", "webhooks"), 2);
    assert_eq!(list::<TimesheetEvent>("timesheet_events.json", "x"), 2);
    assert_eq!(list::<LookupEntry>("lookup_charge_types.json", "lookup"), 3);
    round_trip::<Ticket>(&fixture("ticket.json"));
    round_trip::<Ticket>(&fixture("ticket_audit.json"));
}

#[test]
fn typed_fields_carry_the_values() {
    let t: Ticket = serde_json::from_value(fixture("ticket.json")).unwrap();
    assert_eq!(t.id, Some(1001));
    assert_eq!(t.client_id, Some(12));
    assert_eq!(t.team_id, Some(1));
    assert_eq!(t.timetaken.map(psa_halo::Number::get), Some(0.25));
    assert!(
        t.dateclosed.as_ref().unwrap().is_unset(),
        "1900-01-01 is no date"
    );
    assert_eq!(
        t.dateoccurred
            .as_ref()
            .and_then(psa_core::Timestamp::utc)
            .map(|d| d.to_rfc3339()),
        Some("2024-05-01T09:30:00+00:00".to_owned())
    );
    let cf = t.customfields.as_ref().unwrap();
    assert_eq!(cf[0].name.as_deref(), Some("CFContractRef"));
    assert_eq!(cf[1].value, Some(serde_json::json!(12)));
    let items = t.items_issued.as_ref().unwrap();
    assert_eq!(items[0].item_id, Some(7));
    assert!(
        items[0].extra.contains_key("quantity_shipped"),
        "unknown fields kept"
    );
    assert!(t.extra.contains_key("site_timezone"));

    let a: Ticket = serde_json::from_value(fixture("ticket_audit.json")).unwrap();
    let log = a.audit_log.unwrap();
    assert_eq!(log[0].from.as_deref(), Some("New"));
    assert_eq!(log[0].to.as_deref(), Some("In Progress"));

    // Site.client_id and Users.site_id are typed `double` by Halo.
    let sites = fixture("sites.json");
    let s: Site = serde_json::from_value(sites["sites"][1].clone()).unwrap();
    assert_eq!(s.client_id.and_then(psa_halo::Number::as_i64), Some(13));
}

#[test]
fn vendor_enums_fall_back_to_unknown() {
    let hooks: Vec<Webhook> = serde_json::from_value(fixture("webhooks.json")).unwrap();
    assert_eq!(hooks[0].authentication_type, Some(WebhookAuthType::Basic));
    assert_eq!(hooks[0].kind, Some(WebhookKind::Outbound));
    assert_eq!(
        hooks[0].events.as_ref().unwrap()[0].eventno,
        Some(EventNo::NewTicketLogged)
    );
    assert_eq!(
        hooks[1].authentication_type,
        Some(WebhookAuthType::Unknown(7))
    );
    assert_eq!(hooks[1].method, Some(WebhookMethod::Unknown(9)));
    assert_eq!(WebhookAuthType::Unknown(7).code(), 7);
}

#[test]
fn nulls_of_named_fields_read_as_none() {
    let v = serde_json::json!({"id": 5, "summary": null, "mystery": null});
    let t: Ticket = serde_json::from_value(v).unwrap();
    assert_eq!(t.summary, None);
    let back = serde_json::to_value(&t).unwrap();
    assert_eq!(back, serde_json::json!({"id": 5, "mystery": null}));
}

#[test]
fn webhook_passwords_do_not_show_in_debug() {
    let mut w = Webhook::default();
    w.basic_password = Some(Redacted::new("canary-webhook-pw"));
    assert!(!format!("{w:?}").contains("canary-webhook-pw"));
    let json = serde_json::to_string(&w).unwrap();
    assert!(json.contains("canary-webhook-pw"), "still sent to Halo");
}
