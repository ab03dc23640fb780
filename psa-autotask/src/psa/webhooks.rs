//! Webhooks: register a ticket webhook (with its fields and the API user
//! excluded), list and delete them, verify and parse deliveries.

use futures::TryStreamExt;
use psa_core::{
    Error, ErrorKind, Id, NewWebhook, Result, TicketEvent, TicketEventKind, Vendor,
    WebhookDelivery, WebhookSubscription,
};
use serde_json::{Map, Value, json};

use super::{listing, partial_write, record_id};
use crate::client::Client;
use crate::mapping;
use crate::models::{TicketWebhook, TicketWebhookExcludedResource, TicketWebhookField};
use crate::picklist::Picklists;
use crate::query::{Filter, Query};
use crate::webhook::{self, Delivery};

/// The webhook field ids (from the `fieldID` picklist of
/// `TicketWebhookFields`) of the ticket fields the uniform events need.
async fn field_ids(client: &Client) -> Result<Vec<i64>> {
    let pl = client.picklists("TicketWebhookFields").await?;
    let wanted = [
        "status",
        "priority",
        "queueID",
        "assignedResourceID",
        "title",
    ];
    let mut ids = Vec::new();
    for name in wanted {
        let stem = name.trim_end_matches("ID");
        let found = pl.values("fieldID").iter().find(|p| {
            let l = p.label.trim();
            l.eq_ignore_ascii_case(name) || l.eq_ignore_ascii_case(stem)
        });
        if let Some(v) = found.and_then(|p| p.value.trim().parse().ok()) {
            ids.push(v);
        }
    }
    if ids.is_empty() {
        return Err(Error::new(
            ErrorKind::Api,
            "the TicketWebhookFields fieldID picklist names none of status, priority, queueID, assignedResourceID, title",
        )
        .with_vendor(Vendor::Autotask));
    }
    Ok(ids)
}

/// Which of create, update and delete callouts `hook` asks for; an event
/// a ticket webhook cannot deliver is `InvalidInput`.
fn callouts(hook: &NewWebhook) -> Result<(bool, bool, bool)> {
    let wants = |k: &TicketEventKind| hook.events.is_empty() || hook.events.contains(k);
    let create = wants(&TicketEventKind::Created);
    let delete = wants(&TicketEventKind::Deleted);
    let update = hook.events.is_empty()
        || hook.events.iter().any(|k| {
            matches!(
                k,
                TicketEventKind::Updated
                    | TicketEventKind::StatusChanged
                    | TicketEventKind::Assigned
                    | TicketEventKind::Closed
            )
        });
    if let Some(other) = hook.events.iter().find(|k| {
        !matches!(
            k,
            TicketEventKind::Created
                | TicketEventKind::Deleted
                | TicketEventKind::Updated
                | TicketEventKind::StatusChanged
                | TicketEventKind::Assigned
                | TicketEventKind::Closed
        )
    }) {
        return Err(Error::invalid_input(format!(
            "Autotask ticket webhooks cannot deliver `{other}` events (ticket notes have their own webhook entity)"
        )));
    }
    Ok((create, update, delete))
}

/// A record's fields as a JSON object, with `webhookID` set.
fn under_webhook<T: serde::Serialize>(row: &T, webhook: i64) -> Result<Map<String, Value>> {
    let mut fields = match serde_json::to_value(row) {
        Ok(Value::Object(m)) => m,
        Ok(_) => Map::new(),
        Err(e) => {
            return Err(Error::invalid_input("the webhook row could not be encoded").with_source(e));
        }
    };
    fields.insert("webhookID".into(), json!(webhook));
    Ok(fields)
}

/// Adds the field rows (`fields`) and the API user's exclusion webhook `id`
/// lacks.
async fn complete_rows(client: &Client, id: i64, fields: Vec<i64>) -> Result<()> {
    let have: Vec<i64> = client
        .ticket_webhooks()
        .fields(id)
        .list()
        .send()
        .await?
        .iter()
        .filter_map(|f| f.field_id)
        .collect();
    for field in fields.into_iter().filter(|f| !have.contains(f)) {
        let row = under_webhook(&TicketWebhookField::new(field, true, false), id)?;
        client
            .ticket_webhooks()
            .fields(id)
            .create_fields(row)
            .send()
            .await?;
    }
    if let Some(api_user) = client.api_user_resource().await? {
        let excluded = client
            .ticket_webhooks()
            .excluded_resources(id)
            .list()
            .send()
            .await?
            .iter()
            .any(|r| r.resource_id == Some(api_user));
        if !excluded {
            let row = under_webhook(&TicketWebhookExcludedResource::new(api_user), id)?;
            client
                .ticket_webhooks()
                .excluded_resources(id)
                .create_fields(row)
                .send()
                .await?;
        }
    }
    Ok(())
}

