//! [`TenantRegistry`]: tenants' clients, created on first use and shared.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use psa_core::{Error, Psa, Result, Vendor};
use psa_permissions::{Guarded, Policy};
use tokio::sync::OnceCell;

use crate::{CredentialProvider, Credentials};

/// A tenant's settings: its id (the name credentials and shared limits are
/// kept under), vendor, base URL, policy, and any vendor options the
/// factory reads (`tenant`, `auth_url`, `rate_limit` …).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TenantConfig {
    /// The tenant's id in this registry.
    pub id: String,
    /// The vendor.
    pub vendor: Vendor,
    /// The PSA's base URL.
    pub base_url: String,
    /// What the tenant's agents may do.
    pub policy: Policy,
    /// Vendor options, by name.
    pub options: HashMap<String, String>,
}

impl TenantConfig {
    /// A tenant of `vendor` at `base_url` with `policy`.
    pub fn new(
        id: impl Into<String>,
        vendor: Vendor,
        base_url: impl Into<String>,
        policy: Policy,
    ) -> Self {
        TenantConfig {
            id: id.into(),
            vendor,
            base_url: base_url.into(),
            policy,
            options: HashMap::new(),
        }
    }

    /// Sets a vendor option.
    #[must_use]
    pub fn with_option(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.insert(name.into(), value.into());
        self
    }

    /// A vendor option.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }
}

/// Builds a tenant's vendor client from its settings and credentials (no
/// IO needed: vendor clients connect lazily). [`HaloFactory`](crate::HaloFactory)
/// (feature `halo`) is one; a service serving several vendors writes one
/// that dispatches on [`TenantConfig::vendor`].
#[async_trait]
pub trait ClientFactory: Send + Sync + fmt::Debug {
    /// The client of `tenant`.
    async fn build(&self, tenant: &TenantConfig, credentials: Credentials) -> Result<Arc<dyn Psa>>;
}

/// A tenant's client: the vendor client behind the tenant's policy guard.
pub type TenantClient = Arc<Guarded<Arc<dyn Psa>>>;

struct Entry {
    config: Arc<TenantConfig>,
    client: Arc<OnceCell<TenantClient>>,
}

/// Many tenants served from one process.
///
/// Tenants are registered with their settings ([`TenantConfig`]); a
/// tenant's client is built on first use — credentials from the
/// [`CredentialProvider`], client from the [`ClientFactory`], wrapped in a
/// [`Guarded`] with the tenant's policy — and then shared by every caller
/// (an `Arc`). Concurrent first uses build it once; a failed build is not
/// kept (the next use tries again). An idle tenant costs its settings and,
/// once used, its client (measured in `BENCHMARKS.md`).
///
/// Why a crate of its own: the registry needs policies (psa-permissions)
/// and builds vendor clients, and psa-core must stay vendor-free and
/// policy-free; the vendors are optional features, so a service compiles
/// only the vendors it serves.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> psa_core::Result<()> {
/// use std::sync::Arc;
/// use psa_core::Vendor;
/// use psa_permissions::{Policy, Profile};
/// use psa_tenants::{EnvCredentials, HaloFactory, TenantConfig, TenantRegistry};
///
/// let registry = TenantRegistry::new(
///     Arc::new(EnvCredentials::new("PSA", ["client_id", "client_secret"])),
///     Arc::new(HaloFactory::new()),
/// );
/// registry.register(TenantConfig::new(
///     "acme",
///     Vendor::Halo,
///     "https://acme.halopsa.com",
///     Policy::profile(Profile::Helpdesk),
/// ));
/// assert!(registry.contains("acme"));
/// // Without PSA_ACME_CLIENT_ID set, building the client says what is missing.
/// let e = registry.client("acme").await.unwrap_err();
/// assert!(e.is_config() && e.to_string().contains("client_id"));
/// # Ok(()) }
/// ```
pub struct TenantRegistry {
    provider: Arc<dyn CredentialProvider>,
    factory: Arc<dyn ClientFactory>,
    tenants: Mutex<HashMap<String, Entry>>,
}

impl fmt::Debug for TenantRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantRegistry")
            .field("provider", &self.provider)
            .field("factory", &self.factory)
            .field("tenants", &self.len())
            .finish()
    }
}

impl TenantRegistry {
    /// An empty registry.
    pub fn new(provider: Arc<dyn CredentialProvider>, factory: Arc<dyn ClientFactory>) -> Self {
        TenantRegistry {
            provider,
            factory,
            tenants: Mutex::new(HashMap::new()),
        }
    }

    fn tenants(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.tenants.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers (or replaces) a tenant. Replacing drops its client: the
    /// next use builds one with the new settings.
    pub fn register(&self, config: TenantConfig) {
        let id = config.id.clone();
        self.tenants().insert(
            id,
            Entry {
                config: Arc::new(config),
                client: Arc::new(OnceCell::new()),
            },
        );
    }

    /// Removes a tenant; whoever still holds its client keeps it.
    pub fn unregister(&self, id: &str) -> bool {
        self.tenants().remove(id).is_some()
    }

    /// Drops a tenant's client (after its credentials were rotated): the
    /// next use reads the credentials again and builds a new one.
    pub fn refresh(&self, id: &str) -> bool {
        match self.tenants().get_mut(id) {
            Some(entry) => {
                entry.client = Arc::new(OnceCell::new());
                true
            }
            None => false,
        }
    }

    /// Whether `id` is registered.
    pub fn contains(&self, id: &str) -> bool {
        self.tenants().contains_key(id)
    }

    /// How many tenants are registered.
    pub fn len(&self) -> usize {
        self.tenants().len()
    }

    /// Whether no tenant is registered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many tenants have a client built.
    pub fn active(&self) -> usize {
        self.tenants()
            .values()
            .filter(|e| e.client.initialized())
            .count()
    }

    /// The settings of `id`.
    pub fn config(&self, id: &str) -> Option<Arc<TenantConfig>> {
        self.tenants().get(id).map(|e| Arc::clone(&e.config))
    }

    /// The client of `id`, built on first use and shared afterwards.
    /// `NotFound`-free: an unknown tenant is an `InvalidInput` error.
    pub async fn client(&self, id: &str) -> Result<TenantClient> {
        let (config, cell) = {
            let tenants = self.tenants();
            let entry = tenants
                .get(id)
                .ok_or_else(|| Error::invalid_input(format!("tenant `{id}` is not registered")))?;
            (Arc::clone(&entry.config), Arc::clone(&entry.client))
        };
        let client = cell
            .get_or_try_init(|| async {
                tracing::debug!(tenant = %config.id, vendor = %config.vendor.as_str(), "building the tenant's client");
                let credentials = self.provider.credentials(&config.id).await?;
                let psa = self.factory.build(&config, credentials).await?;
                Ok::<_, Error>(Arc::new(Guarded::new(psa, config.policy.clone())))
            })
            .await?;
        Ok(Arc::clone(client))
    }
}
