//! Customers (`/Client`), sites, end users and agents.

use http::StatusCode;
use serde_json::{Value, json};
use wiremock::Request;

use super::{Fail, Reply, listing, no_route, one, parts, upsert_all};
use crate::mock::filter::{Query, contains};
use crate::mock::seed::API_AGENT_ID;
use crate::mock::store::{Record, Store, boolean, int, string};

/// The answer to `req` on this module's resources.
pub(super) fn route(store: &mut Store, req: &Request, seg: &[String], q: &Query) -> Reply {
    let (m, resource, id) = parts(req, seg);
    let id = id.unwrap_or_default();
    match (m, resource, seg.get(1)) {
        ("GET", "client", None) => list_clients(store, q),
        ("GET", "client", Some(_)) => one(&store.clients, id, "Client"),
        ("POST", "client", None) => upsert_all(store, req, "clients", |_, c| named(c)),
        ("GET", "site", None) => list_sites(store, q),
        ("GET", "site", Some(_)) => one(&store.sites, id, "Site"),
        ("GET", "users", None) => list_users(store, q),
        ("GET", "users", Some(_)) => one(&store.users, id, "User"),
        ("POST", "users", None) => upsert_all(store, req, "users", file_user),
        ("GET", "agent", None) => {
            let disabled = q.flag("includedisabled");
            let v: Vec<Value> = store
                .agents
                .values()
                .filter(|a| disabled || !boolean(a, "isdisabled"))
                .cloned()
                .map(Value::Object)
                .collect();
            Ok((StatusCode::OK, Value::Array(v)))
        }
        ("GET", "agent", Some(s)) if s == "me" => one(&store.agents, API_AGENT_ID, "Agent"),
        ("GET", "agent", Some(_)) => one(&store.agents, id, "Agent"),
        _ => Err(no_route(req)),
    }
}

/// Halo refuses a record without a name.
fn named(r: &Record) -> Result<(), Fail> {
    if string(r, "name").trim().is_empty() {
        return Err(Fail::bad("Please enter a name."));
    }
    Ok(())
}

fn list_clients(store: &Store, q: &Query) -> Reply {
    let search = q.get("search");
    let inactive = q.flag("includeinactive");
    let v = store
        .clients
        .values()
        .filter(|c| inactive || !boolean(c, "inactive"))
        .filter(|c| search.is_none_or(|s| contains(string(c, "name"), s)))
        .cloned()
        .collect();
    listing(q, v, "clients", false)
}

fn list_sites(store: &Store, q: &Query) -> Reply {
    let client = q.int("client_id")?;
    let inactive = q.flag("includeinactive");
    let v = store
        .sites
        .values()
        .filter(|s| inactive || !boolean(s, "inactive"))
        .filter(|s| client.is_none_or(|c| int(s, "client_id") == c))
        .cloned()
        .collect();
    listing(q, v, "sites", false)
}

/// `search` matches the name and email, and with `search_phonenumbers` the
/// digits of the phone and mobile numbers.
fn list_users(store: &Store, q: &Query) -> Reply {
    let search = q.get("search");
    let phones = q.flag("search_phonenumbers");
    let client = q.int("client_id")?;
    let site = q.int("site_id")?;
    let inactive = q.flag("includeinactive");
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let v = store
        .users
        .values()
        .filter(|u| inactive || !boolean(u, "inactive"))
        .filter(|u| client.is_none_or(|c| int(u, "client_id") == c))
        .filter(|u| site.is_none_or(|s| int(u, "site_id") == s))
        .filter(|u| {
            search.is_none_or(|s| {
                contains(string(u, "name"), s)
                    || contains(string(u, "emailaddress"), s)
                    || (phones
                        && !digits(s).is_empty()
                        && ["phonenumber", "mobilenumber"]
                            .iter()
                            .any(|k| digits(string(u, k)).contains(&digits(s))))
            })
        })
        .cloned()
        .collect();
    listing(q, v, "users", false)
}

/// An end user belongs to a site: Halo fills in the site's client.
fn file_user(s: &Store, u: &mut Record) -> Result<(), Fail> {
    let site = u.get("site_id").and_then(Value::as_f64).unwrap_or_default();
    #[allow(clippy::cast_possible_truncation)]
    let site = site as i64;
    let Some(rec) = s.sites.get(&site) else {
        return Err(Fail::bad(format!("Site {site} not found.")));
    };
    let (cid, cname, sname) = (
        int(rec, "client_id"),
        rec.get("client_name").cloned(),
        rec.get("name").cloned(),
    );
    u.insert("client_id".into(), json!(cid));
    u.insert("client_name".into(), cname.unwrap_or(Value::Null));
    u.insert("site_name".into(), sname.unwrap_or(Value::Null));
    named(u)
}
