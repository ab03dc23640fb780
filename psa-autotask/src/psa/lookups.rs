//! Look-ups: ticket statuses, priorities, queues and types (the Tickets
//! picklists, cached), agents (active resources) and work types (billing
//! codes of type 1).

use futures::TryStreamExt;
use psa_core::{Agent, LookupItem, LookupScope, Result};

use super::tickets::context;
use super::{listing, opt_value_id};
use crate::client::Client;
use crate::mapping;
use crate::models::PickListValue;
use crate::picklist::Picklists;
use crate::query::{Filter, Query};

/// The values of a Tickets picklist `field` in `scope`: Autotask scopes a
/// picklist by another field only where the field has a
/// `picklistParentValueField`; a scope by a field that is not its parent
/// keeps every value.
fn scoped(
    pl: &Picklists,
    field: &str,
    queue: Option<i64>,
    ticket_type: Option<i64>,
) -> Vec<PickListValue> {
    let mut values = pl.values(field).to_vec();
    for (parent, value) in [("queueID", queue), ("ticketType", ticket_type)] {
        if let Some(v) = value {
            let under = pl.values_under(field, parent, v);
            values.retain(|p| under.contains(p));
        }
    }
    values
}

/// The ids of a scope, checked before any request.
fn scope_ids(scope: &LookupScope) -> Result<(Option<i64>, Option<i64>)> {
    Ok((
        opt_value_id(scope.queue.as_ref(), "queue id")?,
        opt_value_id(scope.ticket_type.as_ref(), "ticket type id")?,
    ))
}

/// The statuses in `scope`, each marked closed or open.
pub(super) async fn statuses(client: &Client, scope: &LookupScope) -> Result<Vec<LookupItem>> {
    let (queue, ticket_type) = scope_ids(scope)?;
    let (pl, closed) = context(client).await?;
    Ok(mapping::lookup_items(
        &scoped(&pl, "status", queue, ticket_type),
        Some(&closed),
    ))
}

/// The ticket types in `scope`.
pub(super) async fn ticket_types(client: &Client, scope: &LookupScope) -> Result<Vec<LookupItem>> {
    let (queue, _) = scope_ids(scope)?;
    let pl = client.picklists("Tickets").await?;
    Ok(mapping::lookup_items(
        &scoped(&pl, "ticketType", queue, None),
        None,
    ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::FieldInformation;

    fn status_field(parent: &str) -> FieldInformation {
        let mut f = FieldInformation {
            name: "status".into(),
            is_pick_list: true,
            picklist_parent_value_field: Some(parent.into()),
            ..FieldInformation::default()
        };
        let v = |value: &str, label: &str, parent: &str| {
            let mut p = PickListValue::new(value, label);
            p.parent_value = Some(parent.into());
            p.is_active = true;
            p
        };
        f.picklist_values = Some(vec![
            v("1", "New", ""),
            v("20", "Awaiting parts", "29682833"),
            v("21", "Escalated to vendor", "29682834"),
        ]);
        f
    }

    fn labels(values: &[PickListValue]) -> Vec<&str> {
        values.iter().map(|p| p.label.as_str()).collect()
    }

    #[test]
    fn statuses_scope_by_their_parent_field_only() {
        let pl = Picklists::from_fields("Tickets", &[status_field("queueID")]);
        assert_eq!(
            labels(&scoped(&pl, "status", Some(29_682_833), None)),
            ["New", "Awaiting parts"]
        );
        assert_eq!(labels(&scoped(&pl, "status", None, None)).len(), 3);
        // A ticket-type scope does not narrow a queue-scoped picklist.
        assert_eq!(labels(&scoped(&pl, "status", None, Some(2))).len(), 3);
        let pl = Picklists::from_fields("Tickets", &[status_field("")]);
        assert_eq!(
            labels(&scoped(&pl, "status", Some(29_682_833), None)).len(),
            3
        );
    }
}
