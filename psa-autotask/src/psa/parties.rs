//! Companies and contacts: read, search (a caller by name, email or phone),
//! create and update contacts.

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use psa_core::phone::{same_number, search_tail};
use psa_core::psa::error_stream;
use psa_core::{
    Company, CompanyQuery, Contact, ContactPatch, ContactQuery, Error, Id, NewContact, Result,
};
use serde_json::{Map, json};

use super::{company_value, listing, record_id, text_arg};
use crate::client::Client;
use crate::mapping::{self, put};
use crate::query::{Filter, Query};

pub(super) async fn get_company(client: &Client, id: &Id) -> Result<Company> {
    let (c, raw) = client
        .companies()
        .get(record_id(id, "company id")?)
        .send_record()
        .await?;
    Ok(mapping::company(&c, raw))
}

fn company_filters(query: &CompanyQuery) -> Result<Query> {
    let mut q = Query::new();
    if let Some(name) = &query.name {
        q = q.filter(Filter::contains(
            "companyName",
            text_arg("company name", name)?,
        ));
    }
    if !query.include_inactive {
        q = q.filter(Filter::eq("isActive", true));
    }
    if q.filter_list().is_empty() {
        // `id gt 0` would miss the MSP's own company, id 0.
        q = q.filter(Filter::gte("id", 0));
    }
    q.validate()?;
    Ok(q)
}

pub(super) fn search_companies(
    client: &Client,
    query: &CompanyQuery,
) -> BoxStream<'static, Result<Company>> {
    listing(
        company_filters(query).map(|q| client.companies().list(q)),
        query.limit,
        mapping::company,
    )
}

pub(super) async fn get_contact(client: &Client, id: &Id) -> Result<Contact> {
    let (c, raw) = client
        .contacts()
        .get(record_id(id, "contact id")?)
        .send_record()
        .await?;
    Ok(mapping::contact(&c, raw))
}

/// The Autotask query of a uniform contact query, and the caller's number
/// when it searches by phone (its last digits are matched by Autotask,
/// then every candidate locally).
fn contact_filters(query: &ContactQuery) -> Result<(Query, Option<String>)> {
    query.validate()?;
    let mut q = Query::new();
    if let Some(c) = query.company.as_ref().map(company_value).transpose()? {
        q = q.filter(Filter::eq("companyID", c));
    }
    if let Some(name) = &query.name {
        let name = text_arg("contact name", name)?;
        let mut parts = name.split_whitespace();
        let filter = match (parts.next(), parts.next_back()) {
            (Some(first), Some(last)) => Filter::or([
                Filter::and([
                    Filter::contains("firstName", first),
                    Filter::contains("lastName", last),
                ]),
                Filter::contains("lastName", name.clone()),
                Filter::contains("firstName", name.clone()),
            ]),
            _ => Filter::or([
                Filter::contains("firstName", name.clone()),
                Filter::contains("lastName", name.clone()),
            ]),
        };
        q = q.filter(filter);
    }
    if let Some(email) = &query.email {
        let email = text_arg("contact email", email)?;
        q = q.filter(Filter::or([
            Filter::eq("emailAddress", email.clone()),
            Filter::eq("emailAddress2", email.clone()),
            Filter::eq("emailAddress3", email),
        ]));
    }
    if let Some(phone) = &query.phone {
        let tail = search_tail(phone).ok_or_else(|| {
            Error::invalid_input(format!("contact phone {phone:?} is not a phone number"))
        })?;
        q = q.filter(Filter::or([
            Filter::contains("phone", tail.clone()),
            Filter::contains("mobilePhone", tail.clone()),
            Filter::contains("alternatePhone", tail),
        ]));
    }
    q.validate()?;
    Ok((q, query.phone.clone()))
}

