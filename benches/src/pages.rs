//! Realistic list pages of 1,000 tickets per vendor, and the typed page
//! shapes the SDK decodes them into.
//!
//! Each page is generated from the vendor crate's own recorded fixture
//! (`psa-*/tests/fixtures/`): the fixture's ticket records are repeated
//! round-robin, each copy with a unique id (a unique 32-hex `sys_id` and
//! `INC` number for ServiceNow) and its own summary text, then wrapped in the
//! vendor's page envelope:
//!
//! | vendor | envelope | typed record |
//! | --- | --- | --- |
//! | HaloPSA | `{"page_no":1,"page_size":1000,"record_count":N,"tickets":[…]}` | [`psa_halo::Ticket`] |
//! | ConnectWise | a JSON array of service tickets | [`psa_connectwise::Ticket`] |
//! | Autotask | `{"items":[…],"pageDetails":{…}}` | [`psa_autotask::models::Ticket`] |
//! | ServiceNow | `{"result":[…]}` (`sysparm_display_value=all` shape) | [`psa_servicenow::models::Incident`] |

use std::fmt::Write as _;

use bytes::Bytes;
use psa_core::Vendor;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// Records on a generated page.
pub const PAGE_RECORDS: usize = 1_000;

const HALO_FIXTURE: &str = include_str!("../../psa-halo/tests/fixtures/tickets_page.json");
const CONNECTWISE_FIXTURE: &str =
    include_str!("../../psa-connectwise/tests/fixtures/tickets_page.json");
const AUTOTASK_FIXTURE: &str = include_str!("../../psa-autotask/tests/fixtures/tickets_page.json");
const SERVICENOW_FIXTURE: &str =
    include_str!("../../psa-servicenow/tests/fixtures/incident_display_all.json");

/// A HaloPSA `GET /Tickets` page, typed.
#[derive(Debug, Deserialize)]
pub struct HaloPage {
    /// The page number.
    pub page_no: Option<u64>,
    /// The requested page size.
    pub page_size: Option<u64>,
    /// Records matching the query.
    pub record_count: Option<u64>,
    /// The records.
    pub tickets: Vec<psa_halo::Ticket>,
}

/// A ConnectWise `GET /service/tickets` page, typed.
pub type ConnectWisePage = Vec<psa_connectwise::Ticket>;

/// An Autotask `POST /Tickets/query` page, typed (the SDK's own page type).
pub type AutotaskPage = psa_autotask::models::QueryResult<psa_autotask::models::Ticket>;

/// A ServiceNow `GET /api/now/table/incident` page, typed.
#[derive(Debug, Deserialize)]
pub struct ServiceNowPage {
    /// The records.
    pub result: Vec<psa_servicenow::models::Incident>,
}

/// The four vendors, in report order.
pub const VENDORS: [Vendor; 4] = [
    Vendor::Halo,
    Vendor::ConnectWise,
    Vendor::Autotask,
    Vendor::ServiceNow,
];

/// A page of `n` tickets for `vendor`, as the vendor sends it.
///
/// # Panics
/// When a vendor fixture is not the JSON shape described in the module docs
/// (a broken checkout, not a runtime condition).
#[allow(clippy::missing_panics_doc, clippy::expect_used)]
pub fn page(vendor: Vendor, n: usize) -> Bytes {
    let value = match vendor {
        Vendor::Halo => {
            let fixture: Value = serde_json::from_str(HALO_FIXTURE).expect("halo fixture");
            let records = repeat(&fixture["tickets"], n, |i, t| {
                set(t, "id", json!(100_000 + i));
                suffix(t, "summary", i);
            });
            json!({"page_no": 1, "page_size": n, "record_count": n, "tickets": records})
        }
        Vendor::ConnectWise => {
            let fixture: Value =
                serde_json::from_str(CONNECTWISE_FIXTURE).expect("connectwise fixture");
            Value::Array(repeat(&fixture, n, |i, t| {
                set(t, "id", json!(100_000 + i));
                suffix(t, "summary", i);
            }))
        }
        Vendor::Autotask => {
            let fixture: Value = serde_json::from_str(AUTOTASK_FIXTURE).expect("autotask fixture");
            let records = repeat(&fixture["items"], n, |i, t| {
                set(t, "id", json!(100_000 + i));
                set(t, "ticketNumber", json!(format!("T20261120.{i:04}")));
                suffix(t, "title", i);
            });
            json!({
                "items": records,
                "pageDetails": {"count": n, "requestCount": 500, "prevPageUrl": null, "nextPageUrl": null}
            })
        }
        Vendor::ServiceNow => {
            let fixture: Value =
                serde_json::from_str(SERVICENOW_FIXTURE).expect("servicenow fixture");
            let template = Value::Array(vec![fixture["result"].clone()]);
            let records = repeat(&template, n, |i, t| {
                let sys_id = format!("{:032x}", 0xbe9c_0000_u64 + i as u64);
                let number = format!("INC{:07}", 20_000 + i);
                set(
                    t,
                    "sys_id",
                    json!({"display_value": sys_id, "value": sys_id}),
                );
                set(
                    t,
                    "number",
                    json!({"display_value": number, "value": number}),
                );
                if let Some(Value::Object(sd)) = t.get_mut("short_description") {
                    for v in sd.values_mut() {
                        if let Value::String(s) = v {
                            let _ = write!(s, " #{i}");
                        }
                    }
                }
            });
            json!({ "result": records })
        }
        other => unreachable_vendor(other),
    };
    Bytes::from(serde_json::to_vec(&value).expect("a JSON value serialises"))
}

