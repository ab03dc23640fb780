//! [`RedisStore`]: one Redis connection (reconnecting), a key prefix, the
//! timeout of every Redis call, and what happens when Redis is unreachable.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use psa_core::{Error, ErrorKind, Result, Vendor};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;

use crate::Tenant;

/// What a limiter does when Redis does not answer (down, unreachable, or
/// slower than the [operation timeout](RedisStoreBuilder::op_timeout)).
///
/// ```
/// use psa_redis::OnUnavailable;
///
/// // Four replicas: each may use a quarter of the tenant's budget alone.
/// let policy = OnUnavailable::local_fraction(0.25)?;
/// assert_eq!(policy, OnUnavailable::LocalFraction(0.25));
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub enum OnUnavailable {
    /// Refuse the call with a [`Connect`](ErrorKind::Connect) (or
    /// [`Timeout`](ErrorKind::Timeout)) error that says the shared limiter's
    /// Redis is unreachable; nothing is sent to the vendor. The default:
    /// a budget shared with other replicas cannot be kept without them.
    #[default]
    FailClosed,
    /// Keep going with an in-process limiter allowing this fraction of the
    /// shared limit (`0 < fraction ≤ 1`; typically `1 / replicas`), until
    /// Redis answers again.
    LocalFraction(f64),
}

impl OnUnavailable {
    /// [`LocalFraction`](Self::LocalFraction), checked: `fraction` must be
    /// in `(0, 1]`.
    pub fn local_fraction(fraction: f64) -> Result<Self> {
        if fraction > 0.0 && fraction <= 1.0 {
            Ok(OnUnavailable::LocalFraction(fraction))
        } else {
            Err(Error::config(format!(
                "the local fallback fraction must be in (0, 1], got {fraction}"
            )))
        }
    }

    /// `limit × fraction`, at least 1, for a fallback limiter.
    pub(crate) fn scaled(fraction: f64, limit: u64) -> u64 {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let scaled = (limit as f64 * fraction).floor() as u64;
        scaled.max(1)
    }
}

/// A connection to the Redis shared by a service's replicas, with a key
/// prefix. Cheap to clone (an `Arc` inside); clones share the connection.
///
/// The connection is made on first use and re-made after a failure
/// (redis-rs's `ConnectionManager`); every call is bounded by the
/// [operation timeout](RedisStoreBuilder::op_timeout). After a failed call
/// the store is taken as down for a short while
/// ([`RedisStoreBuilder::retry_after_failure`]), during which the limiters
/// use their [`OnUnavailable`] policy at once instead of waiting for Redis
/// again on every call.
///
/// `Debug` shows the host and the prefix, never the URL's password.
///
/// ```no_run
/// # async fn demo() -> psa_core::Result<()> {
/// use std::time::Duration;
/// use psa_core::Vendor;
/// use psa_redis::RedisStore;
///
/// let redis = RedisStore::builder("redis://127.0.0.1:6379/")
///     .prefix("helpdesk-bot")
///     .op_timeout(Duration::from_millis(250))
///     .build()?;
/// redis.ping().await?;
/// let acme = redis.tenant(Vendor::Halo, "acme");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisStore {
    inner: Arc<StoreInner>,
}

pub(crate) struct StoreInner {
    conn: ConnectionManager,
    prefix: String,
    shown: String,
    op_timeout: Duration,
    retry_after_failure: Duration,
    down_until: Mutex<Option<Instant>>,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("server", &self.inner.shown)
            .field("prefix", &self.inner.prefix)
            .field("op_timeout", &self.inner.op_timeout)
            .finish_non_exhaustive()
    }
}

/// Builds a [`RedisStore`]; [`build`](Self::build) validates and makes no IO.
#[must_use]
pub struct RedisStoreBuilder {
    url: SecretString,
    prefix: String,
    op_timeout: Duration,
    connect_timeout: Duration,
    retry_after_failure: Duration,
}

impl fmt::Debug for RedisStoreBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStoreBuilder")
            .field("server", &shown_server(self.url.expose_secret()))
            .field("prefix", &self.prefix)
            .field("op_timeout", &self.op_timeout)
            .finish_non_exhaustive()
    }
}

/// `host:port/db` of a Redis URL, without user name or password.
fn shown_server(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => format!(
            "{}://{}:{}{}",
            u.scheme(),
            u.host_str().unwrap_or_default(),
            u.port().unwrap_or(6379),
            u.path()
        ),
        Err(_) => "(not a URL)".to_owned(),
    }
}

