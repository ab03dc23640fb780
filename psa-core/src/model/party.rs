//! Companies and contacts.

use super::RawRecord;
use serde::{Deserialize, Serialize};

use super::common::{CustomFields, Ref, field_if};
use crate::{Error, Id, Result, input};

/// A company (HaloPSA client, ConnectWise company, Autotask company,
/// ServiceNow `core_company`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Company {
    /// Id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// Short identifier / account number, when the vendor has one.
    pub identifier: Option<String>,
    /// Main phone number.
    pub phone: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Whether it is active.
    pub active: Option<bool>,
    /// Custom fields.
    pub custom_fields: CustomFields,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl Company {
    /// A company; vendor mappings fill the rest.
    pub fn new(id: Id, name: impl Into<String>) -> Self {
        Company {
            id,
            name: name.into(),
            identifier: None,
            phone: None,
            website: None,
            active: None,
            custom_fields: CustomFields::new(),
            raw: RawRecord::default(),
        }
    }
}

/// Which companies to find.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CompanyQuery {
    /// Name contains this text.
    pub name: Option<String>,
    /// Include inactive companies.
    pub include_inactive: bool,
    /// Stop after this many.
    pub limit: Option<u64>,
}

impl CompanyQuery {
    /// Companies whose name contains `text`.
    pub fn name(text: impl Into<String>) -> Self {
        CompanyQuery {
            name: Some(text.into()),
            ..Default::default()
        }
    }
    /// All active companies.
    pub fn all() -> Self {
        CompanyQuery::default()
    }
    /// Includes inactive companies.
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
    /// never read as "all companies"), with control characters or longer
    /// than [`input::MAX_SEARCH_TEXT`]. Without a name the query lists
    /// every active company, as [`CompanyQuery::all`] says.
    ///
    /// ```
    /// use psa_core::CompanyQuery;
    /// assert!(CompanyQuery::name("Acme").validate().is_ok());
    /// assert!(CompanyQuery::all().validate().is_ok());
    /// assert!(CompanyQuery::name("\t").validate().unwrap_err().is_invalid_input());
    /// ```
    pub fn validate(&self) -> Result<()> {
        match &self.name {
            Some(n) => input::search_text("company name", n),
            None => Ok(()),
        }
    }
}

/// A contact / end user / caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Contact {
    /// Id.
    pub id: Id,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Full display name.
    pub name: String,
    /// Primary email.
    pub email: Option<String>,
    /// Primary phone.
    pub phone: Option<String>,
    /// Mobile phone.
    pub mobile: Option<String>,
    /// The company the contact belongs to.
    pub company: Option<Ref>,
    /// Whether active.
    pub active: Option<bool>,
    /// Custom fields.
    pub custom_fields: CustomFields,
    /// The vendor's record.
    pub raw: RawRecord,
}

impl Contact {
    /// A contact; vendor mappings fill the rest.
    pub fn new(id: Id, name: impl Into<String>) -> Self {
        Contact {
            id,
            first_name: None,
            last_name: None,
            name: name.into(),
            email: None,
            phone: None,
            mobile: None,
            company: None,
            active: None,
            custom_fields: CustomFields::new(),
            raw: RawRecord::default(),
        }
    }
}

/// Which contacts to find. At least one criterion must be set.
///
/// The voice-agent flow: a caller says a name or the caller id shows a
/// number; find the contact, then open a ticket for them.
///
/// ```
/// use psa_core::ContactQuery;
/// let q = ContactQuery::phone("+61 2 9999 0000");
/// assert!(q.validate().is_ok());
/// assert!(ContactQuery::default().validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ContactQuery {
    /// Name contains.
    pub name: Option<String>,
    /// Email equals (case-insensitive).
    pub email: Option<String>,
    /// Phone number matches (digits compared, formatting ignored where the vendor allows).
    pub phone: Option<String>,
    /// Only this company's contacts.
    pub company: Option<Id>,
    /// Stop after this many.
    pub limit: Option<u64>,
}

impl ContactQuery {
    /// By name.
    pub fn name(text: impl Into<String>) -> Self {
        ContactQuery {
            name: Some(text.into()),
            ..Default::default()
        }
    }
    /// By email.
    pub fn email(text: impl Into<String>) -> Self {
        ContactQuery {
            email: Some(text.into()),
            ..Default::default()
        }
    }
    /// By phone.
    pub fn phone(text: impl Into<String>) -> Self {
        ContactQuery {
            phone: Some(text.into()),
            ..Default::default()
        }
    }
    /// A company's contacts.
    pub fn company(id: impl Into<Id>) -> Self {
        ContactQuery {
            company: Some(id.into()),
            ..Default::default()
        }
    }
    /// Also restricts to a company.
    #[must_use]
    pub fn in_company(mut self, id: impl Into<Id>) -> Self {
        self.company = Some(id.into());
        self
    }
    /// Stop after `n`.
    #[must_use]
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Rejects a query without criteria, and criteria with nothing visible
    /// in them (`"\n"`, `" "`, `"\0"`), with control characters or longer
    /// than [`input::MAX_SEARCH_TEXT`].
    pub fn validate(&self) -> Result<()> {
        if self.name.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.company.is_none()
        {
            return Err(Error::invalid_input(
                "contact query needs a name, an email, a phone number or a company",
            ));
        }
        for (what, v) in [
            ("name", &self.name),
            ("email", &self.email),
            ("phone", &self.phone),
        ] {
            if let Some(v) = v {
                input::search_text(&format!("contact {what}"), v)?;
            }
        }
        if let Some(p) = &self.phone {
            if !p.chars().any(|c| c.is_ascii_digit()) {
                return Err(Error::invalid_input("contact phone has no digits"));
            }
        }
        Ok(())
    }

