//! Products (Service Catalog items) and the read-only records: contracts,
//! SLA definitions, projects and knowledge articles.

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use psa_core::psa::error_stream;
use psa_core::{
    Agreement, AgreementQuery, Error, Id, KbArticle, KbQuery, LineItem, Operation, Product,
    ProductQuery, Project, ProjectQuery, Result, Sla, Vendor,
};

use super::{decode, owned, with_custom};
use crate::caps;
use crate::client::Client;
use crate::error::is_invalid_table;
use crate::ids::sys_id_of;
use crate::mapping;
use crate::models::{AstContract, ContractSla, KbKnowledge, PmProject, ScCatItem};
use crate::query::{Query, Term};

/// A query on the records of `company` (a `core_company` id) in `field`,
/// or on all records without one.
fn company_filter(field: &str, company: Option<&Id>) -> Result<Query> {
    let q = Query::new();
    match company {
        Some(c) => Ok(q.eq(
            field,
            sys_id_of(c, &["core_company"], "company id")?.as_str(),
        )),
        None => Ok(q),
    }
}

pub(super) fn search_products<'a>(
    c: &'a Client,
    query: &ProductQuery,
) -> BoxStream<'a, Result<Product>> {
    if let Err(e) = query.validate() {
        return error_stream(e);
    }
    let mut q = Query::new();
    if let Some(t) = query
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        q = q.or([Term::like("name", t), Term::like("short_description", t)]);
    }
    if !query.include_inactive {
        q = q.eq("active", "true");
    }
    let q = q.order_by("name").order_by("sys_id");
    let fields = owned(&["sys_id", "name", "short_description", "price", "active"]);
    c.mapped("sc_cat_item", q, fields, query.limit, |raw| {
        let item: ScCatItem = decode(&raw, "catalog item")?;
        mapping::product(&item, raw)
    })
}

pub(super) fn add_ticket_product() -> Result<LineItem> {
    Err(caps::unsupported(Operation::AddTicketProduct))
}

pub(super) fn list_agreements<'a>(
    c: &'a Client,
    query: &AgreementQuery,
) -> BoxStream<'a, Result<Agreement>> {
    let mut q = match company_filter("customer", query.company.as_ref()) {
        Ok(q) => q,
        Err(e) => return error_stream(e),
    };
    if !query.include_inactive {
        q = q.eq("active", "true");
    }
    let q = q.order_by("number").order_by("sys_id");
    let fields = with_custom(mapping::CONTRACT_FIELDS, &c.config().custom_fields);
    c.mapped("ast_contract", q, fields, None, |raw| {
        let contract: AstContract = decode(&raw, "contract")?;
        mapping::agreement(&contract, raw)
    })
}

pub(super) fn list_slas(c: &Client) -> BoxStream<'_, Result<Sla>> {
    let q = Query::new()
        .eq("active", "true")
        .order_by("name")
        .order_by("sys_id");
    let fields = owned(&[
        "sys_id",
        "name",
        "type",
        "target",
        "collection",
        "duration",
        "active",
    ]);
    c.mapped("contract_sla", q, fields, None, |raw| {
        let s: ContractSla = decode(&raw, "SLA definition")?;
        mapping::sla(&s, raw)
    })
}

pub(super) fn list_projects<'a>(
    c: &'a Client,
    query: &ProjectQuery,
) -> BoxStream<'a, Result<Project>> {
    let mut q = match company_filter("company", query.company.as_ref()) {
        Ok(q) => q,
        Err(e) => return error_stream(e),
    };
    if !query.include_closed {
        q = q.eq("active", "true");
    }
    let q = q.order_by("number").order_by("sys_id");
    c.labeled(
        "pm_project",
        "pm_project",
        vec!["state"],
        q,
        owned(mapping::PROJECT_FIELDS),
        query.limit,
        |raw, labels| {
            let p: PmProject = decode(&raw, "project")?;
            mapping::project(&p, raw, labels)
        },
    )
    .map_err(|e| {
        // An instance without Project Portfolio Management has no such table.
        if e.api_body().is_some_and(is_invalid_table) {
            Error::unsupported(
                Vendor::ServiceNow,
                format!(
                    "{} ({})",
                    caps::PROJECTS,
                    e.api_body()
                        .and_then(|b| b.message.clone())
                        .unwrap_or_default()
                ),
            )
        } else {
            e
        }
    })
    .boxed()
}

pub(super) fn search_kb_articles<'a>(
    c: &'a Client,
    query: &KbQuery,
) -> BoxStream<'a, Result<KbArticle>> {
    if let Err(e) = query.validate() {
        return error_stream(e);
    }
    let mut q = Query::new().eq("workflow_state", "published");
    if let Some(t) = query
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        q = if c.config().kb_text_index {
            q.and(Term::text_search(t))
        } else {
            q.or([Term::like("short_description", t), Term::like("text", t)])
        };
    }
    let q = q.order_by("number").order_by("sys_id");
    c.mapped(
        "kb_knowledge",
        q,
        owned(mapping::KB_FIELDS),
        query.limit,
        |raw| {
            let k: KbKnowledge = decode(&raw, "knowledge article")?;
            mapping::kb_article(&k, raw)
        },
    )
}

pub(super) async fn get_kb_article(c: &Client, id: &Id) -> Result<KbArticle> {
    let sys = sys_id_of(id, &["kb_knowledge"], "knowledge article id")?;
    let raw = c
        .table("kb_knowledge")
        .get(&sys)
        .fields(mapping::KB_FIELDS.iter().copied())
        .exclude_reference_link(true)
        .send()
        .await?;
    let k: KbKnowledge = decode(&raw, "knowledge article")?;
    mapping::kb_article(&k, raw)
}
