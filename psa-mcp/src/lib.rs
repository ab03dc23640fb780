#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod args;
pub mod config;
pub mod envelope;
pub mod errors;
mod exec;
pub mod http;
mod server;
#[cfg(feature = "simulator")]
pub mod simulator;
pub mod tools;

pub use args::{ArgError, Limits};
pub use config::Config;
pub use http::{HttpOptions, HttpServer};
pub use server::{McpServer, ServerBuilder};

/// Re-exports of the crates whose types appear in psa-mcp's public API.
pub mod reexports {
    pub use psa_core;
    pub use psa_permissions;
    pub use rmcp;
}
