//! Tenant-specific settings the uniform mapping needs: action types, the
//! statuses that count as closed, the integration's agent.

use std::sync::Arc;

/// The action types (Halo "outcomes") the SDK uses when it writes actions.
///
/// Action types are configuration of each Halo instance (*Configuration >
/// Tickets > Actions*; `GET /Outcome` lists them). The defaults are Halo's
/// usual names; set the names your instance uses. The SDK also reads notes
/// back by these names: an action whose type is `resolution` is a
/// resolution note.
///
/// ```
/// use psa_halo::Outcomes;
/// let o = Outcomes::default().customer_note("Email User");
/// assert_eq!(o.customer_note_name(), "Email User");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcomes {
    internal_note: Arc<str>,
    customer_note: Arc<str>,
    resolution: Arc<str>,
    time_entry: Arc<str>,
    issue_items: Arc<str>,
}

impl Default for Outcomes {
    fn default() -> Self {
        Outcomes {
            internal_note: "Private Note".into(),
            customer_note: "Note".into(),
            resolution: "Resolution".into(),
            time_entry: "Private Note".into(),
            issue_items: "Issue Items".into(),
        }
    }
}

impl Outcomes {
    /// The action type of internal notes (default "Private Note").
    #[must_use]
    pub fn internal_note(mut self, name: impl Into<Arc<str>>) -> Self {
        self.internal_note = name.into();
        self
    }
    /// The action type of customer-visible notes (default "Note").
    #[must_use]
    pub fn customer_note(mut self, name: impl Into<Arc<str>>) -> Self {
        self.customer_note = name.into();
        self
    }
    /// The action type of resolution notes (default "Resolution").
    #[must_use]
    pub fn resolution(mut self, name: impl Into<Arc<str>>) -> Self {
        self.resolution = name.into();
        self
    }
    /// The action type of time entries (default "Private Note": time logged
    /// on an internal action).
    #[must_use]
    pub fn time_entry(mut self, name: impl Into<Arc<str>>) -> Self {
        self.time_entry = name.into();
        self
    }
    /// The action type that issues items to a ticket (default "Issue Items").
    #[must_use]
    pub fn issue_items(mut self, name: impl Into<Arc<str>>) -> Self {
        self.issue_items = name.into();
        self
    }

    /// The internal note type.
    pub fn internal_note_name(&self) -> &str {
        &self.internal_note
    }
    /// The customer note type.
    pub fn customer_note_name(&self) -> &str {
        &self.customer_note
    }
    /// The resolution note type.
    pub fn resolution_name(&self) -> &str {
        &self.resolution
    }
    /// The time entry type.
    pub fn time_entry_name(&self) -> &str {
        &self.time_entry
    }
    /// The item-issuing type.
    pub fn issue_items_name(&self) -> &str {
        &self.issue_items
    }
}

/// What the mapping between Halo records and the uniform models depends on.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The integration's agent: the default agent of time entries.
    pub(crate) agent_id: Option<i64>,
    /// Status ids that count as closed.
    pub(crate) closed_status_ids: Arc<[i64]>,
    /// Action types used for writes.
    pub(crate) outcomes: Outcomes,
    /// The look-up table holding charge types (work types).
    pub(crate) work_type_lookup_id: Option<i64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            agent_id: None,
            closed_status_ids: Arc::from(vec![9]),
            outcomes: Outcomes::default(),
            work_type_lookup_id: None,
        }
    }
}

impl Settings {
    pub(crate) fn is_closed_status(&self, status_id: i64) -> bool {
        self.closed_status_ids.contains(&status_id)
    }
}
