//! [`ReplayWindow`]: refusing a webhook delivery seen before or sent too
//! long ago, after its signature or secret has been verified.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::webhook::TicketEvent;
use crate::{Error, ErrorKind, Result, Vendor};

/// Refuses replayed webhook deliveries: events whose time is older than a
/// window (or too far in the future), and — with
/// [`remember_ids`](Self::remember_ids) — a delivery id seen before.
///
/// A verified signature proves who sent a delivery, not when: anyone who
/// captured one can send it again. Check the events a verified delivery
/// parsed to (`Psa::parse_webhook`) with [`check`](Self::check) before
/// acting on them. What each vendor sends for it (the crates fill
/// [`TicketEvent::occurred_at`] and [`TicketEvent::delivery_id`]):
///
/// | vendor | time (`occurred_at`) | delivery id | covered by the signature |
/// |---|---|---|---|
/// | Autotask | the event's `EventTime` | the delivery `Guid` | yes (HMAC-SHA1 of the body) |
/// | ConnectWise | the record's `_info.lastUpdated` | the callback's `MessageId` | yes (`x-content-signature`) |
/// | ServiceNow | the record's `sys_updated_on` | the business rule's `delivery_id` | shared-secret header, no signature |
/// | HaloPSA | the action's or ticket's last update | the body's `guid`, when the webhook sends one | Basic credentials, no signature |
///
/// Where the time is the record's last update (ConnectWise, ServiceNow,
/// HaloPSA) a delivery retried by the vendor long after the change is old
/// too: choose a window longer than the vendor's retry schedule. The seen-id
/// cache holds at most its capacity (oldest forgotten first) and forgets an
/// id once its event has left the window, so memory stays bounded; it is
/// per process — replicas behind a load balancer each keep their own.
///
/// ```
/// use std::time::Duration;
/// use chrono::Utc;
/// use psa_core::{Id, ReplayWindow, TicketEvent, TicketEventKind, Vendor};
///
/// let window = ReplayWindow::new(Duration::from_secs(300)).remember_ids(10_000);
/// let mut event = TicketEvent::new(Vendor::Autotask, TicketEventKind::Updated, Id::from(42));
/// event.delivery_id = Some("3f2a".into());
/// event.occurred_at = Some(Utc::now());
/// assert!(window.check(&event).is_ok());
/// assert!(window.check(&event).unwrap_err().is_webhook()); // the same delivery again
///
/// let mut old = event.clone();
/// old.delivery_id = Some("9c1d".into());
/// old.occurred_at = Some(Utc::now() - chrono::Duration::hours(2));
/// assert!(window.check(&old).is_err());
/// ```
#[derive(Debug)]
pub struct ReplayWindow {
    max_age: Duration,
    max_ahead: Duration,
    require_time: bool,
    seen: Option<Mutex<Seen>>,
}

#[derive(Debug)]
struct Seen {
    capacity: usize,
    at: HashMap<(Vendor, String), DateTime<Utc>>,
    order: VecDeque<((Vendor, String), DateTime<Utc>)>,
}

impl ReplayWindow {
    /// Events older than `max_age` are refused; events dated up to a
    /// minute ahead are accepted (clocks differ), later ones refused. An
    /// event without a time is accepted unless
    /// [`require_time`](Self::require_time) is set.
    pub fn new(max_age: Duration) -> Self {
        ReplayWindow {
            max_age,
            max_ahead: Duration::from_secs(60),
            require_time: false,
            seen: None,
        }
    }

    /// How far ahead of this host's clock an event may be dated (default
    /// one minute).
    #[must_use]
    pub fn max_ahead(mut self, ahead: Duration) -> Self {
        self.max_ahead = ahead;
        self
    }

    /// Refuses events that carry no time.
    #[must_use]
    pub fn require_time(mut self, on: bool) -> Self {
        self.require_time = on;
        self
    }

    /// Remembers up to `capacity` delivery ids and refuses a delivery id seen
    /// before (per vendor). An event without a delivery id is not
    /// remembered.
    #[must_use]
    pub fn remember_ids(mut self, capacity: usize) -> Self {
        self.seen = Some(Mutex::new(Seen {
            capacity: capacity.max(1),
            at: HashMap::new(),
            order: VecDeque::new(),
        }));
        self
    }

    /// Checks `event` against the window and the seen ids, now.
    ///
    /// # Errors
    /// A [`Webhook`](ErrorKind::Webhook) error naming why: too old, dated
    /// too far ahead, no time when one is required, or a delivery id seen
    /// before.
    pub fn check(&self, event: &TicketEvent) -> Result<()> {
        self.check_at(event, Utc::now())
    }

    /// Checks every event of one delivery; the first refusal is the error.
    ///
    /// # Errors
    /// As [`check`](Self::check).
    pub fn check_all(&self, events: &[TicketEvent]) -> Result<()> {
        let now = Utc::now();
        // One delivery parses to several events with the same delivery id:
        // remember it once, after every event passed the time check.
        for e in events {
            self.check_time(e, now)?;
        }
        let mut ids: Vec<&TicketEvent> = Vec::new();
        for e in events {
            if e.delivery_id.is_some()
                && !ids
                    .iter()
                    .any(|o| o.vendor == e.vendor && o.delivery_id == e.delivery_id)
            {
                ids.push(e);
            }
        }
        for e in ids {
            self.remember(e, now)?;
        }
        Ok(())
    }

    /// [`check`](Self::check) with the time given (for tests and replays of
    /// a log).
    ///
    /// # Errors
    /// As [`check`](Self::check).
    pub fn check_at(&self, event: &TicketEvent, now: DateTime<Utc>) -> Result<()> {
        self.check_time(event, now)?;
        self.remember(event, now)
    }

