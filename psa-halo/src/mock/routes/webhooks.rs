//! Webhooks (`/Webhook`) and their events (`/Notification`).
use http::StatusCode;
use serde_json::{Value, json};
use wiremock::Request;

use super::{Fail, Reply, bare, no_route, parts, post_body, saved};
use crate::mock::filter::Query;
use crate::mock::store::{Store, string};

/// The answer to `req` on this module's resources.
pub(super) fn route(store: &mut Store, req: &Request, seg: &[String], q: &Query) -> Reply {
    let (m, resource, _) = parts(req, seg);
    match (m, resource, seg.get(1)) {
        ("GET", "webhook", None) => bare(store.webhooks.values()),
        ("GET", "webhook", Some(g)) => store
            .webhooks
            .get(g)
            .map(|w| (StatusCode::OK, Value::Object(w.clone())))
            .ok_or_else(|| Fail::not_found(format!("Webhook {g} not found"))),
        ("POST", "webhook", None) => {
            let mut out = Vec::new();
            for mut w in post_body(req)? {
                let existing = w
                    .get("id")
                    .and_then(Value::as_str)
                    .filter(|g| !g.is_empty())
                    .map(str::to_ascii_lowercase);
                let created = existing.is_none();
                let guid = match existing {
                    Some(g) if store.webhooks.contains_key(&g) => g,
                    Some(g) => return Err(Fail::not_found(format!("Webhook {g} not found"))),
                    None => {
                        let n = store.allocate("webhooks");
                        format!("{n:08x}-5d1c-4c2e-9a7d-{n:012x}")
                    }
                };
                if created && string(&w, "name").trim().is_empty() {
                    return Err(Fail::bad("Please enter a name."));
                }
                let rec = store.webhooks.entry(guid.clone()).or_default();
                w.insert("id".into(), json!(guid));
                for (k, v) in w {
                    rec.insert(k, v);
                }
                rec.entry("events").or_insert_with(|| json!([]));
                out.push((created, rec.clone()));
            }
            saved(out)
        }
        ("DELETE", "webhook", Some(g)) => store
            .webhooks
            .remove(g)
            .map(|_| (StatusCode::OK, Value::Null))
            .ok_or_else(|| Fail::not_found(format!("Webhook {g} not found"))),
        ("POST", "notification", None) => {
            let mut out = Vec::new();
            for mut n in post_body(req)? {
                let guid = string(&n, "webhook_id").to_ascii_lowercase();
                if !store.webhooks.contains_key(&guid) {
                    return Err(Fail::bad(format!("Webhook {guid} not found.")));
                }
                let id = store.allocate("notifications");
                n.insert("id".into(), json!(id));
                if let Some(w) = store.webhooks.get_mut(&guid) {
                    if let Some(Value::Array(events)) = w.get_mut("events") {
                        events.push(Value::Object(n.clone()));
                    }
                }
                out.push((true, n));
            }
            saved(out)
        }
        ("GET", "notification", None) => {
            let guid = q.get("webhook_id").map(str::to_ascii_lowercase);
            let v: Vec<Value> = store
                .webhooks
                .iter()
                .filter(|(g, _)| guid.as_ref().is_none_or(|w| w == *g))
                .flat_map(|(_, w)| {
                    w.get("events")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                })
                .collect();
            Ok((StatusCode::OK, Value::Array(v)))
        }
        _ => Err(no_route(req)),
    }
}
