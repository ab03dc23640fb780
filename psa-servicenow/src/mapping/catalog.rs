//! Catalog items, contracts, SLA definitions, projects and knowledge articles ⇄ the uniform read-only records and products.

use super::{
    ChoiceLabels, choice_ref, custom_fields, own_id, reference, text, time, value, walked,
};
use crate::models::{AstContract, ContractSla, Field, KbKnowledge, PmProject, ScCatItem};
use psa_core::{Agreement, Id, KbArticle, Product, Project, Ref, Result, Sla};
use serde_json::Value;

/// The fields of an `ast_contract` read.
pub const CONTRACT_FIELDS: &[&str] = &[
    "sys_id",
    "number",
    "short_description",
    "vendor_contract",
    "customer",
    "customer.name",
    "contract_model",
    "starts",
    "ends",
    "state",
    "active",
];

/// The fields of a `pm_project` read.
pub const PROJECT_FIELDS: &[&str] = &[
    "sys_id",
    "number",
    "short_description",
    "state",
    "company",
    "company.name",
    "project_manager",
    "project_manager.name",
    "start_date",
    "end_date",
    "active",
];

/// The fields of a `kb_knowledge` read.
pub const KB_FIELDS: &[&str] = &[
    "sys_id",
    "number",
    "short_description",
    "text",
    "workflow_state",
    "sys_updated_on",
];

/// An `ast_contract` record → uniform [`Agreement`].
pub fn agreement(c: &AstContract, raw: Value) -> Result<Agreement> {
    let id = own_id("ast_contract", c.sys_id.as_ref(), "contract")?;
    let name = text(c.short_description.as_ref())
        .or_else(|| text(c.vendor_contract.as_ref()))
        .or_else(|| text(c.number.as_ref()))
        .unwrap_or_default();
    let mut out = Agreement::new(id, name);
    out.company = reference(
        c.customer.as_ref(),
        "core_company",
        walked(&c.extra, "customer.name"),
    );
    out.agreement_type = c.contract_model.as_ref().and_then(|m| {
        reference(Some(m), "cmdb_model", None)
            .or_else(|| m.sys_id().and_then(|v| Id::text(v).ok()).map(Ref::new))
    });
    out.start = time(c.starts.as_ref());
    out.end = time(c.ends.as_ref());
    out.active = c
        .active
        .as_ref()
        .and_then(Field::as_bool)
        .or_else(|| c.state.as_ref().map(|s| s.value() == "active"));
    out.custom_fields = custom_fields(&c.extra);
    out.raw = raw.into();
    Ok(out)
}

/// A `contract_sla` record → uniform [`Sla`].
pub fn sla(s: &ContractSla, raw: Value) -> Result<Sla> {
    let id = own_id("contract_sla", s.sys_id.as_ref(), "SLA definition")?;
    let mut out = Sla::new(id, value(s.name.as_ref()));
    out.raw = raw.into();
    Ok(out)
}

/// A `pm_project` record → uniform [`Project`].
pub fn project(p: &PmProject, raw: Value, labels: &ChoiceLabels) -> Result<Project> {
    let id = own_id("pm_project", p.sys_id.as_ref(), "project")?;
    let mut out = Project::new(id, value(p.short_description.as_ref()));
    out.company = reference(
        p.company.as_ref(),
        "core_company",
        walked(&p.extra, "company.name"),
    );
    out.status = choice_ref(labels, "pm_project", "state", p.state.as_ref());
    out.manager = reference(
        p.project_manager.as_ref(),
        "sys_user",
        walked(&p.extra, "project_manager.name"),
    );
    out.start = time(p.start_date.as_ref());
    out.end = time(p.end_date.as_ref());
    out.closed = p.active.as_ref().and_then(Field::as_bool).map(|a| !a);
    out.raw = raw.into();
    Ok(out)
}

/// A `kb_knowledge` record → uniform [`KbArticle`] (the body is HTML).
pub fn kb_article(k: &KbKnowledge, raw: Value) -> Result<KbArticle> {
    let id = own_id("kb_knowledge", k.sys_id.as_ref(), "knowledge article")?;
    let mut out = KbArticle::new(id, value(k.short_description.as_ref()));
    out.body = text(k.text.as_ref());
    out.updated_at = time(k.sys_updated_on.as_ref());
    out.raw = raw.into();
    Ok(out)
}

/// A `sc_cat_item` record → uniform [`Product`].
pub fn product(c: &ScCatItem, raw: Value) -> Result<Product> {
    let id = own_id("sc_cat_item", c.sys_id.as_ref(), "catalog item")?;
    let mut out = Product::new(id, value(c.name.as_ref()));
    out.description = text(c.short_description.as_ref());
    out.price = c.price.as_ref().and_then(Field::as_f64);
    out.active = c.active.as_ref().and_then(Field::as_bool);
    out.raw = raw.into();
    Ok(out)
}
