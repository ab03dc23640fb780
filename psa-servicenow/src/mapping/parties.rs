//! `core_company` and `sys_user` ⇄ uniform companies, contacts and agents.

use super::{column, custom_fields, own_id, put_ref, reference, text, value, walked};
use crate::models::{CoreCompany, Field, SysUser};
use psa_core::{Agent, Company, Contact, ContactPatch, NewContact, Result};
use serde_json::{Map, Value, json};

/// The fields of a `core_company` read.
pub const COMPANY_FIELDS: &[&str] = &["sys_id", "name", "phone", "website", "stock_symbol"];

/// The fields of a `sys_user` read.
pub const USER_FIELDS: &[&str] = &[
    "sys_id",
    "user_name",
    "first_name",
    "last_name",
    "name",
    "email",
    "phone",
    "mobile_phone",
    "company",
    "company.name",
    "active",
];

/// A `core_company` record → uniform [`Company`]. The baseline company
/// table has no active flag: `active` is read only when the instance has an
/// `active` column.
pub fn company(c: &CoreCompany, raw: Value) -> Result<Company> {
    let id = own_id("core_company", c.sys_id.as_ref(), "company")?;
    let mut out = Company::new(id, value(c.name.as_ref()));
    out.identifier = text(c.stock_symbol.as_ref());
    out.phone = text(c.phone.as_ref());
    out.website = text(c.website.as_ref());
    out.active = column::<Field>(&c.extra, "active").and_then(|f| f.as_bool());
    out.custom_fields = custom_fields(&c.extra);
    out.raw = raw.into();
    Ok(out)
}

/// A `sys_user` record → uniform [`Contact`].
pub fn contact(u: &SysUser, raw: Value) -> Result<Contact> {
    let id = own_id("sys_user", u.sys_id.as_ref(), "user")?;
    let first = text(u.first_name.as_ref());
    let last = text(u.last_name.as_ref());
    let name = text(u.name.as_ref()).unwrap_or_else(|| {
        [first.as_deref(), last.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let mut out = Contact::new(id, name);
    out.first_name = first;
    out.last_name = last;
    out.email = text(u.email.as_ref());
    out.phone = text(u.phone.as_ref());
    out.mobile = text(u.mobile_phone.as_ref());
    out.company = reference(
        u.company.as_ref(),
        "core_company",
        walked(&u.extra, "company.name"),
    );
    out.active = u.active.as_ref().and_then(Field::as_bool);
    out.custom_fields = custom_fields(&u.extra);
    out.raw = raw.into();
    Ok(out)
}

/// A `sys_user` record → uniform [`Agent`].
pub fn agent(u: &SysUser, raw: Value) -> Result<Agent> {
    let c = contact(u, Value::Null)?;
    let mut a = Agent::new(c.id, c.name);
    a.identifier = text(u.user_name.as_ref());
    a.email = c.email;
    a.active = c.active;
    a.raw = raw.into();
    Ok(a)
}

/// A uniform new contact → the body of a POST to `sys_user`.
pub fn new_contact_body(c: &NewContact) -> Result<Map<String, Value>> {
    c.validate()?;
    let mut body = Map::new();
    put_ref(
        &mut body,
        "company",
        &c.company,
        &["core_company"],
        "company id",
    )?;
    body.insert("first_name".into(), json!(c.first_name));
    if let Some(v) = &c.last_name {
        body.insert("last_name".into(), json!(v));
    }
    if let Some(v) = &c.email {
        body.insert("email".into(), json!(v));
    }
    if let Some(v) = &c.phone {
        body.insert("phone".into(), json!(v));
    }
    Ok(body)
}

/// A uniform contact patch → a PATCH body.
pub fn contact_patch_body(p: &ContactPatch) -> Result<Map<String, Value>> {
    p.validate()?;
    let mut body = Map::new();
    for (k, v) in [
        ("first_name", &p.first_name),
        ("last_name", &p.last_name),
        ("email", &p.email),
        ("phone", &p.phone),
    ] {
        if let Some(v) = v {
            body.insert(k.into(), json!(v));
        }
    }
    Ok(body)
}
