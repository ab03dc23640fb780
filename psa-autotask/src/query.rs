//! The query builder for `POST /V1.0/{Entity}/query`.
//!
//! A query is JSON: `{"MaxRecords": 500, "IncludeFields": […], "Filter": […]}`
//! where each filter is `{"op": …, "field": …, "value": …}` (or a group,
//! `{"op": "and" | "or", "items": […]}`), and a filter on a user-defined field
//! carries `"udf": true`. Top-level filters are ANDed.
//!
//! Values are JSON-typed (integers, strings, booleans, arrays of them), and
//! the whole body is built with `serde_json`, so caller text can never change
//! the query's structure: `"a\" OR 1=1"` is a string value, nothing more.
//! Field names are checked (letters, digits, `_`), and Autotask's limits are
//! checked before anything is sent:
//!
//! - a filter is required; "everything" is [`Query::all`] (`id gt 0`);
//! - `MaxRecords` is 1..=500;
//! - at most 500 OR conditions (Autotask's documented limit), counting the
//!   children of `or` groups and the values of `in` / `notIn` lists;
//! - groups and `in` lists must not be empty.
//!
//! ```
//! use psa_autotask::query::{Filter, Query};
//!
//! let q = Query::new()
//!     .filter(Filter::eq("companyID", 12))
//!     .filter(Filter::or([
//!         Filter::contains("title", "printer"),
//!         Filter::contains("description", "printer"),
//!     ]))
//!     .filter(Filter::eq("CustomerRef", "ACME-001").udf())
//!     .include_fields(["id", "title", "status"])
//!     .max_records(100);
//! let json = q.to_json().unwrap();
//! assert_eq!(json["MaxRecords"], 100);
//! assert_eq!(json["Filter"][1]["op"], "or");
//! assert_eq!(json["Filter"][2]["udf"], true);
//! ```

use chrono::{DateTime, Utc};
use psa_core::{Error, Result};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

/// The largest page Autotask returns, and the largest `MaxRecords` it accepts.
pub const MAX_RECORDS: u32 = 500;

/// The most OR conditions one query may carry.
pub const MAX_OR_CONDITIONS: usize = 500;

/// The longest field name accepted.
const MAX_FIELD_NAME: usize = 100;

/// A filter operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Op {
    /// `eq`: equal.
    Eq,
    /// `noteq`: not equal.
    NotEq,
    /// `gt`: greater than.
    Gt,
    /// `gte`: greater than or equal.
    Gte,
    /// `lt`: less than.
    Lt,
    /// `lte`: less than or equal.
    Lte,
    /// `beginsWith`: string prefix.
    BeginsWith,
    /// `endsWith`: string suffix.
    EndsWith,
    /// `contains`: substring.
    Contains,
    /// `exist`: the field has a value.
    Exist,
    /// `notExist`: the field has no value.
    NotExist,
    /// `in`: one of a list.
    In,
    /// `notIn`: none of a list.
    NotIn,
    /// `and`: every item matches.
    And,
    /// `or`: any item matches.
    Or,
}

impl Op {
    /// Autotask's name for the operator.
    pub const fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::NotEq => "noteq",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::BeginsWith => "beginsWith",
            Op::EndsWith => "endsWith",
            Op::Contains => "contains",
            Op::Exist => "exist",
            Op::NotExist => "notExist",
            Op::In => "in",
            Op::NotIn => "notIn",
            Op::And => "and",
            Op::Or => "or",
        }
    }

    /// The operator named `s` (case-insensitive), if any.
    pub fn from_name(s: &str) -> Option<Op> {
        const ALL: [Op; 15] = [
            Op::Eq,
            Op::NotEq,
            Op::Gt,
            Op::Gte,
            Op::Lt,
            Op::Lte,
            Op::BeginsWith,
            Op::EndsWith,
            Op::Contains,
            Op::Exist,
            Op::NotExist,
            Op::In,
            Op::NotIn,
            Op::And,
            Op::Or,
        ];
        ALL.into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(s))
    }
}

/// A filter value: what Autotask accepts (integer, string, boolean, or an
/// array of integers or strings).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FilterValue {
    /// An integer (ids, picklist values).
    Int(i64),
    /// A string (sent as a JSON string, escaped by `serde_json`).
    Str(String),
    /// A boolean.
    Bool(bool),
    /// A list of integers (`in`, `notIn`).
    Ints(Vec<i64>),
    /// A list of strings (`in`, `notIn`).
    Strs(Vec<String>),
}

