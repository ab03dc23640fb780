//! Products (`/V1.0/Products`) and ticket charges (`/V1.0/Tickets/{id}/Charges`, queried at `/V1.0/TicketCharges/query`).

use serde::{Deserialize, Serialize};

use psa_core::Timestamp;

use super::common::{UserDefinedField, is_zero};

/// A catalog product (`ProductModel`).
///
/// Products are read with `POST /Products/query`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Product {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `billingType`.
    #[serde(
        rename = "billingType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_type: Option<i64>,
    /// Autotask field `chargeBillingCodeID`.
    #[serde(
        rename = "chargeBillingCodeID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub charge_billing_code_id: Option<i64>,
    /// Autotask field `createdByResourceID`.
    #[serde(
        rename = "createdByResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub created_by_resource_id: Option<i64>,
    /// Autotask field `createdTime`.
    #[serde(
        rename = "createdTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub created_time: Option<Timestamp>,
    /// Autotask field `defaultVendorID`.
    #[serde(
        rename = "defaultVendorID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_vendor_id: Option<i64>,
    /// Description, as plain text (Autotask returns the text of rich-text fields).
    #[serde(
        rename = "description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Autotask field `doesNotRequireProcurement`.
    #[serde(
        rename = "doesNotRequireProcurement",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub does_not_require_procurement: Option<bool>,
    /// Autotask field `externalProductID`.
    #[serde(
        rename = "externalProductID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub external_product_id: Option<String>,
    /// The API user that created the record while impersonating the creator.
    #[serde(
        rename = "impersonatorCreatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub impersonator_creator_resource_id: Option<i64>,
    /// Autotask field `internalProductID`.
    #[serde(
        rename = "internalProductID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internal_product_id: Option<String>,
    /// Whether the record is active.
    #[serde(rename = "isActive", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Autotask field `isEligibleForRma`.
    #[serde(
        rename = "isEligibleForRma",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_eligible_for_rma: Option<bool>,
    /// Autotask field `isSerialized`.
    #[serde(
        rename = "isSerialized",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_serialized: Option<bool>,
    /// Autotask field `link`.
    #[serde(rename = "link", default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Autotask field `manufacturerName`.
    #[serde(
        rename = "manufacturerName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub manufacturer_name: Option<String>,
    /// Autotask field `manufacturerProductName`.
    #[serde(
        rename = "manufacturerProductName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub manufacturer_product_name: Option<String>,
    /// Autotask field `markupRate`.
    #[serde(
        rename = "markupRate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub markup_rate: Option<f64>,
    /// Autotask field `msrp`.
    #[serde(rename = "msrp", default, skip_serializing_if = "Option::is_none")]
    pub msrp: Option<f64>,
    /// Name.
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Autotask field `periodType`.
    #[serde(
        rename = "periodType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub period_type: Option<i64>,
    /// Autotask field `priceCostMethod`.
    #[serde(
        rename = "priceCostMethod",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub price_cost_method: Option<i64>,
    /// Autotask field `productBillingCodeID`.
    #[serde(
        rename = "productBillingCodeID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub product_billing_code_id: Option<i64>,
    /// Autotask field `productCategory`.
    #[serde(
        rename = "productCategory",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub product_category: Option<i64>,
    /// Stock keeping unit.
    #[serde(rename = "sku", default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// Unit cost.
    #[serde(rename = "unitCost", default, skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<f64>,
    /// Unit price.
    #[serde(rename = "unitPrice", default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<f64>,
    /// Autotask field `vendorProductNumber`.
    #[serde(
        rename = "vendorProductNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub vendor_product_number: Option<String>,
    /// Autotask field `defaultInstalledProductCategoryID`.
    #[serde(
        rename = "defaultInstalledProductCategoryID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_installed_product_category_id: Option<i64>,
    /// User-defined fields (`[{name, value}]`).
    #[serde(
        rename = "userDefinedFields",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub user_defined_fields: Option<Vec<UserDefinedField>>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A charge (product line item) on a ticket (`TicketChargeModel`).
///
/// `chargeType` and `status` are picklists; `isBillableToCompany` is required.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TicketCharge {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `billableAmount`.
    #[serde(
        rename = "billableAmount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billable_amount: Option<f64>,
    /// The billing code: on tickets and time entries, the work type.
    #[serde(
        rename = "billingCodeID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_code_id: Option<i64>,
    /// Autotask field `chargeType`.
    #[serde(
        rename = "chargeType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub charge_type: Option<i64>,
    /// Autotask field `contractServiceBundleID`.
    #[serde(
        rename = "contractServiceBundleID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_service_bundle_id: Option<i64>,
    /// Autotask field `contractServiceID`.
    #[serde(
        rename = "contractServiceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_service_id: Option<i64>,
    /// When it was created (UTC).
    #[serde(
        rename = "createDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub create_date: Option<Timestamp>,
    /// The resource that created it.
    #[serde(
        rename = "creatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub creator_resource_id: Option<i64>,
    /// Autotask field `datePurchased`.
    #[serde(
        rename = "datePurchased",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub date_purchased: Option<Timestamp>,
    /// Description, as plain text (Autotask returns the text of rich-text fields).
    #[serde(
        rename = "description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Autotask field `extendedCost`.
    #[serde(
        rename = "extendedCost",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub extended_cost: Option<f64>,
    /// Autotask field `internalCurrencyBillableAmount`.
    #[serde(
        rename = "internalCurrencyBillableAmount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internal_currency_billable_amount: Option<f64>,
    /// Autotask field `internalCurrencyUnitPrice`.
    #[serde(
        rename = "internalCurrencyUnitPrice",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internal_currency_unit_price: Option<f64>,
    /// Autotask field `internalPurchaseOrderNumber`.
    #[serde(
        rename = "internalPurchaseOrderNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internal_purchase_order_number: Option<String>,
    /// Autotask field `isBillableToCompany`.
    #[serde(
        rename = "isBillableToCompany",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_billable_to_company: Option<bool>,
    /// Autotask field `isBilled`.
    #[serde(rename = "isBilled", default, skip_serializing_if = "Option::is_none")]
    pub is_billed: Option<bool>,
    /// Name.
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Notes.
    #[serde(rename = "notes", default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Autotask field `organizationalLevelAssociationID`.
    #[serde(
        rename = "organizationalLevelAssociationID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub organizational_level_association_id: Option<i64>,
    /// The product (`Products`).
    #[serde(rename = "productID", default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<i64>,
    /// Autotask field `purchaseOrderNumber`.
    #[serde(
        rename = "purchaseOrderNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub purchase_order_number: Option<String>,
    /// Status (a picklist value; read the labels from `entityInformation/fields`).
    #[serde(rename = "status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i64>,
    /// Autotask field `statusLastModifiedBy`.
    #[serde(
        rename = "statusLastModifiedBy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub status_last_modified_by: Option<i64>,
    /// Autotask field `statusLastModifiedDate`.
    #[serde(
        rename = "statusLastModifiedDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub status_last_modified_date: Option<Timestamp>,
    /// The ticket (`Tickets`).
    #[serde(rename = "ticketID", default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<i64>,
    /// Unit cost.
    #[serde(rename = "unitCost", default, skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<f64>,
    /// Unit price.
    #[serde(rename = "unitPrice", default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<f64>,
    /// Quantity.
    #[serde(
        rename = "unitQuantity",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub unit_quantity: Option<f64>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
