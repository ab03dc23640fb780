//! The permission vocabulary: groups, access levels, and the static
//! descriptor every operation of the [`Psa`](crate::Psa) trait carries.
//!
//! Enforcement lives in `psa-permissions`; this module only names things, so
//! that a vendor crate, a guard and an audit log agree on what a call is
//! before any byte goes to the network.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::{Id, Vendor};

/// A family of PSA records a policy grants access to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PermissionGroup {
    /// Tickets: read, create, triage, merge, bundle, delete.
    Tickets,
    /// Notes on tickets (internal, customer-facing, resolution).
    TicketNotes,
    /// Time entries.
    TimeEntries,
    /// Contacts (end users).
    Contacts,
    /// Companies (clients, accounts).
    Companies,
    /// Configurations / assets / configuration items.
    Configurations,
    /// Product catalog and ticket line items.
    Products,
    /// Schedule entries, appointments, service calls.
    ScheduleEntries,
    /// Agreements / contracts.
    Agreements,
    /// Service level agreements.
    Slas,
    /// Projects.
    Projects,
    /// Knowledge-base articles.
    KnowledgeBase,
    /// Audit trail / ticket history.
    AuditTrail,
    /// Webhook subscriptions and deliveries.
    Webhooks,
    /// Look-ups: statuses, priorities, queues, ticket types, agents, work
    /// types, custom-field definitions.
    Lookups,
    /// Files attached to tickets.
    Attachments,
}

impl PermissionGroup {
    /// Every group, in declaration order.
    pub const ALL: [PermissionGroup; 16] = [
        PermissionGroup::Tickets,
        PermissionGroup::TicketNotes,
        PermissionGroup::TimeEntries,
        PermissionGroup::Contacts,
        PermissionGroup::Companies,
        PermissionGroup::Configurations,
        PermissionGroup::Products,
        PermissionGroup::ScheduleEntries,
        PermissionGroup::Agreements,
        PermissionGroup::Slas,
        PermissionGroup::Projects,
        PermissionGroup::KnowledgeBase,
        PermissionGroup::AuditTrail,
        PermissionGroup::Webhooks,
        PermissionGroup::Lookups,
        PermissionGroup::Attachments,
    ];

    /// The snake_case name used in policy files (`ticket_notes`).
    pub const fn as_str(self) -> &'static str {
        match self {
            PermissionGroup::Tickets => "tickets",
            PermissionGroup::TicketNotes => "ticket_notes",
            PermissionGroup::TimeEntries => "time_entries",
            PermissionGroup::Contacts => "contacts",
            PermissionGroup::Companies => "companies",
            PermissionGroup::Configurations => "configurations",
            PermissionGroup::Products => "products",
            PermissionGroup::ScheduleEntries => "schedule_entries",
            PermissionGroup::Agreements => "agreements",
            PermissionGroup::Slas => "slas",
            PermissionGroup::Projects => "projects",
            PermissionGroup::KnowledgeBase => "knowledge_base",
            PermissionGroup::AuditTrail => "audit_trail",
            PermissionGroup::Webhooks => "webhooks",
            PermissionGroup::Lookups => "lookups",
            PermissionGroup::Attachments => "attachments",
        }
    }
}

impl fmt::Display for PermissionGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much of a group a policy grants. Ordered: `Disabled < ReadOnly < ReadWrite`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Nothing, not even reads. The default: what a policy does not grant is denied.
    #[default]
    Disabled,
    /// Reads only.
    ReadOnly,
    /// Reads and writes (create, update). Delete, merge and bundle need their own switch.
    ReadWrite,
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Access::Disabled => "disabled",
            Access::ReadOnly => "read_only",
            Access::ReadWrite => "read_write",
        })
    }
}

/// What an operation does to the records of its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    /// Reads only.
    Read,
    /// Creates or updates.
    Write,
    /// Deletes.
    Delete,
    /// Merges records into one.
    Merge,
    /// Bundles records under a parent.
    Bundle,
}

