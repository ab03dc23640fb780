//! The conformance suite of psa-sdk: the same scenarios, permission checks
//! and fault matrix against every vendor simulator.
//!
//! Everything here is written once, against `Arc<dyn Psa>`; the per-vendor
//! entry points are the test files in `tests/` (`halo.rs`, `connectwise.rs`,
//! `autotask.rs`, `servicenow.rs`, and `all_vendors.rs` for what compares
//! vendors), each a list of one-line tests calling into this crate:
//!
//! - [`scenarios`]: an agent's work — triage a new ticket and read back
//!   every effect; the voice-agent flow (find a contact by name, open a
//!   ticket for them with a first note); a company's configurations; merge
//!   two tickets, or agree with `capabilities()` that the vendor cannot.
//! - [`capabilities`]: every operation a vendor lists as unsupported fails
//!   as `Unsupported` with the same reason, sending nothing.
//! - [`guarded`]: each psa-permissions profile over each vendor — what it
//!   denies makes no request; test mode plans the same writes everywhere and
//!   sends nothing.
//! - [`faults`]: the fault matrix — 429s, 5xx, slow answers, broken bodies,
//!   refused and reset connections, an expired token mid-listing — each
//!   ending in a typed error or a correct retry, and never a write sent
//!   twice. [`proxy`] is the loopback proxy that breaks connections.
//! - [`sim`]: the four simulators behind one type.
//! - [`fuzzing`]: the bodies of the cargo-fuzz targets in `fuzz/`, also run
//!   on stable over mutated fixtures by `tests/fuzz_smoke.rs`.
//!
//! Run it with `cargo test -p psa-conformance`; `TESTING.md` at the
//! workspace root has the matrix of cases × vendors.

pub mod capabilities;
pub mod faults;
pub mod fuzzing;
pub mod guarded;
pub mod proxy;
pub mod scenarios;
pub mod sim;

pub use sim::{Sim, Tuning, VENDORS};
