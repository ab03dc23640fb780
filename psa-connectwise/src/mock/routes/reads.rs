//! Reads: one record, a filtered, ordered and paged list (both kinds of
//! paging), counts and the ticket audit trail.

use serde_json::{Map, Value, json};
use std::cmp::Ordering;
use wiremock::Request;

use super::super::filter::{self, ParseError};
use super::super::store::{Coll, State};
use super::{Resp, error, json_resp, no_content, not_found, parse_id, query_param};
use crate::error::{ErrorResponse, ValidationError};

pub(super) fn get(st: &State, c: Coll, id: i64, what: &str) -> Resp {
    match st.get(c, id) {
        Some(r) => json_resp(200, r),
        None => not_found(what, id),
    }
}

pub(super) fn delete(st: &mut State, c: Coll, id: i64, what: &str) -> Resp {
    match st.coll_mut(c).remove(&id) {
        Some(_) => no_content(),
        None => not_found(what, id),
    }
}

struct Filters {
    conditions: Option<filter::Expr>,
    child: Option<filter::Expr>,
    custom: Option<filter::Expr>,
}

fn bad_filter(name: &str, e: &ParseError) -> Resp {
    let body = ErrorResponse::new("InvalidFilter", format!("Invalid {name}: {}", e.0)).with_error(
        ValidationError::new("InvalidFilter", name, name, e.0.clone()),
    );
    json_resp(400, &serde_json::to_value(body).unwrap_or(Value::Null))
}

fn filters(req: &Request) -> Result<Filters, Resp> {
    let parse = |name: &str| -> Result<Option<filter::Expr>, Resp> {
        match query_param(req, name) {
            Some(s) if !s.trim().is_empty() => filter::parse(&s)
                .map(Some)
                .map_err(|e| bad_filter(name, &e)),
            _ => Ok(None),
        }
    };
    Ok(Filters {
        conditions: parse("conditions")?,
        child: parse("childConditions")?,
        custom: parse("customFieldConditions")?,
    })
}

fn matching<'a>(
    st: &'a State,
    c: Coll,
    req: &Request,
    scope: impl Fn(&Value) -> bool,
) -> Result<Vec<&'a Value>, Resp> {
    let f = filters(req)?;
    let mut out = Vec::new();
    for r in st.coll(c).values().filter(|r| scope(r)) {
        if let Some(e) = &f.conditions {
            if !filter::eval(e, r) {
                continue;
            }
        }
        if let Some(e) = &f.child {
            match filter::eval_child(e, r) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(err) => return Err(bad_filter("childConditions", &err)),
            }
        }
        if let Some(e) = &f.custom {
            if !filter::eval_custom(e, r) {
                continue;
            }
        }
        out.push(r);
    }
    Ok(out)
}

pub(super) fn count(st: &State, c: Coll, req: &Request) -> Resp {
    match matching(st, c, req, |_| true) {
        Ok(v) => json_resp(200, &json!({ "count": v.len() })),
        Err(r) => r,
    }
}

fn cmp_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (None | Some(Value::Null), None | Some(Value::Null)) => Ordering::Equal,
        (None | Some(Value::Null), _) => Ordering::Less,
        (_, None | Some(Value::Null)) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

fn path_get<'a>(r: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = r;
    for (i, seg) in path.split('/').enumerate() {
        cur = match cur.get(seg) {
            Some(v) => v,
            None if i == 0 => r.get("_info")?.get(seg)?,
            None => return None,
        };
    }
    Some(cur)
}

fn select_fields(r: &Value, fields: &str) -> Value {
    let mut out = Map::new();
    for f in fields.split(',').map(str::trim).filter(|f| !f.is_empty()) {
        let Some(v) = path_get(r, f) else { continue };
        let segs: Vec<&str> = f.split('/').collect();
        let mut cur = &mut out;
        for (i, seg) in segs.iter().enumerate() {
            if i + 1 == segs.len() {
                cur.insert((*seg).to_owned(), v.clone());
            } else {
                let entry = cur
                    .entry((*seg).to_owned())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(Map::new());
                }
                let Value::Object(m) = entry else { break };
                cur = m;
            }
        }
    }
    Value::Object(out)
}

