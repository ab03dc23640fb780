//! Tool arguments: their types, their JSON Schemas, and the checks every
//! argument object passes before it is decoded.
//!
//! The request types are psa-core's own (`TicketQuery`, `NewNote`,
//! `TicketPatch` …, with `JsonSchema` from psa-core's `schemars` feature);
//! the few wrappers here add the record a call is about (`{"ticket": 1001,
//! "body": …}`). A hostile argument object — wrong types, unknown keys,
//! megabyte strings, deep nesting — is refused here with a message that
//! names the problem, before anything reaches a guard or a vendor.

use std::fmt;

use psa_core::{CustomFieldEntity, Id, NewAttachment, NewLineItem, NewNote};
use rmcp::model::JsonObject;
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// Bounds on what a tool call may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest argument object, as compact JSON, in bytes.
    pub max_argument_bytes: usize,
    /// The longest string anywhere in the arguments, in characters. The
    /// default is [`NewNote::MAX_BODY`], the longest note psa-core accepts.
    pub max_string_chars: usize,
    /// The deepest nesting of arrays and objects in the arguments.
    pub max_depth: usize,
    /// How many records a listing returns when the call sets no `limit`.
    pub default_list: u64,
    /// The most records a listing returns; a larger `limit` is refused.
    pub max_list: u64,
    /// The largest attachment `download_attachment` returns, in bytes
    /// (default 5 MiB); a larger file is refused, and its content is not
    /// read past the limit.
    pub max_download_bytes: u64,
    /// The largest file `upload_attachment` accepts, in bytes (default
    /// 2 MiB, whose base64 fits the HTTP transport's 4 MiB request limit).
    /// Checked before any request.
    pub max_upload_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_argument_bytes: 256 * 1024,
            max_string_chars: NewNote::MAX_BODY,
            max_depth: 16,
            default_list: 25,
            max_list: 200,
            max_download_bytes: 5 * 1024 * 1024,
            max_upload_bytes: 2 * 1024 * 1024,
        }
    }
}

impl Limits {
    /// Sets the listing sizes: `default` when no `limit` is given, at most `max`.
    #[must_use]
    pub fn list_sizes(mut self, default: u64, max: u64) -> Self {
        self.default_list = default.clamp(1, max.max(1));
        self.max_list = max.max(1);
        self
    }

    /// Sets the largest argument object, in bytes.
    #[must_use]
    pub fn max_argument_bytes(mut self, bytes: usize) -> Self {
        self.max_argument_bytes = bytes;
        self
    }

    /// Sets the largest attachment download and upload, in bytes (the
    /// upload at most [`NewAttachment::MAX_BYTES`]).
    #[must_use]
    pub fn attachment_bytes(mut self, download: u64, upload: usize) -> Self {
        self.max_download_bytes = download.max(1);
        self.max_upload_bytes = upload.clamp(1, NewAttachment::MAX_BYTES);
        self
    }

    /// The limits of a call carrying a file of up to `max_upload_bytes` as
    /// base64: strings and the argument object may be that large.
    pub(crate) fn for_upload(mut self) -> Self {
        let b64 = self.max_upload_bytes.div_ceil(3).saturating_mul(4);
        self.max_string_chars = self.max_string_chars.max(b64.saturating_add(4));
        self.max_argument_bytes = self.max_argument_bytes.max(b64.saturating_add(64 * 1024));
        self
    }

    /// Sets the longest string, in characters.
    #[must_use]
    pub fn max_string_chars(mut self, chars: usize) -> Self {
        self.max_string_chars = chars;
        self
    }
}

/// Why an argument object was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgError(pub(crate) String);

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ArgError {}

fn arg_error(msg: impl Into<String>) -> ArgError {
    ArgError(msg.into())
}

/// How a tool's arguments are shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Decoded as they are; the schema's `required` list stands.
    Plain,
    /// A query whose every field has a default: missing keys take it, so
    /// the schema requires nothing. `limit` is part of the query type.
    QueryWithLimit,
    /// A listing whose query type has no `limit`: the tool adds one.
    AddedLimit,
    /// A listing whose query type has required fields and no `limit`.
    RequiredAddedLimit,
}

