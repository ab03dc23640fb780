//! Issue 12 for Autotask: note visibility by `publish` value (fail closed),
//! unset UDFs kept present, ticket numbers found, phone look-up.

use futures::TryStreamExt;
use psa_autotask::mock::AutotaskMock;
use psa_autotask::models::{Company, ConfigurationItem, Contact, Contract, Ticket};
use psa_core::{ContactQuery, ErrorKind, Id, NewNote, NoteVisibility, Psa, TicketPatch};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn note(id: i64, publish: &Value) -> Value {
    json!({"id": id, "ticketID": 1003, "title": "t", "description": format!("note {id}"),
           "noteType": 13, "publish": publish, "creatorResourceID": 29_682_886,
           "createDateTime": "2026-11-03T11:00:00.000"})
}

#[tokio::test]
async fn note_visibility_follows_the_publish_value_and_fails_closed() {
    let mock = AutotaskMock::start().await;
    // Labels that say nothing (a renamed instance) must not matter.
    mock.put_record("TicketNotes", note(70_001, &json!(1)));
    mock.put_record("TicketNotes", note(70_002, &json!(2)));
    mock.put_record("TicketNotes", note(70_003, &json!(3)));
    mock.put_record("TicketNotes", note(70_004, &json!(9)));
    mock.put_record("TicketNotes", note(70_005, &Value::Null));
    let c = mock.client();
    let notes: Vec<_> = c.list_notes(&Id::from(1003)).try_collect().await.unwrap();
    let vis = |id: i64| {
        notes
            .iter()
            .find(|n| n.id == Id::from(id))
            .map(|n| n.visibility)
            .unwrap()
    };
    assert_eq!(vis(70_001), NoteVisibility::Customer);
    assert_eq!(vis(70_002), NoteVisibility::Internal);
    assert_eq!(
        vis(70_003),
        NoteVisibility::Internal,
        "Internal & Co-managed"
    );
    assert_eq!(
        vis(70_004),
        NoteVisibility::Internal,
        "unknown values fail closed"
    );
    assert_eq!(
        vis(70_005),
        NoteVisibility::Internal,
        "no value fails closed"
    );

    // Writes use the documented values.
    let internal = c
        .add_note(&Id::from(1003), NewNote::internal("checked the switch"))
        .await
        .unwrap();
    let rec = mock
        .record("TicketNotes", internal.id.as_i64().unwrap())
        .unwrap();
    assert_eq!(rec["publish"], 2);
    let public = c
        .add_note(&Id::from(1003), NewNote::customer("We are on it"))
        .await
        .unwrap();
    let rec = mock
        .record("TicketNotes", public.id.as_i64().unwrap())
        .unwrap();
    assert_eq!(rec["publish"], 1);
    assert_eq!(public.visibility, NoteVisibility::Customer);
}

#[tokio::test]
async fn control_character_only_notes_are_refused_before_any_request() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    for body in ["\u{0}", "\u{7}\u{1b}", " \t\n", "\u{200b}"] {
        let e = c
            .add_note(&Id::from(1001), NewNote::internal(body))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{body:?}");
    }
    assert_eq!(mock.request_count(), 0);
}

fn udf_round_trip<T: DeserializeOwned + Serialize>(record: &Value) -> serde_json::Result<()> {
    let typed: T = serde_json::from_value(record.clone())?;
    let back = serde_json::to_value(&typed)?;
    assert_eq!(back["userDefinedFields"], record["userDefinedFields"]);
    Ok(())
}

