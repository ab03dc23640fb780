//! [`RedisTokenStore`]: replicas share one access token and refresh it
//! single-flight across processes.

use std::fmt;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use psa_core::http::{RefreshLease, RefreshLock, Token, TokenStore};
use psa_core::{Error, ErrorKind, Result};
use redis::aio::ConnectionManager;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::RedisStore;
use crate::store::key_part;

/// Deletes the lock only if `ARGV[1]` still holds it.
const UNLOCK: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

fn unlock_script() -> &'static redis::Script {
    static SCRIPT: OnceLock<redis::Script> = OnceLock::new();
    SCRIPT.get_or_init(|| redis::Script::new(UNLOCK))
}

/// A [`TokenStore`] in Redis, so that a tenant's replicas share one access
/// token, with the refresh lock [`TokenAuth`](psa_core::http::TokenAuth)
/// takes before it calls the token endpoint:
///
/// - the token is kept as a small JSON document that expires with it
///   (`SET … PX`); a replica finding it there makes no token request;
/// - the refresh lock is `SET lock <random id> NX PX <lease>`: one replica
///   fetches while the others poll the store for its token; the holder
///   stores the token, then releases the lock (a compare-and-delete
///   script, so a holder whose lease ran out never releases another's
///   lock). A holder that dies mid-refresh blocks the others only until
///   its lease ends.
///
/// **The access token is readable by anyone who can read the Redis** (it
/// is a bearer credential for its lifetime, about an hour for HaloPSA).
/// Use a Redis that only the service's replicas can reach, with a password
/// or an ACL user limited to the prefix's keys (`~psa:*`) and TLS when it
/// is not on the same host. Client secrets are never stored.
///
/// ```no_run
/// # async fn demo() -> psa_core::Result<()> {
/// use std::sync::Arc;
/// use psa_core::Vendor;
/// use psa_redis::RedisStore;
///
/// let redis = RedisStore::new("redis://127.0.0.1:6379/")?;
/// let tokens = redis.tenant(Vendor::Halo, "acme").token_store();
/// let client = psa_halo::Client::builder()
///     .base_url("https://acme.halopsa.com")
///     .client_id("id")
///     .client_secret(secrecy::SecretString::from("secret"))
///     .token_store(Arc::new(tokens))
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct RedisTokenStore {
    store: RedisStore,
    base: String,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("store", &self.store)
            .field("keys", &self.base)
            .finish()
    }
}

#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    access_token: std::borrow::Cow<'a, str>,
    token_type: std::borrow::Cow<'a, str>,
    /// UNIX milliseconds.
    expires_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<std::borrow::Cow<'a, str>>,
}

fn unix_millis(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl RedisTokenStore {
    pub(crate) fn new(store: RedisStore, base: String) -> Self {
        RedisTokenStore { store, base }
    }

    /// The Redis key of the token kept under `key`.
    pub fn token_key(&self, key: &str) -> String {
        format!("{}:token:{}", self.base, key_part(key))
    }

    /// The Redis key of `key`'s refresh lock.
    pub fn lock_key(&self, key: &str) -> String {
        format!("{}:token-lock:{}", self.base, key_part(key))
    }
}

#[async_trait]
impl TokenStore for RedisTokenStore {
    async fn get(&self, key: &str) -> Result<Option<Token>> {
        let mut get = redis::cmd("GET");
        get.arg(self.token_key(key));
        let text: Option<String> = self
            .store
            .run("GET token", async |c: &mut ConnectionManager| {
                get.query_async(c).await
            })
            .await?;
        let Some(text) = text else {
            return Ok(None);
        };
        // serde's message could quote the token: keep only the field path.
        let stored: Stored<'_> = serde_json::from_str(&text).map_err(|e| {
            Error::new(
                ErrorKind::Decode,
                format!(
                    "the token stored in Redis is not a token document (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        let mut token = Token::new(
            SecretString::from(stored.access_token.into_owned()),
            UNIX_EPOCH + Duration::from_millis(stored.expires_at),
        )
        .with_token_type(stored.token_type.into_owned());
        if let Some(r) = stored.refresh_token {
            token = token.with_refresh_token(SecretString::from(r.into_owned()));
        }
        Ok(Some(token))
    }

    async fn put(&self, key: &str, token: Token) -> Result<()> {
        let expires_at = unix_millis(token.expires_at);
        let ttl = expires_at
            .saturating_sub(unix_millis(SystemTime::now()))
            .max(1_000);
        let doc = Stored {
            access_token: token.access_token.expose_secret().into(),
            token_type: token.token_type.as_str().into(),
            expires_at,
            refresh_token: token
                .refresh_token
                .as_ref()
                .map(|r| r.expose_secret().into()),
        };
        let text = SecretString::from(
            serde_json::to_string(&doc)
                .map_err(|_| Error::new(ErrorKind::Decode, "could not encode the token"))?,
        );
        let mut set = redis::cmd("SET");
        set.arg(self.token_key(key))
            .arg(text.expose_secret())
            .arg("PX")
            .arg(ttl);
        self.store
            .run("SET token", async |c: &mut ConnectionManager| {
                set.query_async::<()>(c).await
            })
            .await
    }

    async fn remove(&self, key: &str) -> Result<()> {
        let mut del = redis::cmd("DEL");
        del.arg(self.token_key(key));
        self.store
            .run("DEL token", async |c: &mut ConnectionManager| {
                del.query_async::<()>(c).await
            })
            .await
    }

    async fn try_lock_refresh(&self, key: &str, lease: Duration) -> Result<RefreshLock> {
        let owner = RefreshLease::random();
        let lock_key = self.lock_key(key);
        let mut set = redis::cmd("SET");
        set.arg(&lock_key)
            .arg(owner.id())
            .arg("NX")
            .arg("PX")
            .arg(u64::try_from(lease.as_millis()).unwrap_or(u64::MAX).max(1));
        let taken: Option<String> = self
            .store
            .run("SET refresh lock", async |c: &mut ConnectionManager| {
                set.query_async(c).await
            })
            .await?;
        if taken.is_some() {
            return Ok(RefreshLock::Acquired(owner));
        }
        let mut pttl = redis::cmd("PTTL");
        pttl.arg(&lock_key);
        let left: i64 = self
            .store
            .run("PTTL refresh lock", async |c: &mut ConnectionManager| {
                pttl.query_async(c).await
            })
            .await?;
        Ok(RefreshLock::Held {
            remaining: u64::try_from(left).ok().map(Duration::from_millis),
        })
    }

    async fn unlock_refresh(&self, key: &str, lease: &RefreshLease) -> Result<()> {
        let mut invocation = unlock_script().prepare_invoke();
        invocation.key(self.lock_key(key)).arg(lease.id());
        self.store
            .run("release refresh lock", async |c: &mut ConnectionManager| {
                invocation.invoke_async::<i64>(c).await
            })
            .await
            .map(|_| ())
    }
}
