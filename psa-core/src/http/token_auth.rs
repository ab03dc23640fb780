//! [`TokenAuth`]: a bearer-token cache that refreshes early, single-flight,
//! within a process and — through a [`TokenStore`] with a refresh lock —
//! across processes.

use std::error::Error as StdError;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::watch;
use tokio::time::Instant;

use super::after;
use super::auth::{Auth, AuthStamp};
use super::token::UnixTime;
use super::{HttpConfig, MemoryTokenStore, RefreshLock, Token, TokenSource, TokenStore};
use crate::{Error, ErrorKind, Result};

/// The default early-refresh margin (see [`TokenAuth::with_refresh_margin`]).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The default minimum lifetime of a token (see
/// [`TokenAuth::with_min_token_lifetime`]).
pub const DEFAULT_MIN_TOKEN_LIFETIME: Duration = Duration::from_secs(5);

/// The default lease of a cross-process refresh lock (see
/// [`TokenAuth::with_refresh_lease`]).
pub const DEFAULT_REFRESH_LEASE: Duration = Duration::from_secs(30);

/// Bearer-token [`Auth`]: caches the token, refreshes it early and
/// single-flight, shares failures, and never keeps a caller past its
/// deadline.
///
/// - **Early refresh.** A token is renewed `min(margin, 10 % of its
///   lifetime)` before it expires (margin 60 s by default). While it is
///   renewed, callers keep using the token that still works.
/// - **Single-flight, success or failure.** Any number of concurrent
///   callers without a valid token share one refresh: one
///   [`TokenSource::fetch`] (which makes the source's own retries), whose
///   outcome every waiting caller gets — the token, or the same error.
/// - **A short negative cache.** After a failed refresh, callers arriving
///   within the failure backoff get that error at once (with a
///   [`retry_after`](Error::retry_after)) instead of a new token request;
///   the backoff starts at 1 s and doubles with each failure in a row up to
///   30 s (see [`with_failure_backoff`](Self::with_failure_backoff)), or is
///   the token endpoint's `Retry-After` when it sent a longer one. A token
///   that still works is used meanwhile.
/// - **Deadlines.** The refresh runs in a task of its own; a caller waits
///   for it only until its deadline ([`Auth::authorize_until`]: the
///   [`HttpClient`](super::HttpClient) passes the call's deadline, bounded
///   by the attempt timeout) and then fails with
///   [`Timeout`](ErrorKind::Timeout), while the refresh goes on for the
///   callers after it. A hanging token endpoint therefore costs each caller
///   its own deadline, not the sum of everyone's.
/// - **Tokens issued (nearly) expired.** A token just obtained is used for
///   at least [`with_min_token_lifetime`](Self::with_min_token_lifetime)
///   (5 s by default), whatever its `expires_in` says (0, or less than the
///   refresh margin): its expiry is raised to that floor, in the cache and
///   in the store. The server stays the judge: a token it rejects is
///   renewed after the 401. Without the floor every call would fetch a
///   token.
/// - **401.** After a 401 only the token that was used is dropped (compared
///   by generation), so a hundred concurrent 401s cause one refresh; a
///   token that was just rejected is not taken from the store again.
/// - **Replicas.** The [`TokenStore`] is consulted before fetching, so that
///   replicas sharing a store share a token; before fetching, the refresh
///   takes the store's refresh lock (see [`TokenStore`]): a replica that
///   finds it held polls the store for the holder's token instead of
///   fetching its own, and the lock's lease bounds how long a holder that
///   died blocks the others.
///
/// Cheap to clone (an `Arc` inside); clones share the cache. The `with_*`
/// methods are for construction: called on a clone that is already shared,
/// they return a new `TokenAuth` with an empty cache.
///
/// To share one connection pool with the [`HttpClient`](super::HttpClient),
/// build a reqwest client with [`HttpConfig::build_reqwest_client`] and pass
/// it to both ([`with_http_client`](Self::with_http_client) and
/// [`HttpClientBuilder::reqwest_client`](super::HttpClientBuilder::reqwest_client)).
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use psa_core::http::{HttpConfig, MemoryTokenStore, OAuthClientCredentials, TokenAuth};
/// use secrecy::SecretString;
///
/// let source = OAuthClientCredentials::new(
///     "https://acme.halopsa.com/auth/token",
///     "client-id",
///     SecretString::from("client-secret"),
/// )?;
/// let auth = TokenAuth::new(Arc::new(source), HttpConfig::default())?
///     .with_store(Arc::new(MemoryTokenStore::new()))
///     .with_failure_backoff(Duration::from_millis(500), Duration::from_secs(10))
///     .with_refresh_lease(Duration::from_secs(20));
/// assert_eq!(auth.refresh_lease(), Duration::from_secs(20));
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Clone)]
pub struct TokenAuth {
    inner: Arc<TokenInner>,
}

