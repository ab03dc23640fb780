//! Anything else: raw requests to Halo's API, and the permission group of
//! a path.

use http::Method;
use psa_core::{Error, PermissionGroup, RawRequest, RawResponse, Result};

use crate::client::Client;

/// The methods Halo's API uses: its spec has only GET, POST and DELETE.
pub(crate) const HALO_METHODS: [Method; 3] = [Method::GET, Method::POST, Method::DELETE];

/// The permission group of a Halo API path, by its first segment; `None`
/// for paths the table does not know (a guard then denies them) and for
/// any path a raw request refuses (an encoded traversal such as
/// `Tickets/..%2fWebhook`, a query string, an absolute URL): the path is
/// checked ([`RawRequest::checked_path`]) before it is mapped.
pub fn raw_group_of(path: &str) -> Option<PermissionGroup> {
    let request = RawRequest::get(path.to_owned());
    let path = api_relative(request.checked_path().ok()?);
    let first = path.split(['/', '?']).next()?.to_ascii_lowercase();
    Some(match first.as_str() {
        "tickets" | "ticketarea" | "attachment" => PermissionGroup::Tickets,
        "projects" => PermissionGroup::Projects,
        "actions" => PermissionGroup::TicketNotes,
        "timesheet" | "timesheetevent" => PermissionGroup::TimeEntries,
        "client" | "site" | "toplevel" => PermissionGroup::Companies,
        "users" => PermissionGroup::Contacts,
        "asset" | "assettype" | "assetgroup" => PermissionGroup::Configurations,
        "appointment" => PermissionGroup::ScheduleEntries,
        "item" | "itemgroup" | "itemstock" => PermissionGroup::Products,
        "clientcontract" | "contractschedule" => PermissionGroup::Agreements,
        "sla" => PermissionGroup::Slas,
        "kbarticle" | "faqlists" => PermissionGroup::KnowledgeBase,
        "audit" => PermissionGroup::AuditTrail,
        "webhook" | "webhookevent" | "notification" => PermissionGroup::Webhooks,
        "status" | "priority" | "team" | "tickettype" | "agent" | "lookup" | "chargerate"
        | "outcome" | "category" => PermissionGroup::Lookups,
        _ => return None,
    })
}

/// A path relative to the resource server: without a leading `/` or `api/`.
fn api_relative(path: &str) -> &str {
    let path = path.trim_start_matches('/');
    match path.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("api/") => &path[4..],
        _ => path,
    }
}

/// Through the typed raw handle ([`Client::raw`]) with the path relative
/// to the resource server (a leading `/api/` dropped).
pub(super) async fn send(c: &Client, request: RawRequest) -> Result<RawResponse> {
    request.validate_methods(&HALO_METHODS)?;
    let path = api_relative(request.checked_path()?);
    let op = match request.method {
        Method::GET => c.raw().get(path),
        Method::DELETE => c.raw().delete(path),
        Method::POST => c.raw().post(path, request.body.clone().unwrap_or_default()),
        ref other => {
            return Err(Error::invalid_input(format!(
                "halo's API has only GET, POST and DELETE, not {other}"
            )));
        }
    };
    request
        .query
        .iter()
        .fold(op, |op, (k, v)| op.query(k.clone(), v))
        .send()
        .await
}
