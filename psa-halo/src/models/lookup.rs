//! Statuses, priorities, teams, ticket types and generic look-up tables.

use super::common::Number;
use super::macros::model;

model! {
    /// A ticket status: Halo's `TStatus` record (`/Status`).
    pub struct Status {
        /// Status id.
        id: i64,
        /// Name.
        name: String,
        /// Short name.
        shortname: String,
        /// Halo's status type code.
        #[serde(rename = "type")]
        status_type: i64,
        /// Display order.
        sequence: i64,
        /// Colour.
        colour: String,
    }
}

model! {
    /// A priority of an SLA: Halo's `Policy` record (`/Priority`). Halo keeps
    /// priorities per SLA, so the same `priorityid` appears once per SLA.
    pub struct Priority {
        /// The record's GUID.
        id: String,
        /// The priority id tickets carry in `priority_id`.
        priorityid: i64,
        /// The SLA it belongs to.
        slaid: i64,
        /// Name.
        name: String,
        /// Hidden.
        ishidden: bool,
        /// Response target.
        responsetime: Number,
        /// Units of the response target.
        responseunits: String,
        /// Fix target.
        fixtime: Number,
        /// Units of the fix target.
        fixunits: String,
        /// Colour.
        colour: String,
    }
}

model! {
    /// A team: Halo's `SectionDetail` record (`/Team`).
    pub struct Team {
        /// Team id.
        id: i64,
        /// Name.
        name: String,
        /// Display order.
        sequence: i64,
        /// Used for tickets.
        forrequests: bool,
        /// Department id.
        department_id: i64,
        /// Department name.
        department_name: String,
        /// Inactive.
        inactive: bool,
    }
}

model! {
    /// A ticket type: Halo's `RequestType` record (`/TicketType`).
    pub struct TicketType {
        /// Ticket type id.
        id: i64,
        /// Name.
        name: String,
        /// What it is used for (`tickets`, `opps`, `prjs`).
        #[serde(rename = "use")]
        usage: String,
        /// Group id.
        group_id: i64,
        /// Group name.
        group_name: String,
        /// Display order.
        sequence: i64,
        /// Visible.
        visible: bool,
        /// Inactive (sent by some Halo versions; not in the 2024
        /// `RequestType` schema, where `visible` says the same).
        inactive: bool,
    }
}

model! {
    /// An entry of a generic look-up table (`/Lookup?lookupid=…`), such as
    /// the charge types that actions carry as `chargerate`.
    pub struct LookupEntry {
        /// Entry id.
        id: i64,
        /// The look-up table.
        lookupid: i64,
        /// Name.
        name: String,
        /// Display order.
        sequence: i64,
        /// Inactive.
        inactive: bool,
    }
}
