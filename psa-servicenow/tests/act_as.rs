//! `Psa::act_as`: writes authenticate as the agent with the agent's own
//! login, so that ServiceNow records the agent; reads are unchanged.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use psa_core::{Id, NewNote, NewTimeEntry, Psa, TicketPatch};
use psa_servicenow::AgentLogin;
use psa_servicenow::mock::{ServiceNowMock, seed};
use secrecy::SecretString;

const BETH_PASSWORD: &str = "beth-password-7f3a";

fn id(s: &str) -> Id {
    Id::text(s).unwrap()
}

fn beth() -> Id {
    id(&format!("sys_user:{}", seed::BETH_ANGLIN))
}

#[tokio::test]
async fn writes_through_act_as_are_the_agents() {
    let mock = ServiceNowMock::start().await;
    mock.set_password("beth.anglin", BETH_PASSWORD);
    let builder = mock.client_builder().agent_login(
        format!("sys_user:{}", seed::BETH_ANGLIN),
        AgentLogin::new("beth.anglin", SecretString::from(BETH_PASSWORD)),
    );
    assert!(!format!("{builder:?}").contains(BETH_PASSWORD));
    let client = builder.build().unwrap();
    assert!(client.capabilities().act_as().is_supported());
    let agents = client.list_agents().await.unwrap();
    assert!(agents.iter().any(|a| a.id == beth()), "{agents:?}");

    let as_beth = client.act_as(&beth()).unwrap();
    assert_eq!(as_beth.acting_as(), Some(&beth()));
    assert!(!format!("{as_beth:?}").contains(BETH_PASSWORD));
    assert_eq!(client.acting_as(), None);
    let ticket = id(&format!("incident:{}", seed::INC_PRINTER));

    // A note: the journal entry's author is Beth.
    let note = as_beth
        .add_note(&ticket, NewNote::internal("swapped the toner"))
        .await
        .unwrap();
    let journal = mock.records("sys_journal_field");
    let entry = journal
        .iter()
        .find(|j| j["value"] == "swapped the toner")
        .unwrap();
    assert_eq!(entry["sys_created_by"], "beth.anglin");
    assert_eq!(
        note.author.as_ref().map(|a| &a.id),
        Some(&beth()),
        "the note's author is the agent list_agents returns"
    );

    // A ticket update: sys_updated_by is Beth.
    as_beth
        .update_ticket(
            &ticket,
            TicketPatch::new().summary("Printer offline (toner)"),
        )
        .await
        .unwrap();
    let rec = mock.record("incident", seed::INC_PRINTER).unwrap();
    assert_eq!(rec["sys_updated_by"], "beth.anglin");

    // A time entry: created by Beth.
    let entry = as_beth
        .create_time_entry(NewTimeEntry::new(
            ticket.clone(),
            mock.now(),
            std::time::Duration::from_secs(900),
        ))
        .await
        .unwrap();
    let sys = entry.id.to_string();
    let sys = sys.rsplit(':').next().unwrap();
    let rec = mock.record("task_time_worked", sys).unwrap();
    assert_eq!(rec["sys_created_by"], "beth.anglin");

    // The client itself still writes as the integration user.
    client
        .update_ticket(&ticket, TicketPatch::new().summary("Printer offline"))
        .await
        .unwrap();
    let rec = mock.record("incident", seed::INC_PRINTER).unwrap();
    assert_eq!(rec["sys_updated_by"], seed::INTEGRATION_USER);

    // One token for Beth however many views: cached per agent.
    let before = mock.token_requests();
    let again = client.act_as(&beth()).unwrap();
    again
        .add_note(&ticket, NewNote::internal("again"))
        .await
        .unwrap();
    assert_eq!(mock.token_requests(), before, "Beth's token was reused");
}

#[tokio::test]
async fn an_agent_without_a_login_is_unsupported() {
    let mock = ServiceNowMock::start().await;
    // The simulator's own client holds its seeded agents' logins; a client
    // configured with the OAuth client only holds none.
    assert!(mock.client().capabilities().act_as().is_supported());
    let plain = psa_servicenow::Client::builder()
        .base_url(mock.uri())
        .auth(psa_servicenow::Auth::client_credentials(
            seed::CLIENT_ID,
            SecretString::from(seed::CLIENT_SECRET),
        ))
        .build()
        .unwrap();
    assert!(!plain.capabilities().act_as().is_supported());
    let e = plain.act_as(&beth()).err().unwrap();
    assert!(e.is_unsupported(), "{e}");
    assert!(e.to_string().contains("agent_login"), "{e}");
    // Not a sys_user id: refused as input.
    let e = plain
        .act_as(&id("core_company:81fca4cbac1d55eb4cb89f136b4e7cd4"))
        .err()
        .unwrap();
    assert!(e.is_invalid_input(), "{e}");
    // A bad agent key is a configuration error.
    assert!(
        mock.client_builder()
            .agent_login(
                "beth",
                AgentLogin::new("beth.anglin", SecretString::from("x"))
            )
            .build()
            .unwrap_err()
            .is_config()
    );

    let client = psa_servicenow::Client::builder()
        .base_url(mock.uri())
        .auth(psa_servicenow::Auth::client_credentials(
            seed::CLIENT_ID,
            SecretString::from(seed::CLIENT_SECRET),
        ))
        .agent_login(
            seed::BETH_ANGLIN,
            AgentLogin::new("beth.anglin", SecretString::from(BETH_PASSWORD)),
        )
        .build()
        .unwrap();
    let david = id(&format!("sys_user:{}", seed::DAVID_LOO));
    let e = client.act_as(&david).err().unwrap();
    assert!(e.is_unsupported(), "{e}");
    assert_eq!(mock.request_count(), 0, "refused before any request");
}

#[tokio::test]
async fn a_provider_gives_logins_on_demand_and_tokens_are_single_flight() {
    let mock = ServiceNowMock::start().await;
    mock.set_password("david.loo", "david-password-11");
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let client = mock
        .client_builder()
        .agent_login_provider(move |sys_id| {
            counter.fetch_add(1, Ordering::SeqCst);
            (sys_id == seed::DAVID_LOO)
                .then(|| AgentLogin::new("david.loo", SecretString::from("david-password-11")))
        })
        .build()
        .unwrap();
    let david = id(seed::DAVID_LOO);
    let ticket = id(&format!("incident:{}", seed::INC_VPN));
    let view = client.act_as(&david).unwrap();
    // The client's own token first: the notes read the ticket with it.
    client.get_ticket(&ticket).await.unwrap();
    let before = mock.token_requests();
    let notes = (0..8).map(|i| {
        let view = Arc::clone(&view);
        let ticket = ticket.clone();
        async move {
            view.add_note(&ticket, NewNote::internal(format!("check {i}")))
                .await
        }
    });
    for n in futures::future::join_all(notes).await {
        n.unwrap();
    }
    assert_eq!(mock.token_requests() - before, 1, "one token for David");
    assert!(
        mock.records("sys_journal_field")
            .iter()
            .filter(|j| j["value"].as_str().is_some_and(|v| v.starts_with("check ")))
            .all(|j| j["sys_created_by"] == "david.loo")
    );
    // Reads are the client's own (its token, already held).
    let before = mock.token_requests();
    view.get_ticket(&ticket).await.unwrap();
    assert_eq!(mock.token_requests(), before);
    assert!(client.act_as(&beth()).is_err());
    assert!(asked.load(Ordering::SeqCst) >= 2);
}
