//! The four PSA vendors the SDK speaks to.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A PSA vendor.
///
/// Carried by every [`Error`](crate::Error) and every uniform model source so
/// that a program talking to several PSAs knows where a record or a failure
/// came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Vendor {
    /// HaloPSA (also HaloITSM / HaloCRM, same API).
    Halo,
    /// ConnectWise PSA, formerly ConnectWise Manage.
    ConnectWise,
    /// Autotask PSA (Datto / Kaseya), REST API.
    Autotask,
    /// ServiceNow ITSM, Table API.
    ServiceNow,
}

impl Vendor {
    /// A short lowercase name, stable across releases: `halo`, `connectwise`,
    /// `autotask`, `servicenow`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Vendor::Halo => "halo",
            Vendor::ConnectWise => "connectwise",
            Vendor::Autotask => "autotask",
            Vendor::ServiceNow => "servicenow",
        }
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
