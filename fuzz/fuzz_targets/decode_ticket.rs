//! Vendor response decoding: any bytes decode into each vendor's ticket
//! model and map to the uniform `Ticket`, or fail with an error — never a
//! panic (numbers out of range, odd date formats, wrong types, deep nesting).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = serde_json::from_slice::<psa_halo::Ticket>(data) {
        let _ = serde_json::to_vec(&t);
    }
    if let Ok(t) = serde_json::from_slice::<psa_connectwise::Ticket>(data) {
        let _ = psa_connectwise::mapping::ticket(&t);
    }
    let Ok(raw) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if let Ok(t) = serde_json::from_value::<psa_autotask::models::Ticket>(raw.clone()) {
        let _ = psa_autotask::mapping::ticket(
            &t,
            raw.clone(),
            &psa_autotask::Picklists::default(),
            &[psa_autotask::picklist::STATUS_COMPLETE],
        );
    }
    if let Ok(t) = serde_json::from_value::<psa_servicenow::models::Task>(raw.clone()) {
        let _ = psa_servicenow::mapping::ticket(
            psa_servicenow::TaskTable::Incident,
            &t,
            raw,
            &psa_servicenow::mapping::ChoiceLabels::new(),
        );
    }
});
