//! Documents (`/system/documents`): uploads as `multipart/form-data` (a
//! JSON body is answered 415, as ConnectWise does), listing by record,
//! download and delete. The content is kept beside the record.

use serde_json::{Map, Value, json};
use wiremock::{Request, ResponseTemplate};

use super::super::store::{Coll, State, StoredDocument};
use super::reads::list;
use super::writes::stamp;
use super::{Resp, error, invalid, json_resp, no_content, not_found, now, parse_id, query_param};

/// One part of a `multipart/form-data` body.
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Vec<u8>,
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The parts of a `multipart/form-data` body, or the 415 / 400 answer.
fn parts(req: &Request) -> Result<Vec<Part>, Resp> {
    let ct = req
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if !ct.to_ascii_lowercase().starts_with("multipart/form-data") {
        return Err(error(
            415,
            "UnsupportedMediaType",
            "The request entity's media type is not supported: documents are uploaded as multipart/form-data",
        ));
    }
    let boundary = ct
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_owned())
        .filter(|b| !b.is_empty())
        .ok_or_else(|| error(400, "InvalidObject", "multipart body without a boundary"))?;
    let body = &req.body[..];
    let delim = format!("--{boundary}").into_bytes();
    let mut out = Vec::new();
    let mut at =
        find(body, &delim, 0).ok_or_else(|| error(400, "InvalidObject", "empty multipart body"))?;
    loop {
        let start = at + delim.len();
        if body.get(start..start + 2) == Some(b"--") {
            break;
        }
        let start = start + 2; // CRLF
        let next = find(body, &delim, start)
            .ok_or_else(|| error(400, "InvalidObject", "unterminated multipart body"))?;
        let part = &body[start..next.saturating_sub(2).max(start)];
        let head_end = find(part, b"\r\n\r\n", 0)
            .ok_or_else(|| error(400, "InvalidObject", "multipart part without headers"))?;
        let head = String::from_utf8_lossy(&part[..head_end]).into_owned();
        let data = part[head_end + 4..].to_vec();
        let mut p = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            data,
        };
        for line in head.split("\r\n") {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            if k.trim().eq_ignore_ascii_case("content-disposition") {
                for attr in v.split(';') {
                    if let Some((ak, av)) = attr.trim().split_once('=') {
                        let av = av.trim().trim_matches('"').to_owned();
                        match ak.trim() {
                            "name" => p.name = av,
                            "filename" => p.file_name = Some(av),
                            _ => {}
                        }
                    }
                }
            } else if k.trim().eq_ignore_ascii_case("content-type") {
                p.content_type = Some(v.trim().to_owned());
            }
        }
        out.push(p);
        at = next;
    }
    Ok(out)
}

pub(super) fn upload(st: &mut State, req: &Request, who: &str) -> Resp {
    let parts = match parts(req) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let text = |name: &str| {
        parts
            .iter()
            .find(|p| p.name == name)
            .map(|p| String::from_utf8_lossy(&p.data).into_owned())
    };
    let Some(file) = parts
        .iter()
        .find(|p| p.name == "file" && p.file_name.is_some())
    else {
        return invalid("document", "file", "The file field is required.");
    };
    let record_type = text("recordType").unwrap_or_default();
    let Some(record_id) = text("recordId").and_then(|s| parse_id(&s)) else {
        return invalid("document", "recordId", "The recordId field is required.");
    };
    if record_type != "Ticket" {
        return invalid(
            "document",
            "recordType",
            format!("recordType {record_type:?} is not supported here"),
        );
    }
    if st.get(Coll::Tickets, record_id).is_none() {
        return invalid(
            "document",
            "recordId",
            format!("Ticket {record_id} does not exist"),
        );
    }
    let file_name = file.file_name.clone().unwrap_or_default();
    let content_type = file
        .content_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".to_owned());
    let private = text("privateFlag").is_none_or(|v| v != "false");
    let id = st.fresh_id();
    let mut o = Map::new();
    for (k, v) in [
        ("id", json!(id)),
        (
            "title",
            json!(text("title").unwrap_or_else(|| file_name.clone())),
        ),
        ("fileName", json!(file_name)),
        ("serverFileName", json!(format!("{id:08x}.dat"))),
        ("owner", json!(who)),
        ("linkFlag", json!(false)),
        ("imageFlag", json!(content_type.starts_with("image/"))),
        ("publicFlag", json!(!private)),
        ("htmlTemplateFlag", json!(false)),
        ("readOnlyFlag", json!(false)),
        ("size", json!(file.data.len())),
        ("urlFlag", json!(false)),
    ] {
        o.insert(k.into(), v);
    }
    stamp(&mut o, who, Some(now()));
    let record = Value::Object(o);
    st.insert(Coll::Documents, id, record.clone());
    st.documents.insert(
        id,
        StoredDocument {
            record_type,
            record_id,
            content_type,
            data: file.data.clone(),
        },
    );
    json_resp(201, &record)
}

pub(super) fn list_for(st: &State, req: &Request) -> Resp {
    let kind = query_param(req, "recordType").map(std::borrow::Cow::into_owned);
    let id = query_param(req, "recordId").and_then(|s| parse_id(&s));
    let (Some(kind), Some(id)) = (kind, id) else {
        return error(400, "InvalidObject", "recordType and recordId are required");
    };
    list(st, Coll::Documents, req, |d| {
        d["id"]
            .as_i64()
            .and_then(|i| st.documents.get(&i))
            .is_some_and(|s| s.record_type == kind && s.record_id == id)
    })
}

pub(super) fn download(st: &State, id: i64) -> Resp {
    let (Some(doc), Some(stored)) = (st.get(Coll::Documents, id), st.documents.get(&id)) else {
        return not_found("Document", id);
    };
    let name = doc["fileName"].as_str().unwrap_or("download");
    ResponseTemplate::new(200)
        .insert_header(
            "Content-Disposition",
            format!("attachment; filename=\"{name}\"").as_str(),
        )
        .set_body_raw(stored.data.clone(), &stored.content_type)
}

pub(super) fn delete(st: &mut State, id: i64) -> Resp {
    if st.coll_mut(Coll::Documents).remove(&id).is_none() {
        return not_found("Document", id);
    }
    st.documents.remove(&id);
    no_content()
}
