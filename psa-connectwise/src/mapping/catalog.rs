//! Products and the read-only records: catalog items, ticket product
//! lines, agreements, SLAs, projects and knowledge-base articles.

use psa_core::{Id, NewLineItem, Result};

use super::{info_time, missing_id, ref_of, reference, to_raw};
use crate::models::{
    Agreement, BillableOption, CatalogItem, Info, KnowledgeBaseArticle, ProductItem, Project,
    Reference, Sla, custom_field_map, parse_timestamp,
};

/// A catalog item → a product.
pub fn product(c: &CatalogItem) -> Result<psa_core::Product> {
    let id = c.id.ok_or_else(|| missing_id("catalog item"))?;
    let name = c
        .description
        .clone()
        .or_else(|| c.identifier.clone())
        .unwrap_or_default();
    let mut out = psa_core::Product::new(Id::from(id), name);
    out.sku.clone_from(&c.identifier);
    out.description.clone_from(&c.customer_description);
    out.price = c.price;
    out.cost = c.cost;
    out.active = c.inactive_flag.map(|f| !f);
    out.raw = to_raw(c).into();
    Ok(out)
}

/// A product line of a ticket.
pub fn line_item(p: &ProductItem, ticket: i64) -> Result<psa_core::LineItem> {
    let id = p.id.ok_or_else(|| missing_id("product"))?;
    let mut out =
        psa_core::LineItem::new(Id::from(id), Id::from(ticket), p.quantity.unwrap_or(0.0));
    out.product = reference(p.catalog_item.as_ref());
    out.price = p.price;
    out.description.clone_from(&p.description);
    out.billable = p
        .billable_option
        .as_ref()
        .and_then(BillableOption::is_billable);
    out.raw = to_raw(p).into();
    Ok(out)
}

/// The body of `POST /procurement/products` adding a catalog item to a
/// ticket. ConnectWise requires a billable option: `None` sends `Billable`.
///
/// The ticket is named by the `ticket` reference only: the body carries
/// only fields of the `ProductItem` schema (2026.4), which has no
/// `chargeToId` / `chargeToType`.
pub fn new_line_item(ticket: i64, item: &NewLineItem) -> Result<ProductItem> {
    item.validate()?;
    Ok(ProductItem {
        catalog_item: Some(ref_of(&item.product, "product id")?),
        quantity: Some(item.quantity),
        price: item.price,
        description: item.description.clone(),
        billable_option: Some(
            item.billable
                .map_or(BillableOption::Billable, BillableOption::from_bool),
        ),
        ticket: Some(Reference::id(ticket)),
        ..ProductItem::default()
    })
}

/// An agreement.
pub fn agreement(a: &Agreement) -> Result<psa_core::Agreement> {
    let id = a.id.ok_or_else(|| missing_id("agreement"))?;
    let mut out = psa_core::Agreement::new(Id::from(id), a.name.clone().unwrap_or_default());
    out.company = reference(a.company.as_ref());
    out.agreement_type = reference(a.agreement_type.as_ref());
    out.start = a.start_date;
    out.end = a.end_date;
    out.active = match &a.agreement_status {
        Some(s) => Some(*s == crate::models::AgreementStatus::Active),
        None => a.cancelled_flag.map(|c| !c),
    };
    out.custom_fields = custom_field_map(a.custom_fields.as_deref().unwrap_or_default());
    out.raw = to_raw(a).into();
    Ok(out)
}

/// An SLA.
pub fn sla(s: &Sla) -> Result<psa_core::Sla> {
    let id = s.id.ok_or_else(|| missing_id("SLA"))?;
    let mut out = psa_core::Sla::new(Id::from(id), s.name.clone().unwrap_or_default());
    out.raw = to_raw(s).into();
    Ok(out)
}

/// A project.
pub fn project(p: &Project) -> Result<psa_core::Project> {
    let id = p.id.ok_or_else(|| missing_id("project"))?;
    let mut out = psa_core::Project::new(Id::from(id), p.name.clone().unwrap_or_default());
    out.company = reference(p.company.as_ref());
    out.status = reference(p.status.as_ref());
    out.manager = reference(p.manager.as_ref());
    out.start = p.actual_start.or(p.estimated_start);
    out.end = p.actual_end.or(p.estimated_end);
    out.closed = p.closed_flag;
    out.raw = to_raw(p).into();
    Ok(out)
}

/// A knowledge-base article.
pub fn kb_article(k: &KnowledgeBaseArticle) -> Result<psa_core::KbArticle> {
    let id = k.id.ok_or_else(|| missing_id("knowledge-base article"))?;
    let mut out = psa_core::KbArticle::new(Id::from(id), k.title.clone().unwrap_or_default());
    out.body.clone_from(&k.issue);
    out.resolution.clone_from(&k.resolution);
    out.updated_at = info_time(k.info.as_ref(), Info::last_updated)
        .or_else(|| k.date_created.as_deref().and_then(parse_timestamp));
    out.raw = to_raw(k).into();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use psa_core::NewLineItem;

    /// Every property of `ProductItem` in ConnectWise's 2026.4 OpenAPI.
    const PRODUCT_ITEM_SCHEMA: &[&str] = &[
        "id",
        "catalogItem",
        "description",
        "sequenceNumber",
        "quantity",
        "unitOfMeasure",
        "price",
        "cost",
        "extPrice",
        "extCost",
        "discount",
        "margin",
        "agreementAmount",
        "priceMethod",
        "billableOption",
        "agreement",
        "locationId",
        "location",
        "businessUnitId",
        "businessUnit",
        "vendor",
        "vendorSku",
        "taxableFlag",
        "dropshipFlag",
        "specialOrderFlag",
        "phaseProductFlag",
        "cancelledFlag",
        "quantityCancelled",
        "cancelledReason",
        "customerDescription",
        "internalNotes",
        "productSuppliedFlag",
        "subContractorShipToId",
        "subContractorAmountLimit",
        "recurring",
        "sla",
        "entityType",
        "ticket",
        "project",
        "phase",
        "salesOrder",
        "opportunity",
        "invoice",
        "warehouseId",
        "warehouseIdObject",
        "warehouseBinId",
        "warehouseBinIdObject",
        "calculatedPriceFlag",
        "calculatedCostFlag",
        "forecastDetailId",
        "cancelledBy",
        "cancelledDate",
        "warehouse",
        "warehouseBin",
        "purchaseDate",
        "taxCode",
        "integrationXRef",
        "listPrice",
        "serialNumberIds",
        "serialNumbers",
        "company",
        "forecastStatus",
        "productClass",
        "needToPurchaseFlag",
        "needToOrderQuantity",
        "minimumStockFlag",
        "shipSet",
        "calculatedPrice",
        "calculatedCost",
        "invoiceGrouping",
        "poApprovedFlag",
        "uom",
        "addComponentsFlag",
        "ignorePricingSchedulesFlag",
        "asioSubscriptionsID",
        "_info",
        "bypassForecastUpdate",
        "wonCost",
        "wonPrice",
        "wonQuantity",
        "customFields",
    ];

    #[test]
    fn a_ticket_product_sends_only_schema_fields() {
        let item = NewLineItem::new(Id::from(7), 2.0)
            .price(10.0)
            .description("Toner");
        let body = serde_json::to_value(new_line_item(1001, &item).unwrap()).unwrap();
        for f in body.as_object().unwrap().keys() {
            assert!(
                PRODUCT_ITEM_SCHEMA.contains(&f.as_str()),
                "`{f}` is not a ProductItem field"
            );
        }
        assert_eq!(body["ticket"], serde_json::json!({"id": 1001}));
    }
}
