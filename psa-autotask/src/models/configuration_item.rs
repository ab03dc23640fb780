//! Configuration items / assets (`/V1.0/ConfigurationItems`, called InstalledProduct in the SOAP API).

use serde::{Deserialize, Serialize};

use psa_core::Timestamp;

use super::common::{UserDefinedField, is_zero};

/// A configuration item (`ConfigurationItemModel`).
///
/// Creating one needs `companyID`, `productID` and `isActive`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConfigurationItem {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `apiVendorID`.
    #[serde(
        rename = "apiVendorID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub api_vendor_id: Option<i64>,
    /// Autotask field `configurationItemCategoryID`.
    #[serde(
        rename = "configurationItemCategoryID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub configuration_item_category_id: Option<i64>,
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
    /// Configuration item type (a picklist value).
    #[serde(
        rename = "configurationItemType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub configuration_item_type: Option<i64>,
    /// The contact (`Contacts`).
    #[serde(rename = "contactID", default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<i64>,
    /// The contract (`Contracts`).
    #[serde(
        rename = "contractID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_id: Option<i64>,
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
    /// Autotask field `createdByPersonID`.
    #[serde(
        rename = "createdByPersonID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub created_by_person_id: Option<i64>,
    /// Autotask field `dailyCost`.
    #[serde(rename = "dailyCost", default, skip_serializing_if = "Option::is_none")]
    pub daily_cost: Option<f64>,
    /// Autotask field `dattoAvailableKilobytes`.
    #[serde(
        rename = "dattoAvailableKilobytes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_available_kilobytes: Option<i64>,
    /// Autotask field `dattoDeviceMemoryMegabytes`.
    #[serde(
        rename = "dattoDeviceMemoryMegabytes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_device_memory_megabytes: Option<i64>,
    /// Autotask field `dattoDrivesErrors`.
    #[serde(
        rename = "dattoDrivesErrors",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_drives_errors: Option<bool>,
    /// Autotask field `dattoHostname`.
    #[serde(
        rename = "dattoHostname",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_hostname: Option<String>,
    /// Autotask field `dattoInternalIP`.
    #[serde(
        rename = "dattoInternalIP",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_internal_ip: Option<String>,
    /// Autotask field `dattoKernelVersionID`.
    #[serde(
        rename = "dattoKernelVersionID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_kernel_version_id: Option<i64>,
    /// Autotask field `dattoLastCheckInDateTime`.
    #[serde(
        rename = "dattoLastCheckInDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_last_check_in_date_time: Option<Timestamp>,
    /// Autotask field `dattoNICSpeedKilobitsPerSecond`.
    #[serde(
        rename = "dattoNICSpeedKilobitsPerSecond",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_nic_speed_kilobits_per_second: Option<i64>,
    /// Autotask field `dattoNumberOfAgents`.
    #[serde(
        rename = "dattoNumberOfAgents",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_number_of_agents: Option<i64>,
    /// Autotask field `dattoNumberOfDrives`.
    #[serde(
        rename = "dattoNumberOfDrives",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_number_of_drives: Option<i64>,
    /// Autotask field `dattoNumberOfVolumes`.
    #[serde(
        rename = "dattoNumberOfVolumes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_number_of_volumes: Option<i64>,
    /// Autotask field `dattoOffsiteUsedBytes`.
    #[serde(
        rename = "dattoOffsiteUsedBytes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_offsite_used_bytes: Option<i64>,
    /// Autotask field `dattoOSVersionID`.
    #[serde(
        rename = "dattoOSVersionID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_os_version_id: Option<i64>,
    /// Autotask field `dattoPercentageUsed`.
    #[serde(
        rename = "dattoPercentageUsed",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_percentage_used: Option<f64>,
    /// Autotask field `dattoProtectedKilobytes`.
    #[serde(
        rename = "dattoProtectedKilobytes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_protected_kilobytes: Option<i64>,
    /// Autotask field `dattoRemoteIP`.
    #[serde(
        rename = "dattoRemoteIP",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_remote_ip: Option<String>,
    /// Autotask field `dattoSerialNumber`.
    #[serde(
        rename = "dattoSerialNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_serial_number: Option<String>,
    /// Autotask field `dattoUptimeSeconds`.
    #[serde(
        rename = "dattoUptimeSeconds",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_uptime_seconds: Option<i64>,
    /// Autotask field `dattoUsedKilobytes`.
    #[serde(
        rename = "dattoUsedKilobytes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_used_kilobytes: Option<i64>,
    /// Autotask field `dattoZFSVersionID`.
    #[serde(
        rename = "dattoZFSVersionID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub datto_zfs_version_id: Option<i64>,
    /// Autotask field `deviceNetworkingID`.
    #[serde(
        rename = "deviceNetworkingID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub device_networking_id: Option<String>,
    /// Autotask field `domain`.
    #[serde(rename = "domain", default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Autotask field `domainRegistrarID`.
    #[serde(
        rename = "domainRegistrarID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub domain_registrar_id: Option<i64>,
    /// Autotask field `domainRegistrationDateTime`.
    #[serde(
        rename = "domainRegistrationDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub domain_registration_date_time: Option<Timestamp>,
    /// Autotask field `domainLastUpdatedDateTime`.
    #[serde(
        rename = "domainLastUpdatedDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub domain_last_updated_date_time: Option<Timestamp>,
    /// Autotask field `domainExpirationDateTime`.
    #[serde(
        rename = "domainExpirationDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub domain_expiration_date_time: Option<Timestamp>,
    /// Autotask field `hourlyCost`.
    #[serde(
        rename = "hourlyCost",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub hourly_cost: Option<f64>,
    /// The API user that created the record while impersonating the creator.
    #[serde(
        rename = "impersonatorCreatorResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub impersonator_creator_resource_id: Option<i64>,
    /// Autotask field `installDate`.
    #[serde(
        rename = "installDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub install_date: Option<Timestamp>,
    /// Autotask field `installedByContactID`.
    #[serde(
        rename = "installedByContactID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub installed_by_contact_id: Option<i64>,
    /// Autotask field `installedByID`.
    #[serde(
        rename = "installedByID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub installed_by_id: Option<i64>,
    /// Whether the record is active.
    #[serde(rename = "isActive", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Autotask field `lastActivityPersonID`.
    #[serde(
        rename = "lastActivityPersonID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity_person_id: Option<i64>,
    /// Autotask field `lastActivityPersonType`.
    #[serde(
        rename = "lastActivityPersonType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity_person_type: Option<i64>,
    /// Autotask field `lastModifiedTime`.
    #[serde(
        rename = "lastModifiedTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified_time: Option<Timestamp>,
    /// Autotask field `location`.
    #[serde(rename = "location", default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Autotask field `monthlyCost`.
    #[serde(
        rename = "monthlyCost",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub monthly_cost: Option<f64>,
    /// Notes.
    #[serde(rename = "notes", default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Autotask field `numberOfUsers`.
    #[serde(
        rename = "numberOfUsers",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub number_of_users: Option<f64>,
    /// Autotask field `parentConfigurationItemID`.
    #[serde(
        rename = "parentConfigurationItemID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_configuration_item_id: Option<i64>,
    /// Autotask field `perUseCost`.
    #[serde(
        rename = "perUseCost",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub per_use_cost: Option<f64>,
    /// The product (`Products`).
    #[serde(rename = "productID", default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<i64>,
    /// Autotask field `referenceNumber`.
    #[serde(
        rename = "referenceNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub reference_number: Option<String>,
    /// The configuration item's name (reference title).
    #[serde(
        rename = "referenceTitle",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub reference_title: Option<String>,
    /// Autotask field `rmmDeviceAuditAntivirusStatusID`.
    #[serde(
        rename = "rmmDeviceAuditAntivirusStatusID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_antivirus_status_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditArchitectureID`.
    #[serde(
        rename = "rmmDeviceAuditArchitectureID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_architecture_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditBackupStatusID`.
    #[serde(
        rename = "rmmDeviceAuditBackupStatusID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_backup_status_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditDescription`.
    #[serde(
        rename = "rmmDeviceAuditDescription",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_description: Option<String>,
    /// Autotask field `rmmDeviceAuditDeviceTypeID`.
    #[serde(
        rename = "rmmDeviceAuditDeviceTypeID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_device_type_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditDisplayAdaptorID`.
    #[serde(
        rename = "rmmDeviceAuditDisplayAdaptorID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_display_adaptor_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditDomainID`.
    #[serde(
        rename = "rmmDeviceAuditDomainID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_domain_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditExternalIPAddress`.
    #[serde(
        rename = "rmmDeviceAuditExternalIPAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_external_ip_address: Option<String>,
    /// Autotask field `rmmDeviceAuditHostname`.
    #[serde(
        rename = "rmmDeviceAuditHostname",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_hostname: Option<String>,
    /// Autotask field `rmmDeviceAuditIPAddress`.
    #[serde(
        rename = "rmmDeviceAuditIPAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_ip_address: Option<String>,
    /// Autotask field `rmmDeviceAuditLastUser`.
    #[serde(
        rename = "rmmDeviceAuditLastUser",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_last_user: Option<String>,
    /// Autotask field `rmmDeviceAuditMacAddress`.
    #[serde(
        rename = "rmmDeviceAuditMacAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_mac_address: Option<String>,
    /// Autotask field `rmmDeviceAuditManufacturerID`.
    #[serde(
        rename = "rmmDeviceAuditManufacturerID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_manufacturer_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditFirmwareID`.
    #[serde(
        rename = "rmmDeviceAuditFirmwareID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_firmware_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditMemoryBytes`.
    #[serde(
        rename = "rmmDeviceAuditMemoryBytes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_memory_bytes: Option<i64>,
    /// Autotask field `rmmDeviceAuditMissingPatchCount`.
    #[serde(
        rename = "rmmDeviceAuditMissingPatchCount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_missing_patch_count: Option<i64>,
    /// Autotask field `rmmDeviceAuditMobileNetworkOperatorID`.
    #[serde(
        rename = "rmmDeviceAuditMobileNetworkOperatorID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_mobile_network_operator_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditMobileNumber`.
    #[serde(
        rename = "rmmDeviceAuditMobileNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_mobile_number: Option<String>,
    /// Autotask field `rmmDeviceAuditModelID`.
    #[serde(
        rename = "rmmDeviceAuditModelID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_model_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditMotherboardID`.
    #[serde(
        rename = "rmmDeviceAuditMotherboardID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_motherboard_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditOperatingSystem`.
    #[serde(
        rename = "rmmDeviceAuditOperatingSystem",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_operating_system: Option<String>,
    /// Autotask field `rmmDeviceAuditPatchStatusID`.
    #[serde(
        rename = "rmmDeviceAuditPatchStatusID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_patch_status_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditProcessorID`.
    #[serde(
        rename = "rmmDeviceAuditProcessorID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_processor_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditServicePackID`.
    #[serde(
        rename = "rmmDeviceAuditServicePackID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_service_pack_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditSNMPContact`.
    #[serde(
        rename = "rmmDeviceAuditSNMPContact",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_snmp_contact: Option<String>,
    /// Autotask field `rmmDeviceAuditSNMPLocation`.
    #[serde(
        rename = "rmmDeviceAuditSNMPLocation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_snmp_location: Option<String>,
    /// Autotask field `rmmDeviceAuditSNMPName`.
    #[serde(
        rename = "rmmDeviceAuditSNMPName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_snmp_name: Option<String>,
    /// Autotask field `rmmDeviceAuditSoftwareStatusID`.
    #[serde(
        rename = "rmmDeviceAuditSoftwareStatusID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_software_status_id: Option<i64>,
    /// Autotask field `rmmDeviceAuditStorageBytes`.
    #[serde(
        rename = "rmmDeviceAuditStorageBytes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_audit_storage_bytes: Option<i64>,
    /// Autotask field `rmmDeviceID`.
    #[serde(
        rename = "rmmDeviceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_id: Option<i64>,
    /// Autotask field `rmmDeviceUID`.
    #[serde(
        rename = "rmmDeviceUID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_uid: Option<String>,
    /// Autotask field `rmmVsaxDeviceID`.
    #[serde(
        rename = "rmmVsaxDeviceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_vsax_device_id: Option<String>,
    /// Autotask field `rmmOpenAlertCount`.
    #[serde(
        rename = "rmmOpenAlertCount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_open_alert_count: Option<i64>,
    /// Serial number.
    #[serde(
        rename = "serialNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub serial_number: Option<String>,
    /// Autotask field `serviceBundleID`.
    #[serde(
        rename = "serviceBundleID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_bundle_id: Option<i64>,
    /// Autotask field `serviceID`.
    #[serde(rename = "serviceID", default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<i64>,
    /// The service level agreement (a picklist value).
    #[serde(
        rename = "serviceLevelAgreementID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_level_agreement_id: Option<i64>,
    /// Autotask field `setupFee`.
    #[serde(rename = "setupFee", default, skip_serializing_if = "Option::is_none")]
    pub setup_fee: Option<f64>,
    /// Autotask field `sourceChargeID`.
    #[serde(
        rename = "sourceChargeID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub source_charge_id: Option<i64>,
    /// Autotask field `sourceChargeType`.
    #[serde(
        rename = "sourceChargeType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub source_charge_type: Option<i64>,
    /// Autotask field `sslSource`.
    #[serde(rename = "sslSource", default, skip_serializing_if = "Option::is_none")]
    pub ssl_source: Option<String>,
    /// Autotask field `sslCommonName`.
    #[serde(
        rename = "sslCommonName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ssl_common_name: Option<String>,
    /// Autotask field `sslValidFromDateTime`.
    #[serde(
        rename = "sslValidFromDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ssl_valid_from_date_time: Option<Timestamp>,
    /// Autotask field `sslValidUntilDateTime`.
    #[serde(
        rename = "sslValidUntilDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ssl_valid_until_date_time: Option<Timestamp>,
    /// Autotask field `sslIssuedBy`.
    #[serde(
        rename = "sslIssuedBy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ssl_issued_by: Option<String>,
    /// Autotask field `sslOrganization`.
    #[serde(
        rename = "sslOrganization",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ssl_organization: Option<String>,
    /// Autotask field `sslOrganizationUnit`.
    #[serde(
        rename = "sslOrganizationUnit",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ssl_organization_unit: Option<String>,
    /// Autotask field `sslLocation`.
    #[serde(
        rename = "sslLocation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ssl_location: Option<String>,
    /// Autotask field `sslSerialNumber`.
    #[serde(
        rename = "sslSerialNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ssl_serial_number: Option<String>,
    /// Autotask field `sslSignatureAlgorithm`.
    #[serde(
        rename = "sslSignatureAlgorithm",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ssl_signature_algorithm: Option<String>,
    /// Autotask field `vendorID`.
    #[serde(rename = "vendorID", default, skip_serializing_if = "Option::is_none")]
    pub vendor_id: Option<i64>,
    /// Autotask field `warrantyExpirationDate`.
    #[serde(
        rename = "warrantyExpirationDate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub warranty_expiration_date: Option<Timestamp>,
    /// Autotask field `rmmIsInMaintenanceMode`.
    #[serde(
        rename = "rmmIsInMaintenanceMode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_is_in_maintenance_mode: Option<bool>,
    /// Autotask field `rmmIsMobileDeviceManagementEnrolled`.
    #[serde(
        rename = "rmmIsMobileDeviceManagementEnrolled",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_is_mobile_device_management_enrolled: Option<bool>,
    /// Autotask field `rmmDeviceUrl`.
    #[serde(
        rename = "rmmDeviceUrl",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub rmm_device_url: Option<String>,
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
