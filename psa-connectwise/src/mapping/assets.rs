//! Configurations: the record, the create body (a type is required) and the
//! `PATCH`.

use psa_core::{Error, Id, Result, Vendor};

use super::{int_id, merge_custom_fields, missing_id, ref_of, reference, to_raw};
use crate::models::{Configuration, PatchOperation, custom_field_map};

/// A configuration.
pub fn configuration(c: &Configuration) -> Result<psa_core::Configuration> {
    let id = c.id.ok_or_else(|| missing_id("configuration"))?;
    let mut out = psa_core::Configuration::new(Id::from(id), c.name.clone().unwrap_or_default());
    out.configuration_type = reference(c.configuration_type.as_ref());
    out.company = reference(c.company.as_ref());
    out.serial_number.clone_from(&c.serial_number);
    out.active = c.active_flag;
    out.custom_fields = custom_field_map(c.custom_fields.as_deref().unwrap_or_default());
    out.raw = to_raw(c).into();
    Ok(out)
}

/// The body of `POST /company/configurations`. ConnectWise requires a type.
pub fn new_configuration(c: &psa_core::NewConfiguration) -> Result<Configuration> {
    c.validate()?;
    let ty = c.configuration_type.as_ref().ok_or_else(|| {
        Error::invalid_input("ConnectWise requires a configuration type to create a configuration")
            .with_vendor(Vendor::ConnectWise)
    })?;
    Ok(Configuration {
        name: Some(c.name.clone()),
        configuration_type: Some(ref_of(ty, "configuration type id")?),
        company: Some(ref_of(&c.company, "company id")?),
        serial_number: c.serial_number.clone(),
        ..Configuration::default()
    })
}

/// The `PATCH` operations of a configuration update.
pub fn configuration_patch(
    p: &psa_core::ConfigurationPatch,
    current: Option<&Configuration>,
) -> Result<Vec<PatchOperation>> {
    p.validate()?;
    let mut ops = Vec::new();
    if let Some(v) = &p.name {
        ops.push(PatchOperation::replace("name", v.clone()));
    }
    if let Some(t) = &p.configuration_type {
        ops.push(PatchOperation::replace_ref(
            "type",
            int_id(t, "configuration type id")?,
        ));
    }
    if let Some(v) = &p.serial_number {
        ops.push(PatchOperation::replace("serialNumber", v.clone()));
    }
    if let Some(a) = p.active {
        ops.push(PatchOperation::replace("activeFlag", a));
    }
    if !p.custom_fields.is_empty() {
        let current = current
            .and_then(|c| c.custom_fields.as_deref())
            .unwrap_or_default();
        let merged = merge_custom_fields(current, &p.custom_fields, "configuration")?;
        ops.push(PatchOperation::replace("customFields", to_raw(&merged)));
    }
    Ok(ops)
}
