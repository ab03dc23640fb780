//! What every write shares: the JSON body, references resolved to the
//! records they name, `_info` stamps, JSON-Patch operations and custom
//! fields merged by id.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use wiremock::Request;

use super::super::store::{Coll, State, ts};
use super::{Resp, error, invalid, json_resp, now};

pub(super) fn body_object(req: &Request, resource: &str) -> Result<Map<String, Value>, Resp> {
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(o)) => Ok(o),
        _ => Err(error(
            400,
            "InvalidObject",
            format!("{resource} body must be a JSON object"),
        )),
    }
}

pub(super) fn ref_id(v: Option<&Value>) -> Option<i64> {
    v?.get("id")?.as_i64()
}

/// Replaces a `{id}` reference with the full reference, or an error.
pub(super) fn resolve_ref(
    st: &State,
    o: &mut Map<String, Value>,
    key: &str,
    c: Coll,
    resource: &str,
) -> Result<Option<i64>, Resp> {
    let Some(v) = o.get(key) else { return Ok(None) };
    if v.is_null() {
        return Ok(None);
    }
    let id = ref_id(Some(v)).ok_or_else(|| invalid(resource, key, format!("{key} needs an id")))?;
    let full = st
        .reference(c, id)
        .ok_or_else(|| invalid(resource, key, format!("{key} id {id} does not exist")))?;
    o.insert(key.to_owned(), full);
    Ok(Some(id))
}

pub(super) fn stamp(o: &mut Map<String, Value>, who: &str, entered: Option<DateTime<Utc>>) {
    let t = ts(now());
    let mut info = o
        .get("_info")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    info.insert("lastUpdated".into(), json!(t));
    info.insert("updatedBy".into(), json!(who));
    if let Some(e) = entered {
        info.insert("dateEntered".into(), json!(ts(e)));
        info.insert("enteredBy".into(), json!(who));
    }
    o.insert("_info".into(), Value::Object(info));
}

pub(super) fn check_status_board(
    st: &State,
    status: i64,
    board: i64,
    resource: &str,
) -> Result<(), Resp> {
    match st.get(Coll::Statuses, status) {
        Some(s) if s["board"]["id"].as_i64() == Some(board) => Ok(()),
        Some(_) => Err(invalid(
            resource,
            "status",
            format!("status {status} is not a status of board {board}"),
        )),
        None => Err(invalid(
            resource,
            "status",
            format!("status {status} does not exist"),
        )),
    }
}

pub(super) fn merge_custom(current: &mut Value, given: &Value, resource: &str) -> Result<(), Resp> {
    let Some(given) = given.as_array() else {
        return Err(invalid(
            resource,
            "customFields",
            "customFields must be an array",
        ));
    };
    let Some(cur) = current.as_array_mut() else {
        return Ok(());
    };
    for g in given {
        let id = g["id"].as_i64();
        let Some(slot) = cur
            .iter_mut()
            .find(|c| c["id"].as_i64() == id && id.is_some())
        else {
            return Err(invalid(
                resource,
                "customFields",
                format!("custom field id {} does not exist", g["id"]),
            ));
        };
        if let Some(v) = g.get("value") {
            slot["value"] = v.clone();
        }
    }
    Ok(())
}

/// Applies JSON-Patch `replace` / `add` operations; returns the changed paths.
pub(super) fn apply_ops(
    target: &mut Map<String, Value>,
    ops: &Value,
    resource: &str,
) -> Result<Vec<String>, Resp> {
    let Some(ops) = ops.as_array() else {
        return Err(error(
            400,
            "InvalidObject",
            "a PATCH body is a JSON array of operations",
        ));
    };
    let mut changed = Vec::new();
    for op in ops {
        let kind = op["op"].as_str().unwrap_or("");
        let path = op["path"].as_str().unwrap_or("").trim_start_matches('/');
        if path.is_empty()
            || !matches!(
                kind.to_ascii_lowercase().as_str(),
                "replace" | "add" | "remove"
            )
        {
            return Err(error(
                400,
                "InvalidObject",
                format!("unsupported patch operation {op}"),
            ));
        }
        if ["id", "_info"].contains(&path) {
            return Err(invalid(resource, path, format!("{path} cannot be changed")));
        }
        let segs: Vec<&str> = path.split('/').collect();
        let value = if kind.eq_ignore_ascii_case("remove") {
            Value::Null
        } else {
            op.get("value").cloned().unwrap_or(Value::Null)
        };
        if segs.len() == 1 {
            target.insert(segs[0].to_owned(), value);
        } else {
            let mut cur = target
                .entry(segs[0].to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            for seg in &segs[1..segs.len() - 1] {
                if !cur.is_object() {
                    *cur = Value::Object(Map::new());
                }
                cur = &mut cur[*seg];
            }
            if !cur.is_object() {
                *cur = Value::Object(Map::new());
            }
            cur[segs[segs.len() - 1]] = value;
        }
        changed.push(segs[0].to_owned());
    }
    Ok(changed)
}

/// Stores a new record of `c` under a fresh id, stamped as made by `who`
/// (and entered now, when `entered`), and answers `201` with it.
pub(super) fn created(
    st: &mut State,
    c: Coll,
    mut o: Map<String, Value>,
    who: &str,
    entered: bool,
) -> Resp {
    let id = st.fresh_id();
    o.insert("id".into(), json!(id));
    stamp(&mut o, who, entered.then(now));
    let record = Value::Object(o);
    st.insert(c, id, record.clone());
    json_resp(201, &record)
}