impl OpKind {
    /// Whether the operation changes anything in the PSA.
    pub const fn is_mutation(self) -> bool {
        !matches!(self, OpKind::Read)
    }

    /// The minimum [`Access`] level the operation needs. Delete, merge and
    /// bundle need `ReadWrite` *and* their own policy switch.
    pub const fn required_access(self) -> Access {
        match self {
            OpKind::Read => Access::ReadOnly,
            _ => Access::ReadWrite,
        }
    }
}

impl fmt::Display for OpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OpKind::Read => "read",
            OpKind::Write => "write",
            OpKind::Delete => "delete",
            OpKind::Merge => "merge",
            OpKind::Bundle => "bundle",
        })
    }
}

/// The static description of an operation: the group it touches, what it
/// does, and every field it may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpDescriptor {
    /// The operation described.
    pub operation: Operation,
    /// The permission group it belongs to.
    pub group: PermissionGroup,
    /// What it does.
    pub kind: OpKind,
    /// Every uniform field it may write (empty for reads). The fields a given
    /// call writes are a subset, reported by the input's `written_fields()`;
    /// custom fields appear as `custom_fields.<name>`.
    pub fields: &'static [&'static str],
}

macro_rules! operations {
    ($( $(#[$doc:meta])* $name:ident => ($group:ident, $kind:ident, $method:literal, [$($field:literal),*]) ),* $(,)?) => {
        /// Every operation of the [`Psa`](crate::Psa) trait.
        ///
        /// Adding an operation without a descriptor does not compile: the
        /// descriptor table and this enum are generated from one list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum Operation {
            $( $(#[$doc])* $name, )*
        }

        impl Operation {
            /// Every operation, in declaration order.
            pub const ALL: &'static [Operation] = &[$(Operation::$name),*];

            /// The operation's static descriptor.
            pub const fn descriptor(self) -> OpDescriptor {
                match self {
                    $(Operation::$name => OpDescriptor {
                        operation: Operation::$name,
                        group: PermissionGroup::$group,
                        kind: OpKind::$kind,
                        fields: &[$($field),*],
                    },)*
                }
            }

            /// The name of the [`Psa`](crate::Psa) method that performs it.
            pub const fn method_name(self) -> &'static str {
                match self {
                    $(Operation::$name => $method,)*
                }
            }
        }
    };
}

operations! {
    /// Read one ticket.
    GetTicket => (Tickets, Read, "get_ticket", []),
    /// List tickets matching a query.
    ListTickets => (Tickets, Read, "list_tickets", []),
    /// Read one ticket by the number people quote (`INC0010001`,
    /// `T20261203.0001`, a HaloPSA or ConnectWise ticket id).
    FindTicketByNumber => (Tickets, Read, "find_ticket_by_number", []),
    /// Create a ticket.
    CreateTicket => (Tickets, Write, "create_ticket",
        ["summary", "description", "company", "contact", "status", "priority", "queue",
         "ticket_type", "subtype", "owner", "custom_fields"]),
    /// Update a ticket (triage).
    UpdateTicket => (Tickets, Write, "update_ticket",
        ["status", "priority", "queue", "ticket_type", "subtype", "owner", "contact", "company",
         "summary", "description", "resolution", "custom_fields"]),
    /// Merge tickets into one.
    MergeTickets => (Tickets, Merge, "merge_tickets", []),
    /// Bundle tickets under a parent.
    BundleTickets => (Tickets, Bundle, "bundle_tickets", []),
    /// Delete a ticket.
    DeleteTicket => (Tickets, Delete, "delete_ticket", []),

    /// List a ticket's notes.
    ListNotes => (TicketNotes, Read, "list_notes", []),
    /// Add a note to a ticket.
    AddNote => (TicketNotes, Write, "add_note", ["internal", "customer", "resolution", "notify"]),

    /// List time entries.
    ListTimeEntries => (TimeEntries, Read, "list_time_entries", []),
    /// Create a time entry.
    CreateTimeEntry => (TimeEntries, Write, "create_time_entry",
        ["ticket", "agent", "start", "duration", "end", "billable", "work_type", "note"]),
    /// Update a time entry.
    UpdateTimeEntry => (TimeEntries, Write, "update_time_entry",
        ["start", "duration", "end", "billable", "work_type", "note"]),
    /// Delete a time entry.
    DeleteTimeEntry => (TimeEntries, Delete, "delete_time_entry", []),

    /// Read one company.
    GetCompany => (Companies, Read, "get_company", []),
    /// Search companies.
    SearchCompanies => (Companies, Read, "search_companies", []),

    /// Read one contact.
    GetContact => (Contacts, Read, "get_contact", []),
    /// Search contacts by name, email or phone.
    SearchContacts => (Contacts, Read, "search_contacts", []),
    /// Create a contact.
    CreateContact => (Contacts, Write, "create_contact",
        ["first_name", "last_name", "email", "phone", "company"]),
    /// Update a contact.
    UpdateContact => (Contacts, Write, "update_contact",
        ["first_name", "last_name", "email", "phone"]),

    /// Read one configuration / asset.
    GetConfiguration => (Configurations, Read, "get_configuration", []),
    /// List configurations.
    ListConfigurations => (Configurations, Read, "list_configurations", []),
    /// Create a configuration.
    CreateConfiguration => (Configurations, Write, "create_configuration",
        ["name", "company", "configuration_type", "serial_number", "custom_fields"]),
    /// Update a configuration.
    UpdateConfiguration => (Configurations, Write, "update_configuration",
        ["name", "configuration_type", "serial_number", "active", "custom_fields"]),

    /// List schedule entries.
    ListScheduleEntries => (ScheduleEntries, Read, "list_schedule_entries", []),
    /// Create a schedule entry.
    CreateScheduleEntry => (ScheduleEntries, Write, "create_schedule_entry",
        ["agent", "ticket", "subject", "start", "end", "note"]),
    /// Update a schedule entry.
    UpdateScheduleEntry => (ScheduleEntries, Write, "update_schedule_entry",
        ["agent", "subject", "start", "end", "note"]),
    /// Delete a schedule entry.
    DeleteScheduleEntry => (ScheduleEntries, Delete, "delete_schedule_entry", []),

    /// Search the product catalog.
    SearchProducts => (Products, Read, "search_products", []),
    /// Add a product line item to a ticket.
    AddTicketProduct => (Products, Write, "add_ticket_product",
        ["product", "quantity", "price", "description", "billable"]),

    /// List agreements / contracts.
    ListAgreements => (Agreements, Read, "list_agreements", []),
    /// List SLAs.
    ListSlas => (Slas, Read, "list_slas", []),
    /// List projects.
    ListProjects => (Projects, Read, "list_projects", []),
    /// Search knowledge-base articles.
    SearchKbArticles => (KnowledgeBase, Read, "search_kb_articles", []),
    /// Read one knowledge-base article.
    GetKbArticle => (KnowledgeBase, Read, "get_kb_article", []),
    /// Read a ticket's audit trail.
    ListAuditTrail => (AuditTrail, Read, "list_audit_trail", []),

    /// List ticket statuses.
    ListStatuses => (Lookups, Read, "list_statuses", []),
    /// List priorities.
    ListPriorities => (Lookups, Read, "list_priorities", []),
    /// List queues / boards / teams.
    ListQueues => (Lookups, Read, "list_queues", []),
    /// List ticket types.
    ListTicketTypes => (Lookups, Read, "list_ticket_types", []),
    /// List agents / members / resources / users who work tickets.
    ListAgents => (Lookups, Read, "list_agents", []),
    /// List work types / billing codes.
    ListWorkTypes => (Lookups, Read, "list_work_types", []),
    /// List the tenant's custom-field definitions.
    ListCustomFields => (Lookups, Read, "list_custom_fields", []),

    /// List a ticket's attachments.
    ListAttachments => (Attachments, Read, "list_attachments", []),
    /// Download an attachment (streamed, size-capped).
    DownloadAttachment => (Attachments, Read, "download_attachment", []),
    /// Attach a file to a ticket.
    UploadAttachment => (Attachments, Write, "upload_attachment",
        ["file_name", "content_type", "data", "internal"]),
    /// Delete an attachment.
    DeleteAttachment => (Attachments, Delete, "delete_attachment", []),

    /// Register a webhook subscription for ticket events.
    SubscribeWebhook => (Webhooks, Write, "subscribe_webhook", ["url", "events", "name", "secret"]),
    /// List webhook subscriptions.
    ListWebhooks => (Webhooks, Read, "list_webhooks", []),
    /// Delete a webhook subscription.
    DeleteWebhook => (Webhooks, Delete, "delete_webhook", []),
    /// Verify a webhook delivery and turn it into ticket events.
    ParseWebhook => (Webhooks, Read, "parse_webhook", []),

    /// Any other endpoint. The group is decided per request from its path
    /// (see [`Psa::raw_group`](crate::Psa::raw_group)) and the kind from its
    /// method; this descriptor's group is only a placeholder.
    Raw => (Tickets, Read, "raw", []),
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.method_name())
    }
}

