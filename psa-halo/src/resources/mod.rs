//! One handle per Halo resource: `client.tickets().list()…send()`.
//!
//! Every method returns an operation struct ([`List`], [`Get`], [`Create`],
//! [`Update`], [`Delete`], [`RawOp`]) that is `#[must_use]`, builds its
//! [`ApiRequest`](psa_core::http::ApiRequest) without IO (`request()`),
//! takes per-call options ([`Customize`](psa_core::http::Customize)), and
//! runs with `send()` (or `stream()` for every page). Ids are checked here,
//! once: a record id that is not positive (or a webhook id that is not a
//! GUID) is an `InvalidInput` error naming it ("halo ticket id"), before any
//! request.

mod ops;

pub use crate::query::MAX_SEARCH_LEN;
pub use ops::{Create, Delete, Get, List, MAX_PAGE_SIZE, RawOp, Update};

use chrono::{DateTime, Utc};
use http::Method;
use psa_core::Result;
use psa_core::id::positive;

use crate::client::Client;
use crate::ids::{ActionKey, webhook_guid};
use crate::models::{
    Action, Agent, Appointment, Asset, Contract, Customer, Item, KbArticle, LookupEntry,
    Notification, Priority, Site, Sla, Status, Team, Ticket, TicketType, TimesheetEvent, User,
    Webhook,
};

/// `{path}/{id}` of a record whose id must be positive; `record` names it
/// in the error ("halo ticket id").
fn record_path(path: &str, record: &str, id: i64) -> Result<String> {
    positive(id, &format!("halo {record} id")).map(|id| format!("{path}/{id}"))
}

/// `GET {path}/{id}` of one `record` ("ticket").
fn get_one<'a, T: serde::de::DeserializeOwned>(
    client: &'a Client,
    path: &'static str,
    record: &'static str,
    id: i64,
) -> Get<'a, T> {
    Get::new(client, record, record_path(path, record, id))
}

/// `DELETE {path}/{id}` of one `record`.
fn delete_one<'a>(client: &'a Client, path: &'static str, record: &str, id: i64) -> Delete<'a> {
    Delete::new(client, record_path(path, record, id))
}

/// `Actions/{action}` of an action key, both numbers positive.
fn action_path(key: ActionKey) -> Result<String> {
    positive(key.ticket_id, "halo ticket id")?;
    positive(key.action_id, "halo action id").map(|a| format!("Actions/{a}"))
}

/// Declares handle structs and the [`Client`] methods that return them.
macro_rules! handles {
    ($($(#[$m:meta])* $method:ident => $name:ident;)*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            client: &'a Client,
        }

        impl Client {
            $(#[$m])*
            pub fn $method(&self) -> $name<'_> {
                $name { client: self }
            }
        }
    )*};
}

handles! {
    /// Tickets (`/Tickets`, Halo's `Faults`).
    tickets => Tickets;
    /// Projects (`/Projects`): tickets of a project ticket type.
    projects => Projects;
    /// Actions (`/Actions`): notes, emails and time on tickets.
    actions => Actions;
    /// Customers (`/Client`, Halo's `Area`: what Halo calls clients).
    customers => Customers;
    /// Sites (`/Site`).
    sites => Sites;
    /// End users (`/Users`).
    users => Users;
    /// Agents (`/Agent`, Halo's `Uname`).
    agents => Agents;
    /// Assets (`/Asset`, Halo's `Device`).
    assets => Assets;
    /// Appointments (`/Appointment`).
    appointments => Appointments;
    /// Catalog items (`/Item`).
    items => Items;
    /// Client contracts (`/ClientContract`).
    contracts => Contracts;
    /// Service level agreements (`/SLA`).
    slas => Slas;
    /// Knowledge-base articles (`/KBArticle`, Halo's `KBEntry`).
    kb_articles => KbArticles;
    /// Ticket statuses (`/Status`).
    statuses => Statuses;
    /// Priorities (`/Priority`, Halo's `Policy`: one record per SLA and priority).
    priorities => Priorities;
    /// Teams (`/Team`).
    teams => Teams;
    /// Ticket types (`/TicketType`, Halo's `RequestType`).
    ticket_types => TicketTypes;
    /// Generic look-up tables (`/Lookup`).
    lookups => Lookups;
    /// Agents' timesheet entries (`/TimesheetEvent`).
    timesheet_events => TimesheetEvents;
    /// Outbound webhooks (`/Webhook`) and their events (`/Notification`).
    webhooks => Webhooks;
    /// Any endpoint of Halo's API (`client.raw().get("Invoice")…`), for what
    /// the typed handles do not cover. Paths are relative to the resource
    /// server; absolute URLs, `..` and query strings in the path are
    /// rejected. (The uniform, permission-gated raw request is
    /// [`Psa::raw`](psa_core::Psa::raw): call it as `Psa::raw(&client, req)`.)
    raw => Raw;
}

