#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
mod caps;
pub mod client;
pub mod error;
pub mod ids;
pub mod limits;
pub mod mapping;
pub mod models;
mod psa;
pub mod query;
pub mod resources;
mod transport;
pub mod webhook;

#[cfg(feature = "mock")]
pub mod mock;

pub use auth::Auth;
pub use client::{AgentLogin, AgentLoginProvider, Client, ClientBuilder};
pub use error::error_parser;
pub use ids::{RecordKey, SysId, TaskTable, TicketId};
pub use mapping::ResolutionRule;
#[cfg(feature = "mock")]
pub use mock::ServiceNowMock;
/// The typed ticket: the columns every task-family record shares (the
/// `task` table), of which [`models::Incident`], [`models::ScReqItem`] …
/// are the table-specific forms. The uniform ticket is [`psa_core::Ticket`].
pub use models::Task as Ticket;
pub use psa::raw_group_of;
pub use resources::{
    Batch, BatchResponse, Create, Delete, DisplayValue, Get, List, Raw, Table, TablePage, Update,
};
pub use webhook::WebhookVerifier;
