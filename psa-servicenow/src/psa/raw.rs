//! Raw requests: any `api/…` call, permission-gated by the table it reads
//! or writes.

use psa_core::{PermissionGroup, RawRequest, RawResponse, Result};

use crate::client::Client;
use crate::ids::TaskTable;

/// The permission group of a raw request's path (`api/now/table/incident/…`
/// → tickets): the Table API and the Aggregate API (`api/now/stats/…`) by
/// table, `v1`/`v2` included. Any other path — another table, another API,
/// the token endpoint — is `None`, which a guard denies.
///
/// ```
/// use psa_core::PermissionGroup;
/// use psa_servicenow::raw_group_of;
/// assert_eq!(raw_group_of("api/now/table/incident/9d385017c611228701d22104cc95c371"), Some(PermissionGroup::Tickets));
/// assert_eq!(raw_group_of("api/now/table/sys_properties"), None);
/// ```
pub fn raw_group_of(path: &str) -> Option<PermissionGroup> {
    let path = path.trim_start_matches('/');
    let rest = path.strip_prefix("api/now/")?;
    let rest = rest
        .strip_prefix("v1/")
        .or_else(|| rest.strip_prefix("v2/"))
        .unwrap_or(rest);
    let rest = rest
        .strip_prefix("table/")
        .or_else(|| rest.strip_prefix("stats/"))?;
    let table = rest.split('/').next()?;
    Some(match table {
        t if TaskTable::from_name(t).is_some() => PermissionGroup::Tickets,
        "task" => PermissionGroup::Tickets,
        "sys_journal_field" => PermissionGroup::TicketNotes,
        "task_time_worked" | "time_card" => PermissionGroup::TimeEntries,
        "core_company" | "customer_account" => PermissionGroup::Companies,
        "sys_user" | "customer_contact" => PermissionGroup::Contacts,
        t if t == "cmdb_ci" || t.starts_with("cmdb_ci_") => PermissionGroup::Configurations,
        "sc_cat_item" => PermissionGroup::Products,
        "ast_contract" | "ast_service" => PermissionGroup::Agreements,
        "contract_sla" | "task_sla" => PermissionGroup::Slas,
        "pm_project" | "pm_project_task" => PermissionGroup::Projects,
        "kb_knowledge" => PermissionGroup::KnowledgeBase,
        "sys_audit" => PermissionGroup::AuditTrail,
        "sys_choice" | "sys_user_group" => PermissionGroup::Lookups,
        _ => return None,
    })
}

/// The group of a request that passes the checks `raw` makes (plain
/// path segments); `None` — denied by a guard — for any other.
pub(super) fn raw_group(request: &RawRequest) -> Option<PermissionGroup> {
    request.checked_path().ok().and_then(raw_group_of)
}

pub(super) async fn raw(c: &Client, request: RawRequest) -> Result<RawResponse> {
    c.raw_request(request).send().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_paths_map_to_groups() {
        assert_eq!(
            raw_group_of("api/now/table/incident/abc"),
            Some(PermissionGroup::Tickets)
        );
        assert_eq!(
            raw_group_of("api/now/v2/table/sys_journal_field"),
            Some(PermissionGroup::TicketNotes)
        );
        assert_eq!(
            raw_group_of("api/now/table/cmdb_ci_server"),
            Some(PermissionGroup::Configurations)
        );
        assert_eq!(
            raw_group_of("api/now/stats/incident"),
            Some(PermissionGroup::Tickets)
        );
        assert_eq!(raw_group_of("api/now/table/sys_properties"), None);
        assert_eq!(raw_group_of("api/now/attachment/file"), None);
        assert_eq!(raw_group_of("oauth_token.do"), None);
    }
}
