//! Fixtures shaped like the swagger's schemas decode into the typed models
//! and encode back without losing anything (nulls aside: the models skip
//! unset fields, which Autotask reads as "unset" too).

use psa_autotask::models::{
    BillingCode, Company, ConfigurationItem, Contact, Contract, FieldInformationResult, ItemId,
    ItemResult, KnowledgeBaseArticle, Product, Project, QueryResult, Resource, Role, ServiceCall,
    ServiceCallTicket, ServiceCallTicketResource, SlaResult, ThresholdInformation, Ticket,
    TicketCategory, TicketCharge, TicketHistory, TicketNote, TicketWebhook, TimeEntry,
    ZoneInformation,
};
use psa_autotask::webhook::Delivery;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

fn round_trip<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let bytes = fixture(name);
    let input: Value = serde_json::from_slice(&bytes).expect("fixture is JSON");
    let de = &mut serde_json::Deserializer::from_slice(&bytes);
    let typed: T = serde_path_to_error::deserialize(de)
        .unwrap_or_else(|e| panic!("{name}: {} at {}", e.inner(), e.path()));
    let output = serde_json::to_value(&typed).expect("model encodes");
    assert_eq!(
        strip_nulls(output),
        strip_nulls(input),
        "{name} changed in a round trip"
    );
    typed
}

#[test]
#[allow(clippy::many_single_char_names)]
fn every_entity_fixture_round_trips() {
    let t: ItemResult<Ticket> = round_trip("ticket.json");
    let t = t.item.unwrap();
    assert_eq!(t.id, 7301);
    assert_eq!(t.company_id, Some(174));
    assert_eq!(t.queue_id, Some(29_682_833));
    assert_eq!(t.user_defined_fields.as_ref().unwrap().len(), 2);
    assert!(t.extra.contains_key("someFieldFromANewerRelease"));

    let n: ItemResult<TicketNote> = round_trip("ticket_note.json");
    assert_eq!(n.item.unwrap().publish, Some(2));
    let e: ItemResult<TimeEntry> = round_trip("time_entry.json");
    assert_eq!(e.item.unwrap().hours_worked, Some(0.75));
    let _: ItemResult<Company> = round_trip("company.json");
    let c: ItemResult<Contact> = round_trip("contact.json");
    assert_eq!(c.item.unwrap().is_active, Some(1));
    let _: ItemResult<ConfigurationItem> = round_trip("configuration_item.json");
    let _: ItemResult<ServiceCall> = round_trip("service_call.json");
    let _: ItemResult<ServiceCallTicket> = round_trip("service_call_ticket.json");
    let _: ItemResult<ServiceCallTicketResource> = round_trip("service_call_ticket_resource.json");
    let _: ItemResult<Product> = round_trip("product.json");
    let _: ItemResult<TicketCharge> = round_trip("ticket_charge.json");
    let _: ItemResult<Contract> = round_trip("contract.json");
    let _: ItemResult<SlaResult> = round_trip("sla_result.json");
    let _: ItemResult<Project> = round_trip("project.json");
    let _: ItemResult<Resource> = round_trip("resource.json");
    let _: ItemResult<Role> = round_trip("role.json");
    let _: ItemResult<BillingCode> = round_trip("billing_code.json");
    let _: ItemResult<KnowledgeBaseArticle> = round_trip("kb_article.json");
    let _: ItemResult<TicketCategory> = round_trip("ticket_category.json");
    let _: ItemResult<TicketWebhook> = round_trip("ticket_webhook.json");
    let _: ItemResult<TicketHistory> = round_trip("ticket_history.json");

    let page: QueryResult<Ticket> = round_trip("tickets_page.json");
    assert_eq!(page.items.len(), 2);
    assert!(
        page.page_details
            .unwrap()
            .next_page_url
            .unwrap()
            .contains("/query/next?paging=")
    );
    let z: ZoneInformation = round_trip("zone_information.json");
    assert_eq!(z.url, "https://webservices14.autotask.net/ATServicesRest/");
    let th: ThresholdInformation = round_trip("threshold_information.json");
    assert_eq!(th.current_timeframe_request_count, 4213);
    let f: FieldInformationResult = round_trip("ticket_fields.json");
    assert_eq!(f.fields[0].picklist_values.as_ref().unwrap().len(), 3);
    let id: ItemId = round_trip("item_id.json");
    assert_eq!(id.item_id, 7301);
    let d: Delivery = round_trip("webhook_delivery.json");
    assert_eq!(d.id, 7301);
}

#[test]
fn malformed_records_name_the_field() {
    let body =
        br#"{"items":[{"id":1,"title":"ok"},{"id":2,"status":"not a number"}],"pageDetails":null}"#;
    let de = &mut serde_json::Deserializer::from_slice(body);
    let err = serde_path_to_error::deserialize::<_, QueryResult<Ticket>>(de).unwrap_err();
    assert_eq!(err.path().to_string(), "items[1].status");

    let body = br#"{"item":{"id":1,"createDate":"last tuesday"}}"#;
    let de = &mut serde_json::Deserializer::from_slice(body);
    let err = serde_path_to_error::deserialize::<_, ItemResult<Ticket>>(de).unwrap_err();
    assert_eq!(err.path().to_string(), "item.createDate");
    // psa_core::Timestamp's message: the value, and that it is not ISO 8601.
    let message = err.inner().to_string();
    assert!(
        message.contains("invalid date-time \"last tuesday\"")
            && message.contains("expected ISO 8601"),
        "{message}"
    );
}

#[test]
fn webhook_secret_keys_are_not_debug_printed() {
    let mut w = TicketWebhook::default();
    w.secret_key = Some(secrecy::SecretString::from("canary-secret-key-42"));
    let shown = format!("{w:?}");
    assert!(!shown.contains("canary-secret-key-42"), "{shown}");
    // …but they are sent when registering the webhook.
    assert_eq!(
        serde_json::to_value(&w).unwrap()["secretKey"],
        "canary-secret-key-42"
    );
}