struct TokenInner {
    source: Arc<dyn TokenSource>,
    store: Arc<dyn TokenStore>,
    http: reqwest::Client,
    config: HttpConfig,
    margin: Duration,
    min_lifetime: Duration,
    backoff_min: Duration,
    backoff_max: Duration,
    lease: Duration,
    poll: Duration,
    key: String,
    state: Mutex<CacheState>,
    generation: AtomicU64,
    fetches: AtomicU64,
}

/// What a refresh gave: the header and its stamp, or the shared error.
type Outcome = std::result::Result<(HeaderValue, AuthStamp), Arc<Error>>;

#[derive(Default)]
struct CacheState {
    current: Option<Cached>,
    /// The access token last rejected with a 401.
    rejected: Option<SecretString>,
    /// The refresh under way, if any: its outcome is sent once.
    flight: Option<watch::Receiver<Option<Outcome>>>,
    /// The last failed refresh, given to callers until `until`.
    failure: Option<Failure>,
    /// Failed refreshes in a row.
    failures: u32,
}

struct Failure {
    error: Arc<Error>,
    until: Instant,
}

struct Cached {
    header: HeaderValue,
    access: SecretString,
    refresh_at: SystemTime,
    /// When the token stops being used (its expiry, or the minimum lifetime).
    usable_until: SystemTime,
    generation: u64,
}

impl fmt::Debug for TokenAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("TokenAuth")
            .field("source", &self.inner.source)
            .field("store", &self.inner.store)
            .field("margin", &self.inner.margin)
            .field(
                "cached_until",
                &state.current.as_ref().map(|c| UnixTime(c.usable_until)),
            )
            .field("refreshing", &state.flight.is_some())
            .finish_non_exhaustive()
    }
}

impl TokenAuth {
    /// Token auth over `source`, with a reqwest client built from `config`
    /// (no redirects, its connect timeout) and an in-memory store.
    pub fn new(source: Arc<dyn TokenSource>, config: HttpConfig) -> Result<Self> {
        let http = config.build_reqwest_client()?;
        let key = source.cache_key();
        Ok(TokenAuth {
            inner: Arc::new(TokenInner {
                source,
                store: Arc::new(MemoryTokenStore::new()),
                http,
                config,
                margin: DEFAULT_REFRESH_MARGIN,
                min_lifetime: DEFAULT_MIN_TOKEN_LIFETIME,
                backoff_min: Duration::from_secs(1),
                backoff_max: Duration::from_secs(30),
                lease: DEFAULT_REFRESH_LEASE,
                poll: Duration::from_millis(100),
                key,
                state: Mutex::new(CacheState::default()),
                generation: AtomicU64::new(0),
                fetches: AtomicU64::new(0),
            }),
        })
    }

