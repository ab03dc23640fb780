//! Ticket writes, one ConnectWise rule after the other: create (with its
//! initial notes), JSON-Patch updates (board and status kept consistent,
//! audit entries), merge, bundle (`attachChildren`) and notes.

use serde_json::{Map, Value, json};
use wiremock::Request;

use super::super::seed::ticket_custom_fields;
use super::super::store::{Coll, State, ts};
use super::writes::{
    apply_ops, body_object, check_status_board, merge_custom, ref_id, resolve_ref, stamp,
};
use super::{Resp, error, invalid, json_resp, not_found, now};

fn add_note(st: &mut State, ticket: i64, text: &str, flag: &str, who: &str) {
    let id = st.fresh_id();
    let member = st
        .member_by_identifier(who)
        .and_then(|m| st.reference(Coll::Members, m));
    let t = ts(now());
    st.insert(
        Coll::Notes,
        id,
        json!({"id": id, "ticketId": ticket, "text": text,
            "detailDescriptionFlag": flag == "detailDescriptionFlag",
            "internalAnalysisFlag": flag == "internalAnalysisFlag",
            "resolutionFlag": flag == "resolutionFlag", "issueFlag": false,
            "member": member, "customerUpdatedFlag": false, "dateCreated": t, "createdBy": who,
            "internalFlag": flag == "internalAnalysisFlag", "externalFlag": flag != "internalAnalysisFlag",
            "_info": {"lastUpdated": t, "updatedBy": who}}),
    );
}

// one ConnectWise rule after the other, in the order the site applies them
#[allow(clippy::too_many_lines)]
pub(super) fn create_ticket(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "ticket") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let summary = o
        .get("summary")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_owned();
    if summary.is_empty() {
        return invalid("ticket", "summary", "The summary field is required.");
    }
    if summary.chars().count() > 100 {
        return invalid(
            "ticket",
            "summary",
            "The summary field has a max length of 100.",
        );
    }
    if o.get("company").is_none() {
        return invalid("ticket", "company", "The company field is required.");
    }
    if !o.contains_key("board") {
        o.insert("board".into(), json!({"id": 1}));
    }
    let refs = [
        ("company", Coll::Companies),
        ("board", Coll::Boards),
        ("contact", Coll::Contacts),
        ("priority", Coll::Priorities),
        ("type", Coll::Types),
        ("subType", Coll::Subtypes),
        ("owner", Coll::Members),
        ("status", Coll::Statuses),
    ];
    for (key, c) in refs {
        if let Err(r) = resolve_ref(st, &mut o, key, c, "ticket") {
            return r;
        }
    }
    let board = ref_id(o.get("board")).unwrap_or(1);
    let status = match ref_id(o.get("status")) {
        Some(s) => s,
        None => match st.default_status(board) {
            Some(s) => s,
            None => return invalid("ticket", "status", "the board has no default status"),
        },
    };
    if let Err(r) = check_status_board(st, status, board, "ticket") {
        return r;
    }
    o.insert(
        "status".into(),
        st.reference(Coll::Statuses, status).unwrap_or(Value::Null),
    );
    if o.get("priority").is_none() {
        o.insert(
            "priority".into(),
            st.reference(Coll::Priorities, 3).unwrap_or(Value::Null),
        );
    }
    let id = st.fresh_id();
    o.insert("id".into(), json!(id));
    o.insert("summary".into(), json!(summary));
    o.insert("recordType".into(), json!("ServiceTicket"));
    o.insert(
        "closedFlag".into(),
        json!(
            st.get(Coll::Statuses, status)
                .is_some_and(|s| s["closedStatus"] == true)
        ),
    );
    o.entry("severity").or_insert(json!("Medium"));
    o.entry("impact").or_insert(json!("Medium"));
    o.entry("hasChildTicket").or_insert(json!(false));
    o.entry("hasMergedChildTicketFlag").or_insert(json!(false));
    o.entry("customerUpdatedFlag").or_insert(json!(false));
    o.entry("actualHours").or_insert(json!(0.0));
    let mut cf = ticket_custom_fields();
    if let Some(given) = o.remove("customFields") {
        if let Err(r) = merge_custom(&mut cf, &given, "ticket") {
            return r;
        }
    }
    o.insert("customFields".into(), cf);
    let initial = [
        ("initialDescription", "detailDescriptionFlag"),
        ("initialInternalAnalysis", "internalAnalysisFlag"),
        ("initialResolution", "resolutionFlag"),
    ];
    let mut notes = Vec::new();
    for (key, flag) in initial {
        if let Some(text) = o.remove(key).and_then(|v| v.as_str().map(str::to_owned)) {
            notes.push((text, flag));
        }
    }
    o.remove("processNotifications");
    o.remove("skipCallback");
    stamp(&mut o, who, Some(now()));
    let record = Value::Object(o);
    st.insert(Coll::Tickets, id, record.clone());
    for (text, flag) in notes {
        add_note(st, id, &text, flag, who);
    }
    st.audit(id, "Ticket", "Ticket created", who, now());
    json_resp(201, &record)
}

