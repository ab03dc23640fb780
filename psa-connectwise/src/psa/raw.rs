//! Raw requests: any path under the API base, permission-gated by
//! [`raw_group_of`].

use psa_core::{PermissionGroup, RawRequest, RawResponse, Result};

use crate::client::Client;
use crate::transport::raw_request;

pub(super) async fn send(client: &Client, request: &RawRequest) -> Result<RawResponse> {
    client.send_raw(raw_request(request)?).await
}

/// The permission group of a raw API path (relative to `…/apis/3.0`), or
/// `None` when the path is not one the SDK knows — a guard then denies it.
///
/// Member tokens (`system/members/{id}/tokens`) are deliberately unknown: a
/// raw request must never mint credentials.
pub fn raw_group_of(path: &str) -> Option<PermissionGroup> {
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
        ("system", "documents") => PermissionGroup::Attachments,
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
            ("system/documents", Some(PermissionGroup::Attachments)),
            (
                "system/documents/9/download",
                Some(PermissionGroup::Attachments),
            ),
            ("system/members", Some(PermissionGroup::Lookups)),
            ("system/members/101", Some(PermissionGroup::Lookups)),
            ("system/members/jdoe/tokens", None),
            ("system/members/101/tokens", None),
            ("system/securityroles", None),
            ("finance/invoices", None),
            ("", None),
        ] {
            assert_eq!(raw_group_of(p), g, "{p}");
        }
    }
}