    fn rebuild(self, f: impl FnOnce(&mut TokenInner)) -> Self {
        let mut inner = match Arc::try_unwrap(self.inner) {
            Ok(inner) => inner,
            Err(shared) => TokenInner {
                source: Arc::clone(&shared.source),
                store: Arc::clone(&shared.store),
                http: shared.http.clone(),
                config: shared.config.clone(),
                margin: shared.margin,
                min_lifetime: shared.min_lifetime,
                backoff_min: shared.backoff_min,
                backoff_max: shared.backoff_max,
                lease: shared.lease,
                poll: shared.poll,
                key: shared.key.clone(),
                state: Mutex::new(CacheState::default()),
                generation: AtomicU64::new(shared.generation.load(Ordering::Relaxed)),
                fetches: AtomicU64::new(0),
            },
        };
        f(&mut inner);
        TokenAuth {
            inner: Arc::new(inner),
        }
    }

    /// Uses `store` to keep tokens (shared by replicas, for instance).
    #[must_use]
    pub fn with_store(self, store: Arc<dyn TokenStore>) -> Self {
        self.rebuild(|i| i.store = store)
    }

    /// Uses this reqwest client for token requests. It should not follow
    /// redirects (see [`HttpConfig::build_reqwest_client`]).
    #[must_use]
    pub fn with_http_client(self, http: reqwest::Client) -> Self {
        self.rebuild(|i| i.http = http)
    }

    /// Renews a token this long before it expires, or 10 % of its lifetime
    /// before, whichever is smaller (default [`DEFAULT_REFRESH_MARGIN`]).
    #[must_use]
    pub fn with_refresh_margin(self, margin: Duration) -> Self {
        self.rebuild(|i| i.margin = margin)
    }

    /// Uses every token for at least `lifetime` after it was obtained (its
    /// expiry is raised to that), even when the server says it expires sooner (default
    /// [`DEFAULT_MIN_TOKEN_LIFETIME`], 5 s). This bounds token requests to
    /// one per `lifetime` when a server issues tokens that are already
    /// expired; a token the server rejects is renewed after the 401 anyway.
    #[must_use]
    pub fn with_min_token_lifetime(self, lifetime: Duration) -> Self {
        self.rebuild(|i| i.min_lifetime = lifetime)
    }

    /// After a failed refresh, no new token request for `initial`, doubling
    /// with each failure in a row up to `max` (defaults 1 s and 30 s); a
    /// longer `Retry-After` from the token endpoint wins, up to the retry
    /// policy's `max_retry_after`. Callers without a usable token get the
    /// failure's error meanwhile.
    #[must_use]
    pub fn with_failure_backoff(self, initial: Duration, max: Duration) -> Self {
        self.rebuild(|i| {
            i.backoff_min = initial;
            i.backoff_max = max.max(initial);
        })
    }

    /// The lease of the store's refresh lock (default
    /// [`DEFAULT_REFRESH_LEASE`], 30 s): how long a replica that died while
    /// refreshing keeps the others waiting. Make it longer than a token
    /// request normally takes; if a request outlasts it, another replica
    /// may fetch a token too (one request more, nothing worse).
    #[must_use]
    pub fn with_refresh_lease(self, lease: Duration) -> Self {
        self.rebuild(|i| i.lease = lease.max(Duration::from_millis(1)))
    }

    /// How often a replica waiting on another's refresh looks at the store
    /// for the new token (default 100 ms).
    #[must_use]
    pub fn with_lock_poll_interval(self, every: Duration) -> Self {
        self.rebuild(|i| i.poll = every.max(Duration::from_millis(1)))
    }

    /// The refresh lock's lease.
    pub fn refresh_lease(&self) -> Duration {
        self.inner.lease
    }

    /// The store's key of this credential.
    pub fn cache_key(&self) -> &str {
        &self.inner.key
    }

    /// Token requests this `TokenAuth` has made ([`TokenSource::fetch`]
    /// calls; a fetch's own retries count as one).
    pub fn fetch_count(&self) -> u64 {
        self.inner.fetches.load(Ordering::Relaxed)
    }

    /// Drops the cached token, the stored one and any remembered failure:
    /// the next call fetches.
    pub async fn invalidate(&self) -> Result<()> {
        {
            let mut state = self.state();
            state.current = None;
            state.failure = None;
        }
        self.inner.store.remove(&self.inner.key).await
    }

