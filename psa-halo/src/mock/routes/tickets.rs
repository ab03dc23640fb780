//! Tickets and projects (`/Tickets`, `/Projects`), their actions
//! (`/Actions`) and the agents' timesheets (`/TimesheetEvent`).
use http::StatusCode;
use serde_json::{Value, json};
use wiremock::Request;

use super::{
    Fail, Reply, listing, merge_custom_fields, name_of, no_route, parts, post_body, saved,
};
use crate::mock::filter::{Query, TicketFilter};
use crate::mock::seed::{API_AGENT_ID, GENERATED_BASE};
use crate::mock::store::{Record, Store, Table, boolean, date, int, now_text, num, obj, string};

/// The answer to `req` on this module's resources.
pub(super) fn route(store: &mut Store, req: &Request, seg: &[String], q: &Query) -> Reply {
    let (m, resource, id) = parts(req, seg);
    match (m, resource, seg.get(1)) {
        ("GET", "tickets" | "projects", None) => list_tickets(store, q, resource == "projects"),
        ("GET", "tickets" | "projects", Some(_)) => get_ticket(store, q, id.unwrap_or_default()),
        ("POST", "tickets" | "projects", None) => save_tickets(store, post_body(req)?),
        ("DELETE", "tickets", Some(_)) => {
            let id = id.unwrap_or_default();
            if store.ticket(id).is_none() {
                return Err(Fail::not_found(format!("Ticket {id} not found")));
            }
            store.tickets.remove(&id);
            store.deleted_generated.insert(id);
            let keys: Vec<_> = store
                .actions
                .range((id, i64::MIN)..=(id, i64::MAX))
                .map(|(k, _)| *k)
                .collect();
            for k in keys {
                store.actions.remove(&k);
            }
            Ok((StatusCode::OK, Value::Null))
        }
        ("GET", "actions", None) => list_actions(store, q),
        ("GET", "actions", Some(_)) => {
            let t = q
                .int("ticket_id")?
                .ok_or_else(|| Fail::bad("ticket_id is required."))?;
            let id = id.unwrap_or_default();
            store
                .actions
                .get(&(t, id))
                .map(|a| (StatusCode::OK, Value::Object(a.clone())))
                .ok_or_else(|| Fail::not_found(format!("Action {id} on ticket {t} not found")))
        }
        ("POST", "actions", None) => save_actions(store, post_body(req)?),
        ("DELETE", "actions", Some(_)) => {
            let t = q
                .int("ticket_id")?
                .ok_or_else(|| Fail::bad("ticket_id is required."))?;
            let id = id.unwrap_or_default();
            let a = store
                .actions
                .remove(&(t, id))
                .ok_or_else(|| Fail::not_found(format!("Action {id} on ticket {t} not found")))?;
            if let Some(ticket) = store.ticket_mut(t) {
                let left = num(ticket, "timetaken") - num(&a, "timetaken");
                ticket.insert("timetaken".into(), json!(left.max(0.0)));
            }
            Ok((StatusCode::OK, Value::Null))
        }
        ("GET", "timesheetevent", None) => timesheet(store, q),
        _ => Err(no_route(req)),
    }
}

fn list_tickets(store: &Store, q: &Query, projects: bool) -> Reply {
    let f = TicketFilter::of(q, projects)?;
    let template = store.generated_ticket(GENERATED_BASE);
    let generated_match = template
        .as_ref()
        .is_some_and(|t| f.matches(t, &store.ticket_types, true));
    let paging = q.paging()?;
    let (skip, take) = match paging {
        Some((no, size)) => ((no - 1).saturating_mul(size), size),
        None => (
            0,
            q.int("count")?
                .and_then(|c| usize::try_from(c).ok())
                .unwrap_or(usize::MAX),
        ),
    };
    let mut total = 0usize;
    let mut page = Vec::new();
    for id in store.ticket_ids() {
        let ok = match store.tickets.get(&id) {
            Some(t) => f.matches(t, &store.ticket_types, false),
            None => {
                generated_match
                    && f.search.as_ref().is_none_or(|s| {
                        format!("generated ticket {}", id - GENERATED_BASE).contains(s)
                    })
            }
        };
        if ok {
            if total >= skip && page.len() < take {
                page.push(id);
            }
            total += 1;
        }
    }
    let records: Vec<Value> = page
        .into_iter()
        .filter_map(|id| store.ticket(id))
        .map(|mut t| {
            t.remove("audit_log");
            Value::Object(t)
        })
        .collect();
    Ok((
        StatusCode::OK,
        match paging {
            Some((no, size)) => {
                json!({"page_no": no, "page_size": size, "record_count": total, "tickets": records})
            }
            None => json!({"record_count": total, "tickets": records}),
        },
    ))
}

