//! What a guard writes to its audit and plans: payloads with secrets and
//! URL query strings redacted, and the ids a call names checked.

use psa_core::model::RawRequest;
use psa_core::{Error, Id, Result};
use serde::Serialize;
use serde_json::{Value, json};

/// Key names whose values never go into a plan or an audit record.
pub(super) fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    psa_core::error::is_sensitive_header(&k)
        || [
            "secret",
            "password",
            "passwd",
            "token",
            "apikey",
            "api_key",
            "api-key",
            "credential",
            "private_key",
            "signing_key",
        ]
        .iter()
        .any(|s| k.contains(s))
}

pub(super) const REDACTED: &str = "[redacted]";

/// Replaces the value of every secret-looking key, at any depth, and the
/// query values of URLs (a webhook URL may carry a token).
pub(super) fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if is_secret_key(k) {
                    *val = Value::String(REDACTED.to_owned());
                } else if let (true, Value::String(s)) = (is_url_key(k), &mut *val) {
                    *s = redact_url_query(s);
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

pub(super) fn is_url_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k == "url" || k.ends_with("_url") || k.ends_with("uri")
}

/// `https://h/p?token=abc&x=1#f` → `https://h/p?token=[redacted]&x=[redacted]#f`.
pub(super) fn redact_url_query(url: &str) -> String {
    let Some((base, rest)) = url.split_once('?') else {
        return url.to_owned();
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (rest, None),
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) => format!("{k}={REDACTED}"),
            None => pair.to_owned(),
        })
        .collect();
    let mut out = format!("{base}?{}", pairs.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The plan payload of a typed input: its JSON, secret-looking keys redacted.
pub(super) fn payload<T: Serialize + ?Sized>(input: &T) -> Result<Value> {
    let mut v = serde_json::to_value(input)
        .map_err(|e| Error::invalid_input(format!("input cannot be encoded as JSON: {e}")))?;
    redact(&mut v);
    Ok(v)
}

pub(super) fn raw_payload(req: &RawRequest) -> Value {
    let query: Vec<Value> = req
        .query
        .iter()
        .map(|(k, v)| {
            let v = if is_secret_key(k) {
                REDACTED
            } else {
                v.as_str()
            };
            json!([k, v])
        })
        .collect();
    let mut body = req.body.clone().unwrap_or(Value::Null);
    redact(&mut body);
    json!({
        "method": req.method.as_str(),
        "path": req.normalized_path(),
        "query": query,
        "body": body,
    })
}

pub(super) fn validate_ids(what: &str, target: &Id, others: &[Id]) -> Result<()> {
    if others.is_empty() {
        return Err(Error::invalid_input(format!("{what}: no tickets given")));
    }
    if others.contains(target) {
        return Err(Error::invalid_input(format!(
            "{what}: ticket {target} cannot be merged or bundled into itself"
        )));
    }
    Ok(())
}