    fn state(&self) -> MutexGuard<'_, CacheState> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// When the renewal of `token` starts, seen at `now`.
    fn refresh_at(&self, token: &Token, now: SystemTime) -> SystemTime {
        let lifetime = token
            .expires_at
            .duration_since(now)
            .unwrap_or(Duration::ZERO);
        let early = self.inner.margin.min(lifetime / 10);
        token
            .expires_at
            .checked_sub(early)
            .unwrap_or(token.expires_at)
    }

    /// A token just obtained from the token endpoint: one that expires
    /// within the minimum lifetime is kept (and stored) as expiring at the
    /// end of it.
    fn floored(&self, mut token: Token) -> Token {
        let now = SystemTime::now();
        let floor = now.checked_add(self.inner.min_lifetime).unwrap_or(now);
        if token.expires_at < floor {
            tracing::warn!(
                min_lifetime_ms = millis(self.inner.min_lifetime),
                "the token endpoint issued a token that expires within the minimum token \
                 lifetime; it is used for that long (a 401 still renews it)"
            );
            token.expires_at = floor;
        }
        token
    }

    fn install(&self, token: &Token) -> Result<(HeaderValue, AuthStamp)> {
        let scheme =
            if token.token_type.is_empty() || token.token_type.eq_ignore_ascii_case("bearer") {
                "Bearer"
            } else {
                token.token_type.as_str()
            };
        let mut header =
            HeaderValue::from_str(&format!("{scheme} {}", token.access_token.expose_secret()))
                .map_err(|_| {
                    Error::new(
                        ErrorKind::Decode,
                        "the access token is not a valid header value",
                    )
                })?;
        header.set_sensitive(true);
        let refresh_at = self.refresh_at(token, SystemTime::now());
        let generation = self.inner.generation.fetch_add(1, Ordering::Relaxed) + 1;
        self.state().current = Some(Cached {
            header: header.clone(),
            access: token.access_token.clone(),
            refresh_at,
            usable_until: token.expires_at,
            generation,
        });
        Ok((header, AuthStamp::new(generation)))
    }

    /// Whether a token found in the store may be installed: not the one
    /// this process is renewing (`known`), not the one just rejected, and
    /// not expired. (Another replica's token that is already due for
    /// renewal is still taken: the next call renews it, under the lock.)
    fn usable_stored_token(&self, token: &Token, known: Option<&SecretString>) -> bool {
        let same = |s: &SecretString| s.expose_secret() == token.access_token.expose_secret();
        if known.is_some_and(same) || self.state().rejected.as_ref().is_some_and(same) {
            return false;
        }
        !token.is_expired_at(SystemTime::now())
    }

    /// The header to send, waiting for a refresh at most until `deadline`.
    async fn current(&self, deadline: Instant) -> Result<(HeaderValue, AuthStamp)> {
        let mut rx = {
            let mut state = self.state();
            let now = SystemTime::now();
            let valid = match &state.current {
                Some(c) if now < c.refresh_at => {
                    return Ok((c.header.clone(), AuthStamp::new(c.generation)));
                }
                Some(c) if now < c.usable_until => {
                    Some((c.header.clone(), AuthStamp::new(c.generation)))
                }
                _ => None,
            };
            let running = state
                .flight
                .as_ref()
                .filter(|rx| rx.has_changed().is_ok())
                .cloned();
            if let Some(rx) = running {
                // A refresh is under way: a token that still works is used
                // meanwhile; otherwise wait for the refresh.
                match valid {
                    Some(v) => return Ok(v),
                    None => rx,
                }
            } else {
                if let Some(f) = &state.failure {
                    let now = Instant::now();
                    if now < f.until {
                        return match valid {
                            Some(v) => Ok(v),
                            None => Err(shared_error(&f.error, Some(f.until - now))),
                        };
                    }
                }
                let rx = self.start_refresh(&mut state);
                match valid {
                    Some(v) => return Ok(v),
                    None => rx,
                }
            }
        };
        let outcome = tokio::time::timeout_at(deadline, rx.wait_for(Option::is_some)).await;
        match outcome {
            Err(_) => Err(Error::new(
                ErrorKind::Timeout,
                "the deadline passed while waiting for an access token; nothing was sent \
                 (the token request goes on for later calls)",
            )),
            Ok(Err(_)) => Err(Error::new(
                ErrorKind::Unauthorized,
                "the token refresh ended without a result",
            )),
            Ok(Ok(done)) => match done.as_ref() {
                Some(Ok(v)) => Ok(v.clone()),
                Some(Err(e)) => Err(shared_error(e, None)),
                None => Err(Error::new(
                    ErrorKind::Unauthorized,
                    "the token refresh ended without a result",
                )),
            },
        }
    }

