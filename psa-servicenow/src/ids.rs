//! `sys_id`s, table names, and the ids the SDK gives ServiceNow records.
//!
//! Every id this crate hands out names its table: a ticket is
//! `incident:<sys_id>`, a company `core_company:<sys_id>`, a journal entry
//! `sys_journal_field:<sys_id>`. The table tells a caller (and an audit log)
//! what the record is, and it keeps ids textual: a bare `sys_id` made only of
//! the digits 0–9 (rare, but a 32-hex string can be one) would otherwise read
//! as an integer id.
//!
//! Inputs accept `<table>:<sys_id>` (the table must be the one expected) or a
//! bare `sys_id`; a bare ticket `sys_id` goes to the client's default table.

use psa_core::{Error, Id, Result};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::{fmt, str::FromStr};

/// A ServiceNow `sys_id`: exactly 32 lowercase hexadecimal digits.
///
/// ```
/// use psa_servicenow::SysId;
/// let id: SysId = "9d385017c611228701d22104cc95c371".parse()?;
/// assert_eq!(id.as_str(), "9d385017c611228701d22104cc95c371");
/// assert!("9D385017C611228701D22104CC95C371".parse::<SysId>().is_err());
/// assert!("INC0010001".parse::<SysId>().is_err());
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SysId([u8; 32]);

impl SysId {
    /// Parses a `sys_id`, or an [`InvalidInput`](psa_core::ErrorKind::InvalidInput)
    /// error naming what was wrong.
    pub fn parse(s: &str) -> Result<Self> {
        let bytes = s.as_bytes();
        if bytes.len() != 32 {
            return Err(Error::invalid_input(format!(
                "a ServiceNow sys_id is 32 lowercase hex digits, got {} characters ({})",
                s.chars().count(),
                shorten(s)
            )));
        }
        let mut out = [0u8; 32];
        for (i, b) in bytes.iter().enumerate() {
            if !matches!(b, b'0'..=b'9' | b'a'..=b'f') {
                return Err(Error::invalid_input(format!(
                    "a ServiceNow sys_id is 32 lowercase hex digits, got {}",
                    shorten(s)
                )));
            }
            out[i] = *b;
        }
        Ok(SysId(out))
    }

    /// The 32 hex digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Whether `s` is a well-formed `sys_id`.
    pub fn is_valid(s: &str) -> bool {
        s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }
}

/// A record's `sys_id` as a typed operation takes it
/// (`client.table("incident").get(…)`): a [`SysId`], already checked, or
/// text (`&str`, `String`), checked when the operation builds its request —
/// so an id is checked once, and a malformed one is an `InvalidInput` error
/// before anything is sent.
///
/// ```
/// use psa_servicenow::{RecordKey, SysId};
/// let checked = SysId::parse("9d385017c611228701d22104cc95c371")?;
/// assert_eq!(RecordKey::from(&checked).sys_id()?, checked);
/// assert!(RecordKey::from("9D38").sys_id().unwrap_err().is_invalid_input());
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordKey(Key);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Checked(SysId),
    Text(String),
}

impl RecordKey {
    /// The `sys_id`, or the `InvalidInput` error of text that is not one.
    pub fn sys_id(&self) -> Result<SysId> {
        match &self.0 {
            Key::Checked(id) => Ok(id.clone()),
            Key::Text(text) => SysId::parse(text),
        }
    }
}

impl From<SysId> for RecordKey {
    fn from(id: SysId) -> Self {
        RecordKey(Key::Checked(id))
    }
}

impl From<&SysId> for RecordKey {
    fn from(id: &SysId) -> Self {
        RecordKey(Key::Checked(id.clone()))
    }
}

impl From<&str> for RecordKey {
    fn from(text: &str) -> Self {
        RecordKey(Key::Text(text.to_owned()))
    }
}

impl From<String> for RecordKey {
    fn from(text: String) -> Self {
        RecordKey(Key::Text(text))
    }
}

impl From<&String> for RecordKey {
    fn from(text: &String) -> Self {
        RecordKey(Key::Text(text.clone()))
    }
}