// ---- tickets -------------------------------------------------------------------------------

impl<'a> Tickets<'a> {
    /// Lists tickets (paginated, 100 a page).
    pub fn list(self) -> List<'a, Ticket> {
        List::new(self.client, "Tickets")
    }

    /// Reads one ticket.
    pub fn get(self, id: i64) -> Get<'a, Ticket> {
        get_one(self.client, "Tickets", "ticket", id)
    }

    /// Creates tickets (`POST /Tickets` with an array of records without
    /// `id`).
    pub fn create(self, tickets: impl IntoIterator<Item = Ticket>) -> Create<'a, Ticket> {
        Create::new(self.client, "Tickets", "ticket", tickets)
    }

    /// Updates tickets (`POST /Tickets` with an array of records with their
    /// `id` and the fields to change, [`Ticket::update`]): merges
    /// (`merged_into_id`, `domerge`) and child tickets (`parent_id`) too.
    pub fn update(self, tickets: impl IntoIterator<Item = Ticket>) -> Update<'a, Ticket> {
        Update::new(self.client, "Tickets", "ticket", tickets)
    }

    /// Deletes a ticket.
    pub fn delete(self, id: i64) -> Delete<'a> {
        delete_one(self.client, "Tickets", "ticket", id)
    }
}

impl Get<'_, Ticket> {
    /// Includes the extra objects (`includedetails=true`): items issued and
    /// other linked records.
    pub fn include_details(self) -> Self {
        self.push("includedetails", true)
    }

    /// Includes the audit records (`include_auditing=true`).
    pub fn include_auditing(self) -> Self {
        self.push("include_auditing", true)
    }
}

impl Delete<'_> {
    /// The reason recorded with a ticket deletion.
    pub fn reason(self, reason: &str) -> Self {
        self.push("reason", reason)
    }
}

impl List<'_, Ticket> {
    /// Open tickets only (`open_only=true`).
    pub fn open_only(self) -> Self {
        self.push("open_only", true)
    }
    /// Closed tickets only (`closed_only=true`).
    pub fn closed_only(self) -> Self {
        self.push("closed_only", true)
    }
    /// Any of these statuses (`status=1,2`).
    pub fn statuses(self, ids: &[i64]) -> Self {
        self.with(|p| p.ids("status", "halo status id", ids))
    }
    /// Any of these priorities (`priority=1,2`).
    pub fn priorities(self, ids: &[i64]) -> Self {
        self.with(|p| p.ids("priority", "halo priority id", ids))
    }
    /// Any of these teams (`team=1,2`).
    pub fn teams(self, ids: &[i64]) -> Self {
        self.with(|p| p.ids("team", "halo team id", ids))
    }
    /// This client's tickets.
    pub fn client_id(self, id: i64) -> Self {
        self.with(|p| p.id("client_id", "halo client id", id))
    }
    /// This end user's tickets.
    pub fn user_id(self, id: i64) -> Self {
        self.with(|p| p.id("user_id", "halo user id", id))
    }
    /// Tickets assigned to this agent.
    pub fn agent_id(self, id: i64) -> Self {
        self.with(|p| p.id("agent_id", "halo agent id", id))
    }
    /// Tickets of this ticket type (Halo's `requesttype_id`).
    pub fn ticket_type(self, id: i64) -> Self {
        self.with(|p| p.id("requesttype_id", "halo ticket type id", id))
    }
    /// Children of this ticket.
    pub fn parent_id(self, id: i64) -> Self {
        self.with(|p| p.id("parent_id", "halo ticket id (parent)", id))
    }
    /// Free-text search (`search=`); sent as one URL-encoded value.
    pub fn search(self, text: &str) -> Self {
        self.with(|p| p.search("search", "halo ticket search text", text))
    }
    /// Logged at or after `t` (`datesearch=dateoccured&startdate=`).
    pub fn created_since(self, t: DateTime<Utc>) -> Self {
        self.with(|p| {
            p.set("datesearch", "dateoccured");
            p.date("startdate", t);
        })
    }
    /// Updated at or after `t` (`lastupdatefromdate=`).
    pub fn updated_since(self, t: DateTime<Utc>) -> Self {
        self.with(|p| p.date("lastupdatefromdate", t))
    }
}

