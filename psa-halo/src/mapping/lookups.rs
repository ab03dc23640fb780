//! Look-ups, attachments and custom-field definitions.

use psa_core::{Id, Ref, Result};

use crate::ids::ActionKey;
use crate::models::{Agent, LookupEntry, Priority, Status, Team, TicketType};

/// The vendor, for errors.
use super::{at, missing, pos, raw, text};

/// A Halo status → a uniform look-up item; `open` holds the ids of the
/// statuses Halo lists when closed ones are excluded.
pub(crate) fn status(s: &Status, open: Option<&[i64]>) -> Result<psa_core::LookupItem> {
    let id = pos(s.id).ok_or_else(|| missing("status", "id"))?;
    let mut out = psa_core::LookupItem::new(Id::int(id), s.name.clone().unwrap_or_default());
    out.closed = open.map(|open| !open.contains(&id));
    out.raw = raw(s).into();
    Ok(out)
}

/// Halo priorities (one per SLA and priority) → uniform look-up items, one
/// per `priorityid` (the first SLA's record names it).
pub(crate) fn priorities(list: &[Priority]) -> Result<Vec<psa_core::LookupItem>> {
    let mut out: Vec<psa_core::LookupItem> = Vec::new();
    for p in list {
        let id = pos(p.priorityid).ok_or_else(|| missing("priority", "priorityid"))?;
        if out.iter().any(|i| i.id == Id::int(id)) {
            continue;
        }
        let mut item = psa_core::LookupItem::new(Id::int(id), p.name.clone().unwrap_or_default());
        item.active = p.ishidden.map(|h| !h);
        item.raw = raw(p).into();
        out.push(item);
    }
    Ok(out)
}

/// A Halo team → a uniform queue.
pub(crate) fn team(t: &Team) -> Result<psa_core::LookupItem> {
    let id = pos(t.id).ok_or_else(|| missing("team", "id"))?;
    let mut out = psa_core::LookupItem::new(Id::int(id), t.name.clone().unwrap_or_default());
    out.active = t.inactive.map(|i| !i);
    out.raw = raw(t).into();
    Ok(out)
}

/// A Halo ticket type → a uniform look-up item.
pub(crate) fn ticket_type(t: &TicketType) -> Result<psa_core::LookupItem> {
    let id = pos(t.id).ok_or_else(|| missing("ticket type", "id"))?;
    let mut out = psa_core::LookupItem::new(Id::int(id), t.name.clone().unwrap_or_default());
    out.active = match (t.inactive, t.visible) {
        (Some(i), _) => Some(!i),
        (None, v) => v,
    };
    out.raw = raw(t).into();
    Ok(out)
}

/// A Halo look-up entry (a charge type) → a uniform work type.
pub(crate) fn lookup_entry(l: &LookupEntry) -> Result<psa_core::LookupItem> {
    let id = pos(l.id).ok_or_else(|| missing("look-up entry", "id"))?;
    let mut out = psa_core::LookupItem::new(Id::int(id), l.name.clone().unwrap_or_default());
    out.active = l.inactive.map(|i| !i);
    out.raw = raw(l).into();
    Ok(out)
}

/// A Halo agent → the uniform agent.
pub(crate) fn agent(a: &Agent) -> Result<psa_core::Agent> {
    let id = pos(a.id).ok_or_else(|| missing("agent", "id"))?;
    let mut out = psa_core::Agent::new(Id::int(id), a.name.clone().unwrap_or_default());
    out.email = text(a.email.as_ref());
    out.active = a.isdisabled.map(|d| !d);
    out.raw = raw(a).into();
    Ok(out)
}

// ---- attachments and custom fields ----------------------------------------------------

