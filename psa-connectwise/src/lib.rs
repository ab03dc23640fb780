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
pub mod request;
pub mod resources;
pub mod webhook;

#[cfg(feature = "mock")]
pub mod mock;

pub use client::{Client, ClientBuilder, DEFAULT_API_VERSION, discover, error_parser};
#[cfg(feature = "mock")]
pub use mock::ConnectWiseMock;
pub use models::{Company, Contact, Ticket, TimeEntry};
