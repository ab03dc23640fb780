//! Knowledge-base articles (`/V1.0/KnowledgeBaseArticles`) and their plain-text content.

use serde::{Deserialize, Serialize};

use psa_core::Timestamp;

use super::common::is_zero;

/// A knowledge-base article (`KnowledgeBaseArticleModel`).
///
/// The article's text is a child record, `ArticlePlainTextContent`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KnowledgeBaseArticle {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// Autotask field `createdByResourceID`.
    #[serde(
        rename = "createdByResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub created_by_resource_id: Option<i64>,
    /// Autotask field `createdDateTime`.
    #[serde(
        rename = "createdDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub created_date_time: Option<Timestamp>,
    /// Autotask field `articleCategoryID`.
    #[serde(
        rename = "articleCategoryID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub article_category_id: Option<i64>,
    /// Autotask field `errorCodes`.
    #[serde(
        rename = "errorCodes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub error_codes: Option<String>,
    /// Whether the record is active.
    #[serde(rename = "isActive", default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Search keywords.
    #[serde(rename = "keywords", default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<String>,
    /// Autotask field `lastModifiedByResourceID`.
    #[serde(
        rename = "lastModifiedByResourceID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified_by_resource_id: Option<i64>,
    /// Autotask field `lastModifiedDateTime`.
    #[serde(
        rename = "lastModifiedDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified_date_time: Option<Timestamp>,
    /// Who can see it (a picklist value: All Autotask Users or an internal option).
    #[serde(rename = "publish", default, skip_serializing_if = "Option::is_none")]
    pub publish: Option<i64>,
    /// Autotask field `referenceLink`.
    #[serde(
        rename = "referenceLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub reference_link: Option<String>,
    /// Title.
    #[serde(rename = "title", default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The plain-text content of an article (`ArticlePlainTextContentModel`).
///
/// Read with `GET /KnowledgeBaseArticles/{id}/PlainTextContent`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ArticlePlainTextContent {
    /// The record id (zero on a record not yet created).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: i64,
    /// The article text.
    #[serde(
        rename = "contentData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub content_data: Option<String>,
    /// Fields this SDK does not model, kept as received.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}
