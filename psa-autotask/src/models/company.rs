//! Companies (`/V1.0/Companies`) and contacts (`/V1.0/Contacts`, created under `/V1.0/Companies/{id}/Contacts`).

use serde::{Deserialize, Serialize};

use psa_core::Timestamp;

use super::common::{UserDefinedField, is_zero};

/// A company (`CompanyModel`, called Account in the SOAP API and in webhook payloads).
///
/// Companies cannot be deleted through the REST API.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Company {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `additionalAddressInformation`.
    #[serde(
        rename = "additionalAddressInformation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_address_information: Option<String>,
    /// Autotask field `address1`.
    #[serde(rename = "address1", default, skip_serializing_if = "Option::is_none")]
    pub address1: Option<String>,
    /// Autotask field `address2`.
    #[serde(rename = "address2", default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// Autotask field `alternatePhone1`.
    #[serde(
        rename = "alternatePhone1",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub alternate_phone1: Option<String>,
    /// Autotask field `alternatePhone2`.
    #[serde(
        rename = "alternatePhone2",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub alternate_phone2: Option<String>,
    /// Autotask field `apiVendorID`.
    #[serde(
        rename = "apiVendorID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub api_vendor_id: Option<i64>,
    /// Autotask field `assetValue`.
    #[serde(
        rename = "assetValue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub asset_value: Option<f64>,
    /// Autotask field `billToCompanyLocationID`.
    #[serde(
        rename = "billToCompanyLocationID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_company_location_id: Option<i64>,
    /// Autotask field `billToAdditionalAddressInformation`.
    #[serde(
        rename = "billToAdditionalAddressInformation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_additional_address_information: Option<String>,
    /// Autotask field `billingAddress1`.
    #[serde(
        rename = "billingAddress1",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_address1: Option<String>,
    /// Autotask field `billingAddress2`.
    #[serde(
        rename = "billingAddress2",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_address2: Option<String>,
    /// Autotask field `billToAddressToUse`.
    #[serde(
        rename = "billToAddressToUse",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_address_to_use: Option<i64>,
    /// Autotask field `billToAttention`.
    #[serde(
        rename = "billToAttention",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_attention: Option<String>,
    /// Autotask field `billToCity`.
    #[serde(
        rename = "billToCity",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_city: Option<String>,
    /// Autotask field `billToCountryID`.
    #[serde(
        rename = "billToCountryID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_country_id: Option<i64>,
    /// Autotask field `billToState`.
    #[serde(
        rename = "billToState",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_state: Option<String>,
    /// Autotask field `billToZipCode`.
    #[serde(
        rename = "billToZipCode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bill_to_zip_code: Option<String>,
    /// Autotask field `city`.
    #[serde(rename = "city", default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Autotask field `classification`.
    #[serde(
        rename = "classification",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub classification: Option<i64>,
    /// Autotask field `companyCategoryID`.
    #[serde(
        rename = "companyCategoryID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub company_category_id: Option<i64>,
    /// The company name.
    #[serde(
        rename = "companyName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub company_name: Option<String>,
    /// The company number (account number).
    #[serde(
        rename = "companyNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub company_number: Option<String>,
    /// Autotask field `companyType`.
    #[serde(
        rename = "companyType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub company_type: Option<i64>,
    /// Autotask field `competitorID`.
    #[serde(
        rename = "competitorID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub competitor_id: Option<i64>,
    /// Autotask field `countryID`.
    #[serde(rename = "countryID", default, skip_serializing_if = "Option::is_none")]
    pub country_id: Option<i64>,
    /// When it was created (UTC).
    #[serde(
        rename = "createDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub create_date: Option<Timestamp>,
    /// Autotask field `createdByResourceID`.
    #[serde(
        rename = "createdByResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub created_by_resource_id: Option<i64>,
    /// Autotask field `currencyID`.
    #[serde(
        rename = "currencyID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub currency_id: Option<i64>,
    /// Autotask field `fax`.
    #[serde(rename = "fax", default, skip_serializing_if = "Option::is_none")]
    pub fax: Option<String>,
    /// The API user that created the record while impersonating the creator.
    #[serde(
        rename = "impersonatorCreatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub impersonator_creator_resource_id: Option<i64>,
    /// Autotask field `invoiceEmailMessageID`.
    #[serde(
        rename = "invoiceEmailMessageID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_email_message_id: Option<i64>,
    /// Autotask field `invoiceMethod`.
    #[serde(
        rename = "invoiceMethod",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_method: Option<i64>,
    /// Autotask field `invoiceNonContractItemsToParentCompany`.
    #[serde(
        rename = "invoiceNonContractItemsToParentCompany",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_non_contract_items_to_parent_company: Option<bool>,
    /// Autotask field `invoiceTemplateID`.
    #[serde(
        rename = "invoiceTemplateID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub invoice_template_id: Option<i64>,
    /// Whether the record is active.
    #[serde(rename = "isActive", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Autotask field `isClientPortalActive`.
    #[serde(
        rename = "isClientPortalActive",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_client_portal_active: Option<bool>,
    /// Autotask field `isEnabledForComanaged`.
    #[serde(
        rename = "isEnabledForComanaged",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_enabled_for_comanaged: Option<bool>,
    /// Autotask field `isSample`.
    #[serde(rename = "isSample", default, skip_serializing_if = "Option::is_none")]
    pub is_sample: Option<bool>,
    /// Autotask field `isTaskFireActive`.
    #[serde(
        rename = "isTaskFireActive",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_task_fire_active: Option<bool>,
    /// Autotask field `isTaxExempt`.
    #[serde(
        rename = "isTaxExempt",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_tax_exempt: Option<bool>,
    /// When it last changed (UTC).
    #[serde(
        rename = "lastActivityDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity_date: Option<Timestamp>,
    /// Autotask field `lastTrackedModifiedDateTime`.
    #[serde(
        rename = "lastTrackedModifiedDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_tracked_modified_date_time: Option<Timestamp>,
    /// Autotask field `marketSegmentID`.
    #[serde(
        rename = "marketSegmentID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub market_segment_id: Option<i64>,
    /// Autotask field `ownerResourceID`.
    #[serde(
        rename = "ownerResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub owner_resource_id: Option<i64>,
    /// Autotask field `parentCompanyID`.
    #[serde(
        rename = "parentCompanyID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_company_id: Option<i64>,
    /// Main phone number.
    #[serde(rename = "phone", default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Autotask field `postalCode`.
    #[serde(
        rename = "postalCode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub postal_code: Option<String>,
    /// Autotask field `purchaseOrderTemplateID`.
    #[serde(
        rename = "purchaseOrderTemplateID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub purchase_order_template_id: Option<i64>,
    /// Autotask field `quoteEmailMessageID`.
    #[serde(
        rename = "quoteEmailMessageID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub quote_email_message_id: Option<i64>,
    /// Autotask field `quoteTemplateID`.
    #[serde(
        rename = "quoteTemplateID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub quote_template_id: Option<i64>,
    /// Autotask field `sicCode`.
    #[serde(rename = "sicCode", default, skip_serializing_if = "Option::is_none")]
    pub sic_code: Option<String>,
    /// Autotask field `state`.
    #[serde(rename = "state", default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Autotask field `stockMarket`.
    #[serde(
        rename = "stockMarket",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub stock_market: Option<String>,
    /// Autotask field `stockSymbol`.
    #[serde(
        rename = "stockSymbol",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub stock_symbol: Option<String>,
    /// Autotask field `surveyCompanyRating`.
    #[serde(
        rename = "surveyCompanyRating",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub survey_company_rating: Option<f64>,
    /// Autotask field `taxID`.
    #[serde(rename = "taxID", default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
    /// Autotask field `taxRegionID`.
    #[serde(
        rename = "taxRegionID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub tax_region_id: Option<i64>,
    /// Autotask field `territoryID`.
    #[serde(
        rename = "territoryID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub territory_id: Option<i64>,
    /// Website.
    #[serde(
        rename = "webAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub web_address: Option<String>,
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