fn link_url(site: &str, req: &Request, set: &[(&str, String)], drop: &[&str]) -> String {
    // the site's own URL (wiremock rebuilds `req.url` with the Host header)
    let mut url =
        url::Url::parse(&format!("{site}{}", req.url.path())).unwrap_or_else(|_| req.url.clone());
    let pairs: Vec<(String, String)> = req
        .url
        .query_pairs()
        .filter(|(k, _)| {
            !set.iter().any(|(s, _)| k.eq_ignore_ascii_case(s))
                && !drop.iter().any(|d| k.eq_ignore_ascii_case(d))
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    {
        let mut q = url.query_pairs_mut();
        q.clear();
        for (k, v) in &pairs {
            q.append_pair(k, v);
        }
        for (k, v) in set {
            q.append_pair(k, v);
        }
    }
    url.to_string()
}

/// A list endpoint: filters, order, fields and both kinds of paging.
pub(super) fn list(st: &State, c: Coll, req: &Request, scope: impl Fn(&Value) -> bool) -> Resp {
    let site = st.site.clone();
    let mut records = match matching(st, c, req, scope) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let page_size = query_param(req, "pageSize")
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(25)
        .min(1000);
    let forward = req
        .headers
        .get("pagination-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("forward-only"));
    let order = query_param(req, "orderBy").map(std::borrow::Cow::into_owned);
    if forward {
        if order.is_some() {
            return error(
                400,
                "InvalidObject",
                "orderBy cannot be used with forward-only pagination",
            );
        }
        let after = query_param(req, "pageId")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0);
        records.retain(|r| r["id"].as_i64().unwrap_or(0) > after);
        records.sort_by_key(|r| r["id"].as_i64().unwrap_or(0));
        let more = records.len() > page_size;
        records.truncate(page_size);
        let mut resp = page_body(&records, req);
        if more {
            let last = records
                .last()
                .and_then(|r| r["id"].as_i64())
                .unwrap_or(after);
            let next = link_url(&site, req, &[("pageId", last.to_string())], &["page"]);
            resp = resp.insert_header("link", format!("<{next}>; rel=\"next\"").as_str());
        }
        return resp;
    }
    if let Some(order) = &order {
        let terms: Vec<(String, bool)> = order
            .split(',')
            .filter_map(|t| {
                let mut p = t.split_whitespace();
                let f = p.next()?.to_owned();
                let desc = p.next().is_some_and(|d| d.eq_ignore_ascii_case("desc"));
                Some((f, desc))
            })
            .collect();
        records.sort_by(|a, b| {
            for (f, desc) in &terms {
                let o = cmp_values(path_get(a, f), path_get(b, f));
                let o = if *desc { o.reverse() } else { o };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
    }
    let page = query_param(req, "page")
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1);
    let total = records.len();
    let last = total.div_ceil(page_size).max(1);
    let slice: Vec<&Value> = records
        .into_iter()
        .skip((page - 1).saturating_mul(page_size))
        .take(page_size)
        .collect();
    let mut resp = page_body(&slice, req);
    let mut links = Vec::new();
    let mk = |p: usize| {
        link_url(
            &site,
            req,
            &[("page", p.to_string()), ("pageSize", page_size.to_string())],
            &["pageId"],
        )
    };
    if page > 1 {
        links.push(format!("<{}>; rel=\"first\"", mk(1)));
        links.push(format!("<{}>; rel=\"prev\"", mk(page - 1)));
    }
    if page < last {
        links.push(format!("<{}>; rel=\"next\"", mk(page + 1)));
        links.push(format!("<{}>; rel=\"last\"", mk(last)));
    }
    if !links.is_empty() {
        resp = resp.insert_header("link", links.join(", ").as_str());
    }
    resp
}

fn page_body(records: &[&Value], req: &Request) -> Resp {
    let fields = query_param(req, "fields");
    let out: Vec<Value> = records
        .iter()
        .map(|r| match &fields {
            Some(f) if !f.trim().is_empty() => select_fields(r, f),
            _ => strip_internal((*r).clone()),
        })
        .collect();
    json_resp(200, &Value::Array(out))
}

fn strip_internal(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.retain(|k, _| !k.starts_with("_ticket"));
    }
    v
}

pub(super) fn audit_trail(st: &State, req: &Request) -> Resp {
    let kind = query_param(req, "type").unwrap_or_default();
    let id = query_param(req, "id").and_then(|s| parse_id(&s));
    let (true, Some(id)) = (kind.eq_ignore_ascii_case("ticket"), id) else {
        return error(400, "InvalidObject", "type=Ticket and id are required");
    };
    if st.get(Coll::Tickets, id).is_none() {
        return not_found("Ticket", id);
    }
    list(st, Coll::Audit, req, |a| a["_ticket"].as_i64() == Some(id))
}
