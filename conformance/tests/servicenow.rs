//! The conformance suite and the fault matrix on the ServiceNow simulator.

#[macro_use]
mod common;

use psa_core::Vendor;

scenario_tests!(Vendor::ServiceNow);
fault_tests!(Vendor::ServiceNow);
