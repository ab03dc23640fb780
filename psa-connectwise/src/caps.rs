//! What the ConnectWise client supports through the uniform [`Psa`](psa_core::Psa)
//! trait: the support table and every caveat text (the operations return
//! the same text).

use psa_core::{Capabilities, Operation, Support, Vendor};

/// Caveat of ticket creation.
pub(crate) const CREATE_TICKET_NOTE: &str = "custom fields are written by caption with a follow-up PATCH after the create \
     (ConnectWise identifies custom fields by id, which a new ticket does not have yet)";
/// Caveat of merges.
pub(crate) const MERGE_NOTE: &str = "merged tickets are set to the first closed status of their board (ConnectWise \
     requires a status for them); tickets on different boards are merged in one request per board";
/// Caveat of the audit trail.
pub(crate) const AUDIT_NOTE: &str = "entries carry ConnectWise's text; the changed field and its old and new values are not split out";
/// Caveat of contact search by phone.
pub(crate) const CONTACT_SEARCH_NOTE: &str = "a phone number matches a contact's communication item when it is the \
     same number (formatting, trunk and international prefixes and extensions aside; numbers stored without a \
     country code are read in the client's `phone_country`); emails match exactly (case-insensitive)";
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
     `ticket`, level `owner`; an existing callback for the same URL is reused); the event list is not sent, and a shared secret cannot be set (ConnectWise signs \
     with its own key)";

/// Caveat of attribution (`act_as`).
pub(crate) const ACT_AS_NOTE: &str = "writes are made with a member impersonation token of the agent \
     (`POST /system/members/{identifier}/tokens`); the API member's security role must allow member tokens \
     and the member must be active";

/// Caveat of custom-field definitions.
pub(crate) const CUSTOM_FIELDS_NOTE: &str = "the fields are those on one record of the entity (ConnectWise \
     puts every custom field of a screen on each record), described by `/system/userDefinedFields`; a tenant \
     with no such record reports none";

/// The client's capabilities.
pub fn capabilities() -> Capabilities {
    Capabilities::all_supported(Vendor::ConnectWise)
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
        .with(
            Operation::ListCustomFields,
            Support::Partial(CUSTOM_FIELDS_NOTE.into()),
        )
        .with_act_as(Support::Partial(ACT_AS_NOTE.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_is_supported_with_reasons_for_caveats() {
        let caps = capabilities();
        for op in Operation::ALL {
            assert!(caps.supports(*op), "{op}");
        }
        assert!(caps.reason(Operation::MergeTickets).is_some());
        assert!(caps.act_as().is_supported() && caps.act_as().reason().is_some());
    }
}
