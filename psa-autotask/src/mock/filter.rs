//! The simulator's evaluation of Autotask query filters over JSON records.
//!
//! Semantics follow Autotask's (SQL Server) behaviour as far as it is
//! documented: string comparisons are case-insensitive, `contains` /
//! `beginsWith` / `endsWith` are substring tests, `exist` means "has a
//! non-null value", top-level filters are ANDed, and `udf: true` conditions
//! look in `userDefinedFields`.

use serde_json::Value;
use std::cmp::Ordering;

use super::store::instant;
use crate::query::Op;

/// Why a filter is malformed (the simulator answers 500 with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FilterError(pub(crate) String);

/// A parsed filter condition.
#[derive(Debug, Clone)]
pub(crate) struct Cond {
    op: Op,
    field: String,
    value: Option<Value>,
    udf: bool,
    items: Vec<Cond>,
}

impl Cond {
    /// Parses one filter object.
    pub(crate) fn parse(v: &Value) -> Result<Cond, FilterError> {
        let obj = v
            .as_object()
            .ok_or_else(|| FilterError("a filter must be an object".into()))?;
        let get = |k: &str| {
            obj.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| v)
        };
        let op_name = get("op")
            .and_then(Value::as_str)
            .ok_or_else(|| FilterError("a filter needs an `op`".into()))?;
        let op = Op::from_name(op_name)
            .ok_or_else(|| FilterError(format!("Invalid filter operator '{op_name}'")))?;
        let udf = get("udf").and_then(Value::as_bool).unwrap_or(false);
        if matches!(op, Op::And | Op::Or) {
            let items = get("items")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
                .ok_or_else(|| FilterError(format!("'{op_name}' needs items")))?
                .iter()
                .map(Cond::parse)
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Cond {
                op,
                field: String::new(),
                value: None,
                udf,
                items,
            });
        }
        let field = get("field")
            .and_then(Value::as_str)
            .filter(|f| !f.is_empty())
            .ok_or_else(|| FilterError(format!("'{op_name}' needs a field")))?
            .to_owned();
        let value = get("value").cloned().filter(|v| !v.is_null());
        if !matches!(op, Op::Exist | Op::NotExist) && value.is_none() {
            return Err(FilterError(format!(
                "'{op_name}' on '{field}' needs a value"
            )));
        }
        if matches!(op, Op::In | Op::NotIn) && !value.as_ref().is_some_and(Value::is_array) {
            return Err(FilterError(format!(
                "'{op_name}' on '{field}' needs an array value"
            )));
        }
        Ok(Cond {
            op,
            field,
            value,
            udf,
            items: Vec::new(),
        })
    }

    /// How many OR conditions the filter carries (children of `or` groups and
    /// values of `in` lists).
    pub(crate) fn or_count(&self) -> usize {
        let own = match self.op {
            Op::Or => self.items.len(),
            Op::In | Op::NotIn => self
                .value
                .as_ref()
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
            _ => 0,
        };
        own + self.items.iter().map(Cond::or_count).sum::<usize>()
    }

    /// The field and value of an `eq` condition on `field`.
    pub(crate) fn eq_value(&self, field: &str) -> Option<&Value> {
        (self.op == Op::Eq && !self.udf && self.field.eq_ignore_ascii_case(field))
            .then_some(self.value.as_ref())
            .flatten()
    }

    /// Whether `record` matches.
    pub(crate) fn matches(&self, record: &Value) -> bool {
        match self.op {
            Op::And => self.items.iter().all(|c| c.matches(record)),
            Op::Or => self.items.iter().any(|c| c.matches(record)),
            op => {
                let actual = lookup(record, &self.field, self.udf);
                let present = actual.is_some_and(|v| !v.is_null());
                match op {
                    Op::Exist => present,
                    Op::NotExist => !present,
                    _ => {
                        let (Some(actual), Some(want)) = (actual, self.value.as_ref()) else {
                            return matches!(op, Op::NotEq | Op::NotIn);
                        };
                        eval(op, actual, want)
                    }
                }
            }
        }
    }
}

/// A record's field (case-insensitive), or a user-defined field's value.
fn lookup<'a>(record: &'a Value, field: &str, udf: bool) -> Option<&'a Value> {
    let obj = record.as_object()?;
    if udf {
        let udfs = obj
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("userDefinedFields"))?
            .1
            .as_array()?;
        return udfs
            .iter()
            .find(|u| {
                u.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.eq_ignore_ascii_case(field))
            })
            .and_then(|u| u.get("value"));
    }
    obj.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(field))
        .map(|(_, v)| v)
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_lowercase()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

