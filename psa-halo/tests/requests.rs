//! Request builders: method, path, query and body, asserted without IO; and
//! the exact requests uniform operations send.

use chrono::{TimeZone, Utc};
use futures::TryStreamExt;
use http::Method;
use psa_core::http::{Customize, RequestOptions, RetryPolicy};
use psa_core::{Id, NewNote, NewTimeEntry, Psa, TicketQuery};
use psa_halo::{ActionKey, Client, HaloMock, Ticket};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

fn client() -> Client {
    Client::builder()
        .base_url("https://acme.halopsa.com")
        .client_id("id")
        .client_secret("secret".into())
        .build()
        .expect("a valid configuration")
}

#[test]
fn ticket_list_query() {
    let c = client();
    let req = c
        .tickets()
        .list()
        .open_only()
        .client_id(12)
        .statuses(&[1, 2])
        .teams(&[3])
        .ticket_type(5)
        .created_since(Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap())
        .page_size(50)
        .request()
        .unwrap();
    assert_eq!(req.method(), &Method::GET);
    assert_eq!(req.path(), Some("Tickets"));
    assert_eq!(
        req.query_string(),
        "pageinate=true&page_size=50&page_no=1&open_only=true&client_id=12&status=1%2C2&team=3\
         &requesttype_id=5&datesearch=dateoccured&startdate=2025-03-01T00%3A00%3A00Z"
    );
    assert!(req.body_bytes().is_none());
    assert!(req.is_idempotent());
}

#[test]
fn page_size_is_capped_at_100() {
    let req = client()
        .tickets()
        .list()
        .page_size(500)
        .page(3)
        .request()
        .unwrap();
    assert_eq!(req.query_value("page_size"), Some("100"));
    assert_eq!(req.query_value("page_no"), Some("3"));
}

