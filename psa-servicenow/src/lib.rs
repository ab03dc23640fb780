#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
mod caps;
pub mod client;
pub mod error;
mod http_client;
pub mod ids;
pub mod limits;
pub mod mapping;
pub mod models;
mod psa;
pub mod query;
pub mod resources;
pub mod webhook;

pub use auth::Auth;
pub use client::{Client, ClientBuilder, Request, Response};
pub use error::parse_error_body;
pub use ids::{SysId, TaskTable, TicketId};
pub use mapping::ResolutionRule;
pub use resources::table::{DisplayValue, ListRequest, RecordRequest, Table, TablePage};

#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "mock")]
pub use mock::ServiceNowMock;
pub use webhook::WebhookVerifier;
