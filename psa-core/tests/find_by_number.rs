//! Issue 12: a ticket by the number people quote, through the uniform API —
//! the default `Psa::find_ticket_by_number` over `list_tickets` with the
//! `TicketQuery::number` filter.
#![allow(clippy::unwrap_used)]

use std::sync::Mutex;

use futures::stream::{self, BoxStream, StreamExt};
use psa_core::{Id, Operation, Psa, Result, Ticket, TicketQuery, TicketState, Vendor};

/// A vendor that lists `tickets` whatever the query (as one that ignored
/// the number filter would), and records the queries it was given.
#[derive(Debug, Default)]
struct Listing {
    tickets: Vec<Ticket>,
    queries: Mutex<Vec<TicketQuery>>,
}

#[async_trait::async_trait]
impl Psa for Listing {
    fn vendor(&self) -> Vendor {
        Vendor::ServiceNow
    }
    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        self.queries.lock().unwrap().push(query);
        stream::iter(self.tickets.clone().into_iter().map(Ok)).boxed()
    }
}

fn numbered(id: &str, number: &str) -> Ticket {
    let mut t = Ticket::new(Id::text(id).unwrap(), "Printer offline");
    t.number = Some(number.to_owned());
    t
}

#[tokio::test]
async fn the_default_lists_with_the_number_filter_and_checks_what_comes_back() {
    let psa = Listing {
        tickets: vec![
            numbered("incident:aaa", "INC0010002"),
            numbered("incident:bbb", "INC0010001"),
        ],
        ..Listing::default()
    };
    let t = psa.find_ticket_by_number("  #inc0010001 ").await.unwrap();
    assert_eq!(t.id, Id::text("incident:bbb").unwrap());
    let queries = psa.queries.lock().unwrap().clone();
    assert_eq!(queries.len(), 1);
    assert_eq!(queries[0].number.as_deref(), Some("inc0010001"));
    assert_eq!(queries[0].state, TicketState::Any, "open or closed");
    assert!(queries[0].validate().is_ok());
}

#[tokio::test]
async fn a_number_no_ticket_has_is_not_found_never_another_ticket() {
    // The vendor ignored the filter: none of what it returned is the ticket.
    let psa = Listing {
        tickets: (0..50)
            .map(|i| numbered(&format!("incident:t{i}"), &format!("INC00200{i:02}")))
            .collect(),
        ..Listing::default()
    };
    let e = psa.find_ticket_by_number("INC0010001").await.unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert_eq!(e.vendor(), Some(Vendor::ServiceNow));
    assert!(e.to_string().contains("INC0010001"), "{e}");
    // An empty answer is not found either.
    let empty = Listing::default();
    assert!(
        empty
            .find_ticket_by_number("T20261203.0001")
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn tickets_without_a_separate_number_match_by_id() {
    let psa = Listing {
        tickets: vec![
            Ticket::new(Id::from(1234), "a"),
            Ticket::new(Id::from(12345), "b"),
        ],
        ..Listing::default()
    };
    let t = psa.find_ticket_by_number("12345").await.unwrap();
    assert_eq!(t.id, Id::from(12345));
}

#[tokio::test]
async fn text_that_is_no_ticket_number_is_refused_before_any_request() {
    let psa = Listing::default();
    for bad in [
        "",
        "  ",
        "#",
        "INC1^ORactive=true",
        "1 OR 1=1",
        "INC\u{0}1",
        "１２３",
    ] {
        let e = psa.find_ticket_by_number(bad).await.unwrap_err();
        assert!(e.is_invalid_input(), "{bad:?}: {e}");
    }
    assert!(psa.queries.lock().unwrap().is_empty(), "nothing was listed");
}

#[tokio::test]
async fn a_vendor_that_cannot_list_says_find_by_number_is_unsupported() {
    #[derive(Debug)]
    struct Nothing;
    #[async_trait::async_trait]
    impl Psa for Nothing {
        fn vendor(&self) -> Vendor {
            Vendor::Halo
        }
    }
    let e = Nothing.find_ticket_by_number("12345").await.unwrap_err();
    assert!(e.is_unsupported(), "{e}");
    assert!(e.to_string().contains("find_ticket_by_number"), "{e}");
    assert_eq!(
        Operation::FindTicketByNumber.descriptor().group,
        psa_core::PermissionGroup::Tickets
    );
    assert_eq!(
        Operation::FindTicketByNumber.descriptor().kind,
        psa_core::OpKind::Read
    );
}
