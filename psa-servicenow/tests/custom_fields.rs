//! Custom-field definitions from `sys_dictionary` and `sys_choice`.

#![allow(clippy::unwrap_used)]

use psa_core::{CustomFieldEntity, CustomFieldKind, Psa};
use psa_servicenow::mock::ServiceNowMock;

#[tokio::test]
async fn definitions_come_from_the_dictionary() {
    let mock = ServiceNowMock::start().await;
    let client = mock.client();
    assert!(
        client
            .capabilities()
            .support(psa_core::Operation::ListCustomFields)
            .is_supported()
    );
    let defs = client
        .list_custom_fields(CustomFieldEntity::Ticket)
        .await
        .unwrap();
    let names: Vec<_> = defs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        ["u_contract_ref", "u_escalation_tier", "u_customer_visible"],
        "incident's then task's, baseline columns skipped"
    );
    let contract = &defs[0];
    assert_eq!(contract.kind, CustomFieldKind::Text);
    assert_eq!(contract.max_length, Some(40));
    assert_eq!(contract.label.as_deref(), Some("Contract reference"));
    assert!(!contract.required);
    let tier = &defs[1];
    assert_eq!(tier.kind, CustomFieldKind::Picklist);
    assert!(tier.required);
    let opts: Vec<_> = tier
        .options
        .iter()
        .map(|o| (o.label.as_str(), o.active))
        .collect();
    assert_eq!(
        opts,
        [
            ("Tier 1", true),
            ("Tier 2", true),
            ("Tier 3 (retired)", false)
        ]
    );
    assert!(tier.check(&serde_json::json!("2")).is_ok());
    assert!(
        tier.check(&serde_json::json!("3")).is_err(),
        "inactive choice"
    );
    assert_eq!(defs[2].kind, CustomFieldKind::Boolean);

    let company = client
        .list_custom_fields(CustomFieldEntity::Company)
        .await
        .unwrap();
    assert_eq!(company.len(), 1);
    assert_eq!(company[0].kind, CustomFieldKind::Integer);
    assert!(company[0].read_only);
    let users = client
        .list_custom_fields(CustomFieldEntity::Contact)
        .await
        .unwrap();
    assert_eq!(users[0].kind, CustomFieldKind::LongText);
    assert_eq!(users[0].max_length, Some(4000));
    assert!(
        client
            .list_custom_fields(CustomFieldEntity::Configuration)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(mock.unexpected_requests(), 0);
}