// one ConnectWise rule after the other, in the order the site applies them
#[allow(clippy::too_many_lines)]
pub(super) fn patch_ticket(st: &mut State, id: i64, req: &Request, who: &str) -> Resp {
    let Some(Value::Object(before)) = st.get(Coll::Tickets, id).cloned() else {
        return not_found("Ticket", id);
    };
    let ops: Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(_) => return error(400, "InvalidObject", "the body is not JSON"),
    };
    let mut o = before.clone();
    // custom fields merge by id rather than replace
    let mut cf_given = None;
    if let Some(arr) = ops.as_array() {
        for op in arr {
            if op["path"].as_str().map(|p| p.trim_start_matches('/')) == Some("customFields") {
                cf_given = op.get("value").cloned();
            }
        }
    }
    let changed = match apply_ops(&mut o, &ops, "ticket") {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Some(given) = cf_given {
        let mut cf = before
            .get("customFields")
            .cloned()
            .unwrap_or_else(ticket_custom_fields);
        if let Err(r) = merge_custom(&mut cf, &given, "ticket") {
            return r;
        }
        o.insert("customFields".into(), cf);
    }
    if let Some(s) = o.get("summary").and_then(Value::as_str) {
        if s.trim().is_empty() || s.chars().count() > 100 {
            return invalid(
                "ticket",
                "summary",
                "The summary must be 1 to 100 characters.",
            );
        }
    }
    for (key, c) in [
        ("board", Coll::Boards),
        ("status", Coll::Statuses),
        ("priority", Coll::Priorities),
        ("type", Coll::Types),
        ("subType", Coll::Subtypes),
        ("owner", Coll::Members),
        ("contact", Coll::Contacts),
        ("company", Coll::Companies),
    ] {
        if changed.iter().any(|c| c == key) {
            if let Err(r) = resolve_ref(st, &mut o, key, c, "ticket") {
                return r;
            }
        }
    }
    let board = ref_id(o.get("board")).unwrap_or(1);
    if changed.iter().any(|c| c == "board") && !changed.iter().any(|c| c == "status") {
        // moving board without a status: ConnectWise picks the new board's default
        if let Some(s) = st.default_status(board) {
            o.insert(
                "status".into(),
                st.reference(Coll::Statuses, s).unwrap_or(Value::Null),
            );
        }
    }
    let status = ref_id(o.get("status")).unwrap_or(0);
    if let Err(r) = check_status_board(st, status, board, "ticket") {
        return r;
    }
    for (key, c) in [("type", Coll::Types), ("subType", Coll::Subtypes)] {
        if let Some(t) = ref_id(o.get(key)) {
            if st
                .get(c, t)
                .is_some_and(|r| r["board"]["id"].as_i64() != Some(board))
            {
                return invalid("ticket", key, format!("{key} {t} is not on board {board}"));
            }
        }
    }
    let closed = st
        .get(Coll::Statuses, status)
        .is_some_and(|s| s["closedStatus"] == true);
    let was_closed = before.get("closedFlag") == Some(&json!(true));
    o.insert("closedFlag".into(), json!(closed));
    if closed && !was_closed {
        o.insert("closedDate".into(), json!(ts(now())));
        o.insert("closedBy".into(), json!(who));
        o.insert("dateResolved".into(), json!(ts(now())));
        o.entry("dateResponded").or_insert_with(|| json!(ts(now())));
    }
    stamp(&mut o, who, None);
    for key in &changed {
        let old = display(before.get(key.as_str()));
        let new = display(o.get(key.as_str()));
        if old != new {
            let sub = match key.as_str() {
                "status" => "Status",
                "board" => "Board",
                "priority" => "Priority",
                "owner" => "Resources",
                _ => "Ticket",
            };
            let label = match key.as_str() {
                "subType" => "Subtype".to_owned(),
                k => {
                    let mut c = k.chars();
                    c.next()
                        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                        .unwrap_or_default()
                }
            };
            st.audit(
                id,
                sub,
                &format!("{label} changed from \"{old}\" to \"{new}\""),
                who,
                now(),
            );
        }
    }
    let record = Value::Object(o);
    st.insert(Coll::Tickets, id, record.clone());
    json_resp(200, &record)
}