impl FilterValue {
    fn to_json(&self) -> Value {
        match self {
            FilterValue::Int(v) => json!(v),
            FilterValue::Str(v) => json!(v),
            FilterValue::Bool(v) => json!(v),
            FilterValue::Ints(v) => json!(v),
            FilterValue::Strs(v) => json!(v),
        }
    }

    fn list_len(&self) -> Option<usize> {
        match self {
            FilterValue::Ints(v) => Some(v.len()),
            FilterValue::Strs(v) => Some(v.len()),
            _ => None,
        }
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for FilterValue {
            fn from(v: $t) -> Self {
                FilterValue::Int(i64::from(v))
            }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<&str> for FilterValue {
    fn from(v: &str) -> Self {
        FilterValue::Str(v.to_owned())
    }
}
impl From<String> for FilterValue {
    fn from(v: String) -> Self {
        FilterValue::Str(v)
    }
}
impl From<&String> for FilterValue {
    fn from(v: &String) -> Self {
        FilterValue::Str(v.clone())
    }
}
impl From<bool> for FilterValue {
    fn from(v: bool) -> Self {
        FilterValue::Bool(v)
    }
}
impl From<DateTime<Utc>> for FilterValue {
    /// A date-time as RFC 3339 in UTC (`2024-01-01T00:00:00Z`).
    fn from(v: DateTime<Utc>) -> Self {
        FilterValue::Str(v.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }
}
impl From<Vec<i64>> for FilterValue {
    fn from(v: Vec<i64>) -> Self {
        FilterValue::Ints(v)
    }
}
impl From<&[i64]> for FilterValue {
    fn from(v: &[i64]) -> Self {
        FilterValue::Ints(v.to_vec())
    }
}
impl From<Vec<String>> for FilterValue {
    fn from(v: Vec<String>) -> Self {
        FilterValue::Strs(v)
    }
}
impl From<Vec<&str>> for FilterValue {
    fn from(v: Vec<&str>) -> Self {
        FilterValue::Strs(v.into_iter().map(str::to_owned).collect())
    }
}

/// One filter condition, or an `and` / `or` group of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    op: Op,
    field: Option<String>,
    value: Option<FilterValue>,
    udf: bool,
    items: Vec<Filter>,
}

impl Filter {
    fn cond(op: Op, field: impl Into<String>, value: Option<FilterValue>) -> Self {
        Filter {
            op,
            field: Some(field.into()),
            value,
            udf: false,
            items: Vec::new(),
        }
    }

    /// `field eq value`.
    pub fn eq(field: impl Into<String>, value: impl Into<FilterValue>) -> Self {
        Filter::cond(Op::Eq, field, Some(value.into()))
    }
    /// `field noteq value`.
    pub fn noteq(field: impl Into<String>, value: impl Into<FilterValue>) -> Self {
        Filter::cond(Op::NotEq, field, Some(value.into()))
    }
    /// `field gt value`.
    pub fn gt(field: impl Into<String>, value: impl Into<FilterValue>) -> Self {
        Filter::cond(Op::Gt, field, Some(value.into()))
    }
    /// `field gte value`.
    pub fn gte(field: impl Into<String>, value: impl Into<FilterValue>) -> Self {
        Filter::cond(Op::Gte, field, Some(value.into()))
    }
    /// `field lt value`.
    pub fn lt(field: impl Into<String>, value: impl Into<FilterValue>) -> Self {
        Filter::cond(Op::Lt, field, Some(value.into()))
    }
    /// `field lte value`.
    pub fn lte(field: impl Into<String>, value: impl Into<FilterValue>) -> Self {
        Filter::cond(Op::Lte, field, Some(value.into()))
    }
    /// `field beginsWith text`.
    pub fn begins_with(field: impl Into<String>, text: impl Into<String>) -> Self {
        Filter::cond(Op::BeginsWith, field, Some(FilterValue::Str(text.into())))
    }
    /// `field endsWith text`.
    pub fn ends_with(field: impl Into<String>, text: impl Into<String>) -> Self {
        Filter::cond(Op::EndsWith, field, Some(FilterValue::Str(text.into())))
    }
    /// `field contains text`.
    pub fn contains(field: impl Into<String>, text: impl Into<String>) -> Self {
        Filter::cond(Op::Contains, field, Some(FilterValue::Str(text.into())))
    }
    /// `field exist`: the field has a value.
    pub fn exist(field: impl Into<String>) -> Self {
        Filter::cond(Op::Exist, field, None)
    }
    /// `field notExist`: the field has no value.
    pub fn not_exist(field: impl Into<String>) -> Self {
        Filter::cond(Op::NotExist, field, None)
    }
    /// `field in [values]`.
    pub fn is_in(field: impl Into<String>, values: impl Into<FilterValue>) -> Self {
        Filter::cond(Op::In, field, Some(values.into()))
    }
    /// `field notIn [values]`.
    pub fn not_in(field: impl Into<String>, values: impl Into<FilterValue>) -> Self {
        Filter::cond(Op::NotIn, field, Some(values.into()))
    }
    /// Every item matches.
    pub fn and(items: impl IntoIterator<Item = Filter>) -> Self {
        Filter {
            op: Op::And,
            field: None,
            value: None,
            udf: false,
            items: items.into_iter().collect(),
        }
    }
    /// Any item matches.
    pub fn or(items: impl IntoIterator<Item = Filter>) -> Self {
        Filter {
            op: Op::Or,
            field: None,
            value: None,
            udf: false,
            items: items.into_iter().collect(),
        }
    }

    /// Marks the condition as one on a user-defined field (`"udf": true`).
    #[must_use]
    pub fn udf(mut self) -> Self {
        self.udf = true;
        self
    }

    /// The operator.
    pub fn op(&self) -> Op {
        self.op
    }

    /// The field, for a condition.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    fn validate(&self, depth: usize, or_count: &mut usize) -> Result<()> {
        if depth > 16 {
            return Err(Error::invalid_input(
                "Autotask query filters are nested more than 16 levels deep",
            ));
        }
        match self.op {
            Op::And | Op::Or => {
                if self.items.is_empty() {
                    return Err(Error::invalid_input(format!(
                        "an `{}` filter group has no items",
                        self.op.as_str()
                    )));
                }
                if self.udf {
                    return Err(Error::invalid_input(
                        "`udf` marks a condition, not an `and` / `or` group",
                    ));
                }
                if self.op == Op::Or {
                    *or_count += self.items.len();
                }
                for item in &self.items {
                    item.validate(depth + 1, or_count)?;
                }
                Ok(())
            }
            op => {
                let field = self.field.as_deref().unwrap_or_default();
                validate_field(field, self.udf)?;
                match (op, &self.value) {
                    (Op::Exist | Op::NotExist, None) => Ok(()),
                    (Op::Exist | Op::NotExist, Some(_)) => Err(Error::invalid_input(format!(
                        "`{}` on `{field}` takes no value",
                        op.as_str()
                    ))),
                    (_, None) => Err(Error::invalid_input(format!(
                        "`{}` on `{field}` needs a value",
                        op.as_str()
                    ))),
                    (Op::In | Op::NotIn, Some(v)) => match v.list_len() {
                        Some(0) => Err(Error::invalid_input(format!(
                            "`{}` on `{field}` has an empty list",
                            op.as_str()
                        ))),
                        Some(n) => {
                            *or_count += n;
                            Ok(())
                        }
                        None => Err(Error::invalid_input(format!(
                            "`{}` on `{field}` needs a list of values",
                            op.as_str()
                        ))),
                    },
                    (Op::BeginsWith | Op::EndsWith | Op::Contains, Some(FilterValue::Str(s))) => {
                        if s.is_empty() {
                            Err(Error::invalid_input(format!(
                                "`{}` on `{field}` needs non-empty text",
                                op.as_str()
                            )))
                        } else {
                            Ok(())
                        }
                    }
                    (Op::BeginsWith | Op::EndsWith | Op::Contains, Some(_)) => {
                        Err(Error::invalid_input(format!(
                            "`{}` on `{field}` needs a string value",
                            op.as_str()
                        )))
                    }
                    (_, Some(v)) if v.list_len().is_some() => Err(Error::invalid_input(format!(
                        "`{}` on `{field}` takes one value, not a list (use `in`)",
                        op.as_str()
                    ))),
                    _ => Ok(()),
                }
            }
        }
    }
}

impl Serialize for Filter {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let len = 1
            + usize::from(self.field.is_some())
            + usize::from(self.value.is_some())
            + usize::from(self.udf)
            + usize::from(!self.items.is_empty());
        let mut m = s.serialize_map(Some(len))?;
        m.serialize_entry("op", self.op.as_str())?;
        if let Some(f) = &self.field {
            m.serialize_entry("field", f)?;
        }
        if let Some(v) = &self.value {
            m.serialize_entry("value", &v.to_json())?;
        }
        if self.udf {
            m.serialize_entry("udf", &true)?;
        }
        if !self.items.is_empty() {
            m.serialize_entry("items", &self.items)?;
        }
        m.end()
    }
}

/// Checks a field name: letters, digits and `_`, starting with a letter, at
/// most 100 characters. User-defined field names are labels an admin chose
/// (they may contain spaces and punctuation): only control characters and
/// blank names are refused for them.
pub fn validate_field(field: &str, udf: bool) -> Result<()> {
    if field.trim().is_empty() {
        return Err(Error::invalid_input("query field name is empty"));
    }
    if field.chars().count() > MAX_FIELD_NAME {
        return Err(Error::invalid_input(format!(
            "query field name is longer than {MAX_FIELD_NAME} characters"
        )));
    }
    if udf {
        if field.chars().any(char::is_control) || field.trim() != field {
            return Err(Error::invalid_input(format!(
                "user-defined field name {field:?} has control characters or surrounding spaces"
            )));
        }
        return Ok(());
    }
    let mut chars = field.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "{field:?} is not an Autotask field name (letters, digits and `_` only)"
        )))
    }
}

