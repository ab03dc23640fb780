//! Look-ups: ticket statuses, priorities, queues and types (the Tickets
//! picklists, cached), agents (active resources) and work types (billing
//! codes of type 1).

use futures::TryStreamExt;
use psa_core::{Agent, LookupItem, Result};

use super::listing;
use super::tickets::context;
use crate::client::Client;
use crate::mapping;
use crate::query::{Filter, Query};

/// The statuses, each marked closed or open.
pub(super) async fn statuses(client: &Client) -> Result<Vec<LookupItem>> {
    let (pl, closed) = context(client).await?;
    Ok(mapping::lookup_items(pl.values("status"), Some(&closed)))
}

/// The values of one Tickets picklist field.
pub(super) async fn ticket_picklist(client: &Client, field: &str) -> Result<Vec<LookupItem>> {
    let pl = client.picklists("Tickets").await?;
    Ok(mapping::lookup_items(pl.values(field), None))
}

pub(super) async fn agents(client: &Client) -> Result<Vec<Agent>> {
    let active = client
        .resources()
        .list(Query::new().filter(Filter::eq("isActive", true)));
    listing(Ok(active), None, mapping::agent)
        .try_collect()
        .await
}

pub(super) async fn work_types(client: &Client) -> Result<Vec<LookupItem>> {
    let work = client.billing_codes().list(
        Query::new()
            .filter(Filter::eq("billingCodeType", 1))
            .filter(Filter::eq("isActive", true)),
    );
    listing(Ok(work), None, mapping::work_type)
        .try_collect()
        .await
}