#[test]
fn hostile_search_text_cannot_add_parameters() {
    let hostile = "printer&open_only=false&client_id=99#x?page_no=7 %26";
    let req = client()
        .tickets()
        .list()
        .open_only()
        .search(hostile)
        .request()
        .unwrap();
    assert_eq!(req.query_value("search"), Some(hostile));
    assert_eq!(req.query_value("open_only"), Some("true"));
    assert_eq!(req.query_value("client_id"), None);
    assert_eq!(req.query_value("page_no"), Some("1"));
    assert_eq!(
        req.query_string(),
        "pageinate=true&page_size=100&page_no=1&open_only=true\
         &search=printer%26open_only%3Dfalse%26client_id%3D99%23x%3Fpage_no%3D7+%2526"
    );
    // Decoding the query gives back exactly one `search` pair with the text.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    assert_eq!(pairs.iter().filter(|(k, _)| k == "search").count(), 1);
    assert_eq!(pairs.len(), 5);

    for bad in ["", "   ", "a\u{0}b", "line\nbreak"] {
        let err = client().tickets().list().search(bad).request().unwrap_err();
        assert!(err.is_invalid_input(), "{bad:?}");
    }
    let long = "x".repeat(256);
    assert!(
        client()
            .users()
            .list()
            .search(&long)
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
}

#[test]
fn get_save_delete() {
    let c = client();
    let req = c
        .tickets()
        .get(1001)
        .include_details()
        .include_auditing()
        .request()
        .unwrap();
    assert_eq!(req.path(), Some("Tickets/1001"));
    assert_eq!(
        req.query_string(),
        "includedetails=true&include_auditing=true"
    );
    assert!(c.tickets().get(0).request().unwrap_err().is_invalid_input());
    assert!(
        c.tickets()
            .get(-3)
            .request()
            .unwrap_err()
            .is_invalid_input()
    );

    // Halo's POST of an array: an update carries the record's id, a create
    // does not; neither is idempotent (the endpoint that updates also
    // creates), so neither is ever retried on an unknown outcome.
    let mut t = Ticket::update(1001);
    t.status_id = Some(2);
    let req = c.tickets().update([t.clone()]).request().unwrap();
    assert_eq!(req.method(), &Method::POST);
    assert_eq!(req.path(), Some("Tickets"));
    assert_eq!(req.body_json(), Some(json!([{"id": 1001, "status_id": 2}])));
    assert!(!req.is_idempotent(), "a POST that updates: never retried");
    let req = c
        .tickets()
        .create([Ticket::new(12, "New one")])
        .request()
        .unwrap();
    assert_eq!(req.method(), &Method::POST);
    assert_eq!(req.path(), Some("Tickets"));
    assert_eq!(
        req.body_json(),
        Some(json!([{"summary": "New one", "client_id": 12}]))
    );
    assert!(!req.is_idempotent(), "POST creates: never retried");
    assert!(
        c.tickets()
            .create([])
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        c.tickets()
            .update([])
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
    // A create refuses a record that would update, an update one that
    // would create, and an update a record whose id Halo cannot have.
    let err = c.tickets().create([t]).request().unwrap_err();
    assert!(
        err.is_invalid_input() && err.to_string().contains("has an id"),
        "{err}"
    );
    let err = c
        .tickets()
        .update([Ticket::new(12, "x")])
        .request()
        .unwrap_err();
    assert!(
        err.is_invalid_input() && err.to_string().contains("no id"),
        "{err}"
    );
    let err = c
        .tickets()
        .update([Ticket::update(0)])
        .request()
        .unwrap_err();
    assert!(
        err.is_invalid_input() && err.to_string().contains("halo ticket id"),
        "{err}"
    );
    // An action belongs to a ticket.
    let err = c
        .actions()
        .create([psa_halo::Action::default()])
        .request()
        .unwrap_err();
    assert!(
        err.is_invalid_input() && err.to_string().contains("halo ticket id"),
        "{err}"
    );

    let req = c
        .tickets()
        .delete(1001)
        .reason("duplicate")
        .request()
        .unwrap();
    assert_eq!(req.method(), &Method::DELETE);
    assert_eq!(req.path(), Some("Tickets/1001"));
    assert_eq!(req.query_string(), "reason=duplicate");
    assert!(req.is_idempotent(), "deleting twice deletes once");
}

#[test]
fn customized_operations_carry_their_overrides() {
    let c = client();
    let req = c
        .tickets()
        .get(1001)
        .customize(|o| {
            o.deadline(Duration::from_secs(2))
                .attempt_timeout(Duration::from_millis(500))
                .no_retry()
        })
        .request()
        .unwrap();
    assert_eq!(req.deadline_override(), Some(Duration::from_secs(2)));
    assert_eq!(
        req.attempt_timeout_override(),
        Some(Duration::from_millis(500))
    );
    assert_eq!(
        req.retry_policy_override().map(RetryPolicy::max_attempts),
        Some(1)
    );
    assert!(req.is_idempotent());

    // Idempotency is the operation's to say, and an override's to change.
    let create = c
        .actions()
        .create([psa_halo::Action::new(1001, "x")])
        .customize(|o| o.idempotent(true))
        .request()
        .unwrap();
    assert!(create.is_idempotent());
    let read = c
        .tickets()
        .list()
        .open_only()
        .with_options(
            RequestOptions::new()
                .idempotent(false)
                .deadline(Duration::from_secs(9)),
        )
        .page(2)
        .request()
        .unwrap();
    assert!(!read.is_idempotent());
    assert_eq!(read.deadline_override(), Some(Duration::from_secs(9)));
    assert_eq!(read.query_value("page_no"), Some("2"));

    let update = c
        .tickets()
        .update([Ticket::update(1001)])
        .customize(|o| o.deadline(Duration::from_secs(5)))
        .request()
        .unwrap();
    assert!(!update.is_idempotent(), "the default stays");
    assert_eq!(update.deadline_override(), Some(Duration::from_secs(5)));
    let delete = c
        .appointments()
        .delete(5)
        .customize(RequestOptions::no_retry)
        .request()
        .unwrap();
    assert_eq!(delete.retry_policy_override(), Some(&RetryPolicy::never()));
    let raw = c
        .raw()
        .post("Invoice", json!([{"id": 1}]))
        .customize(|o| o.attempt_timeout(Duration::from_secs(3)))
        .request()
        .unwrap();
    assert!(!raw.is_idempotent());
    assert_eq!(raw.attempt_timeout_override(), Some(Duration::from_secs(3)));
    assert_eq!(raw.body_json(), Some(json!([{"id": 1}])));
    // Without overrides, nothing is overridden.
    let plain = c.tickets().get(1001).request().unwrap();
    assert!(plain.deadline_override().is_none() && plain.retry_policy_override().is_none());
}

#[test]
fn actions_are_keyed_by_ticket() {
    let c = client();
    let req = c
        .actions()
        .list(1001)
        .time_entries_only()
        .request()
        .unwrap();
    assert_eq!(req.path(), Some("Actions"));
    assert_eq!(
        req.query_string(),
        "ticket_id=1001&timeentriesonly=true",
        "not paginated"
    );
    let key = ActionKey::new(1001, 3);
    assert_eq!(
        c.actions().get(key).request().unwrap().query_string(),
        "ticket_id=1001"
    );
    let del = c.actions().delete(key).request().unwrap();
    assert_eq!(
        (del.method(), del.path()),
        (&Method::DELETE, Some("Actions/3"))
    );
    assert!(
        c.actions()
            .list(0)
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        c.actions()
            .get(ActionKey::new(1001, 0))
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
}

#[test]
#[allow(clippy::too_many_lines)]
fn other_resources() {
    let c = client();
    let cases = [
        (
            c.customers()
                .list()
                .search("acme")
                .include_inactive()
                .request(),
            "Client",
            "pageinate=true&page_size=100&page_no=1&search=acme&includeinactive=true",
        ),
        (
            c.users()
                .list()
                .search("+61 2")
                .search_phone_numbers()
                .request(),
            "Users",
            "pageinate=true&page_size=100&page_no=1&search=%2B61+2&search_phonenumbers=true",
        ),
        (
            c.assets().list().client_id(12).request(),
            "Asset",
            "pageinate=true&page_size=100&page_no=1&client_id=12",
        ),
        (
            c.appointments().list().agents(&[2, 3]).request(),
            "Appointment",
            "pageinate=true&page_size=100&page_no=1&agents=2%2C3",
        ),
        (
            c.items().list().search("toner").request(),
            "Item",
            "pageinate=true&page_size=100&page_no=1&search=toner",
        ),
        (
            c.contracts().list().client_id(12).request(),
            "ClientContract",
            "pageinate=true&page_size=100&page_no=1&client_id=12",
        ),
        (
            c.kb_articles().list().search("vpn").request(),
            "KBArticle",
            "pageinate=true&page_size=100&page_no=1&search=vpn",
        ),
        (
            c.statuses().list().exclude_closed().request(),
            "Status",
            "excludeclosed=true",
        ),
        (c.priorities().list().request(), "Priority", ""),
        (c.teams().list().request(), "Team", ""),
        (c.ticket_types().list().request(), "TicketType", ""),
        (
            c.agents().list().include_disabled().request(),
            "Agent",
            "includedisabled=true",
        ),
        (c.slas().list().request(), "SLA", ""),
        (c.lookups().list(17).request(), "Lookup", "lookupid=17"),
        (
            c.projects().list().open_only().request(),
            "Projects",
            "pageinate=true&page_size=100&page_no=1&open_only=true",
        ),
        (c.webhooks().list().request(), "Webhook", ""),
    ];
    for (req, p, q) in cases {
        let req = req.unwrap();
        assert_eq!(req.method(), &Method::GET);
        assert_eq!((req.path(), req.query_string().as_str()), (Some(p), q));
    }
    assert_eq!(c.agents().me().request().unwrap().path(), Some("Agent/me"));
    let guid = "3FA85F64-5717-4562-B3FC-2C963F66AFA6";
    assert_eq!(
        c.webhooks().delete(guid).request().unwrap().path(),
        Some("Webhook/3fa85f64-5717-4562-b3fc-2c963f66afa6")
    );
    assert!(
        c.webhooks()
            .delete("../Tickets/1")
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        c.lookups()
            .list(0)
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
    assert_eq!(
        c.tickets()
            .list()
            .param("includecolumns", true)
            .request()
            .unwrap()
            .query_value("includecolumns"),
        Some("true")
    );
}

#[tokio::test]
async fn uniform_operations_send_exactly_these_requests() {
    let mock = HaloMock::start().await;
    let server = mock.server();
    Mock::given(method("POST"))
        .and(path("/api/Tickets"))
        .and(body_json(json!([
            {"id": 1023, "merged_into_id": 1001, "domerge": true},
            {"id": 1022, "merged_into_id": 1001, "domerge": true}
        ])))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 1023}, {"id": 1022}])))
        .expect(1)
        .with_priority(1)
        .mount(server)
        .await;
    // Each merged ticket is read back (the merge fields are Halo's
    // behaviour, not its documented contract).
    for id in [1023, 1022] {
        Mock::given(method("GET"))
            .and(path(format!("/api/Tickets/{id}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"id": id, "merged_into_id": 1001, "status_id": 9})),
            )
            .expect(1)
            .with_priority(1)
            .mount(server)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/api/Actions"))
        .and(body_json(json!([{
            "ticket_id": 1001, "outcome": "Private Note", "note": "Checked the spooler",
            "hiddenfromuser": true, "sendemail": false
        }])))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "ticket_id": 1001, "id": 9, "outcome": "Private Note", "note": "Checked the spooler", "hiddenfromuser": true
        })))
        .expect(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/Actions"))
        .and(body_json(json!([{
            "ticket_id": 1004, "outcome": "Private Note", "who_agentid": 1,
            "hiddenfromuser": true, "sendemail": false, "timetaken": 0.25,
            "actisbillable": true, "chargerate": 2,
            "actionarrivaldate": "2025-03-20T22:00:00Z", "actioncompletiondate": "2025-03-20T22:15:00Z",
            "utcoffset": 0
        }])))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "ticket_id": 1004, "id": 7, "timetaken": 0.25, "who_agentid": 1
        })))
        .expect(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/Tickets"))
        .and(query_param("search", "a&b=c#d"))
        .and(query_param("open_only", "true"))
        .and(query_param("client_id", "12"))
        .and(query_param("pageinate", "true"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"record_count": 0, "tickets": []})),
        )
        .expect(1)
        .with_priority(1)
        .mount(server)
        .await;

    let c = mock.client();
    c.merge_tickets(&Id::from(1001), &[Id::from(1023), Id::from(1022)])
        .await
        .unwrap();
    let n = c
        .add_note(&Id::from(1001), NewNote::internal("Checked the spooler"))
        .await
        .unwrap();
    assert_eq!(n.id.to_string(), "1001:9");
    let start = Utc.with_ymd_and_hms(2025, 3, 20, 22, 0, 0).unwrap();
    let e = c
        .create_time_entry(
            NewTimeEntry::new(Id::from(1004), start, Duration::from_secs(900))
                .billable(true)
                .work_type(Id::from(2)),
        )
        .await
        .unwrap();
    assert_eq!(e.id.to_string(), "1004:7");
    let none: Vec<_> = c
        .list_tickets(TicketQuery::open().company(Id::from(12)).text("a&b=c#d"))
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
    assert_eq!(mock.unexpected_requests(), 0);
}