pub(super) fn search_contacts(
    client: &Client,
    query: &ContactQuery,
) -> BoxStream<'static, Result<Contact>> {
    let (q, phone) = match contact_filters(query) {
        Ok(b) => b,
        Err(e) => return error_stream(e),
    };
    let limit = query.limit;
    let mut list = client.contacts().list(q);
    if let (Some(n), None) = (limit, &phone) {
        list = list.limit(n);
    }
    let country = client.phone_country();
    let found = list
        .stream_records()
        .try_filter(move |(c, _)| {
            let keep = match &phone {
                None => true,
                Some(caller) => [&c.phone, &c.mobile_phone, &c.alternate_phone]
                    .into_iter()
                    .flatten()
                    .any(|stored| same_number(stored, caller, country)),
            };
            futures::future::ready(keep)
        })
        .map_ok(|(c, raw)| mapping::contact(&c, raw));
    match limit {
        Some(n) => found.take(usize::try_from(n).unwrap_or(usize::MAX)).boxed(),
        None => found.boxed(),
    }
}

pub(super) async fn create_contact(client: &Client, contact: NewContact) -> Result<Contact> {
    contact.validate()?;
    let company = record_id(&contact.company, "company id")?;
    let last = contact
        .last_name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::invalid_input("Autotask requires a contact's last name"))?;
    let mut body = Map::new();
    body.insert("companyID".into(), json!(company));
    body.insert("firstName".into(), json!(contact.first_name.trim()));
    body.insert("lastName".into(), json!(last));
    body.insert("isActive".into(), json!(1));
    put(&mut body, "emailAddress", contact.email.as_ref());
    put(&mut body, "phone", contact.phone.as_ref());
    let id = client
        .companies()
        .contacts(company)
        .create_fields(body)
        .send()
        .await?;
    let (c, raw) = client.contacts().get(id).send_record().await?;
    Ok(mapping::contact(&c, raw))
}

pub(super) async fn update_contact(
    client: &Client,
    id: &Id,
    patch: ContactPatch,
) -> Result<Contact> {
    patch.validate()?;
    let id = record_id(id, "contact id")?;
    let current = client.contacts().get(id).send().await?;
    let company = current
        .company_id
        .ok_or_else(|| Error::invalid_input(format!("contact {id} has no company")))?;
    let mut body = Map::new();
    put(&mut body, "firstName", patch.first_name.as_ref());
    put(&mut body, "lastName", patch.last_name.as_ref());
    put(&mut body, "emailAddress", patch.email.as_ref());
    put(&mut body, "phone", patch.phone.as_ref());
    client
        .companies()
        .contacts(company)
        .update(id, body)
        .send()
        .await?;
    let (c, raw) = client.contacts().get(id).send_record().await?;
    Ok(mapping::contact(&c, raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_search_asks_for_the_last_four_digits() {
        let (q, phone) = contact_filters(&ContactQuery::phone("+61 2 9222 3001 ext 7")).unwrap();
        assert_eq!(phone.as_deref(), Some("+61 2 9222 3001 ext 7"));
        let body = String::from_utf8(q.to_body().unwrap()).unwrap();
        assert_eq!(
            body,
            r#"{"MaxRecords":500,"Filter":[{"op":"or","items":[{"op":"contains","field":"phone","value":"3001"},{"op":"contains","field":"mobilePhone","value":"3001"},{"op":"contains","field":"alternatePhone","value":"3001"}]}]}"#
        );
        assert!(
            contact_filters(&ContactQuery::phone("call me 12"))
                .unwrap_err()
                .is_invalid_input()
        );
    }

    /// What the candidates Autotask returns are kept by: the same line,
    /// formatting, trunk zero and country code aside.
    #[test]
    fn phone_numbers_match_across_formats() {
        assert!(same_number("(02) 9222 3001", "+61 2 9222 3001", None));
        assert!(same_number("+61 2 9222 3001", "(02) 9222 3001", None));
        assert!(same_number(
            "555-0100",
            "+1 555 0100",
            Some(psa_core::phone::CountryCode::US)
        ));
        assert!(!same_number("(02) 9222 3001", "+61 2 9222 3002", None));
        assert!(!same_number("3001", "+61 2 9222 3001", None));
    }
}
