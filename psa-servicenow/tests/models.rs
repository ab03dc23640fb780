//! Typed models against Table API payloads (decode, encode, compare), the
//! request builders without IO, and decode errors that name the field.

// Helpers outside #[test] functions unwrap fixed test data, as the tests do
// (clippy.toml allows unwrap in tests but not in their helpers).
#![allow(clippy::unwrap_used)]

use psa_core::http::Customize;
use psa_servicenow::models::{Incident, JournalEntry, SysUser, Task};
use psa_servicenow::query::{FieldList, Query, Term};
use psa_servicenow::{Client, DisplayValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn round_trip<T: Serialize + DeserializeOwned>(v: &Value) -> T {
    let typed: T = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(
        &serde_json::to_value(&typed).unwrap(),
        v,
        "nothing dropped, nothing added"
    );
    typed
}

#[test]
fn the_three_reference_forms_decode_and_round_trip() {
    let recorded = fixture("incident_create_201.json")["response"]["body"]["result"].clone();
    let a: Incident = round_trip(&recorded);
    let b: Incident = round_trip(&fixture("incident_exclude_links.json")["result"]);
    let c: Incident = round_trip(&fixture("incident_display_all.json")["result"]);
    for i in [&a, &b, &c] {
        assert_eq!(i.task.number.as_ref().unwrap().value(), "INC0010001");
        assert_eq!(
            i.task.assignment_group.as_ref().unwrap().sys_id(),
            Some("287ebd7da9fe198100f92cc8d1d2154e")
        );
        assert_eq!(
            i.task
                .opened_at
                .as_ref()
                .unwrap()
                .as_datetime()
                .unwrap()
                .to_rfc3339(),
            "2023-12-10T16:45:21+00:00"
        );
        assert_eq!(
            i.caller_id.as_ref().unwrap().sys_id(),
            None,
            "an empty reference"
        );
        assert_eq!(i.task.priority.as_ref().unwrap().value(), "5");
    }
    assert_eq!(a.task.opened_by.as_ref().unwrap().table(), Some("sys_user"));
    assert_eq!(b.task.opened_by.as_ref().unwrap().link(), None);
    assert_eq!(
        c.task.assignment_group.as_ref().unwrap().display_value(),
        Some("Service Desk")
    );
    assert_eq!(c.task.state.as_ref().unwrap().display_value(), Some("New"));
}

#[test]
fn user_pages_and_journal_entries_round_trip() {
    let page = fixture("sys_user_list_page.json");
    let users: Vec<SysUser> = round_trip(&page["response"]["body"]["result"]);
    assert_eq!(users[1].name.as_ref().unwrap().value(), "Abel Tuter");
    assert_eq!(
        users[1].company.as_ref().unwrap().table(),
        Some("core_company")
    );
    assert_eq!(
        users[0].extra["u_badge_id"], "A-0001",
        "custom columns are kept"
    );
    assert!(users[0].extra.contains_key("last_login_time"));

    let journal: Vec<JournalEntry> = round_trip(&fixture("journal_entries.json")["result"]);
    assert_eq!(journal[1].element.as_ref().unwrap().value(), "work_notes");
    assert_eq!(
        journal[1].value.as_ref().unwrap().value(),
        "replacing a bad cable"
    );

    // Every task-family record decodes as a generic task, extras kept.
    let recorded = fixture("incident_create_201.json")["response"]["body"]["result"].clone();
    let task: Task = round_trip(&recorded);
    assert_eq!(task.extra["caller_id"], "");
}

fn client() -> Client {
    Client::builder()
        .base_url("https://acme.service-now.com")
        .auth(psa_servicenow::Auth::basic(
            "svc.psa",
            "canary-password-3d9f1a".to_owned().into(),
        ))
        .page_size(50)
        .build()
        .unwrap()
}

#[test]
fn list_requests_are_built_without_io() {
    let req = client()
        .table("incident")
        .list()
        .query(
            Query::new()
                .and(Term::eq("active", "true"))
                .order_by("sys_created_on"),
        )
        .fields(["sys_id", "number", "caller_id.email"])
        .display_value(DisplayValue::All)
        .exclude_reference_link(true)
        .offset(100)
        .request()
        .unwrap();
    assert_eq!(req.method(), &http::Method::GET);
    assert_eq!(req.path(), Some("/api/now/table/incident"));
    let query: Vec<(String, String)> = req
        .query_pairs()
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    assert_eq!(
        query,
        [
            ("sysparm_query", "active=true^ORDERBYsys_created_on"),
            ("sysparm_fields", "sys_id,number,caller_id.email"),
            ("sysparm_display_value", "all"),
            ("sysparm_exclude_reference_link", "true"),
            ("sysparm_limit", "50"),
            ("sysparm_offset", "100"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert!(req.is_idempotent());
    assert!(req.body_bytes().is_none());
}

#[test]
fn a_field_list_checked_once_asks_for_the_same_fields() {
    let c = client();
    let list = FieldList::new(["sys_id", "number", "caller_id.email"]).unwrap();
    let by_list = c
        .table("incident")
        .get("9d385017c611228701d22104cc95c371")
        .field_list(&list)
        .request()
        .unwrap();
    let by_names = c
        .table("incident")
        .get("9d385017c611228701d22104cc95c371")
        .fields(["sys_id", "number", "caller_id.email"])
        .request()
        .unwrap();
    assert_eq!(by_list.query_pairs(), by_names.query_pairs());
    assert_eq!(
        by_list.query_value("sysparm_fields"),
        Some("sys_id,number,caller_id.email")
    );
    // Names given one by one are checked when the request is built; no
    // names asks for every field.
    let bad = c
        .table("incident")
        .list()
        .fields(["number,sys_id"])
        .request();
    assert!(bad.unwrap_err().is_invalid_input());
    let all = c
        .table("incident")
        .list()
        .fields(Vec::<String>::new())
        .request()
        .unwrap();
    assert_eq!(all.query_value("sysparm_fields"), None);
}

#[test]
fn record_requests_are_built_without_io() {
    let c = client();
    let t = c.table("sc_req_item");
    let req = t
        .create(json!({"short_description": "Monitor"}))
        .fields(["sys_id"])
        .request()
        .unwrap();
    assert_eq!(
        (req.method().as_str(), req.path()),
        ("POST", Some("/api/now/table/sc_req_item"))
    );
    assert_eq!(
        req.body_json(),
        Some(json!({"short_description": "Monitor"}))
    );
    assert!(!req.is_idempotent(), "a create is never retried");

    let sys = "aeed229047801200e0ef563dbb9a71c2";
    let req = t.update(sys, json!({"work_notes": "x"})).request().unwrap();
    assert_eq!(req.method(), &http::Method::PATCH);
    assert_eq!(
        req.path(),
        Some(format!("/api/now/table/sc_req_item/{sys}").as_str())
    );
    assert!(!req.is_idempotent(), "a journal write is never retried");
    let req = t.update(sys, json!({"state": "2"})).request().unwrap();
    assert!(req.is_idempotent(), "setting plain fields is retried");
    let req = t
        .update(sys, json!({"work_notes": "x"}))
        .customize(|o| o.idempotent(true))
        .request()
        .unwrap();
    assert!(req.is_idempotent(), "the caller's override wins");
    let req = c
        .table("task_time_worked")
        .update(sys, json!({"comments": "x"}))
        .request()
        .unwrap();
    assert!(
        req.is_idempotent(),
        "`comments` is a plain field outside the task family"
    );
    let req = t.delete(sys).request().unwrap();
    assert_eq!(
        (req.method().as_str(), req.query_pairs().len()),
        ("DELETE", 0)
    );
    assert!(req.is_idempotent());
    let req = t
        .get(sys)
        .display_value(DisplayValue::True)
        .request()
        .unwrap();
    assert_eq!(req.query_value("sysparm_display_value"), Some("true"));
    assert!(req.is_idempotent());

    let req = c.tickets().get(sys).request().unwrap();
    assert_eq!(
        req.path(),
        Some(format!("/api/now/table/incident/{sys}").as_str()),
        "the default ticket table"
    );
    let ritm = Client::builder()
        .base_url("https://acme.service-now.com")
        .auth(psa_servicenow::Auth::basic("u", "p".to_owned().into()))
        .default_table(psa_servicenow::TaskTable::ScReqItem)
        .build()
        .unwrap();
    assert_eq!(ritm.tickets().name(), "sc_req_item");

    for bad in ["../sys_user", "INCIDENT", "a b", ""] {
        assert!(
            c.table(bad)
                .list()
                .request()
                .unwrap_err()
                .is_invalid_input(),
            "{bad}"
        );
    }
    assert!(t.get("9D385017").request().unwrap_err().is_invalid_input());
    assert!(t.get("x/../../y").request().unwrap_err().is_invalid_input());
    assert!(
        t.create(json!([1, 2]))
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(
        t.list()
            .fields(["sys_id", "a,b"])
            .request()
            .unwrap_err()
            .is_invalid_input()
    );
}

#[test]
fn clients_validate_their_configuration() {
    let auth = || psa_servicenow::Auth::basic("u", "p".to_owned().into());
    for bad in [
        "http://acme.service-now.com",
        "https://user:pw@acme.service-now.com",
        "not a url",
        "ftp://x",
    ] {
        let e = Client::builder()
            .base_url(bad)
            .auth(auth())
            .build()
            .unwrap_err();
        assert!(e.is_config(), "{bad}: {e}");
    }
    assert!(
        Client::builder()
            .base_url("https://acme.service-now.com")
            .build()
            .unwrap_err()
            .is_config(),
        "no credentials"
    );
    assert!(
        Client::builder()
            .auth(auth())
            .build()
            .unwrap_err()
            .is_config(),
        "no instance URL"
    );
    let e = Client::builder()
        .base_url("https://acme.service-now.com")
        .auth(auth())
        .custom_fields(["active"])
        .build()
        .unwrap_err();
    assert!(e.is_config());
    let e = Client::builder()
        .base_url("https://acme.service-now.com")
        .auth(auth())
        .page_size(0)
        .build()
        .unwrap_err();
    assert!(e.is_config());
    let e = Client::builder()
        .base_url("https://acme.service-now.com")
        .auth(auth())
        .agent_role("itil^NQ")
        .build()
        .unwrap_err();
    assert!(e.is_config());
}

#[test]
fn clients_are_send_sync_clone_debug() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug + 'static>() {}
    check::<Client>();
    check::<psa_servicenow::Table>();
    check::<psa_servicenow::Auth>();
}

/// Every record of `table`, in each form the Table API sends (references as
/// `{link, value}`, as plain `sys_id`s, `sysparm_display_value=true` and
/// `all`), decodes into `T` and encodes back to exactly what was sent.
async fn round_trips<T: Serialize + DeserializeOwned>(client: &Client, table: &str) -> usize {
    let forms: [(&str, DisplayValue, bool); 4] = [
        ("links", DisplayValue::False, false),
        ("plain", DisplayValue::False, true),
        ("display", DisplayValue::True, false),
        ("all", DisplayValue::All, false),
    ];
    let mut n = 0;
    for (form, display, exclude) in forms {
        let page = client
            .table(table)
            .list()
            .display_value(display)
            .exclude_reference_link(exclude)
            .send()
            .await
            .unwrap();
        assert!(!page.items.is_empty(), "{table} ({form}) has records");
        for raw in &page.items {
            let typed: T = serde_json::from_value(raw.clone())
                .unwrap_or_else(|e| panic!("{table} ({form}): {e}\n{raw}"));
            assert_eq!(
                &serde_json::to_value(&typed).unwrap(),
                raw,
                "{table} ({form}): nothing dropped, nothing added"
            );
            n += 1;
        }
    }
    n
}

#[tokio::test]
async fn every_model_round_trips_the_records_an_instance_sends() {
    use psa_servicenow::mock::{ServiceNowMock, seed};
    use psa_servicenow::models::{
        AstContract, ChangeRequest, CmdbCi, ContractSla, CoreCompany, KbKnowledge, PmProject,
        Problem, ScCatItem, ScReqItem, ScRequest, ScTask, SysAudit, SysChoice, SysUserGroup,
        TaskSla, TaskTimeWorked, TimeCard,
    };
    let mock = ServiceNowMock::start().await;
    mock.insert(
        "time_card",
        &[
            ("task", seed::INC_PRINTER),
            ("user", seed::BETH_ANGLIN),
            ("week_starts_on", "2026-03-01"),
            ("state", "Pending"),
            ("category", "task_work"),
            ("total", "1.5"),
            ("u_cost_center", "CC-7"),
        ],
    );
    let client = mock.client();
    let mut seen = 0;
    seen += round_trips::<Incident>(&client, "incident").await;
    seen += round_trips::<ScRequest>(&client, "sc_request").await;
    seen += round_trips::<ScReqItem>(&client, "sc_req_item").await;
    seen += round_trips::<ScTask>(&client, "sc_task").await;
    seen += round_trips::<ChangeRequest>(&client, "change_request").await;
    seen += round_trips::<Problem>(&client, "problem").await;
    seen += round_trips::<Task>(&client, "incident").await;
    seen += round_trips::<JournalEntry>(&client, "sys_journal_field").await;
    seen += round_trips::<CoreCompany>(&client, "core_company").await;
    seen += round_trips::<SysUser>(&client, "sys_user").await;
    seen += round_trips::<SysUserGroup>(&client, "sys_user_group").await;
    seen += round_trips::<CmdbCi>(&client, "cmdb_ci").await;
    seen += round_trips::<TaskTimeWorked>(&client, "task_time_worked").await;
    seen += round_trips::<TimeCard>(&client, "time_card").await;
    seen += round_trips::<KbKnowledge>(&client, "kb_knowledge").await;
    seen += round_trips::<TaskSla>(&client, "task_sla").await;
    seen += round_trips::<ContractSla>(&client, "contract_sla").await;
    seen += round_trips::<AstContract>(&client, "ast_contract").await;
    seen += round_trips::<PmProject>(&client, "pm_project").await;
    seen += round_trips::<SysChoice>(&client, "sys_choice").await;
    seen += round_trips::<SysAudit>(&client, "sys_audit").await;
    seen += round_trips::<ScCatItem>(&client, "sc_cat_item").await;
    assert!(seen > 100, "{seen} records");
    assert_eq!(mock.unexpected_requests(), 0);
}
