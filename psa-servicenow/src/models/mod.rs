//! Typed models of the ServiceNow tables the SDK reads and writes.
//!
//! Every model matches the Table API's JSON: field names as the instance
//! spells them, every value a [`Field`] (a string, or `{display_value, value}`)
//! or a [`Reference`] (a `sys_id`, `{link, value}` or
//! `{display_value, link, value}`), each `Option` because `sysparm_fields`
//! may leave it out. Every field a model does not name — table-specific
//! columns, dot-walked fields (`caller_id.email`) and custom `u_*` columns —
//! is kept in `extra`, so a record decoded and encoded again equals what the
//! instance sent.
//!
//! The task family shares [`Task`]: [`Incident`], [`ScRequest`],
//! [`ScReqItem`], [`ScTask`], [`ChangeRequest`] and [`Problem`] add their own
//! columns in front of it.

mod value;

pub use value::{
    Field, GLIDE_DATETIME, Reference, format_glide_datetime, format_glide_duration,
    parse_glide_datetime, parse_glide_duration,
};

use serde::{Deserialize, Serialize};

/// Other fields of a record, by name, exactly as sent.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// A table model: its table name.
pub trait TableRecord {
    /// The table the model reads.
    const TABLE: &'static str;
}

macro_rules! table_model {
    (
        $(#[$meta:meta])*
        $name:ident = $table:literal {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            /// Every other field the instance sent, custom `u_*` columns included.
            #[serde(flatten)]
            pub extra: Extra,
        }

        impl TableRecord for $name {
            const TABLE: &'static str = $table;
        }
    };
}

macro_rules! task_model {
    (
        $(#[$meta:meta])*
        $name:ident = $table:literal {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            /// The columns every task-family record has (and, in its
            /// `extra`, everything else).
            #[serde(flatten)]
            pub task: Task,
        }

        impl TableRecord for $name {
            const TABLE: &'static str = $table;
        }
    };
}

table_model! {
    /// The columns of the `task` table that every task-family record has.
    ///
    /// `work_notes` and `comments` are journal fields: they are written by
    /// setting them (each write adds a journal entry) and read back empty;
    /// their history is in `sys_journal_field`
    /// ([`JournalEntry`]).
    Task = "task" {
        /// The record's `sys_id`.
        sys_id: Field,
        /// The number people quote (`INC0010001`).
        number: Field,
        /// One-line summary.
        short_description: Field,
        /// Description.
        description: Field,
        /// State (a choice value: `"1"`, `"2"` …; names in `sys_choice`).
        state: Field,
        /// Priority, `"1"` (critical) to `"5"` (planning).
        priority: Field,
        /// Impact, `"1"` to `"3"`.
        impact: Field,
        /// Urgency, `"1"` to `"3"`.
        urgency: Field,
        /// `"true"` while the record is open.
        active: Field,
        /// Assignment group (`sys_user_group`).
        assignment_group: Reference,
        /// Assigned to (`sys_user`).
        assigned_to: Reference,
        /// Company (`core_company`).
        company: Reference,
        /// Opened at.
        opened_at: Field,
        /// Opened by (`sys_user`).
        opened_by: Reference,
        /// Closed at.
        closed_at: Field,
        /// Closed by (`sys_user`).
        closed_by: Reference,
        /// Close notes (the resolution text).
        close_notes: Field,
        /// Parent task.
        parent: Reference,
        /// Configuration item (`cmdb_ci`).
        cmdb_ci: Reference,
        /// Due date.
        due_date: Field,
        /// SLA due.
        sla_due: Field,
        /// Work notes (internal journal; reads back empty).
        work_notes: Field,
        /// Additional comments (customer-visible journal; reads back empty).
        comments: Field,
        /// Both journals (reads back empty).
        comments_and_work_notes: Field,
        /// Time worked (a duration, `1970-01-01 HH:MM:SS`).
        time_worked: Field,
        /// Contact type (`phone`, `email`, `self-service` …).
        contact_type: Field,
        /// Location (`cmn_location`).
        location: Reference,
        /// Approval.
        approval: Field,
        /// Escalation.
        escalation: Field,
        /// Watch list (comma-separated `sys_id`s and emails).
        watch_list: Field,
        /// Work notes list.
        work_notes_list: Field,
        /// Correlation id (for integrations).
        correlation_id: Field,
        /// The record's table.
        sys_class_name: Field,
        /// Domain.
        sys_domain: Reference,
        /// Created on (UTC).
        sys_created_on: Field,
        /// Created by (a user name).
        sys_created_by: Field,
        /// Updated on (UTC).
        sys_updated_on: Field,
        /// Updated by (a user name: the authenticated user for API writes).
        sys_updated_by: Field,
        /// Update count.
        sys_mod_count: Field,
    }
}

task_model! {
    /// An `incident`.
    Incident = "incident" {
        /// Caller (`sys_user`): the uniform contact.
        caller_id: Reference,
        /// Category (a choice value): the uniform subtype.
        category: Field,
        /// Subcategory.
        subcategory: Field,
        /// Resolution code (`close_code`), set when resolving.
        close_code: Field,
        /// Legacy incident state.
        incident_state: Field,
        /// Severity.
        severity: Field,
        /// Parent incident.
        parent_incident: Reference,
        /// Problem (`problem`).
        problem_id: Reference,
        /// Change request that fixes it.
        rfc: Reference,
        /// Change that caused it.
        caused_by: Reference,
        /// On-hold reason.
        hold_reason: Field,
        /// Resolved at.
        resolved_at: Field,
        /// Resolved by.
        resolved_by: Reference,
        /// Reopen count.
        reopen_count: Field,
        /// Number of child incidents.
        child_incidents: Field,
        /// Business service.
        business_service: Reference,
        /// Notify (`1` do not notify, `2` send email, `3` telephone).
        notify: Field,
    }
}

task_model! {
    /// A Service Catalog request (`sc_request`, `REQ…`).
    ScRequest = "sc_request" {
        /// Requested for (`sys_user`): the uniform contact.
        requested_for: Reference,
        /// Request state.
        request_state: Field,
        /// Stage.
        stage: Field,
        /// Price.
        price: Field,
        /// Special instructions.
        special_instructions: Field,
    }
}

task_model! {
    /// A requested item (`sc_req_item`, `RITM…`).
    ScReqItem = "sc_req_item" {
        /// The request (`sc_request`).
        request: Reference,
        /// The catalog item ordered (`sc_cat_item`).
        cat_item: Reference,
        /// Requested for (`sys_user`): the uniform contact.
        requested_for: Reference,
        /// Quantity.
        quantity: Field,
        /// Stage.
        stage: Field,
        /// Price.
        price: Field,
        /// Recurring price.
        recurring_price: Field,
    }
}

task_model! {
    /// A catalog task (`sc_task`, `SCTASK…`).
    ScTask = "sc_task" {
        /// The requested item it fulfils (`sc_req_item`).
        request_item: Reference,
        /// The request (`sc_request`).
        request: Reference,
    }
}

task_model! {
    /// A `change_request`.
    ChangeRequest = "change_request" {
        /// Change type (`normal`, `standard`, `emergency`).
        #[serde(rename = "type")]
        change_type: Field,
        /// Category.
        category: Field,
        /// Risk.
        risk: Field,
        /// Planned start.
        start_date: Field,
        /// Planned end.
        end_date: Field,
        /// Implementation plan.
        implementation_plan: Field,
        /// Backout plan.
        backout_plan: Field,
        /// Test plan.
        test_plan: Field,
        /// Close code.
        close_code: Field,
        /// Requested by (`sys_user`): the uniform contact.
        requested_by: Reference,
        /// On hold.
        on_hold: Field,
    }
}

task_model! {
    /// A `problem`.
    Problem = "problem" {
        /// Category.
        category: Field,
        /// Subcategory.
        subcategory: Field,
        /// Legacy problem state.
        problem_state: Field,
        /// Known error.
        known_error: Field,
        /// Cause notes.
        cause_notes: Field,
        /// Fix notes.
        fix_notes: Field,
        /// Resolution code.
        resolution_code: Field,
        /// The task first reporting it.
        first_reported_by_task: Reference,
    }
}

table_model! {
    /// A journal entry (`sys_journal_field`): one work note or comment.
    ///
    /// The journal of a record is read with
    /// `element_id=<sys_id>^elementINwork_notes,comments^ORDERBYsys_created_on`.
    JournalEntry = "sys_journal_field" {
        /// The entry's `sys_id`.
        sys_id: Field,
        /// The journal field: `work_notes` (internal) or `comments` (customer-visible).
        element: Field,
        /// The `sys_id` of the record the entry belongs to.
        element_id: Field,
        /// The record's table.
        name: Field,
        /// The text.
        value: Field,
        /// When (UTC).
        sys_created_on: Field,
        /// Who (a user name).
        sys_created_by: Field,
        /// Tags.
        sys_tags: Field,
    }
}

table_model! {
    /// A company (`core_company`).
    CoreCompany = "core_company" {
        /// `sys_id`.
        sys_id: Field,
        /// Name.
        name: Field,
        /// Phone.
        phone: Field,
        /// Fax.
        fax_phone: Field,
        /// Website.
        website: Field,
        /// Street.
        street: Field,
        /// City.
        city: Field,
        /// State / province.
        state: Field,
        /// Postal code.
        zip: Field,
        /// Country.
        country: Field,
        /// Whether a customer.
        customer: Field,
        /// Whether a vendor.
        vendor: Field,
        /// Whether a manufacturer.
        manufacturer: Field,
        /// Parent company.
        parent: Reference,
        /// Stock symbol.
        stock_symbol: Field,
        /// Notes.
        notes: Field,
        /// Created on.
        sys_created_on: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}

table_model! {
    /// A user (`sys_user`): contacts (callers) and agents alike.
    SysUser = "sys_user" {
        /// `sys_id`.
        sys_id: Field,
        /// Login name.
        user_name: Field,
        /// First name.
        first_name: Field,
        /// Last name.
        last_name: Field,
        /// Full name (computed from first and last name).
        name: Field,
        /// Email.
        email: Field,
        /// Business phone.
        phone: Field,
        /// Mobile phone.
        mobile_phone: Field,
        /// Company (`core_company`).
        company: Reference,
        /// Department.
        department: Reference,
        /// Location.
        location: Reference,
        /// Title.
        title: Field,
        /// Active.
        active: Field,
        /// Locked out.
        locked_out: Field,
        /// Time zone.
        time_zone: Field,
        /// Roles (comma-separated role names).
        roles: Field,
        /// Created on.
        sys_created_on: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}

table_model! {
    /// A group (`sys_user_group`): assignment groups are the uniform queues.
    SysUserGroup = "sys_user_group" {
        /// `sys_id`.
        sys_id: Field,
        /// Name.
        name: Field,
        /// Description.
        description: Field,
        /// Email.
        email: Field,
        /// Manager.
        manager: Reference,
        /// Parent group.
        parent: Reference,
        /// Active.
        active: Field,
        /// Types (comma-separated `sys_user_group_type` ids).
        #[serde(rename = "type")]
        group_type: Field,
    }
}

table_model! {
    /// A configuration item (`cmdb_ci`, or one of its classes).
    CmdbCi = "cmdb_ci" {
        /// `sys_id`.
        sys_id: Field,
        /// Name.
        name: Field,
        /// The CI class (`cmdb_ci_computer` …).
        sys_class_name: Field,
        /// Company.
        company: Reference,
        /// Serial number.
        serial_number: Field,
        /// Asset tag.
        asset_tag: Field,
        /// Install status (`1` Installed … `7` Retired).
        install_status: Field,
        /// Operational status.
        operational_status: Field,
        /// Manufacturer (`core_company`).
        manufacturer: Reference,
        /// Model.
        model_id: Reference,
        /// IP address.
        ip_address: Field,
        /// Assigned to.
        assigned_to: Reference,
        /// Location.
        location: Reference,
        /// Description.
        short_description: Field,
        /// Created on.
        sys_created_on: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}

table_model! {
    /// Time worked on a task (`task_time_worked`): one record per timer save
    /// or time entry.
    TaskTimeWorked = "task_time_worked" {
        /// `sys_id`.
        sys_id: Field,
        /// The task.
        task: Reference,
        /// Who worked (`sys_user`).
        user: Reference,
        /// How long (a duration, `1970-01-01 HH:MM:SS`).
        time_worked: Field,
        /// The same in seconds, where the instance keeps it.
        time_in_seconds: Field,
        /// Comments.
        comments: Field,
        /// Category (Time Card Management).
        category: Field,
        /// Work date (Time Card Management).
        work_date: Field,
        /// Time card (Time Card Management).
        time_card: Reference,
        /// Created on (when the time was logged).
        sys_created_on: Field,
        /// Created by.
        sys_created_by: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}

table_model! {
    /// A time card (`time_card`, Time Card Management plugin).
    TimeCard = "time_card" {
        /// `sys_id`.
        sys_id: Field,
        /// The task.
        task: Reference,
        /// Who.
        user: Reference,
        /// First day of the week.
        week_starts_on: Field,
        /// State.
        state: Field,
        /// Category.
        category: Field,
        /// Total hours.
        total: Field,
        /// Created on.
        sys_created_on: Field,
    }
}

table_model! {
    /// A knowledge article (`kb_knowledge`).
    KbKnowledge = "kb_knowledge" {
        /// `sys_id`.
        sys_id: Field,
        /// Number (`KB0010001`).
        number: Field,
        /// Title.
        short_description: Field,
        /// Body (HTML).
        text: Field,
        /// Workflow state (`published`, `draft`, `retired` …).
        workflow_state: Field,
        /// Knowledge base.
        kb_knowledge_base: Reference,
        /// Category.
        kb_category: Reference,
        /// Author.
        author: Reference,
        /// Active.
        active: Field,
        /// Valid to.
        valid_to: Field,
        /// Created on.
        sys_created_on: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}

table_model! {
    /// An SLA attached to a task (`task_sla`).
    TaskSla = "task_sla" {
        /// `sys_id`.
        sys_id: Field,
        /// The task.
        task: Reference,
        /// The SLA definition (`contract_sla`).
        sla: Reference,
        /// Stage (`in_progress`, `paused`, `completed` …).
        stage: Field,
        /// Whether breached.
        has_breached: Field,
        /// Planned end time.
        planned_end_time: Field,
        /// Elapsed percentage.
        percentage: Field,
        /// Business elapsed percentage.
        business_percentage: Field,
        /// Start.
        start_time: Field,
        /// End.
        end_time: Field,
        /// Active.
        active: Field,
    }
}

table_model! {
    /// An SLA definition (`contract_sla`).
    ContractSla = "contract_sla" {
        /// `sys_id`.
        sys_id: Field,
        /// Name.
        name: Field,
        /// `SLA`, `OLA` or `Underpinning contract`.
        #[serde(rename = "type")]
        sla_type: Field,
        /// `response` or `resolution`.
        target: Field,
        /// The task table it applies to.
        collection: Field,
        /// Duration.
        duration: Field,
        /// Schedule.
        schedule: Reference,
        /// Active.
        active: Field,
        /// Updated on.
        sys_updated_on: Field,
    }
}

table_model! {
    /// A contract (`ast_contract`): the uniform agreement.
    AstContract = "ast_contract" {
        /// `sys_id`.
        sys_id: Field,
        /// Number (`CNTR0010001`).
        number: Field,
        /// Name.
        short_description: Field,
        /// The vendor's contract number (the display field).
        vendor_contract: Field,
        /// Vendor (`core_company`).
        vendor: Reference,
        /// Customer (`core_company`).
        customer: Reference,
        /// Contract model.
        contract_model: Reference,
        /// Start date.
        starts: Field,
        /// End date.
        ends: Field,
        /// State (`draft`, `active`, `expired`, `cancelled`).
        state: Field,
        /// Substate.
        substate: Field,
        /// Active.
        active: Field,
        /// Contract administrator.
        contract_administrator: Reference,
        /// Description.
        description: Field,
    }
}

table_model! {
    /// A project (`pm_project`, Project Portfolio Management plugin).
    PmProject = "pm_project" {
        /// `sys_id`.
        sys_id: Field,
        /// Number (`PRJ0010001`).
        number: Field,
        /// Name.
        short_description: Field,
        /// State.
        state: Field,
        /// Company.
        company: Reference,
        /// Project manager.
        project_manager: Reference,
        /// Planned start.
        start_date: Field,
        /// Planned end.
        end_date: Field,
        /// Active.
        active: Field,
        /// Percent complete.
        percent_complete: Field,
    }
}

table_model! {
    /// A choice (`sys_choice`): the label of a value of a choice field.
    SysChoice = "sys_choice" {
        /// `sys_id`.
        sys_id: Field,
        /// The table.
        name: Field,
        /// The field.
        element: Field,
        /// The stored value.
        value: Field,
        /// The label.
        label: Field,
        /// Language (`en` …).
        language: Field,
        /// Whether inactive.
        inactive: Field,
        /// Order.
        sequence: Field,
        /// Dependent value (for dependent choices).
        dependent_value: Field,
    }
}

table_model! {
    /// One audited field change (`sys_audit`).
    SysAudit = "sys_audit" {
        /// `sys_id`.
        sys_id: Field,
        /// The table.
        tablename: Field,
        /// The field.
        fieldname: Field,
        /// The record's `sys_id`.
        documentkey: Field,
        /// Who (a user name).
        user: Field,
        /// Old value.
        oldvalue: Field,
        /// New value.
        newvalue: Field,
        /// Reason.
        reason: Field,
        /// Update count at the change.
        record_checkpoint: Field,
        /// When (UTC).
        sys_created_on: Field,
    }
}

table_model! {
    /// A Service Catalog item (`sc_cat_item`): the uniform product.
    ScCatItem = "sc_cat_item" {
        /// `sys_id`.
        sys_id: Field,
        /// Name.
        name: Field,
        /// Short description.
        short_description: Field,
        /// Description (HTML).
        description: Field,
        /// Price.
        price: Field,
        /// Active.
        active: Field,
        /// Category.
        category: Reference,
        /// Class.
        sys_class_name: Field,
    }
}

impl Task {
    /// A field this model does not name (a table-specific column, a
    /// dot-walked field, a custom `u_*` column), decoded as a reference.
    pub fn extra_reference(&self, name: &str) -> Option<Reference> {
        self.extra
            .get(name)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    }

    /// A field this model does not name, decoded as a plain field.
    pub fn extra_field(&self, name: &str) -> Option<Field> {
        self.extra
            .get(name)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_incident_round_trips() {
        let raw = include_str!("../../tests/fixtures/incident_create_201.json");
        let sample: serde_json::Value = serde_json::from_str(raw).unwrap();
        let record = sample["response"]["body"]["result"].clone();
        let incident: Incident = serde_json::from_value(record.clone()).unwrap();
        assert_eq!(incident.task.number.as_ref().unwrap().value(), "INC0010001");
        assert_eq!(
            incident.task.assignment_group.as_ref().unwrap().sys_id(),
            Some("287ebd7da9fe198100f92cc8d1d2154e")
        );
        assert_eq!(incident.category.as_ref().unwrap().value(), "inquiry");
        // Journal fields read back empty.
        assert_eq!(incident.task.work_notes.as_ref().unwrap().value(), "");
        assert_eq!(serde_json::to_value(&incident).unwrap(), record);
        // The generic task view keeps the incident-only columns in `extra`.
        let task: Task = serde_json::from_value(record.clone()).unwrap();
        assert!(task.extra.contains_key("caller_id"));
        assert_eq!(serde_json::to_value(&task).unwrap(), record);
    }
}
