//! Webhooks: ServiceNow has no registration API (an administrator installs
//! the business rule of [`crate::webhook`]); deliveries are verified and
//! parsed by the client's [`WebhookVerifier`](crate::WebhookVerifier).

use psa_core::{Error, Operation, Result, TicketEvent, Vendor, WebhookDelivery};

use crate::caps;
use crate::client::Client;

/// Registering, listing or deleting a webhook: unsupported, with the reason
/// `capabilities()` gives for `op`.
pub(super) fn registration<T>(op: Operation) -> Result<T> {
    Err(caps::unsupported(op))
}

pub(super) fn parse_webhook(c: &Client, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
    let verifier = c.config().webhook.as_ref().ok_or_else(|| {
        Error::config("no webhook secret configured (ClientBuilder::webhook_secret)")
            .with_vendor(Vendor::ServiceNow)
    })?;
    verifier.parse(delivery)
}
