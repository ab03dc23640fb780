//! ServiceNow's inbound REST rate limits, as a [`psa_core::http::RateLimiter`].
//!
//! ServiceNow limits only what an administrator configures: *Rate Limit
//! Rules* (`sys_rate_limit_rules`), so many requests per hour for a user, a
//! role or everyone, on one REST resource (`GET /now/table/incident`, or the
//! whole Table API). A request a rule covers is answered with
//! `X-RateLimit-Limit` (requests per hour), `X-RateLimit-Reset` (UNIX time of
//! the next reset) and `X-RateLimit-Rule` (the rule's `sys_id`); a request
//! over the limit gets `429` with `Retry-After` (seconds) and
//! `{"error":{"message":"Rate limit exceeded",…},"status":"failure"}`.
//! ServiceNow sends no "remaining" count.
//!
//! [`RuleLimiter`] learns the rules from those headers:
//!
//! - each request names its resource as its rate key (`"GET table/incident"`);
//!   the first answer carrying `X-RateLimit-*` ties that key to the rule
//!   (several keys may share one rule, a Table-API-wide rule for instance);
//! - it counts this client's own requests under each rule in the current
//!   window; once the limit is used, requests wait for `X-RateLimit-Reset`
//!   (plus one second: the header has whole seconds) instead of spending
//!   requests the instance would refuse;
//! - a `429` marks the rule used up, and its `Retry-After` blocks the rule's
//!   requests until then;
//! - a wait longer than the longest it may wait (the retry policy's
//!   `max_retry_after`, 60 s by default) or past the call's deadline is not
//!   waited: the call fails at once with
//!   [`RateLimited`](psa_core::ErrorKind::RateLimited) and a
//!   [`retry_after`](psa_core::Error::retry_after), and nothing is sent. An
//!   hourly rule that is used up therefore fails fast, saying when to retry.
//!
//! The clients of one user in a process share one limiter, and so one
//! count. Other clients of the same user (replicas, other integrations)
//! share the instance's count without this client seeing their requests; their share
//! shows up as a `429`, which [`psa_core::http::HttpClient`] treats as refused
//! unprocessed: it waits out `Retry-After` (at most `max_retry_after`) and
//! retries, for any method, within the retry policy. Rules also take up to
//! 30 s to bite (each node commits its counts every 30 s), so the `429` path
//! is the authority and this limiter a courtesy that avoids it.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use http::{HeaderMap, StatusCode};
use psa_core::http::{RateLimiter, RatePermit, parse_retry_after};
use psa_core::{Error, ErrorKind, Result, Vendor};
use tokio::time::Instant;

/// `X-RateLimit-Reset` has whole seconds: a window is taken as over one
/// second after it.
const RESET_MARGIN: Duration = Duration::from_secs(1);

/// A [`RateLimiter`] that keeps to the rate-limit rules an instance reports
/// (see the [module docs](self)). Every [`Client`](crate::Client) has one
/// by default, shared by the clients of the same instance and user in the
/// process (`psa_core::http::shared_limiter`); it is public so that its
/// behaviour can be tested and documented, and so that a client can be given
/// one of its own (`ClientBuilder::rate_limiter`).
///
/// ```
/// use std::time::Duration;
/// use psa_servicenow::limits::RuleLimiter;
///
/// let limiter = RuleLimiter::new(Duration::from_secs(60));
/// assert_eq!(limiter.max_wait(), Duration::from_secs(60));
/// ```
pub struct RuleLimiter {
    max_wait: Duration,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Rate key → the rule that covers it (`""` when the instance sends
    /// limit headers without a rule id).
    rule_of: HashMap<String, String>,
    rules: HashMap<String, Rule>,
}

#[derive(Debug, Default)]
struct Rule {
    /// Requests per window (`X-RateLimit-Limit`).
    limit: u64,
    /// The end of the current window, UNIX seconds (`X-RateLimit-Reset`);
    /// `None` once it has passed, until an answer tells the next one.
    reset: Option<u64>,
    /// This client's requests under the rule in the current window.
    used: u64,
    /// A 429's `Retry-After`: no request under the rule before then.
    blocked_until: Option<SystemTime>,
}

impl Rule {
    /// How long a request must wait now, counting it when it need not.
    fn take(&mut self, now: SystemTime) -> Option<Duration> {
        let mut wait = Duration::ZERO;
        if let Some(until) = self.blocked_until {
            match until.duration_since(now) {
                Ok(w) if !w.is_zero() => wait = w,
                _ => self.blocked_until = None,
            }
        }
        if let Some(reset) = self.reset {
            let over = UNIX_EPOCH + Duration::from_secs(reset) + RESET_MARGIN;
            match over.duration_since(now) {
                Ok(w) if !w.is_zero() => {
                    if self.used >= self.limit {
                        wait = wait.max(w);
                    }
                }
                _ => {
                    // The window is over: a new count starts.
                    self.reset = None;
                    self.used = 0;
                }
            }
        }
        if wait.is_zero() {
            self.used += 1;
            None
        } else {
            Some(wait)
        }
    }
}

impl fmt::Debug for RuleLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("RuleLimiter")
            .field("max_wait", &self.max_wait)
            .field("rules", &state.rules.len())
            .finish_non_exhaustive()
    }
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