    /// Starts the one refresh (in a task of its own, so that no caller's
    /// deadline or cancellation cuts it short) and returns its outcome's
    /// receiver.
    fn start_refresh(&self, state: &mut CacheState) -> watch::Receiver<Option<Outcome>> {
        let (tx, rx) = watch::channel(None);
        state.flight = Some(rx.clone());
        let this = self.clone();
        let known = state.current.as_ref().map(|c| c.access.clone());
        let task = async move {
            let outcome = this.refresh(known).await.map_err(Arc::new);
            this.finish(&outcome);
            // Every receiver may be gone (callers past their deadline).
            let _ = tx.send(Some(outcome));
        };
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(task);
            rx
        } else {
            // Outside a runtime nothing can send the request anyway; say so
            // instead of panicking.
            let e = Arc::new(Error::config(
                "TokenAuth needs a tokio runtime to refresh a token",
            ));
            state.flight = None;
            watch::channel(Some(Err(e))).1
        }
    }

    /// Records a refresh's outcome: the flight is over; a failure starts
    /// (or lengthens) the backoff.
    fn finish(&self, outcome: &Outcome) {
        let mut state = self.state();
        state.flight = None;
        match outcome {
            Ok(_) => {
                state.failures = 0;
                state.failure = None;
            }
            Err(e) => {
                state.failures = state.failures.saturating_add(1);
                let doubled = self
                    .inner
                    .backoff_min
                    .checked_mul(1u32 << (state.failures - 1).min(20))
                    .unwrap_or(self.inner.backoff_max)
                    .min(self.inner.backoff_max);
                let vendor_says = e
                    .retry_after()
                    .unwrap_or(Duration::ZERO)
                    .min(self.inner.config.retry().max_retry_after());
                let wait = doubled.max(vendor_says);
                tracing::warn!(
                    error = %e,
                    failures = state.failures,
                    backoff_ms = millis(wait),
                    "token refresh failed; no new token request before the backoff ends"
                );
                state.failure = Some(Failure {
                    error: Arc::clone(e),
                    until: after(Instant::now(), wait),
                });
            }
        }
    }

    /// The refresh itself: the store, the store's lock, then the token
    /// endpoint. `known` is the access token this process had.
    async fn refresh(&self, known: Option<SecretString>) -> Result<(HeaderValue, AuthStamp)> {
        let inner = &*self.inner;
        let give_up = after(
            Instant::now(),
            inner.config.deadline().saturating_add(inner.lease),
        );
        loop {
            if let Some(token) = self.stored_token(known.as_ref()).await {
                tracing::debug!("using the token from the token store");
                return self.install(&token);
            }
            let lease = match inner.store.try_lock_refresh(&inner.key, inner.lease).await {
                Ok(RefreshLock::Acquired(lease)) => Some(lease),
                Ok(RefreshLock::Held { remaining }) => {
                    let now = Instant::now();
                    if now >= give_up {
                        return Err(Error::new(
                            ErrorKind::Timeout,
                            "another holder of the token store's refresh lock kept it past \
                             the refresh deadline",
                        ));
                    }
                    let wait = inner.poll.min(give_up - now);
                    tracing::trace!(
                        remaining_ms = remaining.map(millis),
                        "another replica is refreshing the token; waiting for it"
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the token store could not take the refresh lock; fetching without it");
                    None
                }
            };
            if lease.is_some() {
                // The holder before us may have stored its token between our
                // look and our lock.
                if let Some(token) = self.stored_token(known.as_ref()).await {
                    self.unlock(lease.as_ref()).await;
                    return self.install(&token);
                }
            }
            tracing::debug!("fetching a new token");
            inner.fetches.fetch_add(1, Ordering::Relaxed);
            let result = match inner.source.fetch(&inner.http, &inner.config).await {
                Ok(token) => {
                    let token = self.floored(token);
                    match self.install(&token) {
                        Ok(installed) => {
                            if let Err(e) = inner.store.put(&inner.key, token).await {
                                tracing::warn!(error = %e, "token store write failed");
                            }
                            Ok(installed)
                        }
                        Err(e) => Err(e),
                    }
                }
                Err(e) => Err(e),
            };
            self.unlock(lease.as_ref()).await;
            return result;
        }
    }

    async fn stored_token(&self, known: Option<&SecretString>) -> Option<Token> {
        match self.inner.store.get(&self.inner.key).await {
            Ok(Some(token)) if self.usable_stored_token(&token, known) => Some(token),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(error = %e, "token store read failed");
                None
            }
        }
    }

    async fn unlock(&self, lease: Option<&super::RefreshLease>) {
        if let Some(lease) = lease {
            if let Err(e) = self
                .inner
                .store
                .unlock_refresh(&self.inner.key, lease)
                .await
            {
                tracing::warn!(error = %e, "the token store could not release the refresh lock; it ends with its lease");
            }
        }
    }
}