/// A query for `POST /V1.0/{Entity}/query`.
#[derive(Debug, Clone, PartialEq, Default)]
#[must_use]
pub struct Query {
    filters: Vec<Filter>,
    include_fields: Vec<String>,
    max_records: Option<u32>,
}

impl Query {
    /// A query with no filter yet (add at least one: Autotask requires a filter).
    pub fn new() -> Self {
        Query::default()
    }

    /// Every record: Autotask's idiom `id gt 0`.
    pub fn all() -> Self {
        Query::new().filter(Filter::gt("id", 0))
    }

    /// Adds a top-level filter (top-level filters are ANDed).
    pub fn filter(mut self, filter: Filter) -> Self {
        self.filters.push(filter);
        self
    }

    /// Adds several top-level filters.
    pub fn filters(mut self, filters: impl IntoIterator<Item = Filter>) -> Self {
        self.filters.extend(filters);
        self
    }

    /// Returns only these fields (`id` is added: Autotask needs it to page).
    pub fn include_fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.include_fields
            .extend(fields.into_iter().map(Into::into));
        self
    }

    /// Records per page, 1..=500 (default 500, the most Autotask allows).
    pub fn max_records(mut self, n: u32) -> Self {
        self.max_records = Some(n);
        self
    }

    /// The top-level filters.
    pub fn filter_list(&self) -> &[Filter] {
        &self.filters
    }

    /// The page size this query asks for.
    pub fn page_size(&self) -> u32 {
        self.max_records.unwrap_or(MAX_RECORDS)
    }

    /// Checks the query against Autotask's limits.
    pub fn validate(&self) -> Result<()> {
        if self.filters.is_empty() {
            return Err(Error::invalid_input(
                "an Autotask query needs a filter; to ask for every record use Query::all() (`id gt 0`)",
            ));
        }
        if let Some(n) = self.max_records {
            if n == 0 || n > MAX_RECORDS {
                return Err(Error::invalid_input(format!(
                    "MaxRecords must be between 1 and {MAX_RECORDS}, got {n}"
                )));
            }
        }
        let mut or_count = 0;
        for f in &self.filters {
            f.validate(0, &mut or_count)?;
        }
        if or_count > MAX_OR_CONDITIONS {
            return Err(Error::invalid_input(format!(
                "the query has {or_count} OR conditions; Autotask allows at most {MAX_OR_CONDITIONS}"
            )));
        }
        for f in &self.include_fields {
            validate_field(f, false)?;
        }
        Ok(())
    }

    /// The JSON body as a value, after [`validate`](Self::validate).
    pub fn to_json(&self) -> Result<Value> {
        self.validate()?;
        serde_json::to_value(Body(self)).map_err(|e| {
            Error::invalid_input("the query could not be encoded as JSON").with_source(e)
        })
    }

    /// The request body bytes, after [`validate`](Self::validate):
    /// `{"MaxRecords":…,"IncludeFields":[…],"Filter":[…]}` in that order.
    pub fn to_body(&self) -> Result<Vec<u8>> {
        self.validate()?;
        serde_json::to_vec(&Body(self)).map_err(|e| {
            Error::invalid_input("the query could not be encoded as JSON").with_source(e)
        })
    }
}

