//! Companies (Halo's clients) and contacts (Halo's end users).

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::phone::{same_number, search_tail};
use psa_core::{
    Company, CompanyQuery, Contact, ContactPatch, ContactQuery, Error, Id, NewContact, Result,
};

use super::first;
use crate::client::Client;
use crate::mapping;

/// The name of a client (company) id in errors.
pub(super) const COMPANY_ID: &str = "halo client id (company)";
/// The name of a user (contact) id in errors.
const USER_ID: &str = "halo user id";

pub(super) async fn get_company(c: &Client, id: &Id) -> Result<Company> {
    let id = id.require_int("halo client id")?;
    mapping::company(&c.customers().get(id).send().await?)
}

pub(super) fn search_companies<'a>(
    c: &'a Client,
    query: &CompanyQuery,
) -> BoxStream<'a, Result<Company>> {
    let mut list = c.customers().list();
    if let Some(n) = &query.name {
        list = list.search(n);
    }
    if query.include_inactive {
        list = list.include_inactive();
    }
    if let Some(n) = query.limit {
        list = list.limit(n);
    }
    list.stream()
        .and_then(|c| async move { mapping::company(&c) })
        .boxed()
}

pub(super) async fn get_contact(c: &Client, id: &Id) -> Result<Contact> {
    mapping::contact(&c.users().get(id.require_int(USER_ID)?).send().await?)
}

/// One `search` parameter, the most selective criterion (email, then
/// phone, then name); the others are checked on the records. A caller's
/// number is searched by its last digits ([`search_tail`]) and a candidate
/// kept when its phone or mobile is the same number ([`same_number`], in
/// the client's phone country).
pub(super) fn search_contacts<'a>(
    c: &'a Client,
    query: &ContactQuery,
) -> Result<BoxStream<'a, Result<Contact>>> {
    query.validate()?;
    let mut list = c.users().list();
    if let Some(company) = &query.company {
        list = list.client_id(company.require_int(COMPANY_ID)?);
    }
    if let Some(email) = &query.email {
        list = list.search(email);
    } else if let Some(phone) = &query.phone {
        let Some(tail) = search_tail(phone) else {
            // Not a phone number: no stored number can be the same.
            return Ok(stream::empty().boxed());
        };
        list = list.search(&tail).search_phone_numbers();
    } else if let Some(name) = &query.name {
        list = list.search(name);
    }
    let country = c.settings().phone_country;
    let phone = query.phone.clone();
    let name = query.name.as_ref().map(|n| n.to_lowercase());
    let email = query.email.as_ref().map(|e| e.to_lowercase());
    let matches = move |c: &Contact| {
        email
            .as_ref()
            .is_none_or(|e| c.email.as_deref().is_some_and(|m| m.to_lowercase() == *e))
            && name
                .as_ref()
                .is_none_or(|n| c.name.to_lowercase().contains(n))
            && phone.as_deref().is_none_or(|p| {
                [&c.phone, &c.mobile]
                    .into_iter()
                    .flatten()
                    .any(|stored| same_number(stored, p, country))
            })
    };
    let s = list
        .stream()
        .and_then(|u| async move { mapping::contact(&u) })
        .try_filter(move |c| std::future::ready(matches(c)));
    Ok(match query.limit {
        Some(n) => s.take(usize::try_from(n).unwrap_or(usize::MAX)).boxed(),
        None => s.boxed(),
    })
}

/// Halo files end users under a site: the client's main site, else its
/// first.
pub(super) async fn create_contact(c: &Client, contact: NewContact) -> Result<Contact> {
    contact.validate()?;
    let client_id = contact.company.require_int(COMPANY_ID)?;
    let client = c.customers().get(client_id).send().await?;
    let site = if let Some(s) = client.main_site_id.filter(|s| *s > 0) {
        s
    } else {
        let sites = c
            .sites()
            .list()
            .client_id(client_id)
            .page_size(1)
            .send()
            .await?;
        sites.records.first().and_then(|s| s.id).ok_or_else(|| {
            Error::invalid_input(format!(
                "halo client {client_id} has no site to file the contact under"
            ))
        })?
    };
    let u = mapping::new_contact(&contact, client_id, site)?;
    let saved = first(c.users().create([u]).send().await?, "contact create")?;
    mapping::contact(&saved)
}

/// Reads the user first: a changed first or last name rebuilds the
/// display name from the other.
pub(super) async fn update_contact(c: &Client, id: &Id, patch: ContactPatch) -> Result<Contact> {
    let id = id.require_int(USER_ID)?;
    patch.validate()?;
    let current = c.users().get(id).send().await?;
    let u = mapping::contact_patch(id, &patch, &current)?;
    let saved = first(c.users().update([u]).send().await?, "contact update")?;
    mapping::contact(&saved)
}
