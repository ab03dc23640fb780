//! Catalog items and products (ticket line items).

use serde::{Deserialize, Serialize};

use super::common::{BillableOption, CustomField, Extra, Info, Reference};

/// A product catalog item (`/procurement/catalog`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CatalogItem {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Part number / SKU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Short description (the product's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Long description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_description: Option<String>,
    /// Whether inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_flag: Option<bool>,
    /// Subcategory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subcategory: Option<Reference>,
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Reference>,
    /// Product type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<Reference>,
    /// Class (`Agreement`, `Bundle`, `Inventory`, `NonInventory`, `Service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_class: Option<String>,
    /// Unit price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Unit cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// Whether taxable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxable_flag: Option<bool>,
    /// Manufacturer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<Reference>,
    /// Manufacturer part number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer_part_number: Option<String>,
    /// Vendor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Reference>,
    /// Vendor SKU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_sku: Option<String>,
    /// Default billing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billable_option: Option<BillableOption>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Custom fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<Vec<CustomField>>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A product line (`/procurement/products`): a catalog item added to a
/// ticket, project or sales order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProductItem {
    /// Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The catalog item (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_item: Option<Reference>,
    /// Description on the line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Quantity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    /// Unit price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Unit cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// Extended price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext_price: Option<f64>,
    /// Billing (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billable_option: Option<BillableOption>,
    /// The record charged (older API versions; still a query field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_to_id: Option<i64>,
    /// What is charged (`Ticket`, `Project` …; older API versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_to_type: Option<String>,
    /// The ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<Reference>,
    /// The project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<Reference>,
    /// Agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<Reference>,
    /// Company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<Reference>,
    /// Customer-facing description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_description: Option<String>,
    /// Internal notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_notes: Option<String>,
    /// Whether cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancelled_flag: Option<bool>,
    /// Audit fields and links.
    #[serde(rename = "_info", default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Info>,
    /// Custom fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_fields: Option<Vec<CustomField>>,
    /// Other members, kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}