/// A contact (`ContactModel`).
///
/// `isActive` is an integer (1 active, 0 inactive) on contacts, unlike most entities.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Contact {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `additionalAddressInformation`.
    #[serde(
        rename = "additionalAddressInformation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_address_information: Option<String>,
    /// Autotask field `addressLine`.
    #[serde(
        rename = "addressLine",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub address_line: Option<String>,
    /// Autotask field `addressLine1`.
    #[serde(
        rename = "addressLine1",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub address_line1: Option<String>,
    /// Autotask field `alternatePhone`.
    #[serde(
        rename = "alternatePhone",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub alternate_phone: Option<String>,
    /// Autotask field `apiVendorID`.
    #[serde(
        rename = "apiVendorID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub api_vendor_id: Option<i64>,
    /// Autotask field `bulkEmailOptOutTime`.
    #[serde(
        rename = "bulkEmailOptOutTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub bulk_email_opt_out_time: Option<Timestamp>,
    /// Autotask field `city`.
    #[serde(rename = "city", default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The company (`Companies`) the record belongs to.
    #[serde(rename = "companyID", default, skip_serializing_if = "Option::is_none")]
    pub company_id: Option<i64>,
    /// Autotask field `companyLocationID`.
    #[serde(
        rename = "companyLocationID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub company_location_id: Option<i64>,
    /// Autotask field `countryID`.
    #[serde(rename = "countryID", default, skip_serializing_if = "Option::is_none")]
    pub country_id: Option<i64>,
    /// When it was created (UTC).
    #[serde(
        rename = "createDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub create_date: Option<Timestamp>,
    /// Primary email address.
    #[serde(
        rename = "emailAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_address: Option<String>,
    /// Autotask field `emailAddress2`.
    #[serde(
        rename = "emailAddress2",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_address2: Option<String>,
    /// Autotask field `emailAddress3`.
    #[serde(
        rename = "emailAddress3",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub email_address3: Option<String>,
    /// Autotask field `extension`.
    #[serde(rename = "extension", default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// Autotask field `externalID`.
    #[serde(
        rename = "externalID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub external_id: Option<String>,
    /// Autotask field `facebookUrl`.
    #[serde(
        rename = "facebookUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub facebook_url: Option<String>,
    /// Autotask field `faxNumber`.
    #[serde(rename = "faxNumber", default, skip_serializing_if = "Option::is_none")]
    pub fax_number: Option<String>,
    /// First name.
    #[serde(rename = "firstName", default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The API user that created the record while impersonating the creator.
    #[serde(
        rename = "impersonatorCreatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub impersonator_creator_resource_id: Option<i64>,
    /// Whether the record is active.
    #[serde(rename = "isActive", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<i64>,
    /// Autotask field `isOptedOutFromBulkEmail`.
    #[serde(
        rename = "isOptedOutFromBulkEmail",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_opted_out_from_bulk_email: Option<bool>,
    /// When it last changed (UTC).
    #[serde(
        rename = "lastActivityDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity_date: Option<Timestamp>,
    /// Autotask field `lastModifiedDate`.
    #[serde(
        rename = "lastModifiedDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified_date: Option<Timestamp>,
    /// Last name.
    #[serde(rename = "lastName", default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Autotask field `linkedInUrl`.
    #[serde(
        rename = "linkedInUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub linked_in_url: Option<String>,
    /// Autotask field `middleInitial`.
    #[serde(
        rename = "middleInitial",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub middle_initial: Option<String>,
    /// Mobile phone number.
    #[serde(
        rename = "mobilePhone",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mobile_phone: Option<String>,
    /// Autotask field `namePrefix`.
    #[serde(
        rename = "namePrefix",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub name_prefix: Option<i64>,
    /// Autotask field `nameSuffix`.
    #[serde(
        rename = "nameSuffix",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub name_suffix: Option<i64>,
    /// Autotask field `note`.
    #[serde(rename = "note", default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Autotask field `receivesEmailNotifications`.
    #[serde(
        rename = "receivesEmailNotifications",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receives_email_notifications: Option<bool>,
    /// Main phone number.
    #[serde(rename = "phone", default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Autotask field `primaryContact`.
    #[serde(
        rename = "primaryContact",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub primary_contact: Option<bool>,
    /// Autotask field `billingContact`.
    #[serde(
        rename = "billingContact",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub billing_contact: Option<bool>,
    /// Autotask field `roomNumber`.
    #[serde(
        rename = "roomNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub room_number: Option<String>,
    /// Autotask field `solicitationOptOut`.
    #[serde(
        rename = "solicitationOptOut",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub solicitation_opt_out: Option<bool>,
    /// Autotask field `solicitationOptOutTime`.
    #[serde(
        rename = "solicitationOptOutTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub solicitation_opt_out_time: Option<Timestamp>,
    /// Autotask field `state`.
    #[serde(rename = "state", default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Autotask field `surveyOptOut`.
    #[serde(
        rename = "surveyOptOut",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub survey_opt_out: Option<bool>,
    /// Title.
    #[serde(rename = "title", default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Autotask field `twitterUrl`.
    #[serde(
        rename = "twitterUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub twitter_url: Option<String>,
    /// Autotask field `zipCode`.
    #[serde(rename = "zipCode", default, skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
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
