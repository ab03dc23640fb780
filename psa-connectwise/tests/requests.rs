//! Request builders: method, path, query, headers and body, without I/O.

use http::Method;
use psa_connectwise::models::{PatchOperation, ServiceNote, Ticket, TicketBundle, TicketMerge};
use psa_connectwise::query::fields;
use psa_connectwise::resources::PageRef;
use psa_connectwise::{Client, auth::Credentials};
use serde_json::json;

fn client() -> Client {
    Client::builder()
        .credentials(
            Credentials::new(
                "acme",
                "pub".to_owned().into(),
                "priv".to_owned().into(),
                "cid".to_owned().into(),
            )
            .expect("valid credentials"),
        )
        .base_url("https://na.myconnectwise.net/v4_6_release/apis/3.0")
        .page_size(50)
        .build()
        .expect("valid client")
}

#[test]
fn ticket_writes() {
    let c = client();
    let ops = [
        PatchOperation::replace_ref("status", 3),
        PatchOperation::replace("summary", "x"),
    ];
    let r = c.tickets().patch(12, &ops).request().unwrap();
    assert_eq!(r.method, Method::PATCH);
    assert_eq!(r.path, "service/tickets/12");
    assert!(r.idempotent);
    assert_eq!(
        r.body.unwrap(),
        json!([{"op": "replace", "path": "status", "value": {"id": 3}},
               {"op": "replace", "path": "summary", "value": "x"}])
    );
    let r = c
        .tickets()
        .merge(12, &TicketMerge::new(vec![13, 14], 5))
        .request()
        .unwrap();
    assert_eq!(
        (r.method.clone(), r.path.as_str()),
        (Method::POST, "service/tickets/12/merge")
    );
    assert!(!r.idempotent, "a merge is never retried");
    assert_eq!(
        r.body.unwrap(),
        json!({"mergeTicketIds": [13, 14], "status": {"id": 5}})
    );
    let r = c
        .tickets()
        .attach_children(12, &TicketBundle::new(vec![15]))
        .request()
        .unwrap();
    assert_eq!(r.path, "service/tickets/12/attachChildren");
    assert_eq!(r.body.unwrap(), json!({"childTicketIds": [15]}));
    let mut note = ServiceNote::default();
    note.text = Some("hi".into());
    note.internal_analysis_flag = Some(true);
    let r = c.tickets().notes(12).create(&note).request().unwrap();
    assert_eq!(
        (r.method.clone(), r.path.as_str()),
        (Method::POST, "service/tickets/12/notes")
    );
    assert_eq!(
        r.body.unwrap(),
        json!({"text": "hi", "internalAnalysisFlag": true})
    );
    let mut t = Ticket::default();
    t.summary = Some("New".into());
    let r = c.tickets().create(&t).request().unwrap();
    assert_eq!(r.body.unwrap(), json!({"summary": "New"}));
    assert!(c.tickets().get(0).request().unwrap_err().is_invalid_input());
    assert!(
        c.tickets()
            .delete(-3)
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
}

#[test]
fn lists_and_counts() {
    let c = client();
    let r = c
        .companies()
        .list()
        .conditions(fields::NAME.contains("Acme"))
        .order_by(fields::NAME.asc())
        .fields([fields::ID, fields::NAME])
        .request(PageRef::Number(3))
        .unwrap();
    assert_eq!(r.path, "company/companies");
    assert_eq!(
        r.query,
        vec![
            ("conditions".into(), "name contains \"Acme\"".into()),
            ("orderBy".into(), "name asc".into()),
            ("fields".into(), "id,name".into()),
            ("pageSize".into(), "50".into()),
            ("page".into(), "3".into()),
        ]
    );
    assert!(r.headers.is_empty());
    let r = c
        .time_entries()
        .list()
        .limit(7)
        .forward_only()
        .request(PageRef::After(0))
        .unwrap();
    assert_eq!(
        r.query,
        vec![("pageSize".to_string(), "7".to_string())],
        "no more than needed"
    );
    assert_eq!(
        r.headers,
        vec![("pagination-type", "forward-only".to_string())]
    );
    let r = c.ticket_audit_trail(9).request(PageRef::Number(1)).unwrap();
    assert_eq!(r.path, "system/audittrail");
    assert_eq!(r.query_value("type"), Some("Ticket"));
    assert_eq!(r.query_value("id"), Some("9"));
    let r = c
        .tickets()
        .count()
        .conditions(fields::CLOSED_FLAG.eq(false))
        .request()
        .unwrap();
    assert_eq!(r.path, "service/tickets/count");
    assert_eq!(r.query_value("conditions"), Some("closedFlag = false"));
    assert!(
        c.tickets()
            .list()
            .page_size(1001)
            .request(PageRef::Number(1))
            .is_err()
    );
    let r = c
        .boards()
        .statuses(2)
        .list()
        .request(PageRef::Number(1))
        .unwrap();
    assert_eq!(r.path, "service/boards/2/statuses");
}