/// A Halo attachment → the uniform attachment; `ticket` when Halo leaves
/// the ticket out.
pub(crate) fn attachment(a: &crate::models::Attachment, ticket: i64) -> psa_core::Attachment {
    let ticket = pos(a.ticket_id).unwrap_or(ticket);
    let mut out = psa_core::Attachment::new(
        Id::int(a.id.unwrap_or_default()),
        Id::int(ticket),
        a.filename.clone().unwrap_or_default(),
    );
    out.note = pos(a.action_id).map(|action| ActionKey::new(ticket, action).to_id());
    out.content_type = text(a.content_type.as_ref());
    out.size = a.filesize.and_then(|s| u64::try_from(s).ok());
    out.created_at = at(a.datecreated.as_ref());
    out.author = pos(a.agent_id).map(Ref::new);
    let mut shown = a.clone();
    shown.data_base64 = None;
    out.raw = raw(&shown).into();
    out
}

/// A uniform file → the Halo attachment to post on `ticket`: the content
/// base64-encoded in `data_base64`; an internal file is not shown to end
/// users (`showforusers`).
pub(crate) fn new_attachment(
    ticket: i64,
    f: &psa_core::NewAttachment,
) -> crate::models::Attachment {
    let mut a = crate::models::Attachment::upload(ticket, f.file_name.clone(), &f.data);
    a.content_type = Some(f.content_type.trim().to_owned());
    a.showforusers = Some(!f.internal);
    a
}

/// The file name of a `Content-Disposition` header (`attachment;
/// filename="a b.pdf"`, or RFC 5987's `filename*=UTF-8''a%20b.pdf`).
pub(crate) fn disposition_file_name(header: &str) -> Option<String> {
    let mut plain = None;
    for part in header.split(';').map(str::trim) {
        let Some((key, value)) = part.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        if key == "filename*" {
            let encoded = value.splitn(3, '\'').nth(2)?;
            let decoded = percent_decode(encoded)?;
            return Some(decoded).filter(|n| !n.is_empty());
        }
        if key == "filename" {
            plain = Some(value.trim_matches('"').to_owned()).filter(|n| !n.is_empty());
        }
    }
    plain
}

pub(super) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Halo's `usage` of the records of a uniform entity (tickets 1, clients
/// 2, users 4, assets 5).
pub(crate) fn field_usage(entity: psa_core::CustomFieldEntity) -> Option<i64> {
    use psa_core::CustomFieldEntity as E;
    match entity {
        E::Ticket => Some(1),
        E::Company => Some(2),
        E::Contact => Some(4),
        E::Configuration => Some(5),
        _ => None,
    }
}

/// A Halo field definition → the uniform custom-field definition.
pub(crate) fn custom_field_def(
    f: &crate::models::FieldInfo,
    entity: psa_core::CustomFieldEntity,
) -> Result<psa_core::CustomFieldDef> {
    use psa_core::CustomFieldKind as K;
    let name = text(f.name.as_ref()).ok_or_else(|| missing("field", "name"))?;
    let kind = match f.field_type.unwrap_or_default() {
        0 => K::Text,
        1 | 10 => K::LongText,
        2 => K::Picklist,
        3 => K::MultiPicklist,
        4 => K::Date,
        5 => K::DateTime,
        6 => K::Boolean,
        other => K::Other(format!("halo field type {other}")),
    };
    let mut out = psa_core::CustomFieldDef::new(name, entity, kind)
        .required(f.mandatory.unwrap_or(false))
        .read_only(f.readonly.unwrap_or(false));
    if let Some(l) = text(f.label.as_ref()) {
        out = out.label(l);
    }
    if let Some(max) = f.characterlimit.filter(|m| *m > 0) {
        out = out.max_length(u32::try_from(max).unwrap_or(u32::MAX));
    }
    out = out.options(f.values.iter().flatten().filter_map(|v| {
        let id = pos(v.id)?;
        Some(
            psa_core::PicklistOption::new(id, v.name.clone().unwrap_or_default())
                .active(!v.inactive.unwrap_or(false)),
        )
    }));
    out.raw = raw(f).into();
    Ok(out)
}
