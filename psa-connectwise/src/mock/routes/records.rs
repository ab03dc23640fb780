//! Writes of the other records: time entries, contacts, configurations,
//! schedule entries, ticket products, callbacks, generic JSON-Patch updates,
//! and member tokens.

use serde_json::{Value, json};
use wiremock::Request;

use super::super::seed::configuration_custom_fields;
use super::super::store::{Coll, IssuedToken, MockConfig, State, ts};
use super::writes::{apply_ops, body_object, created, merge_custom, ref_id, resolve_ref, stamp};
use super::{Resp, error, invalid, json_resp, not_found, now, parse_id};
use crate::models::parse_timestamp;

fn hours_between(start: &Value, end: &Value) -> Option<f64> {
    let from = parse_timestamp(start.as_str()?)?;
    let to = parse_timestamp(end.as_str()?)?;
    #[allow(clippy::cast_precision_loss)]
    let hours = (to - from).num_seconds() as f64 / 3600.0;
    Some((hours * 100.0).round() / 100.0)
}

pub(super) fn create_time(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "timeEntry") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(start) = o
        .get("timeStart")
        .cloned()
        .filter(|v| v.as_str().and_then(parse_timestamp).is_some())
    else {
        return invalid("timeEntry", "timeStart", "The timeStart field is required.");
    };
    if let Some(end) = o.get("timeEnd") {
        match hours_between(&start, end) {
            Some(h) if h > 0.0 => {
                o.insert("actualHours".into(), json!(h));
            }
            _ => return invalid("timeEntry", "timeEnd", "timeEnd must be after timeStart."),
        }
    }
    let charge_type = o
        .get("chargeToType")
        .and_then(Value::as_str)
        .unwrap_or("Company")
        .to_owned();
    if charge_type == "ServiceTicket" {
        let Some(t) = o.get("chargeToId").and_then(Value::as_i64) else {
            return invalid(
                "timeEntry",
                "chargeToId",
                "chargeToId is required for a ServiceTicket.",
            );
        };
        let Some(ticket) = st.get(Coll::Tickets, t).cloned() else {
            return invalid(
                "timeEntry",
                "chargeToId",
                format!("ticket {t} does not exist"),
            );
        };
        if let Some(s) = ref_id(ticket.get("status")) {
            if st
                .get(Coll::Statuses, s)
                .is_some_and(|s| s["timeEntryNotAllowed"] == true)
            {
                return invalid(
                    "timeEntry",
                    "chargeToId",
                    "time cannot be entered on a ticket in this status",
                );
            }
        }
        o.insert(
            "ticket".into(),
            st.reference(Coll::Tickets, t).unwrap_or(Value::Null),
        );
        o.insert("company".into(), ticket["company"].clone());
    }
    if o.get("member").is_none() {
        match st.member_by_identifier(who) {
            Some(m) => {
                o.insert("member".into(), json!({ "id": m }));
            }
            None => return invalid("timeEntry", "member", "member is required"),
        }
    }
    for (key, c) in [("member", Coll::Members), ("workType", Coll::WorkTypes)] {
        if let Err(r) = resolve_ref(st, &mut o, key, c, "timeEntry") {
            return r;
        }
    }
    o.entry("billableOption").or_insert(json!("Billable"));
    o.entry("status").or_insert(json!("Open"));
    o.entry("hoursDeduct").or_insert(json!(0.0));
    o.insert("enteredBy".into(), json!(who));
    o.insert("dateEntered".into(), json!(ts(now())));
    created(st, Coll::Time, o, who, true)
}

