//! The hourly request budget of an Autotask database.
//!
//! Autotask allows 10,000 requests per rolling hour per database, shared by
//! every integration of the tenant; past it, the API refuses every
//! integration until usage drops. [`Budget`] keeps this client inside it:
//!
//! - it learns the tenant's real use and limit from
//!   `GET /V1.0/ThresholdInformation`, read sparingly (at most every
//!   `poll_interval`, or after `poll_after_requests` requests of this
//!   client, whichever comes first);
//! - between reads it adds its own requests to the last reading;
//! - when the estimate reaches `limit × (1 − reserve)` a call waits
//!   ([`BudgetMode::Wait`]) or fails with `RateLimited` and a `retry_after`
//!   ([`BudgetMode::FailFast`]).
//!
//! Independently of the tenant-wide estimate, the client's own requests are
//! counted by a sliding-window rate limiter of `limit × (1 − reserve)` per
//! hour (shareable across clients and replicas, see
//! [`ClientBuilder::shared_rate_limiter`](crate::ClientBuilder::shared_rate_limiter)).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use psa_core::{Error, ErrorKind, Result, Vendor};

use psa_core::http::{OnLimit, RateLimiter, SlidingWindowLimiter};

use crate::client::Client;
use crate::models::ThresholdInformation;

/// What a call does when the budget is nearly spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BudgetMode {
    /// Wait until the budget frees up (bounded by the maximum wait), then send.
    #[default]
    Wait,
    /// Fail at once with a `RateLimited` error carrying `retry_after`.
    FailFast,
}

/// Budget settings (see [`ClientBuilder`](crate::ClientBuilder)).
#[derive(Clone)]
pub(crate) struct BudgetConfig {
    pub(crate) mode: BudgetMode,
    pub(crate) reserve: f64,
    pub(crate) hourly_limit: u32,
    pub(crate) poll_interval: Duration,
    pub(crate) poll_after_requests: u32,
    pub(crate) max_wait: Duration,
    pub(crate) limiter: Option<Arc<dyn RateLimiter>>,
}

impl Default for BudgetConfig {
    fn default() -> Self {
        BudgetConfig {
            mode: BudgetMode::Wait,
            reserve: 0.10,
            hourly_limit: 10_000,
            poll_interval: Duration::from_secs(300),
            poll_after_requests: 500,
            max_wait: Duration::from_secs(900),
            limiter: None,
        }
    }
}

impl fmt::Debug for BudgetConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BudgetConfig")
            .field("mode", &self.mode)
            .field("reserve", &self.reserve)
            .field("hourly_limit", &self.hourly_limit)
            .field("poll_interval", &self.poll_interval)
            .field("poll_after_requests", &self.poll_after_requests)
            .field("max_wait", &self.max_wait)
            .field("shared_limiter", &self.limiter.is_some())
            .finish()
    }
}

impl BudgetConfig {
    /// The limiter of this client's own hourly count: the shared one given
    /// to the builder, or a sliding window of `hourly_limit × (1 − reserve)`
    /// requests per hour that waits or fails fast by the mode.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub(crate) fn hourly_limiter(&self) -> Arc<dyn RateLimiter> {
        if let Some(l) = &self.limiter {
            return Arc::clone(l);
        }
        let allowance = (f64::from(self.hourly_limit) * (1.0 - self.reserve.clamp(0.0, 1.0)))
            .floor()
            .max(1.0) as u32;
        let on_limit = match self.mode {
            BudgetMode::Wait => OnLimit::Wait {
                max_wait: self.max_wait,
            },
            BudgetMode::FailFast => OnLimit::FailFast,
        };
        Arc::new(
            SlidingWindowLimiter::new(allowance, Duration::from_secs(3600)).with_on_limit(on_limit),
        )
    }
}

#[derive(Debug, Default)]
struct State {
    /// The last reading and when it was taken.
    reading: Option<(Instant, ThresholdInformation)>,
    /// Requests this client sent since the last reading.
    since_reading: u64,
    /// When the last reading was attempted (failed readings count too, so a
    /// broken endpoint is not hammered).
    last_attempt: Option<Instant>,
}

/// The tenant-wide budget of one client (shared by its clones).
pub(crate) struct Budget {
    config: BudgetConfig,
    state: Mutex<State>,
    poll: tokio::sync::Mutex<()>,
}

impl fmt::Debug for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("Budget")
            .field("config", &self.config)
            .field("reading", &state.reading.map(|(_, r)| r))
            .field("since_reading", &state.since_reading)
            .finish_non_exhaustive()
    }
}

/// What the budget says about the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Send it.
    Go,
    /// The allowance is spent; try again after this long.
    Spent(Duration),
}

