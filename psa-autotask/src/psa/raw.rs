//! Raw requests: any path under `/V1.0/`, and the permission group of each
//! path ([`raw_group_of`]).

use http::Method;
use psa_core::{PermissionGroup, RawRequest, RawResponse, Result};

use crate::client::Client;
use crate::transport::raw_request;

/// The methods Autotask's REST API uses: reads and queries (`GET`,
/// `POST …/query`), creates (`POST`), updates (`PATCH`, `PUT`), deletes.
pub(crate) const AUTOTASK_METHODS: &[Method] = &[
    Method::GET,
    Method::POST,
    Method::PATCH,
    Method::PUT,
    Method::DELETE,
];

/// Sends a raw request (its method one Autotask uses and its path checked
/// first: relative, under `/V1.0/`).
pub(super) async fn send(client: &Client, request: &RawRequest) -> Result<RawResponse> {
    request.validate_methods(AUTOTASK_METHODS)?;
    request.checked_path()?;
    client.send_raw(raw_request(request)?).await
}

/// Child collections whose group differs from their parent's:
/// (parent, child segment, group).
const CHILD_GROUPS: &[(&str, &str, PermissionGroup)] = &[
    ("tickets", "notes", PermissionGroup::TicketNotes),
    ("tickets", "charges", PermissionGroup::Products),
    ("tickets", "attachments", PermissionGroup::Attachments),
    ("companies", "contacts", PermissionGroup::Contacts),
];

/// Entity collections (lower-case) by permission group.
const ENTITY_GROUPS: &[(PermissionGroup, &[&str])] = &[
    (
        PermissionGroup::Tickets,
        &[
            "tickets",
            "ticketadditionalcontacts",
            "ticketadditionalconfigurationitems",
            "ticketchecklistitems",
            "ticketsecondaryresources",
            "tickettagassociations",
            "ticketchangerequestapprovals",
            "ticketrmacredits",
        ],
    ),
    (PermissionGroup::TicketNotes, &["ticketnotes"]),
    (
        PermissionGroup::Attachments,
        &["ticketattachments", "ticketnoteattachments"],
    ),
    (PermissionGroup::AuditTrail, &["tickethistory"]),
    (PermissionGroup::TimeEntries, &["timeentries"]),
    (
        PermissionGroup::Companies,
        &[
            "companies",
            "companylocations",
            "companynotes",
            "companytodos",
        ],
    ),
    (PermissionGroup::Contacts, &["contacts", "contactgroups"]),
    (
        PermissionGroup::Configurations,
        &[
            "configurationitems",
            "configurationitemnotes",
            "configurationitemtypes",
            "configurationitemcategories",
        ],
    ),
    (
        PermissionGroup::ScheduleEntries,
        &[
            "servicecalls",
            "servicecalltickets",
            "servicecallticketresources",
            "servicecalltasks",
            "servicecalltaskresources",
            "appointments",
        ],
    ),
    (
        PermissionGroup::Products,
        &[
            "products",
            "productnotes",
            "productvendors",
            "producttiers",
            "ticketcharges",
        ],
    ),
    (
        PermissionGroup::Agreements,
        &[
            "contracts",
            "contractservices",
            "contractnotes",
            "contractblocks",
            "contractcharges",
        ],
    ),
    (
        PermissionGroup::Slas,
        &["servicelevelagreementresults", "servicelevelagreements"],
    ),
    (
        PermissionGroup::Projects,
        &[
            "projects",
            "tasks",
            "phases",
            "projectnotes",
            "tasknotes",
            "projectcharges",
        ],
    ),
    (
        PermissionGroup::KnowledgeBase,
        &[
            "knowledgebasearticles",
            "knowledgebasecategories",
            "articleplaintextcontent",
            "articlenotes",
        ],
    ),
    (
        PermissionGroup::Lookups,
        &[
            "resources",
            "roles",
            "resourceroles",
            "resourceservicedeskroles",
            "resourceroledepartments",
            "resourcerolequeues",
            "billingcodes",
            "ticketcategories",
            "ticketcategoryfielddefaults",
            "departments",
            "thresholdinformation",
            "version",
        ],
    ),
    (
        PermissionGroup::Webhooks,
        &[
            "ticketwebhooks",
            "ticketwebhookfields",
            "ticketwebhookexcludedresources",
            "ticketwebhookudffields",
            "ticketnotewebhooks",
            "ticketnotewebhookfields",
            "ticketnotewebhookexcludedresources",
            "ticketnotewebhookudffields",
            "companywebhooks",
            "contactwebhooks",
            "configurationitemwebhooks",
            "webhookeventerrorlogs",
        ],
    ),
];

/// The permission group of a REST path relative to `/V1.0/`
/// (`Tickets/12/Notes`, `TimeEntries/query`; a leading `V1.0/` is allowed),
/// or `None` for a path this table does not know (a guard then denies it).
/// Metadata (`{Entity}/entityInformation…`) is a look-up; a child
/// collection under a parent id belongs to the child's group.
///
/// ```
/// use psa_core::PermissionGroup;
/// assert_eq!(psa_autotask::raw_group_of("Tickets/12/Notes"), Some(PermissionGroup::TicketNotes));
/// assert_eq!(psa_autotask::raw_group_of("Invoices/query"), None);
/// ```
pub fn raw_group_of(path: &str) -> Option<PermissionGroup> {
    let mut segs: Vec<String> = path
        .trim_matches('/')
        .split('/')
        .map(str::to_ascii_lowercase)
        .collect();
    if segs.first().is_some_and(|s| s == "v1.0") {
        segs.remove(0);
    }
    let first = segs.first().filter(|s| !s.is_empty())?;
    if segs.get(1).is_some_and(|s| s == "entityinformation") {
        return Some(PermissionGroup::Lookups);
    }
    if let Some(child) = segs.get(2) {
        if let Some((_, _, g)) = CHILD_GROUPS
            .iter()
            .find(|(p, c, _)| p == first && c == child)
        {
            return Some(*g);
        }
    }
    ENTITY_GROUPS
        .iter()
        .find(|(_, names)| names.contains(&first.as_str()))
        .map(|(g, _)| *g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_groups() {
        for (path, group) in [
            ("Tickets/12", Some(PermissionGroup::Tickets)),
            ("V1.0/Tickets/12", Some(PermissionGroup::Tickets)),
            ("Tickets/query", Some(PermissionGroup::Tickets)),
            ("Tickets/12/Notes", Some(PermissionGroup::TicketNotes)),
            ("Tickets/12/Charges", Some(PermissionGroup::Products)),
            ("TicketNotes/query", Some(PermissionGroup::TicketNotes)),
            ("TicketHistory/query", Some(PermissionGroup::AuditTrail)),
            ("TimeEntries/5", Some(PermissionGroup::TimeEntries)),
            ("Companies/3/Contacts", Some(PermissionGroup::Contacts)),
            ("Companies/3", Some(PermissionGroup::Companies)),
            (
                "ServiceCalls/2/Tickets",
                Some(PermissionGroup::ScheduleEntries),
            ),
            ("Contracts/query", Some(PermissionGroup::Agreements)),
            ("TicketWebhooks/1/Fields", Some(PermissionGroup::Webhooks)),
            (
                "Tickets/entityInformation/fields",
                Some(PermissionGroup::Lookups),
            ),
            ("ThresholdInformation", Some(PermissionGroup::Lookups)),
            ("Invoices/query", None),
            ("Quotes/1/Items", None),
            ("", None),
        ] {
            assert_eq!(raw_group_of(path), group, "{path}");
        }
    }
}
