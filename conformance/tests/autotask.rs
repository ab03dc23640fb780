//! The conformance suite and the fault matrix on the Autotask PSA simulator.

#[macro_use]
mod common;

use psa_core::Vendor;

scenario_tests!(Vendor::Autotask);
fault_tests!(Vendor::Autotask);
