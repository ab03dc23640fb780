//! Look-ups: statuses and ticket types (per board), priorities, queues
//! (service boards), agents (members) and work types.

use futures::TryStreamExt;
use psa_core::{Agent, LookupItem, LookupScope, Result};

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