impl RedisStoreBuilder {
    /// Prefixes every key with `prefix:` (default `psa`). Give each
    /// application (or test run) sharing a Redis its own.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The longest a Redis call may take (default 250 ms; on a LAN a call
    /// takes well under a millisecond). Past it the call counts as failed.
    pub fn op_timeout(mut self, timeout: Duration) -> Self {
        self.op_timeout = timeout;
        self
    }

    /// The timeout of a connection attempt (default 1 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// After a failed call, how long Redis is taken as down before it is
    /// tried again (default 1 s).
    pub fn retry_after_failure(mut self, wait: Duration) -> Self {
        self.retry_after_failure = wait;
        self
    }

    /// Validates the URL and the settings; connects lazily, on first use.
    /// Must be called inside a tokio runtime (the connection's task is
    /// spawned there); outside one it is a `Config` error.
    pub fn build(self) -> Result<RedisStore> {
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::config(
                "a RedisStore must be built inside a tokio runtime",
            ));
        }
        let url = self.url.expose_secret();
        let shown = shown_server(url);
        if self.op_timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::config("the Redis timeouts must be positive"));
        }
        if self.prefix.is_empty() || self.prefix.chars().any(char::is_whitespace) {
            return Err(Error::config(
                "the Redis key prefix must be non-empty, without spaces",
            ));
        }
        let client = redis::Client::open(url).map_err(|_| {
            // redis-rs's message may quote the URL (and its password).
            Error::config(format!("`{shown}` is not a usable Redis URL"))
        })?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.connect_timeout))
            .set_response_timeout(Some(self.op_timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_secs(1));
        let conn = ConnectionManager::new_lazy_with_config(client, config).map_err(|e| {
            Error::config(format!("could not set up the Redis connection to {shown}"))
                .with_source(e)
        })?;
        Ok(RedisStore {
            inner: Arc::new(StoreInner {
                conn,
                prefix: self.prefix,
                shown,
                op_timeout: self.op_timeout,
                retry_after_failure: self.retry_after_failure,
                down_until: Mutex::new(None),
            }),
        })
    }
}

impl RedisStore {
    /// Starts building a store for the Redis at `url`
    /// (`redis://[:password@]host:port/db`).
    pub fn builder(url: impl Into<String>) -> RedisStoreBuilder {
        RedisStoreBuilder {
            url: SecretString::from(url.into()),
            prefix: "psa".to_owned(),
            op_timeout: Duration::from_millis(250),
            connect_timeout: Duration::from_secs(1),
            retry_after_failure: Duration::from_secs(1),
        }
    }

    /// A store for `url` with the default settings.
    pub fn new(url: impl Into<String>) -> Result<Self> {
        RedisStore::builder(url).build()
    }

    /// The key namespace of one vendor tenant: its limiters and token store.
    pub fn tenant(&self, vendor: Vendor, tenant: &str) -> Tenant {
        Tenant::new(
            self.clone(),
            format!(
                "{}:{}:{}",
                self.inner.prefix,
                vendor.as_str(),
                key_part(tenant)
            ),
        )
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.inner.prefix
    }

