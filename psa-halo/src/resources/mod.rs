//! One handle per Halo resource: `client.tickets().list()…send()`.
//!
//! Every method returns an operation struct ([`List`], [`Get`], [`Save`],
//! [`Delete`]) that is `#[must_use]`, turns into a [`Request`] without IO
//! (`request()`), and runs with `send()` (or `stream()` for every page).

mod ops;

pub use ops::{Delete, Get, List, Save};

use chrono::{DateTime, Utc};
use psa_core::{Error, Result};

use crate::client::Client;
use crate::keys::ActionKey;
use crate::models::{
    Action, Agent, Appointment, Asset, Client as HaloClient, Contract, Item, KbArticle,
    LookupEntry, Notification, Priority, Site, Sla, Status, Team, Ticket, TicketType,
    TimesheetEvent, User, Webhook,
};
use crate::request::Request;
use crate::types::Timestamp;

fn positive(id: i64, what: &str) -> Result<i64> {
    if id > 0 {
        Ok(id)
    } else {
        Err(Error::invalid_input(format!(
            "{what} must be a positive integer, got {id}"
        )))
    }
}

/// `GET {path}/{id}` of one `record` ("ticket"): the id check names
/// "halo ticket id", a decode error names the record.
fn get_one<'a, T: serde::de::DeserializeOwned>(
    client: &'a Client,
    path: &'static str,
    record: &'static str,
    id: i64,
) -> Get<'a, T> {
    Get::new(
        client,
        record,
        positive(id, &format!("halo {record} id")).map(|id| Request::get(format!("{path}/{id}"))),
    )
}

fn delete_one<'a>(client: &'a Client, path: &'static str, what: &str, id: i64) -> Delete<'a> {
    Delete::new(
        client,
        positive(id, what).map(|id| Request::delete(format!("{path}/{id}"))),
    )
}

fn iso(t: DateTime<Utc>) -> String {
    Timestamp::from(t).as_str().to_owned()
}

fn csv(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

macro_rules! handle {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a> {
            client: &'a Client,
        }
        impl<'a> $name<'a> {
            pub(crate) fn new(client: &'a Client) -> Self {
                $name { client }
            }
        }
    };
}

// ---- tickets -------------------------------------------------------------------------------

handle! {
    /// Tickets (`/Tickets`, Halo's `Faults`).
    Tickets
}

impl<'a> Tickets<'a> {
    /// Lists tickets (paginated, 100 a page).
    pub fn list(self) -> List<'a, Ticket> {
        List::new(self.client, "Tickets")
    }

    /// Reads one ticket.
    pub fn get(self, id: i64) -> Get<'a, Ticket> {
        get_one(self.client, "Tickets", "ticket", id)
    }

    /// Creates or updates tickets (`POST /Tickets` with an array).
    pub fn save(self, tickets: impl IntoIterator<Item = Ticket>) -> Save<'a, Ticket> {
        Save::new(self.client, "Tickets", tickets.into_iter().collect())
    }

    /// Deletes a ticket.
    pub fn delete(self, id: i64) -> Delete<'a> {
        delete_one(self.client, "Tickets", "halo ticket id", id)
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
        self.push("status", csv(ids))
    }
    /// Any of these priorities (`priority=1,2`).
    pub fn priorities(self, ids: &[i64]) -> Self {
        self.push("priority", csv(ids))
    }
    /// Any of these teams (`team=1,2`).
    pub fn teams(self, ids: &[i64]) -> Self {
        self.push("team", csv(ids))
    }
    /// This client's tickets.
    pub fn client_id(self, id: i64) -> Self {
        self.push("client_id", id)
    }
    /// This end user's tickets.
    pub fn user_id(self, id: i64) -> Self {
        self.push("user_id", id)
    }
    /// Tickets assigned to this agent.
    pub fn agent_id(self, id: i64) -> Self {
        self.push("agent_id", id)
    }
    /// Tickets of this ticket type (Halo's `requesttype_id`).
    pub fn ticket_type(self, id: i64) -> Self {
        self.push("requesttype_id", id)
    }
    /// Children of this ticket.
    pub fn parent_id(self, id: i64) -> Self {
        self.push("parent_id", id)
    }
    /// Free-text search (`search=`); sent as one URL-encoded value.
    pub fn search(self, text: &str) -> Self {
        self.push_search("search", "halo ticket search text", text)
    }
    /// Logged at or after `t` (`datesearch=dateoccured&startdate=`).
    pub fn created_since(self, t: DateTime<Utc>) -> Self {
        self.push("datesearch", "dateoccured")
            .push("startdate", iso(t))
    }
    /// Updated at or after `t` (`lastupdatefromdate=`).
    pub fn updated_since(self, t: DateTime<Utc>) -> Self {
        self.push("lastupdatefromdate", iso(t))
    }
}

