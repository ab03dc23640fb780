//! `sc_req_item`: [`ScReqItem`].

use super::{Field, Reference};

task_model! {
    /// A requested item (`sc_req_item`, `RITM…`).
    ScReqItem = "sc_req_item" {
        /// The request (`sc_request`).
        request: Reference,
        /// The catalog item ordered (`sc_cat_item`).
        cat_item: Reference,
        /// Requested for (`sys_user`): the uniform contact.
        requested_for: Reference,
        /// Quantity.
        quantity: Field,
        /// Stage.
        stage: Field,
        /// Price.
        price: Field,
        /// Recurring price.
        recurring_price: Field,
    }
}
