//! [`EchoFilter`]: dropping the webhook events a program's own writes cause.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::webhook::TicketEvent;
use crate::{Id, Vendor};

/// Recognises the webhook events caused by this program's own writes, so
/// that an agent reacting to ticket events does not react to itself (a note
/// it adds comes back as a "ticket updated" event, which it answers with
/// another note …).
///
/// Two signals, used together:
///
/// - **Who made the change** ([`TicketEvent::actor`]): an event whose actor
///   is one of the program's own identities ([`actor`](Self::actor)) is an
///   echo. What each vendor sends as the actor: HaloPSA the action's `who`
///   (the agent's name), ConnectWise the callback's `MemberId` (the member
///   identifier), Autotask the delivery's `PersonID` (the resource id),
///   ServiceNow `sys_updated_by` (the user name). Give the API account's
///   identity in that vendor's form.
/// - **What it just wrote**: [`record_write`](Self::record_write) (a
///   `psa_permissions::Guarded` with an echo filter records every ticket
///   it writes) marks a ticket; an event for that ticket within the
///   [`window`](Self::window) is an echo unless its actor is known and is not
///   one of the program's identities. This catches writes made on behalf of
///   a technician (`act_as`), whose actor is the technician, and vendors
///   whose events name no actor. A person's change to the same ticket inside
///   the window whose event names no actor is dropped too: keep the window
///   short (default two minutes).
///
/// The memory of writes holds at most 10,000 tickets (oldest forgotten
/// first) and forgets what left the window.
///
/// ```
/// use psa_core::{EchoFilter, Id, TicketEvent, TicketEventKind, Vendor};
///
/// let echoes = EchoFilter::new().actor("svc-psa-bot");
/// let mut mine = TicketEvent::new(Vendor::ServiceNow, TicketEventKind::Updated, Id::from(1));
/// mine.actor = Some("svc-psa-bot".into());
/// assert!(echoes.is_echo(&mine));
///
/// let mut theirs = mine.clone();
/// theirs.actor = Some("abel.tuter".into());
/// assert!(!echoes.is_echo(&theirs));
///
/// echoes.record_write(Vendor::ServiceNow, &Id::from(1));
/// let mut unnamed = mine.clone();
/// unnamed.actor = None;
/// assert!(echoes.is_echo(&unnamed)); // a ticket this program just wrote
/// assert_eq!(echoes.retain(vec![mine, theirs, unnamed]).len(), 1);
/// ```
#[derive(Debug)]
pub struct EchoFilter {
    actors: Vec<String>,
    window: Duration,
    recent: Mutex<VecDeque<(Vendor, Id, DateTime<Utc>)>>,
}

impl Default for EchoFilter {
    fn default() -> Self {
        EchoFilter::new()
    }
}

/// The most tickets remembered as just written.
const CAPACITY: usize = 10_000;

impl EchoFilter {
    /// A filter with no identities and a two-minute window.
    pub fn new() -> Self {
        EchoFilter {
            actors: Vec::new(),
            window: Duration::from_secs(120),
            recent: Mutex::new(VecDeque::new()),
        }
    }

    /// Adds one of the program's own identities, as the vendor names the
    /// actor of an event (compared without case and surrounding spaces).
    #[must_use]
    pub fn actor(mut self, identity: impl Into<String>) -> Self {
        let id = identity.into().trim().to_lowercase();
        if !id.is_empty() {
            self.actors.push(id);
        }
        self
    }

    /// How long after a recorded write an event for its ticket counts as its
    /// echo (default two minutes).
    #[must_use]
    pub fn window(mut self, window: Duration) -> Self {
        self.window = window;
        self
    }

    /// Records that this program just wrote `ticket`.
    pub fn record_write(&self, vendor: Vendor, ticket: &Id) {
        self.record_write_at(vendor, ticket, Utc::now());
    }

