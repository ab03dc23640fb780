//! Custom-field definitions: the custom fields on a record of the entity,
//! described by `/system/userDefinedFields`.

use psa_connectwise::ConnectWiseMock;
use psa_core::{CustomFieldEntity, CustomFieldKind, Psa};

#[tokio::test]
async fn ticket_definitions_carry_kind_required_and_list_values() {
    let mock = ConnectWiseMock::start().await;
    let psa = mock.client();
    let defs = psa
        .list_custom_fields(CustomFieldEntity::Ticket)
        .await
        .unwrap();
    let names: Vec<_> = defs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        ["Root Cause", "Story Points", "Escalated", "Category"]
    );
    let by = |n: &str| defs.iter().find(|d| d.name == n).unwrap();
    assert_eq!(by("Root Cause").kind, CustomFieldKind::Text);
    assert_eq!(by("Story Points").kind, CustomFieldKind::Integer);
    assert_eq!(by("Escalated").kind, CustomFieldKind::Boolean);
    let category = by("Category");
    assert_eq!(category.kind, CustomFieldKind::Picklist);
    assert!(category.required && !category.read_only);
    let options: Vec<_> = category
        .options
        .iter()
        .map(|o| (o.label.as_str(), o.active))
        .collect();
    assert_eq!(
        options,
        [("Hardware", true), ("Software", true), ("Legacy", false)]
    );
    assert!(category.check(&"Hardware".into()).is_ok());
    assert!(category.check(&"Nonsense".into()).is_err());
    assert_eq!(category.raw["podId"], 1);

    let configs = psa
        .list_custom_fields(CustomFieldEntity::Configuration)
        .await
        .unwrap();
    assert_eq!(configs.len(), 1);
    assert_eq!(configs[0].name, "Warranty Contract");
}

#[tokio::test]
async fn a_site_without_tickets_has_no_ticket_definitions() {
    let mock = ConnectWiseMock::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path_regex("/service/tickets$"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .with_priority(1)
        .mount(mock.server())
        .await;
    let psa = mock.client();
    let defs = psa
        .list_custom_fields(CustomFieldEntity::Ticket)
        .await
        .unwrap();
    assert!(defs.is_empty());
}