impl<'a> Projects<'a> {
    /// Lists projects.
    pub fn list(self) -> List<'a, Ticket> {
        List::new(self.client, "Projects")
    }
    /// Reads one project.
    pub fn get(self, id: i64) -> Get<'a, Ticket> {
        get_one(self.client, "Projects", "project", id)
    }
}

// ---- actions -------------------------------------------------------------------------------

impl<'a> Actions<'a> {
    /// Lists a ticket's actions (Halo returns them in one response).
    pub fn list(self, ticket_id: i64) -> List<'a, Action> {
        List::unpaged(self.client, "Actions")
            .with(|p| p.id("ticket_id", "halo ticket id", ticket_id))
    }

    /// Reads one action.
    pub fn get(self, key: ActionKey) -> Get<'a, Action> {
        Get::new(self.client, "action", action_path(key)).push("ticket_id", key.ticket_id)
    }

    /// Creates actions (`POST /Actions`): notes, time, items issued.
    pub fn create(self, actions: impl IntoIterator<Item = Action>) -> Create<'a, Action> {
        Create::new(self.client, "Actions", "action", actions)
    }

    /// Updates actions (`POST /Actions` with `id` and `ticket_id`).
    pub fn update(self, actions: impl IntoIterator<Item = Action>) -> Update<'a, Action> {
        Update::new(self.client, "Actions", "action", actions)
    }

    /// Deletes an action.
    pub fn delete(self, key: ActionKey) -> Delete<'a> {
        Delete::new(self.client, action_path(key)).push("ticket_id", key.ticket_id)
    }
}

impl List<'_, Action> {
    /// Only actions that carry time (`timeentriesonly=true`).
    pub fn time_entries_only(self) -> Self {
        self.push("timeentriesonly", true)
    }
    /// Only actions visible to the end user (`excludeprivate=true`).
    pub fn public_only(self) -> Self {
        self.push("excludeprivate", true)
    }
    /// Leaves out system actions (`excludesys=true`).
    pub fn exclude_system(self) -> Self {
        self.push("excludesys", true)
    }
}

// ---- customers, sites, users, agents --------------------------------------------------------

impl<'a> Customers<'a> {
    /// Lists customers.
    pub fn list(self) -> List<'a, Customer> {
        List::new(self.client, "Client")
    }
    /// Reads one customer.
    pub fn get(self, id: i64) -> Get<'a, Customer> {
        get_one(self.client, "Client", "client", id)
    }
    /// Creates customers.
    pub fn create(self, customers: impl IntoIterator<Item = Customer>) -> Create<'a, Customer> {
        Create::new(self.client, "Client", "client", customers)
    }
    /// Updates customers.
    pub fn update(self, customers: impl IntoIterator<Item = Customer>) -> Update<'a, Customer> {
        Update::new(self.client, "Client", "client", customers)
    }
}

impl List<'_, Customer> {
    /// Name contains `text`.
    pub fn search(self, text: &str) -> Self {
        self.with(|p| p.search("search", "halo client search text", text))
    }
    /// Includes inactive customers.
    pub fn include_inactive(self) -> Self {
        self.push("includeinactive", true)
    }
}

