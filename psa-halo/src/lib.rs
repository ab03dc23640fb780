#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod client;
mod error;
mod keys;
pub(crate) mod mapping;
#[cfg(feature = "mock")]
pub mod mock;
pub mod models;
pub mod paging;
mod psa;
pub mod request;
pub mod resources;
mod settings;
mod types;
pub mod webhook;

pub use client::{Client, ClientBuilder, DEFAULT_SCOPE, RateLimit, error_parser};
pub use error::parse_error_body;
pub use keys::ActionKey;
#[cfg(feature = "mock")]
pub use mock::HaloMock;
pub use models::*;
pub use psa::raw_group_of;
pub use request::Request;
pub use settings::Outcomes;
pub use types::{Number, Timestamp};
pub use webhook::WebhookAuth;
