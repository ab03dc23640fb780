//! Configurations / assets / configuration items.

use super::RawRecord;
use serde::{Deserialize, Serialize};

use super::common::{CustomFields, Ref, check_custom_field_names, custom_field_names, field_if};
use crate::{Error, Id, Result, input};

/// A configuration (HaloPSA asset, ConnectWise configuration, Autotask
/// configuration item, ServiceNow `cmdb_ci`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Configuration {
    /// Id.
    pub id: Id,
    /// Name / asset tag / reference title.
    pub name: String,
    /// Type (asset type, configuration type, CI class).
    pub configuration_type: Option<Ref>,
    /// Owning company.
    pub company: Option<Ref>,
    /// Serial number.
    pub serial_number: Option<String>,
    /// Whether it is active.
    pub active: Option<bool>,
    /// Custom fields.
    pub custom_fields: CustomFields,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl Configuration {
    /// A configuration; vendor mappings fill the rest.
    pub fn new(id: Id, name: impl Into<String>) -> Self {
        Configuration {
            id,
            name: name.into(),
            configuration_type: None,
            company: None,
            serial_number: None,
            active: None,
            custom_fields: CustomFields::new(),
            raw: RawRecord::default(),
        }
    }
}

/// Which configurations to list.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ConfigurationQuery {
    /// Owned by this company.
    pub company: Option<Id>,
    /// Name contains.
    pub name: Option<String>,
    /// Include inactive ones.
    pub include_inactive: bool,
    /// Stop after this many.
    pub limit: Option<u64>,
}

impl ConfigurationQuery {
    /// A company's configurations.
    pub fn company(id: impl Into<Id>) -> Self {
        ConfigurationQuery {
            company: Some(id.into()),
            ..Default::default()
        }
    }
    /// Configurations whose name contains `text`.
    pub fn name(text: impl Into<String>) -> Self {
        ConfigurationQuery {
            name: Some(text.into()),
            ..Default::default()
        }
    }
    /// Includes inactive ones.
    #[must_use]
    pub fn include_inactive(mut self) -> Self {
        self.include_inactive = true;
        self
    }
    /// Stop after `n`.
    #[must_use]
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Rejects a name with nothing visible in it (`"\n"`, `" "`, `"\0"`:
    /// never read as "every configuration"), with control characters or
    /// longer than [`input::MAX_SEARCH_TEXT`].
    ///
    /// ```
    /// use psa_core::ConfigurationQuery;
    /// assert!(ConfigurationQuery::name("LAPTOP-42").validate().is_ok());
    /// assert!(ConfigurationQuery::name(" ").validate().unwrap_err().is_invalid_input());
    /// ```
    pub fn validate(&self) -> Result<()> {
        match &self.name {
            Some(n) => input::search_text("configuration name", n),
            None => Ok(()),
        }
    }
}

/// A configuration to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct NewConfiguration {
    /// Owning company.
    pub company: Id,
    /// Name.
    pub name: String,
    /// Type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_type: Option<Id>,
    /// Serial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// Custom fields.
    #[serde(default, skip_serializing_if = "CustomFields::is_empty")]
    pub custom_fields: CustomFields,
}

impl NewConfiguration {
    /// A configuration of `company` named `name`.
    pub fn new(company: impl Into<Id>, name: impl Into<String>) -> Self {
        NewConfiguration {
            company: company.into(),
            name: name.into(),
            configuration_type: None,
            serial_number: None,
            custom_fields: CustomFields::new(),
        }
    }
    /// Sets the type.
    #[must_use]
    pub fn configuration_type(mut self, id: impl Into<Id>) -> Self {
        self.configuration_type = Some(id.into());
        self
    }
    /// Sets the serial number.
    #[must_use]
    pub fn serial_number(mut self, v: impl Into<String>) -> Self {
        self.serial_number = Some(v.into());
        self
    }
    /// Sets a custom field.
    #[must_use]
    pub fn custom_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.custom_fields.insert(name, value);
        self
    }

    /// Rejects a name that is not one line of visible text, a serial number
    /// with control characters, and custom field names that are not one
    /// line of visible text.
    pub fn validate(&self) -> Result<()> {
        input::line("configuration name", &self.name, 255)?;
        if let Some(s) = &self.serial_number {
            input::optional_line("configuration serial number", s, 255)?;
        }
        check_custom_field_names(&self.custom_fields)
    }

    /// The uniform fields written.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = vec!["company".to_owned(), "name".to_owned()];
        field_if(
            &mut f,
            self.configuration_type.as_ref(),
            "configuration_type",
        );
        field_if(&mut f, self.serial_number.as_ref(), "serial_number");
        custom_field_names(&mut f, &self.custom_fields);
        f
    }
}

/// Changes to a configuration.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ConfigurationPatch {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_type: Option<Id>,
    /// New serial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// Activate / deactivate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Custom fields to set.
    #[serde(default, skip_serializing_if = "CustomFields::is_empty")]
    pub custom_fields: CustomFields,
}

impl ConfigurationPatch {
    /// An empty patch.
    pub fn new() -> Self {
        ConfigurationPatch::default()
    }
    /// Sets the name.
    #[must_use]
    pub fn name(mut self, v: impl Into<String>) -> Self {
        self.name = Some(v.into());
        self
    }
    /// Sets the type.
    #[must_use]
    pub fn configuration_type(mut self, id: impl Into<Id>) -> Self {
        self.configuration_type = Some(id.into());
        self
    }
    /// Sets the serial number.
    #[must_use]
    pub fn serial_number(mut self, v: impl Into<String>) -> Self {
        self.serial_number = Some(v.into());
        self
    }
    /// Activates or deactivates.
    #[must_use]
    pub fn active(mut self, v: bool) -> Self {
        self.active = Some(v);
        self
    }
    /// Sets a custom field.
    #[must_use]
    pub fn custom_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.custom_fields.insert(name, value);
        self
    }

    /// Rejects an empty patch and a blank name.
    pub fn validate(&self) -> Result<()> {
        if self.written_fields().is_empty() {
            return Err(Error::invalid_input("configuration patch changes nothing"));
        }
        if let Some(n) = &self.name {
            input::line("configuration name", n, 255)?;
        }
        if let Some(s) = &self.serial_number {
            input::optional_line("configuration serial number", s, 255)?;
        }
        check_custom_field_names(&self.custom_fields)
    }

    /// The uniform fields written.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = Vec::new();
        field_if(&mut f, self.name.as_ref(), "name");
        field_if(
            &mut f,
            self.configuration_type.as_ref(),
            "configuration_type",
        );
        field_if(&mut f, self.serial_number.as_ref(), "serial_number");
        field_if(&mut f, self.active.as_ref(), "active");
        custom_field_names(&mut f, &self.custom_fields);
        f
    }
}
