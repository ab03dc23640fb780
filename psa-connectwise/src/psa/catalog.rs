//! Products and the read-only records: the catalog, ticket products,
//! agreements, SLAs, projects and knowledge-base articles.

use futures::stream::BoxStream;
use psa_core::{
    Agreement, AgreementQuery, Id, KbArticle, KbQuery, LineItem, NewLineItem, Product,
    ProductQuery, Project, ProjectQuery, Result, Sla,
};

use super::{int, map_stream, text_in_any};
use crate::client::Client;
use crate::mapping::{self, int_id};
use crate::query::{Condition, fields as f};

pub(super) fn search_products<'a>(
    client: &'a Client,
    query: &ProductQuery,
) -> BoxStream<'a, Result<Product>> {
    let build = || {
        query.validate()?;
        let mut c = Vec::new();
        if let Some(t) = &query.text {
            c.push(text_in_any(&[f::IDENTIFIER, f::DESCRIPTION], t));
        }
        if !query.include_inactive {
            c.push(f::INACTIVE_FLAG.eq(false));
        }
        let mut list = client.catalog().list().conditions(Condition::all(c));
        if let Some(l) = query.limit {
            list = list.limit(l);
        }
        Ok(list)
    };
    map_stream(build, mapping::product)
}

pub(super) async fn add_ticket_product(
    client: &Client,
    ticket: &Id,
    item: NewLineItem,
) -> Result<LineItem> {
    // the ticket is named in the body, not in the path
    let t = int_id(ticket, "ticket id")?;
    let body = mapping::new_line_item(t, &item)?;
    mapping::line_item(&client.products().create(&body).send().await?, t)
}

pub(super) fn list_agreements<'a>(
    client: &'a Client,
    query: &AgreementQuery,
) -> BoxStream<'a, Result<Agreement>> {
    let build = || {
        let mut c = Vec::new();
        if let Some(co) = &query.company {
            c.push(f::COMPANY_ID.eq(int_id(co, "company id")?));
        }
        if !query.include_inactive {
            c.push(f::AGREEMENT_STATUS.eq("Active"));
        }
        Ok(client.agreements().list().conditions(Condition::all(c)))
    };
    map_stream(build, mapping::agreement)
}

pub(super) fn list_slas(client: &Client) -> BoxStream<'_, Result<Sla>> {
    map_stream(|| Ok(client.slas().list()), mapping::sla)
}

pub(super) fn list_projects<'a>(
    client: &'a Client,
    query: &ProjectQuery,
) -> BoxStream<'a, Result<Project>> {
    let build = || {
        let mut c = Vec::new();
        if let Some(co) = &query.company {
            c.push(f::COMPANY_ID.eq(int_id(co, "company id")?));
        }
        if !query.include_closed {
            c.push(f::CLOSED_FLAG.eq(false));
        }
        let mut list = client.projects().list().conditions(Condition::all(c));
        if let Some(l) = query.limit {
            list = list.limit(l);
        }
        Ok(list)
    };
    map_stream(build, mapping::project)
}

pub(super) fn search_kb_articles<'a>(
    client: &'a Client,
    query: &KbQuery,
) -> BoxStream<'a, Result<KbArticle>> {
    let build = || {
        query.validate()?;
        let mut list = client.kb_articles().list();
        if let Some(t) = &query.text {
            list = list.conditions(text_in_any(&[f::TITLE, f::ISSUE, f::RESOLUTION], t));
        }
        if let Some(l) = query.limit {
            list = list.limit(l);
        }
        Ok(list)
    };
    map_stream(build, mapping::kb_article)
}

pub(super) async fn get_kb_article(client: &Client, id: &Id) -> Result<KbArticle> {
    let id = int(id, "knowledge-base article")?;
    mapping::kb_article(&client.kb_articles().get(id).send().await?)
}
