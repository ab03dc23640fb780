//! `sc_request`: [`ScRequest`].

use super::{Field, Reference};

task_model! {
    /// A Service Catalog request (`sc_request`, `REQ…`).
    ScRequest = "sc_request" {
        /// Requested for (`sys_user`): the uniform contact.
        requested_for: Reference,
        /// Request state.
        request_state: Field,
        /// Stage.
        stage: Field,
        /// Price.
        price: Field,
        /// Special instructions.
        special_instructions: Field,
    }
}