#[test]
fn unset_udfs_survive_a_read_and_a_write_back() {
    let udfs =
        json!([{"name": "Customer Ref", "value": null}, {"name": "Escalated", "value": "No"}]);
    let rec = |extra: Value| {
        let mut r = extra;
        r["id"] = json!(7);
        r["userDefinedFields"] = udfs.clone();
        r
    };
    udf_round_trip::<Ticket>(&rec(json!({"title": "x"}))).unwrap();
    udf_round_trip::<Company>(&rec(json!({"companyName": "x"}))).unwrap();
    udf_round_trip::<Contact>(&rec(json!({"firstName": "x"}))).unwrap();
    udf_round_trip::<ConfigurationItem>(&rec(json!({"referenceTitle": "x"}))).unwrap();
    udf_round_trip::<Contract>(&rec(json!({"contractName": "x"}))).unwrap();

    let pl = psa_autotask::Picklists::default();
    let t: Ticket = serde_json::from_value(rec(json!({"title": "x"}))).unwrap();
    let u = psa_autotask::mapping::ticket(&t, Value::Null, &pl, &[5]);
    assert_eq!(u.custom_fields.get("Customer Ref"), Some(&Value::Null));
    assert_eq!(u.custom_fields.get_str("Escalated"), Some("No"));
    let co: Company = serde_json::from_value(rec(json!({"companyName": "x"}))).unwrap();
    assert_eq!(
        psa_autotask::mapping::company(&co, Value::Null)
            .custom_fields
            .get("Customer Ref"),
        Some(&Value::Null)
    );
    let ct: Contact = serde_json::from_value(rec(json!({"firstName": "x"}))).unwrap();
    assert_eq!(
        psa_autotask::mapping::contact(&ct, Value::Null)
            .custom_fields
            .get("Customer Ref"),
        Some(&Value::Null)
    );
    let k: Contract = serde_json::from_value(rec(json!({"contractName": "x"}))).unwrap();
    assert_eq!(
        psa_autotask::mapping::agreement(&k, Value::Null, &pl)
            .custom_fields
            .get("Customer Ref"),
        Some(&Value::Null)
    );
}

#[tokio::test]
async fn a_ticket_with_an_unset_udf_is_written_back_unchanged() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    c.update_ticket(
        &Id::from(1001),
        TicketPatch::new().custom_field("Escalated", Value::Null),
    )
    .await
    .unwrap();
    let sent = mock.record("Tickets", 1001).unwrap()["userDefinedFields"].clone();
    assert_eq!(
        sent,
        json!([{"name": "Customer Ref", "value": "CR-1001"}, {"name": "Escalated", "value": null}])
    );
    let t = c.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(t.custom_fields.get("Escalated"), Some(&Value::Null));
    // Written back as read: Autotask's record is unchanged.
    let mut patch = TicketPatch::new();
    patch.custom_fields = t.custom_fields.clone();
    c.update_ticket(&Id::from(1001), patch).await.unwrap();
    assert_eq!(
        mock.record("Tickets", 1001).unwrap()["userDefinedFields"],
        sent
    );
}

#[tokio::test]
async fn tickets_are_found_by_their_number() {
    let mock = AutotaskMock::builder()
        .generated_tickets(1200)
        .start()
        .await;
    mock.put_record(
        "Tickets",
        json!({"id": 900_001, "ticketNumber": "T20261203.0001", "title": "Found me",
               "companyID": 174, "status": 1, "priority": 2, "queueID": 29_682_833}),
    );
    let c = mock.client();
    let t = c.find_ticket_by_number("T20261203.0001").await.unwrap();
    assert_eq!(t.id, Id::from(900_001));
    let t = c.find_ticket_by_number(" #t20261203.0001 ").await.unwrap();
    assert_eq!(t.summary, "Found me");
    let seeded = c.find_ticket_by_number("T20261101.0001").await.unwrap();
    assert_eq!(seeded.id, Id::from(1001));
    let e = c.find_ticket_by_number("T20261203.9999").await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
    let bad = c.find_ticket_by_number("T2026'; --").await.unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn callers_are_found_by_phone_as_the_same_line() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    // Stored as "(02) 9222 3001".
    for dialled in ["+61 2 9222 3001", "+61 (0)2 9222-3001", "02 9222 3001"] {
        let found: Vec<_> = c
            .search_contacts(ContactQuery::phone(dialled))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "{dialled}");
        assert_eq!(found[0].first_name.as_deref(), Some("Ada"));
    }
    // Same last four digits, another line.
    let other: Vec<_> = c
        .search_contacts(ContactQuery::phone("+61 3 9222 3001"))
        .try_collect()
        .await
        .unwrap();
    assert!(other.is_empty(), "{other:?}");
}