impl RuleLimiter {
    /// A limiter that waits at most `max_wait` for a rule's window to reset
    /// (and never past a call's deadline); a longer wait fails at once.
    pub fn new(max_wait: Duration) -> Self {
        RuleLimiter {
            max_wait,
            state: Mutex::new(State::default()),
        }
    }

    /// The longest wait.
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What the limiter knows of the rule covering `key`: `(limit, used in
    /// the current window)`, or `None` when no answer to `key` named a rule.
    pub fn rule_usage(&self, key: &str) -> Option<(u64, u64)> {
        let s = self.lock();
        let rule = s.rules.get(s.rule_of.get(key)?)?;
        Some((rule.limit, rule.used))
    }
}

#[async_trait]
impl RateLimiter for RuleLimiter {
    async fn acquire(&self, key: &str, deadline: Instant) -> Result<RatePermit> {
        loop {
            let wait = {
                let mut s = self.lock();
                let Some(rule_id) = s.rule_of.get(key).cloned() else {
                    return Ok(RatePermit::none());
                };
                let Some(rule) = s.rules.get_mut(&rule_id) else {
                    return Ok(RatePermit::none());
                };
                match rule.take(SystemTime::now()) {
                    None => return Ok(RatePermit::none()),
                    Some(wait) => wait,
                }
            };
            let allowed = self
                .max_wait
                .min(deadline.saturating_duration_since(Instant::now()));
            if wait > allowed {
                return Err(Error::new(
                    ErrorKind::RateLimited,
                    format!(
                        "{key}: the instance's rate-limit rule is used up for {}s more; nothing was sent",
                        wait.as_secs_f64().ceil()
                    ),
                )
                .with_vendor(Vendor::ServiceNow)
                .with_retry_after(wait));
            }
            tracing::debug!(
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "waiting for the instance's rate-limit window"
            );
            tokio::time::sleep(wait).await;
        }
    }

    fn observe(&self, key: &str, status: StatusCode, headers: &HeaderMap) {
        let limit = header_u64(headers, "x-ratelimit-limit");
        let reset = header_u64(headers, "x-ratelimit-reset");
        if limit.is_none() && reset.is_none() {
            return;
        }
        let rule_id = headers
            .get("x-ratelimit-rule")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .unwrap_or_default()
            .to_owned();
        let mut s = self.lock();
        if s.rule_of.get(key) != Some(&rule_id) {
            s.rule_of.insert(key.to_owned(), rule_id.clone());
        }
        let rule = s.rules.entry(rule_id).or_default();
        if let Some(l) = limit {
            rule.limit = l;
        }
        if let Some(r) = reset {
            match rule.reset {
                // A window this client did not see start: this request is
                // the one it knows of.
                Some(old) if old != r => rule.used = 1,
                // The first answer of a window (or of the rule): at least
                // this request was made in it.
                None => rule.used = rule.used.max(1),
                Some(_) => {}
            }
            rule.reset = Some(r);
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            rule.used = rule.used.max(rule.limit);
            if let Some(after) = headers
                .get(http::header::RETRY_AFTER)
                .and_then(|v| parse_retry_after(v, SystemTime::now()))
            {
                rule.blocked_until = SystemTime::now().checked_add(after);
            }
        }
    }
}

