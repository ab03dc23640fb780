//! When and how long to wait before trying a call again.
//!
//! Two objects decide together:
//! - [`RetryPolicy`], per call: how many attempts, which statuses are
//!   transient, the full-jitter backoff, how far `Retry-After` is honoured;
//! - [`RetryBudget`], per tenant: how many retries all calls together may
//!   make, so that a failing vendor is not hit with four times its normal
//!   traffic.
//!
//! Only idempotent requests are retried. Two outcomes are safe to retry for
//! any method, because the vendor never processed the request: a connect
//! error (nothing was sent) and a 429 (refused unprocessed). Any other
//! unknown outcome of a non-idempotent request is an
//! [`AmbiguousWrite`](crate::ErrorKind::AmbiguousWrite).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use http::{HeaderValue, StatusCode};
use rand::Rng;
use tokio::time::Instant;

/// The retry policy of a call (google-cloud-rust style: an explicit object).
///
/// Defaults: 4 attempts in all; full-jitter exponential backoff
/// (`sleep = random(0, min(cap, base × 2^retry))`, base 250 ms, cap 20 s);
/// `Retry-After` honoured up to 60 s (when present it replaces the jitter);
/// transient statuses 429, 502, 503 and 504, plus connection errors and
/// attempt timeouts.
///
/// ```
/// use std::time::Duration;
/// use psa_core::http::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .with_max_attempts(3)
///     .with_backoff(Duration::from_millis(100), Duration::from_secs(5));
/// assert!(policy.is_retryable_status(http::StatusCode::SERVICE_UNAVAILABLE));
/// assert!(!policy.is_retryable_status(http::StatusCode::INTERNAL_SERVER_ERROR));
/// // Retry-After wins over the jitter, within the cap.
/// assert_eq!(policy.delay(1, Some(Duration::from_secs(2))), Duration::from_secs(2));
/// assert_eq!(RetryPolicy::never().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    statuses: Vec<StatusCode>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
            statuses: vec![
                StatusCode::TOO_MANY_REQUESTS,
                StatusCode::BAD_GATEWAY,
                StatusCode::SERVICE_UNAVAILABLE,
                StatusCode::GATEWAY_TIMEOUT,
            ],
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries (one attempt). A 401 is still replayed
    /// once after the credentials are refreshed: that is not a retry.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts in all, the first included (at least 1).
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff: the base delay and the cap of the exponential.
    #[must_use]
    pub fn with_backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = cap.max(base);
        self
    }

    /// Sets the longest `Retry-After` honoured; a longer one is cut to it.
    #[must_use]
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// Replaces the set of transient statuses (429, 502, 503, 504 by default).
    #[must_use]
    pub fn with_retryable_statuses(
        mut self,
        statuses: impl IntoIterator<Item = StatusCode>,
    ) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// The number of attempts in all.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The base delay of the backoff.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The cap of the backoff.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The longest `Retry-After` honoured.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The transient statuses.
    pub fn retryable_statuses(&self) -> &[StatusCode] {
        &self.statuses
    }

    /// Whether `status` is transient under this policy.
    pub fn is_retryable_status(&self, status: StatusCode) -> bool {
        self.statuses.contains(&status)
    }

    /// The upper bound of the jittered backoff before retry number `retry`
    /// (1 for the first retry): `min(cap, base × 2^(retry − 1))`.
    pub fn backoff_bound(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(31);
        self.base_delay
            .checked_mul(1u32 << exp)
            .map_or(self.max_delay, |d| d.min(self.max_delay))
    }

    /// How long to wait before retry number `retry` (1 for the first retry):
    /// the vendor's `Retry-After` capped at
    /// [`max_retry_after`](Self::max_retry_after) when it sent one, else a
    /// uniformly random duration in `[0, backoff_bound(retry)]`.
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_retry_after);
        }
        let bound = self.backoff_bound(retry);
        let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(rand::rng().random_range(0..=nanos))
    }
}

/// Parses a `Retry-After` header value: delta-seconds (`120`, also a
/// decimal such as `1.5`) or an HTTP-date (a date in the past gives zero).
/// Anything else gives `None`; it never panics.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use http::HeaderValue;
/// use psa_core::http::parse_retry_after;
///
/// let now = SystemTime::now();
/// assert_eq!(parse_retry_after(&HeaderValue::from_static("120"), now), Some(Duration::from_secs(120)));
/// assert_eq!(parse_retry_after(&HeaderValue::from_static("soon"), now), None);
/// ```
pub fn parse_retry_after(value: &HeaderValue, now: SystemTime) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u64>() {
            Ok(secs) => Some(Duration::from_secs(secs)),
            // Too many digits for a u64: as long as can be, the cap applies.
            Err(_) => Some(Duration::MAX),
        };
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let secs: f64 = text.parse().ok()?;
        return Duration::try_from_secs_f64(secs).ok();
    }
    let at = httpdate::parse_http_date(text).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Milli-tokens: one retry costs `SCALE`.
