//! Look-ups: statuses and ticket types (per board), priorities, queues
//! (service boards), agents (members) and work types.

use futures::TryStreamExt;
use psa_core::{Agent, CustomFieldDef, CustomFieldEntity, LookupItem, LookupScope, Result};

use super::{collect, int};
use crate::client::Client;
use crate::mapping;
use crate::models;
use crate::query::fields as f;

pub(super) async fn statuses(client: &Client, scope: &LookupScope) -> Result<Vec<LookupItem>> {
    let mut out = Vec::new();
    for board in scoped_boards(client, scope).await? {
        let list = client.boards().statuses(board).list();
        out.extend(collect(list, |s| mapping::board_status(s, board)).await?);
    }
    Ok(out)
}

pub(super) async fn priorities(client: &Client) -> Result<Vec<LookupItem>> {
    collect(client.priorities().list(), mapping::priority).await
}

pub(super) async fn queues(client: &Client) -> Result<Vec<LookupItem>> {
    let list = client.boards().list().conditions(f::PROJECT_FLAG.eq(false));
    collect(list, mapping::board).await
}

pub(super) async fn ticket_types(client: &Client, scope: &LookupScope) -> Result<Vec<LookupItem>> {
    let mut out = Vec::new();
    for board in scoped_boards(client, scope).await? {
        let list = client.boards().types(board).list();
        out.extend(collect(list, |t| mapping::board_type(t, board)).await?);
    }
    Ok(out)
}

pub(super) async fn agents(client: &Client) -> Result<Vec<Agent>> {
    collect(client.members().list(), mapping::member).await
}

/// The custom-field definitions of `entity`: the `customFields[]` entries
/// of one of its records (ConnectWise puts every custom field of the
/// record's screen on each record) with their `/system/userDefinedFields`
/// definitions (kind, required, read-only, list values). A tenant without
/// any such record has none to report.
pub(super) async fn custom_fields(
    client: &Client,
    entity: CustomFieldEntity,
) -> Result<Vec<CustomFieldDef>> {
    let fields = [f::ID, f::CUSTOM_FIELDS];
    let sample = match entity {
        CustomFieldEntity::Ticket => client.tickets().list().fields(fields),
        CustomFieldEntity::Company => client.companies().list().fields(fields).decode_as(),
        CustomFieldEntity::Contact => client.contacts().list().fields(fields).decode_as(),
        CustomFieldEntity::Configuration => {
            client.configurations().list().fields(fields).decode_as()
        }
        _ => {
            return Err(psa_core::Error::unsupported(
                psa_core::Vendor::ConnectWise,
                format!("ConnectWise has no custom fields on {entity} records"),
            ));
        }
    };
    let first: Option<models::Ticket> = sample
        .decode_as::<models::Ticket>()
        .limit(1)
        .stream()
        .try_next()
        .await?;
    let Some(on_record) = first.and_then(|r| r.custom_fields) else {
        return Ok(Vec::new());
    };
    if on_record.is_empty() {
        return Ok(Vec::new());
    }
    let defs: Vec<models::UserDefinedField> = client
        .user_defined_fields()
        .list()
        .stream()
        .try_collect()
        .await?;
    Ok(on_record
        .iter()
        .filter_map(|cf| {
            let def = cf.id.and_then(|id| defs.iter().find(|d| d.id == Some(id)));
            mapping::custom_field_def(entity, cf, def)
        })
        .collect())
}

pub(super) async fn work_types(client: &Client) -> Result<Vec<LookupItem>> {
    collect(client.work_types().list(), mapping::work_type).await
}

/// The board of the scope, or every board.
async fn scoped_boards(client: &Client, scope: &LookupScope) -> Result<Vec<i64>> {
    match &scope.queue {
        Some(q) => Ok(vec![int(q, "board")?]),
        None => Ok(client
            .boards()
            .list()
            .stream()
            .try_collect::<Vec<models::Board>>()
            .await?
            .into_iter()
            .filter_map(|b| b.id)
            .collect()),
    }
}
