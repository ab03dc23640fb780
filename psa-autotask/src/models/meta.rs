//! Metadata: zone discovery, the request threshold, and entity / field
//! information (where picklists live).

use serde::{Deserialize, Serialize};

/// `ZoneInformationResultModel`: which zone (data center) serves an API user.
///
/// `GET https://webservices.autotask.net/atservicesrest/v1.0/zoneInformation?user={UserName}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ZoneInformation {
    /// The zone's name.
    #[serde(rename = "zoneName", default, skip_serializing_if = "Option::is_none")]
    pub zone_name: Option<String>,
    /// The REST base of the zone, e.g. `https://webservices14.autotask.net/ATServicesRest/`.
    pub url: String,
    /// The web UI of the zone, e.g. `https://ww14.autotask.net/`.
    #[serde(rename = "webUrl", default, skip_serializing_if = "Option::is_none")]
    pub web_url: Option<String>,
    /// The zone's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci: Option<i64>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `ThresholdStatusResultModel`: the database's request budget and its use.
///
/// `GET /V1.0/ThresholdInformation` (the path in Autotask's swagger; it
/// counts against the budget and the thread limit like any call).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ThresholdInformation {
    /// Requests allowed per timeframe (10,000 by default).
    #[serde(rename = "externalRequestThreshold")]
    pub external_request_threshold: i64,
    /// The timeframe, in minutes (60).
    #[serde(rename = "requestThresholdTimeframe")]
    pub request_threshold_timeframe: i64,
    /// Requests made in the current timeframe, by every integration of the database.
    #[serde(rename = "currentTimeframeRequestCount")]
    pub current_timeframe_request_count: i64,
}

impl ThresholdInformation {
    /// A threshold snapshot.
    pub fn new(threshold: i64, timeframe_minutes: i64, used: i64) -> Self {
        ThresholdInformation {
            external_request_threshold: threshold,
            request_threshold_timeframe: timeframe_minutes,
            current_timeframe_request_count: used,
        }
    }
}

/// `GET /{Entity}/entityInformation/fields`: `{"fields": […]}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FieldInformationResult {
    /// The entity's fields.
    #[serde(default)]
    pub fields: Vec<FieldInformation>,
}

/// `FieldInformationModel`: one field of an entity, with its picklist.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FieldInformation {
    /// The field name (`status`, `queueID` …).
    pub name: String,
    /// The data type.
    #[serde(rename = "dataType", default, skip_serializing_if = "Option::is_none")]
    pub data_type: Option<DataType>,
    /// Maximum length of a string field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<i64>,
    /// Whether a create must set it.
    #[serde(rename = "isRequired", default)]
    pub is_required: bool,
    /// Whether it is read-only.
    #[serde(rename = "isReadOnly", default)]
    pub is_read_only: bool,
    /// Whether it can be used in a query filter.
    #[serde(rename = "isQueryable", default)]
    pub is_queryable: bool,
    /// Whether it references another entity.
    #[serde(rename = "isReference", default)]
    pub is_reference: bool,
    /// The entity it references.
    #[serde(
        rename = "referenceEntityType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub reference_entity_type: Option<String>,
    /// Whether it is a picklist.
    #[serde(rename = "isPickList", default)]
    pub is_pick_list: bool,
    /// The picklist's values (for picklist fields).
    #[serde(
        rename = "picklistValues",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub picklist_values: Option<Vec<PickListValue>>,
    /// The field whose value scopes this picklist (`subIssueType` → `issueType`).
    #[serde(
        rename = "picklistParentValueField",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub picklist_parent_value_field: Option<String>,
    /// Whether a webhook can subscribe to it.
    #[serde(
        rename = "isSupportedWebhookField",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_supported_webhook_field: Option<serde_json::Value>,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A field's data type, as `entityInformation/fields` names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DataType {
    /// `integer`.
    Integer,
    /// `long`.
    Long,
    /// `double` / `decimal`.
    Double,
    /// `string`.
    String,
    /// `boolean`.
    Boolean,
    /// `datetime`.
    DateTime,
    /// A type this SDK does not know, by Autotask's name.
    Unknown(String),
}

impl DataType {
    /// Autotask's name for the type.
    pub fn as_str(&self) -> &str {
        match self {
            DataType::Integer => "integer",
            DataType::Long => "long",
            DataType::Double => "double",
            DataType::String => "string",
            DataType::Boolean => "boolean",
            DataType::DateTime => "datetime",
            DataType::Unknown(s) => s,
        }
    }

    fn from_name(s: &str) -> Self {
        match s.to_ascii_lowercase().as_str() {
            "integer" | "int" | "short" => DataType::Integer,
            "long" => DataType::Long,
            "double" | "decimal" => DataType::Double,
            "string" => DataType::String,
            "boolean" => DataType::Boolean,
            "datetime" | "date" => DataType::DateTime,
            _ => DataType::Unknown(s.to_owned()),
        }
    }
}

impl Serialize for DataType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for DataType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        // Keep the exact text of an unknown type so it serialises back unchanged.
        let known = DataType::from_name(&s);
        Ok(match known {
            DataType::Unknown(_) => DataType::Unknown(s),
            k if k.as_str() == s => k,
            _ => DataType::Unknown(s),
        })
    }
}

/// `PickListValue`: one value of a picklist.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PickListValue {
    /// The value stored on records, as text (`"1"`, `"29683"`).
    pub value: String,
    /// The label people see.
    #[serde(default)]
    pub label: String,
    /// Whether new records get it when none is given.
    #[serde(rename = "isDefaultValue", default)]
    pub is_default_value: bool,
    /// Display order.
    #[serde(rename = "sortOrder", default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<i64>,
    /// The parent picklist value this one belongs to (sub-issue types).
    #[serde(
        rename = "parentValue",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub parent_value: Option<String>,
    /// Whether it can be chosen.
    #[serde(rename = "isActive", default)]
    pub is_active: bool,
    /// Whether it is a system value (cannot be changed by admins).
    #[serde(rename = "isSystem", default)]
    pub is_system: bool,
    /// Fields this SDK does not model.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl PickListValue {
    /// A picklist value.
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        PickListValue {
            value: value.into(),
            label: label.into(),
            is_active: true,
            ..PickListValue::default()
        }
    }
}

/// `GET /{Entity}/entityInformation`: `{"info": {…}}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EntityInformationResult {
    /// What the entity allows.
    pub info: EntityInformation,
}

/// `EntityInformationModel`: what an entity allows.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EntityInformation {
    /// The entity's name.
    #[serde(default)]
    pub name: String,
    /// Whether records can be created.
    #[serde(rename = "canCreate", default)]
    pub can_create: bool,
    /// Whether records can be deleted.
    #[serde(rename = "canDelete", default)]
    pub can_delete: bool,
    /// Whether records can be queried.
    #[serde(rename = "canQuery", default)]
    pub can_query: bool,
    /// Whether records can be updated.
    #[serde(rename = "canUpdate", default)]
    pub can_update: bool,
    /// Whether the entity has user-defined fields.
    #[serde(rename = "hasUserDefinedFields", default)]
    pub has_user_defined_fields: bool,
    /// Whether webhooks can subscribe to it.
    #[serde(rename = "supportsWebhookCallouts", default)]
    pub supports_webhook_callouts: bool,
    /// Fields this SDK does not model (`userAccessFor*`).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
