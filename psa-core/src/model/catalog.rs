//! Products and line items, agreements, SLAs, projects, knowledge base.

use super::RawRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{CustomFields, Ref, field_if};
use crate::{Error, Id, Result, input};

/// A catalog product / item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Product {
    /// Id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// Part number / SKU / identifier.
    pub sku: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Unit price, as the vendor stores it (vendor JSON carries it as a number).
    pub price: Option<f64>,
    /// Unit cost.
    pub cost: Option<f64>,
    /// Whether active.
    pub active: Option<bool>,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl Product {
    /// A product; vendor mappings fill the rest.
    pub fn new(id: Id, name: impl Into<String>) -> Self {
        Product {
            id,
            name: name.into(),
            sku: None,
            description: None,
            price: None,
            cost: None,
            active: None,
            raw: RawRecord::default(),
        }
    }
}

/// Which products to find.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ProductQuery {
    /// Name or SKU contains.
    pub text: Option<String>,
    /// Include inactive products.
    pub include_inactive: bool,
    /// Stop after this many.
    pub limit: Option<u64>,
}

impl ProductQuery {
    /// Products matching `text`.
    pub fn text(text: impl Into<String>) -> Self {
        ProductQuery {
            text: Some(text.into()),
            ..Default::default()
        }
    }
    /// All active products.
    pub fn all() -> Self {
        ProductQuery::default()
    }
    /// Stop after `n`.
    #[must_use]
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Rejects search text with nothing visible in it (`"\n"`, `" "`,
    /// `"\0"`: never read as "every product"), with control characters or
    /// longer than [`input::MAX_SEARCH_TEXT`].
    ///
    /// ```
    /// use psa_core::ProductQuery;
    /// assert!(ProductQuery::text("toner").validate().is_ok());
    /// assert!(ProductQuery::text("\n").validate().unwrap_err().is_invalid_input());
    /// ```
    pub fn validate(&self) -> Result<()> {
        match &self.text {
            Some(t) => input::search_text("product search text", t),
            None => Ok(()),
        }
    }
}

/// A product added to a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LineItem {
    /// Id of the line.
    pub id: Id,
    /// The ticket.
    pub ticket: Id,
    /// The product.
    pub product: Option<Ref>,
    /// Quantity.
    pub quantity: f64,
    /// Unit price charged.
    pub price: Option<f64>,
    /// Description on the line.
    pub description: Option<String>,
    /// Billable.
    pub billable: Option<bool>,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl LineItem {
    /// A line; vendor mappings fill the rest.
    pub fn new(id: Id, ticket: Id, quantity: f64) -> Self {
        LineItem {
            id,
            ticket,
            product: None,
            quantity,
            price: None,
            description: None,
            billable: None,
            raw: RawRecord::default(),
        }
    }
}

/// A product line to add to a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct NewLineItem {
    /// The catalog product.
    pub product: Id,
    /// Quantity (> 0).
    pub quantity: f64,
    /// Unit price; `None` uses the catalog price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Description; `None` uses the product's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Billable; `None` leaves the vendor's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billable: Option<bool>,
}

impl NewLineItem {
    /// `quantity` of `product`.
    pub fn new(product: impl Into<Id>, quantity: f64) -> Self {
        NewLineItem {
            product: product.into(),
            quantity,
            price: None,
            description: None,
            billable: None,
        }
    }
    /// Sets the unit price.
    #[must_use]
    pub fn price(mut self, v: f64) -> Self {
        self.price = Some(v);
        self
    }
    /// Sets the description.
    #[must_use]
    pub fn description(mut self, v: impl Into<String>) -> Self {
        self.description = Some(v.into());
        self
    }
    /// Sets the billable flag.
    #[must_use]
    pub fn billable(mut self, v: bool) -> Self {
        self.billable = Some(v);
        self
    }

    /// Rejects non-positive or non-finite quantities and prices.
    pub fn validate(&self) -> Result<()> {
        if !(self.quantity.is_finite() && self.quantity > 0.0) {
            return Err(Error::invalid_input(format!(
                "line item quantity must be positive, got {}",
                self.quantity
            )));
        }
        if let Some(p) = self.price {
            if !(p.is_finite() && p >= 0.0) {
                return Err(Error::invalid_input(format!(
                    "line item price must be ≥ 0, got {p}"
                )));
            }
        }
        if let Some(d) = &self.description {
            input::text("line item description", d, 4000)?;
        }
        Ok(())
    }

    /// The uniform fields written.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = vec!["product".to_owned(), "quantity".to_owned()];
        field_if(&mut f, self.price.as_ref(), "price");
        field_if(&mut f, self.description.as_ref(), "description");
        field_if(&mut f, self.billable.as_ref(), "billable");
        f
    }
}