    fn check_time(&self, event: &TicketEvent, now: DateTime<Utc>) -> Result<()> {
        let Some(at) = event.occurred_at else {
            return if self.require_time {
                Err(refused(event.vendor, "the delivery carries no event time"))
            } else {
                Ok(())
            };
        };
        let age = now.signed_duration_since(at);
        if age.to_std().is_ok_and(|age| age > self.max_age) {
            return Err(refused(
                event.vendor,
                format!(
                    "the event is {}s old, older than the replay window of {}s",
                    age.num_seconds(),
                    self.max_age.as_secs()
                ),
            ));
        }
        if (-age).to_std().is_ok_and(|ahead| ahead > self.max_ahead) {
            return Err(refused(
                event.vendor,
                format!("the event is dated {}s in the future", (-age).num_seconds()),
            ));
        }
        Ok(())
    }

    fn remember(&self, event: &TicketEvent, now: DateTime<Utc>) -> Result<()> {
        let (Some(seen), Some(id)) = (&self.seen, &event.delivery_id) else {
            return Ok(());
        };
        let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
        let horizon = chrono::Duration::from_std(self.max_age + self.max_ahead)
            .unwrap_or(chrono::Duration::MAX);
        // Forget what left the window; a replay of it fails the time check.
        while let Some((key, at)) = seen.order.front().cloned() {
            if now.signed_duration_since(at) <= horizon && seen.order.len() < seen.capacity {
                break;
            }
            seen.order.pop_front();
            if seen.at.get(&key) == Some(&at) {
                seen.at.remove(&key);
            }
        }
        let key = (event.vendor, id.clone());
        if seen.at.contains_key(&key) {
            return Err(refused(
                event.vendor,
                format!("delivery {id:?} was received before (a replay)"),
            ));
        }
        seen.at.insert(key.clone(), now);
        seen.order.push_back((key, now));
        Ok(())
    }
}

fn refused(vendor: Vendor, why: impl Into<String>) -> Error {
    Error::new(
        ErrorKind::Webhook,
        format!("replayed or stale delivery: {}", why.into()),
    )
    .with_vendor(vendor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Id, TicketEventKind};

    fn event(id: Option<&str>, at: Option<DateTime<Utc>>) -> TicketEvent {
        let mut e = TicketEvent::new(Vendor::ConnectWise, TicketEventKind::Updated, Id::from(7));
        e.delivery_id = id.map(str::to_owned);
        e.occurred_at = at;
        e
    }

    #[test]
    fn old_future_and_untimed_events() {
        let now = Utc::now();
        let w = ReplayWindow::new(Duration::from_secs(300));
        assert!(w.check_at(&event(None, Some(now)), now).is_ok());
        let old = now - chrono::Duration::seconds(301);
        assert!(
            w.check_at(&event(None, Some(old)), now)
                .unwrap_err()
                .is_webhook()
        );
        let ahead = now + chrono::Duration::seconds(61);
        assert!(w.check_at(&event(None, Some(ahead)), now).is_err());
        let near = now + chrono::Duration::seconds(30);
        assert!(w.check_at(&event(None, Some(near)), now).is_ok());
        assert!(w.check_at(&event(None, None), now).is_ok());
        let strict = ReplayWindow::new(Duration::from_secs(300)).require_time(true);
        assert!(strict.check_at(&event(None, None), now).is_err());
    }

    #[test]
    fn a_delivery_id_is_accepted_once_per_vendor() {
        let now = Utc::now();
        let w = ReplayWindow::new(Duration::from_secs(300)).remember_ids(100);
        assert!(w.check_at(&event(Some("m1"), Some(now)), now).is_ok());
        let again = w.check_at(&event(Some("m1"), Some(now)), now).unwrap_err();
        assert!(again.to_string().contains("received before"), "{again}");
        let mut other_vendor = event(Some("m1"), Some(now));
        other_vendor.vendor = Vendor::Autotask;
        assert!(w.check_at(&other_vendor, now).is_ok());
        // Without remember_ids, ids are not tracked.
        let plain = ReplayWindow::new(Duration::from_secs(300));
        assert!(plain.check_at(&event(Some("m1"), Some(now)), now).is_ok());
        assert!(plain.check_at(&event(Some("m1"), Some(now)), now).is_ok());
    }

    #[test]
    fn the_cache_is_bounded_and_forgets_what_left_the_window() {
        let start = Utc::now();
        let w = ReplayWindow::new(Duration::from_secs(60)).remember_ids(3);
        for i in 0..10 {
            let id = format!("d{i}");
            assert!(w.check_at(&event(Some(&id), Some(start)), start).is_ok());
        }
        {
            let seen = w.seen.as_ref().unwrap().lock().unwrap();
            assert!(seen.at.len() <= 3, "{}", seen.at.len());
            assert!(seen.order.len() <= 3);
        }
        // Much later, the old ids are forgotten (their replays would fail
        // the time check instead).
        let later = start + chrono::Duration::seconds(600);
        assert!(w.check_at(&event(Some("new"), Some(later)), later).is_ok());
        let seen = w.seen.as_ref().unwrap().lock().unwrap();
        assert_eq!(seen.at.len(), 1);
    }

    #[test]
    fn one_delivery_with_several_events_is_remembered_once() {
        let now = Utc::now();
        let w = ReplayWindow::new(Duration::from_secs(300)).remember_ids(10);
        let events = [event(Some("b1"), Some(now)), event(Some("b1"), Some(now))];
        assert!(w.check_all(&events).is_ok());
        assert!(w.check_all(&events).is_err());
    }
}
