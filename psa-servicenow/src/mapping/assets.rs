//! Configuration items (`cmdb_ci` and its classes) ⇄ uniform configurations.

use super::{
    check_custom, custom_fields, custom_value, own_id, put_ref, reference, text, value, walked,
};
use crate::ids::validate_table_name;
use crate::models::{CmdbCi, Field};
use psa_core::{Configuration, ConfigurationPatch, Error, Id, NewConfiguration, Ref, Result};
use serde_json::{Map, Value, json};

/// The fields of a `cmdb_ci` read.
pub const CI_FIELDS: &[&str] = &[
    "sys_id",
    "name",
    "sys_class_name",
    "company",
    "company.name",
    "serial_number",
    "install_status",
];

/// The `install_status` of a retired CI (the uniform `active: false`).
pub const CI_RETIRED: &str = "7";

/// The `install_status` of an installed CI (the uniform `active: true`).
pub const CI_INSTALLED: &str = "1";

/// A `cmdb_ci` record → uniform [`Configuration`]. The type is the CI class
/// (`cmdb_ci_computer`); `active` is `install_status` other than 7 (Retired).
pub fn configuration(ci: &CmdbCi, raw: Value) -> Result<Configuration> {
    let id = own_id("cmdb_ci", ci.sys_id.as_ref(), "configuration item")?;
    let mut out = Configuration::new(id, value(ci.name.as_ref()));
    out.configuration_type = ci
        .sys_class_name
        .as_ref()
        .and_then(Field::non_empty)
        .and_then(|c| Id::text(c).ok())
        .map(Ref::new);
    out.company = reference(
        ci.company.as_ref(),
        "core_company",
        walked(&ci.extra, "company.name"),
    );
    out.serial_number = text(ci.serial_number.as_ref());
    out.active = ci
        .install_status
        .as_ref()
        .and_then(Field::non_empty)
        .map(|s| s != CI_RETIRED);
    out.custom_fields = custom_fields(&ci.extra);
    out.raw = raw.into();
    Ok(out)
}

/// The CI class a new configuration is created in: its type, `cmdb_ci`
/// otherwise. A type must be a `cmdb_ci…` table.
pub fn ci_class(t: Option<&Id>) -> Result<String> {
    let Some(t) = t else {
        return Ok("cmdb_ci".to_owned());
    };
    let class = t.to_string();
    validate_table_name(&class)?;
    if class != "cmdb_ci" && !class.starts_with("cmdb_ci_") {
        return Err(Error::invalid_input(format!(
            "configuration type {class:?} is not a CI class (cmdb_ci or cmdb_ci_…)"
        )));
    }
    Ok(class)
}

/// A uniform new configuration → the body of a POST to its class table.
pub fn new_configuration_body(c: &NewConfiguration) -> Result<Map<String, Value>> {
    c.validate()?;
    check_custom(&c.custom_fields)?;
    let mut body = Map::new();
    body.insert("name".into(), json!(c.name));
    put_ref(
        &mut body,
        "company",
        &c.company,
        &["core_company"],
        "company id",
    )?;
    if let Some(s) = &c.serial_number {
        body.insert("serial_number".into(), json!(s));
    }
    for (k, v) in c.custom_fields.iter() {
        body.insert(k.to_owned(), custom_value(v));
    }
    Ok(body)
}

/// A uniform configuration patch → a PATCH body. The class cannot change
/// through the Table API (reclassification is a CMDB operation).
pub fn configuration_patch_body(
    p: &ConfigurationPatch,
    current_class: &str,
) -> Result<Map<String, Value>> {
    p.validate()?;
    check_custom(&p.custom_fields)?;
    if let Some(t) = &p.configuration_type {
        if t.to_string() != current_class {
            return Err(Error::invalid_input(format!(
                "a CI's class cannot change through the Table API ({current_class} → {t})"
            )));
        }
    }
    let mut body = Map::new();
    if let Some(n) = &p.name {
        body.insert("name".into(), json!(n));
    }
    if let Some(s) = &p.serial_number {
        body.insert("serial_number".into(), json!(s));
    }
    if let Some(a) = p.active {
        body.insert(
            "install_status".into(),
            json!(if a { CI_INSTALLED } else { CI_RETIRED }),
        );
    }
    for (k, v) in p.custom_fields.iter() {
        body.insert(k.to_owned(), custom_value(v));
    }
    Ok(body)
}