fn get_ticket(store: &Store, q: &Query, id: i64) -> Reply {
    let mut t = store
        .ticket(id)
        .ok_or_else(|| Fail::not_found(format!("Ticket {id} not found")))?;
    if !q.flag("includedetails") {
        t.remove("items_issued");
    }
    if q.flag("include_auditing") {
        let log = store.audit.get(&id).cloned().unwrap_or_default();
        t.insert(
            "audit_log".into(),
            Value::Array(log.into_iter().map(Value::Object).collect()),
        );
    }
    Ok((StatusCode::OK, Value::Object(t)))
}

/// Fields whose changes the simulator audits.
const AUDITED: [&str; 6] = [
    "status_id",
    "priority_id",
    "agent_id",
    "team_id",
    "tickettype_id",
    "summary",
];

#[allow(clippy::too_many_lines)]
fn save_tickets(store: &mut Store, posted: Vec<Record>) -> Reply {
    let mut out = Vec::new();
    for mut t in posted {
        let id = int(&t, "id");
        let now = now_text();
        if id > 0 {
            if store.ticket(id).is_none() {
                return Err(Fail::not_found(format!("Ticket {id} not found")));
            }
            let merge_into = int(&t, "merged_into_id");
            if merge_into > 0 && boolean(&t, "domerge") {
                if merge_into == id || store.ticket(merge_into).is_none() {
                    return Err(Fail::bad(format!(
                        "Ticket {id} cannot be merged into ticket {merge_into}."
                    )));
                }
                t.insert("status_id".into(), json!(9));
                let next = store.next_action_id(merge_into);
                store.add_action_raw(obj(json!({
                    "ticket_id": merge_into, "id": next, "outcome": "Merged", "who": "API Integration",
                    "who_type": 1, "who_agentid": API_AGENT_ID, "datetime": now,
                    "note": format!("Ticket {id} was merged into this ticket."),
                    "hiddenfromuser": true, "merged_from_ticketid": id, "timetaken": 0
                })));
            }
            t.remove("domerge");
            if let Some(new_parent) = t.get("parent_id").and_then(Value::as_i64) {
                let old_parent = store
                    .ticket(id)
                    .map(|c| int(&c, "parent_id"))
                    .unwrap_or_default();
                if new_parent > 0 && (new_parent == id || store.ticket(new_parent).is_none()) {
                    return Err(Fail::bad(format!(
                        "Ticket {new_parent} cannot be the parent of {id}."
                    )));
                }
                if old_parent != new_parent {
                    if let Some(p) = store.ticket_mut(old_parent) {
                        if let Some(Value::Array(c)) = p.get_mut("child_ticket_ids") {
                            c.retain(|v| v.as_i64() != Some(id));
                        }
                    }
                    if let Some(p) = store.ticket_mut(new_parent) {
                        let c = p.entry("child_ticket_ids").or_insert_with(|| json!([]));
                        if let Value::Array(c) = c {
                            c.push(json!(id));
                        }
                    }
                }
            }
            if let Some(client) = t.get("client_id").and_then(Value::as_i64) {
                let Some(site) = store.clients.get(&client).map(|c| int(c, "main_site_id")) else {
                    return Err(Fail::bad(format!("Client {client} not found.")));
                };
                t.entry("site_id").or_insert(json!(site));
                t.insert("site_name".into(), name_of(&store.sites, site));
            }
            let names = names(store, &t);
            let before = store.ticket(id).unwrap_or_default();
            for f in AUDITED {
                if let Some(v) = t.get(f) {
                    let old = before.get(f).cloned().unwrap_or(Value::Null);
                    if *v != old {
                        store.audit(id, f, &old, v);
                    }
                }
            }
            let Some(cur) = store.ticket_mut(id) else {
                return Err(Fail::not_found(format!("Ticket {id} not found")));
            };
            merge_custom_fields(cur, t.remove("customfields"));
            for (k, v) in t.into_iter().chain(names) {
                cur.insert(k, v);
            }
            let status = int(cur, "status_id");
            if Store::is_closed(status) && date(cur, "dateclosed").is_none() {
                cur.insert("dateclosed".into(), json!(now));
                cur.insert("hasbeenclosed".into(), json!(true));
            } else if !Store::is_closed(status) {
                cur.insert("dateclosed".into(), json!("1900-01-01T00:00:00"));
            }
            cur.insert("last_update".into(), json!(now));
            out.push((false, cur.clone()));
        } else {
            if string(&t, "summary").trim().is_empty() {
                return Err(Fail::bad("Please enter a summary."));
            }
            let client = int(&t, "client_id");
            if !store.clients.contains_key(&client) {
                return Err(Fail::bad(format!("Client {client} not found.")));
            }
            let new_id = store.allocate("tickets");
            let names = names(store, &t);
            let mut rec = obj(json!({
                "id": new_id, "status_id": 1, "tickettype_id": 1, "priority_id": 3, "sla_id": 1,
                "agent_id": 0, "user_id": 0, "site_id": 0, "team_id": 0, "parent_id": 0,
                "merged_into_id": 0, "dateoccurred": now, "datecreated": now, "last_update": now,
                "dateclosed": "1900-01-01T00:00:00", "timetaken": 0, "onhold": false, "deleted": false,
                "customfields": []
            }));
            merge_custom_fields(&mut rec, t.remove("customfields"));
            t.remove("id");
            for (k, v) in t.into_iter().chain(names) {
                rec.insert(k, v);
            }
            if let Some(site) = store.clients.get(&client).map(|c| int(c, "main_site_id")) {
                if int(&rec, "site_id") == 0 {
                    rec.insert("site_id".into(), json!(site));
                    rec.insert("site_name".into(), name_of(&store.sites, site));
                }
            }
            let summary = rec.get("summary").cloned().unwrap_or(Value::Null);
            store.add_action_raw(obj(json!({
                "ticket_id": new_id, "id": 1, "outcome": "Logged", "who": "API Integration", "who_type": 1,
                "who_agentid": API_AGENT_ID, "datetime": now, "note": summary, "hiddenfromuser": false, "timetaken": 0
            })));
            store.tickets.insert(new_id, rec.clone());
            out.push((true, rec));
        }
    }
    saved(out)
}

