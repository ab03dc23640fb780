//! Look-ups: boards (queues), their statuses, types and subtypes,
//! priorities, work types and members (agents).

use psa_core::{Agent, Id, LookupItem, Result};

use super::{missing_id, to_raw};
use crate::models::{Board, BoardStatus, BoardSubType, BoardType, Member, Priority, WorkType};

/// A board → a queue.
pub fn board(b: &Board) -> Result<LookupItem> {
    let id = b.id.ok_or_else(|| missing_id("board"))?;
    let mut out = LookupItem::new(Id::from(id), b.name.clone().unwrap_or_default());
    out.active = b.inactive_flag.map(|f| !f);
    out.raw = to_raw(b).into();
    Ok(out)
}

/// A board status → a status, scoped to its board.
pub fn board_status(s: &BoardStatus, board: i64) -> Result<LookupItem> {
    let id = s.id.ok_or_else(|| missing_id("board status"))?;
    let mut out = LookupItem::new(Id::from(id), s.name.clone().unwrap_or_default());
    out.active = s.inactive.map(|f| !f);
    out.closed = s.closed_status;
    out.scope = Some(Id::from(board));
    out.raw = to_raw(s).into();
    Ok(out)
}

/// A board type → a ticket type, scoped to its board.
pub fn board_type(t: &BoardType, board: i64) -> Result<LookupItem> {
    let id = t.id.ok_or_else(|| missing_id("board type"))?;
    let mut out = LookupItem::new(Id::from(id), t.name.clone().unwrap_or_default());
    out.active = t.inactive_flag.map(|f| !f);
    out.scope = Some(Id::from(board));
    out.raw = to_raw(t).into();
    Ok(out)
}

/// A board subtype, scoped to its board.
pub fn board_subtype(t: &BoardSubType, board: i64) -> Result<LookupItem> {
    let id = t.id.ok_or_else(|| missing_id("board subtype"))?;
    let mut out = LookupItem::new(Id::from(id), t.name.clone().unwrap_or_default());
    out.active = t.inactive_flag.map(|f| !f);
    out.scope = Some(Id::from(board));
    out.raw = to_raw(t).into();
    Ok(out)
}

/// A priority.
pub fn priority(p: &Priority) -> Result<LookupItem> {
    let id = p.id.ok_or_else(|| missing_id("priority"))?;
    let mut out = LookupItem::new(Id::from(id), p.name.clone().unwrap_or_default());
    out.raw = to_raw(p).into();
    Ok(out)
}

/// A work type.
pub fn work_type(w: &WorkType) -> Result<LookupItem> {
    let id = w.id.ok_or_else(|| missing_id("work type"))?;
    let mut out = LookupItem::new(Id::from(id), w.name.clone().unwrap_or_default());
    out.active = w.inactive_flag.map(|f| !f);
    out.raw = to_raw(w).into();
    Ok(out)
}

/// A member → an agent.
pub fn member(m: &Member) -> Result<Agent> {
    let id = m.id.ok_or_else(|| missing_id("member"))?;
    let full = [m.first_name.as_deref(), m.last_name.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let name = if full.is_empty() {
        m.identifier.clone().unwrap_or_default()
    } else {
        full
    };
    let mut out = Agent::new(Id::from(id), name);
    out.identifier.clone_from(&m.identifier);
    out.email = m.primary_email.clone().or_else(|| m.office_email.clone());
    out.active = m.inactive_flag.map(|f| !f);
    out.raw = to_raw(m).into();
    Ok(out)
}
