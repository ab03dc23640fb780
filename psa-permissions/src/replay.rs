//! Running a stored plan: the call a [`PlannedWrite`] describes, with the
//! input it recorded.

use psa_core::{
    ConfigurationPatch, Error, Id, NewAttachment, NewConfiguration, NewContact, NewLineItem,
    NewNote, NewScheduleEntry, NewTicket, NewTimeEntry, NewWebhook, Operation, PlannedWrite, Psa,
    RawRequest, Result, ScheduleEntryPatch, TicketPatch, TimeEntryPatch,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use psa_core::ContactPatch;

fn input<T: DeserializeOwned>(plan: &PlannedWrite, what: &str) -> Result<T> {
    psa_core::error::decode_value(None, &format!("the stored {what}"), &plan.payload)
        .map_err(|e| Error::invalid_input(format!("plan for {}: {e}", plan.operation)))
}

fn target(plan: &PlannedWrite) -> Result<&Id> {
    plan.target.as_ref().ok_or_else(|| {
        Error::invalid_input(format!("plan for {} has no target record", plan.operation))
    })
}

fn field<T: DeserializeOwned>(plan: &PlannedWrite, name: &str) -> Result<T> {
    let v = plan.payload.get(name).cloned().unwrap_or(Value::Null);
    serde_json::from_value(v).map_err(|e| {
        Error::invalid_input(format!(
            "plan for {}: its `{name}` is not what the call takes: {e}",
            plan.operation
        ))
    })
}

fn out<T: Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v)
        .map_err(|e| Error::invalid_input("the result cannot be encoded as JSON").with_source(e))
}

/// Executes the call `plan` describes on `psa`, with the input it recorded,
/// and returns the result as JSON (the record written; `null` for calls
/// that return nothing).
///
/// This is what a guard runs for an approved stored plan
/// ([`Guarded::execute_plan`](crate::Guarded::execute_plan)); call it
/// directly only on a client the plan was meant for, after your own checks.
///
/// ```
/// # async fn demo(psa: &dyn psa_core::Psa) -> psa_core::Result<()> {
/// use psa_core::{Id, OpKind, Operation, PermissionGroup, PlannedWrite, Vendor};
///
/// let plan = PlannedWrite::new(
///     Vendor::Halo, Operation::AddNote, PermissionGroup::TicketNotes, OpKind::Write,
///     Some(Id::from(1001)), vec!["internal".into()],
///     serde_json::json!({"body": "Restarted the spooler.", "visibility": "internal"}),
/// );
/// let note = psa_permissions::execute_plan(psa, &plan).await?;
/// # Ok(()) }
/// ```
pub async fn execute_plan(psa: &dyn Psa, plan: &PlannedWrite) -> Result<Value> {
    use Operation as O;
    match plan.operation {
        O::Raw => execute_raw(psa, plan).await,
        O::MergeTickets
        | O::BundleTickets
        | O::DeleteTicket
        | O::DeleteTimeEntry
        | O::DeleteScheduleEntry
        | O::DeleteWebhook
        | O::DeleteAttachment => execute_unit(psa, plan).await.map(|()| Value::Null),
        _ => execute_record(psa, plan).await,
    }
}