// ---- projects ----------------------------------------------------------------------------------

handle! {
    /// Projects (`/Projects`): tickets of a project ticket type.
    Projects
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

handle! {
    /// Actions (`/Actions`): notes, emails and time on tickets.
    Actions
}

impl<'a> Actions<'a> {
    /// Lists a ticket's actions (Halo returns them in one response).
    pub fn list(self, ticket_id: i64) -> List<'a, Action> {
        match positive(ticket_id, "halo ticket id") {
            Ok(id) => List::unpaged(self.client, "Actions").push("ticket_id", id),
            Err(e) => List::unpaged(self.client, "Actions").fail(e),
        }
    }

    /// Reads one action.
    pub fn get(self, key: ActionKey) -> Get<'a, Action> {
        let req = positive(key.ticket_id, "halo ticket id")
            .and_then(|t| Ok((t, positive(key.action_id, "halo action id")?)))
            .map(|(t, a)| Request::get(format!("Actions/{a}")).with("ticket_id", t));
        Get::new(self.client, "action", req)
    }

    /// Creates or updates actions (`POST /Actions`).
    pub fn save(self, actions: impl IntoIterator<Item = Action>) -> Save<'a, Action> {
        Save::new(self.client, "Actions", actions.into_iter().collect())
    }

    /// Deletes an action.
    pub fn delete(self, key: ActionKey) -> Delete<'a> {
        let req = positive(key.ticket_id, "halo ticket id")
            .and_then(|t| Ok((t, positive(key.action_id, "halo action id")?)))
            .map(|(t, a)| Request::delete(format!("Actions/{a}")).with("ticket_id", t));
        Delete::new(self.client, req)
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

// ---- clients, sites, users, agents -------------------------------------------------------------

handle! {
    /// Clients (`/Client`, Halo's `Area`).
    Clients
}

impl<'a> Clients<'a> {
    /// Lists clients.
    pub fn list(self) -> List<'a, HaloClient> {
        List::new(self.client, "Client")
    }
    /// Reads one client.
    pub fn get(self, id: i64) -> Get<'a, HaloClient> {
        get_one(self.client, "Client", "client", id)
    }
    /// Creates or updates clients.
    pub fn save(self, clients: impl IntoIterator<Item = HaloClient>) -> Save<'a, HaloClient> {
        Save::new(self.client, "Client", clients.into_iter().collect())
    }
}

impl List<'_, HaloClient> {
    /// Name contains `text`.
    pub fn search(self, text: &str) -> Self {
        self.push_search("search", "halo client search text", text)
    }
    /// Includes inactive clients.
    pub fn include_inactive(self) -> Self {
        self.push("includeinactive", true)
    }
}

handle! {
    /// Sites (`/Site`).
    Sites
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
    /// One client's sites.
    pub fn client_id(self, id: i64) -> Self {
        self.push("client_id", id)
    }
}

handle! {
    /// End users (`/Users`).
    Users
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
    /// Creates or updates end users.
    pub fn save(self, users: impl IntoIterator<Item = User>) -> Save<'a, User> {
        Save::new(self.client, "Users", users.into_iter().collect())
    }
}

impl List<'_, User> {
    /// Name or email contains `text`.
    pub fn search(self, text: &str) -> Self {
        self.push_search("search", "halo user search text", text)
    }
    /// Also matches `search` against phone numbers.
    pub fn search_phone_numbers(self) -> Self {
        self.push("search_phonenumbers", true)
    }
    /// One client's users.
    pub fn client_id(self, id: i64) -> Self {
        self.push("client_id", id)
    }
    /// One site's users.
    pub fn site_id(self, id: i64) -> Self {
        self.push("site_id", id)
    }
    /// Includes inactive users.
    pub fn include_inactive(self) -> Self {
        self.push("includeinactive", true)
    }
}

handle! {
    /// Agents (`/Agent`, Halo's `Uname`).
    Agents
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
        Get::new(self.client, "agent", Ok(Request::get("Agent/me")))
    }
}

impl List<'_, Agent> {
    /// Includes disabled agents.
    pub fn include_disabled(self) -> Self {
        self.push("includedisabled", true)
    }
}

// ---- assets, appointments, items, contracts, SLAs, KB ----------------------------------------