pub(super) fn patch_generic(
    st: &mut State,
    c: Coll,
    id: i64,
    req: &Request,
    who: &str,
    resource: &str,
) -> Resp {
    let Some(Value::Object(before)) = st.get(c, id).cloned() else {
        return not_found(resource, id);
    };
    let ops: Value = match serde_json::from_slice(&req.body) {
        Ok(v) => v,
        Err(_) => return error(400, "InvalidObject", "the body is not JSON"),
    };
    let mut o = before.clone();
    let changed = match apply_ops(&mut o, &ops, resource) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if changed.iter().any(|k| k == "customFields") {
        let given = o.get("customFields").cloned().unwrap_or(Value::Null);
        let mut cf = before
            .get("customFields")
            .cloned()
            .unwrap_or_else(configuration_custom_fields);
        if let Err(r) = merge_custom(&mut cf, &given, resource) {
            return r;
        }
        o.insert("customFields".into(), cf);
    }
    for (key, coll) in [
        ("member", Coll::Members),
        ("workType", Coll::WorkTypes),
        ("company", Coll::Companies),
    ] {
        if changed.iter().any(|k| k == key) {
            if let Err(r) = resolve_ref(st, &mut o, key, coll, resource) {
                return r;
            }
        }
    }
    if c == Coll::Time {
        if let (Some(s), Some(e)) = (o.get("timeStart").cloned(), o.get("timeEnd").cloned()) {
            match hours_between(&s, &e) {
                Some(h) if h > 0.0 => {
                    o.insert("actualHours".into(), json!(h));
                }
                _ => return invalid(resource, "timeEnd", "timeEnd must be after timeStart."),
            }
        }
    }
    if c == Coll::Schedule {
        let start = o
            .get("dateStart")
            .and_then(Value::as_str)
            .and_then(parse_timestamp);
        let end = o
            .get("dateEnd")
            .and_then(Value::as_str)
            .and_then(parse_timestamp);
        if let (Some(s), Some(e)) = (start, end) {
            if s >= e {
                return invalid(resource, "dateEnd", "dateEnd must be after dateStart.");
            }
        }
    }
    if c == Coll::Contacts && changed.iter().any(|k| k == "communicationItems") {
        if let Some(items) = o.get_mut("communicationItems") {
            if let Err(r) = normalize_items(st, items) {
                return r;
            }
        }
    }
    stamp(&mut o, who, None);
    let record = Value::Object(o);
    st.insert(c, id, record.clone());
    json_resp(200, &record)
}

fn normalize_items(st: &mut State, items: &mut Value) -> Result<(), Resp> {
    let Some(arr) = items.as_array_mut() else {
        return Err(invalid(
            "contact",
            "communicationItems",
            "communicationItems must be an array",
        ));
    };
    for item in arr.iter_mut() {
        let kind = item["communicationType"].as_str().unwrap_or("").to_owned();
        if !["Email", "Phone", "Fax"].contains(&kind.as_str()) {
            return Err(invalid(
                "contact",
                "communicationItems",
                "communicationType must be Email, Phone or Fax",
            ));
        }
        if item["value"].as_str().is_none_or(|v| v.trim().is_empty()) {
            return Err(invalid(
                "contact",
                "communicationItems",
                "a communication item needs a value",
            ));
        }
        let name = item["type"]["name"].as_str().unwrap_or(&kind).to_owned();
        let type_id = match name.as_str() {
            "Email" => 1,
            "Direct" => 2,
            "Fax" => 3,
            "Mobile" => 4,
            _ => 5,
        };
        item["type"] = json!({"id": type_id, "name": name});
        if kind == "Email" {
            if let Some(d) = item["value"]
                .as_str()
                .and_then(|v| v.split_once('@'))
                .map(|(_, d)| format!("@{d}"))
            {
                item["domain"] = json!(d);
            }
        }
        if item.get("id").and_then(Value::as_i64).is_none() {
            item["id"] = json!(st.fresh_id());
        }
    }
    Ok(())
}

pub(super) fn create_contact(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "contact") {
        Ok(o) => o,
        Err(r) => return r,
    };
    if o.get("firstName")
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty())
    {
        return invalid("contact", "firstName", "The firstName field is required.");
    }
    if let Err(r) = resolve_ref(st, &mut o, "company", Coll::Companies, "contact") {
        return r;
    }
    if let Some(items) = o.get_mut("communicationItems") {
        if let Err(r) = normalize_items(st, items) {
            return r;
        }
        let phone = items
            .as_array()
            .and_then(|a| a.iter().find(|i| i["communicationType"] == "Phone"))
            .and_then(|i| i["value"].as_str().map(str::to_owned));
        if let Some(p) = phone {
            o.insert("defaultPhoneType".into(), json!("Direct"));
            o.insert("defaultPhoneNbr".into(), json!(p));
        }
    }
    o.entry("inactiveFlag").or_insert(json!(false));
    created(st, Coll::Contacts, o, who, true)
}

