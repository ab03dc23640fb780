//! The vendors' in-process simulators (feature `simulator`), for
//! `psa-mcp --simulator` and for tests: seeded, stateful, no account, no
//! network beyond loopback.

use std::fmt;
use std::sync::Arc;

use psa_autotask::mock::AutotaskMock;
use psa_connectwise::ConnectWiseMock;
use psa_core::{Error, Psa, Result, Vendor};
use psa_halo::HaloMock;
use psa_servicenow::ServiceNowMock;

/// One vendor's simulator, running in this process.
pub enum Simulator {
    /// HaloPSA.
    Halo(HaloMock),
    /// ConnectWise PSA.
    ConnectWise(ConnectWiseMock),
    /// Autotask PSA.
    Autotask(AutotaskMock),
    /// ServiceNow.
    ServiceNow(ServiceNowMock),
}

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Simulator").field(&self.vendor()).finish()
    }
}

impl Simulator {
    /// Starts `vendor`'s simulator with its seed data.
    pub async fn start(vendor: Vendor) -> Result<Simulator> {
        Ok(match vendor {
            Vendor::Halo => Simulator::Halo(HaloMock::start().await),
            Vendor::ConnectWise => Simulator::ConnectWise(ConnectWiseMock::start().await),
            Vendor::Autotask => Simulator::Autotask(AutotaskMock::start().await),
            Vendor::ServiceNow => Simulator::ServiceNow(ServiceNowMock::start().await),
            other => return Err(Error::config(format!("no simulator for {other}"))),
        })
    }

    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        match self {
            Simulator::Halo(_) => Vendor::Halo,
            Simulator::ConnectWise(_) => Vendor::ConnectWise,
            Simulator::Autotask(_) => Vendor::Autotask,
            Simulator::ServiceNow(_) => Vendor::ServiceNow,
        }
    }

    /// A client for it (unguarded: give it to [`McpServer::builder`](crate::McpServer::builder)).
    pub fn psa(&self) -> Arc<dyn Psa> {
        match self {
            Simulator::Halo(m) => Arc::new(m.client()),
            Simulator::ConnectWise(m) => Arc::new(m.client()),
            Simulator::Autotask(m) => Arc::new(m.client()),
            Simulator::ServiceNow(m) => Arc::new(m.client()),
        }
    }

    /// Requests it has received so far (token requests included).
    pub fn request_count(&self) -> u64 {
        match self {
            Simulator::Halo(m) => m.request_count(),
            Simulator::ConnectWise(m) => m.request_count(),
            Simulator::Autotask(m) => m.request_count(),
            Simulator::ServiceNow(m) => m.request_count(),
        }
    }

    /// Requests to routes it does not know (a mapping bug when non-zero).
    pub fn unexpected_requests(&self) -> u64 {
        match self {
            Simulator::Halo(m) => m.unexpected_requests(),
            Simulator::ConnectWise(m) => m.unexpected_requests(),
            Simulator::Autotask(m) => m.unexpected_requests(),
            Simulator::ServiceNow(m) => m.unexpected_requests(),
        }
    }
}
