//! SLA timers from Autotask's ticket fields.

use chrono::{TimeZone, Utc};
use psa_autotask::mock::AutotaskMock;
use psa_core::{Id, Psa, Resolution, TicketPatch};

#[tokio::test]
async fn tickets_carry_their_sla_timers() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();

    let t = c.get_ticket(&Id::from(1001)).await.unwrap();
    let sla = t.sla.expect("ticket 1001 has an SLA");
    assert_eq!(
        sla.sla.as_ref().and_then(|r| r.name.as_deref()),
        Some("Standard SLA")
    );
    assert_eq!(
        sla.response_due,
        Some(Utc.with_ymd_and_hms(2026, 11, 1, 1, 15, 0).unwrap())
    );
    assert_eq!(
        sla.responded_at,
        Some(Utc.with_ymd_and_hms(2026, 11, 1, 0, 45, 0).unwrap())
    );
    assert_eq!(
        sla.resolution_due,
        Some(Utc.with_ymd_and_hms(2026, 11, 2, 17, 0, 0).unwrap())
    );
    assert_eq!(sla.resolved_at, None);
    assert_eq!(sla.response_breached, Some(false));
    assert_eq!(sla.resolution_breached, None);
    assert_eq!(sla.paused, Some(false));

    // A late first response is a missed response target.
    let late = c.get_ticket(&Id::from(1004)).await.unwrap().sla.unwrap();
    assert_eq!(late.response_breached, Some(true));
    assert_eq!(
        late.sla.as_ref().and_then(|r| r.name.as_deref()),
        Some("Premium 4-hour SLA")
    );
    // Waiting on the customer: the clock is on hold.
    let waiting = c.get_ticket(&Id::from(1003)).await.unwrap().sla.unwrap();
    assert_eq!(waiting.paused, Some(true));
    // Resolved before its due time.
    let done = c.get_ticket(&Id::from(1005)).await.unwrap().sla.unwrap();
    assert_eq!(
        done.resolved_at,
        Some(Utc.with_ymd_and_hms(2026, 11, 6, 16, 0, 0).unwrap())
    );
    assert_eq!(done.resolution_breached, Some(false));

    // Completing a ticket records when it was resolved.
    let t = c
        .update_ticket(
            &Id::from(1001),
            TicketPatch::new()
                .status(Id::from(5))
                .resolution(Resolution::new("Replaced the fuser.")),
        )
        .await
        .unwrap();
    let sla = t.sla.unwrap();
    assert!(sla.resolved_at.is_some());
    assert_eq!(
        sla.resolution_breached,
        Some(true),
        "resolved after 2026-11-02"
    );
}
