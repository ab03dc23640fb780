//! Webhook subscriptions and event kinds.

use psa_core::{Error, ErrorKind, Id, Result};

use crate::models::{EventNo, Webhook};

/// The vendor, for errors.
use super::{HALO, missing, raw, text};

/// The uniform event kind of a Halo event number.
pub(crate) fn event_kind(e: EventNo) -> psa_core::TicketEventKind {
    use psa_core::TicketEventKind as K;
    match e {
        EventNo::NewTicketLogged => K::Created,
        EventNo::TicketUpdatedByUser => K::Updated,
        EventNo::Closed => K::Closed,
        EventNo::StatusChanged => K::StatusChanged,
        EventNo::Deleted => K::Deleted,
        other => K::Other(other.code().to_string()),
    }
}

/// The Halo event numbers of a uniform event kind: the named ones, or a
/// number given as `Other("<eventno>")`.
pub(crate) fn event_numbers(kind: &psa_core::TicketEventKind) -> Result<EventNo> {
    use psa_core::TicketEventKind as K;
    Ok(match kind {
        K::Created => EventNo::NewTicketLogged,
        K::Updated => EventNo::TicketUpdatedByUser,
        K::Closed => EventNo::Closed,
        K::StatusChanged => EventNo::StatusChanged,
        K::Deleted => EventNo::Deleted,
        K::Other(s) => match s.parse::<i64>() {
            Ok(n) if n > 0 => EventNo::from_code(n),
            _ => {
                return Err(Error::invalid_input(format!(
                    "halo webhook event {s:?} is not a Halo event number"
                )));
            }
        },
        other => {
            return Err(Error::invalid_input(format!(
                "halo has no webhook event for `{other}`; pass its Halo event number as TicketEventKind::Other(\"<eventno>\")"
            )));
        }
    })
}

/// The ticket events a subscription without explicit events registers.
pub(crate) const DEFAULT_EVENTS: [EventNo; 5] = [
    EventNo::NewTicketLogged,
    EventNo::TicketUpdatedByUser,
    EventNo::StatusChanged,
    EventNo::Closed,
    EventNo::Deleted,
];

/// A Halo webhook → the uniform subscription; any credential Halo echoes
/// is removed from `raw`.
pub(crate) fn webhook(w: &Webhook) -> Result<psa_core::WebhookSubscription> {
    let guid =
        w.id.as_deref()
            .filter(|g| !g.is_empty())
            .ok_or_else(|| missing("webhook", "id"))?;
    let id = Id::text(guid).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            format!("halo webhook id {guid:?}: {}", e.message()),
        )
        .with_vendor(HALO)
    })?;
    let mut out = psa_core::WebhookSubscription::new(id);
    out.name = text(w.name.as_ref());
    out.url = text(w.url.as_ref());
    out.events = w
        .events
        .iter()
        .flatten()
        .filter_map(|n| n.eventno.map(event_kind))
        .collect();
    out.active = match (w.active, w.disabled) {
        (Some(a), Some(d)) => Some(a && !d),
        (a, None) => a,
        (None, Some(d)) => Some(!d),
    };
    let mut shown = w.clone();
    shown.basic_password = None;
    shown.extra.remove("authentication_header_value");
    out.raw = raw(&shown).into();
    Ok(out)
}