pub(super) fn create_configuration(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "configuration") {
        Ok(o) => o,
        Err(r) => return r,
    };
    if o.get("name")
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty())
    {
        return invalid("configuration", "name", "The name field is required.");
    }
    if ref_id(o.get("type")).is_none() {
        return invalid("configuration", "type", "The type field is required.");
    }
    if o.get("company").is_none() {
        return invalid("configuration", "company", "The company field is required.");
    }
    if let Err(r) = resolve_ref(st, &mut o, "company", Coll::Companies, "configuration") {
        return r;
    }
    let mut cf = configuration_custom_fields();
    if let Some(given) = o.remove("customFields") {
        if let Err(r) = merge_custom(&mut cf, &given, "configuration") {
            return r;
        }
    }
    o.insert("customFields".into(), cf);
    o.entry("activeFlag").or_insert(json!(true));
    o.entry("status")
        .or_insert(json!({"id": 1, "name": "Active"}));
    created(st, Coll::Configurations, o, who, true)
}

pub(super) fn create_schedule(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "scheduleEntry") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(kind) = ref_id(o.get("type")) else {
        return invalid("scheduleEntry", "type", "The type field is required.");
    };
    if kind == 4 {
        let ticket = o.get("objectId").and_then(Value::as_i64).unwrap_or(0);
        if st.get(Coll::Tickets, ticket).is_none() {
            return invalid(
                "scheduleEntry",
                "objectId",
                format!("ticket {ticket} does not exist"),
            );
        }
        if o.get("name").is_none() {
            let summary = st
                .get(Coll::Tickets, ticket)
                .map(|t| t["summary"].clone())
                .unwrap_or_default();
            o.insert("name".into(), summary);
        }
        o.insert(
            "type".into(),
            json!({"id": 4, "identifier": "S", "name": "Service"}),
        );
    }
    if o.get("member").is_none() {
        return invalid("scheduleEntry", "member", "The member field is required.");
    }
    if let Err(r) = resolve_ref(st, &mut o, "member", Coll::Members, "scheduleEntry") {
        return r;
    }
    let start = o
        .get("dateStart")
        .and_then(Value::as_str)
        .and_then(parse_timestamp);
    let end = o
        .get("dateEnd")
        .and_then(Value::as_str)
        .and_then(parse_timestamp);
    match (start, end) {
        (Some(s), Some(e)) if s < e => {
            #[allow(clippy::cast_precision_loss)]
            let hours = (e - s).num_minutes() as f64 / 60.0;
            o.insert("hours".into(), json!(hours));
        }
        _ => {
            return invalid(
                "scheduleEntry",
                "dateEnd",
                "dateStart and dateEnd are required, end after start.",
            );
        }
    }
    o.entry("doneFlag").or_insert(json!(false));
    o.entry("status")
        .or_insert(json!({"id": 2, "name": "Firm"}));
    created(st, Coll::Schedule, o, who, true)
}

