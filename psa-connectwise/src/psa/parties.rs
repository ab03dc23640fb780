//! Companies and contacts, and finding a caller by email or phone.

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use psa_core::phone::{same_caller, search_tail};
use psa_core::psa::error_stream;
use psa_core::{
    Company, CompanyQuery, Contact, ContactPatch, ContactQuery, Error, Id, NewContact, Result,
    Vendor,
};

use super::{checked, int};
use crate::client::Client;
use crate::mapping::{self, int_id};
use crate::models;
use crate::query::{Condition, fields as f};

pub(super) async fn get_company(client: &Client, id: &Id) -> Result<Company> {
    mapping::company(&client.companies().get(int(id, "company")?).send().await?)
}

pub(super) fn search_companies<'a>(
    client: &'a Client,
    query: &CompanyQuery,
) -> BoxStream<'a, Result<Company>> {
    let build = || {
        query.validate()?;
        let mut c = Vec::new();
        if let Some(n) = &query.name {
            c.push(Condition::any([
                f::NAME.contains(n.clone()),
                f::IDENTIFIER.contains(n.clone()),
            ]));
        }
        if !query.include_inactive {
            c.push(f::DELETED_FLAG.eq(false));
        }
        let mut list = client
            .companies()
            .list()
            .forward_only()
            .conditions(Condition::all(c));
        if let Some(l) = query.limit {
            list = list.limit(l);
        }
        checked(list)
    };
    match build() {
        Ok(list) => {
            let include_inactive = query.include_inactive;
            list.stream()
                .map(|r| r.and_then(|c| mapping::company(&c)))
                .try_filter(move |c| {
                    futures::future::ready(include_inactive || c.active != Some(false))
                })
                .boxed()
        }
        Err(e) => error_stream(e),
    }
}

pub(super) async fn get_contact(client: &Client, id: &Id) -> Result<Contact> {
    mapping::contact(&client.contacts().get(int(id, "contact")?).send().await?)
}

/// Contacts by name, company, email and phone.
///
/// An email is matched by ConnectWise (`childConditions` on the contact's
/// communication items). A phone number is matched in two steps, as every
/// vendor crate does ([`psa_core::phone`]): ConnectWise is asked for the
/// contacts with a phone item containing the caller's last digits
/// ([`search_tail`]), and a candidate is kept only when one of its numbers
/// is the caller's ([`same_caller`]: the same number, or one stored in
/// international form without its `+`). The limit counts the contacts kept.
pub(super) fn search_contacts<'a>(
    client: &'a Client,
    query: &ContactQuery,
) -> BoxStream<'a, Result<Contact>> {
    let build = || {
        query.validate()?;
        let mut c = Vec::new();
        if let Some(n) = &query.name {
            let n = n.trim();
            let mut any = vec![f::FIRST_NAME.contains(n), f::LAST_NAME.contains(n)];
            if let Some((first, last)) = n.split_once(char::is_whitespace) {
                any.push(Condition::all([
                    f::FIRST_NAME.contains(first.trim()),
                    f::LAST_NAME.contains(last.trim()),
                ]));
            }
            c.push(Condition::any(any));
        }
        if let Some(co) = &query.company {
            c.push(f::COMPANY_ID.eq(int_id(co, "company id")?));
        }
        let mut list = client
            .contacts()
            .list()
            .forward_only()
            .conditions(Condition::all(c));
        if let Some(e) = &query.email {
            list = list.child_conditions(Condition::all([
                f::COMMUNICATION_VALUE.eq(e.trim()),
                f::COMMUNICATION_TYPE.eq("Email"),
            ]));
        } else if let Some(p) = &query.phone {
            list = list.child_conditions(Condition::all([
                f::COMMUNICATION_VALUE.like(format!("%{}%", caller_tail(p)?)),
                f::COMMUNICATION_TYPE.eq("Phone"),
            ]));
        }
        if let (Some(l), None) = (query.limit, &query.phone) {
            list = list.limit(l);
        }
        checked(list)
    };
    match build() {
        Ok(list) => {
            let caller = query.phone.clone();
            let country = client.phone_country();
            let kept = list
                .stream()
                .try_filter(move |c| {
                    let keep = caller.as_deref().is_none_or(|p| {
                        c.communication_items
                            .iter()
                            .flatten()
                            .filter_map(|i| i.value.as_deref())
                            .any(|stored| same_caller(stored, p, country))
                    });
                    futures::future::ready(keep)
                })
                .map(|r| r.and_then(|c| mapping::contact(&c)));
            match query.phone.as_ref().and(query.limit) {
                Some(l) => kept.take(usize::try_from(l).unwrap_or(usize::MAX)).boxed(),
                None => kept.boxed(),
            }
        }
        Err(e) => error_stream(e),
    }
}

/// The digits ConnectWise is asked to find in a phone item.
fn caller_tail(phone: &str) -> Result<String> {
    search_tail(phone).ok_or_else(|| {
        Error::invalid_input(format!("contact phone {phone:?} is not a phone number"))
            .with_vendor(Vendor::ConnectWise)
    })
}

pub(super) async fn create_contact(client: &Client, contact: NewContact) -> Result<Contact> {
    let body = mapping::new_contact(&contact)?;
    mapping::contact(&client.contacts().create(&body).send().await?)
}

pub(super) async fn update_contact(
    client: &Client,
    id: &Id,
    patch: ContactPatch,
) -> Result<Contact> {
    let id = int(id, "contact")?;
    patch.validate()?;
    let current: Option<models::Contact> = if patch.email.is_some() || patch.phone.is_some() {
        Some(client.contacts().get(id).send().await?)
    } else {
        None
    };
    let ops = mapping::contact_patch(&patch, current.as_ref())?;
    mapping::contact(&client.contacts().update(id, &ops).send().await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use psa_core::phone::{CountryCode, same_number};

    #[test]
    fn a_caller_matches_only_numbers_that_are_theirs() {
        // psa_core::phone's rule: formatting, trunk prefix, extension aside
        assert!(same_caller("(02) 9999 0000", "+61 2 9999 0000", None));
        assert!(same_caller(
            "02 9999 0000 ext 12",
            "+61 2 9999 0000",
            Some(CountryCode::AU)
        ));
        // stored in international form without its `+`
        assert!(!same_number("61 2 9999 0000", "+61 2 9999 0000", None));
        assert!(same_caller("61 2 9999 0000", "+61 2 9999 0000", None));
        assert!(same_caller("5552010111", "+555 201 011 1", None));
        // with a country to read it in, a number without `+` is national
        assert!(!same_caller(
            "5552010111",
            "+555 201 011 1",
            Some(CountryCode::US)
        ));
        // not the caller
        assert!(!same_caller("0299990001", "+61 2 9999 0000", None));
        assert!(!same_caller("(03) 9999 0000", "+61 2 9999 0000", None));
        assert!(!same_caller("+64 2 9999 0000", "+61 2 9999 0000", None));
        assert!(!same_caller("0299990000", "ext 12", None));
        assert!(!same_caller("wile@acme.example", "+61 2 9999 0000", None));
    }

    #[test]
    fn the_vendor_is_asked_for_the_last_digits() {
        assert_eq!(caller_tail("+61 2 9999 0123 ext 7").unwrap(), "0123");
        let err = caller_tail("12").unwrap_err();
        assert!(err.is_invalid_input(), "{err}");
    }
}
