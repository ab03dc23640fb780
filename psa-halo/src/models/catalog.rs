//! Assets, appointments, items, contracts, SLAs, knowledge base, timesheets.

use super::common::CustomField;
use super::common::Number;
use super::macros::model;
use psa_core::Timestamp;

model! {
    /// An asset (configuration item): Halo's `Device` record (`/Asset`).
    pub struct Asset {
        /// Asset id.
        id: i64,
        /// Asset tag.
        inventory_number: String,
        /// The asset type's key field value (its main identifier).
        key_field: String,
        /// Client id.
        client_id: i64,
        /// Client name.
        client_name: String,
        /// Site id.
        site_id: i64,
        /// Site name.
        site_name: String,
        /// Asset type id.
        assettype_id: i64,
        /// Asset type name.
        assettype_name: String,
        /// Inactive.
        inactive: bool,
        /// Custom fields.
        customfields: Vec<CustomField>,
    }
}

model! {
    /// An appointment or task on an agent's calendar (`/Appointment`).
    pub struct Appointment {
        /// Appointment id.
        id: i64,
        /// Subject.
        subject: String,
        /// Start.
        start_date: Timestamp,
        /// End.
        end_date: Timestamp,
        /// All day.
        allday: bool,
        /// The agent.
        agent_id: i64,
        /// The agent's name.
        agent_name: String,
        /// The ticket it is for.
        ticket_id: i64,
        /// Client id.
        client_id: i64,
        /// Client name.
        client_name: String,
        /// End user id.
        user_id: i64,
        /// Note.
        note: String,
        /// Private.
        is_private: bool,
        /// A task rather than an appointment.
        is_task: bool,
        /// Appointment type name.
        appointment_type_name: String,
        /// Hours to add to the UTC dates of this request.
        utcoffset: Number,
    }
}

model! {
    /// A catalog item (product): Halo's `Item` record (`/Item`).
    pub struct Item {
        /// Item id.
        id: i64,
        /// Name.
        name: String,
        /// Description.
        description: String,
        /// Internal reference (SKU).
        internalreference: String,
        /// Supplier part code.
        supplier_part_code: String,
        /// Sale price.
        baseprice: Number,
        /// Cost price.
        costprice: Number,
        /// Inactive (sent by Halo's item list; not in the 2024 `Item`
        /// request schema).
        inactive: bool,
        /// Custom fields.
        customfields: Vec<CustomField>,
    }
}

model! {
    /// A client contract: Halo's `ContractHeader` record (`/ClientContract`).
    pub struct Contract {
        /// Contract id.
        id: i64,
        /// Reference.
        #[serde(rename = "ref")]
        reference: String,
        /// Client id.
        client_id: i64,
        /// Client name.
        client_name: String,
        /// Site id.
        site_id: i64,
        /// Start.
        start_date: Timestamp,
        /// End.
        end_date: Timestamp,
        /// Expired.
        expired: bool,
        /// Active.
        active: bool,
        /// Status code.
        status: i64,
        /// Status text.
        contract_status: String,
        /// Contract type code.
        contracttype: i64,
        /// SLA id.
        sla_id: i64,
        /// SLA name.
        sla_name: String,
        /// Custom fields.
        customfields: Vec<CustomField>,
    }
}

model! {
    /// A service level agreement: Halo's `SlaHead` record (`/SLA`).
    pub struct Sla {
        /// SLA id.
        id: i64,
        /// Name.
        name: String,
        /// Working-hours calendar id.
        workday_id: i64,
        /// Working-hours calendar name.
        workday_name: String,
        /// Track response time.
        trackslaresponsetime: bool,
        /// Track fix-by time.
        trackslafixbytime: bool,
    }
}

model! {
    /// A knowledge-base article: Halo's `KBEntry` record (`/KBArticle`).
    pub struct KbArticle {
        /// Article id.
        id: i64,
        /// Title.
        name: String,
        /// Body as text.
        description: String,
        /// Body as HTML.
        description_html: String,
        /// Resolution as text.
        resolution: String,
        /// Resolution as HTML.
        resolution_html: String,
        /// Tags.
        tag_string: String,
        /// Article type code.
        #[serde(rename = "type")]
        article_type: i64,
        /// Inactive.
        inactive: bool,
        /// Created.
        date_created: Timestamp,
        /// Last edited.
        date_edited: Timestamp,
    }
}

model! {
    /// A timesheet entry of an agent (`/TimesheetEvent`). Entries of time
    /// worked on a ticket point at the ticket's action (`ticket_id`,
    /// `action_number`).
    pub struct TimesheetEvent {
        /// Entry id.
        id: i64,
        /// Event type code.
        event_type: i64,
        /// Subject.
        subject: String,
        /// Start.
        start_date: Timestamp,
        /// End.
        end_date: Timestamp,
        /// Hours.
        timetaken: Number,
        /// Agent id.
        agent_id: i64,
        /// Ticket id (0 = not ticket time).
        ticket_id: i64,
        /// Action number on the ticket.
        action_number: i64,
        /// Note.
        note: String,
        /// Charge rate (work type) id.
        charge_rate: i64,
        /// Client id.
        client_id: i64,
    }
}