handle! {
    /// Assets (`/Asset`, Halo's `Device`).
    Assets
}

impl<'a> Assets<'a> {
    /// Lists assets.
    pub fn list(self) -> List<'a, Asset> {
        List::new(self.client, "Asset")
    }
    /// Reads one asset.
    pub fn get(self, id: i64) -> Get<'a, Asset> {
        get_one(self.client, "Asset", "asset", id)
    }
    /// Creates or updates assets.
    pub fn save(self, assets: impl IntoIterator<Item = Asset>) -> Save<'a, Asset> {
        Save::new(self.client, "Asset", assets.into_iter().collect())
    }
}

impl List<'_, Asset> {
    /// One client's assets.
    pub fn client_id(self, id: i64) -> Self {
        self.push("client_id", id)
    }
    /// Asset tag or key field contains `text`.
    pub fn search(self, text: &str) -> Self {
        self.push_search("search", "halo asset search text", text)
    }
    /// Includes inactive assets.
    pub fn include_inactive(self) -> Self {
        self.push("includeinactive", true)
    }
}

handle! {
    /// Appointments (`/Appointment`).
    Appointments
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
    /// Creates or updates appointments.
    pub fn save(
        self,
        appointments: impl IntoIterator<Item = Appointment>,
    ) -> Save<'a, Appointment> {
        Save::new(
            self.client,
            "Appointment",
            appointments.into_iter().collect(),
        )
    }
    /// Deletes an appointment.
    pub fn delete(self, id: i64) -> Delete<'a> {
        delete_one(self.client, "Appointment", "halo appointment id", id)
    }
}

impl List<'_, Appointment> {
    /// These agents' appointments (`agents=1,2`).
    pub fn agents(self, ids: &[i64]) -> Self {
        self.push("agents", csv(ids))
    }
    /// Starting at or after `t`.
    pub fn start_date(self, t: DateTime<Utc>) -> Self {
        self.push("start_date", iso(t))
    }
    /// Up to `t`.
    pub fn end_date(self, t: DateTime<Utc>) -> Self {
        self.push("end_date", iso(t))
    }
    /// One ticket's appointments.
    pub fn ticket_id(self, id: i64) -> Self {
        self.push("ticket_id", id)
    }
}

handle! {
    /// Catalog items (`/Item`).
    Items
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
        self.push_search("search", "halo item search text", text)
    }
    /// Includes inactive items.
    pub fn include_inactive(self) -> Self {
        self.push("includeinactive", true)
    }
}

handle! {
    /// Client contracts (`/ClientContract`).
    Contracts
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
    /// One client's contracts.
    pub fn client_id(self, id: i64) -> Self {
        self.push("client_id", id)
    }
    /// Includes inactive (expired) contracts.
    pub fn include_inactive(self) -> Self {
        self.push("includeinactive", true)
    }
}

handle! {
    /// Service level agreements (`/SLA`).
    Slas
}

impl<'a> Slas<'a> {
    /// Lists SLAs (one response).
    pub fn list(self) -> List<'a, Sla> {
        List::unpaged(self.client, "SLA")
    }
}

handle! {
    /// Knowledge-base articles (`/KBArticle`, Halo's `KBEntry`).
    KbArticles
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
        self.push_search("search", "halo KB search text", text)
    }
}

// ---- look-ups -------------------------------------------------------------------------------------

handle! {
    /// Ticket statuses (`/Status`).
    Statuses
}

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
        self.push("tickettype_id", id)
    }
}

handle! {
    /// Priorities (`/Priority`, Halo's `Policy`: one record per SLA and priority).
    Priorities
}

impl<'a> Priorities<'a> {
    /// Lists priorities (one response).
    pub fn list(self) -> List<'a, Priority> {
        List::unpaged(self.client, "Priority")
    }
}

handle! {
    /// Teams (`/Team`).
    Teams
}

impl<'a> Teams<'a> {
    /// Lists teams (one response).
    pub fn list(self) -> List<'a, Team> {
        List::unpaged(self.client, "Team")
    }
}

handle! {
    /// Ticket types (`/TicketType`, Halo's `RequestType`).
    TicketTypes
}

impl<'a> TicketTypes<'a> {
    /// Lists ticket types (one response).
    pub fn list(self) -> List<'a, TicketType> {
        List::unpaged(self.client, "TicketType")
    }
}

handle! {
    /// Generic look-up tables (`/Lookup`).
    Lookups
}