impl Shape {
    pub(crate) fn is_listing(self) -> bool {
        !matches!(self, Shape::Plain)
    }
}

/// The JSON Schema of `T` as a tool's `inputSchema`: draft 2020-12 (the
/// version MCP names), every subschema inline (no `$ref`, which some
/// clients cannot follow), no unknown keys (`additionalProperties: false`).
pub(crate) fn schema_of<T: JsonSchema>(shape: Shape, limits: &Limits) -> JsonObject {
    let generator = SchemaSettings::draft2020_12()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let root = generator.into_root_schema_for::<T>();
    let mut obj = match root.to_value() {
        Value::Object(o) => o,
        _ => Map::new(),
    };
    obj.remove("$schema");
    obj.remove("title");
    // The tool's description says what it does; the type's Rust docs don't.
    obj.remove("description");
    for v in obj.values_mut() {
        tidy_descriptions(v);
    }
    obj.insert("type".into(), json!("object"));
    obj.insert("additionalProperties".into(), json!(false));
    if !obj.contains_key("properties") {
        obj.insert("properties".into(), json!({}));
    }
    if matches!(shape, Shape::QueryWithLimit | Shape::AddedLimit) {
        obj.remove("required");
    }
    if shape.is_listing()
        && let Some(Value::Object(props)) = obj.get_mut("properties")
    {
        props.insert(
            "limit".into(),
            json!({
                "type": "integer",
                "minimum": 1,
                "maximum": limits.max_list,
                "description": format!(
                    "How many records to return (default {}, at most {}).",
                    limits.default_list, limits.max_list
                ),
            }),
        );
    }
    obj
}

/// Cuts Rust code examples (and what follows them) out of the descriptions
/// schemars took from doc comments.
fn tidy_descriptions(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(d)) = map.get_mut("description")
                && let Some(cut) = d.find("```")
            {
                *d = d[..cut].trim_end().to_owned();
            }
            map.values_mut().for_each(tidy_descriptions);
        }
        Value::Array(items) => items.iter_mut().for_each(tidy_descriptions),
        _ => {}
    }
}

