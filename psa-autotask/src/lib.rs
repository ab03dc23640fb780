#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod caps;
mod client;
mod error;
mod limits;
pub mod mapping;
#[cfg(feature = "mock")]
pub mod mock;
pub mod models;
pub mod picklist;
mod psa;
pub mod query;
pub mod resources;
mod transport;
pub mod webhook;

pub use client::{Client, ClientBuilder};
pub use error::error_parser;
pub use limits::BudgetMode;
#[cfg(feature = "mock")]
pub use mock::AutotaskMock;
pub use models::Ticket;
pub use picklist::Picklists;
pub use psa::{MAX_UPLOAD_BYTES, UPLOAD_THRESHOLD_BYTES, UPLOAD_WINDOW, raw_group_of};
pub use resources::{Children, Entities};
pub use transport::ZONE_LOOKUP_URL;
pub use webhook::{Delivery, WebhookVerifier};
