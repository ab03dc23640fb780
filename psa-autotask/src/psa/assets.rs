//! Configurations (Autotask configuration items): read, list, create, update.

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::{
    Configuration, ConfigurationPatch, ConfigurationQuery, Error, Id, NewConfiguration, Result,
};
use serde_json::{Map, json};

use super::{company_value, listing, opt_value_id, record_id, text_arg};
use crate::client::Client;
use crate::mapping::{self, put, udfs_from};
use crate::query::{Filter, Query};

/// Configuration item `id` as a uniform configuration.
async fn one(client: &Client, id: i64) -> Result<Configuration> {
    let (ci, raw) = client.configuration_items().get(id).send_record().await?;
    let pl = client.picklists("ConfigurationItems").await?;
    Ok(mapping::configuration(&ci, raw, &pl))
}

pub(super) async fn get(client: &Client, id: &Id) -> Result<Configuration> {
    one(client, record_id(id, "configuration id")?).await
}

pub(super) fn list(
    client: &Client,
    query: ConfigurationQuery,
) -> BoxStream<'_, Result<Configuration>> {
    stream::once(async move {
        let mut q = Query::new();
        if let Some(c) = query.company.as_ref().map(company_value).transpose()? {
            q = q.filter(Filter::eq("companyID", c));
        }
        if let Some(name) = &query.name {
            q = q.filter(Filter::contains(
                "referenceTitle",
                text_arg("configuration name", name)?,
            ));
        }
        if !query.include_inactive {
            q = q.filter(Filter::eq("isActive", true));
        }
        if q.filter_list().is_empty() {
            q = Query::all();
        }
        q.validate()?;
        let pl = client.picklists("ConfigurationItems").await?;
        Ok::<_, Error>(listing(
            Ok(client.configuration_items().list(q)),
            query.limit,
            move |ci, raw| mapping::configuration(ci, raw, &pl),
        ))
    })
    .try_flatten()
    .boxed()
}

pub(super) async fn create(client: &Client, config: NewConfiguration) -> Result<Configuration> {
    config.validate()?;
    let product = client.configuration_product().ok_or_else(|| {
        Error::invalid_input(
            "Autotask requires a product for a configuration item; set ClientBuilder::configuration_product",
        )
    })?;
    let mut body = Map::new();
    body.insert("companyID".into(), json!(company_value(&config.company)?));
    body.insert("productID".into(), json!(product));
    body.insert("isActive".into(), json!(true));
    body.insert("referenceTitle".into(), json!(config.name));
    put(
        &mut body,
        "configurationItemType",
        opt_value_id(config.configuration_type.as_ref(), "configuration type id")?,
    );
    put(&mut body, "serialNumber", config.serial_number.as_ref());
    if !config.custom_fields.is_empty() {
        body.insert("userDefinedFields".into(), udfs_from(&config.custom_fields));
    }
    let id = client
        .configuration_items()
        .create_fields(body)
        .send()
        .await?;
    one(client, id).await
}

pub(super) async fn update(
    client: &Client,
    id: &Id,
    patch: ConfigurationPatch,
) -> Result<Configuration> {
    patch.validate()?;
    let id = record_id(id, "configuration id")?;
    let mut body = Map::new();
    put(&mut body, "referenceTitle", patch.name.as_ref());
    put(
        &mut body,
        "configurationItemType",
        opt_value_id(patch.configuration_type.as_ref(), "configuration type id")?,
    );
    put(&mut body, "serialNumber", patch.serial_number.as_ref());
    put(&mut body, "isActive", patch.active);
    if !patch.custom_fields.is_empty() {
        body.insert("userDefinedFields".into(), udfs_from(&patch.custom_fields));
    }
    client.configuration_items().update(id, body).send().await?;
    one(client, id).await
}
