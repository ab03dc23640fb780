//! Attachments (`/Attachment`) and field definitions (`/FieldInfo`).

use base64::Engine as _;
use http::StatusCode;
use serde_json::{Value, json};
use wiremock::{Request, ResponseTemplate};

use super::{Fail, Reply, bare, listing, no_route, parts, post_body, saved};
use crate::mock::filter::Query;
use crate::mock::seed::API_AGENT_ID;
use crate::mock::store::{Store, int, now_text, string};

/// The answer to `req` on this module's resources.
pub(super) fn route(store: &mut Store, req: &Request, seg: &[String], q: &Query) -> Reply {
    let (m, resource, id) = parts(req, seg);
    match (m, resource, seg.get(1)) {
        ("GET", "fieldinfo", None) => bare(store.fields.iter()),
        ("GET", "attachment", None) => {
            let ticket = q
                .int("ticket_id")?
                .ok_or_else(|| Fail::bad("ticket_id is required."))?;
            let action = q.int("action_id")?;
            let v = store
                .attachments
                .values()
                .filter(|a| int(a, "ticket_id") == ticket)
                .filter(|a| action.is_none_or(|x| int(a, "action_id") == x))
                .cloned()
                .collect();
            listing(q, v, "attachments", false)
        }
        ("POST", "attachment", None) => {
            let mut out = Vec::new();
            for mut a in post_body(req)? {
                let ticket = int(&a, "ticket_id");
                if store.ticket(ticket).is_none() {
                    return Err(Fail::bad(format!("Ticket {ticket} not found.")));
                }
                if string(&a, "filename").trim().is_empty() {
                    return Err(Fail::bad("Please specify a filename."));
                }
                let data = base64::engine::general_purpose::STANDARD
                    .decode(string(&a, "data_base64"))
                    .map_err(|_| Fail::bad("data_base64 is not valid base64."))?;
                if data.is_empty() {
                    return Err(Fail::bad("The attachment is empty."));
                }
                let id = store.allocate("attachments");
                a.remove("data_base64");
                a.insert("id".into(), json!(id));
                a.insert("filesize".into(), json!(data.len()));
                a.insert("datecreated".into(), json!(now_text()));
                a.entry("agent_id").or_insert(json!(API_AGENT_ID));
                a.entry("action_id").or_insert(json!(0));
                a.entry("showforusers").or_insert(json!(false));
                a.insert(
                    "isimage".into(),
                    json!(string(&a, "content_type").starts_with("image/")),
                );
                store.files.insert(id, data);
                store.attachments.insert(id, a.clone());
                out.push((true, a));
            }
            saved(out)
        }
        ("DELETE", "attachment", Some(_)) => {
            let id = id.unwrap_or_default();
            store.files.remove(&id);
            store
                .attachments
                .remove(&id)
                .map(|_| (StatusCode::OK, Value::Null))
                .ok_or_else(|| Fail::bad(format!("Attachment {id} not found.")))
        }
        _ => Err(no_route(req)),
    }
}

/// `GET /Attachment/{id}`: the file itself, named in `Content-Disposition`.
pub(super) fn file(store: &Store, id: i64) -> ResponseTemplate {
    let (Some(a), Some(data)) = (store.attachments.get(&id), store.files.get(&id)) else {
        return ResponseTemplate::new(404).set_body_json(
            json!({"ClassName": "System.Exception", "Message": format!("Attachment {id} not found")}),
        );
    };
    let content_type = match string(a, "content_type") {
        "" => "application/octet-stream",
        ct => ct,
    };
    ResponseTemplate::new(200)
        .insert_header(
            "content-disposition",
            format!("attachment; filename=\"{}\"", string(a, "filename")),
        )
        .set_body_raw(data.clone(), content_type)
}
