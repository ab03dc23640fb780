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
    Action, Agent, Appointment, Asset, Attachment, Contract, Customer, FieldInfo, Item, KbArticle,
    LookupEntry, Notification, Priority, Site, Sla, Status, Team, Ticket, TicketType,
    TimesheetEvent, User, Webhook,
};

/// `{path}/{id}` of a record whose id must be positive; `record` names it
/// in the error ("halo ticket id").
fn record_path(path: &str, record: &str, id: i64) -> Result<String> {
    if id > 0 {
        Ok(format!("{path}/{id}"))
    } else {
        positive(id, &format!("halo {record} id")).map(|id| format!("{path}/{id}"))
    }
}

/// `Actions/{action}` of an action key, both numbers positive.
fn action_path(key: ActionKey) -> Result<String> {
    positive(key.ticket_id, "halo ticket id")?;
    positive(key.action_id, "halo action id").map(|a| format!("Actions/{a}"))
}

/// The standard operations of a handle, generated alike for every
/// resource: `list` (paginated), `all` (Halo answers in one response; the
/// method is still `list`), `get`, `create`, `update`, `delete`. `$t` is
/// the record type at `$path`, named `$record` in errors ("halo ticket
/// id") and `$one` / `$many` in the docs.
macro_rules! verbs {
    ($lt:lifetime $t:ident at $path:literal, $record:literal ($one:literal, $many:literal): $($verb:ident)*) => {$(
        verbs!(@ $verb $lt $t $path $record $one $many);
    )*};
    (@ list $lt:lifetime $t:ident $path:literal $record:literal $one:literal $many:literal) => {
        #[doc = concat!("Lists ", $many, " (`GET /", $path, "`, paginated, 100 a page).")]
        pub fn list(self) -> List<$lt, $t> {
            List::new(self.client, $path)
        }
    };
    (@ all $lt:lifetime $t:ident $path:literal $record:literal $one:literal $many:literal) => {
        #[doc = concat!("Lists ", $many, " (`GET /", $path, "`, one response).")]
        pub fn list(self) -> List<$lt, $t> {
            List::unpaged(self.client, $path)
        }
    };
    (@ get $lt:lifetime $t:ident $path:literal $record:literal $one:literal $many:literal) => {
        #[doc = concat!("Reads one ", $one, " (`GET /", $path, "/{id}`).")]
        pub fn get(self, id: i64) -> Get<$lt, $t> {
            Get::new(self.client, $record, record_path($path, $record, id))
        }
    };
    (@ create $lt:lifetime $t:ident $path:literal $record:literal $one:literal $many:literal) => {
        #[doc = concat!("Creates ", $many, " (`POST /", $path, "` of records without an `id`).")]
        pub fn create(self, records: impl IntoIterator<Item = $t>) -> Create<$lt, $t> {
            Create::new(self.client, ($path, $record), records)
        }
    };
    (@ update $lt:lifetime $t:ident $path:literal $record:literal $one:literal $many:literal) => {
        #[doc = concat!(
            "Updates ", $many, " (`POST /", $path,
            "` of records with their `id` and only the fields to change)."
        )]
        pub fn update(self, records: impl IntoIterator<Item = $t>) -> Update<$lt, $t> {
            Update::new(self.client, ($path, $record), records)
        }
    };
    (@ delete $lt:lifetime $t:ident $path:literal $record:literal $one:literal $many:literal) => {
        #[doc = concat!("Deletes one ", $one, " (`DELETE /", $path, "/{id}`).")]
        pub fn delete(self, id: i64) -> Delete<$lt> {
            Delete::new(self.client, record_path($path, $record, id))
        }
    };
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
    /// Tickets (`/Tickets`, Halo's `Faults`). An update posts the ticket's
    /// `id` and the fields to change ([`Ticket::update`]); merges
    /// (`merged_into_id`, `domerge`) and child tickets (`parent_id`) are
    /// updates too.
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
    /// Files on tickets (`/Attachment`): listed as records, read as files.
    attachments => Attachments;
    /// Field definitions (`/FieldInfo`): custom fields and their options.
    field_info => FieldInfos;
    /// Any endpoint of Halo's API (`client.raw().get("Invoice")…`), for what
    /// the typed handles do not cover. Paths are relative to the resource
    /// server; absolute URLs, `..` and query strings in the path are
    /// rejected. (The uniform, permission-gated raw request is
    /// [`Psa::raw`](psa_core::Psa::raw): call it as `Psa::raw(&client, req)`.)
    raw => Raw;
}

// ---- tickets -------------------------------------------------------------------------------