/// The top-level keys a schema declares.
pub(crate) fn declared_keys(schema: &JsonObject) -> Vec<String> {
    match schema.get("properties") {
        Some(Value::Object(p)) => p.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Checks size, string lengths, depth and unknown keys.
pub(crate) fn check(
    args: &JsonObject,
    declared: &[String],
    limits: &Limits,
) -> Result<(), ArgError> {
    let size = serde_json::to_vec(args).map_or(usize::MAX, |v| v.len());
    if size > limits.max_argument_bytes {
        return Err(arg_error(format!(
            "the arguments are {size} bytes of JSON; the limit is {}",
            limits.max_argument_bytes
        )));
    }
    for (k, v) in args {
        check_value(k, v, 1, limits)?;
    }
    let unknown: Vec<&str> = args
        .keys()
        .filter(|k| !declared.iter().any(|d| d == *k))
        .map(String::as_str)
        .collect();
    if !unknown.is_empty() {
        return Err(arg_error(format!(
            "unknown argument{} {}; this tool takes: {}",
            if unknown.len() == 1 { "" } else { "s" },
            unknown
                .iter()
                .map(|k| format!("`{}`", short(k)))
                .collect::<Vec<_>>()
                .join(", "),
            if declared.is_empty() {
                "no arguments".to_owned()
            } else {
                declared.join(", ")
            }
        )));
    }
    Ok(())
}

/// A key or value cut to something printable in an error.
fn short(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect()
    } else {
        let cut: String = s
            .chars()
            .take(MAX)
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        format!("{cut}…")
    }
}

fn check_value(path: &str, v: &Value, depth: usize, limits: &Limits) -> Result<(), ArgError> {
    if depth > limits.max_depth {
        return Err(arg_error(format!(
            "`{}` nests deeper than {} levels",
            short(path),
            limits.max_depth
        )));
    }
    match v {
        // Bytes first: a quick bound before counting characters.
        Value::String(s)
            if s.len() > limits.max_string_chars.saturating_mul(4)
                || s.chars().count() > limits.max_string_chars =>
        {
            return Err(arg_error(format!(
                "`{}` is {} characters long; the limit is {}",
                short(path),
                s.chars().count(),
                limits.max_string_chars
            )));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_value(&format!("{path}[{i}]"), item, depth + 1, limits)?;
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                if k.chars().count() > limits.max_string_chars {
                    return Err(arg_error(format!(
                        "a key inside `{}` is too long",
                        short(path)
                    )));
                }
                check_value(&format!("{path}.{}", short(k)), item, depth + 1, limits)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Takes the `limit` of a listing out of `args` (or the default).
pub(crate) fn take_limit(args: &mut JsonObject, limits: &Limits) -> Result<u64, ArgError> {
    match args.remove("limit") {
        None | Some(Value::Null) => Ok(limits.default_list),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(l) if (1..=limits.max_list).contains(&l) => Ok(l),
            _ => Err(arg_error(format!(
                "`limit` must be an integer from 1 to {}, got {n}",
                limits.max_list
            ))),
        },
        Some(other) => Err(arg_error(format!(
            "`limit` must be an integer from 1 to {}, got {}",
            limits.max_list,
            kind_of(&other)
        ))),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes `args` into `T`, over `defaults` (keys the caller left out take
/// the default's value). The error names the failing key path.
pub(crate) fn decode<T: DeserializeOwned>(
    args: JsonObject,
    defaults: Option<Value>,
) -> Result<T, ArgError> {
    let mut base = match defaults {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    for (k, v) in args {
        base.insert(k, v);
    }
    serde_path_to_error::deserialize(Value::Object(base)).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // serde_json quotes the offending value; keep the message short.
        let inner = short_message(&inner);
        if path.is_empty() || path == "." {
            arg_error(format!("invalid arguments: {inner}"))
        } else {
            arg_error(format!("invalid argument `{}`: {inner}", short(&path)))
        }
    })
}

fn short_message(msg: &str) -> String {
    const MAX: usize = 300;
    if msg.chars().count() <= MAX {
        msg.to_owned()
    } else {
        let cut: String = msg.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

// ---- argument types -------------------------------------------------------

/// One record, by id.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct ById {
    /// The record's id.
    pub(crate) id: Id,
}

/// One ticket, by id.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct ByTicket {
    /// The ticket's id.
    pub(crate) ticket: Id,
}

/// A record's id and the changes to make to it.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct Update<P> {
    /// The id of the record to change.
    pub(crate) id: Id,
    /// The changes; only the fields given are changed.
    #[serde(flatten)]
    pub(crate) patch: P,
}

/// A note to add to a ticket.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct AddNote {
    /// The ticket's id.
    pub(crate) ticket: Id,
    /// The note.
    #[serde(flatten)]
    pub(crate) note: NewNote,
}

/// A product line item to add to a ticket.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct AddProduct {
    /// The ticket's id.
    pub(crate) ticket: Id,
    /// The line item.
    #[serde(flatten)]
    pub(crate) item: NewLineItem,
}

/// Tickets to merge into one.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct Merge {
    /// The ticket that survives.
    pub(crate) into: Id,
    /// The tickets merged into it (the vendor closes them).
    pub(crate) from: Vec<Id>,
}

/// Tickets to bundle under a parent.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct Bundle {
    /// The parent ticket.
    pub(crate) parent: Id,
    /// The tickets bundled under it (they stay open, linked).
    pub(crate) children: Vec<Id>,
}

/// No arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct NoArgs {}

/// A ticket, by the number people quote.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct ByNumber {
    /// The ticket number as people quote it: ServiceNow `INC0010001`,
    /// Autotask `T20261203.0001`, a HaloPSA or ConnectWise ticket id
    /// `12345` (a leading `#` is dropped).
    pub(crate) number: String,
}

