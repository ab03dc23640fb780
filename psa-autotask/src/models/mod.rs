//! Typed Autotask models, in Autotask's JSON casing (`companyID`,
//! `userDefinedFields`), generated from the swagger's definitions.
//!
//! Every field is optional (Autotask returns `null` for unset fields and a
//! sparse `PATCH` must not send fields it does not change); fields this SDK
//! does not model are kept in `extra`, so a record decoded and encoded again
//! loses nothing. Picklist fields (`status`, `priority`, `queueID` …) are the
//! stored integers; their labels come from
//! [`Client::picklists`](crate::Client::picklists).

mod attachment;
mod common;
mod company;
mod configuration_item;
mod contract;
mod knowledge_base;
mod meta;
mod product;
mod project;
mod resource;
mod service_call;
mod ticket;
mod ticket_note;
mod time_entry;
mod webhook;

pub use attachment::{FILE_ATTACHMENT, TicketAttachment};
pub use common::{ItemId, ItemResult, PageDetails, QueryCount, QueryResult, UserDefinedField};
pub use company::{Company, Contact};
pub use configuration_item::ConfigurationItem;
pub use contract::{Contract, SlaResult};
pub use knowledge_base::{ArticlePlainTextContent, KnowledgeBaseArticle};
pub use meta::{
    DataType, EntityInformation, EntityInformationResult, FieldInformation, FieldInformationResult,
    PickListValue, ThresholdInformation, ZoneInformation,
};
pub use product::{Product, TicketCharge};
pub use project::Project;
/// Autotask's date-times: `psa_core::Timestamp`, the instant and the text as sent.
pub use psa_core::Timestamp;
pub use resource::{BillingCode, Resource, ResourceServiceDeskRole, Role};
pub use service_call::{ServiceCall, ServiceCallTicket, ServiceCallTicketResource};
pub use ticket::{Ticket, TicketCategory, TicketHistory};
pub use ticket_note::TicketNote;
pub use time_entry::TimeEntry;
pub use webhook::{TicketWebhook, TicketWebhookExcludedResource, TicketWebhookField};

/// A record type and the REST entity it is read from.
///
/// `ENTITY` is the collection name in `/V1.0/{ENTITY}/query` and
/// `/V1.0/{ENTITY}/{id}`; lower-cased, it is also the key the thread limiter
/// counts in-flight requests by.
pub trait Entity: serde::de::DeserializeOwned + serde::Serialize + Send + Sync + 'static {
    /// The REST collection name (`Tickets`, `TicketNotes` …).
    const ENTITY: &'static str;
    /// The smallest id a stored record has: 1, and 0 for companies (the
    /// MSP's own company is company 0). A handle refuses a smaller id before
    /// sending anything.
    const MIN_ID: i64 = 1;
    /// The record's id.
    fn id(&self) -> i64;
}

macro_rules! entities {
    ($($ty:ty => $name:literal $(, min $min:literal)?);* $(;)?) => {$(
        impl Entity for $ty {
            const ENTITY: &'static str = $name;
            $(const MIN_ID: i64 = $min;)?
            fn id(&self) -> i64 {
                self.id
            }
        }
    )*};
}

entities! {
    Ticket => "Tickets";
    TicketHistory => "TicketHistory";
    TicketCategory => "TicketCategories";
    TicketNote => "TicketNotes";
    TimeEntry => "TimeEntries";
    Company => "Companies", min 0;
    Contact => "Contacts";
    ConfigurationItem => "ConfigurationItems";
    ServiceCall => "ServiceCalls";
    ServiceCallTicket => "ServiceCallTickets";
    ServiceCallTicketResource => "ServiceCallTicketResources";
    Product => "Products";
    TicketCharge => "TicketCharges";
    Contract => "Contracts";
    SlaResult => "ServiceLevelAgreementResults";
    Project => "Projects";
    Resource => "Resources";
    Role => "Roles";
    ResourceServiceDeskRole => "ResourceServiceDeskRoles";
    BillingCode => "BillingCodes";
    KnowledgeBaseArticle => "KnowledgeBaseArticles";
    ArticlePlainTextContent => "ArticlePlainTextContent";
    TicketWebhook => "TicketWebhooks";
    TicketWebhookField => "TicketWebhookFields";
    TicketWebhookExcludedResource => "TicketWebhookExcludedResources";
    TicketAttachment => "TicketAttachments";
}