impl<'a> Tickets<'a> {
    verbs!('a Ticket at "Tickets", "ticket" ("ticket", "tickets"):
        list get create update delete);
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
    /// Only these tickets (`ticketids=1001,1002`).
    pub fn ticket_ids(self, ids: &[i64]) -> Self {
        self.with(|p| p.ids("ticketids", "halo ticket id", ids))
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
    verbs!('a Ticket at "Projects", "project" ("project", "projects"): list get);
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

    verbs!('a Action at "Actions", "action" ("action", "actions"): create update);

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
    verbs!('a Customer at "Client", "client" ("customer", "customers"): list get create update);
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
    verbs!('a Site at "Site", "site" ("site", "sites"): list get);
}

impl List<'_, Site> {
    /// One customer's sites.
    pub fn client_id(self, id: i64) -> Self {
        self.with(|p| p.id("client_id", "halo client id", id))
    }
}

impl<'a> Users<'a> {
    verbs!('a User at "Users", "user" ("end user", "end users"): list get create update);
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
    verbs!('a Agent at "Agent", "agent" ("agent", "agents"): all get);

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
    verbs!('a Asset at "Asset", "asset" ("asset", "assets"): list get create update);
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
    verbs!('a Appointment at "Appointment", "appointment" ("appointment", "appointments"):
        list get create update delete);
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
    verbs!('a Item at "Item", "item" ("item", "items"): list get);
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
    verbs!('a Contract at "ClientContract", "contract" ("contract", "contracts"): list get);
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
    verbs!('a Sla at "SLA", "SLA" ("SLA", "SLAs"): all);
}

impl<'a> KbArticles<'a> {
    verbs!('a KbArticle at "KBArticle", "KB article" ("article", "articles"): list get);
}

impl List<'_, KbArticle> {
    /// Articles matching `text`.
    pub fn search(self, text: &str) -> Self {
        self.with(|p| p.search("search", "halo KB search text", text))
    }
}

// ---- look-ups -------------------------------------------------------------------------------------

impl<'a> Statuses<'a> {
    verbs!('a Status at "Status", "status" ("status", "statuses"): all);
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
    verbs!('a Priority at "Priority", "priority" ("priority", "priorities"): all);
}

impl<'a> Teams<'a> {
    verbs!('a Team at "Team", "team" ("team", "teams"): all);
}

impl<'a> TicketTypes<'a> {
    verbs!('a TicketType at "TicketType", "ticket type" ("ticket type", "ticket types"): all);
}

impl<'a> Lookups<'a> {
    /// The entries of look-up table `lookup_id` (one response).
    pub fn list(self, lookup_id: i64) -> List<'a, LookupEntry> {
        List::unpaged(self.client, "Lookup")
            .with(|p| p.id("lookupid", "halo look-up id", lookup_id))
    }
}

impl<'a> TimesheetEvents<'a> {
    verbs!('a TimesheetEvent at "TimesheetEvent", "timesheet entry"
        ("timesheet entry", "timesheet entries"): all);
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
    verbs!('a Webhook at "Webhook", "webhook" ("webhook", "webhooks"): all create update);

    /// Reads one webhook by GUID.
    pub fn get(self, guid: &str) -> Get<'a, Webhook> {
        let path = webhook_guid(guid).map(|g| format!("Webhook/{g}"));
        Get::new(self.client, "webhook", path)
    }
    /// Adds events to webhooks (`POST /Notification` with `webhook_id`).
    pub fn add_events(
        self,
        events: impl IntoIterator<Item = Notification>,
    ) -> Create<'a, Notification> {
        Create::new(self.client, ("Notification", "notification"), events)
    }
    /// Deletes a webhook by GUID.
    pub fn delete(self, guid: &str) -> Delete<'a> {
        let path = webhook_guid(guid).map(|g| format!("Webhook/{g}"));
        Delete::new(self.client, path)
    }
}

// ---- attachments and field definitions -------------------------------------------------------

impl<'a> Attachments<'a> {
    verbs!('a Attachment at "Attachment", "attachment" ("attachment", "attachments"):
        create delete);

    /// A ticket's attachments, its actions' included (`GET
    /// /Attachment?ticket_id=`, one response).
    pub fn list(self, ticket_id: i64) -> List<'a, Attachment> {
        List::unpaged(self.client, "Attachment")
            .with(|p| p.id("ticket_id", "halo ticket id", ticket_id))
    }

    /// The file of attachment `id` (`GET /Attachment/{id}`): its body is
    /// the file, named in `Content-Disposition`. Send it with
    /// `client.http().send_streaming(req, max_bytes)`.
    ///
    /// # Errors
    /// `InvalidInput` for an id that is not positive.
    pub fn file_request(self, id: i64) -> Result<psa_core::http::ApiRequest> {
        record_path("Attachment", "attachment", id).map(psa_core::http::ApiRequest::get)
    }
}

impl<'a> FieldInfos<'a> {
    /// Every field definition with its options (`GET
    /// /FieldInfo?includevalues=true`, one response).
    pub fn list(self) -> List<'a, FieldInfo> {
        List::unpaged(self.client, "FieldInfo").push("includevalues", true)
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
