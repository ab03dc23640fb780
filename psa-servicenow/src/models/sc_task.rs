//! `sc_task`: [`ScTask`].

use super::Reference;

task_model! {
    /// A catalog task (`sc_task`, `SCTASK…`).
    ScTask = "sc_task" {
        /// The requested item it fulfils (`sc_req_item`).
        request_item: Reference,
        /// The request (`sc_request`).
        request: Reference,
    }
}