/// The wire form of a validated query.
struct Body<'a>(&'a Query);

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let q = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("MaxRecords", &q.page_size())?;
        if !q.include_fields.is_empty() {
            let mut fields = q.include_fields.clone();
            if !fields.iter().any(|f| f.eq_ignore_ascii_case("id")) {
                fields.insert(0, "id".into());
            }
            m.serialize_entry("IncludeFields", &fields)?;
        }
        m.serialize_entry("Filter", &q.filters)?;
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_documented_shape() {
        let q = Query::new()
            .filter(Filter::eq("companyID", 123))
            .filter(Filter::is_in("status", vec![1_i64, 5, 8]))
            .filter(Filter::or([
                Filter::gte("createDate", "2024-01-01T00:00:00Z"),
                Filter::exist("lastActivityDate"),
            ]))
            .filter(Filter::eq("CustomerRef", "ACME-001").udf())
            .include_fields(["ticketNumber", "title"]);
        assert_eq!(
            q.to_json().unwrap(),
            json!({
                "MaxRecords": 500,
                "IncludeFields": ["id", "ticketNumber", "title"],
                "Filter": [
                    {"op": "eq", "field": "companyID", "value": 123},
                    {"op": "in", "field": "status", "value": [1, 5, 8]},
                    {"op": "or", "items": [
                        {"op": "gte", "field": "createDate", "value": "2024-01-01T00:00:00Z"},
                        {"op": "exist", "field": "lastActivityDate"}
                    ]},
                    {"op": "eq", "field": "CustomerRef", "value": "ACME-001", "udf": true}
                ]
            })
        );
    }

    #[test]
    fn hostile_text_stays_a_string_value() {
        let hostile = "x\"}, {\"op\":\"gt\",\"field\":\"id\",\"value\":0}] //";
        let q = Query::new().filter(Filter::contains("title", hostile));
        let body = String::from_utf8(q.to_body().unwrap()).unwrap();
        assert_eq!(
            body,
            r#"{"MaxRecords":500,"Filter":[{"op":"contains","field":"title","value":"x\"}, {\"op\":\"gt\",\"field\":\"id\",\"value\":0}] //"}]}"#
        );
        let back: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(back["Filter"].as_array().unwrap().len(), 1);
        assert_eq!(back["Filter"][0]["value"], hostile);
    }

    #[test]
    fn field_names_are_checked() {
        for bad in ["", "id\"", "a b", "1abc", "status}", "x.y", "ti\ntle"] {
            let err = Query::new()
                .filter(Filter::eq(bad, 1))
                .to_json()
                .unwrap_err();
            assert!(err.is_invalid_input(), "{bad:?} accepted");
        }
        assert!(
            Query::new()
                .filter(Filter::eq("Customer Ref #", "x").udf())
                .to_json()
                .is_ok()
        );
        assert!(
            Query::new()
                .filter(Filter::eq("bad\u{0}", "x").udf())
                .to_json()
                .is_err()
        );
        assert!(Query::all().include_fields(["ti-tle"]).to_json().is_err());
    }

    #[test]
    fn limits_are_enforced_before_sending() {
        let e = Query::new().to_json().unwrap_err();
        assert!(
            e.is_invalid_input() && e.message().contains("Query::all()"),
            "{e}"
        );
        assert!(
            Query::all()
                .max_records(501)
                .to_json()
                .unwrap_err()
                .is_invalid_input()
        );
        assert!(Query::all().max_records(0).to_json().is_err());
        assert!(Query::all().max_records(500).to_json().is_ok());

        let ors = |n: i64| Filter::or((0..n).map(|i| Filter::eq("id", i)));
        assert!(Query::new().filter(ors(500)).to_json().is_ok());
        let e = Query::new().filter(ors(501)).to_json().unwrap_err();
        assert!(e.message().contains("501 OR conditions"), "{e}");
        let many: Vec<i64> = (0..501).collect();
        assert!(
            Query::new()
                .filter(Filter::is_in("id", many))
                .to_json()
                .is_err()
        );

        assert!(Query::new().filter(Filter::or([])).to_json().is_err());
        assert!(
            Query::new()
                .filter(Filter::is_in("id", Vec::<i64>::new()))
                .to_json()
                .is_err()
        );
        assert!(
            Query::new()
                .filter(Filter::is_in("id", 3))
                .to_json()
                .is_err()
        );
        assert!(
            Query::new()
                .filter(Filter::eq("id", vec![1_i64]))
                .to_json()
                .is_err()
        );
        assert!(
            Query::new()
                .filter(Filter::gt("id", 0).udf())
                .to_json()
                .is_ok()
        );
        assert!(
            Query::new()
                .filter(Filter::or([Filter::gt("id", 0)]).udf())
                .to_json()
                .is_err()
        );
    }

    #[test]
    fn operators_round_trip_by_name() {
        for name in [
            "eq",
            "noteq",
            "gt",
            "gte",
            "lt",
            "lte",
            "beginsWith",
            "endsWith",
            "contains",
            "exist",
            "notExist",
            "in",
            "notIn",
            "and",
            "or",
        ] {
            assert_eq!(Op::from_name(name).unwrap().as_str(), name);
        }
        assert_eq!(Op::from_name("BEGINSWITH"), Some(Op::BeginsWith));
        assert_eq!(Op::from_name("like"), None);
    }
}