pub(super) async fn subscribe(client: &Client, hook: NewWebhook) -> Result<WebhookSubscription> {
    hook.validate()?;
    let secret = hook.secret.clone().ok_or_else(|| {
        Error::invalid_input(
            "Autotask signs deliveries with a secret key: give the webhook a secret",
        )
    })?;
    webhook::validate_secret_key(&secret)?;
    if hook.name.chars().count() > 50 {
        return Err(Error::invalid_input(
            "an Autotask webhook name has at most 50 characters",
        ));
    }
    if hook.url.as_str().len() > 500 {
        return Err(Error::invalid_input(
            "an Autotask webhook URL has at most 500 characters",
        ));
    }
    let (create, update, delete) = callouts(&hook)?;
    let fields = field_ids(client).await?;
    let url = hook.url.to_string();
    // Ensure, not add: a webhook already registered for this URL is brought
    // to what is asked (events, secret, name, active) rather than doubled.
    let existing: Vec<TicketWebhook> = client
        .ticket_webhooks()
        .list(Query::new().filter(Filter::eq("webhookUrl", url.clone())))
        .stream()
        .try_collect()
        .await?;
    let id = if let Some(found) = existing.iter().min_by_key(|w| w.id) {
        let mut changes = Map::new();
        changes.insert("name".into(), json!(hook.name));
        changes.insert("isActive".into(), json!(true));
        changes.insert("isSubscribedToCreateEvents".into(), json!(create));
        changes.insert("isSubscribedToUpdateEvents".into(), json!(update));
        changes.insert("isSubscribedToDeleteEvents".into(), json!(delete));
        changes.insert(
            "secretKey".into(),
            json!(secrecy::ExposeSecret::expose_secret(&secret)),
        );
        client
            .ticket_webhooks()
            .update(found.id, changes)
            .send()
            .await?;
        found.id
    } else {
        let w = TicketWebhook {
            name: Some(hook.name.clone()),
            webhook_url: Some(url.clone()),
            deactivation_url: Some(url),
            is_active: Some(true),
            is_subscribed_to_create_events: Some(create),
            is_subscribed_to_update_events: Some(update),
            is_subscribed_to_delete_events: Some(delete),
            send_threshold_exceeded_notification: Some(false),
            secret_key: Some(secret),
            ..TicketWebhook::default()
        };
        client.ticket_webhooks().create(&w).send().await?
    };
    complete_rows(client, id, fields)
        .await
        .map_err(|e| partial_write(e, id))?;
    let (w, raw) = client.ticket_webhooks().get(id).send_record().await?;
    Ok(mapping::webhook_subscription(&w, raw))
}

pub(super) async fn list(client: &Client) -> Result<Vec<WebhookSubscription>> {
    let all = client.ticket_webhooks().list(Query::all());
    listing(Ok(all), None, mapping::webhook_subscription)
        .try_collect()
        .await
}

pub(super) async fn delete(client: &Client, id: &Id) -> Result<()> {
    let id = record_id(id, "webhook id")?;
    client.ticket_webhooks().delete(id).send().await
}

pub(super) async fn parse(client: &Client, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
    let verifier = client.webhook_verifier().ok_or_else(|| {
        Error::new(
            ErrorKind::Webhook,
            "no webhook secret configured (ClientBuilder::webhook_secret): deliveries cannot be verified",
        )
        .with_vendor(Vendor::Autotask)
    })?;
    verifier.verify(&delivery.headers, &delivery.body)?;
    let parsed = Delivery::parse(&delivery.body)?;
    let closed = match client.picklists("Tickets").await {
        Ok(pl) => client.closed_statuses_for(&pl),
        Err(_) => client.closed_statuses_for(&Picklists::default()),
    };
    webhook::ticket_events(&parsed, &closed)
}
