#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod credentials;
#[cfg(feature = "halo")]
mod halo;
mod registry;

pub use credentials::{CredentialProvider, Credentials, EnvCredentials, FileCredentials};
#[cfg(feature = "halo")]
pub use halo::HaloFactory;
pub use registry::{ClientFactory, TenantClient, TenantConfig, TenantRegistry};
