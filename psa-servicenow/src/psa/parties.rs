//! Companies (`core_company`) and contacts (`sys_user`).

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::phone::{same_number, search_tail};
use psa_core::psa::error_stream;
use psa_core::{
    Company, CompanyQuery, Contact, ContactPatch, ContactQuery, Id, NewContact, Result,
};
use serde_json::Value;

use super::{decode, stop_after, with_custom};
use crate::client::Client;
use crate::ids::sys_id_of;
use crate::mapping;
use crate::models::{CoreCompany, SysUser};
use crate::query::{Query, Term};

fn company(raw: Value) -> Result<Company> {
    let c: CoreCompany = decode(&raw, "company")?;
    mapping::company(&c, raw)
}

fn contact(raw: Value) -> Result<Contact> {
    let u: SysUser = decode(&raw, "user")?;
    mapping::contact(&u, raw)
}

pub(super) async fn get_company(c: &Client, id: &Id) -> Result<Company> {
    let sys = sys_id_of(id, &["core_company"], "company id")?;
    let raw = c
        .table("core_company")
        .get(&sys)
        .fields(with_custom(
            mapping::COMPANY_FIELDS,
            &c.config().custom_fields,
        ))
        .exclude_reference_link(true)
        .send()
        .await?;
    company(raw)
}

pub(super) fn search_companies<'a>(
    c: &'a Client,
    query: &CompanyQuery,
) -> BoxStream<'a, Result<Company>> {
    if let Err(e) = query.validate() {
        return error_stream(e);
    }
    let mut q = Query::new();
    if let Some(name) = query
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        q = q.and(Term::like("name", name));
    }
    let q = q.order_by("name").order_by("sys_id");
    let fields = with_custom(mapping::COMPANY_FIELDS, &c.config().custom_fields);
    c.mapped("core_company", q, fields, query.limit, company)
}

pub(super) async fn get_contact(c: &Client, id: &Id) -> Result<Contact> {
    let sys = sys_id_of(id, &["sys_user"], "contact id")?;
    let raw = c
        .table("sys_user")
        .get(&sys)
        .fields(with_custom(mapping::USER_FIELDS, &c.config().custom_fields))
        .exclude_reference_link(true)
        .send()
        .await?;
    contact(raw)
}

/// The encoded query of a contact search, and the caller's number when it
/// searches by phone. `None` when the phone criterion is no phone number:
/// no contact can have it.
fn contact_query(query: &ContactQuery) -> Result<Option<(Query, Option<String>)>> {
    query.validate()?;
    let mut q = Query::new();
    if let Some(n) = &query.name {
        q = q.and(Term::like("name", n.trim()));
    }
    if let Some(e) = &query.email {
        q = q.eq("email", e.trim());
    }
    if let Some(phone) = &query.phone {
        // ServiceNow stores phones as typed: ask for the numbers containing
        // the caller's last digits, then keep the same number.
        let Some(tail) = search_tail(phone) else {
            return Ok(None);
        };
        let forms = tail_forms(&tail);
        q = q.or(["phone", "mobile_phone"]
            .into_iter()
            .flat_map(|f| forms.iter().map(move |t| Term::like(f, t.as_str()))));
    }
    if let Some(c) = &query.company {
        q = q.eq(
            "company",
            sys_id_of(c, &["core_company"], "company id")?.as_str(),
        );
    }
    Ok(Some((
        q.order_by("name").order_by("sys_id"),
        query.phone.clone(),
    )))
}

/// The ways a number's last digits may be typed in a free-text phone
/// column: whole (`7047`), or split once by a space, a dash or a dot
/// (`70 47`, `7-047`, `704.7`), as numbers grouped in pairs or threes are.
/// Every candidate is then compared digit by digit ([`same_number`]).
fn tail_forms(tail: &str) -> Vec<String> {
    let mut out = vec![tail.to_owned()];
    for at in 1..tail.len() {
        for sep in [" ", "-", "."] {
            out.push(format!("{}{sep}{}", &tail[..at], &tail[at..]));
        }
    }
    out
}

pub(super) fn search_contacts<'a>(
    c: &'a Client,
    query: &ContactQuery,
) -> BoxStream<'a, Result<Contact>> {
    let (q, phone) = match contact_query(query) {
        Ok(Some(plan)) => plan,
        Ok(None) => return stream::empty().boxed(),
        Err(e) => return error_stream(e),
    };
    let fields = with_custom(mapping::USER_FIELDS, &c.config().custom_fields);
    let s = c.mapped("sys_user", q, fields, None, contact);
    let s = match phone {
        Some(caller) => {
            let country = c.config().phone_country;
            s.try_filter(move |contact| {
                let same = |stored: &Option<String>| {
                    stored
                        .as_deref()
                        .is_some_and(|p| same_number(p, &caller, country))
                };
                std::future::ready(same(&contact.phone) || same(&contact.mobile))
            })
            .boxed()
        }
        None => s,
    };
    stop_after(s, query.limit)
}

pub(super) async fn create_contact(c: &Client, new: NewContact) -> Result<Contact> {
    let body = mapping::new_contact_body(&new)?;
    let raw = c
        .table("sys_user")
        .create(Value::Object(body))
        .fields(with_custom(mapping::USER_FIELDS, &c.config().custom_fields))
        .exclude_reference_link(true)
        .send()
        .await?;
    contact(raw)
}

pub(super) async fn update_contact(c: &Client, id: &Id, patch: ContactPatch) -> Result<Contact> {
    let sys = sys_id_of(id, &["sys_user"], "contact id")?;
    let body = mapping::contact_patch_body(&patch)?;
    let raw = c
        .table("sys_user")
        .update(&sys, Value::Object(body))
        .fields(with_custom(mapping::USER_FIELDS, &c.config().custom_fields))
        .exclude_reference_link(true)
        .send()
        .await?;
    contact(raw)
}
