//! Per-call overrides of a typed operation: [`RequestOptions`] and the
//! [`Customize`] trait every vendor operation implements.
//!
//! A client's [`HttpConfig`](super::HttpConfig) sets the timeouts and the
//! retry policy of every call. One call sometimes needs other settings: a
//! voice agent answering a caller wants a read to fail within two seconds,
//! not after four attempts; a nightly export can wait longer; a create the
//! caller knows the vendor de-duplicates may be retried. Every typed
//! operation of every vendor crate (`client.tickets().get(42)` …) takes
//! these overrides the same way, as async-stripe's `customize()` does:
//!
//! ```
//! use std::time::Duration;
//! use psa_core::http::{ApiRequest, Customize, RequestOptions, RetryPolicy};
//!
//! // Any operation: here a bare request with its options, to show the effect.
//! let options = RequestOptions::new()
//!     .deadline(Duration::from_secs(2))
//!     .retry_policy(RetryPolicy::never());
//! let req = options.apply(ApiRequest::get("Tickets/42"));
//! assert_eq!(req.deadline_override(), Some(Duration::from_secs(2)));
//! assert_eq!(req.retry_policy_override().map(RetryPolicy::max_attempts), Some(1));
//! ```

use std::time::Duration;

use super::{ApiRequest, RetryPolicy};

/// Overrides of one call's timeouts, retries and idempotency. Unset fields
/// keep the client's settings.
///
/// Built with chained methods and handed to an operation through
/// [`Customize::customize`] (or [`Customize::with_options`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct RequestOptions {
    attempt_timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: Option<RetryPolicy>,
    idempotent: Option<bool>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// The timeout of each attempt.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The overall deadline of the call, waits for the rate limiter and
    /// retries included.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The retry policy of the call.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// One attempt, no retry ([`RetryPolicy::never`]).
    pub fn no_retry(self) -> Self {
        self.retry_policy(RetryPolicy::never())
    }

    /// Says whether the call may be sent twice with the effect of once.
    ///
    /// Each operation already knows (a read or an update yes, a create no);
    /// override it only with knowledge the SDK cannot have. Marking a create
    /// idempotent lets a timed-out create be sent again, which can create the
    /// record twice: do it only when the vendor de-duplicates it (an
    /// idempotency key, an external reference the vendor enforces). Marking
    /// a read not idempotent turns an unknown outcome into an
    /// [`AmbiguousWrite`](crate::ErrorKind::AmbiguousWrite) instead of a retry.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// The attempt timeout, when overridden.
    pub fn attempt_timeout_override(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The deadline, when overridden.
    pub fn deadline_override(&self) -> Option<Duration> {
        self.deadline
    }

    /// The retry policy, when overridden.
    pub fn retry_policy_override(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    /// The idempotency, when overridden.
    pub fn idempotent_override(&self) -> Option<bool> {
        self.idempotent
    }

    /// Whether nothing is overridden.
    pub fn is_empty(&self) -> bool {
        *self == RequestOptions::default()
    }

    /// `request` with these overrides: each set field replaces the
    /// request's own; unset fields leave it as built.
    pub fn apply(&self, mut request: ApiRequest) -> ApiRequest {
        if let Some(t) = self.attempt_timeout {
            request = request.attempt_timeout(t);
        }
        if let Some(d) = self.deadline {
            request = request.deadline(d);
        }
        if let Some(p) = &self.retry {
            request = request.retry_policy(p.clone());
        }
        if let Some(i) = self.idempotent {
            request = request.idempotent(i);
        }
        request
    }
}

/// Per-call overrides on a typed operation (`client.tickets().get(42)` …).
///
/// Every operation struct of every vendor crate implements it, so one call
/// is tuned the same way on all four vendors; the overrides show in the
/// operation's `request()` and are honoured by `send()`.
///
/// ```
/// use std::time::Duration;
/// use psa_core::http::{Customize, RequestOptions};
///
/// /// A stand-in for a vendor operation (`client.tickets().get(42)`).
/// #[derive(Default)]
/// struct GetTicket {
///     options: RequestOptions,
/// }
/// impl Customize for GetTicket {
///     fn options_mut(&mut self) -> &mut RequestOptions {
///         &mut self.options
///     }
/// }
///
/// let op = GetTicket::default().customize(|o| o.deadline(Duration::from_secs(2)).no_retry());
/// assert_eq!(op.options.deadline_override(), Some(Duration::from_secs(2)));
/// ```
pub trait Customize: Sized {
    /// The operation's overrides.
    fn options_mut(&mut self) -> &mut RequestOptions;

    /// Changes the overrides with `f` (`|o| o.deadline(…).no_retry()`).
    #[must_use]
    fn customize(mut self, f: impl FnOnce(RequestOptions) -> RequestOptions) -> Self {
        let options = std::mem::take(self.options_mut());
        *self.options_mut() = f(options);
        self
    }

    /// Replaces the overrides with `options` (one set shared by many calls).
    #[must_use]
    fn with_options(mut self, options: RequestOptions) -> Self {
        *self.options_mut() = options;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    #[test]
    fn unset_fields_keep_the_request() {
        let req = ApiRequest::post("Actions")
            .attempt_timeout(Duration::from_secs(7))
            .idempotent(false);
        let out = RequestOptions::new().apply(req);
        assert_eq!(out.attempt_timeout_override(), Some(Duration::from_secs(7)));
        assert!(!out.is_idempotent());
        assert!(out.deadline_override().is_none());
        assert!(RequestOptions::new().is_empty());
    }

    #[test]
    fn set_fields_replace_the_request() {
        let o = RequestOptions::new()
            .attempt_timeout(Duration::from_secs(1))
            .deadline(Duration::from_secs(3))
            .no_retry()
            .idempotent(true);
        assert!(!o.is_empty());
        let out = o.apply(ApiRequest::new(Method::POST, "Tickets"));
        assert_eq!(out.attempt_timeout_override(), Some(Duration::from_secs(1)));
        assert_eq!(out.deadline_override(), Some(Duration::from_secs(3)));
        assert_eq!(out.retry_policy_override(), Some(&RetryPolicy::never()));
        assert!(out.is_idempotent());
        let out = RequestOptions::new()
            .idempotent(false)
            .apply(ApiRequest::get("Tickets"));
        assert!(!out.is_idempotent());
    }

    #[derive(Default)]
    struct Op(RequestOptions);
    impl Customize for Op {
        fn options_mut(&mut self) -> &mut RequestOptions {
            &mut self.0
        }
    }

    #[test]
    fn customize_composes_and_with_options_replaces() {
        let op = Op::default()
            .customize(|o| o.deadline(Duration::from_secs(2)))
            .customize(RequestOptions::no_retry);
        assert_eq!(op.0.deadline_override(), Some(Duration::from_secs(2)));
        assert_eq!(op.0.retry_policy_override(), Some(&RetryPolicy::never()));
        let op = op.with_options(RequestOptions::new().idempotent(true));
        assert!(op.0.deadline_override().is_none());
        assert_eq!(op.0.idempotent_override(), Some(true));
    }
}