fn unreachable_vendor(vendor: Vendor) -> Value {
    // `Vendor` is non-exhaustive; a new vendor gets its page here.
    json!({ "unsupported_vendor": vendor.as_str() })
}

/// `n` copies of the records of `array` (round-robin), each edited by `edit`.
fn repeat(array: &Value, n: usize, edit: impl Fn(usize, &mut Map<String, Value>)) -> Vec<Value> {
    let templates: Vec<&Map<String, Value>> = array
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default();
    if templates.is_empty() {
        return Vec::new();
    }
    (0..n)
        .map(|i| {
            let mut record = templates[i % templates.len()].clone();
            edit(i, &mut record);
            Value::Object(record)
        })
        .collect()
}

fn set(record: &mut Map<String, Value>, key: &str, value: Value) {
    record.insert(key.to_owned(), value);
}

fn suffix(record: &mut Map<String, Value>, key: &str, i: usize) {
    if let Some(Value::String(s)) = record.get_mut(key) {
        let _ = write!(s, " #{i}");
    }
}

/// Decodes a page through the SDK's decode path,
/// [`psa_core::http::ApiResponse::json_named`] (plain `serde_json` first,
/// `serde_path_to_error` only to name the field of a failure), and returns
/// the record count.
///
/// # Errors
/// The SDK's `Decode` error, naming the failing field.
pub fn decode_sdk(vendor: Vendor, body: &Bytes) -> psa_core::Result<usize> {
    let response = psa_core::http::ApiResponse::new(
        http::StatusCode::OK,
        http::HeaderMap::new(),
        body.clone(),
    )
    .with_vendor(vendor);
    Ok(match vendor {
        Vendor::Halo => response
            .json_named::<HaloPage>("tickets page")?
            .tickets
            .len(),
        Vendor::ConnectWise => response
            .json_named::<ConnectWisePage>("tickets page")?
            .len(),
        Vendor::Autotask => response
            .json_named::<AutotaskPage>("query page")?
            .items
            .len(),
        Vendor::ServiceNow => response
            .json_named::<ServiceNowPage>("incident page")?
            .result
            .len(),
        _ => 0,
    })
}

/// Decodes a page with plain `serde_json::from_slice` into the same structs
/// (the baseline) and returns the record count.
///
/// # Errors
/// serde_json's error.
pub fn decode_baseline(vendor: Vendor, body: &[u8]) -> serde_json::Result<usize> {
    Ok(match vendor {
        Vendor::Halo => serde_json::from_slice::<HaloPage>(body)?.tickets.len(),
        Vendor::ConnectWise => serde_json::from_slice::<ConnectWisePage>(body)?.len(),
        Vendor::Autotask => serde_json::from_slice::<AutotaskPage>(body)?.items.len(),
        Vendor::ServiceNow => serde_json::from_slice::<ServiceNowPage>(body)?.result.len(),
        _ => 0,
    })
}

/// The fast path written out here (what `psa_core::http::ApiResponse::json`
/// does since this bench found `serde_path_to_error` alone at 0.70–0.84×,
/// and what `psa-halo`'s own `decode` does): plain `serde_json` first, and
/// only when that fails a second pass through `serde_path_to_error` to name
/// the failing field. Kept as a reference column of the decode bench.
///
/// # Errors
/// The SDK's `Decode` error, naming the failing field.
pub fn decode_fast_path(vendor: Vendor, body: &Bytes) -> psa_core::Result<usize> {
    match decode_baseline(vendor, body) {
        Ok(n) => Ok(n),
        Err(_) => decode_sdk(vendor, body),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_page_decodes_both_ways_with_every_record() {
        for vendor in VENDORS {
            let body = page(vendor, 50);
            assert_eq!(decode_sdk(vendor, &body).unwrap(), 50, "{vendor:?}");
            assert_eq!(decode_baseline(vendor, &body).unwrap(), 50, "{vendor:?}");
            assert_eq!(decode_fast_path(vendor, &body).unwrap(), 50, "{vendor:?}");
        }
    }

    #[test]
    fn a_bad_page_still_names_the_field_on_the_fast_path() {
        let body = Bytes::from_static(br#"{"record_count":1,"tickets":[{"id":"x"}]}"#);
        let e = decode_fast_path(Vendor::Halo, &body).unwrap_err();
        assert!(e.to_string().contains("tickets[0].id"), "{e}");
    }

    #[test]
    fn records_are_distinct() {
        let body = page(Vendor::ServiceNow, 3);
        let v: Value = serde_json::from_slice(&body).unwrap();
        let ids: Vec<&Value> = v["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["sys_id"]["value"])
            .collect();
        assert_ne!(ids[0], ids[1]);
        assert_eq!(ids[0].as_str().unwrap().len(), 32);
    }
}
