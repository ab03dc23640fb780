#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod budget;
mod caps;
mod client;
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

pub use budget::BudgetMode;
pub use client::{Client, ClientBuilder, ZONE_LOOKUP_URL};
pub use picklist::Picklists;
pub use resources::{Children, Entities, QueryPage, QueryRequest};
pub use webhook::{Delivery, WebhookVerifier};
