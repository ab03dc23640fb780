//! The conformance suite and the fault matrix on the HaloPSA simulator.

#[macro_use]
mod common;

use psa_core::Vendor;

scenario_tests!(Vendor::Halo);
fault_tests!(Vendor::Halo);
