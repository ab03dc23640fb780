//! Webhooks: outbound webhooks with one notification per event.

use psa_core::{Error, ErrorKind, Id, NewWebhook, Result, WebhookSubscription};
use secrecy::{ExposeSecret, SecretString};

use super::{HALO, first};
use crate::client::Client;
use crate::mapping;
use crate::models::{self, EventNo, Notification, WebhookAuthType, WebhookKind, WebhookMethod};
use crate::webhook::WebhookAuth;

/// The Basic user name registered when the client has none configured.
const DEFAULT_WEBHOOK_USER: &str = "halo";

/// The Basic credentials to register: the subscription's secret, else the
/// client's configured password; the client's user name, else
/// [`DEFAULT_WEBHOOK_USER`].
fn credentials(c: &Client, hook: &NewWebhook) -> Result<(String, SecretString)> {
    match (c.webhook_auth(), &hook.secret) {
        (Some(WebhookAuth::Basic { username, .. }), Some(secret)) => {
            Ok((username.clone(), secret.clone()))
        }
        (Some(WebhookAuth::Basic { username, password }), None) => {
            Ok((username.clone(), password.clone()))
        }
        (None, Some(secret)) => Ok((DEFAULT_WEBHOOK_USER.to_owned(), secret.clone())),
        (Some(WebhookAuth::Header { .. }), _) => Err(Error::invalid_input(
            "halo subscriptions register Basic credentials, but this client verifies deliveries by header; configure ClientBuilder::webhook_auth(WebhookAuth::basic(..))",
        )),
        (None, None) => Err(Error::invalid_input(
            "halo does not sign webhook deliveries: give the subscription a secret (NewWebhook::secret) or configure ClientBuilder::webhook_auth",
        )),
    }
}

/// Idempotent: an outbound webhook already registered for the same URL is
/// reused (its Basic credentials refreshed, the events it lacks added);
/// otherwise `POST /Webhook`, then `POST /Notification` with one record per
/// event (`caps::SUBSCRIBE_NOTE`), and a webhook whose events could not be
/// added is removed again. Either way the webhook is read back and its
/// events checked: registration through `/Notification` rests on Halo's
/// behaviour, not on a documented contract.
pub(super) async fn subscribe(c: &Client, hook: NewWebhook) -> Result<WebhookSubscription> {
    hook.validate()?;
    let (username, password) = credentials(c, &hook)?;
    let events = if hook.events.is_empty() {
        mapping::DEFAULT_EVENTS.to_vec()
    } else {
        let mut out = Vec::new();
        for e in &hook.events {
            let n = mapping::event_numbers(e)?;
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    };
    let url = hook.url.to_string();
    let existing = c
        .webhooks()
        .list()
        .send()
        .await?
        .records
        .into_iter()
        .find(|w| w.kind != Some(WebhookKind::Runbook) && w.url.as_deref() == Some(url.as_str()));
    if let Some(w) = existing {
        return reuse(c, w, &username, &password, &events).await;
    }
    let w = models::Webhook {
        name: Some(hook.name.clone()),
        url: Some(url),
        kind: Some(WebhookKind::Outbound),
        method: Some(WebhookMethod::Post),
        content_type: Some("application/json".to_owned()),
        authentication_type: Some(WebhookAuthType::Basic),
        basic_username: Some(username),
        basic_password: Some(models::Redacted::new(password.expose_secret())),
        active: Some(true),
        ..models::Webhook::default()
    };
    let saved = first(c.webhooks().create([w]).send().await?, "webhook create")?;
    let guid = saved.id.clone().filter(|g| !g.is_empty()).ok_or_else(|| {
        Error::new(ErrorKind::Decode, "halo created a webhook without an id").with_vendor(HALO)
    })?;
    let notifications = events
        .iter()
        .map(|e| Notification::webhook(guid.clone(), *e));
    if let Err(e) = c.webhooks().add_events(notifications).send().await {
        // Leave no half-configured subscription behind.
        let cleanup = c.webhooks().delete(&guid).send().await;
        return Err(match cleanup {
            Ok(()) => e,
            Err(_) => Error::new(
                e.kind(),
                format!(
                    "{} (the webhook {guid} was created without its events and could not be removed)",
                    e.message()
                ),
            )
            .with_vendor(HALO),
        });
    }
    checked_events(c, &guid, &events).await
}

/// The webhook `w` registered for the same URL: its credentials set to
/// the subscription's, the events it lacks added, read back.
async fn reuse(
    c: &Client,
    w: models::Webhook,
    username: &str,
    password: &SecretString,
    events: &[EventNo],
) -> Result<WebhookSubscription> {
    let guid = w.id.clone().filter(|g| !g.is_empty()).ok_or_else(|| {
        Error::new(ErrorKind::Decode, "halo listed a webhook without an id").with_vendor(HALO)
    })?;
    let current = c.webhooks().get(&guid).send().await?;
    let update = models::Webhook {
        id: Some(guid.clone()),
        authentication_type: Some(WebhookAuthType::Basic),
        basic_username: Some(username.to_owned()),
        basic_password: Some(models::Redacted::new(password.expose_secret())),
        active: Some(true),
        ..models::Webhook::default()
    };
    c.webhooks().update([update]).send().await?;
    let has = registered(&current);
    let missing: Vec<Notification> = events
        .iter()
        .filter(|e| !has.contains(e))
        .map(|e| Notification::webhook(guid.clone(), *e))
        .collect();
    if !missing.is_empty() {
        c.webhooks().add_events(missing).send().await?;
    }
    checked_events(c, &guid, events).await
}

/// The events a webhook record carries.
fn registered(w: &models::Webhook) -> Vec<EventNo> {
    w.events
        .iter()
        .flatten()
        .filter_map(|n| n.eventno)
        .collect()
}

/// Webhook `guid` read back, with an error when an event asked for is not
/// among its events (Halo ignored the `/Notification` records).
async fn checked_events(c: &Client, guid: &str, events: &[EventNo]) -> Result<WebhookSubscription> {
    let stored = c.webhooks().get(guid).send().await?;
    let has = registered(&stored);
    let lacking: Vec<String> = events
        .iter()
        .filter(|e| !has.contains(e))
        .map(|e| e.code().to_string())
        .collect();
    if !lacking.is_empty() {
        return Err(Error::new(
            ErrorKind::Api,
            format!(
                "halo registered webhook {guid} but it reads back without the events {}: the notifications posted to /Notification did not take (registration there is Halo's behaviour, not a documented contract); configure the events in Halo (Configuration > Integrations > Webhooks)",
                lacking.join(", ")
            ),
        )
        .with_vendor(HALO));
    }
    mapping::webhook(&stored)
}

/// Outbound webhooks (runbooks left out).
pub(super) async fn list(c: &Client) -> Result<Vec<WebhookSubscription>> {
    let hooks = c.webhooks().list().send().await?.records;
    hooks
        .iter()
        .filter(|w| w.kind != Some(WebhookKind::Runbook))
        .map(mapping::webhook)
        .collect()
}

/// By GUID: the handle refuses anything else.
pub(super) async fn delete(c: &Client, id: &Id) -> Result<()> {
    c.webhooks().delete(&id.to_string()).send().await
}
