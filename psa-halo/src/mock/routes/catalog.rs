//! Assets, appointments, items, contracts and knowledge-base articles.

use http::StatusCode;
use serde_json::Value;
use wiremock::Request;

use super::{Fail, Reply, listing, no_route, one, parts, upsert_all};
use crate::mock::filter::{Query, contains};
use crate::mock::store::{Record, Store, boolean, date, int, string};

/// The answer to `req` on this module's resources.
pub(super) fn route(store: &mut Store, req: &Request, seg: &[String], q: &Query) -> Reply {
    let (m, resource, id) = parts(req, seg);
    let id = id.unwrap_or_default();
    match (m, resource, seg.get(1)) {
        ("GET", "asset", None) => list_assets(store, q),
        ("GET", "asset", Some(_)) => one(&store.assets, id, "Asset"),
        ("POST", "asset", None) => upsert_all(store, req, "assets", file_asset),
        ("GET", "appointment", None) => list_appointments(store, q),
        ("GET", "appointment", Some(_)) => one(&store.appointments, id, "Appointment"),
        ("POST", "appointment", None) => upsert_all(store, req, "appointments", book),
        ("DELETE", "appointment", Some(_)) => store
            .appointments
            .remove(&id)
            .map(|_| (StatusCode::OK, Value::Null))
            .ok_or_else(|| Fail::not_found(format!("Appointment {id} not found"))),
        ("GET", "item", None) => {
            let search = q.get("search");
            let v = active(store.items.values(), q)
                .filter(|i| {
                    search.is_none_or(|s| {
                        contains(string(i, "name"), s)
                            || contains(string(i, "internalreference"), s)
                    })
                })
                .cloned()
                .collect();
            listing(q, v, "items", false)
        }
        ("GET", "item", Some(_)) => one(&store.items, id, "Item"),
        ("GET", "clientcontract", None) => {
            let client = q.int("client_id")?;
            let inactive = q.flag("includeinactive");
            let v = store
                .contracts
                .values()
                .filter(|c| inactive || boolean(c, "active"))
                .filter(|c| client.is_none_or(|id| int(c, "client_id") == id))
                .cloned()
                .collect();
            listing(q, v, "contracts", false)
        }
        ("GET", "clientcontract", Some(_)) => one(&store.contracts, id, "Contract"),
        ("GET", "kbarticle", None) => {
            let search = q.get("search");
            let v = active(store.kb.values(), q)
                .filter(|k| {
                    search.is_none_or(|s| {
                        ["name", "description", "tag_string"]
                            .iter()
                            .any(|f| contains(string(k, f), s))
                    })
                })
                .cloned()
                .collect();
            listing(q, v, "articles", false)
        }
        ("GET", "kbarticle", Some(_)) => one(&store.kb, id, "Article"),
        _ => Err(no_route(req)),
    }
}

/// The records that are not `inactive`, or all with `includeinactive`.
fn active<'a>(
    records: impl Iterator<Item = &'a Record>,
    q: &Query,
) -> impl Iterator<Item = &'a Record> {
    let inactive = q.flag("includeinactive");
    records.filter(move |r| inactive || !boolean(r, "inactive"))
}

fn list_assets(store: &Store, q: &Query) -> Reply {
    let client = q.int("client_id")?;
    let search = q.get("search");
    let v = active(store.assets.values(), q)
        .filter(|a| client.is_none_or(|c| int(a, "client_id") == c))
        .filter(|a| {
            search.is_none_or(|s| {
                contains(string(a, "inventory_number"), s) || contains(string(a, "key_field"), s)
            })
        })
        .cloned()
        .collect();
    listing(q, v, "assets", false)
}

/// An asset belongs to a client: Halo fills in its name.
fn file_asset(s: &Store, a: &mut Record) -> Result<(), Fail> {
    let c = int(a, "client_id");
    let Some(client) = s.clients.get(&c) else {
        return Err(Fail::bad(format!("Client {c} not found.")));
    };
    let name = client.get("name").cloned().unwrap_or(Value::Null);
    a.insert("client_name".into(), name);
    Ok(())
}

/// Appointments of these agents, this ticket, starting in the range.
fn list_appointments(store: &Store, q: &Query) -> Reply {
    let agents = q.ints("agents")?;
    let from = q.date("start_date")?;
    let to = q.date("end_date")?;
    let ticket = q.int("ticket_id")?;
    let v = store
        .appointments
        .values()
        .filter(|a| {
            agents
                .as_ref()
                .is_none_or(|l| l.contains(&int(a, "agent_id")))
        })
        .filter(|a| ticket.is_none_or(|t| int(a, "ticket_id") == t))
        .filter(|a| {
            let start = date(a, "start_date");
            from.is_none_or(|f| start.is_some_and(|s| s >= f))
                && to.is_none_or(|t| start.is_some_and(|s| s < t))
        })
        .cloned()
        .collect();
    listing(q, v, "appointments", true)
}

/// An appointment is an agent's, and ends after it starts.
fn book(s: &Store, a: &mut Record) -> Result<(), Fail> {
    let agent = int(a, "agent_id");
    let Some(rec) = s.agents.get(&agent) else {
        return Err(Fail::bad(format!("Agent {agent} not found.")));
    };
    let name = rec.get("name").cloned().unwrap_or(Value::Null);
    a.insert("agent_name".into(), name);
    match (date(a, "start_date"), date(a, "end_date")) {
        (Some(s), Some(e)) if s < e => Ok(()),
        _ => Err(Fail::bad("The appointment must end after it starts.")),
    }
}