/// Quotes caller text for an error message, cut to 60 characters.
pub(crate) fn shorten(s: &str) -> String {
    if s.chars().count() <= 60 {
        format!("{s:?}")
    } else {
        let cut: String = s.chars().take(60).collect();
        format!("{cut:?}…")
    }
}

impl FromStr for SysId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        SysId::parse(s)
    }
}

impl fmt::Display for SysId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for SysId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SysId({})", self.as_str())
    }
}

impl Serialize for SysId {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for SysId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SysId::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Checks a table name: lowercase ASCII letters, digits and `_`, starting
/// with a letter, at most 80 characters (ServiceNow's limit for table names).
///
/// Table names go into URL paths; nothing else is accepted.
pub fn validate_table_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 80
        && name.as_bytes()[0].is_ascii_lowercase()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "{} is not a ServiceNow table name (lowercase letters, digits and `_`, starting with a letter)",
            shorten(name)
        )))
    }
}

/// The task-family tables the SDK maps to uniform tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TaskTable {
    /// `incident`.
    Incident,
    /// `sc_request`: a Service Catalog request (the order).
    ScRequest,
    /// `sc_req_item`: a requested item (RITM), one line of a request.
    ScReqItem,
    /// `sc_task`: a catalog task (SCTASK) fulfilling a requested item.
    ScTask,
    /// `change_request`.
    ChangeRequest,
    /// `problem`.
    Problem,
}

impl TaskTable {
    /// Every task-family table, in declaration order.
    pub const ALL: [TaskTable; 6] = [
        TaskTable::Incident,
        TaskTable::ScRequest,
        TaskTable::ScReqItem,
        TaskTable::ScTask,
        TaskTable::ChangeRequest,
        TaskTable::Problem,
    ];

    /// The table name.
    pub const fn as_str(self) -> &'static str {
        match self {
            TaskTable::Incident => "incident",
            TaskTable::ScRequest => "sc_request",
            TaskTable::ScReqItem => "sc_req_item",
            TaskTable::ScTask => "sc_task",
            TaskTable::ChangeRequest => "change_request",
            TaskTable::Problem => "problem",
        }
    }

    /// The table for a name, when it is one of the task family.
    pub fn from_name(name: &str) -> Option<TaskTable> {
        TaskTable::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The label ServiceNow shows for the table.
    pub const fn label(self) -> &'static str {
        match self {
            TaskTable::Incident => "Incident",
            TaskTable::ScRequest => "Request",
            TaskTable::ScReqItem => "Requested Item",
            TaskTable::ScTask => "Catalog Task",
            TaskTable::ChangeRequest => "Change Request",
            TaskTable::Problem => "Problem",
        }
    }

    /// The baseline number prefix (`INC0010001`).
    pub const fn number_prefix(self) -> &'static str {
        match self {
            TaskTable::Incident => "INC",
            TaskTable::ScRequest => "REQ",
            TaskTable::ScReqItem => "RITM",
            TaskTable::ScTask => "SCTASK",
            TaskTable::ChangeRequest => "CHG",
            TaskTable::Problem => "PRB",
        }
    }

    /// The field naming the person the ticket is for (the uniform contact):
    /// `caller_id` on incidents, `requested_for` on requests and requested
    /// items, `requested_by` on changes. Catalog tasks and problems have none.
    pub const fn contact_field(self) -> Option<&'static str> {
        match self.contact_columns() {
            Some((field, _)) => Some(field),
            None => None,
        }
    }

    /// The contact's name as dot-walked from [`contact_field`](Self::contact_field)
    /// (`caller_id.name` …), where the table has a contact.
    pub const fn contact_name_field(self) -> Option<&'static str> {
        match self.contact_columns() {
            Some((_, name)) => Some(name),
            None => None,
        }
    }

    /// [`contact_field`](Self::contact_field) and
    /// [`contact_name_field`](Self::contact_name_field) together, from one
    /// table of them.
    pub(crate) const fn contact_columns(self) -> Option<(&'static str, &'static str)> {
        match self {
            TaskTable::Incident => Some(("caller_id", "caller_id.name")),
            TaskTable::ScRequest | TaskTable::ScReqItem => {
                Some(("requested_for", "requested_for.name"))
            }
            TaskTable::ChangeRequest => Some(("requested_by", "requested_by.name")),
            TaskTable::ScTask | TaskTable::Problem => None,
        }
    }

    /// The choice field used as the uniform subtype (`category`), where the
    /// table has one.
    pub const fn category_field(self) -> Option<&'static str> {
        match self {
            TaskTable::Incident | TaskTable::ChangeRequest | TaskTable::Problem => Some("category"),
            TaskTable::ScRequest | TaskTable::ScReqItem | TaskTable::ScTask => None,
        }
    }

    /// States in which a record still `active` counts as closed for the
    /// uniform model: a resolved incident (`6`) stays active until it closes.
    pub const fn resolved_states(self) -> &'static [&'static str] {
        match self {
            TaskTable::Incident => &["6"],
            _ => &[],
        }
    }

    /// Baseline state values that mean closed (resolved, complete,
    /// cancelled), when known. `None` where the baseline differs between
    /// releases (change requests and problems): the `closed` flag of their
    /// statuses is then left unknown.
    pub const fn closed_states(self) -> Option<&'static [&'static str]> {
        match self {
            // 6 Resolved, 7 Closed, 8 Canceled.
            TaskTable::Incident => Some(&["6", "7", "8"]),
            // The task base: 3 Closed Complete, 4 Closed Incomplete, 7 Closed Skipped.
            TaskTable::ScRequest | TaskTable::ScReqItem | TaskTable::ScTask => {
                Some(&["3", "4", "7"])
            }
            TaskTable::ChangeRequest | TaskTable::Problem => None,
        }
    }
}