/// The records whose custom fields to list.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct CustomFieldsOf {
    /// Whose custom fields: ticket (default), company, contact or configuration.
    #[serde(default)]
    pub(crate) entity: Option<CustomFieldEntity>,
}

/// A file to attach to a ticket.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct Upload {
    /// The ticket's id.
    pub(crate) ticket: Id,
    /// The file: `file_name`, `content_type`, `data` (base64) and
    /// `internal` (default true: only agents see it).
    #[serde(flatten)]
    pub(crate) file: NewAttachment,
}

/// The default query values of a `Default + Serialize` query type.
pub(crate) fn defaults_of<T: Default + serde::Serialize>() -> Option<Value> {
    serde_json::to_value(T::default()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use psa_core::TicketQuery;

    fn obj(v: Value) -> JsonObject {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn query_schema_requires_nothing_and_bounds_limit() {
        let limits = Limits::default();
        let s = schema_of::<TicketQuery>(Shape::QueryWithLimit, &limits);
        assert!(s.get("required").is_none(), "{s:?}");
        assert_eq!(s["additionalProperties"], json!(false));
        assert_eq!(s["properties"]["limit"]["maximum"], json!(limits.max_list));
        assert!(!s.to_string_lossy().contains("$ref"));
        assert!(!s.to_string_lossy().contains("```"));
    }

    trait Lossy {
        fn to_string_lossy(&self) -> String;
    }
    impl Lossy for JsonObject {
        fn to_string_lossy(&self) -> String {
            Value::Object(self.clone()).to_string()
        }
    }

    #[test]
    fn flattened_arguments_list_every_key() {
        let s = schema_of::<AddNote>(Shape::Plain, &Limits::default());
        let keys = declared_keys(&s);
        for k in ["ticket", "body", "visibility", "notify"] {
            assert!(keys.iter().any(|d| d == k), "{k} missing from {keys:?}");
        }
        let req = s["required"].as_array().unwrap();
        assert!(req.contains(&json!("ticket")) && req.contains(&json!("body")));
    }

    #[test]
    fn hostile_arguments_are_refused_by_name() {
        let limits = Limits::default();
        let declared = vec!["ticket".to_owned(), "body".to_owned()];
        let huge = "x".repeat(limits.max_string_chars + 1);
        let e = check(&obj(json!({"ticket": 1, "body": huge})), &declared, &limits).unwrap_err();
        assert!(e.0.contains("`body`") && e.0.contains("limit"), "{e}");
        let e = check(&obj(json!({"ticket": 1, "bdy": "x"})), &declared, &limits).unwrap_err();
        assert!(e.0.contains("`bdy`") && e.0.contains("ticket, body"), "{e}");
        let mut deep = json!(1);
        for _ in 0..40 {
            deep = json!([deep]);
        }
        let e = check(&obj(json!({"ticket": deep})), &declared, &limits).unwrap_err();
        assert!(e.0.contains("nests deeper"), "{e}");
        let e = decode::<AddNote>(
            obj(json!({"ticket": true, "body": "x", "visibility": "internal"})),
            None,
        )
        .unwrap_err();
        assert!(e.0.contains("`ticket`"), "{e}");
        let e = decode::<AddNote>(obj(json!({"ticket": 1})), None).unwrap_err();
        assert!(e.0.contains("body") || e.0.contains("visibility"), "{e}");
    }

    #[test]
    fn defaults_fill_missing_query_keys_and_limit_is_bounded() {
        let limits = Limits::default();
        let q: TicketQuery = decode(
            obj(json!({"text": "printer"})),
            defaults_of::<TicketQuery>(),
        )
        .unwrap();
        assert_eq!(q.text.as_deref(), Some("printer"));
        let mut a = obj(json!({"limit": 0}));
        assert!(take_limit(&mut a, &limits).is_err());
        let mut a = obj(json!({"limit": "10"}));
        assert!(
            take_limit(&mut a, &limits)
                .unwrap_err()
                .0
                .contains("a string")
        );
        let mut a = obj(json!({}));
        assert_eq!(take_limit(&mut a, &limits).unwrap(), limits.default_list);
    }
}
