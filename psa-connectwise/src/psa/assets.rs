//! Configurations: read, list, create (custom fields by a follow-up
//! `PATCH`) and update.

use futures::stream::BoxStream;
use psa_core::{
    Configuration, ConfigurationPatch, ConfigurationQuery, Id, NewConfiguration, Result,
};

use super::{created_id, custom_fields_not_set, int, map_stream};
use crate::client::Client;
use crate::mapping::{self, int_id};
use crate::query::{Condition, fields as f};

pub(super) async fn get(client: &Client, id: &Id) -> Result<Configuration> {
    let id = int(id, "configuration")?;
    mapping::configuration(&client.configurations().get(id).send().await?)
}

pub(super) fn list<'a>(
    client: &'a Client,
    query: &ConfigurationQuery,
) -> BoxStream<'a, Result<Configuration>> {
    let build = || {
        query.validate()?;
        let mut c = Vec::new();
        if let Some(co) = &query.company {
            c.push(f::COMPANY_ID.eq(int_id(co, "company id")?));
        }
        if let Some(n) = &query.name {
            c.push(f::NAME.contains(n.clone()));
        }
        if !query.include_inactive {
            c.push(f::ACTIVE_FLAG.eq(true));
        }
        let mut list = client
            .configurations()
            .list()
            .forward_only()
            .conditions(Condition::all(c));
        if let Some(l) = query.limit {
            list = list.limit(l);
        }
        Ok(list)
    };
    map_stream(build, mapping::configuration)
}

pub(super) async fn create(client: &Client, config: NewConfiguration) -> Result<Configuration> {
    let body = mapping::new_configuration(&config)?;
    let created = client.configurations().create(&body).send().await?;
    if config.custom_fields.is_empty() {
        return mapping::configuration(&created);
    }
    let id = created_id(created.id, "configuration")?;
    let mut patch = ConfigurationPatch::new();
    patch.custom_fields = config.custom_fields.clone();
    let set = async {
        let ops = mapping::configuration_patch(&patch, Some(&created))?;
        client.configurations().update(id, &ops).send().await
    };
    match set.await {
        Ok(c) => mapping::configuration(&c),
        Err(e) => Err(custom_fields_not_set("configuration", id, e)),
    }
}

pub(super) async fn update(
    client: &Client,
    id: &Id,
    patch: ConfigurationPatch,
) -> Result<Configuration> {
    let id = int(id, "configuration")?;
    patch.validate()?;
    let current = if patch.custom_fields.is_empty() {
        None
    } else {
        Some(client.configurations().get(id).send().await?)
    };
    let ops = mapping::configuration_patch(&patch, current.as_ref())?;
    mapping::configuration(&client.configurations().update(id, &ops).send().await?)
}