impl fmt::Display for TaskTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TaskTable {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        TaskTable::from_name(s).ok_or_else(|| {
            Error::invalid_input(format!(
                "{} is not a task-family table the SDK maps to tickets ({})",
                shorten(s),
                TaskTable::ALL.map(TaskTable::as_str).join(", ")
            ))
        })
    }
}

/// A ticket's address: a task-family table and a `sys_id`.
///
/// Its uniform [`Id`] is `<table>:<sys_id>`.
///
/// ```
/// use psa_core::Id;
/// use psa_servicenow::{TaskTable, TicketId};
/// let id = TicketId::from_id(
///     &Id::text("sc_req_item:9d385017c611228701d22104cc95c371")?,
///     TaskTable::Incident,
/// )?;
/// assert_eq!(id.table, TaskTable::ScReqItem);
/// // A bare sys_id goes to the default table.
/// let bare = TicketId::from_id(&Id::text("9d385017c611228701d22104cc95c371")?, TaskTable::Incident)?;
/// assert_eq!(bare.to_string(), "incident:9d385017c611228701d22104cc95c371");
/// // Anything else is refused before a request is made.
/// assert!(TicketId::from_id(&Id::from(42), TaskTable::Incident).unwrap_err().is_invalid_input());
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TicketId {
    /// The table.
    pub table: TaskTable,
    /// The record's `sys_id`.
    pub sys_id: SysId,
}

impl TicketId {
    /// A ticket id.
    pub fn new(table: TaskTable, sys_id: SysId) -> Self {
        TicketId { table, sys_id }
    }

    /// Reads a uniform ticket id: `<table>:<sys_id>` with a task-family
    /// table, or a bare `sys_id` (which goes to `default_table`).
    pub fn from_id(id: &Id, default_table: TaskTable) -> Result<Self> {
        let Some(text) = id.as_text() else {
            return Err(Error::invalid_input(format!(
                "ServiceNow ticket ids are `<table>:<sys_id>` (e.g. incident:9d385017c611228701d22104cc95c371) or a bare sys_id, got the integer {id}"
            )));
        };
        match text.split_once(':') {
            Some((table, sys_id)) => Ok(TicketId {
                table: table.parse()?,
                sys_id: sys_id.parse()?,
            }),
            None => Ok(TicketId {
                table: default_table,
                sys_id: text.parse()?,
            }),
        }
    }

    /// The uniform id, `<table>:<sys_id>`.
    pub fn to_id(&self) -> Result<Id> {
        Id::try_from(table_colon(self.table.as_str(), self.sys_id.as_str()))
    }
}

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.table.as_str(), self.sys_id)
    }
}

