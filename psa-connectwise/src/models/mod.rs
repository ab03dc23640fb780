//! Typed ConnectWise records in ConnectWise's own JSON (camelCase, `_info`,
//! references, `customFields`).
//!
//! Every record keeps the members this SDK does not type in a flattened
//! `extra` map, so a record decoded and re-encoded loses nothing; picklists
//! are `#[non_exhaustive]` enums with an `Unknown` fallback. Every field is
//! optional: ConnectWise omits what is empty, and the same structs are the
//! bodies of creates, where only the fields set are sent.

mod common;
mod company;
mod configuration;
mod finance;
mod procurement;
mod project;
mod schedule;
mod service;
mod system;
mod ticket;
mod time;

pub use common::{
    BillableOption, Count, CustomField, CustomFieldType, EntryMethod, Extra, Info, PatchOp,
    PatchOperation, Reference, SuccessResponse, TicketBundle, TicketMerge, custom_field_map,
    format_timestamp, opt_timestamp, parse_timestamp,
};
pub use company::{CommunicationItem, CommunicationType, Company, Contact};
pub use configuration::Configuration;
pub use finance::{Agreement, AgreementStatus};
pub use procurement::{CatalogItem, ProductItem};
pub use project::Project;
pub use schedule::{SERVICE_TICKET_SCHEDULE_TYPE, ScheduleEntry};
pub use service::{
    Board, BoardItem, BoardStatus, BoardSubType, BoardType, KnowledgeBaseArticle, Priority,
    PriorityLevel, Sla,
};
pub use system::{
    CallbackEntry, CompanyInfo, Document, DocumentUpload, Member, UserDefinedField,
    UserDefinedFieldOption,
};
pub use ticket::{AuditTrailEntry, Level, RecordType, ServiceNote, Ticket};
pub(crate) use ticket::{InfoHead, RefHead, TicketHead};
pub use time::{ChargeToType, TimeEntry, TimeEntryStatus, WorkType};
