//! Schedule entries: ServiceNow has no baseline table for an agent's
//! appointments on a ticket (`caps::SCHEDULE` says why).

use futures::stream::BoxStream;
use psa_core::psa::error_stream;
use psa_core::{Operation, Result, ScheduleEntry};

use crate::caps;

pub(super) fn list_schedule_entries<'a>() -> BoxStream<'a, Result<ScheduleEntry>> {
    error_stream(caps::unsupported(Operation::ListScheduleEntries))
}

/// Every write of a schedule entry: unsupported, with the reason
/// `capabilities()` gives for `op`.
pub(super) fn schedule_write<T>(op: Operation) -> Result<T> {
    Err(caps::unsupported(op))
}
