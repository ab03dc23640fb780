//! [`HaloFactory`]: psa-halo clients for HaloPSA tenants.

use std::sync::Arc;

use async_trait::async_trait;
use psa_core::http::HttpConfig;
use psa_core::{Error, Psa, Result, Vendor};
use secrecy::{ExposeSecret, SecretString};

use crate::{ClientFactory, Credentials, TenantConfig};

/// Builds [`psa_halo::Client`]s. Credentials: `client_id`,
/// `client_secret`. Options: `tenant` (hosted Halo's `?tenant=`),
/// `auth_url`, `scopes` (space-separated), `agent_id`.
///
/// With feature `redis` and [`shared`](Self::shared), every tenant's
/// client keeps Halo's 300 requests per rolling 5 minutes in a Redis
/// window shared by all replicas, and its access token in Redis (one token
/// request for all replicas), under the tenant's id.
#[derive(Debug, Clone, Default)]
pub struct HaloFactory {
    http_config: Option<HttpConfig>,
    rate_limit: Option<psa_halo::RateLimit>,
    #[cfg(feature = "redis")]
    shared: Option<psa_redis::RedisStore>,
}

impl HaloFactory {
    /// Hosted Halo's limit per tenant, in process.
    pub fn new() -> Self {
        HaloFactory::default()
    }

    /// Timeouts and retries of every client.
    #[must_use]
    pub fn http_config(mut self, config: HttpConfig) -> Self {
        self.http_config = Some(config);
        self
    }

    /// The rate limit of every client (each tenant its own), when no
    /// shared store is set (default: hosted Halo's).
    #[must_use]
    pub fn rate_limit(mut self, limit: psa_halo::RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Keeps each tenant's budget and token in `redis`, shared by replicas.
    #[cfg(feature = "redis")]
    #[must_use]
    pub fn shared(mut self, redis: psa_redis::RedisStore) -> Self {
        self.shared = Some(redis);
        self
    }
}

#[async_trait]
impl ClientFactory for HaloFactory {
    async fn build(&self, tenant: &TenantConfig, credentials: Credentials) -> Result<Arc<dyn Psa>> {
        if tenant.vendor != Vendor::Halo {
            return Err(Error::config(format!(
                "tenant `{}` is a {} tenant, not HaloPSA",
                tenant.id,
                tenant.vendor.as_str()
            )));
        }
        let id = credentials.require(&tenant.id, "client_id")?;
        let secret = credentials.require(&tenant.id, "client_secret")?;
        let mut b = psa_halo::Client::builder()
            .base_url(tenant.base_url.clone())
            .client_id(id.expose_secret())
            .client_secret(SecretString::from(secret.expose_secret()));
        if let Some(t) = tenant.option("tenant") {
            b = b.tenant(t);
        }
        if let Some(a) = tenant.option("auth_url") {
            b = b.auth_url(a);
        }
        if let Some(s) = tenant.option("scopes") {
            b = b.scopes(s.split_whitespace());
        }
        if let Some(agent) = tenant.option("agent_id") {
            let agent = agent.parse().map_err(|_| {
                Error::config(format!(
                    "tenant `{}`: agent_id `{agent}` is not a number",
                    tenant.id
                ))
            })?;
            b = b.agent_id(agent);
        }
        if let Some(c) = &self.http_config {
            b = b.http_config(c.clone());
        }
        if let Some(l) = &self.rate_limit {
            b = b.rate_limit(*l);
        }
        #[cfg(feature = "redis")]
        if let Some(redis) = &self.shared {
            let keys = redis.tenant(Vendor::Halo, &tenant.id);
            b = b
                .rate_limiter(Arc::new(keys.window_limiter(
                    psa_halo::RateLimit::HOSTED_MAX,
                    psa_halo::RateLimit::HOSTED_WINDOW,
                )))
                .token_store(Arc::new(keys.token_store()));
        }
        Ok(Arc::new(b.build()?))
    }
}
