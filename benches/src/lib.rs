//! Benchmarks of psa-sdk against its physical limits (`DESIGN.md`,
//! "Performance: the physical limits"); method, goals and the latest figures
//! are in `BENCHMARKS.md` at the workspace root.
//!
//! - [`pages`]: realistic 1,000-ticket pages per vendor and the two decode
//!   paths the `decode` bench compares;
//! - [`sims`]: the four simulators, the SDK calls and the bare reqwest
//!   baseline the `call_overhead` bench compares;
//! - [`stats`]: ratios measured in alternating rounds;
//! - [`memory`]: peak resident memory of this process, resettable;
//! - [`remote`]: SDK clients of a simulator in another process (the paging
//!   bench lists in a child process so that the simulator's records are not
//!   in the memory it measures).
//!
//! Every figure is a ratio measured in one run (SDK against its baseline, or
//! against the vendor's limit): absolute times alone prove nothing on a
//! shared machine.

pub mod memory;
pub mod pages;
pub mod remote;
pub mod sims;
pub mod stats;