const SCALE: i64 = 1000;
/// How many slices the budget's window is cut into.
const SLICES: usize = 10;

/// A retry budget shared by every call of a tenant (Finagle's design).
///
/// Each first attempt deposits a fraction of a retry (0.2 by default: at most
/// 20 % extra traffic from retries in steady state); each retry withdraws a
/// whole one. Deposits and withdrawals expire after a window (10 s by
/// default), so a long quiet period banks nothing. A reserve (10 retries
/// per window by default) lets a quiet client still retry. When the budget
/// is spent, the call returns its last error instead of retrying.
///
/// It is cheap to clone (an `Arc` inside); all clones share one budget, so
/// one budget can be given to several clients of the same tenant.
///
/// ```
/// use std::time::Duration;
/// use psa_core::http::RetryBudget;
///
/// // No reserve, every request may be retried once.
/// let budget = RetryBudget::new(1.0, 0, Duration::from_secs(10));
/// assert!(!budget.try_withdraw());
/// budget.deposit();
/// assert!(budget.try_withdraw());
/// assert!(!budget.try_withdraw());
/// ```
#[derive(Clone)]
pub struct RetryBudget {
    inner: Arc<BudgetInner>,
}

struct BudgetInner {
    deposit: i64,
    reserve: i64,
    slice: Duration,
    start: Instant,
    slices: Mutex<[(u64, i64); SLICES]>,
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget::new(0.2, 10, Duration::from_secs(10))
    }
}

#[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
impl fmt::Debug for RetryBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryBudget")
            .field("percent", &(self.inner.deposit as f64 / SCALE as f64))
            .field("reserve", &(self.inner.reserve / SCALE))
            .field("window", &(self.inner.slice * SLICES as u32))
            .field("balance", &self.balance())
            .finish()
    }
}

impl RetryBudget {
    /// A budget: `percent` of a retry deposited per first attempt (clamped to
    /// `0.0..=1000.0`), `min_reserve` retries always allowed per `window`,
    /// deposits expiring after `window` (at least 10 ms).
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    pub fn new(percent: f64, min_reserve: u32, window: Duration) -> Self {
        let percent = if percent.is_finite() {
            percent.clamp(0.0, 1000.0)
        } else {
            0.0
        };
        let window = window.max(Duration::from_millis(10));
        RetryBudget {
            inner: Arc::new(BudgetInner {
                deposit: (percent * SCALE as f64).round() as i64,
                reserve: i64::from(min_reserve) * SCALE,
                slice: window / SLICES as u32,
                start: Instant::now(),
                slices: Mutex::new([(0, 0); SLICES]),
            }),
        }
    }

    /// A budget that never allows a retry.
    pub fn empty() -> Self {
        RetryBudget::new(0.0, 0, Duration::from_secs(10))
    }

    /// Records a first attempt.
    pub fn deposit(&self) {
        self.deposit_at(Instant::now());
    }

    /// Takes one retry from the budget; `false` when it is spent.
    pub fn try_withdraw(&self) -> bool {
        self.try_withdraw_at(Instant::now())
    }

    /// How many retries are available now (rounded down).
    pub fn balance(&self) -> u64 {
        self.balance_at(Instant::now())
    }

    fn slice_index(&self, now: Instant) -> u64 {
        let elapsed = now.saturating_duration_since(self.inner.start);
        u64::try_from(elapsed.as_nanos() / self.inner.slice.as_nanos().max(1)).unwrap_or(u64::MAX)
    }

    fn add_at(slices: &mut [(u64, i64); SLICES], idx: u64, amount: i64) {
        #[allow(clippy::cast_possible_truncation)]
        let slot = &mut slices[(idx % SLICES as u64) as usize];
        if slot.0 != idx {
            *slot = (idx, 0);
        }
        slot.1 = slot.1.saturating_add(amount);
    }

    fn sum_at(slices: &[(u64, i64); SLICES], idx: u64) -> i64 {
        slices
            .iter()
            .filter(|(i, _)| *i <= idx && idx - *i < SLICES as u64)
            .map(|(_, v)| *v)
            .sum()
    }

    pub(crate) fn deposit_at(&self, now: Instant) {
        if self.inner.deposit == 0 {
            return;
        }
        let idx = self.slice_index(now);
        let mut slices = self
            .inner
            .slices
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Self::add_at(&mut slices, idx, self.inner.deposit);
    }

    pub(crate) fn try_withdraw_at(&self, now: Instant) -> bool {
        let idx = self.slice_index(now);
        let mut slices = self
            .inner
            .slices
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if self.inner.reserve + Self::sum_at(&slices, idx) >= SCALE {
            Self::add_at(&mut slices, idx, -SCALE);
            true
        } else {
            false
        }
    }

