//! Runnable examples of psa-sdk, and the small amount of shared code they use.
//!
//! Run the main one with `cargo run -p psa-examples --bin quickstart`, and a
//! sync service's loop with `cargo run -p psa-examples --bin sync`; both take
//! `--vendor halo|connectwise|autotask|servicenow`.

use std::fmt;
use std::sync::Arc;

use psa_autotask::mock::AutotaskMock;
use psa_connectwise::ConnectWiseMock;
use psa_core::{Error, Psa, Result};
use psa_halo::HaloMock;
use psa_servicenow::ServiceNowMock;

/// One of the four vendor simulators, started in-process.
///
/// Each is the vendor crate's own stateful simulator (its `mock` feature):
/// seeded with realistic data, answering with the vendor's JSON, counting the
/// requests it receives. All four share psa-core's
/// [`Simulator`](psa_core::testing::Simulator) trait, which this wraps.
pub struct Simulator(&'static str, Box<dyn psa_core::testing::Simulator>);

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Simulator").field(&self.name()).finish()
    }
}

impl Simulator {
    /// The vendor names [`start`](Self::start) accepts.
    pub const NAMES: [&'static str; 4] = ["halo", "connectwise", "autotask", "servicenow"];

    /// Starts the simulator named `vendor` (one of [`NAMES`](Self::NAMES)).
    ///
    /// # Errors
    ///
    /// `InvalidInput` for an unknown name.
    pub async fn start(vendor: &str) -> Result<Simulator> {
        let sim: (&'static str, Box<dyn psa_core::testing::Simulator>) =
            match vendor.to_ascii_lowercase().as_str() {
                "halo" | "halopsa" => ("halo", Box::new(HaloMock::start().await)),
                "connectwise" | "cw" => ("connectwise", Box::new(ConnectWiseMock::start().await)),
                "autotask" => ("autotask", Box::new(AutotaskMock::start().await)),
                "servicenow" | "snow" => ("servicenow", Box::new(ServiceNowMock::start().await)),
                other => {
                    return Err(Error::invalid_input(format!(
                        "unknown vendor {other:?}; expected one of {:?}",
                        Self::NAMES
                    )));
                }
            };
        Ok(Simulator(sim.0, sim.1))
    }

    /// The simulator's name (one of [`NAMES`](Self::NAMES)).
    pub fn name(&self) -> &'static str {
        self.0
    }

    /// A client for it, as the uniform trait object.
    pub fn psa(&self) -> Arc<dyn Psa> {
        self.1.psa()
    }

    /// Requests the simulator has received so far (token requests included).
    pub fn request_count(&self) -> u64 {
        self.1.request_count()
    }

    /// The simulator itself, for what this type does not wrap (its other
    /// counters, a webhook delivery as the vendor sends it).
    pub fn simulator(&self) -> &dyn psa_core::testing::Simulator {
        self.1.as_ref()
    }
}

/// The simulator an example runs against: `--vendor <name>` (or
/// `--vendor=<name>`) on the command line, `halo` by default.
///
/// # Errors
///
/// `InvalidInput` for an argument other than `--vendor`, naming `program`
/// in the usage line.
pub fn vendor_arg(program: &str) -> Result<String> {
    let mut args = std::env::args().skip(1);
    let mut vendor = "halo".to_owned();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--vendor" => {
                vendor = args.next().ok_or_else(|| {
                    Error::invalid_input(
                        "--vendor needs a value: halo, connectwise, autotask or servicenow",
                    )
                })?;
            }
            other if other.starts_with("--vendor=") => {
                other
                    .trim_start_matches("--vendor=")
                    .clone_into(&mut vendor);
            }
            other => {
                return Err(Error::invalid_input(format!(
                    "unknown argument {other:?}; usage: {program} [--vendor halo|connectwise|autotask|servicenow]"
                )));
            }
        }
    }
    Ok(vendor)
}

/// The workspace README's code compiles (`cargo test --doc -p psa-examples`).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
