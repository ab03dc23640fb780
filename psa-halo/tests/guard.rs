//! A `psa_permissions::Guarded` denial makes no request.

use futures::TryStreamExt;
use psa_core::{Access, Id, NewNote, PermissionGroup, Psa, RawRequest, TicketPatch, TicketQuery};
use psa_halo::HaloMock;
use psa_permissions::{Guarded, Policy};

#[tokio::test]
async fn denied_calls_never_reach_halo() {
    let mock = HaloMock::start().await;
    let bot = Guarded::new(mock.client(), Policy::read_only()).with_label("triage-bot");

    // Reads are allowed and go through.
    let open: Vec<_> = bot.list_tickets(TicketQuery::open()).try_collect().await.unwrap();
    assert!(!open.is_empty());
    let before = mock.request_count();

    let denied = [
        bot.update_ticket(&Id::from(1001), TicketPatch::new().priority(Id::from(1))).await.unwrap_err(),
        bot.add_note(&Id::from(1001), NewNote::internal("hello")).await.unwrap_err(),
        bot.delete_ticket(&Id::from(1001)).await.unwrap_err(),
        bot.merge_tickets(&Id::from(1001), &[Id::from(1002)]).await.unwrap_err(),
        bot.raw(RawRequest::post("Tickets", serde_json::json!([{"id": 1001}]))).await.unwrap_err(),
        bot.raw(RawRequest::get("Invoice")).await.unwrap_err(),
    ];
    for err in &denied {
        assert!(err.is_permission_denied(), "{err}");
    }
    assert_eq!(mock.request_count(), before, "a denied call makes no request");
    let ticket = mock.record("tickets", 1001).unwrap();
    assert_eq!(ticket["priority_id"], 3, "nothing changed");

    // A narrower grant: notes only, internal only.
    let notes = Guarded::new(
        mock.client(),
        Policy::read_only()
            .grant(PermissionGroup::TicketNotes, Access::ReadWrite)
            .fields(["internal"]),
    );
    assert!(notes.add_note(&Id::from(1001), NewNote::customer("hi")).await.unwrap_err().is_permission_denied());
    assert_eq!(mock.request_count(), before);
    notes.add_note(&Id::from(1001), NewNote::internal("allowed")).await.unwrap();
    assert!(mock.request_count() > before);
}