    pub(crate) fn balance_at(&self, now: Instant) -> u64 {
        let idx = self.slice_index(now);
        let slices = self
            .inner
            .slices
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        u64::try_from((self.inner.reserve + Self::sum_at(&slices, idx)) / SCALE).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn backoff_bounds_grow_and_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff_bound(1), Duration::from_millis(250));
        assert_eq!(p.backoff_bound(2), Duration::from_millis(500));
        assert_eq!(p.backoff_bound(3), Duration::from_secs(1));
        assert_eq!(p.backoff_bound(8), Duration::from_secs(20));
        assert_eq!(p.backoff_bound(1000), Duration::from_secs(20));
        for retry in 1..10 {
            for _ in 0..50 {
                assert!(p.delay(retry, None) <= p.backoff_bound(retry));
            }
        }
    }

    #[test]
    fn retry_after_wins_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(60)
        );
        assert_eq!(p.delay(1, Some(Duration::MAX)), Duration::from_secs(60));
        let p = p.with_max_retry_after(Duration::from_millis(10));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(1))),
            Duration::from_millis(10)
        );
    }

    #[test]
    fn never_and_statuses() {
        let p = RetryPolicy::never();
        assert_eq!(p.max_attempts(), 1);
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
        let d = RetryPolicy::default();
        for s in [429, 502, 503, 504] {
            assert!(d.is_retryable_status(StatusCode::from_u16(s).unwrap()));
        }
        for s in [400, 401, 404, 500, 501] {
            assert!(!d.is_retryable_status(StatusCode::from_u16(s).unwrap()));
        }
    }

    #[test]
    fn retry_after_parsing() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let p = |s: &'static str| parse_retry_after(&HeaderValue::from_static(s), now);
        assert_eq!(p("0"), Some(Duration::ZERO));
        assert_eq!(p(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(p("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(p("99999999999999999999999"), Some(Duration::MAX));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        let v = HeaderValue::from_str(&later).unwrap();
        assert_eq!(parse_retry_after(&v, now), Some(Duration::from_secs(30)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        let v = HeaderValue::from_str(&earlier).unwrap();
        assert_eq!(parse_retry_after(&v, now), Some(Duration::ZERO));
        for garbage in [
            "",
            "-1",
            "soon",
            "1e9",
            "1..2",
            ".",
            "Wed, 99 Foo 2024",
            "inf",
            "NaN",
        ] {
            assert_eq!(p(garbage), None, "{garbage:?}");
        }
        let bytes = HeaderValue::from_bytes(b"\xff\xfe").unwrap();
        assert_eq!(parse_retry_after(&bytes, now), None);
    }

    #[test]
    fn budget_deposits_and_withdrawals() {
        let b = RetryBudget::new(0.2, 0, Duration::from_secs(10));
        let t0 = b.inner.start;
        assert!(!b.try_withdraw_at(t0));
        for _ in 0..4 {
            b.deposit_at(t0);
        }
        assert!(!b.try_withdraw_at(t0), "0.8 of a retry is not enough");
        b.deposit_at(t0);
        assert!(b.try_withdraw_at(t0));
        assert!(!b.try_withdraw_at(t0));
        for _ in 0..100 {
            b.deposit_at(t0);
        }
        assert_eq!(b.balance_at(t0), 20);
    }

    #[test]
    fn budget_reserve_allows_a_quiet_client_to_retry() {
        let b = RetryBudget::new(0.2, 3, Duration::from_secs(10));
        let t0 = b.inner.start;
        assert!(b.try_withdraw_at(t0));
        assert!(b.try_withdraw_at(t0));
        assert!(b.try_withdraw_at(t0));
        assert!(!b.try_withdraw_at(t0));
        // The withdrawals expire with the window; the reserve is back.
        let later = t0 + Duration::from_secs(11);
        assert_eq!(b.balance_at(later), 3);
        assert!(b.try_withdraw_at(later));
    }

    #[test]
    fn budget_deposits_expire() {
        let b = RetryBudget::new(1.0, 0, Duration::from_secs(10));
        let t0 = b.inner.start;
        for _ in 0..1000 {
            b.deposit_at(t0);
        }
        assert_eq!(b.balance_at(t0 + Duration::from_secs(9)), 1000);
        assert_eq!(b.balance_at(t0 + Duration::from_secs(10)), 0);
        assert_eq!(b.balance_at(t0 + Duration::from_secs(3600)), 0);
        assert!(!b.try_withdraw_at(t0 + Duration::from_secs(3600)));
    }

    #[test]
    fn budget_is_shared_by_clones() {
        let a = RetryBudget::new(1.0, 0, Duration::from_secs(10));
        let b = a.clone();
        a.deposit();
        assert!(b.try_withdraw());
        assert!(!a.try_withdraw());
        assert!(!RetryBudget::empty().try_withdraw());
        assert!(format!("{a:?}").contains("RetryBudget"));
    }
}