impl<'a> Lookups<'a> {
    /// The entries of look-up table `lookup_id` (one response).
    pub fn list(self, lookup_id: i64) -> List<'a, LookupEntry> {
        match positive(lookup_id, "halo look-up id") {
            Ok(id) => List::unpaged(self.client, "Lookup").push("lookupid", id),
            Err(e) => List::unpaged(self.client, "Lookup").fail(e),
        }
    }
}

handle! {
    /// Agents' timesheet entries (`/TimesheetEvent`).
    TimesheetEvents
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
        self.push("agents", csv(ids))
    }
    /// Starting at or after `t`.
    pub fn start_date(self, t: DateTime<Utc>) -> Self {
        self.push("start_date", iso(t))
    }
    /// Up to `t`.
    pub fn end_date(self, t: DateTime<Utc>) -> Self {
        self.push("end_date", iso(t))
    }
}

// ---- webhooks -------------------------------------------------------------------------------------

handle! {
    /// Outbound webhooks (`/Webhook`) and their events (`/Notification`).
    Webhooks
}

impl<'a> Webhooks<'a> {
    /// Lists webhooks (one response).
    pub fn list(self) -> List<'a, Webhook> {
        List::unpaged(self.client, "Webhook")
    }
    /// Reads one webhook by GUID.
    pub fn get(self, guid: &str) -> Get<'a, Webhook> {
        let req = guid_path(guid).map(|g| Request::get(format!("Webhook/{g}")));
        Get::new(self.client, "webhook", req)
    }
    /// Creates or updates webhooks.
    pub fn save(self, hooks: impl IntoIterator<Item = Webhook>) -> Save<'a, Webhook> {
        Save::new(self.client, "Webhook", hooks.into_iter().collect())
    }
    /// Adds events to webhooks (`POST /Notification` with `webhook_id`).
    pub fn add_events(
        self,
        events: impl IntoIterator<Item = Notification>,
    ) -> Save<'a, Notification> {
        Save::new(self.client, "Notification", events.into_iter().collect())
    }
    /// Deletes a webhook by GUID.
    pub fn delete(self, guid: &str) -> Delete<'a> {
        let req = guid_path(guid).map(|g| Request::delete(format!("Webhook/{g}")));
        Delete::new(self.client, req)
    }
}

fn guid_path(guid: &str) -> Result<String> {
    let id = psa_core::Id::text(guid)?;
    crate::keys::webhook_guid(&id)
}

// ---- any other endpoint ---------------------------------------------------------------------------

handle! {
    /// Any endpoint of Halo's API (`client.raw().get("Invoice")…`), for what
    /// the typed handles do not cover. Paths are relative to the resource
    /// server; absolute URLs, `..` and query strings in the path are rejected.
    Raw
}

impl<'a> Raw<'a> {
    fn op(self, req: Request) -> RawOp<'a> {
        let check = psa_core::RawRequest::new(req.method().clone(), req.path());
        RawOp {
            client: self.client,
            request: check.validate().map(|()| req),
        }
    }
    /// A GET.
    pub fn get(self, path: &str) -> RawOp<'a> {
        self.op(Request::get(path.trim_start_matches('/')))
    }
    /// A POST of a JSON body (Halo's create-or-update takes an array).
    pub fn post(self, path: &str, body: serde_json::Value) -> RawOp<'a> {
        self.op(Request::post(path.trim_start_matches('/'), body))
    }
    /// A DELETE.
    pub fn delete(self, path: &str) -> RawOp<'a> {
        self.op(Request::delete(path.trim_start_matches('/')))
    }
}

/// A request to any endpoint.
#[must_use = "a request does nothing until sent"]
#[derive(Debug)]
pub struct RawOp<'a> {
    client: &'a Client,
    request: Result<Request>,
}

impl RawOp<'_> {
    /// Adds a query pair (URL-encoded when sent).
    #[allow(clippy::needless_pass_by_value)]
    pub fn query(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        if let Ok(r) = &mut self.request {
            r.set(std::borrow::Cow::Owned(key.into()), value.to_string());
        }
        self
    }

    /// The request.
    pub fn request(&self) -> Result<Request> {
        match &self.request {
            Ok(r) => Ok(r.clone()),
            Err(e) => Err(Error::invalid_input(e.message().to_owned())),
        }
    }

    /// Sends it; the response as it came.
    pub async fn send(self) -> Result<psa_core::RawResponse> {
        self.client.send_raw(self.request?).await
    }

    /// Sends it and decodes the JSON response, naming the failing field.
    pub async fn json<T: serde::de::DeserializeOwned>(self) -> Result<T> {
        self.client.send_json(self.request?, "raw response").await
    }
}
