//! Products (Halo items), and the read-only records: agreements (client
//! contracts), SLAs, projects and knowledge-base articles.

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use psa_core::{
    Agreement, AgreementQuery, Error, ErrorKind, Id, KbArticle, KbQuery, LineItem, NewLineItem,
    Product, ProductQuery, Project, ProjectQuery, Result, Sla,
};

use super::parties::COMPANY_ID;
use super::tickets::TICKET_ID;
use super::{HALO, first};
use crate::client::Client;
use crate::mapping;

pub(super) fn search_products<'a>(
    c: &'a Client,
    query: &ProductQuery,
) -> BoxStream<'a, Result<Product>> {
    let mut list = c.items().list();
    if let Some(t) = &query.text {
        list = list.search(t);
    }
    if query.include_inactive {
        list = list.include_inactive();
    }
    if let Some(n) = query.limit {
        list = list.limit(n);
    }
    list.stream()
        .and_then(|i| async move { mapping::product(&i) })
        .boxed()
}

/// An action issuing the item (`caps::ADD_PRODUCT_NOTE`); the issued line
/// is Halo's answer, or read back from the ticket when Halo does not echo it.
pub(super) async fn add_ticket_product(
    c: &Client,
    ticket: &Id,
    item: NewLineItem,
) -> Result<LineItem> {
    let ticket = ticket.require_int(TICKET_ID)?;
    let a = mapping::new_line_item(ticket, &item, c.settings())?;
    let item_id = a.new_items_issued.iter().flatten().find_map(|l| l.item_id);
    let saved = first(c.actions().create([a]).send().await?, "item issue")?;
    if let Some(line) = saved
        .new_items_issued
        .iter()
        .flatten()
        .find(|l| l.id.is_some_and(|id| id > 0))
    {
        return mapping::line_item(line, ticket);
    }
    let t = c.tickets().get(ticket).include_details().send().await?;
    let line = t
        .items_issued
        .iter()
        .flatten()
        .filter(|l| l.item_id == item_id)
        .max_by_key(|l| l.id.unwrap_or_default())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::Api,
                format!(
                    "halo saved the item-issuing action on ticket {ticket} but the ticket reads back without the item: this Halo version ignored new_items_issued (a field of its Actions schema whose effect is Halo's behaviour, not a documented contract)"
                ),
            )
            .with_vendor(HALO)
        })?;
    mapping::line_item(line, ticket)
}

pub(super) fn list_agreements<'a>(
    c: &'a Client,
    query: &AgreementQuery,
) -> Result<BoxStream<'a, Result<Agreement>>> {
    let mut list = c.contracts().list();
    if let Some(company) = &query.company {
        list = list.client_id(company.require_int(COMPANY_ID)?);
    }
    if query.include_inactive {
        list = list.include_inactive();
    }
    Ok(list
        .stream()
        .and_then(|c| async move { mapping::agreement(&c) })
        .boxed())
}

pub(super) fn list_slas(c: &Client) -> BoxStream<'_, Result<Sla>> {
    c.slas()
        .list()
        .stream()
        .and_then(|s| async move { mapping::sla(&s) })
        .boxed()
}

pub(super) fn list_projects<'a>(
    c: &'a Client,
    query: &ProjectQuery,
) -> Result<BoxStream<'a, Result<Project>>> {
    let mut list = c.projects().list();
    if let Some(company) = &query.company {
        list = list.client_id(company.require_int(COMPANY_ID)?);
    }
    if !query.include_closed {
        list = list.open_only();
    }
    if let Some(n) = query.limit {
        list = list.limit(n);
    }
    Ok(list
        .stream()
        .and_then(move |t| async move { mapping::project(&t, c.settings()) })
        .boxed())
}

pub(super) fn search_kb_articles<'a>(
    c: &'a Client,
    query: &KbQuery,
) -> BoxStream<'a, Result<KbArticle>> {
    let mut list = c.kb_articles().list();
    if let Some(t) = &query.text {
        list = list.search(t);
    }
    if let Some(n) = query.limit {
        list = list.limit(n);
    }
    list.stream()
        .and_then(|k| async move { mapping::kb_article(&k) })
        .boxed()
}

pub(super) async fn get_kb_article(c: &Client, id: &Id) -> Result<KbArticle> {
    let id = id.require_int("halo KB article id")?;
    mapping::kb_article(&c.kb_articles().get(id).send().await?)
}
