//! The vendors' in-process simulators (feature `simulator`), for
//! `psa-mcp --simulator` and for tests: seeded, stateful, no account, no
//! network beyond loopback.
//!
//! Each vendor crate's simulator implements psa-core's
//! [`testing::Simulator`](psa_core::testing::Simulator) trait; this module
//! only picks the vendor's, and everything else goes through the trait.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use psa_autotask::mock::AutotaskMock;
use psa_connectwise::ConnectWiseMock;
use psa_core::testing::Simulator as VendorSimulator;
use psa_core::{Error, Psa, Result, Vendor};
use psa_halo::HaloMock;
use psa_servicenow::ServiceNowMock;

/// One vendor's simulator, running in this process. It dereferences to
/// psa-core's [`Simulator`](psa_core::testing::Simulator) trait: request
/// counters, the wiremock server, raw reads, webhook deliveries.
pub struct Simulator {
    inner: Box<dyn VendorSimulator>,
}

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Simulator").field(&self.vendor()).finish()
    }
}

impl Simulator {
    /// Starts `vendor`'s simulator with its seed data.
    pub async fn start(vendor: Vendor) -> Result<Simulator> {
        let inner: Box<dyn VendorSimulator> = match vendor {
            Vendor::Halo => Box::new(HaloMock::start().await),
            Vendor::ConnectWise => Box::new(ConnectWiseMock::start().await),
            Vendor::Autotask => Box::new(AutotaskMock::start().await),
            Vendor::ServiceNow => Box::new(ServiceNowMock::start().await),
            other => return Err(Error::config(format!("no simulator for {other}"))),
        };
        Ok(Simulator { inner })
    }

    /// Wraps a simulator started elsewhere (one built with options).
    pub fn from_simulator(inner: Box<dyn VendorSimulator>) -> Simulator {
        Simulator { inner }
    }

    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        self.inner.vendor()
    }

    /// A client for it (unguarded: give it to [`McpServer::builder`](crate::McpServer::builder)).
    pub fn psa(&self) -> Arc<dyn Psa> {
        self.inner.psa()
    }

    /// Requests it has received so far (token requests included).
    pub fn request_count(&self) -> u64 {
        self.inner.request_count()
    }

    /// Requests to routes it does not know (a mapping bug when non-zero).
    pub fn unexpected_requests(&self) -> u64 {
        self.inner.unexpected_requests()
    }

    /// The vendor's simulator, through psa-core's trait.
    pub fn inner(&self) -> &dyn VendorSimulator {
        &*self.inner
    }
}

impl Deref for Simulator {
    type Target = dyn VendorSimulator;

    fn deref(&self) -> &Self::Target {
        &*self.inner
    }
}
