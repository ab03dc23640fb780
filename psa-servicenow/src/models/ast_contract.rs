//! `ast_contract`: [`AstContract`].

use super::{Field, Reference};

table_model! {
    /// A contract (`ast_contract`): the uniform agreement.
    AstContract = "ast_contract" {
        /// `sys_id`.
        sys_id: Field,
        /// Number (`CNTR0010001`).
        number: Field,
        /// Name.
        short_description: Field,
        /// The vendor's contract number (the display field).
        vendor_contract: Field,
        /// Vendor (`core_company`).
        vendor: Reference,
        /// Customer (`core_company`).
        customer: Reference,
        /// Contract model.
        contract_model: Reference,
        /// Start date.
        starts: Field,
        /// End date.
        ends: Field,
        /// State (`draft`, `active`, `expired`, `cancelled`).
        state: Field,
        /// Substate.
        substate: Field,
        /// Active.
        active: Field,
        /// Contract administrator.
        contract_administrator: Reference,
        /// Description.
        description: Field,
    }
}