/// The uniform id of a record of `table`: `<table>:<sys_id>`.
pub fn record_id(table: &str, sys_id: &str) -> Result<Id> {
    validate_table_name(table)?;
    SysId::parse(sys_id)?;
    Id::try_from(table_colon(table, sys_id))
}

/// [`record_id`] of a table name the SDK spells itself and a `sys_id`
/// checked already ([`SysId::is_valid`]): neither is checked again.
pub(crate) fn known_record_id(table: &'static str, sys_id: &str) -> Result<Id> {
    Id::try_from(table_colon(table, sys_id))
}

/// `<table>:<sys_id>`, in a string of exactly that size.
fn table_colon(table: &str, sys_id: &str) -> String {
    let mut s = String::with_capacity(table.len() + 1 + sys_id.len());
    s.push_str(table);
    s.push(':');
    s.push_str(sys_id);
    s
}

/// Reads the `sys_id` of a record of one of `tables` from a uniform id:
/// `<table>:<sys_id>` (the table must be one of `tables`) or a bare
/// `sys_id`. `what` names the id in errors ("company id").
pub fn sys_id_of(id: &Id, tables: &[&str], what: &str) -> Result<SysId> {
    let Some(text) = id.as_text() else {
        return Err(Error::invalid_input(format!(
            "{what} must be `{}:<sys_id>` or a bare sys_id, got the integer {id}",
            tables.first().copied().unwrap_or("table")
        )));
    };
    match text.split_once(':') {
        Some((table, sys_id)) => {
            if !tables.contains(&table) {
                return Err(Error::invalid_input(format!(
                    "{what} names table {} but must name {}",
                    shorten(table),
                    tables.join(" or ")
                )));
            }
            sys_id.parse()
        }
        None => text.parse(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYS: &str = "9d385017c611228701d22104cc95c371";

    #[test]
    fn contact_name_is_the_contact_dot_walked() {
        for t in TaskTable::ALL {
            assert_eq!(
                t.contact_name_field().map(str::to_owned),
                t.contact_field().map(|c| format!("{c}.name")),
                "{t}"
            );
        }
    }

    #[test]
    fn sys_ids_are_strict() {
        assert!(SysId::parse(SYS).is_ok());
        for bad in [
            "",
            "9d385017c611228701d22104cc95c37",
            "9d385017c611228701d22104cc95c3711",
            "9D385017C611228701D22104CC95C371",
            "9d385017c611228701d22104cc95c37g",
            "9d385017c611228701d22104cc95c37^",
            "../../../../../../../etc/passwd00",
        ] {
            let e = SysId::parse(bad).unwrap_err();
            assert!(e.is_invalid_input(), "{bad:?}");
        }
    }

    #[test]
    fn ticket_ids_name_a_known_table() {
        let t = TicketId::from_id(
            &Id::text(format!("problem:{SYS}")).unwrap(),
            TaskTable::Incident,
        )
        .unwrap();
        assert_eq!(t.table, TaskTable::Problem);
        assert_eq!(t.to_id().unwrap().to_string(), format!("problem:{SYS}"));
        for bad in [
            format!("sys_user:{SYS}"),
            format!("incident:{}", SYS.to_uppercase()),
            format!("incident:{SYS}:x"),
            "INC0010001".to_owned(),
            format!("task:{SYS}"),
        ] {
            let e = TicketId::from_id(&Id::text(&bad).unwrap(), TaskTable::Incident).unwrap_err();
            assert!(e.is_invalid_input(), "{bad}");
        }
    }

    #[test]
    fn record_ids_check_the_table() {
        let id = record_id("core_company", SYS).unwrap();
        assert_eq!(
            sys_id_of(&id, &["core_company"], "company id")
                .unwrap()
                .as_str(),
            SYS
        );
        assert!(
            sys_id_of(&id, &["sys_user"], "contact id")
                .unwrap_err()
                .is_invalid_input()
        );
        let bare = Id::text(SYS).unwrap();
        assert!(sys_id_of(&bare, &["sys_user"], "contact id").is_ok());
        assert!(validate_table_name("Incident").is_err());
        assert!(validate_table_name("incident/../x").is_err());
        assert!(validate_table_name("u_custom_table_2").is_ok());
    }
}
