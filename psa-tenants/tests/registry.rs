//! The tenant registry against HaloPSA simulators: clients built once on
//! first use and shared, each behind its tenant's policy; credentials from
//! a provider; two registries ("replicas") sharing one Redis share a token.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use futures::future::join_all;
use psa_core::{NewNote, Psa, Vendor};
use psa_halo::HaloMock;
use psa_permissions::{Policy, Profile};
use psa_tenants::{
    ClientFactory, CredentialProvider, Credentials, HaloFactory, TenantConfig, TenantRegistry,
};
use secrecy::SecretString;

/// The simulator's credentials, counting how often they are asked for.
#[derive(Debug, Default)]
struct MockCredentials {
    asked: AtomicUsize,
}

#[async_trait]
impl CredentialProvider for MockCredentials {
    async fn credentials(&self, _tenant: &str) -> psa_core::Result<Credentials> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        Ok(Credentials::new()
            .with("client_id", SecretString::from(psa_halo::mock::CLIENT_ID))
            .with(
                "client_secret",
                SecretString::from(psa_halo::mock::CLIENT_SECRET),
            ))
    }
}

/// Counts builds.
#[derive(Debug)]
struct Counting(HaloFactory, AtomicUsize);

#[async_trait]
impl ClientFactory for Counting {
    async fn build(
        &self,
        tenant: &TenantConfig,
        credentials: Credentials,
    ) -> psa_core::Result<Arc<dyn Psa>> {
        self.1.fetch_add(1, Ordering::SeqCst);
        self.0.build(tenant, credentials).await
    }
}

#[tokio::test]
async fn clients_are_built_once_shared_and_guarded() {
    let acme = HaloMock::start().await;
    let globex = HaloMock::start().await;
    let creds = Arc::new(MockCredentials::default());
    let factory = Arc::new(Counting(
        HaloFactory::new().rate_limit(psa_halo::RateLimit::Disabled),
        AtomicUsize::new(0),
    ));
    let registry = Arc::new(TenantRegistry::new(creds.clone(), factory.clone()));
    registry.register(TenantConfig::new(
        "acme",
        Vendor::Halo,
        acme.base_url(),
        Policy::profile(Profile::ReadOnly),
    ));
    registry.register(TenantConfig::new(
        "globex",
        Vendor::Halo,
        globex.base_url(),
        Policy::profile(Profile::Helpdesk),
    ));
    assert_eq!(registry.len(), 2);
    assert_eq!(registry.active(), 0, "nothing built before first use");
    // Fifty concurrent first uses of one tenant: one build.
    let uses = (0..50).map(|_| {
        let r = Arc::clone(&registry);
        async move { r.client("acme").await.unwrap() }
    });
    let clients = join_all(uses).await;
    assert!(clients.iter().all(|c| Arc::ptr_eq(c, &clients[0])));
    assert_eq!(factory.1.load(Ordering::SeqCst), 1);
    assert_eq!(creds.asked.load(Ordering::SeqCst), 1);
    assert_eq!(registry.active(), 1);
    // Each tenant's client reads its own PSA, under its own policy.
    let ticket = clients[0].get_ticket(&1001_i64.into()).await.unwrap();
    assert_eq!(acme.requests_to("GET", "/api/Tickets/1001"), 1);
    let e = clients[0]
        .add_note(&ticket.id, NewNote::internal("no"))
        .await
        .unwrap_err();
    assert!(e.is_permission_denied(), "Read Only: {e}");
    let g = registry.client("globex").await.unwrap();
    g.add_note(&ticket.id, NewNote::internal("yes"))
        .await
        .unwrap();
    assert_eq!(globex.requests_to("GET", "/api/Tickets/1001"), 0);
    // Rotated credentials: refresh builds anew.
    assert!(registry.refresh("acme"));
    let again = registry.client("acme").await.unwrap();
    assert!(!Arc::ptr_eq(&again, &clients[0]));
    assert_eq!(creds.asked.load(Ordering::SeqCst), 3);
    // Unknown and removed tenants.
    assert!(
        registry
            .client("initech")
            .await
            .unwrap_err()
            .is_invalid_input()
    );
    assert!(registry.unregister("globex"));
    assert!(registry.client("globex").await.is_err());
    // A wrong vendor is a clear configuration error, not kept.
    registry.register(TenantConfig::new(
        "cw",
        Vendor::ConnectWise,
        "https://cw.example",
        Policy::profile(Profile::ReadOnly),
    ));
    let e = registry.client("cw").await.unwrap_err();
    assert!(
        e.is_config() && e.to_string().contains("not HaloPSA"),
        "{e}"
    );
    assert!(!format!("{registry:?}").contains(psa_halo::mock::CLIENT_SECRET));
}

#[tokio::test]
async fn replicas_sharing_redis_share_the_tenants_token() {
    let url = std::env::var("PSA_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into());
    let prefix = format!("psa-test-tenants-{}", std::process::id());
    let redis = psa_redis::RedisStore::builder(url)
        .prefix(prefix)
        .build()
        .unwrap();
    redis
        .ping()
        .await
        .expect("this test needs a Redis (PSA_REDIS_URL; `.ci/run` starts one)");
    let acme = HaloMock::start().await;
    let replicas: Vec<TenantRegistry> = (0..2)
        .map(|_| {
            let r = TenantRegistry::new(
                Arc::new(MockCredentials::default()),
                Arc::new(HaloFactory::new().shared(redis.clone())),
            );
            r.register(TenantConfig::new(
                "acme",
                Vendor::Halo,
                acme.base_url(),
                Policy::profile(Profile::ReadOnly),
            ));
            r
        })
        .collect();
    for r in &replicas {
        let c = r.client("acme").await.unwrap();
        c.get_ticket(&1001_i64.into()).await.unwrap();
    }
    assert_eq!(acme.token_requests(), 1, "one token for both replicas");
    redis.delete_all_keys().await.unwrap();
}