/// The display names Halo fills in for the ids a ticket carries.
fn names(store: &Store, t: &Record) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let pairs: [(&str, &str, &Table); 6] = [
        ("client_id", "client_name", &store.clients),
        ("user_id", "user_name", &store.users),
        ("agent_id", "agent_name", &store.agents),
        ("team_id", "team", &store.teams),
        ("status_id", "status_name", &store.statuses),
        ("tickettype_id", "tickettype_name", &store.ticket_types),
    ];
    for (id_key, name_key, table) in pairs {
        if let Some(id) = t.get(id_key).and_then(Value::as_i64) {
            out.push((name_key.to_owned(), name_of(table, id)));
        }
    }
    out
}

// ---- actions and time --------------------------------------------------------------

fn list_actions(store: &Store, q: &Query) -> Reply {
    let t = q
        .int("ticket_id")?
        .ok_or_else(|| Fail::bad("ticket_id is required."))?;
    if store.ticket(t).is_none() {
        return Err(Fail::not_found(format!("Ticket {t} not found")));
    }
    let public_only = q.flag("excludeprivate");
    let time_only = q.flag("timeentriesonly");
    let v: Vec<Record> = store
        .actions
        .range((t, i64::MIN)..=(t, i64::MAX))
        .map(|(_, a)| a)
        .filter(|a| !public_only || !boolean(a, "hiddenfromuser"))
        .filter(|a| !time_only || num(a, "timetaken") > 0.0)
        .cloned()
        .collect();
    listing(q, v, "actions", false)
}

