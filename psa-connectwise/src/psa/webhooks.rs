//! Callbacks: register, list, delete, and verify and parse a delivery.

use psa_core::{Id, NewWebhook, Result, TicketEvent, Vendor, WebhookDelivery, WebhookSubscription};

use futures::TryStreamExt;

use super::{collect, int};
use crate::client::Client;
use crate::mapping;
use crate::models::{self, PatchOperation};
use crate::query::fields as f;

/// Registers a callback once: an existing one for the same URL, type,
/// level and object is returned (made active again, with the new
/// description, when it was inactive) rather than duplicated.
pub(super) async fn subscribe(client: &Client, hook: NewWebhook) -> Result<WebhookSubscription> {
    let body = mapping::new_callback(&hook)?;
    let kind = body.callback_type.clone().unwrap_or_default();
    let existing: Vec<models::CallbackEntry> = client
        .callbacks()
        .list()
        .conditions(f::TYPE.eq(kind))
        .stream()
        .try_collect()
        .await?;
    let same = existing.into_iter().find(|c| {
        same_url(c.url.as_deref(), body.url.as_deref())
            && eq_ci(c.callback_type.as_deref(), body.callback_type.as_deref())
            && eq_ci(c.level.as_deref(), body.level.as_deref())
            && c.object_id == body.object_id
    });
    let Some(found) = same else {
        return mapping::callback(&client.callbacks().create(&body).send().await?);
    };
    let id = super::created_id(found.id, "callback")?;
    let mut ops = Vec::new();
    if found.inactive_flag == Some(true) {
        ops.push(PatchOperation::replace("inactiveFlag", false));
    }
    if found.description != body.description {
        if let Some(d) = &body.description {
            ops.push(PatchOperation::replace("description", d.clone()));
        }
    }
    if ops.is_empty() {
        return mapping::callback(&found);
    }
    mapping::callback(&client.callbacks().update(id, &ops).send().await?)
}

/// The same callback URL (parsed and compared as URLs; as text otherwise).
fn same_url(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => match (url::Url::parse(a.trim()), url::Url::parse(b.trim())) {
            (Ok(x), Ok(y)) => x == y,
            _ => a.trim() == b.trim(),
        },
        _ => false,
    }
}

fn eq_ci(a: Option<&str>, b: Option<&str>) -> bool {
    a.unwrap_or_default()
        .eq_ignore_ascii_case(b.unwrap_or_default())
}

pub(super) async fn list(client: &Client) -> Result<Vec<WebhookSubscription>> {
    collect(client.callbacks().list(), mapping::callback).await
}

pub(super) async fn delete(client: &Client, id: &Id) -> Result<()> {
    client.callbacks().delete(int(id, "callback")?).send().await
}

pub(super) async fn parse(client: &Client, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
    let payload = client
        .verifier()
        .verify(delivery, |url| client.fetch_signing_key(url))
        .await?;
    let raw: serde_json::Value = delivery.json(Vendor::ConnectWise)?;
    crate::webhook::events(&payload, raw)
}