pub(super) fn create_product(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "productItem") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(cat) = ref_id(o.get("catalogItem")) else {
        return invalid(
            "productItem",
            "catalogItem",
            "The catalogItem field is required.",
        );
    };
    let Some(item) = st.get(Coll::Catalog, cat).cloned() else {
        return invalid(
            "productItem",
            "catalogItem",
            format!("catalog item {cat} does not exist"),
        );
    };
    if item["inactiveFlag"] == true {
        return invalid("productItem", "catalogItem", "the catalog item is inactive");
    }
    match o.get("billableOption").and_then(Value::as_str) {
        Some("Billable" | "DoNotBill" | "NoCharge") => {}
        _ => {
            return invalid(
                "productItem",
                "billableOption",
                "billableOption must be Billable, DoNotBill or NoCharge.",
            );
        }
    }
    // ProductItem (2026.4) names the ticket by its `ticket` reference only
    for unknown in ["chargeToId", "chargeToType"] {
        if o.contains_key(unknown) {
            return invalid(
                "productItem",
                unknown,
                format!("{unknown} is not a field of productItem"),
            );
        }
    }
    let ticket = ref_id(o.get("ticket"));
    if let Some(t) = ticket {
        let Some(tk) = st.get(Coll::Tickets, t).cloned() else {
            return invalid(
                "productItem",
                "ticket",
                format!("ticket {t} does not exist"),
            );
        };
        o.insert(
            "ticket".into(),
            st.reference(Coll::Tickets, t).unwrap_or(Value::Null),
        );
        o.insert("company".into(), tk["company"].clone());
    }
    o.insert(
        "catalogItem".into(),
        st.reference(Coll::Catalog, cat).unwrap_or(Value::Null),
    );
    let qty = o.get("quantity").and_then(Value::as_f64).unwrap_or(1.0);
    let price = o
        .get("price")
        .and_then(Value::as_f64)
        .or_else(|| item["price"].as_f64())
        .unwrap_or(0.0);
    o.entry("description")
        .or_insert(item["description"].clone());
    o.insert("quantity".into(), json!(qty));
    o.insert("price".into(), json!(price));
    o.insert("cost".into(), item["cost"].clone());
    o.insert("extPrice".into(), json!(qty * price));
    o.entry("cancelledFlag").or_insert(json!(false));
    created(st, Coll::Products, o, who, true)
}

pub(super) fn create_callback(st: &mut State, req: &Request, who: &str) -> Resp {
    let mut o = match body_object(req, "callbackEntry") {
        Ok(o) => o,
        Err(r) => return r,
    };
    for f in ["url", "type", "level"] {
        if o.get(f)
            .and_then(Value::as_str)
            .is_none_or(|s| s.trim().is_empty())
        {
            return invalid("callbackEntry", f, format!("The {f} field is required."));
        }
    }
    if o.get("objectId").and_then(Value::as_i64).is_none() {
        return invalid(
            "callbackEntry",
            "objectId",
            "The objectId field is required.",
        );
    }
    if url::Url::parse(o["url"].as_str().unwrap_or("")).is_err() {
        return invalid("callbackEntry", "url", "The url is not valid.");
    }
    if o.get("description")
        .and_then(Value::as_str)
        .is_some_and(|d| d.chars().count() > 100)
    {
        return invalid(
            "callbackEntry",
            "description",
            "The description has a max length of 100.",
        );
    }
    let member = st.member_by_identifier(who);
    o.entry("memberId").or_insert(json!(member));
    o.entry("inactiveFlag").or_insert(json!(false));
    o.entry("payloadVersion").or_insert(json!("2025.1"));
    o.entry("isSoapCallbackFlag").or_insert(json!(false));
    o.entry("isSelfSuppressedFlag").or_insert(json!(false));
    created(st, Coll::Callbacks, o, who, false)
}

pub(super) fn issue_token(st: &mut State, cfg: &MockConfig, member: &str, req: &Request) -> Resp {
    let usertype = req
        .headers
        .get("x-cw-usertype")
        .and_then(|v| v.to_str().ok());
    if usertype != Some("member") {
        return error(
            400,
            "InvalidObject",
            "x-cw-usertype: member is required to create member tokens",
        );
    }
    let Some(m) = st
        .member_by_identifier(member)
        .or_else(|| parse_id(member).filter(|id| st.get(Coll::Members, *id).is_some()))
    else {
        return not_found("Member", member);
    };
    let identifier = st
        .get(Coll::Members, m)
        .and_then(|r| r["identifier"].as_str().map(str::to_owned))
        .unwrap_or_default();
    let n = st.fresh_id();
    let token = IssuedToken {
        public_key: format!("tmpPub{n:06}"),
        private_key: format!("tmpPriv{n:06}x9"),
        member: identifier,
        expires: now() + cfg.token_lifetime,
    };
    let body = json!({
        "publicKey": token.public_key,
        "privateKey": token.private_key,
        "expiration": ts(token.expires),
    });
    st.tokens.push(token);
    json_resp(200, &body)
}
