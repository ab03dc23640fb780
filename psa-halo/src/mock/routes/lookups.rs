//! The look-up tables: SLAs, statuses, priorities, teams, ticket types and
//! `/Lookup` (charge types …), each answered in one response.

use wiremock::Request;

use super::{Fail, Reply, bare, no_route, parts};
use crate::mock::filter::Query;
use crate::mock::store::{Store, int};

/// The answer to `req` on this module's resources.
pub(super) fn route(store: &mut Store, req: &Request, seg: &[String], q: &Query) -> Reply {
    let (m, resource, _) = parts(req, seg);
    match (m, resource, seg.get(1)) {
        ("GET", "sla", None) => bare(store.slas.values()),
        ("GET", "status", None) => {
            let exclude = q.flag("excludeclosed");
            let of_type = q
                .int("tickettype_id")?
                .and_then(|t| store.type_statuses.get(&t));
            bare(
                store
                    .statuses
                    .values()
                    .filter(|s| !(exclude && Store::is_closed(int(s, "id"))))
                    .filter(|s| of_type.is_none_or(|ids| ids.contains(&int(s, "id")))),
            )
        }
        ("GET", "priority", None) => bare(store.priorities.iter()),
        ("GET", "team", None) => bare(store.teams.values()),
        ("GET", "tickettype", None) => bare(store.ticket_types.values()),
        ("GET", "lookup", None) => {
            let id = q
                .int("lookupid")?
                .ok_or_else(|| Fail::bad("lookupid is required."))?;
            bare(store.lookups.get(&id).into_iter().flatten())
        }
        _ => Err(no_route(req)),
    }
}