    /// Checks that Redis answers.
    pub async fn ping(&self) -> Result<()> {
        let cmd = redis::cmd("PING");
        let pong: String = self
            .run("PING", async |c: &mut ConnectionManager| {
                cmd.query_async(c).await
            })
            .await?;
        if pong == "PONG" {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::Transport,
                format!("Redis at {} answered PING with {pong:?}", self.inner.shown),
            ))
        }
    }

    /// Deletes every key under this store's prefix (`SCAN` + `UNLINK`), for
    /// tests and for retiring an application. Returns how many were
    /// deleted.
    pub async fn delete_all_keys(&self) -> Result<u64> {
        let pattern = format!("{}:*", glob_escape(&self.inner.prefix));
        let mut cursor: u64 = 0;
        let mut deleted = 0;
        loop {
            let mut scan = redis::cmd("SCAN");
            scan.arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(500);
            let (next, keys): (u64, Vec<String>) = self
                .run("SCAN", async |c: &mut ConnectionManager| {
                    scan.query_async(c).await
                })
                .await?;
            if !keys.is_empty() {
                let mut unlink = redis::cmd("UNLINK");
                unlink.arg(&keys);
                let n: u64 = self
                    .run("UNLINK", async |c: &mut ConnectionManager| {
                        unlink.query_async(c).await
                    })
                    .await?;
                deleted += n;
            }
            if next == 0 {
                return Ok(deleted);
            }
            cursor = next;
        }
    }

    /// Whether a recent call failed and Redis is taken as down.
    pub fn is_down(&self) -> bool {
        let down = self
            .inner
            .down_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        down.is_some_and(|until| Instant::now() < until)
    }

    /// Runs one Redis call under the operation timeout; a failure marks
    /// the store down for a while and becomes a clear error.
    pub(crate) async fn run<T, F>(&self, what: &str, f: F) -> Result<T>
    where
        F: AsyncFnOnce(&mut ConnectionManager) -> redis::RedisResult<T>,
    {
        if self.is_down() {
            return Err(self.unavailable(what, None));
        }
        let mut conn = self.inner.conn.clone();
        let outcome = tokio::time::timeout(self.inner.op_timeout, f(&mut conn)).await;
        let error = match outcome {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(e)) if is_connection_error(&e) => self.unavailable(what, Some(e)),
            Ok(Err(e)) => {
                // Redis answered with an error (a bug, or a key of another
                // type): not a reason to take it as down.
                return Err(Error::new(
                    ErrorKind::Transport,
                    format!("Redis at {} refused {what}", self.inner.shown),
                )
                .with_source(e));
            }
            Err(_) => Error::new(
                ErrorKind::Timeout,
                format!(
                    "Redis at {} did not answer {what} within {:?}",
                    self.inner.shown, self.inner.op_timeout
                ),
            ),
        };
        let mut down = self
            .inner
            .down_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *down = Instant::now().checked_add(self.inner.retry_after_failure);
        tracing::warn!(error = %error, "Redis call failed; taken as down for a while");
        Err(error)
    }

    fn unavailable(&self, what: &str, cause: Option<redis::RedisError>) -> Error {
        let e = Error::new(
            ErrorKind::Connect,
            format!("Redis at {} is unreachable ({what})", self.inner.shown),
        );
        match cause {
            Some(c) => e.with_source(c),
            None => e,
        }
    }
}

fn is_connection_error(e: &redis::RedisError) -> bool {
    e.is_io_error()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_timeout()
        || e.is_unrecoverable_error()
}

/// A key segment: ASCII letters, digits and `._-` as they are, anything
/// else percent-encoded, so that a tenant name cannot reach into another's
/// keys (`acme:token` is not a tenant `acme` plus a suffix).
pub(crate) fn key_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
    if out.is_empty() {
        out.push('%');
    }
    out
}

fn glob_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `d` in whole microseconds (Redis scripts count in µs).
pub(crate) fn micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

/// A count of microseconds from a script as a duration (negative → zero).
pub(crate) fn from_micros(us: i64) -> Duration {
    Duration::from_micros(u64::try_from(us).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn key_parts_cannot_escape_their_segment() {
        assert_eq!(key_part("acme"), "acme");
        assert_eq!(key_part("acme:token"), "acme%3Atoken");
        assert_eq!(key_part("a b*"), "a%20b%2A");
        assert_eq!(key_part(""), "%");
        assert_eq!(glob_escape("p*[x]"), "p\\*\\[x\\]");
    }

    #[test]
    fn building_needs_a_runtime() {
        let e = RedisStore::new("redis://127.0.0.1:6379/").unwrap_err();
        assert!(e.is_config() && e.to_string().contains("tokio"), "{e}");
    }

    #[tokio::test]
    async fn debug_hides_the_password() {
        let b = RedisStore::builder("redis://:hunter2-canary@127.0.0.1:6380/2");
        assert!(!format!("{b:?}").contains("canary"));
        let store = b.build().unwrap();
        let shown = format!("{store:?}");
        assert!(
            !shown.contains("canary") && shown.contains("127.0.0.1:6380/2"),
            "{shown}"
        );
        let e = RedisStore::new("not a url hunter2-canary").unwrap_err();
        assert!(e.is_config() && !e.to_string().contains("canary"), "{e}");
    }

    #[test]
    fn fractions_are_checked() {
        assert!(OnUnavailable::local_fraction(0.0).is_err());
        assert!(OnUnavailable::local_fraction(1.5).is_err());
        assert_eq!(OnUnavailable::scaled(0.25, 300), 75);
        assert_eq!(OnUnavailable::scaled(0.01, 3), 1);
    }
}
