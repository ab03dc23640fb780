//! Timeouts, limits and retry settings of an [`HttpClient`](super::HttpClient).

use std::time::Duration;

use super::RetryPolicy;
use crate::{Error, Result};

/// The user agent sent by default: `psa-sdk/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("psa-sdk/", env!("CARGO_PKG_VERSION"));

/// HTTP settings shared by every call of a client.
///
/// The defaults are the design's: connect 10 s, 30 s per attempt, 120 s for
/// a whole call (all attempts and waits included), the default
/// [`RetryPolicy`], a `psa-sdk/<version>` user agent, a 32 MiB ceiling on
/// a response body (a larger body is an error, not an out-of-memory) and
/// at most [`DEFAULT_MAX_RATE_LIMIT_WAIT`] spent waiting on a vendor's
/// `Retry-After` (see [`with_max_rate_limit_wait`](Self::with_max_rate_limit_wait)).
///
/// ```
/// use std::time::Duration;
/// use psa_core::http::{HttpConfig, RetryPolicy};
///
/// let config = HttpConfig::default()
///     .with_attempt_timeout(Duration::from_secs(10))
///     .with_retry(RetryPolicy::default().with_max_attempts(2));
/// assert_eq!(config.connect_timeout(), Duration::from_secs(10));
/// assert_eq!(config.retry().max_attempts(), 2);
/// ```
#[derive(Debug, Clone)]
pub struct HttpConfig {
    connect_timeout: Duration,
    attempt_timeout: Duration,
    deadline: Duration,
    retry: RetryPolicy,
    user_agent: String,
    max_body_size: usize,
    max_rate_limit_wait: Duration,
}

/// The longest a call waits, by default, on a vendor's `Retry-After` or on
/// the client's cool-down after a 429, before it fails fast with
/// [`RateLimited`](crate::ErrorKind::RateLimited) and the wait.
pub const DEFAULT_MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(5);

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            attempt_timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(120),
            retry: RetryPolicy::default(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            max_body_size: 32 * 1024 * 1024,
            max_rate_limit_wait: DEFAULT_MAX_RATE_LIMIT_WAIT,
        }
    }
}

impl HttpConfig {
    /// Sets the TCP + TLS connect timeout.
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the timeout of one attempt: from sending the request until the
    /// whole response body has been read.
    #[must_use]
    pub fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Sets the overall deadline of one call: rate-limit waits, every
    /// attempt and every backoff included.
    #[must_use]
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets the retry policy.
    #[must_use]
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the `User-Agent` header.
    #[must_use]
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets the largest response body accepted, in bytes.
    #[must_use]
    pub fn with_max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Sets the longest a call waits on a vendor's say-so (default
    /// [`DEFAULT_MAX_RATE_LIMIT_WAIT`]): a `Retry-After` before a retry,
    /// or what is left of the client's shared cool-down after a 429.
    ///
    /// A longer wait is never slept through: the call fails at once with a
    /// [`RateLimited`](crate::ErrorKind::RateLimited) error whose
    /// [`retry_after`](crate::Error::retry_after) says how long to wait, and
    /// the caller — a voice agent with a person on the line, a batch job
    /// that can come back later — decides. So does a wait that would
    /// outlast the call's deadline, whatever this setting. `Duration::ZERO`
    /// never waits.
    ///
    /// ```
    /// use std::time::Duration;
    /// use psa_core::http::HttpConfig;
    /// let voice = HttpConfig::default().with_max_rate_limit_wait(Duration::from_secs(1));
    /// assert_eq!(voice.max_rate_limit_wait(), Duration::from_secs(1));
    /// ```
    #[must_use]
    pub fn with_max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_rate_limit_wait = wait;
        self
    }

    /// The longest a call waits on a `Retry-After` or a 429 cool-down.
    pub fn max_rate_limit_wait(&self) -> Duration {
        self.max_rate_limit_wait
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The timeout of one attempt.
    pub fn attempt_timeout(&self) -> Duration {
        self.attempt_timeout
    }

    /// The overall deadline of one call.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The `User-Agent` header.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The largest response body accepted, in bytes.
    pub fn max_body_size(&self) -> usize {
        self.max_body_size
    }

    /// Checks the settings: every timeout positive, a usable user agent.
    pub fn validate(&self) -> Result<()> {
        if self.connect_timeout.is_zero()
            || self.attempt_timeout.is_zero()
            || self.deadline.is_zero()
        {
            return Err(Error::config(
                "HTTP timeouts and the deadline must be positive",
            ));
        }
        if http::HeaderValue::from_str(&self.user_agent).is_err() {
            return Err(Error::config("the user agent is not a valid header value"));
        }
        Ok(())
    }

    /// Builds a reqwest client with these settings and the SDK's safety
    /// rules: the connect timeout, **no redirects** (credentials never follow
    /// a redirect; a 3xx becomes an error), no cookie store (reqwest keeps
    /// none unless asked; ServiceNow serialises the requests of one session
    /// cookie) and the user agent.
    ///
    /// Per-attempt timeouts are applied per call by
    /// [`HttpClient`](super::HttpClient), not here, so that one reqwest client
    /// (one connection pool) can serve clients with different settings.
    pub fn build_reqwest_client(&self) -> Result<reqwest::Client> {
        self.validate()?;
        reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(self.user_agent.as_str())
            .build()
            .map_err(|e| Error::config("could not build the HTTP client").with_source(e))
    }
}
