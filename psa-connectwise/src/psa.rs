//! `impl psa_core::Psa for Client`: the uniform operations mapped onto
//! ConnectWise's endpoints.

use futures::stream::{BoxStream, StreamExt, TryStreamExt};
use psa_core::psa::error_stream;
use psa_core::{
    Agent, Agreement, AgreementQuery, AuditEntry, Capabilities, Company, CompanyQuery,
    Configuration, ConfigurationPatch, ConfigurationQuery, Contact, ContactPatch, ContactQuery,
    Error, ErrorKind, Id, KbArticle, KbQuery, LineItem, LookupItem, LookupScope, NewConfiguration,
    NewContact, NewLineItem, NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Note,
    PermissionGroup, Product, ProductQuery, Project, ProjectQuery, Psa, RawRequest, RawResponse,
    Result, ScheduleEntry, ScheduleEntryPatch, ScheduleQuery, Sla, Ticket, TicketEvent,
    TicketPatch, TicketQuery, TicketState, TimeEntry, TimeEntryPatch, TimeEntryQuery, Vendor,
    WebhookDelivery, WebhookSubscription,
};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

use crate::client::Client;
use crate::mapping::{self, int_id};
use crate::models::{self, TicketBundle, TicketMerge};
use crate::query::{Condition, fields as f};
use crate::request::Request;
use crate::resources::ListRequest;

fn map_stream<'a, T, U>(
    list: ListRequest<T>,
    map: impl Fn(&T) -> Result<U> + Send + 'a,
) -> BoxStream<'a, Result<U>>
where
    T: DeserializeOwned + Send + 'static,
    U: Send + 'a,
{
    list.stream().map(move |r| r.and_then(|t| map(&t))).boxed()
}

fn ids(list: &[Id], what: &str) -> Result<Vec<i64>> {
    list.iter().map(|i| int_id(i, what)).collect()
}

fn text_field_any(fields: &[crate::query::Field], text: &str) -> Condition {
    Condition::any(fields.iter().map(|fl| fl.contains(text)))
}

/// The last 9 digits of a phone number (national numbers without trunk
/// prefixes or country codes).
fn phone_tail(digits: &str) -> &str {
    let n = digits.len();
    if n > 9 { &digits[n - 9..] } else { digits }
}

impl Client {
    async fn ticket_record(&self, id: i64) -> Result<models::Ticket> {
        self.tickets().get(id).send().await
    }

    fn ticket_list(&self, q: &TicketQuery) -> Result<ListRequest<models::Ticket>> {
        let mut c = Vec::new();
        match q.state {
            TicketState::Open => c.push(f::CLOSED_FLAG.eq(false)),
            TicketState::Closed => c.push(f::CLOSED_FLAG.eq(true)),
            TicketState::Any => {}
        }
        if !q.statuses.is_empty() {
            c.push(f::STATUS_ID.is_in(ids(&q.statuses, "status id")?));
        }
        if !q.priorities.is_empty() {
            c.push(f::PRIORITY_ID.is_in(ids(&q.priorities, "priority id")?));
        }
        for (value, field, what) in [
            (&q.company, f::COMPANY_ID, "company id"),
            (&q.contact, f::CONTACT_ID, "contact id"),
            (&q.owner, f::OWNER_ID, "owner id"),
            (&q.queue, f::BOARD_ID, "board id"),
            (&q.ticket_type, f::TYPE_ID, "type id"),
        ] {
            if let Some(v) = value {
                c.push(field.eq(int_id(v, what)?));
            }
        }
        if let Some(t) = q.created_since {
            c.push(f::DATE_ENTERED.ge(t));
        }
        if let Some(t) = q.updated_since {
            c.push(f::LAST_UPDATED.ge(t));
        }
        if let Some(t) = &q.text {
            c.push(f::SUMMARY.contains(t.clone()));
        }
        let mut list = self.tickets().list().forward_only();
        if !c.is_empty() {
            list = list.conditions(Condition::all(c));
        }
        if let Some(l) = q.limit {
            list = list.limit(l);
        }
        // validate now (an unsafe text is rejected before any request)
        list.request(list.first_page())?;
        Ok(list)
    }