impl Budget {
    pub(crate) fn new(config: BudgetConfig) -> Result<Budget> {
        if !(0.0..1.0).contains(&config.reserve) || config.reserve.is_nan() {
            return Err(Error::config(format!(
                "the budget reserve must be a fraction in [0, 1), got {}",
                config.reserve
            )));
        }
        if config.hourly_limit == 0 {
            return Err(Error::config("the hourly limit must be at least 1"));
        }
        Ok(Budget {
            config,
            state: Mutex::new(State::default()),
            poll: tokio::sync::Mutex::new(()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The most requests this client lets the tenant reach in an hour.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    pub(crate) fn allowance(&self, limit: i64) -> u64 {
        let limit = limit.max(1) as f64;
        (limit * (1.0 - self.config.reserve)).floor().max(1.0) as u64
    }

    /// Records a reading of `ThresholdInformation`.
    pub(crate) fn learn(&self, info: ThresholdInformation) {
        let mut s = self.lock();
        let now = Instant::now();
        s.reading = Some((now, info));
        s.since_reading = 0;
        s.last_attempt = Some(now);
    }

    /// Whether a reading is due now.
    pub(crate) fn poll_due(&self, now: Instant) -> bool {
        if self.config.poll_interval.is_zero() {
            return false;
        }
        let s = self.lock();
        match (s.reading, s.last_attempt) {
            (_, None) => true,
            (_, Some(last)) => {
                now.duration_since(last) >= self.config.poll_interval
                    || s.since_reading >= u64::from(self.config.poll_after_requests)
            }
        }
    }

    /// The verdict for the next request, from the last reading plus this
    /// client's requests since.
    pub(crate) fn verdict(&self, now: Instant) -> Verdict {
        let s = self.lock();
        let (limit, used, timeframe) = match s.reading {
            Some((_, r)) => (
                r.external_request_threshold,
                u64::try_from(r.current_timeframe_request_count).unwrap_or_default(),
                r.request_threshold_timeframe,
            ),
            // Without readings (polling off, or the first one failed) the
            // sliding-window limiter alone governs this client's own rate.
            None => return Verdict::Go,
        };
        let estimate = used + s.since_reading;
        if estimate < self.allowance(limit) {
            return Verdict::Go;
        }
        // Spent: come back when a new reading may show the window moved on.
        let window = Duration::from_secs(u64::try_from(timeframe.max(1)).unwrap_or(60) * 60);
        let since = s
            .last_attempt
            .map_or(Duration::ZERO, |t| now.duration_since(t));
        let interval = if self.config.poll_interval.is_zero() {
            window
        } else {
            self.config.poll_interval
        };
        Verdict::Spent(interval.saturating_sub(since).max(Duration::from_secs(1)))
    }

    fn count(&self) {
        self.lock().since_reading += 1;
    }

    fn mark_attempt(&self) {
        self.lock().last_attempt = Some(Instant::now());
    }

    /// Admits one request of `client`: reads `ThresholdInformation` when a
    /// reading is due, then goes, waits or fails by the mode.
    pub(crate) async fn admit(&self, client: &Client) -> Result<()> {
        let started = Instant::now();
        loop {
            if self.poll_due(Instant::now()) {
                // One reading at a time; late arrivals re-check instead.
                let _guard = self.poll.lock().await;
                if self.poll_due(Instant::now()) {
                    self.mark_attempt();
                    if let Err(e) = client.threshold_information().await {
                        tracing::warn!(error = %e, "could not read Autotask's ThresholdInformation; keeping the last estimate");
                    }
                }
            }
            match self.verdict(Instant::now()) {
                Verdict::Go => {
                    self.count();
                    return Ok(());
                }
                Verdict::Spent(after) => {
                    let waited = started.elapsed();
                    let budget_left = self.config.max_wait.saturating_sub(waited);
                    if self.config.mode == BudgetMode::FailFast || budget_left.is_zero() {
                        return Err(Error::new(
                            ErrorKind::RateLimited,
                            format!(
                                "the Autotask database's hourly request budget is spent down to this client's reserve ({:.0}% kept for other integrations); not sending",
                                self.config.reserve * 100.0
                            ),
                        )
                        .with_vendor(Vendor::Autotask)
                        .with_retry_after(after));
                    }
                    tokio::time::sleep(after.min(budget_left)).await;
                    // Take a fresh reading after the wait.
                    self.lock().last_attempt = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(reserve: f64) -> Budget {
        Budget::new(BudgetConfig {
            reserve,
            ..BudgetConfig::default()
        })
        .unwrap()
    }

    #[test]
    fn readings_drive_the_verdict() {
        let b = budget(0.10);
        assert_eq!(b.allowance(10_000), 9_000);
        let now = Instant::now();
        assert!(b.poll_due(now));
        b.learn(ThresholdInformation::new(10_000, 60, 8_998));
        assert!(!b.poll_due(Instant::now()));
        assert_eq!(b.verdict(Instant::now()), Verdict::Go);
        b.count();
        assert_eq!(b.verdict(Instant::now()), Verdict::Go);
        b.count();
        match b.verdict(Instant::now()) {
            Verdict::Spent(after) => {
                assert!(after <= Duration::from_secs(300) && after >= Duration::from_secs(1));
            }
            Verdict::Go => panic!("9,000 of 9,000 used but still going"),
        }
        // A tenant with a bigger allotment.
        b.learn(ThresholdInformation::new(50_000, 60, 9_000));
        assert_eq!(b.verdict(Instant::now()), Verdict::Go);
    }

    #[test]
    fn polls_after_n_requests() {
        let b = Budget::new(BudgetConfig {
            poll_after_requests: 3,
            ..BudgetConfig::default()
        })
        .unwrap();
        b.learn(ThresholdInformation::new(10_000, 60, 0));
        for _ in 0..3 {
            assert!(!b.poll_due(Instant::now()));
            b.count();
        }
        assert!(b.poll_due(Instant::now()));
    }

    #[test]
    fn bad_settings_are_config_errors() {
        for reserve in [-0.1, 1.0, f64::NAN] {
            assert!(
                Budget::new(BudgetConfig {
                    reserve,
                    ..BudgetConfig::default()
                })
                .unwrap_err()
                .is_config()
            );
        }
        assert!(
            Budget::new(BudgetConfig {
                hourly_limit: 0,
                ..BudgetConfig::default()
            })
            .is_err()
        );
    }
}
