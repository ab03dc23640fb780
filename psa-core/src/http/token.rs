//! Bearer tokens: where they come from ([`TokenSource`]; the OAuth grants
//! are in `oauth.rs`), where they are kept ([`TokenStore`]);
//! [`TokenAuth`](super::TokenAuth) puts them on requests.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use secrecy::SecretString;
use tokio::time::Instant;

use super::HttpConfig;
use super::after;
use crate::Result;

/// An access token and what is known of it. `Debug` never shows the secrets.
#[derive(Clone)]
#[non_exhaustive]
pub struct Token {
    /// The access token.
    pub access_token: SecretString,
    /// The token type (`Bearer`).
    pub token_type: String,
    /// When the token expires.
    pub expires_at: SystemTime,
    /// The refresh token, when the server sent one.
    pub refresh_token: Option<SecretString>,
}

impl Token {
    /// A bearer token expiring at `expires_at`.
    pub fn new(access_token: SecretString, expires_at: SystemTime) -> Self {
        Token {
            access_token,
            token_type: "Bearer".to_owned(),
            expires_at,
            refresh_token: None,
        }
    }

    /// Sets the token type.
    #[must_use]
    pub fn with_token_type(mut self, token_type: impl Into<String>) -> Self {
        self.token_type = token_type.into();
        self
    }

    /// Sets the refresh token.
    #[must_use]
    pub fn with_refresh_token(mut self, refresh_token: SecretString) -> Self {
        self.refresh_token = Some(refresh_token);
        self
    }

    /// Whether the token has expired at `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        now >= self.expires_at
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"[redacted]")
            .field("token_type", &self.token_type)
            .field("expires_at", &UnixTime(self.expires_at))
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

/// Shows a time as UNIX seconds (never panics, unlike HTTP-date formatting
/// of times outside 1970–9999).
pub(super) struct UnixTime(pub(super) SystemTime);

impl fmt::Debug for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => write!(f, "unix:{}", d.as_secs()),
            Err(e) => write!(f, "unix:-{}", e.duration().as_secs()),
        }
    }
}

/// The longest token lifetime believed (a larger `expires_in` is cut to it).
pub(super) const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(366 * 24 * 3600);

/// Where tokens come from (an OAuth token endpoint, ConnectWise's member
/// impersonation tokens …).
#[async_trait]
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// A key naming the credential (not containing any secret), under which
    /// a [`TokenStore`] keeps its token.
    fn cache_key(&self) -> String;

    /// Fetches a new token, with the timeouts of `config`.
    async fn fetch(&self, http: &reqwest::Client, config: &HttpConfig) -> Result<Token>;
}

/// Who holds a refresh lock: an opaque, random owner id, so that only the
/// holder releases it (see [`TokenStore::try_lock_refresh`]).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RefreshLease {
    id: String,
}

impl RefreshLease {
    /// A new lease with a random 128-bit owner id.
    pub fn random() -> Self {
        RefreshLease {
            id: format!("{:032x}", rand::random::<u128>()),
        }
    }

    /// A lease with this owner id (a store that mints its own ids).
    pub fn from_id(id: impl Into<String>) -> Self {
        RefreshLease { id: id.into() }
    }

    /// The owner id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl fmt::Debug for RefreshLease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RefreshLease").field(&self.id).finish()
    }
}

/// What [`TokenStore::try_lock_refresh`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefreshLock {
    /// The caller holds the lock until it releases it
    /// ([`TokenStore::unlock_refresh`]) or the lease runs out.
    Acquired(RefreshLease),
    /// Another holder (another replica) is refreshing; its lease ends
    /// within `remaining` at the latest, when the store knows.
    Held {
        /// How long the holder's lease still runs.
        remaining: Option<Duration>,
    },
}

/// Keeps tokens by key. The in-process default is [`MemoryTokenStore`]; a
/// shared store (psa-redis's `RedisTokenStore`) lets several replicas share
/// one token.
///
/// # Refreshing across processes
///
/// [`TokenAuth`](super::TokenAuth) refreshes single-flight within a process. So that replicas
/// sharing a store also make one token request between them, a store may
/// offer a **refresh lock with a lease**: before calling the token endpoint,
/// `TokenAuth` takes the lock with [`try_lock_refresh`](Self::try_lock_refresh);
/// a replica that finds it [`Held`](RefreshLock::Held) polls the store for
/// the new token (bounded by its callers' deadlines) and takes the lock
/// itself if it is released without a token. The holder [`put`](Self::put)s
/// the new token *before* it [unlocks](Self::unlock_refresh). The lease
/// bounds how long a holder that died mid-refresh blocks the others.
///
/// The default methods grant every lock at once (no cross-process
/// coordination), which keeps a store with only `get`, `put` and `remove`
/// correct. If the store cannot take the lock (it is unreachable),
/// `TokenAuth` fetches without it: a token request too many is better than
/// no token.
#[async_trait]
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The token kept under `key`.
    async fn get(&self, key: &str) -> Result<Option<Token>>;
    /// Keeps `token` under `key`.
    async fn put(&self, key: &str, token: Token) -> Result<()>;
    /// Forgets the token kept under `key`.
    async fn remove(&self, key: &str) -> Result<()>;

    /// Tries to take the refresh lock of `key` for at most `lease`; never
    /// waits. The default grants it at once.
    async fn try_lock_refresh(&self, key: &str, lease: Duration) -> Result<RefreshLock> {
        let _ = (key, lease);
        Ok(RefreshLock::Acquired(RefreshLease::random()))
    }

    /// Releases the refresh lock of `key` if `lease` still holds it (a lock
    /// whose lease ran out and was taken by another holder is left alone).
    /// The default does nothing.
    async fn unlock_refresh(&self, key: &str, lease: &RefreshLease) -> Result<()> {
        let _ = (key, lease);
        Ok(())
    }
}

/// A [`TokenStore`] in process memory, with a real refresh lock, so that
/// several [`TokenAuth`](super::TokenAuth)s of one credential in a process sharing it make
/// one token request between them.
#[derive(Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<HashMap<String, Token>>,
    locks: Mutex<HashMap<String, (RefreshLease, Instant)>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryTokenStore::default()
    }
}

impl fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("MemoryTokenStore")
            .field("keys", &tokens.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl TokenStore for MemoryTokenStore {
    async fn get(&self, key: &str) -> Result<Option<Token>> {
        let tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(tokens.get(key).cloned())
    }

    async fn put(&self, key: &str, token: Token) -> Result<()> {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.insert(key.to_owned(), token);
        Ok(())
    }

    async fn remove(&self, key: &str) -> Result<()> {
        let mut tokens = self.tokens.lock().unwrap_or_else(PoisonError::into_inner);
        tokens.remove(key);
        Ok(())
    }

    async fn try_lock_refresh(&self, key: &str, lease: Duration) -> Result<RefreshLock> {
        let now = Instant::now();
        let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, until)) = locks.get(key) {
            if *until > now {
                return Ok(RefreshLock::Held {
                    remaining: Some(*until - now),
                });
            }
        }
        let owner = RefreshLease::random();
        locks.insert(key.to_owned(), (owner.clone(), after(now, lease)));
        Ok(RefreshLock::Acquired(owner))
    }

    async fn unlock_refresh(&self, key: &str, lease: &RefreshLease) -> Result<()> {
        let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
        if locks.get(key).is_some_and(|(owner, _)| owner == lease) {
            locks.remove(key);
        }
        Ok(())
    }
}