fn display(v: Option<&Value>) -> String {
    match v {
        Some(Value::Object(o)) => o
            .get("name")
            .or_else(|| o.get("identifier"))
            .or_else(|| o.get("id"))
            .map(|v| display(Some(v)))
            .unwrap_or_default(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// What a merge and a bundle both check first: the parent exists, and the
/// body's `field` lists tickets that exist, the parent not among them.
fn parent_and_children(
    st: &State,
    parent: i64,
    req: &Request,
    resource: &str,
    field: &str,
    itself: &str,
) -> Result<(Map<String, Value>, Vec<i64>), Resp> {
    if st.get(Coll::Tickets, parent).is_none() {
        return Err(not_found("Ticket", parent));
    }
    let o = body_object(req, resource)?;
    let ids: Vec<i64> = o
        .get(field)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    if ids.is_empty() {
        return Err(invalid(resource, field, format!("{field} is required.")));
    }
    for c in &ids {
        if *c == parent {
            return Err(invalid(resource, field, itself));
        }
        if st.get(Coll::Tickets, *c).is_none() {
            return Err(not_found("Ticket", c));
        }
    }
    Ok((o, ids))
}

pub(super) fn merge(st: &mut State, parent: i64, req: &Request, who: &str) -> Resp {
    let (o, ids) = match parent_and_children(
        st,
        parent,
        req,
        "ticketMerge",
        "mergeTicketIds",
        "a ticket cannot be merged into itself",
    ) {
        Ok(found) => found,
        Err(r) => return r,
    };
    let Some(status) = ref_id(o.get("status")) else {
        return invalid("ticketMerge", "status", "status is required.");
    };
    for c in &ids {
        let board = st
            .get(Coll::Tickets, *c)
            .and_then(|t| ref_id(t.get("board")))
            .unwrap_or(0);
        if let Err(r) = check_status_board(st, status, board, "ticketMerge") {
            return r;
        }
    }
    let parent_ref = st.reference(Coll::Tickets, parent).unwrap_or(Value::Null);
    for c in &ids {
        let status_ref = st.reference(Coll::Statuses, status).unwrap_or(Value::Null);
        let closed = st
            .get(Coll::Statuses, status)
            .is_some_and(|s| s["closedStatus"] == true);
        if let Some(Value::Object(t)) = st.coll_mut(Coll::Tickets).get_mut(c) {
            t.insert("status".into(), status_ref);
            t.insert("closedFlag".into(), json!(closed));
            t.insert("mergedParentTicket".into(), parent_ref.clone());
            stamp(t, who, None);
        }
        st.audit(
            *c,
            "Ticket",
            &format!("Ticket merged into #{parent}"),
            who,
            now(),
        );
    }
    if let Some(Value::Object(p)) = st.coll_mut(Coll::Tickets).get_mut(&parent) {
        p.insert("hasMergedChildTicketFlag".into(), json!(true));
        stamp(p, who, None);
    }
    st.audit(
        parent,
        "Ticket",
        &format!("Tickets {ids:?} merged into this ticket"),
        who,
        now(),
    );
    json_resp(200, &json!({"success": true, "message": "Tickets merged"}))
}

pub(super) fn bundle(st: &mut State, parent: i64, req: &Request, who: &str) -> Resp {
    let ids = match parent_and_children(
        st,
        parent,
        req,
        "ticketBundle",
        "childTicketIds",
        "a ticket cannot be its own child",
    ) {
        Ok((_, ids)) => ids,
        Err(r) => return r,
    };
    for c in &ids {
        if let Some(Value::Object(t)) = st.coll_mut(Coll::Tickets).get_mut(c) {
            t.insert("parentTicketId".into(), json!(parent));
            stamp(t, who, None);
        }
        st.audit(
            *c,
            "Ticket",
            &format!("Ticket bundled under #{parent}"),
            who,
            now(),
        );
    }
    if let Some(Value::Object(p)) = st.coll_mut(Coll::Tickets).get_mut(&parent) {
        p.insert("hasChildTicket".into(), json!(true));
        stamp(p, who, None);
    }
    json_resp(
        200,
        &json!({"success": true, "message": "Child tickets attached"}),
    )
}

pub(super) fn create_note(st: &mut State, ticket: i64, req: &Request, who: &str) -> Resp {
    if st.get(Coll::Tickets, ticket).is_none() {
        return not_found("Ticket", ticket);
    }
    let o = match body_object(req, "serviceNote") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let text = o.get("text").and_then(Value::as_str).unwrap_or("");
    if text.trim().is_empty() {
        return invalid("serviceNote", "text", "The text field is required.");
    }
    let flags = [
        "detailDescriptionFlag",
        "internalAnalysisFlag",
        "resolutionFlag",
    ];
    let set: Vec<&str> = flags
        .iter()
        .copied()
        .filter(|f| o.get(*f) == Some(&json!(true)))
        .collect();
    let Some(flag) = set.first() else {
        return invalid(
            "serviceNote",
            "detailDescriptionFlag",
            "One of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag is required.",
        );
    };
    add_note(st, ticket, text, flag, who);
    let id = st.next_id;
    if let Some(Value::Object(n)) = st.coll_mut(Coll::Notes).get_mut(&id) {
        for f in &set {
            n.insert((*f).to_owned(), json!(true));
        }
        if let Some(p) = o.get("processNotifications") {
            n.insert("processNotifications".into(), p.clone());
        }
    }
    if let Some(Value::Object(t)) = st.coll_mut(Coll::Tickets).get_mut(&ticket) {
        stamp(t, who, None);
    }
    st.audit(ticket, "Notes", "Note added", who, now());
    let note = st.get(Coll::Notes, id).cloned().unwrap_or(Value::Null);
    json_resp(201, &note)
}
