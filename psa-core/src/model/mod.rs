//! The uniform models: what every vendor's records map to.
//!
//! Every record keeps the vendor's JSON in `raw` (a [`RawRecord`], read as a
//! `serde_json::Value`), so nothing the vendor sent is lost in the mapping,
//! and custom fields are a first-class
//! [`CustomFields`] map. Records are `#[non_exhaustive]`: construct them with
//! `new` and set fields; inputs (`NewTicket`, `TicketPatch` …) have builder
//! methods, `validate()` and `written_fields()` (what a permission guard
//! checks).

mod asset;
mod attachment;
mod catalog;
mod checked;
mod common;
mod custom_field;
mod echo;
mod lookup;
mod note;
mod party;
mod raw;
mod record;
mod replay;
mod schedule;
mod ticket;
mod time;
mod timestamp;
mod webhook;

pub use asset::{Configuration, ConfigurationPatch, ConfigurationQuery, NewConfiguration};
pub use attachment::{Attachment, AttachmentDownload, NewAttachment};
pub use catalog::{
    Agreement, AgreementQuery, KbArticle, KbQuery, LineItem, NewLineItem, Product, ProductQuery,
    Project, ProjectQuery, Sla,
};
pub use common::{Change, CustomFields, Ref};
pub use custom_field::{
    CustomFieldDef, CustomFieldEntity, CustomFieldKind, PicklistOption, validate_custom_fields,
};
pub use echo::EchoFilter;
pub use lookup::{Agent, LookupItem, LookupScope};
pub use note::{NewNote, Note, NoteVisibility};
pub use party::{Company, CompanyQuery, Contact, ContactPatch, ContactQuery, NewContact};
pub use raw::{RAW_METHODS, RawRequest, RawResponse};
pub use record::RawRecord;
pub use replay::ReplayWindow;
pub use schedule::{NewScheduleEntry, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery};
pub use ticket::{
    AuditEntry, NewTicket, Resolution, SlaTimers, Ticket, TicketPatch, TicketQuery, TicketState,
};
pub use time::{MAX_TIME_ENTRY, NewTimeEntry, TimeEntry, TimeEntryPatch, TimeEntryQuery, WorkSpan};
pub use timestamp::Timestamp;
pub use webhook::{
    NewWebhook, TicketEvent, TicketEventKind, WebhookDelivery, WebhookSubscription,
    is_sensitive_delivery_header,
};