#[async_trait]
impl Auth for TokenAuth {
    async fn authorize(&self, headers: &mut HeaderMap) -> Result<AuthStamp> {
        let deadline = after(Instant::now(), self.inner.config.deadline());
        self.authorize_until(headers, deadline).await
    }

    async fn authorize_until(
        &self,
        headers: &mut HeaderMap,
        deadline: Instant,
    ) -> Result<AuthStamp> {
        let (header, stamp) = self.current(deadline).await?;
        headers.insert(AUTHORIZATION, header);
        Ok(stamp)
    }

    async fn on_unauthorized(&self, stamp: AuthStamp) -> bool {
        let mut state = self.state();
        if let Some(c) = &state.current {
            if c.generation == stamp.generation() {
                tracing::debug!("token rejected with 401; it will be renewed");
                let rejected = c.access.clone();
                state.current = None;
                state.rejected = Some(rejected);
            }
        }
        true
    }
}

/// A copy of a shared refresh failure for one more caller: the same kind,
/// message, vendor, status, headers, body, parsed body and `Retry-After`
/// (at least `retry_after` when given); its cause is the original's cause.
fn shared_error(e: &Arc<Error>, retry_after: Option<Duration>) -> Error {
    let mut copy = Error::new(e.kind(), e.message().to_owned());
    if let Some(v) = e.vendor() {
        copy = copy.with_vendor(v);
    }
    if let Some(status) = e.http_status() {
        copy = copy.with_http(
            status,
            e.headers().unwrap_or(&HeaderMap::new()),
            e.raw_body().unwrap_or_default().as_bytes(),
        );
    }
    if let Some(api) = e.api_body() {
        copy = copy.with_api_body(api.clone());
    }
    match (e.retry_after(), retry_after) {
        (Some(a), Some(b)) => copy = copy.with_retry_after(a.max(b)),
        (Some(a), None) | (None, Some(a)) => copy = copy.with_retry_after(a),
        (None, None) => {}
    }
    if StdError::source(&**e).is_some() {
        copy = copy.with_source(SharedCause(Arc::clone(e)));
    }
    copy
}

/// The cause of a shared failure: shows and chains to the original error's
/// cause (not the original itself, whose message the copy already shows).
struct SharedCause(Arc<Error>);

