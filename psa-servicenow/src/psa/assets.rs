//! Configurations: configuration items (`cmdb_ci` and its classes).

use futures::stream::BoxStream;
use psa_core::psa::error_stream;
use psa_core::{
    Configuration, ConfigurationPatch, ConfigurationQuery, Id, NewConfiguration, Result,
};
use serde_json::Value;

use super::{decode, field_text, with_custom};
use crate::client::Client;
use crate::ids::sys_id_of;
use crate::mapping;
use crate::models::CmdbCi;
use crate::query::{Query, Term};

fn configuration(raw: Value) -> Result<Configuration> {
    let ci: CmdbCi = decode(&raw, "configuration item")?;
    mapping::configuration(&ci, raw)
}

fn fields(c: &Client) -> Vec<String> {
    with_custom(mapping::CI_FIELDS, &c.config().custom_fields)
}

pub(super) async fn get_configuration(c: &Client, id: &Id) -> Result<Configuration> {
    let sys = sys_id_of(id, &["cmdb_ci"], "configuration id")?;
    let raw = c
        .table("cmdb_ci")
        .get(&sys)
        .fields(fields(c))
        .exclude_reference_link(true)
        .send()
        .await?;
    configuration(raw)
}

fn configuration_query(query: &ConfigurationQuery) -> Result<Query> {
    query.validate()?;
    let mut q = Query::new();
    if let Some(c) = &query.company {
        q = q.eq(
            "company",
            sys_id_of(c, &["core_company"], "company id")?.as_str(),
        );
    }
    if let Some(n) = query
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        q = q.and(Term::like("name", n));
    }
    if !query.include_inactive {
        q = q.and(Term::ne("install_status", mapping::CI_RETIRED));
    }
    Ok(q.order_by("name").order_by("sys_id"))
}

pub(super) fn list_configurations<'a>(
    c: &'a Client,
    query: &ConfigurationQuery,
) -> BoxStream<'a, Result<Configuration>> {
    let q = match configuration_query(query) {
        Ok(q) => q,
        Err(e) => return error_stream(e),
    };
    c.mapped("cmdb_ci", q, fields(c), query.limit, configuration)
}

pub(super) async fn create_configuration(
    c: &Client,
    config: NewConfiguration,
) -> Result<Configuration> {
    let class = mapping::ci_class(config.configuration_type.as_ref())?;
    let body = mapping::new_configuration_body(&config)?;
    let raw = c
        .table(class)
        .create(Value::Object(body))
        .fields(fields(c))
        .exclude_reference_link(true)
        .send()
        .await?;
    configuration(raw)
}

pub(super) async fn update_configuration(
    c: &Client,
    id: &Id,
    patch: ConfigurationPatch,
) -> Result<Configuration> {
    let sys = sys_id_of(id, &["cmdb_ci"], "configuration id")?;
    let class = match &patch.configuration_type {
        Some(_) => {
            let current = c
                .table("cmdb_ci")
                .get(&sys)
                .fields(["sys_class_name"])
                .send()
                .await?;
            field_text(&current, "sys_class_name").unwrap_or_else(|| "cmdb_ci".to_owned())
        }
        None => String::new(),
    };
    let body = mapping::configuration_patch_body(&patch, &class)?;
    let raw = c
        .table("cmdb_ci")
        .update(&sys, Value::Object(body))
        .fields(fields(c))
        .exclude_reference_link(true)
        .send()
        .await?;
    configuration(raw)
}
