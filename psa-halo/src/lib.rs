#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod caps;
pub mod client;
mod error;
mod ids;
pub(crate) mod mapping;
#[cfg(feature = "mock")]
pub mod mock;
pub mod models;
mod psa;
mod query;
pub mod resources;
mod transport;
pub mod webhook;

pub use auth::DEFAULT_SCOPE;
pub use client::{Client, ClientBuilder, Outcomes};
pub use error::{error_parser, parse_error_body};
pub use ids::ActionKey;
#[cfg(feature = "mock")]
pub use mock::HaloMock;
pub use models::*;
pub use psa::raw_group_of;
pub use transport::RateLimit;
pub use webhook::WebhookAuth;
