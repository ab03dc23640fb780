//! `cmdb_ci`: [`CmdbCi`].

use super::{Field, Reference};

table_model! {
    /// A configuration item (`cmdb_ci`, or one of its classes).
    CmdbCi = "cmdb_ci" {
        /// `sys_id`.
        sys_id: Field,
        /// Name.
        name: Field,
        /// The CI class (`cmdb_ci_computer` …).
        sys_class_name: Field,
        /// Company.
        company: Reference,
        /// Serial number.
        serial_number: Field,
        /// Asset tag.
        asset_tag: Field,
        /// Install status (`1` Installed … `7` Retired).
        install_status: Field,
        /// Operational status.
        operational_status: Field,
        /// Manufacturer (`core_company`).
        manufacturer: Reference,
        /// Model.
        model_id: Reference,
        /// IP address.
        ip_address: Field,
        /// Assigned to.
        assigned_to: Reference,
        /// Location.
        location: Reference,
        /// Description.
        short_description: Field,
        /// Created on.
        sys_created_on: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}