impl fmt::Debug for SharedCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match StdError::source(&*self.0) {
            Some(s) => fmt::Debug::fmt(s, f),
            None => f.write_str("SharedCause"),
        }
    }
}

impl fmt::Display for SharedCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match StdError::source(&*self.0) {
            Some(s) => fmt::Display::fmt(s, f),
            None => Ok(()),
        }
    }
}

impl StdError for SharedCause {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        StdError::source(&*self.0).and_then(StdError::source)
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[derive(Debug)]
    struct Fixed(Duration);

    #[async_trait]
    impl TokenSource for Fixed {
        fn cache_key(&self) -> String {
            "fixed".into()
        }
        async fn fetch(&self, _: &reqwest::Client, _: &HttpConfig) -> Result<Token> {
            Ok(Token::new(
                SecretString::from("t"),
                SystemTime::now() + self.0,
            ))
        }
    }

    #[tokio::test]
    async fn early_refresh_margin_and_401() {
        let auth = TokenAuth::new(
            Arc::new(Fixed(Duration::from_secs(3600))),
            HttpConfig::default(),
        )
        .unwrap();
        let now = SystemTime::now();
        let t = Token::new(SecretString::from("x"), now + Duration::from_secs(3600));
        assert_eq!(
            auth.refresh_at(&t, now),
            t.expires_at - Duration::from_secs(60)
        );
        let t = Token::new(SecretString::from("x"), now + Duration::from_secs(100));
        assert_eq!(
            auth.refresh_at(&t, now),
            t.expires_at - Duration::from_secs(10)
        );
        // Issued already expired: used for the minimum lifetime.
        let t = auth.floored(Token::new(
            SecretString::from("x"),
            now - Duration::from_secs(1),
        ));
        assert!(t.expires_at >= now + DEFAULT_MIN_TOKEN_LIFETIME);
        let long = Token::new(SecretString::from("x"), now + Duration::from_secs(60));
        assert_eq!(auth.floored(long.clone()).expires_at, long.expires_at);

        let mut h = HeaderMap::new();
        let s1 = auth.authorize(&mut h).await.unwrap();
        assert_eq!(h.get(AUTHORIZATION).unwrap(), "Bearer t");
        assert!(h.get(AUTHORIZATION).unwrap().is_sensitive());
        let s2 = auth.authorize(&mut h).await.unwrap();
        assert_eq!(s1, s2, "cached");
        assert!(auth.on_unauthorized(s1).await);
        let s3 = auth.authorize(&mut h).await.unwrap();
        assert_ne!(s1, s3, "renewed after a 401");
        // A stale stamp does not drop the new token.
        assert!(auth.on_unauthorized(s1).await);
        assert_eq!(auth.authorize(&mut h).await.unwrap(), s3);
        assert_eq!(auth.fetch_count(), 2);
    }

    #[test]
    fn shared_errors_keep_everything_but_print_once() {
        let io = std::io::Error::other("connection reset by peer");
        let original = Arc::new(
            Error::new(ErrorKind::Api, "token request refused")
                .with_http(
                    http::StatusCode::BAD_GATEWAY,
                    &HeaderMap::new(),
                    b"<html>bad gateway</html>",
                )
                .with_retry_after(Duration::from_secs(2))
                .with_source(io),
        );
        let copy = shared_error(&original, Some(Duration::from_secs(5)));
        assert_eq!(copy.kind(), ErrorKind::Api);
        assert_eq!(copy.message(), "token request refused");
        assert_eq!(copy.http_status().map(|s| s.as_u16()), Some(502));
        assert_eq!(copy.raw_body(), Some("<html>bad gateway</html>"));
        assert_eq!(copy.retry_after(), Some(Duration::from_secs(5)));
        let cause = StdError::source(&copy).unwrap();
        assert_eq!(cause.to_string(), "connection reset by peer");
        let plain = shared_error(&Arc::new(Error::config("x")), None);
        assert!(StdError::source(&plain).is_none());
        assert_eq!(plain.retry_after(), None);
    }
}