#[allow(clippy::too_many_lines)]
fn save_actions(store: &mut Store, posted: Vec<Record>) -> Reply {
    let mut out = Vec::new();
    for mut a in posted {
        let ticket = int(&a, "ticket_id");
        if ticket <= 0 {
            return Err(Fail::bad("Please specify a ticket_id."));
        }
        if store.ticket(ticket).is_none() {
            return Err(Fail::not_found(format!("Ticket {ticket} not found")));
        }
        let id = int(&a, "id");
        let now = now_text();
        if let Some(items) = a.remove("new_items_issued") {
            let mut issued = Vec::new();
            for item in items.as_array().cloned().unwrap_or_default() {
                let Value::Object(mut item) = item else {
                    continue;
                };
                let item_id = int(&item, "item_id");
                let Some(catalog) = store.items.get(&item_id).cloned() else {
                    return Err(Fail::bad(format!("Item {item_id} not found.")));
                };
                let line = store.next_item_line;
                store.next_item_line += 1;
                item.insert("id".into(), json!(line));
                item.insert("ticket_id".into(), json!(ticket));
                item.insert(
                    "name".into(),
                    catalog.get("name").cloned().unwrap_or(Value::Null),
                );
                item.entry("price")
                    .or_insert_with(|| catalog.get("baseprice").cloned().unwrap_or(json!(0)));
                item.entry("costprice")
                    .or_insert_with(|| catalog.get("costprice").cloned().unwrap_or(json!(0)));
                item.insert("agent_id".into(), json!(API_AGENT_ID));
                issued.push(Value::Object(item));
            }
            if let Some(t) = store.ticket_mut(ticket) {
                let list = t.entry("items_issued").or_insert_with(|| json!([]));
                if let Value::Array(list) = list {
                    list.extend(issued.iter().cloned());
                }
            }
            a.insert("new_items_issued".into(), Value::Array(issued));
        }
        if let Some(status) = a
            .get("new_status")
            .and_then(Value::as_i64)
            .filter(|s| *s > 0)
        {
            // The simulated tenant requires a closure note, as Halo does
            // when *a note is mandatory when closing* is set.
            if Store::is_closed(status) && string(&a, "note").trim().is_empty() {
                return Err(Fail::bad("Please enter a note to close this ticket."));
            }
            let old = store
                .ticket(ticket)
                .and_then(|t| t.get("status_id").cloned());
            store.audit(
                ticket,
                "status_id",
                &old.unwrap_or(Value::Null),
                &json!(status),
            );
            let status_name = name_of(&store.statuses, status);
            if let Some(t) = store.ticket_mut(ticket) {
                t.insert("status_id".into(), json!(status));
                t.insert("status_name".into(), status_name);
                if Store::is_closed(status) {
                    t.insert("dateclosed".into(), json!(now));
                    t.insert("hasbeenclosed".into(), json!(true));
                }
            }
        }
        let added_time = num(&a, "timetaken");
        if id > 0 {
            let Some(cur) = store.actions.get_mut(&(ticket, id)) else {
                return Err(Fail::not_found(format!(
                    "Action {id} on ticket {ticket} not found"
                )));
            };
            let old_time = num(cur, "timetaken");
            for (k, v) in a {
                cur.insert(k, v);
            }
            cur.insert("last_updated".into(), json!(now));
            let rec = cur.clone();
            if rec.contains_key("timetaken") {
                if let Some(t) = store.ticket_mut(ticket) {
                    let total = num(t, "timetaken") - old_time + num(&rec, "timetaken");
                    t.insert("timetaken".into(), json!(total.max(0.0)));
                }
            }
            out.push((false, rec));
        } else {
            let next = store.next_action_id(ticket);
            let who_agent = a
                .get("who_agentid")
                .and_then(Value::as_i64)
                .filter(|v| *v > 0)
                .unwrap_or(API_AGENT_ID);
            if !store.agents.contains_key(&who_agent) {
                return Err(Fail::bad(format!("Agent {who_agent} not found.")));
            }
            let mut rec = obj(json!({
                "ticket_id": ticket, "id": next, "outcome": "Note", "who": name_of(&store.agents, who_agent),
                "who_type": 1, "who_agentid": who_agent, "actionby_agent_id": API_AGENT_ID,
                "datetime": now, "actiondatecreated": now, "hiddenfromuser": false, "timetaken": 0
            }));
            a.remove("id");
            for (k, v) in a {
                rec.insert(k, v);
            }
            if added_time > 0.0 {
                if let Some(t) = store.ticket_mut(ticket) {
                    let total = num(t, "timetaken") + added_time;
                    t.insert("timetaken".into(), json!(total));
                }
            }
            if let Some(t) = store.ticket_mut(ticket) {
                t.insert("lastactiondate".into(), json!(now));
                t.insert("last_update".into(), json!(now));
            }
            store.actions.insert((ticket, next), rec.clone());
            out.push((true, rec));
        }
    }
    saved(out)
}

fn timesheet(store: &Store, q: &Query) -> Reply {
    let mut agents = q.ints("agents")?;
    if let Some(a) = q.int("agent_id")? {
        agents.get_or_insert_with(Vec::new).push(a);
    }
    let from = q.date("start_date")?;
    let to = q.date("end_date")?;
    let mut out = Vec::new();
    for ((ticket, id), a) in &store.actions {
        let hours = num(a, "timetaken");
        if hours <= 0.0 {
            continue;
        }
        let agent = int(a, "who_agentid");
        let start = date(a, "actionarrivaldate").or_else(|| date(a, "datetime"));
        if agents.as_ref().is_some_and(|l| !l.contains(&agent))
            || from.is_some_and(|f| start.is_none_or(|s| s < f))
            || to.is_some_and(|t| start.is_none_or(|s| s >= t))
        {
            continue;
        }
        let summary = store
            .ticket(*ticket)
            .map(|t| string(&t, "summary").to_owned())
            .unwrap_or_default();
        out.push(Value::Object(obj(json!({
            "id": 30_000 + ticket * 100 + id, "event_type": 0,
            "subject": format!("{ticket} - {summary}"),
            "start_date": a.get("actionarrivaldate").or_else(|| a.get("datetime")),
            "end_date": a.get("actioncompletiondate").or_else(|| a.get("datetime")),
            "timetaken": hours, "agent_id": agent, "ticket_id": ticket, "action_number": id,
            "note": a.get("note"), "charge_rate": int(a, "chargerate"),
        }))));
    }
    Ok((StatusCode::OK, Value::Array(out)))
}