/// A write the SDK is about to make, as a guard, an approver and an audit log
/// see it: no secret is ever part of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PlannedWrite {
    /// The vendor the write goes to.
    pub vendor: Vendor,
    /// The operation.
    pub operation: Operation,
    /// Its group (for raw requests, the group the path maps to).
    pub group: PermissionGroup,
    /// What it does.
    pub kind: OpKind,
    /// The record written, when it exists already (update, delete, the target
    /// of a note or a merge).
    pub target: Option<Id>,
    /// The uniform fields written.
    pub fields: Vec<String>,
    /// The input as JSON, secrets removed.
    pub payload: serde_json::Value,
}

impl PlannedWrite {
    /// A planned write.
    pub fn new(
        vendor: Vendor,
        operation: Operation,
        group: PermissionGroup,
        kind: OpKind,
        target: Option<Id>,
        fields: Vec<String>,
        payload: serde_json::Value,
    ) -> Self {
        PlannedWrite {
            vendor,
            operation,
            group,
            kind,
            target,
            fields,
            payload,
        }
    }
}

impl fmt::Display for PlannedWrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} on {}", self.vendor, self.operation, self.group)?;
        if let Some(t) = &self.target {
            write!(f, " (target {t})")?;
        }
        if !self.fields.is_empty() {
            write!(f, " writing [{}]", self.fields.join(", "))?;
        }
        Ok(())
    }
}

