#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod capabilities;
pub mod error;
pub mod id;
pub mod input;
pub mod model;
pub mod permission;
pub mod phone;
pub mod psa;
pub mod secrets;
#[cfg(feature = "testing")]
pub mod testing;
pub mod vendor;

pub use capabilities::{Capabilities, Support};
pub use error::{ApiErrorBody, Error, ErrorKind, FieldError, Result};
pub use id::Id;
pub use model::*;
pub use permission::{
    Access, Denial, OpDescriptor, OpKind, Operation, PermissionGroup, PlannedWrite,
};
pub use psa::Psa;
pub use vendor::Vendor;

/// Re-exports of the crates whose types appear in psa-core's public API, so
/// that users and vendor crates name the same versions.
pub mod reexports {
    pub use async_trait::async_trait;
    pub use bytes;
    pub use chrono;
    pub use futures;
    pub use http;
    pub use reqwest;
    pub use secrecy;
    pub use serde_json;
    pub use url;
}

// --- modules owned by the HTTP machinery work (http/, paging.rs) below this line ---
pub mod http;
pub mod paging;
pub use paging::{Page, PageToken};