impl<'a> Sites<'a> {
    /// Lists sites.
    pub fn list(self) -> List<'a, Site> {
        List::new(self.client, "Site")
    }
    /// Reads one site.
    pub fn get(self, id: i64) -> Get<'a, Site> {
        get_one(self.client, "Site", "site", id)
    }
}

impl List<'_, Site> {
    /// One customer's sites.
    pub fn client_id(self, id: i64) -> Self {
        self.with(|p| p.id("client_id", "halo client id", id))
    }
}

impl<'a> Users<'a> {
    /// Lists end users.
    pub fn list(self) -> List<'a, User> {
        List::new(self.client, "Users")
    }
    /// Reads one end user.
    pub fn get(self, id: i64) -> Get<'a, User> {
        get_one(self.client, "Users", "user", id)
    }
    /// Creates end users.
    pub fn create(self, users: impl IntoIterator<Item = User>) -> Create<'a, User> {
        Create::new(self.client, "Users", "user", users)
    }
    /// Updates end users.
    pub fn update(self, users: impl IntoIterator<Item = User>) -> Update<'a, User> {
        Update::new(self.client, "Users", "user", users)
    }
}

impl List<'_, User> {
    /// Name or email contains `text`.
    pub fn search(self, text: &str) -> Self {
        self.with(|p| p.search("search", "halo user search text", text))
    }
    /// Also matches `search` against phone numbers.
    pub fn search_phone_numbers(self) -> Self {
        self.push("search_phonenumbers", true)
    }
    /// One customer's users.
    pub fn client_id(self, id: i64) -> Self {
        self.with(|p| p.id("client_id", "halo client id", id))
    }
    /// One site's users.
    pub fn site_id(self, id: i64) -> Self {
        self.with(|p| p.id("site_id", "halo site id", id))
    }
    /// Includes inactive users.
    pub fn include_inactive(self) -> Self {
        self.push("includeinactive", true)
    }
}

impl<'a> Agents<'a> {
    /// Lists agents (one response).
    pub fn list(self) -> List<'a, Agent> {
        List::unpaged(self.client, "Agent")
    }
    /// Reads one agent.
    pub fn get(self, id: i64) -> Get<'a, Agent> {
        get_one(self.client, "Agent", "agent", id)
    }
    /// The agent the API application logs in as (`/Agent/me`).
    pub fn me(self) -> Get<'a, Agent> {
        Get::new(self.client, "agent", Ok("Agent/me".to_owned()))
    }
}

impl List<'_, Agent> {
    /// Includes disabled agents.
    pub fn include_disabled(self) -> Self {
        self.push("includedisabled", true)
    }
}

// ---- assets, appointments, items, contracts, SLAs, KB ----------------------------------------

impl<'a> Assets<'a> {
    /// Lists assets.
    pub fn list(self) -> List<'a, Asset> {
        List::new(self.client, "Asset")
    }
    /// Reads one asset.
    pub fn get(self, id: i64) -> Get<'a, Asset> {
        get_one(self.client, "Asset", "asset", id)
    }
    /// Creates assets.
    pub fn create(self, assets: impl IntoIterator<Item = Asset>) -> Create<'a, Asset> {
        Create::new(self.client, "Asset", "asset", assets)
    }
    /// Updates assets.
    pub fn update(self, assets: impl IntoIterator<Item = Asset>) -> Update<'a, Asset> {
        Update::new(self.client, "Asset", "asset", assets)
    }
}

impl List<'_, Asset> {
    /// One customer's assets.
    pub fn client_id(self, id: i64) -> Self {
        self.with(|p| p.id("client_id", "halo client id", id))
    }
    /// Asset tag or key field contains `text`.
    pub fn search(self, text: &str) -> Self {
        self.with(|p| p.search("search", "halo asset search text", text))
    }
    /// Includes inactive assets.
    pub fn include_inactive(self) -> Self {
        self.push("includeinactive", true)
    }
}

