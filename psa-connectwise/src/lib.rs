#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod caps;
mod client;
pub mod error;
pub mod mapping;
pub mod models;
mod psa;
pub mod query;
pub mod resources;
mod transport;
pub mod webhook;

#[cfg(feature = "mock")]
pub mod mock;

pub use client::{Client, ClientBuilder, DEFAULT_API_VERSION};
pub use error::error_parser;
#[cfg(feature = "mock")]
pub use mock::ConnectWiseMock;
pub use models::Ticket;
pub use psa::raw_group_of;
pub use transport::discover;
