//! Companies and contacts: the records, and a contact's email and phone as
//! communication items.

use psa_core::{Id, NewContact, Result};

use super::{missing_id, ref_of, reference, to_raw};
use crate::models::{
    CommunicationItem, CommunicationType, Company, Contact, PatchOperation, Reference,
    custom_field_map,
};

/// A company.
pub fn company(c: &Company) -> Result<psa_core::Company> {
    let id = c.id.ok_or_else(|| missing_id("company"))?;
    let mut out = psa_core::Company::new(Id::from(id), c.name.clone().unwrap_or_default());
    out.identifier.clone_from(&c.identifier);
    out.phone.clone_from(&c.phone_number);
    out.website.clone_from(&c.website);
    out.active = Some(
        c.deleted_flag != Some(true)
            && !c
                .status
                .as_ref()
                .and_then(|s| s.name.as_deref())
                .is_some_and(|n| n.eq_ignore_ascii_case("inactive")),
    );
    out.custom_fields = custom_field_map(c.custom_fields.as_deref().unwrap_or_default());
    out.raw = to_raw(c).into();
    Ok(out)
}

pub(crate) fn comm_items<'a>(
    c: &'a Contact,
    kind: &'a CommunicationType,
) -> impl Iterator<Item = &'a CommunicationItem> {
    c.communication_items
        .iter()
        .flatten()
        .filter(move |i| i.communication_type.as_ref() == Some(kind))
}

fn is_mobile(i: &CommunicationItem) -> bool {
    i.item_type
        .as_ref()
        .and_then(|t| t.name.as_deref())
        .is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            n.contains("mobile") || n.contains("cell")
        })
}

/// A contact.
pub fn contact(c: &Contact) -> Result<psa_core::Contact> {
    let id = c.id.ok_or_else(|| missing_id("contact"))?;
    let name = [c.first_name.as_deref(), c.last_name.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = psa_core::Contact::new(Id::from(id), name);
    out.first_name.clone_from(&c.first_name);
    out.last_name.clone_from(&c.last_name);
    let emails: Vec<&CommunicationItem> = comm_items(c, &CommunicationType::Email).collect();
    out.email = emails
        .iter()
        .find(|i| i.default_flag == Some(true))
        .or_else(|| emails.first())
        .and_then(|i| i.value.clone());
    let phones: Vec<&CommunicationItem> = comm_items(c, &CommunicationType::Phone).collect();
    out.mobile = phones
        .iter()
        .find(|i| is_mobile(i))
        .and_then(|i| i.value.clone());
    out.phone = c.default_phone_nbr.clone().or_else(|| {
        phones
            .iter()
            .filter(|i| !is_mobile(i))
            .find(|i| i.default_flag == Some(true))
            .or_else(|| phones.iter().find(|i| !is_mobile(i)))
            .and_then(|i| i.value.clone())
    });
    out.company = reference(c.company.as_ref());
    out.active = c.inactive_flag.map(|f| !f);
    out.custom_fields = custom_field_map(c.custom_fields.as_deref().unwrap_or_default());
    out.raw = to_raw(c).into();
    Ok(out)
}

fn email_item(value: &str) -> CommunicationItem {
    CommunicationItem {
        item_type: Some(Reference::name("Email")),
        value: Some(value.to_owned()),
        default_flag: Some(true),
        communication_type: Some(CommunicationType::Email),
        ..CommunicationItem::default()
    }
}

fn phone_item(value: &str) -> CommunicationItem {
    CommunicationItem {
        item_type: Some(Reference::name("Direct")),
        value: Some(value.to_owned()),
        default_flag: Some(true),
        communication_type: Some(CommunicationType::Phone),
        ..CommunicationItem::default()
    }
}

/// The body of `POST /company/contacts`. Email and phone become
/// communication items of the types named `Email` and `Direct` (ConnectWise's
/// defaults; the type is referenced by name).
pub fn new_contact(c: &NewContact) -> Result<Contact> {
    c.validate()?;
    let mut items = Vec::new();
    if let Some(e) = &c.email {
        items.push(email_item(e));
    }
    if let Some(p) = &c.phone {
        items.push(phone_item(p));
    }
    Ok(Contact {
        first_name: Some(c.first_name.clone()),
        last_name: c.last_name.clone(),
        company: Some(ref_of(&c.company, "company id")?),
        communication_items: (!items.is_empty()).then_some(items),
        ..Contact::default()
    })
}

fn upsert_item(items: &mut Vec<CommunicationItem>, kind: &CommunicationType, value: &str) {
    let mut of_kind: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.communication_type.as_ref() == Some(kind) && !is_mobile(i))
        .map(|(n, _)| n)
        .collect();
    of_kind.sort_by_key(|n| items[*n].default_flag != Some(true));
    match of_kind.first() {
        Some(n) => items[*n].value = Some(value.to_owned()),
        None => items.push(match kind {
            CommunicationType::Email => email_item(value),
            _ => phone_item(value),
        }),
    }
}

/// The `PATCH` operations of a contact update; `current` supplies the
/// communication items an email or phone change rewrites.
pub fn contact_patch(
    p: &psa_core::ContactPatch,
    current: Option<&Contact>,
) -> Result<Vec<PatchOperation>> {
    p.validate()?;
    let mut ops = Vec::new();
    if let Some(v) = &p.first_name {
        ops.push(PatchOperation::replace("firstName", v.clone()));
    }
    if let Some(v) = &p.last_name {
        ops.push(PatchOperation::replace("lastName", v.clone()));
    }
    if p.email.is_some() || p.phone.is_some() {
        let mut items = current
            .and_then(|c| c.communication_items.clone())
            .unwrap_or_default();
        if let Some(e) = &p.email {
            upsert_item(&mut items, &CommunicationType::Email, e);
        }
        if let Some(ph) = &p.phone {
            upsert_item(&mut items, &CommunicationType::Phone, ph);
        }
        ops.push(PatchOperation::replace(
            "communicationItems",
            to_raw(&items),
        ));
    }
    Ok(ops)
}