/// An agreement / contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Agreement {
    /// Id.
    pub id: Id,
    /// Name / reference.
    pub name: String,
    /// The company.
    pub company: Option<Ref>,
    /// Type.
    pub agreement_type: Option<Ref>,
    /// Start date.
    pub start: Option<DateTime<Utc>>,
    /// End date.
    pub end: Option<DateTime<Utc>>,
    /// Whether active / not expired.
    pub active: Option<bool>,
    /// Custom fields.
    pub custom_fields: CustomFields,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl Agreement {
    /// An agreement; vendor mappings fill the rest.
    pub fn new(id: Id, name: impl Into<String>) -> Self {
        Agreement {
            id,
            name: name.into(),
            company: None,
            agreement_type: None,
            start: None,
            end: None,
            active: None,
            custom_fields: CustomFields::new(),
            raw: RawRecord::default(),
        }
    }
}

/// Which agreements to list.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AgreementQuery {
    /// This company's.
    pub company: Option<Id>,
    /// Include expired / inactive ones.
    pub include_inactive: bool,
}

impl AgreementQuery {
    /// A company's agreements.
    pub fn company(id: impl Into<Id>) -> Self {
        AgreementQuery {
            company: Some(id.into()),
            include_inactive: false,
        }
    }
    /// All active agreements.
    pub fn all() -> Self {
        AgreementQuery::default()
    }
}

/// A service level agreement definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sla {
    /// Id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// The vendor's record (targets per priority, calendars …).
    pub raw: RawRecord,
}

impl Sla {
    /// An SLA.
    pub fn new(id: Id, name: impl Into<String>) -> Self {
        Sla {
            id,
            name: name.into(),
            raw: RawRecord::default(),
        }
    }
}

/// A project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Project {
    /// Id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// Company.
    pub company: Option<Ref>,
    /// Status.
    pub status: Option<Ref>,
    /// Manager.
    pub manager: Option<Ref>,
    /// Start.
    pub start: Option<DateTime<Utc>>,
    /// Due / end.
    pub end: Option<DateTime<Utc>>,
    /// Whether closed.
    pub closed: Option<bool>,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl Project {
    /// A project; vendor mappings fill the rest.
    pub fn new(id: Id, name: impl Into<String>) -> Self {
        Project {
            id,
            name: name.into(),
            company: None,
            status: None,
            manager: None,
            start: None,
            end: None,
            closed: None,
            raw: RawRecord::default(),
        }
    }
}

/// Which projects to list.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ProjectQuery {
    /// This company's.
    pub company: Option<Id>,
    /// Include closed projects.
    pub include_closed: bool,
    /// Stop after this many.
    pub limit: Option<u64>,
}

impl ProjectQuery {
    /// A company's open projects.
    pub fn company(id: impl Into<Id>) -> Self {
        ProjectQuery {
            company: Some(id.into()),
            ..Default::default()
        }
    }
    /// All open projects.
    pub fn all() -> Self {
        ProjectQuery::default()
    }
    /// Includes closed projects.
    #[must_use]
    pub fn include_closed(mut self) -> Self {
        self.include_closed = true;
        self
    }
}

/// A knowledge-base article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KbArticle {
    /// Id.
    pub id: Id,
    /// Title.
    pub title: String,
    /// Problem / body text.
    pub body: Option<String>,
    /// Resolution text, where the vendor separates it.
    pub resolution: Option<String>,
    /// Last update.
    pub updated_at: Option<DateTime<Utc>>,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl KbArticle {
    /// An article; vendor mappings fill the rest.
    pub fn new(id: Id, title: impl Into<String>) -> Self {
        KbArticle {
            id,
            title: title.into(),
            body: None,
            resolution: None,
            updated_at: None,
            raw: RawRecord::default(),
        }
    }
}

/// Which knowledge-base articles to find.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct KbQuery {
    /// Text to search for.
    pub text: Option<String>,
    /// Stop after this many.
    pub limit: Option<u64>,
}

impl KbQuery {
    /// Articles matching `text`.
    pub fn text(text: impl Into<String>) -> Self {
        KbQuery {
            text: Some(text.into()),
            limit: None,
        }
    }
    /// Stop after `n`.
    #[must_use]
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Rejects text with nothing visible in it (`"\n"`, `" "`, `"\0"`:
    /// never read as "every article"), with control characters or longer
    /// than [`input::MAX_SEARCH_TEXT`].
    ///
    /// ```
    /// use psa_core::KbQuery;
    /// assert!(KbQuery::text("reset password").validate().is_ok());
    /// assert!(KbQuery::text("\t").validate().unwrap_err().is_invalid_input());
    /// ```
    pub fn validate(&self) -> Result<()> {
        match &self.text {
            Some(t) => input::search_text("knowledge-base search text", t),
            None => Ok(()),
        }
    }
}
