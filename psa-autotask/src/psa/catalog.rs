//! Products and ticket line items (ticket charges), and the read-only
//! records: agreements (contracts), SLAs, projects, knowledge-base articles.

use chrono::Utc;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use psa_core::{
    Agreement, AgreementQuery, Error, Id, KbArticle, KbQuery, LineItem, NewLineItem, Product,
    ProductQuery, Project, ProjectQuery, Result, Sla,
};
use serde_json::{Map, Value, json};

use super::notes::default_or_first;
use super::{company_value, listing, record_id, text_arg, ts};
use crate::client::Client;
use crate::mapping::{self, put};
use crate::picklist::{CONTRACT_STATUS_ACTIVE, STATUS_COMPLETE};
use crate::query::{Filter, Query};

fn product_filters(query: &ProductQuery) -> Result<Query> {
    let mut q = Query::new();
    if let Some(text) = &query.text {
        let text = text_arg("product search text", text)?;
        q = q.filter(Filter::or([
            Filter::contains("name", text.clone()),
            Filter::contains("sku", text.clone()),
            Filter::contains("manufacturerProductName", text),
        ]));
    }
    if !query.include_inactive {
        q = q.filter(Filter::eq("isActive", true));
    }
    if q.filter_list().is_empty() {
        q = Query::all();
    }
    q.validate()?;
    Ok(q)
}

pub(super) fn search_products(
    client: &Client,
    query: &ProductQuery,
) -> BoxStream<'static, Result<Product>> {
    listing(
        product_filters(query).map(|q| client.products().list(q)),
        query.limit,
        mapping::product,
    )
}

pub(super) async fn add_ticket_product(
    client: &Client,
    ticket: &Id,
    item: NewLineItem,
) -> Result<LineItem> {
    item.validate()?;
    let ticket = record_id(ticket, "ticket id")?;
    let charges = client.tickets().charges(ticket);
    // The handle checks the ticket id before the product is read.
    let _ = charges.path()?;
    let product_id = record_id(&item.product, "product id")?;
    let product = client.products().get(product_id).send().await?;
    let pl = client.picklists("TicketCharges").await?;
    let mut body = Map::new();
    body.insert("ticketID".into(), json!(ticket));
    body.insert("productID".into(), json!(product_id));
    body.insert(
        "name".into(),
        json!(
            product
                .name
                .clone()
                .unwrap_or_else(|| format!("Product {product_id}"))
        ),
    );
    body.insert("unitQuantity".into(), json!(item.quantity));
    put(&mut body, "unitPrice", item.price.or(product.unit_price));
    put(&mut body, "unitCost", product.unit_cost);
    put(&mut body, "description", item.description.as_ref());
    body.insert(
        "isBillableToCompany".into(),
        json!(item.billable.unwrap_or(true)),
    );
    body.insert(
        "chargeType".into(),
        json!(
            default_or_first(&pl, "chargeType").ok_or_else(|| Error::invalid_input(
                "the TicketCharges chargeType picklist is empty"
            ))?
        ),
    );
    body.insert(
        "status".into(),
        json!(
            default_or_first(&pl, "status").ok_or_else(|| Error::invalid_input(
                "the TicketCharges status picklist is empty"
            ))?
        ),
    );
    body.insert("datePurchased".into(), ts(Utc::now()));
    let id = charges.create_fields(body).send().await?;
    let (c, raw) = client.ticket_charges().get(id).send_record().await?;
    Ok(mapping::line_item(&c, raw))
}

pub(super) fn list_agreements(
    client: &Client,
    query: AgreementQuery,
) -> BoxStream<'_, Result<Agreement>> {
    stream::once(async move {
        let pl = client.picklists("Contracts").await?;
        let mut q = Query::new();
        if let Some(c) = query.company.as_ref().map(company_value).transpose()? {
            q = q.filter(Filter::eq("companyID", c));
        }
        if !query.include_inactive {
            q = q.filter(Filter::eq("status", CONTRACT_STATUS_ACTIVE));
        }
        if q.filter_list().is_empty() {
            q = Query::all();
        }
        Ok::<_, Error>(listing(
            Ok(client.contracts().list(q)),
            None,
            move |c, raw| mapping::agreement(c, raw, &pl),
        ))
    })
    .try_flatten()
    .boxed()
}

pub(super) fn list_slas(client: &Client) -> BoxStream<'_, Result<Sla>> {
    stream::once(async move {
        let pl = client.picklists("Tickets").await?;
        let slas: Vec<Result<Sla>> = pl
            .values("serviceLevelAgreementID")
            .iter()
            .filter_map(|p| {
                let id: i64 = p.value.trim().parse().ok()?;
                let mut sla = Sla::new(Id::int(id), p.label.clone());
                sla.raw = serde_json::to_value(p).unwrap_or(Value::Null).into();
                Some(Ok(sla))
            })
            .collect();
        Ok::<_, Error>(stream::iter(slas))
    })
    .try_flatten()
    .boxed()
}

pub(super) fn list_projects(
    client: &Client,
    query: ProjectQuery,
) -> BoxStream<'_, Result<Project>> {
    stream::once(async move {
        let pl = client.picklists("Projects").await?;
        // Autotask's system project status Complete is 5; labels are not read.
        let complete = vec![STATUS_COMPLETE];
        let mut q = Query::new();
        if let Some(c) = query.company.as_ref().map(company_value).transpose()? {
            q = q.filter(Filter::eq("companyID", c));
        }
        if !query.include_closed {
            q = q.filter(Filter::not_in("status", complete.clone()));
        }
        if q.filter_list().is_empty() {
            q = Query::all();
        }
        Ok::<_, Error>(listing(
            Ok(client.projects().list(q)),
            query.limit,
            move |p, raw| mapping::project(p, raw, &pl, &complete),
        ))
    })
    .try_flatten()
    .boxed()
}

fn kb_filters(query: &KbQuery) -> Result<Query> {
    let mut q = Query::new().filter(Filter::eq("isActive", true));
    if let Some(text) = &query.text {
        let text = text_arg("knowledge-base search text", text)?;
        q = q.filter(Filter::or([
            Filter::contains("title", text.clone()),
            Filter::contains("keywords", text.clone()),
            Filter::contains("errorCodes", text),
        ]));
    }
    q.validate()?;
    Ok(q)
}

pub(super) fn search_kb_articles(
    client: &Client,
    query: &KbQuery,
) -> BoxStream<'static, Result<KbArticle>> {
    listing(
        kb_filters(query).map(|q| client.kb_articles().list(q)),
        query.limit,
        |a, raw| mapping::kb_article(a, raw, None),
    )
}

pub(super) async fn get_kb_article(client: &Client, id: &Id) -> Result<KbArticle> {
    let id = record_id(id, "article id")?;
    let (a, raw) = client.kb_articles().get(id).send_record().await?;
    let content = client
        .kb_articles()
        .plain_text(id)
        .list()
        .send()
        .await?
        .into_iter()
        .find_map(|r| r.content_data);
    Ok(mapping::kb_article(&a, raw, content))
}