/// The writes that return the record written.
async fn execute_record(psa: &dyn Psa, plan: &PlannedWrite) -> Result<Value> {
    use Operation as O;
    match plan.operation {
        O::CreateTicket => out(&psa
            .create_ticket(input::<NewTicket>(plan, "ticket")?)
            .await?),
        O::UpdateTicket => out(&psa
            .update_ticket(target(plan)?, input::<TicketPatch>(plan, "ticket patch")?)
            .await?),
        O::AddNote => out(&psa
            .add_note(target(plan)?, input::<NewNote>(plan, "note")?)
            .await?),
        O::CreateTimeEntry => out(&psa
            .create_time_entry(input::<NewTimeEntry>(plan, "time entry")?)
            .await?),
        O::UpdateTimeEntry => out(&psa
            .update_time_entry(
                target(plan)?,
                input::<TimeEntryPatch>(plan, "time entry patch")?,
            )
            .await?),
        O::CreateContact => out(&psa
            .create_contact(input::<NewContact>(plan, "contact")?)
            .await?),
        O::UpdateContact => out(&psa
            .update_contact(target(plan)?, input::<ContactPatch>(plan, "contact patch")?)
            .await?),
        O::CreateConfiguration => out(&psa
            .create_configuration(input::<NewConfiguration>(plan, "configuration")?)
            .await?),
        O::UpdateConfiguration => out(&psa
            .update_configuration(
                target(plan)?,
                input::<ConfigurationPatch>(plan, "configuration patch")?,
            )
            .await?),
        O::CreateScheduleEntry => out(&psa
            .create_schedule_entry(input::<NewScheduleEntry>(plan, "schedule entry")?)
            .await?),
        O::UpdateScheduleEntry => out(&psa
            .update_schedule_entry(
                target(plan)?,
                input::<ScheduleEntryPatch>(plan, "schedule entry patch")?,
            )
            .await?),
        O::AddTicketProduct => out(&psa
            .add_ticket_product(target(plan)?, input::<NewLineItem>(plan, "line item")?)
            .await?),
        O::SubscribeWebhook => out(&psa
            .subscribe_webhook(input::<NewWebhook>(plan, "webhook")?)
            .await?),
        O::UploadAttachment => out(&psa
            .upload_attachment(target(plan)?, input::<NewAttachment>(plan, "attachment")?)
            .await?),
        other => Err(Error::invalid_input(format!(
            "{other} is not a write a stored plan can execute"
        ))),
    }
}

/// The writes that return nothing: merges, bundles, deletes.
async fn execute_unit(psa: &dyn Psa, plan: &PlannedWrite) -> Result<()> {
    use Operation as O;
    match plan.operation {
        O::MergeTickets => {
            let into: Id = field(plan, "into")?;
            let from: Vec<Id> = field(plan, "from")?;
            psa.merge_tickets(&into, &from).await
        }
        O::BundleTickets => {
            let parent: Id = field(plan, "parent")?;
            let children: Vec<Id> = field(plan, "children")?;
            psa.bundle_tickets(&parent, &children).await
        }
        O::DeleteTicket => psa.delete_ticket(target(plan)?).await,
        O::DeleteTimeEntry => psa.delete_time_entry(target(plan)?).await,
        O::DeleteScheduleEntry => psa.delete_schedule_entry(target(plan)?).await,
        O::DeleteWebhook => psa.delete_webhook(target(plan)?).await,
        O::DeleteAttachment => psa.delete_attachment(target(plan)?).await,
        other => Err(Error::invalid_input(format!(
            "{other} is not a write a stored plan can execute"
        ))),
    }
}

/// A raw request, as its plan recorded it.
async fn execute_raw(psa: &dyn Psa, plan: &PlannedWrite) -> Result<Value> {
    let method: String = field(plan, "method")?;
    let path: String = field(plan, "path")?;
    let query: Vec<(String, String)> = field(plan, "query")?;
    let body: Value = field(plan, "body")?;
    let mut req = RawRequest::new(http_method(&method)?, path);
    for (k, v) in query {
        req = req.query(k, v);
    }
    if !body.is_null() {
        req = req.body(body);
    }
    let resp = psa.raw(req).await?;
    let body = resp
        .json()
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&resp.body).into_owned()));
    Ok(json!({ "status": resp.status.as_u16(), "body": body }))
}

fn http_method(text: &str) -> Result<psa_core::reexports::http::Method> {
    psa_core::reexports::http::Method::from_bytes(text.as_bytes())
        .map_err(|_| Error::invalid_input(format!("plan has an invalid HTTP method {text:?}")))
}
