//! Shapes shared by every Autotask entity: user-defined fields and the
//! response envelopes (`{"item": …}`, `{"items": […], "pageDetails": …}`,
//! `{"itemId": …}`). Date-times are `psa_core::Timestamp`: Autotask sends
//! them in UTC, with or without a zone designator
//! (`2024-01-31T15:04:05.307`), and the text is kept as sent.

use serde::{Deserialize, Serialize};

/// `skip_serializing_if` helper: an id of zero is "not created yet".
#[allow(clippy::trivially_copy_pass_by_ref)]
pub(crate) fn is_zero(v: &i64) -> bool {
    *v == 0
}

/// One user-defined field (`UserDefinedField`): `{"name": …, "value": …}`.
///
/// Autotask sends values as strings (or `null` when unset); the value keeps
/// whatever JSON type arrived.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UserDefinedField {
    /// The field's name, as defined in Admin > User-Defined Fields.
    pub name: String,
    /// The value; `None` when unset. Autotask sends an unset UDF as
    /// `"value": null`, and it is written back the same way.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
}

impl UserDefinedField {
    /// A user-defined field.
    pub fn new(name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        UserDefinedField {
            name: name.into(),
            value: Some(value.into()),
        }
    }
}

/// `GET /{Entity}/{id}`: `{"item": {…}}` (`item` is `null` when the id does
/// not exist on some endpoints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ItemResult<T> {
    /// The record.
    pub item: Option<T>,
}

/// `POST /{Entity}/query` and the next-page URLs: `{"items": […], "pageDetails": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QueryResult<T> {
    /// The records of this page (at most 500).
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// Paging details.
    #[serde(rename = "pageDetails", default)]
    pub page_details: Option<PageDetails>,
}

/// `PagingModel`: where the next and previous pages are.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PageDetails {
    /// Records on this page.
    #[serde(default)]
    pub count: i64,
    /// The `MaxRecords` asked for.
    #[serde(rename = "requestCount", default)]
    pub request_count: i64,
    /// Absolute URL of the previous page, when there is one.
    #[serde(rename = "prevPageUrl", default)]
    pub prev_page_url: Option<String>,
    /// Absolute URL of the next page, when there is one.
    #[serde(rename = "nextPageUrl", default)]
    pub next_page_url: Option<String>,
}

/// `OperationResultModel`: what create, update and delete return, `{"itemId": N}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ItemId {
    /// The id of the record created, changed or deleted.
    #[serde(rename = "itemId")]
    pub item_id: i64,
}

/// `POST /{Entity}/query/count`: `{"queryCount": N}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct QueryCount {
    /// How many records match.
    #[serde(rename = "queryCount")]
    pub query_count: i64,
}

#[cfg(test)]
mod tests {
    use psa_core::Timestamp;

    /// Autotask's shapes read as one instant and write back as sent,
    /// through the shared `psa_core::Timestamp`.
    #[test]
    fn timestamps_keep_their_text() {
        for text in [
            "2024-01-31T15:04:05.307",
            "2024-01-31T15:04:05.307Z",
            "2024-01-31T15:04:05Z",
            "2024-01-31T17:04:05+02:00",
            "2024-01-31",
        ] {
            let json = format!("\"{text}\"");
            let t: Timestamp = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&t).unwrap(), json);
        }
        let a = Timestamp::parse("2024-01-31T15:04:05").unwrap();
        let b = Timestamp::parse("2024-01-31T17:04:05+02:00").unwrap();
        assert_eq!(a.utc(), b.utc());
        assert!(a.utc().is_some());
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<Timestamp>("12").is_err());
    }

    #[test]
    fn request_timestamps_are_utc_with_z() {
        let t = Timestamp::from(
            Timestamp::parse("2024-01-31T15:04:05")
                .unwrap()
                .utc()
                .unwrap(),
        );
        assert_eq!(t.as_str(), "2024-01-31T15:04:05Z");
    }
}