    /// The first closed status of a board (lowest sort order).
    async fn closed_status(&self, board: i64) -> Result<i64> {
        let statuses: Vec<models::BoardStatus> = self
            .boards()
            .statuses(board)
            .list()
            .stream()
            .try_collect()
            .await?;
        statuses
            .iter()
            .filter(|s| s.closed_status == Some(true) && s.inactive != Some(true))
            .min_by_key(|s| s.sort_order.unwrap_or(i64::MAX))
            .and_then(|s| s.id)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Api,
                    format!("board {board} has no closed status to set on merged tickets"),
                )
                .with_vendor(Vendor::ConnectWise)
            })
    }
}

#[async_trait::async_trait]
impl Psa for Client {
    fn vendor(&self) -> Vendor {
        Vendor::ConnectWise
    }

    fn capabilities(&self) -> Capabilities {
        crate::caps::capabilities()
    }

    // ---- tickets ------------------------------------------------------------

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        let id = int_id(id, "ticket id")?;
        // The record's text as sent: the uniform ticket decodes only the
        // fields it maps and keeps the body as `raw`, parsed when read.
        let req = self.tickets().get(id).request()?;
        mapping::ticket_record(self.send(req).await?.body)
    }

    fn list_tickets(&self, query: TicketQuery) -> BoxStream<'_, Result<Ticket>> {
        match self.ticket_list(&query) {
            Ok(list) => list
                .decode_as::<Box<serde_json::value::RawValue>>()
                .stream()
                .map(|r| r.and_then(mapping::ticket_raw_value))
                .boxed(),
            Err(e) => error_stream(e),
        }
    }

    async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        let body = mapping::new_ticket(&ticket, self.default_board())?;
        let created = self.tickets().create(&body).send().await?;
        if ticket.custom_fields.is_empty() {
            return mapping::ticket(&created);
        }
        let id = created_id(created.id, "ticket")?;
        let mut patch = TicketPatch::new();
        patch.custom_fields = ticket.custom_fields.clone();
        let set = async {
            let ops = mapping::ticket_patch(&patch, Some(&created))?;
            self.tickets().patch(id, &ops).send().await
        };
        match set.await {
            Ok(t) => mapping::ticket(&t),
            Err(e) => Err(custom_fields_not_set("ticket", id, e)),
        }
    }

    async fn update_ticket(&self, id: &Id, patch: TicketPatch) -> Result<Ticket> {
        let id = int_id(id, "ticket id")?;
        patch.validate()?;
        let current = if patch.custom_fields.is_empty() {
            None
        } else {
            Some(self.ticket_record(id).await?)
        };
        let ops = mapping::ticket_patch(&patch, current.as_ref())?;
        mapping::ticket(&self.tickets().patch(id, &ops).send().await?)
    }

    async fn merge_tickets(&self, into: &Id, from: &[Id]) -> Result<()> {
        let parent = int_id(into, "ticket id")?;
        let children = ids(from, "ticket id")?;
        if children.is_empty() {
            return Err(Error::invalid_input(
                "merge needs at least one ticket to merge",
            ));
        }
        if children.contains(&parent) {
            return Err(Error::invalid_input(
                "a ticket cannot be merged into itself",
            ));
        }
        let mut by_board: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for c in &children {
            if by_board.values().any(|v| v.contains(c)) {
                continue;
            }
            let t = self.ticket_record(*c).await?;
            let board = t.board.as_ref().and_then(|b| b.id).ok_or_else(|| {
                Error::new(ErrorKind::Decode, format!("ticket #{c} has no board"))
                    .with_vendor(Vendor::ConnectWise)
            })?;
            by_board.entry(board).or_default().push(*c);
        }
        for (board, group) in by_board {
            let status = self.closed_status(board).await?;
            self.tickets()
                .merge(parent, &TicketMerge::new(group, status))
                .send()
                .await?;
        }
        Ok(())
    }

    async fn bundle_tickets(&self, parent: &Id, children: &[Id]) -> Result<()> {
        let parent = int_id(parent, "ticket id")?;
        let mut kids = ids(children, "ticket id")?;
        kids.dedup();
        if kids.is_empty() {
            return Err(Error::invalid_input(
                "bundle needs at least one child ticket",
            ));
        }
        if kids.contains(&parent) {
            return Err(Error::invalid_input(
                "a ticket cannot be bundled under itself",
            ));
        }
        self.tickets()
            .attach_children(parent, &TicketBundle::new(kids))
            .send()
            .await
            .map(|_| ())
    }

    async fn delete_ticket(&self, id: &Id) -> Result<()> {
        let id = int_id(id, "ticket id")?;
        self.tickets().delete(id).send().await
    }

    fn list_audit_trail(&self, ticket: &Id) -> BoxStream<'_, Result<AuditEntry>> {
        match int_id(ticket, "ticket id") {
            Ok(t) => map_stream(self.ticket_audit_trail(t), move |a| {
                Ok(mapping::audit_entry(a, t))
            }),
            Err(e) => error_stream(e),
        }
    }

    // ---- notes ----------------------------------------------------------------

    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        match int_id(ticket, "ticket id") {
            Ok(t) => map_stream(
                self.tickets().notes(t).list().order_by(f::ID.asc()),
                move |n| mapping::note(n, t),
            ),
            Err(e) => error_stream(e),
        }
    }

    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        let t = int_id(ticket, "ticket id")?;
        let body = mapping::new_note(&note, t)?;
        let created = self.tickets().notes(t).create(&body).send().await?;
        mapping::note(&created, t)
    }

    // ---- time -----------------------------------------------------------------

    fn list_time_entries(&self, query: TimeEntryQuery) -> BoxStream<'_, Result<TimeEntry>> {
        let build = || -> Result<ListRequest<models::TimeEntry>> {
            query.validate()?;
            let mut c = Vec::new();
            if let Some(t) = &query.ticket {
                c.push(Condition::any([
                    f::CHARGE_TO_TYPE.eq("ServiceTicket"),
                    f::CHARGE_TO_TYPE.eq("ProjectTicket"),
                ]));
                c.push(f::CHARGE_TO_ID.eq(int_id(t, "ticket id")?));
            }
            if let Some(a) = &query.agent {
                c.push(f::MEMBER_ID.eq(int_id(a, "agent id")?));
            }
            if let Some(from) = query.from {
                c.push(f::TIME_START.ge(from));
            }
            if let Some(to) = query.to {
                c.push(f::TIME_START.lt(to));
            }
            let list = self
                .time_entries()
                .list()
                .forward_only()
                .conditions(Condition::all(c));
            list.request(list.first_page())?;
            Ok(list)
        };
        match build() {
            Ok(list) => map_stream(list, mapping::time_entry),
            Err(e) => error_stream(e),
        }
    }

    async fn create_time_entry(&self, entry: NewTimeEntry) -> Result<TimeEntry> {
        let body = mapping::new_time_entry(&entry, self.time_member())?;
        mapping::time_entry(&self.time_entries().create(&body).send().await?)
    }

    async fn update_time_entry(&self, id: &Id, patch: TimeEntryPatch) -> Result<TimeEntry> {
        let id = int_id(id, "time entry id")?;
        patch.validate()?;
        let start = if patch.span.is_some() && patch.start.is_none() {
            self.time_entries().get(id).send().await?.time_start
        } else {
            None
        };
        let ops = mapping::time_entry_patch(&patch, start)?;
        mapping::time_entry(&self.time_entries().patch(id, &ops).send().await?)
    }

    async fn delete_time_entry(&self, id: &Id) -> Result<()> {
        let id = int_id(id, "time entry id")?;
        self.time_entries().delete(id).send().await
    }

    // ---- companies and contacts ---------------------------------------------

    async fn get_company(&self, id: &Id) -> Result<Company> {
        let id = int_id(id, "company id")?;
        mapping::company(&self.companies().get(id).send().await?)
    }

    fn search_companies(&self, query: CompanyQuery) -> BoxStream<'_, Result<Company>> {
        let build = || -> Result<ListRequest<models::Company>> {
            let mut c = Vec::new();
            if let Some(n) = &query.name {
                c.push(Condition::any([
                    f::NAME.contains(n.clone()),
                    f::IDENTIFIER.contains(n.clone()),
                ]));
            }
            if !query.include_inactive {
                c.push(f::DELETED_FLAG.eq(false));
            }
            let mut list = self
                .companies()
                .list()
                .forward_only()
                .conditions(Condition::all(c));
            if let Some(l) = query.limit {
                list = list.limit(l);
            }
            list.request(list.first_page())?;
            Ok(list)
        };
        match build() {
            Ok(list) => {
                let include_inactive = query.include_inactive;
                list.stream()
                    .map(|r| r.and_then(|c| mapping::company(&c)))
                    .try_filter(move |c| {
                        futures::future::ready(include_inactive || c.active != Some(false))
                    })
                    .boxed()
            }
            Err(e) => error_stream(e),
        }
    }

    async fn get_contact(&self, id: &Id) -> Result<Contact> {
        let id = int_id(id, "contact id")?;
        mapping::contact(&self.contacts().get(id).send().await?)
    }

    fn search_contacts(&self, query: ContactQuery) -> BoxStream<'_, Result<Contact>> {
        let build = || -> Result<ListRequest<models::Contact>> {
            query.validate()?;
            let mut c = Vec::new();
            if let Some(n) = &query.name {
                let n = n.trim();
                let mut any = vec![f::FIRST_NAME.contains(n), f::LAST_NAME.contains(n)];
                if let Some((first, last)) = n.split_once(char::is_whitespace) {
                    any.push(Condition::all([
                        f::FIRST_NAME.contains(first.trim()),
                        f::LAST_NAME.contains(last.trim()),
                    ]));
                }
                c.push(Condition::any(any));
            }
            if let Some(co) = &query.company {
                c.push(f::COMPANY_ID.eq(int_id(co, "company id")?));
            }
            let mut list = self
                .contacts()
                .list()
                .forward_only()
                .conditions(Condition::all(c));
            if let Some(e) = &query.email {
                list = list.child_conditions(Condition::all([
                    f::COMMUNICATION_VALUE.eq(e.trim()),
                    f::COMMUNICATION_TYPE.eq("Email"),
                ]));
            } else if let Some(digits) = query.phone_digits() {
                list = list.child_conditions(Condition::all([
                    f::COMMUNICATION_VALUE.like(format!("%{}%", phone_tail(&digits))),
                    f::COMMUNICATION_TYPE.eq("Phone"),
                ]));
            }
            if let Some(l) = query.limit {
                // with both email and phone, the phone is checked here: fetch
                // without a limit and stop after `l` matches below
                if query.email.is_none() || query.phone.is_none() {
                    list = list.limit(l);
                }
            }
            list.request(list.first_page())?;
            Ok(list)
        };
        match build() {
            Ok(list) => {
                let phone = query
                    .email
                    .as_ref()
                    .and(query.phone_digits())
                    .map(|d| phone_tail(&d).to_owned());
                let limit = query
                    .limit
                    .map(|l| usize::try_from(l).unwrap_or(usize::MAX));
                let s = list
                    .stream()
                    .try_filter(move |c| {
                        let keep = phone.as_ref().is_none_or(|tail| {
                            c.communication_items.iter().flatten().any(|i| {
                                i.value.as_deref().is_some_and(|v| {
                                    v.chars()
                                        .filter(char::is_ascii_digit)
                                        .collect::<String>()
                                        .contains(tail.as_str())
                                })
                            })
                        });
                        futures::future::ready(keep)
                    })
                    .map(|r| r.and_then(|c| mapping::contact(&c)));
                match limit {
                    Some(l) => s.take(l).boxed(),
                    None => s.boxed(),
                }
            }
            Err(e) => error_stream(e),
        }
    }

    async fn create_contact(&self, contact: NewContact) -> Result<Contact> {
        let body = mapping::new_contact(&contact)?;
        mapping::contact(&self.contacts().create(&body).send().await?)
    }

    async fn update_contact(&self, id: &Id, patch: ContactPatch) -> Result<Contact> {
        let id = int_id(id, "contact id")?;
        patch.validate()?;
        let current = if patch.email.is_some() || patch.phone.is_some() {
            Some(self.contacts().get(id).send().await?)
        } else {
            None
        };
        let ops = mapping::contact_patch(&patch, current.as_ref())?;
        mapping::contact(&self.contacts().patch(id, &ops).send().await?)
    }

    // ---- configurations -------------------------------------------------------

    async fn get_configuration(&self, id: &Id) -> Result<Configuration> {
        let id = int_id(id, "configuration id")?;
        mapping::configuration(&self.configurations().get(id).send().await?)
    }

    fn list_configurations(
        &self,
        query: ConfigurationQuery,
    ) -> BoxStream<'_, Result<Configuration>> {
        let build = || -> Result<ListRequest<models::Configuration>> {
            let mut c = Vec::new();
            if let Some(co) = &query.company {
                c.push(f::COMPANY_ID.eq(int_id(co, "company id")?));
            }
            if let Some(n) = &query.name {
                c.push(f::NAME.contains(n.clone()));
            }
            if !query.include_inactive {
                c.push(f::ACTIVE_FLAG.eq(true));
            }
            let mut list = self
                .configurations()
                .list()
                .forward_only()
                .conditions(Condition::all(c));
            if let Some(l) = query.limit {
                list = list.limit(l);
            }
            list.request(list.first_page())?;
            Ok(list)
        };
        match build() {
            Ok(list) => map_stream(list, mapping::configuration),
            Err(e) => error_stream(e),
        }
    }

    async fn create_configuration(&self, config: NewConfiguration) -> Result<Configuration> {
        let body = mapping::new_configuration(&config)?;
        let created = self.configurations().create(&body).send().await?;
        if config.custom_fields.is_empty() {
            return mapping::configuration(&created);
        }
        let id = created_id(created.id, "configuration")?;
        let mut patch = ConfigurationPatch::new();
        patch.custom_fields = config.custom_fields.clone();
        let set = async {
            let ops = mapping::configuration_patch(&patch, Some(&created))?;
            self.configurations().patch(id, &ops).send().await
        };
        match set.await {
            Ok(c) => mapping::configuration(&c),
            Err(e) => Err(custom_fields_not_set("configuration", id, e)),
        }
    }

    async fn update_configuration(
        &self,
        id: &Id,
        patch: ConfigurationPatch,
    ) -> Result<Configuration> {
        let id = int_id(id, "configuration id")?;
        patch.validate()?;
        let current = if patch.custom_fields.is_empty() {
            None
        } else {
            Some(self.configurations().get(id).send().await?)
        };
        let ops = mapping::configuration_patch(&patch, current.as_ref())?;
        mapping::configuration(&self.configurations().patch(id, &ops).send().await?)
    }

    // ---- schedule ---------------------------------------------------------------

    fn list_schedule_entries(&self, query: ScheduleQuery) -> BoxStream<'_, Result<ScheduleEntry>> {
        let build = || -> Result<ListRequest<models::ScheduleEntry>> {
            query.validate()?;
            let mut c = vec![f::DATE_START.ge(query.from), f::DATE_START.lt(query.to)];
            if let Some(a) = &query.agent {
                c.push(f::MEMBER_ID.eq(int_id(a, "agent id")?));
            }
            let list = self
                .schedule_entries()
                .list()
                .order_by(f::DATE_START.asc())
                .conditions(Condition::all(c));
            list.request(list.first_page())?;
            Ok(list)
        };
        match build() {
            Ok(list) => map_stream(list, mapping::schedule_entry),
            Err(e) => error_stream(e),
        }
    }

    async fn create_schedule_entry(&self, entry: NewScheduleEntry) -> Result<ScheduleEntry> {
        let body = mapping::new_schedule_entry(&entry)?;
        mapping::schedule_entry(&self.schedule_entries().create(&body).send().await?)
    }

    async fn update_schedule_entry(
        &self,
        id: &Id,
        patch: ScheduleEntryPatch,
    ) -> Result<ScheduleEntry> {
        let id = int_id(id, "schedule entry id")?;
        let ops = mapping::schedule_entry_patch(&patch)?;
        mapping::schedule_entry(&self.schedule_entries().patch(id, &ops).send().await?)
    }

    async fn delete_schedule_entry(&self, id: &Id) -> Result<()> {
        let id = int_id(id, "schedule entry id")?;
        self.schedule_entries().delete(id).send().await
    }

    // ---- products ---------------------------------------------------------------

    fn search_products(&self, query: ProductQuery) -> BoxStream<'_, Result<Product>> {
        let build = || -> Result<ListRequest<models::CatalogItem>> {
            let mut c = Vec::new();
            if let Some(t) = &query.text {
                c.push(text_field_any(&[f::IDENTIFIER, f::DESCRIPTION], t));
            }
            if !query.include_inactive {
                c.push(f::INACTIVE_FLAG.eq(false));
            }
            let mut list = self.catalog().list().conditions(Condition::all(c));
            if let Some(l) = query.limit {
                list = list.limit(l);
            }
            list.request(list.first_page())?;
            Ok(list)
        };
        match build() {
            Ok(list) => map_stream(list, mapping::product),
            Err(e) => error_stream(e),
        }
    }

    async fn add_ticket_product(&self, ticket: &Id, item: NewLineItem) -> Result<LineItem> {
        let t = int_id(ticket, "ticket id")?;
        let body = mapping::new_line_item(t, &item)?;
        mapping::line_item(&self.products().create(&body).send().await?, t)
    }

    // ---- read-only records ------------------------------------------------------

    fn list_agreements(&self, query: AgreementQuery) -> BoxStream<'_, Result<Agreement>> {
        let build = || -> Result<ListRequest<models::Agreement>> {
            let mut c = Vec::new();
            if let Some(co) = &query.company {
                c.push(f::COMPANY_ID.eq(int_id(co, "company id")?));
            }
            if !query.include_inactive {
                c.push(f::AGREEMENT_STATUS.eq("Active"));
            }
            let list = self.agreements().list().conditions(Condition::all(c));
            list.request(list.first_page())?;
            Ok(list)
        };
        match build() {
            Ok(list) => map_stream(list, mapping::agreement),
            Err(e) => error_stream(e),
        }
    }

    fn list_slas(&self) -> BoxStream<'_, Result<Sla>> {
        map_stream(self.slas().list(), mapping::sla)
    }

    fn list_projects(&self, query: ProjectQuery) -> BoxStream<'_, Result<Project>> {
        let build = || -> Result<ListRequest<models::Project>> {
            let mut c = Vec::new();
            if let Some(co) = &query.company {
                c.push(f::COMPANY_ID.eq(int_id(co, "company id")?));
            }
            if !query.include_closed {
                c.push(f::CLOSED_FLAG.eq(false));
            }
            let mut list = self.projects().list().conditions(Condition::all(c));
            if let Some(l) = query.limit {
                list = list.limit(l);
            }
            list.request(list.first_page())?;
            Ok(list)
        };
        match build() {
            Ok(list) => map_stream(list, mapping::project),
            Err(e) => error_stream(e),
        }
    }

    fn search_kb_articles(&self, query: KbQuery) -> BoxStream<'_, Result<KbArticle>> {
        let build = || -> Result<ListRequest<models::KnowledgeBaseArticle>> {
            let mut list = self.kb_articles().list();
            if let Some(t) = &query.text {
                list = list.conditions(text_field_any(&[f::TITLE, f::ISSUE, f::RESOLUTION], t));
            }
            if let Some(l) = query.limit {
                list = list.limit(l);
            }
            list.request(list.first_page())?;
            Ok(list)
        };
        match build() {
            Ok(list) => map_stream(list, mapping::kb_article),
            Err(e) => error_stream(e),
        }
    }

    async fn get_kb_article(&self, id: &Id) -> Result<KbArticle> {
        let id = int_id(id, "knowledge-base article id")?;
        mapping::kb_article(&self.kb_articles().get(id).send().await?)
    }

    // ---- look-ups -----------------------------------------------------------------

    async fn list_statuses(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        let mut out = Vec::new();
        for board in self.scoped_boards(&scope).await? {
            let items: Vec<models::BoardStatus> = self
                .boards()
                .statuses(board)
                .list()
                .stream()
                .try_collect()
                .await?;
            for s in &items {
                out.push(mapping::board_status(s, board)?);
            }
        }
        Ok(out)
    }

    async fn list_priorities(&self) -> Result<Vec<LookupItem>> {
        let items: Vec<models::Priority> = self.priorities().list().stream().try_collect().await?;
        items.iter().map(mapping::priority).collect()
    }

    async fn list_queues(&self) -> Result<Vec<LookupItem>> {
        let items: Vec<models::Board> = self
            .boards()
            .list()
            .conditions(f::PROJECT_FLAG.eq(false))
            .stream()
            .try_collect()
            .await?;
        items.iter().map(mapping::board).collect()
    }

    async fn list_ticket_types(&self, scope: LookupScope) -> Result<Vec<LookupItem>> {
        let mut out = Vec::new();
        for board in self.scoped_boards(&scope).await? {
            let items: Vec<models::BoardType> = self
                .boards()
                .types(board)
                .list()
                .stream()
                .try_collect()
                .await?;
            for t in &items {
                out.push(mapping::board_type(t, board)?);
            }
        }
        Ok(out)
    }

    async fn list_agents(&self) -> Result<Vec<Agent>> {
        let items: Vec<models::Member> = self.members().list().stream().try_collect().await?;
        items.iter().map(mapping::member).collect()
    }

    async fn list_work_types(&self) -> Result<Vec<LookupItem>> {
        let items: Vec<models::WorkType> = self.work_types().list().stream().try_collect().await?;
        items.iter().map(mapping::work_type).collect()
    }

    // ---- webhooks -------------------------------------------------------------------

    async fn subscribe_webhook(&self, hook: NewWebhook) -> Result<WebhookSubscription> {
        let body = mapping::new_callback(&hook)?;
        mapping::callback(&self.callbacks().create(&body).send().await?)
    }

    async fn list_webhooks(&self) -> Result<Vec<WebhookSubscription>> {
        let items: Vec<models::CallbackEntry> =
            self.callbacks().list().stream().try_collect().await?;
        items.iter().map(mapping::callback).collect()
    }

    async fn delete_webhook(&self, id: &Id) -> Result<()> {
        let id = int_id(id, "callback id")?;
        self.callbacks().delete(id).send().await
    }

    async fn parse_webhook(&self, delivery: &WebhookDelivery) -> Result<Vec<TicketEvent>> {
        let payload = self
            .verifier()
            .verify(delivery, |url| self.fetch_signing_key(url))
            .await?;
        let raw: serde_json::Value = delivery.json(Vendor::ConnectWise)?;
        crate::webhook::events(&payload, raw)
    }

    // ---- anything else ------------------------------------------------------------------

    fn raw_group(&self, request: &RawRequest) -> Option<PermissionGroup> {
        crate::caps::raw_group(request.normalized_path())
    }

    async fn raw(&self, request: RawRequest) -> Result<RawResponse> {
        request.validate()?;
        let mut req = Request::new(request.method.clone(), request.normalized_path());
        for (k, v) in &request.query {
            req = req.query(k.clone(), v.clone());
        }
        if let Some(b) = &request.body {
            req = req.json(b.clone());
        }
        let resp = self.send(req).await?;
        let mut headers = http::HeaderMap::new();
        for (k, v) in &resp.headers {
            if !v.is_sensitive() && !psa_core::error::is_sensitive_header(k.as_str()) {
                headers.append(k.clone(), v.clone());
            }
        }
        Ok(RawResponse::new(resp.status, headers, resp.body))
    }
}

impl Client {
    async fn scoped_boards(&self, scope: &LookupScope) -> Result<Vec<i64>> {
        match &scope.queue {
            Some(q) => Ok(vec![int_id(q, "board id")?]),
            None => Ok(self
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
}

/// The id of a record ConnectWise just created; `Decode` when it sent none.
fn created_id(id: Option<i64>, what: &str) -> Result<i64> {
    id.ok_or_else(|| {
        Error::new(
            ErrorKind::Decode,
            format!("ConnectWise created a {what} without an id"),
        )
        .with_vendor(Vendor::ConnectWise)
    })
}

/// A create whose follow-up PATCH of custom fields failed: the record
/// exists (its id is named, so a caller can retry the PATCH alone, not the
/// create), and the PATCH's error is the source.
fn custom_fields_not_set(what: &str, id: i64, e: Error) -> Error {
    Error::new(
        e.kind(),
        format!("{what} #{id} was created, but its custom fields were not set"),
    )
    .with_vendor(Vendor::ConnectWise)
    .with_source(e)
}
