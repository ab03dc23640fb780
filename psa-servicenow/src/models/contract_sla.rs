//! `contract_sla`: [`ContractSla`].

use super::{Field, Reference};

table_model! {
    /// An SLA definition (`contract_sla`).
    ContractSla = "contract_sla" {
        /// `sys_id`.
        sys_id: Field,
        /// Name.
        name: Field,
        /// `SLA`, `OLA` or `Underpinning contract`.
        #[serde(rename = "type")]
        sla_type: Field,
        /// `response` or `resolution`.
        target: Field,
        /// The task table it applies to.
        collection: Field,
        /// Duration.
        duration: Field,
        /// Schedule.
        schedule: Reference,
        /// Active.
        active: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}