impl<'a> Appointments<'a> {
    /// Lists appointments.
    pub fn list(self) -> List<'a, Appointment> {
        List::new(self.client, "Appointment")
    }
    /// Reads one appointment.
    pub fn get(self, id: i64) -> Get<'a, Appointment> {
        get_one(self.client, "Appointment", "appointment", id)
    }
    /// Creates appointments.
    pub fn create(
        self,
        appointments: impl IntoIterator<Item = Appointment>,
    ) -> Create<'a, Appointment> {
        Create::new(self.client, "Appointment", "appointment", appointments)
    }
    /// Updates appointments.
    pub fn update(
        self,
        appointments: impl IntoIterator<Item = Appointment>,
    ) -> Update<'a, Appointment> {
        Update::new(self.client, "Appointment", "appointment", appointments)
    }
    /// Deletes an appointment.
    pub fn delete(self, id: i64) -> Delete<'a> {
        delete_one(self.client, "Appointment", "appointment", id)
    }
}

impl List<'_, Appointment> {
    /// These agents' appointments (`agents=1,2`).
    pub fn agents(self, ids: &[i64]) -> Self {
        self.with(|p| p.ids("agents", "halo agent id", ids))
    }
    /// Starting at or after `t`.
    pub fn start_date(self, t: DateTime<Utc>) -> Self {
        self.with(|p| p.date("start_date", t))
    }
    /// Up to `t`.
    pub fn end_date(self, t: DateTime<Utc>) -> Self {
        self.with(|p| p.date("end_date", t))
    }
    /// One ticket's appointments.
    pub fn ticket_id(self, id: i64) -> Self {
        self.with(|p| p.id("ticket_id", "halo ticket id", id))
    }
}

impl<'a> Items<'a> {
    /// Lists items.
    pub fn list(self) -> List<'a, Item> {
        List::new(self.client, "Item")
    }
    /// Reads one item.
    pub fn get(self, id: i64) -> Get<'a, Item> {
        get_one(self.client, "Item", "item", id)
    }
}

impl List<'_, Item> {
    /// Name or reference contains `text`.
    pub fn search(self, text: &str) -> Self {
        self.with(|p| p.search("search", "halo item search text", text))
    }
    /// Includes inactive items.
    pub fn include_inactive(self) -> Self {
        self.push("includeinactive", true)
    }
}

impl<'a> Contracts<'a> {
    /// Lists contracts.
    pub fn list(self) -> List<'a, Contract> {
        List::new(self.client, "ClientContract")
    }
    /// Reads one contract.
    pub fn get(self, id: i64) -> Get<'a, Contract> {
        get_one(self.client, "ClientContract", "contract", id)
    }
}

impl List<'_, Contract> {
    /// One customer's contracts.
    pub fn client_id(self, id: i64) -> Self {
        self.with(|p| p.id("client_id", "halo client id", id))
    }
    /// Includes inactive (expired) contracts.
    pub fn include_inactive(self) -> Self {
        self.push("includeinactive", true)
    }
}

impl<'a> Slas<'a> {
    /// Lists SLAs (one response).
    pub fn list(self) -> List<'a, Sla> {
        List::unpaged(self.client, "SLA")
    }
}

impl<'a> KbArticles<'a> {
    /// Lists articles.
    pub fn list(self) -> List<'a, KbArticle> {
        List::new(self.client, "KBArticle")
    }
    /// Reads one article.
    pub fn get(self, id: i64) -> Get<'a, KbArticle> {
        get_one(self.client, "KBArticle", "KB article", id)
    }
}

impl List<'_, KbArticle> {
    /// Articles matching `text`.
    pub fn search(self, text: &str) -> Self {
        self.with(|p| p.search("search", "halo KB search text", text))
    }
}

// ---- look-ups -------------------------------------------------------------------------------------

impl<'a> Statuses<'a> {
    /// Lists statuses (one response).
    pub fn list(self) -> List<'a, Status> {
        List::unpaged(self.client, "Status")
    }
}

