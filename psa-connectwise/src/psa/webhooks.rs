//! Callbacks: register, list, delete, and verify and parse a delivery.

use psa_core::{Id, NewWebhook, Result, TicketEvent, Vendor, WebhookDelivery, WebhookSubscription};

use super::{collect, int};
use crate::client::Client;
use crate::mapping;

pub(super) async fn subscribe(client: &Client, hook: NewWebhook) -> Result<WebhookSubscription> {
    let body = mapping::new_callback(&hook)?;
    mapping::callback(&client.callbacks().create(&body).send().await?)
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
