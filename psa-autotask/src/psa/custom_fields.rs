//! Custom-field definitions: `GET /V1.0/{Entity}/entityInformation/userDefinedFields`.

use psa_core::{CustomFieldDef, CustomFieldEntity, Result};

use crate::client::Client;
use crate::mapping;

/// The Autotask entity whose user-defined fields a uniform entity has.
pub(crate) fn entity_of(entity: CustomFieldEntity) -> Result<&'static str> {
    Ok(match entity {
        CustomFieldEntity::Ticket => "Tickets",
        CustomFieldEntity::Company => "Companies",
        CustomFieldEntity::Contact => "Contacts",
        CustomFieldEntity::Configuration => "ConfigurationItems",
        other => {
            return Err(psa_core::Error::invalid_input(format!(
                "Autotask has no user-defined fields for {other} records"
            )));
        }
    })
}

pub(super) async fn list(
    client: &Client,
    entity: CustomFieldEntity,
) -> Result<Vec<CustomFieldDef>> {
    let name = entity_of(entity)?;
    let fields = client.entity_udfs(name).send().await?;
    Ok(fields
        .fields
        .iter()
        .map(|f| mapping::custom_field_def(f, entity))
        .collect())
}
