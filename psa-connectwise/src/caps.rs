//! What the ConnectWise client supports through the uniform [`Psa`](psa_core::Psa)
//! trait, and which permission group each raw path belongs to.

use psa_core::{Capabilities, Operation, PermissionGroup, Support, Vendor};

/// Caveat of ticket creation.
pub(crate) const CREATE_TICKET_NOTE: &str = "custom fields are written by caption with a follow-up PATCH after the create \
     (ConnectWise identifies custom fields by id, which a new ticket does not have yet)";
/// Caveat of merges.
pub(crate) const MERGE_NOTE: &str = "merged tickets are set to the first closed status of their board (ConnectWise \
     requires a status for them); tickets on different boards are merged in one request per board";
/// Caveat of the audit trail.
pub(crate) const AUDIT_NOTE: &str = "entries carry ConnectWise's text; the changed field and its old and new values are not split out";
/// Caveat of contact search by phone.
pub(crate) const CONTACT_SEARCH_NOTE: &str = "phone numbers match on their last 9 digits (communication items); \
     emails match exactly (case-insensitive)";
/// Caveat of configuration creation.
pub(crate) const CREATE_CONFIGURATION_NOTE: &str = "ConnectWise requires a configuration type; custom fields are \
     written with a follow-up PATCH after the create";
/// Caveat of schedule entries.
pub(crate) const SCHEDULE_NOTE: &str = "entries are service-ticket entries (schedule type 4) and need a ticket; \
     ConnectWise schedule entries have no notes field";
/// Caveat of ticket products.
pub(crate) const PRODUCT_NOTE: &str =
    "ConnectWise requires a billable option: an unset `billable` is sent as Billable";
/// Caveat of per-board look-ups.
pub(crate) const PER_BOARD_NOTE: &str = "statuses and types belong to a board: without a board scope every \
     board's entries are listed (one request per board), each with its board as `scope`";
/// Caveat of callback registration.
pub(crate) const SUBSCRIBE_NOTE: &str = "a callback delivers added / updated / deleted for every ticket (type \
     `ticket`, level `owner`); the event list is not sent, and a shared secret cannot be set (ConnectWise signs \
     with its own key)";

/// The client's capabilities.
pub fn capabilities() -> Capabilities {
    Capabilities::all_supported(Vendor::ConnectWise)
        .unimplemented(&[
            Operation::ListCustomFields,
            Operation::ListAttachments,
            Operation::DownloadAttachment,
            Operation::UploadAttachment,
            Operation::DeleteAttachment,
        ])
        .with(
            Operation::CreateTicket,
            Support::Partial(CREATE_TICKET_NOTE.into()),
        )
        .with(Operation::MergeTickets, Support::Partial(MERGE_NOTE.into()))
        .with(
            Operation::ListAuditTrail,
            Support::Partial(AUDIT_NOTE.into()),
        )
        .with(
            Operation::SearchContacts,
            Support::Partial(CONTACT_SEARCH_NOTE.into()),
        )
        .with(
            Operation::CreateConfiguration,
            Support::Partial(CREATE_CONFIGURATION_NOTE.into()),
        )
        .with(
            Operation::CreateScheduleEntry,
            Support::Partial(SCHEDULE_NOTE.into()),
        )
        .with(
            Operation::UpdateScheduleEntry,
            Support::Partial(SCHEDULE_NOTE.into()),
        )
        .with(
            Operation::AddTicketProduct,
            Support::Partial(PRODUCT_NOTE.into()),
        )
        .with(
            Operation::ListStatuses,
            Support::Partial(PER_BOARD_NOTE.into()),
        )
        .with(
            Operation::ListTicketTypes,
            Support::Partial(PER_BOARD_NOTE.into()),
        )
        .with(
            Operation::SubscribeWebhook,
            Support::Partial(SUBSCRIBE_NOTE.into()),
        )
}

/// The permission group of a raw API path (relative to `…/apis/3.0`), or
/// `None` when the path is not one the SDK knows — a guard then denies it.
///
/// Member tokens (`system/members/{id}/tokens`) are deliberately unknown: a
/// raw request must never mint credentials.
pub fn raw_group(path: &str) -> Option<PermissionGroup> {
    let p = path.trim_matches('/');
    let segs: Vec<&str> = p.split('/').collect();
    let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
    let l = |i: usize| lower.get(i).map_or("", String::as_str);
    Some(match (l(0), l(1)) {
        ("service", "tickets") => match l(3) {
            "notes" | "allnotes" => PermissionGroup::TicketNotes,
            "timeentries" => PermissionGroup::TimeEntries,
            "scheduleentries" => PermissionGroup::ScheduleEntries,
            "products" => PermissionGroup::Products,
            "configurations" => PermissionGroup::Configurations,
            "" | "merge" | "attachchildren" | "tasks" | "documents" | "activities" | "copy" => {
                PermissionGroup::Tickets
            }
            _ => return None,
        },
        ("time", "entries" | "sheets") => PermissionGroup::TimeEntries,
        ("company", "companies") => PermissionGroup::Companies,
        ("company", "contacts") => PermissionGroup::Contacts,
        ("company", "configurations") => PermissionGroup::Configurations,
        ("schedule", _) => PermissionGroup::ScheduleEntries,
        ("procurement", "products" | "catalog") => PermissionGroup::Products,
        ("finance", "agreements") => PermissionGroup::Agreements,
        ("service", "slas") => PermissionGroup::Slas,
        ("project", _) => PermissionGroup::Projects,
        ("service", "knowledgebasearticles" | "knowledgebasecategories") => {
            PermissionGroup::KnowledgeBase
        }
        ("system", "audittrail") => PermissionGroup::AuditTrail,
        ("system", "callbacks") => PermissionGroup::Webhooks,
        ("service", "boards" | "priorities" | "sources" | "teams" | "impacts" | "severities")
        | ("time", "worktypes" | "workroles" | "chargecodes")
        | ("system", "info") => PermissionGroup::Lookups,
        ("system", "members") if segs.len() <= 3 => PermissionGroup::Lookups,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_paths_map_to_groups() {
        for (p, g) in [
            ("service/tickets", Some(PermissionGroup::Tickets)),
            ("/service/tickets/12", Some(PermissionGroup::Tickets)),
            (
                "service/tickets/12/notes",
                Some(PermissionGroup::TicketNotes),
            ),
            ("service/tickets/12/merge", Some(PermissionGroup::Tickets)),
            ("time/entries/4", Some(PermissionGroup::TimeEntries)),
            ("company/contacts", Some(PermissionGroup::Contacts)),
            ("service/SLAs", Some(PermissionGroup::Slas)),
            ("system/callbacks/5", Some(PermissionGroup::Webhooks)),
            ("system/members", Some(PermissionGroup::Lookups)),
            ("system/members/101", Some(PermissionGroup::Lookups)),
            ("system/members/jdoe/tokens", None),
            ("system/members/101/tokens", None),
            ("system/securityroles", None),
            ("finance/invoices", None),
            ("", None),
        ] {
            assert_eq!(raw_group(p), g, "{p}");
        }
    }

    #[test]
    fn every_operation_is_supported_with_reasons_for_caveats() {
        let caps = capabilities();
        for op in Operation::ALL {
            assert!(caps.supports(*op), "{op}");
        }
        assert!(caps.reason(Operation::MergeTickets).is_some());
    }
}