/// The rate key of a request: its method and REST resource, the unit
/// ServiceNow's rules are set on (`GET table/incident`; a record's `sys_id`
/// is not part of it).
pub(crate) fn rate_key(method: &http::Method, path: &str) -> String {
    let p = path.trim_start_matches('/');
    let p = p.strip_prefix("api/").unwrap_or(p);
    let mut segs = p.split('/').filter(|s| !s.is_empty());
    let mut parts: Vec<&str> = Vec::with_capacity(3);
    if let Some(first) = segs.next() {
        parts.push(first);
        let mut next = segs.next();
        if matches!(next, Some("v1" | "v2")) {
            next = segs.next();
        }
        if let Some(api) = next {
            parts.push(api);
            if let Some(resource) = segs.next() {
                parts.push(resource);
            }
        }
    }
    let mut key = String::with_capacity(method.as_str().len() + p.len() + 1);
    key.push_str(method.as_str());
    key.push(' ');
    match parts.as_slice() {
        ["now", "table", t] => {
            key.push_str("table/");
            key.push_str(t);
        }
        other => {
            for (i, part) in other.iter().enumerate() {
                if i > 0 {
                    key.push('/');
                }
                key.push_str(part);
            }
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(limit: u64, reset: u64, rule: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from(limit));
        h.insert("x-ratelimit-reset", HeaderValue::from(reset));
        h.insert("x-ratelimit-rule", HeaderValue::from_str(rule).unwrap());
        h
    }

    fn unix_now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    #[test]
    fn rate_keys_name_the_resource() {
        use http::Method;
        assert_eq!(
            rate_key(&Method::GET, "/api/now/table/incident"),
            "GET table/incident"
        );
        assert_eq!(
            rate_key(
                &Method::PATCH,
                "/api/now/v2/table/incident/9d385017c611228701d22104cc95c371"
            ),
            "PATCH table/incident"
        );
        assert_eq!(
            rate_key(&Method::GET, "api/now/stats/incident"),
            "GET now/stats/incident"
        );
        assert_eq!(
            rate_key(&Method::POST, "/api/sn_km_api/knowledge/articles"),
            "POST sn_km_api/knowledge/articles"
        );
    }

    #[tokio::test]
    async fn unknown_keys_pass_and_a_used_up_hourly_rule_fails_fast() {
        let l = RuleLimiter::new(Duration::from_secs(60));
        let far = Instant::now() + Duration::from_secs(120);
        l.acquire("GET table/incident", far).await.unwrap();
        l.observe(
            "GET table/incident",
            StatusCode::OK,
            &headers(2, unix_now() + 1800, "r1"),
        );
        assert_eq!(l.rule_usage("GET table/incident"), Some((2, 1)));
        l.acquire("GET table/incident", far).await.unwrap();
        // The same rule covers another key once an answer says so.
        l.observe(
            "GET table/problem",
            StatusCode::OK,
            &headers(2, unix_now() + 1800, "r1"),
        );
        let e = l.acquire("GET table/problem", far).await.unwrap_err();
        assert!(e.is_rate_limited(), "{e}");
        assert!(e.retry_after().unwrap() > Duration::from_secs(1700));
        // Keys under no rule are not limited.
        l.acquire("GET table/sys_user", far).await.unwrap();
    }

    #[tokio::test]
    async fn a_429_blocks_its_rule_for_retry_after() {
        let l = RuleLimiter::new(Duration::from_millis(50));
        let far = Instant::now() + Duration::from_secs(120);
        let mut h = headers(100, unix_now() + 3000, "r2");
        h.insert(http::header::RETRY_AFTER, HeaderValue::from_static("30"));
        l.observe("GET table/incident", StatusCode::TOO_MANY_REQUESTS, &h);
        assert_eq!(l.rule_usage("GET table/incident"), Some((100, 100)));
        let e = l.acquire("GET table/incident", far).await.unwrap_err();
        assert!(e.is_rate_limited());
        assert!(e.retry_after().unwrap() > Duration::from_secs(2990));
        // The deadline bounds the wait too.
        let l = RuleLimiter::new(Duration::from_secs(3600));
        l.observe("k", StatusCode::TOO_MANY_REQUESTS, &h);
        let soon = Instant::now() + Duration::from_millis(10);
        assert!(l.acquire("k", soon).await.unwrap_err().is_rate_limited());
    }

    #[tokio::test]
    async fn a_passed_window_starts_a_new_count() {
        let l = RuleLimiter::new(Duration::from_secs(5));
        let far = Instant::now() + Duration::from_secs(120);
        // A window that ended two seconds ago.
        l.observe("k", StatusCode::OK, &headers(1, unix_now() - 2, ""));
        l.acquire("k", far).await.unwrap();
        assert_eq!(l.rule_usage("k"), Some((1, 1)));
        // A new window, announced by the next answer.
        l.observe("k", StatusCode::OK, &headers(1, unix_now() + 600, ""));
        assert!(l.acquire("k", far).await.unwrap_err().is_rate_limited());
        assert!(format!("{l:?}").contains("RuleLimiter"));
    }
}