/// Why a guard refused a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Denial {
    /// The operation refused.
    pub operation: Operation,
    /// The group it needed.
    pub group: Option<PermissionGroup>,
    /// The right that was missing, e.g. `read_write`, `delete`,
    /// `field:priority`, `known raw path`.
    pub missing: String,
}

impl Denial {
    /// A denial.
    pub fn new(
        operation: Operation,
        group: Option<PermissionGroup>,
        missing: impl Into<String>,
    ) -> Self {
        Denial {
            operation,
            group,
            missing: missing.into(),
        }
    }
}

impl fmt::Display for Denial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.group {
            Some(g) => write!(f, "{} needs {} on {}", self.operation, self.missing, g),
            None => write!(f, "{} needs {}", self.operation, self.missing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_are_consistent() {
        let mut names = std::collections::BTreeSet::new();
        for op in Operation::ALL {
            let d = op.descriptor();
            assert_eq!(d.operation, *op);
            assert!(names.insert(op.method_name()), "duplicate {op}");
            if d.kind == OpKind::Read {
                assert!(d.fields.is_empty(), "{op} reads but lists written fields");
            }
        }
    }

    #[test]
    fn access_is_ordered() {
        assert!(Access::Disabled < Access::ReadOnly && Access::ReadOnly < Access::ReadWrite);
        assert_eq!(OpKind::Delete.required_access(), Access::ReadWrite);
    }
}
