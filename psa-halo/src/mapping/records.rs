//! Companies, contacts, configurations, schedule entries and the catalog.

use psa_core::{
    Error, Id, NewConfiguration, NewContact, NewLineItem, NewScheduleEntry, Ref, Result,
    ScheduleEntryPatch,
};

use crate::client::Settings;
use crate::models::Number;
use crate::models::{
    Action, Appointment, Asset, Contract, Customer, Item, KbArticle, Sla, TicketItem, User,
};
use psa_core::Timestamp;

/// The vendor, for errors.
use super::{
    HALO, at, custom_fields, missing, opt_pos, pos, raw, reference, text, to_custom_fields,
};

/// A Halo client → the uniform company.
pub(crate) fn company(c: &Customer) -> Result<psa_core::Company> {
    let id = pos(c.id).ok_or_else(|| missing("client", "id"))?;
    let mut out = psa_core::Company::new(Id::int(id), c.name.clone().unwrap_or_default());
    out.identifier = text(c.accountsid.as_ref());
    out.website = text(c.website.as_ref());
    out.active = c.inactive.map(|i| !i);
    out.custom_fields = custom_fields(c.customfields.as_ref());
    out.raw = raw(c).into();
    Ok(out)
}

/// A Halo end user → the uniform contact.
pub(crate) fn contact(u: &User) -> Result<psa_core::Contact> {
    let id = pos(u.id).ok_or_else(|| missing("user", "id"))?;
    let name = u.name.clone().unwrap_or_else(|| {
        [u.firstname.as_deref(), u.surname.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let mut out = psa_core::Contact::new(Id::int(id), name);
    out.first_name = text(u.firstname.as_ref());
    out.last_name = text(u.surname.as_ref());
    out.email = text(u.emailaddress.as_ref());
    out.phone = text(u.phonenumber.as_ref());
    out.mobile = text(u.mobilenumber.as_ref());
    out.company = reference(u.client_id, u.client_name.as_ref());
    out.active = u.inactive.map(|i| !i);
    out.custom_fields = custom_fields(u.customfields.as_ref());
    out.raw = raw(u).into();
    Ok(out)
}

/// A new uniform contact → the Halo user to post for client `client_id`
/// (the contact's company, already read). Halo files end users under a
/// site, so `site_id` is the client's main site.
pub(crate) fn new_contact(c: &NewContact, client_id: i64, site_id: i64) -> Result<User> {
    c.validate()?;
    let name = match &c.last_name {
        Some(l) => format!("{} {l}", c.first_name),
        None => c.first_name.clone(),
    };
    let mut u = User::new(site_id, name);
    u.client_id = Some(client_id);
    u.firstname = Some(c.first_name.clone());
    u.surname.clone_from(&c.last_name);
    u.emailaddress.clone_from(&c.email);
    u.phonenumber.clone_from(&c.phone);
    Ok(u)
}

/// A uniform contact patch → the Halo update of user `id`. `current` is the
/// stored user, needed to keep the display name consistent.
pub(crate) fn contact_patch(id: i64, p: &psa_core::ContactPatch, current: &User) -> Result<User> {
    p.validate()?;
    let mut u = User {
        id: Some(id),
        ..User::default()
    };
    u.firstname.clone_from(&p.first_name);
    u.surname.clone_from(&p.last_name);
    u.emailaddress.clone_from(&p.email);
    u.phonenumber.clone_from(&p.phone);
    if p.first_name.is_some() || p.last_name.is_some() {
        let first = p.first_name.as_ref().or(current.firstname.as_ref());
        let last = p.last_name.as_ref().or(current.surname.as_ref());
        u.name = Some(
            [first, last]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    Ok(u)
}

/// A Halo asset → the uniform configuration.
pub(crate) fn configuration(a: &Asset) -> Result<psa_core::Configuration> {
    let id = pos(a.id).ok_or_else(|| missing("asset", "id"))?;
    let name = text(a.inventory_number.as_ref())
        .or_else(|| text(a.key_field.as_ref()))
        .unwrap_or_default();
    let mut out = psa_core::Configuration::new(Id::int(id), name);
    out.configuration_type = reference(a.assettype_id, a.assettype_name.as_ref());
    out.company = reference(a.client_id, a.client_name.as_ref());
    out.active = a.inactive.map(|i| !i);
    out.custom_fields = custom_fields(a.customfields.as_ref());
    out.raw = raw(a).into();
    Ok(out)
}

/// A new uniform configuration → the Halo asset to post.
pub(crate) fn new_configuration(c: &NewConfiguration) -> Result<Asset> {
    c.validate()?;
    if c.serial_number.is_some() {
        return Err(Error::invalid_input(crate::caps::SERIAL_NUMBER_REASON).with_vendor(HALO));
    }
    Ok(Asset {
        client_id: Some(c.company.require_positive("halo client id (company)")?),
        inventory_number: Some(c.name.clone()),
        assettype_id: opt_pos(c.configuration_type.as_ref(), "halo asset type id")?,
        customfields: to_custom_fields(&c.custom_fields),
        ..Asset::default()
    })
}

/// A uniform configuration patch → the Halo update of asset `id`.
pub(crate) fn configuration_patch(id: i64, p: &psa_core::ConfigurationPatch) -> Result<Asset> {
    p.validate()?;
    if p.serial_number.is_some() {
        return Err(Error::invalid_input(crate::caps::SERIAL_NUMBER_REASON).with_vendor(HALO));
    }
    Ok(Asset {
        id: Some(id),
        inventory_number: p.name.clone(),
        assettype_id: opt_pos(p.configuration_type.as_ref(), "halo asset type id")?,
        inactive: p.active.map(|a| !a),
        customfields: to_custom_fields(&p.custom_fields),
        ..Asset::default()
    })
}

// ---- schedule ----------------------------------------------------------------------

/// A Halo appointment → the uniform schedule entry.
pub(crate) fn schedule_entry(a: &Appointment) -> Result<psa_core::ScheduleEntry> {
    let id = pos(a.id).ok_or_else(|| missing("appointment", "id"))?;
    let mut out = psa_core::ScheduleEntry::new(Id::int(id));
    out.agent = reference(a.agent_id, a.agent_name.as_ref());
    out.ticket = pos(a.ticket_id).map(Id::int);
    out.subject = text(a.subject.as_ref());
    out.start = at(a.start_date.as_ref());
    out.end = at(a.end_date.as_ref());
    out.note = text(a.note.as_ref());
    out.raw = raw(a).into();
    Ok(out)
}

/// A new uniform schedule entry → the Halo appointment to post (UTC, `Z`,
/// `utcoffset: 0`).
pub(crate) fn new_schedule_entry(e: &NewScheduleEntry) -> Result<Appointment> {
    e.validate()?;
    Ok(Appointment {
        agent_id: Some(e.agent.require_positive("halo agent id")?),
        ticket_id: opt_pos(e.ticket.as_ref(), "halo ticket id")?,
        subject: e.subject.clone(),
        note: e.note.clone(),
        start_date: Some(Timestamp::from(e.start)),
        end_date: Some(Timestamp::from(e.end)),
        utcoffset: Some(Number::int(0)),
        ..Appointment::default()
    })
}

/// A uniform schedule patch → the Halo update of appointment `id`.
pub(crate) fn schedule_patch(id: i64, p: &ScheduleEntryPatch) -> Result<Appointment> {
    p.validate()?;
    let dates = p.start.is_some() || p.end.is_some();
    Ok(Appointment {
        id: Some(id),
        agent_id: opt_pos(p.agent.as_ref(), "halo agent id")?,
        subject: p.subject.clone(),
        note: p.note.clone(),
        start_date: p.start.map(Timestamp::from),
        end_date: p.end.map(Timestamp::from),
        utcoffset: dates.then(|| Number::int(0)),
        ..Appointment::default()
    })
}

// ---- catalog -------------------------------------------------------------------------

/// A Halo item → the uniform product.
pub(crate) fn product(i: &Item) -> Result<psa_core::Product> {
    let id = pos(i.id).ok_or_else(|| missing("item", "id"))?;
    let mut out = psa_core::Product::new(Id::int(id), i.name.clone().unwrap_or_default());
    out.sku = text(i.internalreference.as_ref()).or_else(|| text(i.supplier_part_code.as_ref()));
    out.description = text(i.description.as_ref());
    out.price = i.baseprice.map(Number::get);
    out.cost = i.costprice.map(Number::get);
    out.active = i.inactive.map(|i| !i);
    out.raw = raw(i).into();
    Ok(out)
}

/// A Halo item issued to a ticket → the uniform line item.
pub(crate) fn line_item(i: &TicketItem, ticket: i64) -> Result<psa_core::LineItem> {
    let id = pos(i.id).ok_or_else(|| missing("ticket item", "id"))?;
    let mut out = psa_core::LineItem::new(
        Id::int(id),
        Id::int(pos(i.ticket_id).unwrap_or(ticket)),
        i.quantity.map_or(0.0, Number::get),
    );
    out.product = reference(i.item_id, i.name.as_ref());
    out.price = i.price.map(Number::get);
    out.description = text(i.note.as_ref());
    out.raw = raw(i).into();
    Ok(out)
}

/// A uniform line → the action that issues it to `ticket`.
pub(crate) fn new_line_item(ticket: i64, l: &NewLineItem, settings: &Settings) -> Result<Action> {
    l.validate()?;
    if l.billable.is_some() {
        return Err(Error::invalid_input(
            "halo takes billing of issued items from the item and the contract; leave `billable` unset",
        )
        .with_vendor(HALO));
    }
    let item = TicketItem {
        item_id: Some(l.product.require_positive("halo item id (product)")?),
        quantity: Some(Number::from(l.quantity)),
        price: l.price.map(Number::from),
        note: l.description.clone(),
        ..TicketItem::default()
    };
    let mut a = Action::new(ticket, l.description.clone().unwrap_or_default())
        .with_outcome(settings.outcomes.issue_items_name())
        .hidden_from_user(true);
    a.new_items_issued = Some(vec![item]);
    a.sendemail = Some(false);
    Ok(a)
}

/// A Halo contract → the uniform agreement.
pub(crate) fn agreement(c: &Contract) -> Result<psa_core::Agreement> {
    let id = pos(c.id).ok_or_else(|| missing("contract", "id"))?;
    let mut out = psa_core::Agreement::new(Id::int(id), c.reference.clone().unwrap_or_default());
    out.company = reference(c.client_id, c.client_name.as_ref());
    out.agreement_type = pos(c.contracttype).map(Ref::new);
    out.start = at(c.start_date.as_ref());
    out.end = at(c.end_date.as_ref());
    out.active = match (c.active, c.expired) {
        (Some(a), _) => Some(a),
        (None, Some(e)) => Some(!e),
        _ => None,
    };
    out.custom_fields = custom_fields(c.customfields.as_ref());
    out.raw = raw(c).into();
    Ok(out)
}

/// A Halo SLA → the uniform SLA.
pub(crate) fn sla(s: &Sla) -> Result<psa_core::Sla> {
    let id = pos(s.id).ok_or_else(|| missing("SLA", "id"))?;
    let mut out = psa_core::Sla::new(Id::int(id), s.name.clone().unwrap_or_default());
    out.raw = raw(s).into();
    Ok(out)
}

/// A Halo knowledge-base entry → the uniform article.
pub(crate) fn kb_article(k: &KbArticle) -> Result<psa_core::KbArticle> {
    let id = pos(k.id).ok_or_else(|| missing("KB article", "id"))?;
    let mut out = psa_core::KbArticle::new(Id::int(id), k.name.clone().unwrap_or_default());
    out.body = text(k.description.as_ref());
    out.resolution = text(k.resolution.as_ref());
    out.updated_at = at(k.date_edited.as_ref()).or_else(|| at(k.date_created.as_ref()));
    out.raw = raw(k).into();
    Ok(out)
}
