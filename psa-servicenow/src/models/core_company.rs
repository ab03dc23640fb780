//! `core_company`: [`CoreCompany`].

use super::{Field, Reference};

table_model! {
    /// A company (`core_company`).
    CoreCompany = "core_company" {
        /// `sys_id`.
        sys_id: Field,
        /// Name.
        name: Field,
        /// Phone.
        phone: Field,
        /// Fax.
        fax_phone: Field,
        /// Website.
        website: Field,
        /// Street.
        street: Field,
        /// City.
        city: Field,
        /// State / province.
        state: Field,
        /// Postal code.
        zip: Field,
        /// Country.
        country: Field,
        /// Whether a customer.
        customer: Field,
        /// Whether a vendor.
        vendor: Field,
        /// Whether a manufacturer.
        manufacturer: Field,
        /// Parent company.
        parent: Reference,
        /// Stock symbol.
        stock_symbol: Field,
        /// Notes.
        notes: Field,
        /// Created on.
        sys_created_on: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}
