//! `act_as`: writes attributed to another agent through the agent fields of
//! Halo's actions, read back and checked.

use chrono::{TimeZone, Utc};
use psa_core::{ErrorKind, Id, NewNote, NewTimeEntry, Psa, Resolution, Support, TicketPatch};
use psa_halo::HaloMock;
use std::time::Duration;

#[tokio::test]
async fn notes_time_and_resolutions_through_act_as_carry_the_agent() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    assert!(matches!(c.capabilities().act_as(), Support::Partial(_)));
    assert_eq!(c.acting_as(), None);
    let alex = c.act_as(&Id::from(2)).unwrap();
    assert_eq!(alex.acting_as(), Some(&Id::from(2)));

    let note = alex
        .add_note(&Id::from(1001), NewNote::internal("Checked the spooler"))
        .await
        .unwrap();
    assert_eq!(note.author.as_ref().unwrap().id, Id::from(2));
    let (t, a) = {
        let s = note.id.to_string();
        let (t, a) = s.split_once(':').unwrap();
        (t.parse::<i64>().unwrap(), a.parse::<i64>().unwrap())
    };
    let stored = mock.action(t, a).unwrap();
    assert_eq!(stored["who_agentid"], 2);
    assert_eq!(stored["actionby_agent_id"], 2);
    assert_eq!(stored["who_type"], 1);

    let start = Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).unwrap();
    let entry = alex
        .create_time_entry(NewTimeEntry::new(
            Id::from(1001),
            start,
            Duration::from_secs(1800),
        ))
        .await
        .unwrap();
    assert_eq!(entry.agent.as_ref().unwrap().id, Id::from(2));

    // A ticket update keeps the owner the patch gives; the resolution that
    // closes it is the agent's.
    let t = alex
        .update_ticket(
            &Id::from(1001),
            TicketPatch::new()
                .owner(Id::from(3))
                .status(Id::from(9))
                .resolution(Resolution::new("Spooler restarted")),
        )
        .await
        .unwrap();
    assert_eq!(t.owner.as_ref().unwrap().id, Id::from(3));
    let notes: Vec<_> = futures::TryStreamExt::try_collect(c.list_notes(&Id::from(1001)))
        .await
        .unwrap();
    let resolution = notes
        .iter()
        .find(|n| n.body == "Spooler restarted")
        .unwrap();
    assert_eq!(resolution.author.as_ref().unwrap().id, Id::from(2));

    // Reads are unchanged, and the view shares the client's token.
    assert_eq!(
        alex.get_ticket(&Id::from(1002)).await.unwrap(),
        c.get_ticket(&Id::from(1002)).await.unwrap()
    );
    assert_eq!(mock.token_requests(), 1);
}

#[tokio::test]
async fn an_attribution_halo_ignores_is_an_error_not_a_silent_success() {
    let mock = HaloMock::builder()
        .ignore_fields(["who_agentid", "actionby_agent_id"])
        .start()
        .await;
    let alex = mock.client().act_as(&Id::from(2)).unwrap();
    let e = alex
        .add_note(&Id::from(1001), NewNote::internal("Checked"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api, "{e}");
    assert!(e.to_string().contains("not agent 2"), "{e}");
    // Without act_as the same tenant writes as the application's agent.
    mock.client()
        .add_note(&Id::from(1001), NewNote::internal("Checked"))
        .await
        .unwrap();
}

#[tokio::test]
async fn act_as_refuses_what_is_no_agent_id_and_another_agents_time() {
    let mock = HaloMock::start().await;
    let c = mock.client();
    assert!(c.act_as(&Id::from(0)).unwrap_err().is_invalid_input());
    assert!(c.act_as(&Id::text("alex").unwrap()).is_err());
    let alex = c.act_as(&Id::from(2)).unwrap();
    let start = Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).unwrap();
    let e = alex
        .create_time_entry(
            NewTimeEntry::new(Id::from(1001), start, Duration::from_secs(600)).agent(Id::from(3)),
        )
        .await
        .unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
}
