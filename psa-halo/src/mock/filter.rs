//! Halo's query parameters as the simulator reads them: [`Query`] (flags,
//! ids, id lists, dates, paging with Halo's cap of 100), the "contains"
//! search, and [`TicketFilter`], every ticket filter the `Psa` mapping
//! sends.

use std::collections::HashMap;
use wiremock::Request;

use super::routes::Fail;
use super::store::{Record, Store, Table, boolean, date, int, string};
use psa_core::Timestamp;

/// Query parameters, keys lower-cased.
pub(crate) struct Query(HashMap<String, String>);

impl Query {
    pub(crate) fn of(req: &Request) -> Query {
        Query(
            req.url
                .query_pairs()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.into_owned()))
                .collect(),
        )
    }
    pub(crate) fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(String::as_str).filter(|v| !v.is_empty())
    }
    pub(crate) fn flag(&self, k: &str) -> bool {
        self.get(k).is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
    pub(crate) fn int(&self, k: &str) -> Result<Option<i64>, Fail> {
        self.get(k)
            .map(|v| {
                v.parse()
                    .map_err(|_| Fail::bad(format!("The value '{v}' is not valid for {k}.")))
            })
            .transpose()
    }
    pub(crate) fn ints(&self, k: &str) -> Result<Option<Vec<i64>>, Fail> {
        self.get(k)
            .map(|v| {
                v.split(',')
                    .map(|p| {
                        p.trim().parse().map_err(|_| {
                            Fail::bad(format!("The value '{v}' is not valid for {k}."))
                        })
                    })
                    .collect()
            })
            .transpose()
    }
    pub(crate) fn date(&self, k: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, Fail> {
        self.get(k)
            .map(|v| {
                Timestamp::parse(v).and_then(|t| t.utc()).ok_or_else(|| {
                    Fail::bad(format!("The value '{v}' is not a valid date for {k}."))
                })
            })
            .transpose()
    }
    /// (page number, page size) when paginating: Halo caps pages at 100.
    pub(crate) fn paging(&self) -> Result<Option<(usize, usize)>, Fail> {
        if !self.flag("pageinate") {
            return Ok(None);
        }
        let size = self.int("page_size")?.unwrap_or(50).clamp(1, 100);
        let no = self.int("page_no")?.unwrap_or(1).max(1);
        Ok(Some((
            usize::try_from(no).unwrap_or(1),
            usize::try_from(size).unwrap_or(100),
        )))
    }
}

/// Halo's `search`: case-insensitive "contains".
pub(crate) fn contains(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().contains(&needle.to_lowercase())
}

pub(crate) struct TicketFilter {
    open_only: bool,
    closed_only: bool,
    statuses: Option<Vec<i64>>,
    priorities: Option<Vec<i64>>,
    teams: Option<Vec<i64>>,
    client: Option<i64>,
    user: Option<i64>,
    agent: Option<i64>,
    requesttype: Option<i64>,
    parent: Option<i64>,
    ids: Option<Vec<i64>>,
    pub(crate) search: Option<String>,
    created_from: Option<chrono::DateTime<chrono::Utc>>,
    created_to: Option<chrono::DateTime<chrono::Utc>>,
    updated_from: Option<chrono::DateTime<chrono::Utc>>,
    projects: bool,
}

impl TicketFilter {
    pub(crate) fn of(q: &Query, projects: bool) -> Result<TicketFilter, Fail> {
        let datesearch = q.get("datesearch").map(str::to_ascii_lowercase);
        let by_created = matches!(datesearch.as_deref(), Some("dateoccured" | "dateoccurred"));
        if datesearch.is_some() && !by_created {
            return Err(Fail::bad(
                "The simulator only searches dates on 'dateoccured'.",
            ));
        }
        let mut statuses = q.ints("status")?;
        if let Some(s) = q.int("status_id")? {
            statuses.get_or_insert_with(Vec::new).push(s);
        }
        Ok(TicketFilter {
            open_only: q.flag("open_only"),
            closed_only: q.flag("closed_only"),
            statuses,
            priorities: q.ints("priority")?,
            teams: q.ints("team")?,
            client: q.int("client_id")?,
            user: q.int("user_id")?,
            agent: q.int("agent_id")?,
            requesttype: q.int("requesttype_id")?,
            parent: q.int("parent_id")?,
            ids: q.ints("ticketids")?,
            search: q.get("search").map(str::to_lowercase),
            created_from: if by_created {
                q.date("startdate")?
            } else {
                None
            },
            created_to: if by_created { q.date("enddate")? } else { None },
            updated_from: q.date("lastupdatefromdate")?,
            projects,
        })
    }

    pub(crate) fn matches(&self, t: &Record, types: &Table, ignore_search: bool) -> bool {
        let status = int(t, "status_id");
        let closed = Store::is_closed(status);
        let tt = int(t, "tickettype_id");
        let is_project =
            boolean(t, "is_project") || types.get(&tt).is_some_and(|r| string(r, "use") == "prjs");
        (!self.open_only || !closed)
            && (!self.closed_only || closed)
            && self.projects == is_project
            && self.statuses.as_ref().is_none_or(|s| s.contains(&status))
            && self
                .priorities
                .as_ref()
                .is_none_or(|p| p.contains(&int(t, "priority_id")))
            && self
                .teams
                .as_ref()
                .is_none_or(|l| l.contains(&int(t, "team_id")))
            && self.client.is_none_or(|c| int(t, "client_id") == c)
            && self.user.is_none_or(|u| int(t, "user_id") == u)
            && self.agent.is_none_or(|a| int(t, "agent_id") == a)
            && self.requesttype.is_none_or(|r| tt == r)
            && self.parent.is_none_or(|p| int(t, "parent_id") == p)
            && self.ids.as_ref().is_none_or(|l| l.contains(&int(t, "id")))
            && int(t, "merged_into_id") <= 0
            && (ignore_search
                || self.search.as_ref().is_none_or(|s| {
                    string(t, "summary").to_lowercase().contains(s)
                        || string(t, "details").to_lowercase().contains(s)
                        || int(t, "id").to_string() == *s
                }))
            && self
                .created_from
                .is_none_or(|f| date(t, "dateoccurred").is_some_and(|d| d >= f))
            && self
                .created_to
                .is_none_or(|e| date(t, "dateoccurred").is_some_and(|d| d < e))
            && self.updated_from.is_none_or(|f| {
                date(t, "last_update")
                    .or_else(|| date(t, "dateoccurred"))
                    .is_some_and(|d| d >= f)
            })
    }
}
