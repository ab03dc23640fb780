//! `act_as`: writes attributed to a technician through
//! `ImpersonationResourceId`, the way Autotask records them.

use std::time::Duration;

use chrono::{TimeZone, Utc};
use psa_autotask::mock::{self, AutotaskMock};
use psa_core::{ErrorKind, Id, NewNote, NewTimeEntry, Psa, Support, TicketPatch};

#[tokio::test]
async fn writes_through_act_as_are_the_agents() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    assert!(matches!(c.capabilities().act_as(), Support::Partial(_)));
    let tech = Id::from(mock::TECH_RESOURCE_ID);
    let agents = c.list_agents().await.unwrap();
    assert!(
        agents.iter().any(|a| a.id == tech),
        "act_as takes list_agents ids"
    );

    let view = c.act_as(&tech).unwrap();
    assert_eq!(view.acting_as(), Some(&tech));
    assert_eq!(c.acting_as(), None);

    // A note: the resource is its creator, the API user the impersonator.
    let note = view
        .add_note(&Id::from(1001), NewNote::internal("On my way to site"))
        .await
        .unwrap();
    assert_eq!(
        note.author.as_ref().map(|a| a.id.clone()),
        Some(tech.clone())
    );
    let rec = mock
        .record("TicketNotes", note.id.as_i64().unwrap())
        .unwrap();
    assert_eq!(rec["creatorResourceID"], mock::TECH_RESOURCE_ID);
    assert_eq!(
        rec["impersonatorCreatorResourceID"],
        mock::API_USER_RESOURCE_ID
    );

    // A time entry: the agent's own time, created as the agent.
    let start = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
    let e = view
        .create_time_entry(NewTimeEntry::new(
            Id::from(1001),
            start,
            Duration::from_secs(1800),
        ))
        .await
        .unwrap();
    assert_eq!(e.agent.as_ref().map(|a| a.id.clone()), Some(tech.clone()));
    let rec = mock.record("TimeEntries", e.id.as_i64().unwrap()).unwrap();
    assert_eq!(rec["creatorUserID"], mock::TECH_RESOURCE_ID);
    assert_eq!(
        rec["impersonatorCreatorResourceID"],
        mock::API_USER_RESOURCE_ID
    );

    // A ticket update: the agent is the last to act on it.
    view.update_ticket(&Id::from(1002), TicketPatch::new().priority(Id::from(1)))
        .await
        .unwrap();
    let rec = mock.record("Tickets", 1002).unwrap();
    assert_eq!(rec["lastActivityResourceID"], mock::TECH_RESOURCE_ID);
    let history: Vec<_> = futures::TryStreamExt::try_collect(c.list_audit_trail(&Id::from(1002)))
        .await
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.actor.as_deref(), Some("29682886"));

    // Every write carried the header; the plain client's did not.
    let writes = mock.writes();
    assert_eq!(writes.len(), 3);
    assert!(
        writes
            .iter()
            .all(|w| w.impersonation == Some(mock::TECH_RESOURCE_ID))
    );
    c.add_note(&Id::from(1001), NewNote::internal("As the API user"))
        .await
        .unwrap();
    assert_eq!(mock.writes().last().unwrap().impersonation, None);
}

#[tokio::test]
async fn reads_are_unchanged_and_api_only_resources_are_refused() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let view = c.act_as(&Id::from(mock::TECH_RESOURCE_ID)).unwrap();
    assert_eq!(
        view.get_ticket(&Id::from(1001)).await.unwrap(),
        c.get_ticket(&Id::from(1001)).await.unwrap()
    );
    assert!(mock.writes().is_empty());

    // Autotask never impersonates an API-only resource.
    let api = c.act_as(&Id::from(mock::API_USER_RESOURCE_ID)).unwrap();
    let e = api
        .add_note(&Id::from(1001), NewNote::internal("x"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Forbidden, "{e}");
    assert!(e.message().contains("API-only"), "{e}");

    let bad = c.act_as(&Id::text("jordan").unwrap()).unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidInput);
}
