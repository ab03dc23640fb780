//! Attribution: `Psa::act_as(agent)` writes with the member's impersonation
//! token, so ConnectWise records the member on what it creates; reads stay
//! the API member's.

use chrono::{TimeZone, Utc};
use psa_connectwise::ConnectWiseMock;
use psa_core::{Id, NewNote, NewTimeEntry, Psa, TicketPatch};
use std::time::Duration;

#[tokio::test]
async fn writes_through_the_view_are_the_agents() {
    let mock = ConnectWiseMock::start().await;
    let client = mock.client();
    assert!(client.capabilities().act_as().is_supported());
    let agents = client.list_agents().await.unwrap();
    let sam = agents
        .iter()
        .find(|a| a.name.contains("Patel"))
        .expect("seeded member Sam Patel")
        .id
        .clone();
    let listed = mock.api_requests_to("GET", "system/members");
    let view = client.act_as(&sam).unwrap();
    assert_eq!(view.acting_as(), Some(&sam));
    assert_eq!(client.acting_as(), None);

    // a read: the API member's keys, no member token, no member look-up
    let before = mock.request_count();
    view.get_ticket(&Id::from(1001)).await.unwrap();
    assert_eq!(mock.token_requests(), 0);
    assert_eq!(mock.request_count(), before + 1);

    // a note: its member is the agent, the same id list_agents gave
    let note = view
        .add_note(&Id::from(1001), NewNote::internal("Checked the fuser"))
        .await
        .unwrap();
    assert_eq!(note.author.as_ref().unwrap().id, sam);
    let stored = mock.notes_of(1001);
    let last = stored.last().unwrap();
    assert_eq!(last["member"]["identifier"], "spatel");
    assert_eq!(last["createdBy"], "spatel");

    // a time entry without an agent is the agent's
    let start = Utc.with_ymd_and_hms(2026, 3, 5, 9, 0, 0).unwrap();
    let entry = view
        .create_time_entry(NewTimeEntry::new(1001, start, Duration::from_secs(30 * 60)))
        .await
        .unwrap();
    assert_eq!(entry.agent.as_ref().unwrap().id, sam);

    // a ticket update is stamped as the agent's
    view.update_ticket(
        &Id::from(1001),
        TicketPatch::new().summary("Fuser replaced"),
    )
    .await
    .unwrap();
    assert_eq!(mock.ticket(1001).unwrap()["_info"]["updatedBy"], "spatel");
    assert_eq!(
        mock.write_identities()
            .iter()
            .filter(|w| *w == "spatel")
            .count(),
        3
    );

    // one token and one member look-up for every write and every view of
    // the member
    let again = client.act_as(&sam).unwrap();
    again
        .add_note(&Id::from(1002), NewNote::internal("Second view"))
        .await
        .unwrap();
    assert_eq!(mock.token_requests(), 1);
    assert_eq!(mock.api_requests_to("GET", "system/members"), listed + 1);

    // the client's own writes are still the API member's
    client
        .add_note(&Id::from(1002), NewNote::internal("As the integration"))
        .await
        .unwrap();
    assert_eq!(mock.write_identities().last().unwrap(), "psa.agent");
}

#[tokio::test]
async fn an_unknown_or_invalid_agent_is_refused() {
    let mock = ConnectWiseMock::start().await;
    let client = mock.client();
    let err = client.act_as(&Id::text("jdoe").unwrap()).unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    let err = client.act_as(&Id::from(-3)).unwrap_err();
    assert!(err.is_invalid_input(), "{err}");
    assert_eq!(mock.request_count(), 0);

    let view = client.act_as(&Id::from(999_999)).unwrap();
    let err = view
        .add_note(&Id::from(1001), NewNote::internal("nobody"))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(mock.token_requests(), 0);
    assert!(mock.notes_of(1001).iter().all(|n| n["text"] != "nobody"));
}