    /// [`record_write`](Self::record_write) at a given time.
    pub fn record_write_at(&self, vendor: Vendor, ticket: &Id, at: DateTime<Utc>) {
        let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        self.forget_old(&mut recent, at);
        recent.retain(|(v, t, _)| !(*v == vendor && t == ticket));
        if recent.len() >= CAPACITY {
            recent.pop_front();
        }
        recent.push_back((vendor, ticket.clone(), at));
    }

    fn forget_old(&self, recent: &mut VecDeque<(Vendor, Id, DateTime<Utc>)>, now: DateTime<Utc>) {
        let window = chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::MAX);
        while recent
            .front()
            .is_some_and(|(_, _, at)| now.signed_duration_since(*at) > window)
        {
            recent.pop_front();
        }
    }

    fn is_own(&self, actor: &str) -> bool {
        let actor = actor.trim().to_lowercase();
        self.actors.contains(&actor)
    }

    /// Whether `event` was caused by this program's own write.
    pub fn is_echo(&self, event: &TicketEvent) -> bool {
        if let Some(actor) = event.actor.as_deref() {
            if self.is_own(actor) {
                return true;
            }
            if !self.actors.is_empty() {
                // Someone else, named: never an echo.
                return false;
            }
        }
        let now = Utc::now();
        let at = event.occurred_at.unwrap_or(now);
        let window = chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::MAX);
        let mut recent = self.recent.lock().unwrap_or_else(PoisonError::into_inner);
        self.forget_old(&mut recent, now);
        recent.iter().any(|(v, t, written)| {
            *v == event.vendor
                && *t == event.ticket
                && at.signed_duration_since(*written).abs() <= window
        })
    }

    /// The events of `events` that are not echoes.
    pub fn retain(&self, events: Vec<TicketEvent>) -> Vec<TicketEvent> {
        events.into_iter().filter(|e| !self.is_echo(e)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TicketEventKind;

    fn event(ticket: i64, actor: Option<&str>) -> TicketEvent {
        let mut e = TicketEvent::new(Vendor::Halo, TicketEventKind::Updated, Id::from(ticket));
        e.actor = actor.map(str::to_owned);
        e
    }

    #[test]
    fn own_actor_in_any_case_is_an_echo() {
        let f = EchoFilter::new().actor(" API Agent ");
        assert!(f.is_echo(&event(1, Some("api agent"))));
        assert!(!f.is_echo(&event(1, Some("Jane Tech"))));
        assert!(!f.is_echo(&event(1, None)));
    }

    #[test]
    fn a_recent_write_makes_unnamed_events_echoes_for_that_ticket_only() {
        let f = EchoFilter::new().window(Duration::from_secs(60));
        f.record_write(Vendor::Halo, &Id::from(7));
        assert!(f.is_echo(&event(7, None)));
        assert!(
            f.is_echo(&event(7, Some("Jane Tech"))),
            "no identities: any actor"
        );
        assert!(!f.is_echo(&event(8, None)));
        let mut other_vendor = event(7, None);
        other_vendor.vendor = Vendor::Autotask;
        assert!(!f.is_echo(&other_vendor));
        // An event long after the write is not its echo.
        let mut late = event(7, None);
        late.occurred_at = Some(Utc::now() + chrono::Duration::seconds(600));
        assert!(!f.is_echo(&late));
    }

    #[test]
    fn with_identities_a_named_person_is_never_an_echo() {
        let f = EchoFilter::new().actor("bot");
        f.record_write(Vendor::Halo, &Id::from(7));
        assert!(!f.is_echo(&event(7, Some("Jane Tech"))));
        assert!(f.is_echo(&event(7, None)));
    }

    #[test]
    fn old_writes_are_forgotten_and_memory_is_bounded() {
        let f = EchoFilter::new().window(Duration::from_secs(60));
        let long_ago = Utc::now() - chrono::Duration::seconds(3600);
        f.record_write_at(Vendor::Halo, &Id::from(1), long_ago);
        assert!(!f.is_echo(&event(1, None)));
        for i in 0..(i64::try_from(CAPACITY).unwrap() + 50) {
            f.record_write(Vendor::Halo, &Id::from(i));
        }
        assert!(f.recent.lock().unwrap().len() <= CAPACITY);
    }
}
