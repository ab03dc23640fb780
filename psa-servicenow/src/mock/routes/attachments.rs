//! `/api/now/attachment`: the Attachment API over the attachments the
//! simulator keeps.

use std::collections::HashMap;

use serde_json::{Map, Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::{Shared, State, StoredAttachment, json_response, serve};
use crate::mock::store::{Actor, ApiErr, Store};

impl Shared {
    /// Stores an attachment of `table`/`table_sys_id` as `actor`; its metadata.
    pub(crate) fn attach(
        &mut self,
        table: &str,
        table_sys_id: &str,
        file_name: &str,
        content_type: &str,
        data: bytes::Bytes,
        actor: &str,
    ) -> Map<String, Value> {
        let sys_id = self.store.new_sys_id();
        let now = format_now(&self.store);
        let mut meta = Map::new();
        for (k, v) in [
            ("sys_id", sys_id.as_str()),
            ("file_name", file_name),
            ("content_type", content_type),
            ("table_name", table),
            ("table_sys_id", table_sys_id),
            ("sys_created_on", now.as_str()),
            ("sys_updated_on", now.as_str()),
            ("sys_created_by", actor),
            ("sys_updated_by", actor),
            ("sys_mod_count", "0"),
            ("compressed", "true"),
            ("state", "available"),
            ("chunk_size_bytes", "700000"),
        ] {
            meta.insert(k.to_owned(), json!(v));
        }
        meta.insert("size_bytes".to_owned(), json!(data.len().to_string()));
        meta.insert(
            "download_link".to_owned(),
            json!(format!("{}/api/now/attachment/{sys_id}/file", self.base)),
        );
        self.attachments.push(StoredAttachment {
            meta: meta.clone(),
            data,
        });
        meta
    }
}

fn format_now(store: &Store) -> String {
    crate::models::format_glide_datetime(store.current_time())
}

/// `/api/now/attachment[/{sys_id}[/file]]` and `/api/now/attachment/file`.
pub(crate) struct AttachmentRoute(pub(crate) State);

impl AttachmentRoute {
    #[allow(clippy::too_many_lines)] // one match of the API's five routes, easier to read whole
    fn handle(
        shared: &mut Shared,
        req: &Request,
        actor: &Actor,
    ) -> Result<ResponseTemplate, ApiErr> {
        let path = req.url.path().to_owned();
        let rest = path
            .strip_prefix("/api/now/attachment")
            .unwrap_or_default()
            .trim_start_matches('/');
        let segs: Vec<&str> = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/').collect()
        };
        let q: HashMap<String, String> = req.url.query_pairs().into_owned().collect();
        let not_found = || {
            ApiErr::new(
                404,
                "Record doesn't exist or ACL restricts the record retrieval",
                Value::Null,
            )
        };
        let find = |shared: &Shared, id: &str| {
            shared
                .attachments
                .iter()
                .position(|a| a.meta.get("sys_id").and_then(Value::as_str) == Some(id))
        };
        match (req.method.as_str(), segs.as_slice()) {
            ("GET", []) => {
                let mut table = None;
                let mut table_sys_id = None;
                for term in q.get("sysparm_query").map_or("", String::as_str).split('^') {
                    if let Some(v) = term.strip_prefix("table_name=") {
                        table = Some(v.to_owned());
                    } else if let Some(v) = term.strip_prefix("table_sys_id=") {
                        table_sys_id = Some(v.to_owned());
                    } else if !term.is_empty() && !term.starts_with("ORDERBY") {
                        return Err(ApiErr::new(400, "Invalid encoded query", json!(term)));
                    }
                }
                let all: Vec<&StoredAttachment> = shared
                    .attachments
                    .iter()
                    .filter(|a| {
                        let is = |k: &str, v: &Option<String>| {
                            v.as_deref()
                                .is_none_or(|v| a.meta.get(k).and_then(Value::as_str) == Some(v))
                        };
                        is("table_name", &table) && is("table_sys_id", &table_sys_id)
                    })
                    .collect();
                let offset: usize = q
                    .get("sysparm_offset")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let limit: usize = q
                    .get("sysparm_limit")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(10_000);
                let page: Vec<Value> = all
                    .iter()
                    .skip(offset)
                    .take(limit)
                    .map(|a| Value::Object(a.meta.clone()))
                    .collect();
                Ok(json_response(200, &json!({ "result": page }))
                    .insert_header("x-total-count", all.len().to_string()))
            }
            ("POST", ["file"]) => {
                let get = |k: &str| q.get(k).cloned().unwrap_or_default();
                let (table, table_sys_id, file_name) =
                    (get("table_name"), get("table_sys_id"), get("file_name"));
                if file_name.is_empty()
                    || shared.store.get(&table, &table_sys_id).is_none()
                    || shared.store.is_hidden(&table_sys_id)
                {
                    return Err(ApiErr::new(
                        400,
                        "Failed to create the attachment. File part might be missing in the request.",
                        Value::Null,
                    ));
                }
                let content_type = req
                    .headers
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                let meta = shared.attach(
                    &table,
                    &table_sys_id,
                    &file_name,
                    &content_type,
                    bytes::Bytes::from(req.body.clone()),
                    &actor.user_name,
                );
                Ok(json_response(201, &json!({ "result": meta })))
            }
            ("GET", [id]) => match find(shared, id) {
                Some(i) => Ok(json_response(
                    200,
                    &json!({ "result": shared.attachments[i].meta }),
                )),
                None => Err(not_found()),
            },
            ("GET", [id, "file"]) => match find(shared, id) {
                Some(i) => {
                    let a = &shared.attachments[i];
                    let ct = a
                        .meta
                        .get("content_type")
                        .and_then(Value::as_str)
                        .unwrap_or("application/octet-stream")
                        .to_owned();
                    Ok(ResponseTemplate::new(200)
                        .insert_header("content-type", ct.as_str())
                        .insert_header(
                            "x-attachment-metadata",
                            Value::Object(a.meta.clone()).to_string(),
                        )
                        .set_body_raw(a.data.to_vec(), &ct))
                }
                None => Err(not_found()),
            },
            ("DELETE", [id]) => match find(shared, id) {
                Some(i) => {
                    shared.attachments.remove(i);
                    Ok(ResponseTemplate::new(204))
                }
                None => Err(not_found()),
            },
            _ => Err(ApiErr::new(
                400,
                "Requested URI does not represent any resource",
                Value::Null,
            )),
        }
    }
}

impl Respond for AttachmentRoute {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        // The Attachment API is outside the Table API's rate-limit rule.
        serve(&self.0, req, false, |shared, actor| {
            AttachmentRoute::handle(shared, req, actor)
        })
    }
}
