//! Custom-field definitions: the custom columns (`u_…`, and `x_…` of
//! scoped apps) of an entity's table in `sys_dictionary`, with the
//! `sys_choice` list of the choice ones.
//!
//! | entity | tables |
//! |---|---|
//! | ticket | the default ticket table and `task` (whose columns every task table inherits) |
//! | company | `core_company` |
//! | contact | `sys_user` |
//! | configuration | `cmdb_ci` |
//!
//! Kinds: `internal_type` `boolean` → boolean, `integer`/`longint` →
//! integer, `decimal`/`float`/`currency`/`price` → number, `glide_date` →
//! date, `glide_date_time`/`due_date` → date-time, `journal`/`html` and
//! strings longer than 255 → long text, other strings → text; a column with
//! a choice list (`choice` ≠ 0) is a picklist; anything else keeps its
//! type's name (`Other("reference")`).

use psa_core::{CustomFieldDef, CustomFieldEntity, CustomFieldKind, Error, PicklistOption, Result};
use serde_json::Value;

use super::field_text;
use crate::client::Client;
use crate::query::{Query, Term};

/// The fields a `sys_dictionary` read asks for.
const DICTIONARY_FIELDS: &[&str] = &[
    "sys_id",
    "name",
    "element",
    "column_label",
    "internal_type",
    "max_length",
    "mandatory",
    "read_only",
    "active",
    "choice",
];

fn tables(c: &Client, entity: CustomFieldEntity) -> Result<Vec<String>> {
    Ok(match entity {
        CustomFieldEntity::Ticket => vec![c.default_table().as_str().to_owned(), "task".to_owned()],
        CustomFieldEntity::Company => vec!["core_company".to_owned()],
        CustomFieldEntity::Contact => vec!["sys_user".to_owned()],
        CustomFieldEntity::Configuration => vec!["cmdb_ci".to_owned()],
        other => {
            return Err(Error::invalid_input(format!(
                "ServiceNow has no custom fields for {other:?}"
            )));
        }
    })
}

fn flag(v: &Value, name: &str) -> bool {
    field_text(v, name).is_some_and(|t| t.eq_ignore_ascii_case("true"))
}

/// The uniform kind of a dictionary entry.
fn kind(internal_type: &str, max_length: Option<u32>, choice: bool) -> CustomFieldKind {
    if choice {
        return CustomFieldKind::Picklist;
    }
    match internal_type {
        "boolean" => CustomFieldKind::Boolean,
        "integer" | "longint" => CustomFieldKind::Integer,
        "decimal" | "float" | "currency" | "price" => CustomFieldKind::Number,
        "glide_date" => CustomFieldKind::Date,
        "glide_date_time" | "due_date" => CustomFieldKind::DateTime,
        "journal" | "journal_input" | "html" => CustomFieldKind::LongText,
        "string" if max_length.is_some_and(|m| m > 255) => CustomFieldKind::LongText,
        "string" | "" => CustomFieldKind::Text,
        other => CustomFieldKind::Other(other.to_owned()),
    }
}

/// A `sys_dictionary` entry (and the `sys_choice` records of its column)
/// → uniform [`CustomFieldDef`].
fn definition(entity: CustomFieldEntity, raw: Value, choices: &[Value]) -> CustomFieldDef {
    let name = field_text(&raw, "element").unwrap_or_default();
    let max_length = field_text(&raw, "max_length").and_then(|m| m.parse::<u32>().ok());
    let choice = field_text(&raw, "choice").is_some_and(|c| c != "0");
    let internal_type = field_text(&raw, "internal_type").unwrap_or_default();
    let k = kind(&internal_type, max_length, choice);
    let mut def = CustomFieldDef::new(name.clone(), entity, k.clone())
        .required(flag(&raw, "mandatory"))
        .read_only(flag(&raw, "read_only"));
    if let Some(label) = field_text(&raw, "column_label") {
        def = def.label(label);
    }
    if let Some(m) =
        max_length.filter(|_| matches!(k, CustomFieldKind::Text | CustomFieldKind::LongText))
    {
        def = def.max_length(m);
    }
    if choice {
        let owner = field_text(&raw, "name").unwrap_or_default();
        def = def.options(
            choices
                .iter()
                .filter(|c| {
                    field_text(c, "element").as_deref() == Some(name.as_str())
                        && field_text(c, "name").as_deref() == Some(owner.as_str())
                })
                .filter_map(|c| {
                    let value = field_text(c, "value")?;
                    let label = field_text(c, "label").unwrap_or_else(|| value.clone());
                    Some(PicklistOption::new(value, label).active(!flag(c, "inactive")))
                }),
        );
    }
    def.raw = raw.into();
    def
}

pub(super) async fn list_custom_fields(
    c: &Client,
    entity: CustomFieldEntity,
) -> Result<Vec<CustomFieldDef>> {
    use futures::TryStreamExt;
    let tables = tables(c, entity)?;
    let q = Query::new()
        .and(Term::is_in("name", tables.iter().map(String::as_str)))
        .and(Term::eq("active", "true"))
        .or([
            Term::starts_with("element", "u_"),
            Term::starts_with("element", "x_"),
        ])
        .order_by("name")
        .order_by("element");
    let entries: Vec<Value> = c
        .table("sys_dictionary")
        .list()
        .query(q)
        .fields(DICTIONARY_FIELDS.iter().copied())
        .stream()
        .try_collect()
        .await?;
    let choice_elements: Vec<String> = entries
        .iter()
        .filter(|e| field_text(e, "choice").is_some_and(|v| v != "0"))
        .filter_map(|e| field_text(e, "element"))
        .collect();
    let choices: Vec<Value> = if choice_elements.is_empty() {
        Vec::new()
    } else {
        let q = Query::new()
            .and(Term::is_in("name", tables.iter().map(String::as_str)))
            .and(Term::is_in(
                "element",
                choice_elements.iter().map(String::as_str),
            ))
            .and(Term::eq("language", c.config().choice_language.as_str()))
            .order_by("sequence")
            .order_by("sys_id");
        c.table("sys_choice")
            .list()
            .query(q)
            .fields(["name", "element", "value", "label", "inactive", "sequence"])
            .stream()
            .try_collect()
            .await?
    };
    Ok(entries
        .into_iter()
        .map(|e| definition(entity, e, &choices))
        .collect())
}
