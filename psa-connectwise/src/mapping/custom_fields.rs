//! Custom-field definitions: a record's `customFields[]` entries with the
//! definitions `/system/userDefinedFields` gives for their ids.

use psa_core::{CustomFieldDef, CustomFieldEntity, CustomFieldKind, PicklistOption};

use super::to_raw;
use crate::models::{CustomField, CustomFieldType, EntryMethod, UserDefinedField};

/// The definition of the custom field `field` of an `entity` record: its
/// caption is its name (the uniform models key custom fields by caption);
/// kind, required, read-only and list values come from `def`, its
/// `/system/userDefinedFields` entry, when there is one, else from the
/// entry itself (type, entry method, decimals).
pub fn custom_field_def(
    entity: CustomFieldEntity,
    field: &CustomField,
    def: Option<&UserDefinedField>,
) -> Option<CustomFieldDef> {
    let name = field
        .caption
        .clone()
        .or_else(|| def.and_then(|d| d.caption.clone()))?;
    let field_type = def
        .and_then(|d| d.field_type_identifier.clone())
        .or_else(|| field.field_type.clone());
    let entry = def
        .and_then(|d| d.entry_type_identifier.clone())
        .or_else(|| field.entry_method.clone());
    let decimals = def
        .and_then(|d| d.number_decimals)
        .or(field.number_of_decimals);
    let kind = match (entry, field_type) {
        (Some(EntryMethod::List | EntryMethod::Option), _) => CustomFieldKind::Picklist,
        (_, Some(CustomFieldType::Checkbox)) => CustomFieldKind::Boolean,
        (_, Some(CustomFieldType::Date)) | (Some(EntryMethod::Date), _) => CustomFieldKind::Date,
        (_, Some(CustomFieldType::Number)) if decimals.unwrap_or(0) == 0 => {
            CustomFieldKind::Integer
        }
        (
            _,
            Some(CustomFieldType::Number | CustomFieldType::Currency | CustomFieldType::Percent),
        ) => CustomFieldKind::Number,
        (_, Some(CustomFieldType::TextArea)) => CustomFieldKind::LongText,
        (_, Some(CustomFieldType::Text) | None) => CustomFieldKind::Text,
        (_, Some(other)) => CustomFieldKind::Other(other.as_str().to_owned()),
    };
    let mut out = CustomFieldDef::new(name, entity, kind);
    if let Some(d) = def {
        out.required = d.required_flag == Some(true);
        out.read_only = d.read_only_flag == Some(true);
        let mut options: Vec<_> = d.options.iter().flatten().collect();
        options.sort_by_key(|o| o.sort_order.unwrap_or(i64::MAX));
        out.options = options
            .into_iter()
            .filter_map(|o| {
                let v = o.option_value.clone()?;
                Some(PicklistOption::new(v.clone(), v).active(o.inactive_flag != Some(true)))
            })
            .collect();
        out.raw = to_raw(d).into();
    } else {
        out.raw = to_raw(field).into();
    }
    Some(out)
}
