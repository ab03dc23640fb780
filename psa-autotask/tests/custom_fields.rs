//! Custom-field definitions from `entityInformation/userDefinedFields`.

use psa_autotask::mock::AutotaskMock;
use psa_core::{CustomFieldEntity, CustomFieldKind, Psa, TicketPatch, validate_custom_fields};

#[tokio::test]
async fn definitions_of_every_entity() {
    let mock = AutotaskMock::start().await;
    let c = mock.client();
    let defs = c
        .list_custom_fields(CustomFieldEntity::Ticket)
        .await
        .unwrap();
    assert_eq!(
        mock.requests_to(
            "GET",
            "/ATServicesRest/V1.0/Tickets/entityInformation/userDefinedFields"
        ),
        1
    );
    let by = |n: &str| defs.iter().find(|d| d.name == n).unwrap();
    let r = by("Customer Ref");
    assert_eq!(r.kind, CustomFieldKind::Text);
    assert_eq!(r.max_length, Some(100));
    assert!(!r.required && !r.read_only);
    assert_eq!(r.entity, CustomFieldEntity::Ticket);
    assert_eq!(by("Root Cause").kind, CustomFieldKind::LongText);
    let site = by("Site");
    assert_eq!(site.kind, CustomFieldKind::Picklist);
    assert_eq!(site.options.len(), 2);
    assert_eq!(site.options[0].value, "1");
    assert_eq!(site.options[0].label, "Head office");

    // The definitions check a write before it is sent.
    let patch = TicketPatch::new().custom_field("Site", "7");
    assert!(
        validate_custom_fields(&defs, CustomFieldEntity::Ticket, &patch.custom_fields).is_err()
    );
    let patch = TicketPatch::new().custom_field("Site", "2");
    assert!(validate_custom_fields(&defs, CustomFieldEntity::Ticket, &patch.custom_fields).is_ok());
    let patch = TicketPatch::new().custom_field("Customer Ref", "x".repeat(101));
    assert!(
        validate_custom_fields(&defs, CustomFieldEntity::Ticket, &patch.custom_fields).is_err()
    );

    let company = c
        .list_custom_fields(CustomFieldEntity::Company)
        .await
        .unwrap();
    assert_eq!(company[0].name, "Contract Tier");
    let contact = c
        .list_custom_fields(CustomFieldEntity::Contact)
        .await
        .unwrap();
    assert_eq!(contact[0].name, "Preferred Channel");
    let ci = c
        .list_custom_fields(CustomFieldEntity::Configuration)
        .await
        .unwrap();
    assert_eq!(ci[0].kind, CustomFieldKind::Date);
    assert_eq!(
        mock.requests_to(
            "GET",
            "/ATServicesRest/V1.0/ConfigurationItems/entityInformation/userDefinedFields"
        ),
        1
    );
}
