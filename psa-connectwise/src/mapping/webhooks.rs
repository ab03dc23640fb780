//! Callbacks: the registration body and a registration as a webhook
//! subscription.

use psa_core::{Error, Id, NewWebhook, Result, TicketEventKind, Vendor};

use super::{missing_id, to_raw};
use crate::models::CallbackEntry;

/// A callback → a webhook subscription.
pub fn callback(c: &CallbackEntry) -> Result<psa_core::WebhookSubscription> {
    let id = c.id.ok_or_else(|| missing_id("callback"))?;
    let mut out = psa_core::WebhookSubscription::new(Id::from(id));
    out.name.clone_from(&c.description);
    out.url.clone_from(&c.url);
    if c.callback_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("ticket"))
    {
        out.events = vec![
            TicketEventKind::Created,
            TicketEventKind::Updated,
            TicketEventKind::Deleted,
        ];
    }
    out.active = c.inactive_flag.map(|f| !f);
    out.raw = to_raw(c).into();
    Ok(out)
}

/// The body of `POST /system/callbacks`: every ticket (`type: ticket`,
/// `level: owner`, `objectId: 1`).
pub fn new_callback(w: &NewWebhook) -> Result<CallbackEntry> {
    w.validate()?;
    if w.secret.is_some() {
        return Err(Error::invalid_input(
            "ConnectWise signs callbacks with its own key (fetched from the site when a delivery \
             arrives); a shared secret cannot be set — leave `secret` empty",
        )
        .with_vendor(Vendor::ConnectWise));
    }
    let name: String = w.name.chars().take(100).collect();
    Ok(CallbackEntry {
        description: Some(name),
        url: Some(w.url.to_string()),
        object_id: Some(1),
        callback_type: Some("ticket".to_owned()),
        level: Some("owner".to_owned()),
        inactive_flag: Some(false),
        ..CallbackEntry::default()
    })
}
