//! The conformance suite and the fault matrix on the ConnectWise PSA simulator.

#[macro_use]
mod common;

use psa_core::Vendor;

scenario_tests!(Vendor::ConnectWise);
fault_tests!(Vendor::ConnectWise);
