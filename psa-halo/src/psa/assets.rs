//! Configurations: Halo assets.

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use psa_core::{
    Configuration, ConfigurationPatch, ConfigurationQuery, Id, NewConfiguration, Result,
};

use super::first;
use super::parties::COMPANY_ID;
use crate::client::Client;
use crate::mapping;

/// The name of an asset id in errors.
const ASSET_ID: &str = "halo asset id";

pub(super) async fn get(c: &Client, id: &Id) -> Result<Configuration> {
    mapping::configuration(&c.assets().get(id.require_int(ASSET_ID)?).send().await?)
}

pub(super) fn list<'a>(
    c: &'a Client,
    query: &ConfigurationQuery,
) -> Result<BoxStream<'a, Result<Configuration>>> {
    let mut list = c.assets().list();
    if let Some(company) = &query.company {
        list = list.client_id(company.require_int(COMPANY_ID)?);
    }
    if let Some(n) = &query.name {
        list = list.search(n);
    }
    if query.include_inactive {
        list = list.include_inactive();
    }
    if let Some(n) = query.limit {
        list = list.limit(n);
    }
    Ok(list
        .stream()
        .and_then(|a| async move { mapping::configuration(&a) })
        .boxed())
}

pub(super) async fn create(c: &Client, config: NewConfiguration) -> Result<Configuration> {
    let a = mapping::new_configuration(&config)?;
    let saved = first(c.assets().create([a]).send().await?, "asset create")?;
    mapping::configuration(&saved)
}

pub(super) async fn update(
    c: &Client,
    id: &Id,
    patch: ConfigurationPatch,
) -> Result<Configuration> {
    let a = mapping::configuration_patch(id.require_int(ASSET_ID)?, &patch)?;
    let saved = first(c.assets().update([a]).send().await?, "asset update")?;
    mapping::configuration(&saved)
}