/// Compares two scalar values the way SQL Server would for the types at hand.
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    if let (Value::Bool(x), Value::Bool(y)) = (a, b) {
        return Some(x.cmp(y));
    }
    if a.is_number() || b.is_number() {
        return number(a)?.partial_cmp(&number(b)?);
    }
    if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
        if let (Some(dx), Some(dy)) = (instant(x), instant(y)) {
            return Some(dx.cmp(&dy));
        }
        return Some(x.to_lowercase().cmp(&y.to_lowercase()));
    }
    if let (Value::Bool(x), Some(y)) = (a, b.as_str()) {
        return Some(x.to_string().cmp(&y.to_lowercase()));
    }
    None
}

fn eval(op: Op, actual: &Value, want: &Value) -> bool {
    match op {
        Op::Eq => compare(actual, want) == Some(Ordering::Equal),
        Op::NotEq => compare(actual, want) != Some(Ordering::Equal),
        Op::Gt => compare(actual, want) == Some(Ordering::Greater),
        Op::Gte => matches!(
            compare(actual, want),
            Some(Ordering::Greater | Ordering::Equal)
        ),
        Op::Lt => compare(actual, want) == Some(Ordering::Less),
        Op::Lte => matches!(
            compare(actual, want),
            Some(Ordering::Less | Ordering::Equal)
        ),
        Op::BeginsWith | Op::EndsWith | Op::Contains => {
            let (Some(a), Some(w)) = (text(actual), text(want)) else {
                return false;
            };
            match op {
                Op::BeginsWith => a.starts_with(&w),
                Op::EndsWith => a.ends_with(&w),
                _ => a.contains(&w),
            }
        }
        Op::In | Op::NotIn => {
            let hit = want.as_array().is_some_and(|vs| {
                vs.iter()
                    .any(|w| compare(actual, w) == Some(Ordering::Equal))
            });
            if op == Op::In { hit } else { !hit }
        }
        Op::Exist | Op::NotExist | Op::And | Op::Or => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn m(filter: &Value, record: &Value) -> bool {
        Cond::parse(filter).unwrap().matches(record)
    }

    #[test]
    fn operators() {
        let r = json!({"id": 10, "title": "Printer OFFLINE on 3rd floor", "status": 1,
            "createDate": "2024-03-01T10:00:00", "dueDateTime": null,
            "userDefinedFields": [{"name": "CustomerRef", "value": "ACME-1"}]});
        assert!(m(&json!({"op":"eq","field":"Status","value":1}), &r));
        assert!(m(&json!({"op":"eq","field":"status","value":"1"}), &r));
        assert!(m(&json!({"op":"noteq","field":"status","value":5}), &r));
        assert!(m(&json!({"op":"gt","field":"id","value":0}), &r));
        assert!(!m(&json!({"op":"lt","field":"id","value":10}), &r));
        assert!(m(&json!({"op":"lte","field":"id","value":10}), &r));
        assert!(m(
            &json!({"op":"gte","field":"createDate","value":"2024-03-01T09:00:00Z"}),
            &r
        ));
        assert!(m(
            &json!({"op":"contains","field":"title","value":"offline"}),
            &r
        ));
        assert!(m(
            &json!({"op":"beginsWith","field":"title","value":"printer"}),
            &r
        ));
        assert!(m(
            &json!({"op":"endsWith","field":"title","value":"FLOOR"}),
            &r
        ));
        assert!(m(&json!({"op":"exist","field":"title"}), &r));
        assert!(m(&json!({"op":"notExist","field":"dueDateTime"}), &r));
        assert!(m(&json!({"op":"notExist","field":"nothing"}), &r));
        assert!(m(&json!({"op":"in","field":"status","value":[1,5]}), &r));
        assert!(m(&json!({"op":"notIn","field":"status","value":[5,8]}), &r));
        assert!(m(
            &json!({"op":"eq","field":"CustomerRef","value":"acme-1","udf":true}),
            &r
        ));
        assert!(!m(
            &json!({"op":"eq","field":"CustomerRef","value":"x","udf":true}),
            &r
        ));
        assert!(m(
            &json!({"op":"or","items":[{"op":"eq","field":"id","value":3},{"op":"eq","field":"id","value":10}]}),
            &r
        ));
        assert!(!m(
            &json!({"op":"and","items":[{"op":"eq","field":"id","value":3},{"op":"eq","field":"id","value":10}]}),
            &r
        ));
    }

    #[test]
    fn malformed_filters_are_errors() {
        for bad in [
            json!({"op":"like","field":"a","value":1}),
            json!({"op":"eq","value":1}),
            json!({"op":"eq","field":"a"}),
            json!({"op":"in","field":"a","value":1}),
            json!({"op":"or","items":[]}),
            json!([1]),
        ] {
            assert!(Cond::parse(&bad).is_err(), "{bad}");
        }
        let c = Cond::parse(&json!({"op":"or","items":[{"op":"in","field":"a","value":[1,2,3]},{"op":"eq","field":"b","value":1}]})).unwrap();
        assert_eq!(c.or_count(), 5);
    }
}