    /// The digits of the phone criterion, for vendors that match on digits.
    pub fn phone_digits(&self) -> Option<String> {
        self.phone
            .as_ref()
            .map(|p| p.chars().filter(char::is_ascii_digit).collect())
    }
}

/// A contact to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct NewContact {
    /// The company.
    pub company: Id,
    /// First name.
    pub first_name: String,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl NewContact {
    /// A contact of `company` named `first_name`.
    pub fn new(company: impl Into<Id>, first_name: impl Into<String>) -> Self {
        NewContact {
            company: company.into(),
            first_name: first_name.into(),
            last_name: None,
            email: None,
            phone: None,
        }
    }
    /// Sets the last name.
    #[must_use]
    pub fn last_name(mut self, v: impl Into<String>) -> Self {
        self.last_name = Some(v.into());
        self
    }
    /// Sets the email.
    #[must_use]
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.email = Some(v.into());
        self
    }
    /// Sets the phone.
    #[must_use]
    pub fn phone(mut self, v: impl Into<String>) -> Self {
        self.phone = Some(v.into());
        self
    }

    /// Rejects a first name that is not one line of visible text, a last
    /// name or phone with control characters, and a malformed email.
    pub fn validate(&self) -> Result<()> {
        input::line("contact first name", &self.first_name, 100)?;
        if let Some(n) = &self.last_name {
            input::optional_line("contact last name", n, 100)?;
        }
        if let Some(p) = &self.phone {
            input::optional_line("contact phone", p, 50)?;
        }
        if let Some(e) = &self.email {
            validate_email(e)?;
        }
        Ok(())
    }

    /// The uniform fields written.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = vec!["company".to_owned(), "first_name".to_owned()];
        field_if(&mut f, self.last_name.as_ref(), "last_name");
        field_if(&mut f, self.email.as_ref(), "email");
        field_if(&mut f, self.phone.as_ref(), "phone");
        f
    }
}

/// Changes to a contact.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ContactPatch {
    /// New first name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// New last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// New email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// New phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl ContactPatch {
    /// An empty patch.
    pub fn new() -> Self {
        ContactPatch::default()
    }
    /// Sets the first name.
    #[must_use]
    pub fn first_name(mut self, v: impl Into<String>) -> Self {
        self.first_name = Some(v.into());
        self
    }
    /// Sets the last name.
    #[must_use]
    pub fn last_name(mut self, v: impl Into<String>) -> Self {
        self.last_name = Some(v.into());
        self
    }
    /// Sets the email.
    #[must_use]
    pub fn email(mut self, v: impl Into<String>) -> Self {
        self.email = Some(v.into());
        self
    }
    /// Sets the phone.
    #[must_use]
    pub fn phone(mut self, v: impl Into<String>) -> Self {
        self.phone = Some(v.into());
        self
    }

    /// Rejects an empty patch and a malformed email.
    pub fn validate(&self) -> Result<()> {
        if self.written_fields().is_empty() {
            return Err(Error::invalid_input("contact patch changes nothing"));
        }
        if let Some(n) = &self.first_name {
            input::line("contact first name", n, 100)?;
        }
        if let Some(n) = &self.last_name {
            input::optional_line("contact last name", n, 100)?;
        }
        if let Some(p) = &self.phone {
            input::optional_line("contact phone", p, 50)?;
        }
        if let Some(e) = &self.email {
            validate_email(e)?;
        }
        Ok(())
    }

    /// The uniform fields written.
    pub fn written_fields(&self) -> Vec<String> {
        let mut f = Vec::new();
        field_if(&mut f, self.first_name.as_ref(), "first_name");
        field_if(&mut f, self.last_name.as_ref(), "last_name");
        field_if(&mut f, self.email.as_ref(), "email");
        field_if(&mut f, self.phone.as_ref(), "phone");
        f
    }
}

fn validate_email(e: &str) -> Result<()> {
    let ok = e.len() <= 254
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        && e.split_once('@').is_some_and(|(l, d)| {
            !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
        });
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "{} is not an email address",
            input::excerpt(e)
        )))
    }
}
