//! Benchmarks of psa-sdk against its physical limits.
