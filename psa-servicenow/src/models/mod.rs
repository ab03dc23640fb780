//! Typed models of the ServiceNow tables the SDK reads and writes, one file
//! per table.
//!
//! Every model matches the Table API's JSON: field names as the instance
//! spells them, every value a [`Field`] (a string, or `{display_value, value}`)
//! or a [`Reference`] (a `sys_id`, `{link, value}` or
//! `{display_value, link, value}`), each `Option` because `sysparm_fields`
//! may leave it out. Every field a model does not name — table-specific
//! columns, dot-walked fields (`caller_id.email`) and custom `u_*` columns —
//! is kept in `extra`, so a record decoded and encoded again equals what the
//! instance sent.
//!
//! The task family shares [`Task`] (the crate root's `Ticket`): [`Incident`],
//! [`ScRequest`], [`ScReqItem`], [`ScTask`], [`ChangeRequest`] and
//! [`Problem`] add their own columns in front of it.
//!
//! This file holds what every table shares: the [`Field`] / [`Reference`]
//! values, the [`Envelope`] of every answer, [`Extra`] and [`TableRecord`].

/// Defines a table model: the named fields, each `Option` and skipped when
/// absent, then one flattened field holding everything else
/// (`extra: Extra` for a plain table, `task: Task` for the task family).
macro_rules! model {
    (
        $(#[$meta:meta])*
        $name:ident = $table:literal;
        $(#[$tmeta:meta])* $tail:ident : $tail_ty:ty;
        { $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            $(#[$tmeta])*
            #[serde(flatten)]
            pub $tail: $tail_ty,
        }

        impl $crate::models::TableRecord for $name {
            const TABLE: &'static str = $table;
        }
    };
}

/// A model of a table outside the task family: its fields, then `extra`.
macro_rules! table_model {
    ($(#[$meta:meta])* $name:ident = $table:literal { $($fields:tt)* }) => {
        model! {
            $(#[$meta])* $name = $table;
            /// Every other field the instance sent, custom `u_*` columns included.
            extra: $crate::models::Extra;
            { $($fields)* }
        }
    };
}

/// A model of a task-family table: its own fields, then the [`Task`] columns.
macro_rules! task_model {
    ($(#[$meta:meta])* $name:ident = $table:literal { $($fields:tt)* }) => {
        model! {
            $(#[$meta])* $name = $table;
            /// The columns every task-family record has (and, in its
            /// `extra`, everything else).
            task: $crate::models::Task;
            { $($fields)* }
        }
    };
}

mod ast_contract;
mod change_request;
mod cmdb_ci;
mod contract_sla;
mod core_company;
mod incident;
mod kb_knowledge;
mod pm_project;
mod problem;
mod sc_cat_item;
mod sc_req_item;
mod sc_request;
mod sc_task;
mod sys_audit;
mod sys_choice;
mod sys_journal_field;
mod sys_user;
mod sys_user_group;
mod task;
mod task_sla;
mod task_time_worked;
mod time_card;
mod value;

pub use ast_contract::AstContract;
pub use change_request::ChangeRequest;
pub use cmdb_ci::CmdbCi;
pub use contract_sla::ContractSla;
pub use core_company::CoreCompany;
pub use incident::Incident;
pub use kb_knowledge::KbKnowledge;
pub use pm_project::PmProject;
pub use problem::Problem;
pub use sc_cat_item::ScCatItem;
pub use sc_req_item::ScReqItem;
pub use sc_request::ScRequest;
pub use sc_task::ScTask;
pub use sys_audit::SysAudit;
pub use sys_choice::SysChoice;
pub use sys_journal_field::JournalEntry;
pub use sys_user::SysUser;
pub use sys_user_group::SysUserGroup;
pub use task::Task;
pub use task_sla::TaskSla;
pub use task_time_worked::TaskTimeWorked;
pub use time_card::TimeCard;
pub use value::{
    Field, GLIDE_DATETIME, Reference, format_glide_datetime, format_glide_duration,
    parse_glide_datetime, parse_glide_duration,
};

/// Other fields of a record, by name, exactly as sent.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// A table model: its table name.
pub trait TableRecord {
    /// The table the model reads.
    const TABLE: &'static str;
}

/// Every Table API answer: `{"result": …}`, a record or a list of them.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct Envelope<T> {
    /// The record(s).
    pub result: T,
}