impl List<'_, Status> {
    /// Leaves out statuses that close a ticket (`excludeclosed=true`).
    pub fn exclude_closed(self) -> Self {
        self.push("excludeclosed", true)
    }
    /// Statuses of one ticket type.
    pub fn ticket_type(self, id: i64) -> Self {
        self.with(|p| p.id("tickettype_id", "halo ticket type id", id))
    }
}

impl<'a> Priorities<'a> {
    /// Lists priorities (one response).
    pub fn list(self) -> List<'a, Priority> {
        List::unpaged(self.client, "Priority")
    }
}

impl<'a> Teams<'a> {
    /// Lists teams (one response).
    pub fn list(self) -> List<'a, Team> {
        List::unpaged(self.client, "Team")
    }
}

impl<'a> TicketTypes<'a> {
    /// Lists ticket types (one response).
    pub fn list(self) -> List<'a, TicketType> {
        List::unpaged(self.client, "TicketType")
    }
}

impl<'a> Lookups<'a> {
    /// The entries of look-up table `lookup_id` (one response).
    pub fn list(self, lookup_id: i64) -> List<'a, LookupEntry> {
        List::unpaged(self.client, "Lookup")
            .with(|p| p.id("lookupid", "halo look-up id", lookup_id))
    }
}

impl<'a> TimesheetEvents<'a> {
    /// Lists timesheet entries (one response).
    pub fn list(self) -> List<'a, TimesheetEvent> {
        List::unpaged(self.client, "TimesheetEvent")
    }
}

impl List<'_, TimesheetEvent> {
    /// These agents' entries (`agents=1,2`).
    pub fn agents(self, ids: &[i64]) -> Self {
        self.with(|p| p.ids("agents", "halo agent id", ids))
    }
    /// Starting at or after `t`.
    pub fn start_date(self, t: DateTime<Utc>) -> Self {
        self.with(|p| p.date("start_date", t))
    }
    /// Up to `t`.
    pub fn end_date(self, t: DateTime<Utc>) -> Self {
        self.with(|p| p.date("end_date", t))
    }
}

// ---- webhooks -------------------------------------------------------------------------------------

impl<'a> Webhooks<'a> {
    /// Lists webhooks (one response).
    pub fn list(self) -> List<'a, Webhook> {
        List::unpaged(self.client, "Webhook")
    }
    /// Reads one webhook by GUID.
    pub fn get(self, guid: &str) -> Get<'a, Webhook> {
        let path = webhook_guid(guid).map(|g| format!("Webhook/{g}"));
        Get::new(self.client, "webhook", path)
    }
    /// Creates webhooks.
    pub fn create(self, hooks: impl IntoIterator<Item = Webhook>) -> Create<'a, Webhook> {
        Create::new(self.client, "Webhook", "webhook", hooks)
    }
    /// Updates webhooks (records with their GUID).
    pub fn update(self, hooks: impl IntoIterator<Item = Webhook>) -> Update<'a, Webhook> {
        Update::new(self.client, "Webhook", "webhook", hooks)
    }
    /// Adds events to webhooks (`POST /Notification` with `webhook_id`).
    pub fn add_events(
        self,
        events: impl IntoIterator<Item = Notification>,
    ) -> Create<'a, Notification> {
        Create::new(self.client, "Notification", "notification", events)
    }
    /// Deletes a webhook by GUID.
    pub fn delete(self, guid: &str) -> Delete<'a> {
        let path = webhook_guid(guid).map(|g| format!("Webhook/{g}"));
        Delete::new(self.client, path)
    }
}

// ---- any other endpoint ---------------------------------------------------------------------------

impl<'a> Raw<'a> {
    /// A GET.
    pub fn get(self, path: &str) -> RawOp<'a> {
        RawOp::new(self.client, Method::GET, path, None)
    }
    /// A POST of a JSON body (Halo's create-or-update takes an array).
    pub fn post(self, path: &str, body: serde_json::Value) -> RawOp<'a> {
        RawOp::new(self.client, Method::POST, path, Some(body))
    }
    /// A DELETE.
    pub fn delete(self, path: &str) -> RawOp<'a> {
        RawOp::new(self.client, Method::DELETE, path, None)
    }
}
