//! Tenant credentials and where they come from.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use async_trait::async_trait;
use psa_core::{Error, Result};
use secrecy::{ExposeSecret, SecretString};

/// A tenant's credentials: named secret values (`client_id`,
/// `client_secret`, `username`, `integration_code` …, as the vendor's
/// [`ClientFactory`](crate::ClientFactory) asks for them). `Debug` shows
/// the names only; errors name a missing field, never a value.
#[derive(Clone, Default)]
pub struct Credentials {
    values: BTreeMap<String, SecretString>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("fields", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Credentials {
    /// No credentials yet.
    pub fn new() -> Self {
        Credentials::default()
    }

    /// Adds (or replaces) the field `name`.
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: SecretString) -> Self {
        self.values.insert(name.into(), value);
        self
    }

    /// The field `name`, if present.
    pub fn get(&self, name: &str) -> Option<&SecretString> {
        self.values.get(name)
    }

    /// The field `name`, or a [`Config`](psa_core::ErrorKind::Config)
    /// error naming it (and the tenant) when it is missing or empty.
    pub fn require(&self, tenant: &str, name: &str) -> Result<&SecretString> {
        self.values
            .get(name)
            .filter(|v| !v.expose_secret().is_empty())
            .ok_or_else(|| {
                Error::config(format!(
                    "tenant `{tenant}`: the credential `{name}` is missing"
                ))
            })
    }

    /// The names of the fields present.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }
}

/// Where a tenant's credentials come from: the environment
/// ([`EnvCredentials`]), files ([`FileCredentials`]), or the caller's own
/// secret store (implement this trait: it is called once per tenant, when
/// its client is first built, and again after
/// [`TenantRegistry::refresh`](crate::TenantRegistry::refresh)).
///
/// ```
/// use async_trait::async_trait;
/// use psa_tenants::{CredentialProvider, Credentials};
/// use secrecy::SecretString;
///
/// /// Reads from a vault (here: a map standing in for one).
/// #[derive(Debug)]
/// struct Vault(std::collections::HashMap<String, String>);
///
/// #[async_trait]
/// impl CredentialProvider for Vault {
///     async fn credentials(&self, tenant: &str) -> psa_core::Result<Credentials> {
///         let secret = self.0.get(tenant).cloned().unwrap_or_default();
///         Ok(Credentials::new()
///             .with("client_id", SecretString::from(format!("{tenant}-app")))
///             .with("client_secret", SecretString::from(secret)))
///     }
/// }
/// ```
#[async_trait]
pub trait CredentialProvider: Send + Sync + fmt::Debug {
    /// The credentials of `tenant`.
    async fn credentials(&self, tenant: &str) -> Result<Credentials>;
}

/// Credentials from environment variables `{PREFIX}_{TENANT}_{FIELD}`, all
/// upper case, with any character other than a letter or digit as `_`:
/// tenant `acme-eu`, field `client_secret`, prefix `PSA` →
/// `PSA_ACME_EU_CLIENT_SECRET`. Only the fields named in
/// [`new`](Self::new) are read.
///
/// ```
/// use psa_tenants::EnvCredentials;
///
/// let env = EnvCredentials::new("PSA", ["client_id", "client_secret"]);
/// assert_eq!(env.variable("acme-eu", "client_secret"), "PSA_ACME_EU_CLIENT_SECRET");
/// ```
#[derive(Debug, Clone)]
pub struct EnvCredentials {
    prefix: String,
    fields: Vec<String>,
}

fn env_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

impl EnvCredentials {
    /// Reads `fields` under `prefix`.
    pub fn new<I, S>(prefix: impl Into<String>, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        EnvCredentials {
            prefix: prefix.into(),
            fields: fields.into_iter().map(Into::into).collect(),
        }
    }

    /// The variable holding `field` of `tenant`.
    pub fn variable(&self, tenant: &str, field: &str) -> String {
        format!(
            "{}_{}_{}",
            env_part(&self.prefix),
            env_part(tenant),
            env_part(field)
        )
    }
}

#[async_trait]
impl CredentialProvider for EnvCredentials {
    async fn credentials(&self, tenant: &str) -> Result<Credentials> {
        let mut out = Credentials::new();
        for field in &self.fields {
            if let Ok(value) = std::env::var(self.variable(tenant, field)) {
                out = out.with(field.clone(), SecretString::from(value));
            }
        }
        Ok(out)
    }
}

/// Credentials from one TOML file per tenant, `{dir}/{tenant}.toml`, whose
/// string values are the fields (`client_id = "…"`, `client_secret = "…"`).
/// Tenant names are restricted to letters, digits, `-`, `_` and `.` (not
/// leading), so that a name cannot reach outside `dir`. Keep the files
/// readable by the service's user only.
#[derive(Debug, Clone)]
pub struct FileCredentials {
    dir: PathBuf,
}

impl FileCredentials {
    /// Reads from `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileCredentials { dir: dir.into() }
    }

    /// The file of `tenant`, or an `InvalidInput` error for a name that
    /// could leave the directory.
    pub fn path(&self, tenant: &str) -> Result<PathBuf> {
        let ok = !tenant.is_empty()
            && !tenant.starts_with('.')
            && tenant
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            return Err(Error::invalid_input(format!(
                "`{tenant}` is not a tenant name usable as a file name"
            )));
        }
        Ok(self.dir.join(format!("{tenant}.toml")))
    }
}

#[async_trait]
impl CredentialProvider for FileCredentials {
    async fn credentials(&self, tenant: &str) -> Result<Credentials> {
        let path = self.path(tenant)?;
        let text = tokio::fs::read_to_string(&path).await.map_err(|e| {
            Error::config(format!(
                "tenant `{tenant}`: cannot read the credentials file {}",
                path.display()
            ))
            .with_source(e)
        })?;
        let text = SecretString::from(text);
        // toml's message could quote a line (a secret): keep only where.
        let table: toml::Table = text.expose_secret().parse().map_err(|e: toml::de::Error| {
            let at = e
                .span()
                .map(|s| format!(" (at byte {})", s.start))
                .unwrap_or_default();
            Error::config(format!(
                "tenant `{tenant}`: {} is not a TOML table of strings{at}",
                path.display()
            ))
        })?;
        let mut out = Credentials::new();
        for (name, value) in table {
            match value {
                toml::Value::String(s) => out = out.with(name, SecretString::from(s)),
                _ => {
                    return Err(Error::config(format!(
                        "tenant `{tenant}`: `{name}` in {} is not a string",
                        path.display()
                    )));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn files_are_read_and_names_cannot_escape() {
        let dir = std::env::temp_dir().join(format!("psa-tenants-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("acme.toml"),
            "client_id = \"acme-app\"\nclient_secret = \"canary-secret\"\n",
        )
        .unwrap();
        std::fs::write(dir.join("bad.toml"), "client_secret = \"canary-secret\n").unwrap();
        let files = FileCredentials::new(&dir);
        let c = files.credentials("acme").await.unwrap();
        assert_eq!(
            c.require("acme", "client_id").unwrap().expose_secret(),
            "acme-app"
        );
        assert!(!format!("{c:?}").contains("canary"));
        let e = c.require("acme", "username").unwrap_err();
        assert!(e.is_config() && e.to_string().contains("username"), "{e}");
        let e = files.credentials("bad").await.unwrap_err();
        assert!(e.is_config() && !e.to_string().contains("canary"), "{e}");
        assert!(
            files
                .credentials("../etc/passwd")
                .await
                .unwrap_err()
                .is_invalid_input()
        );
        assert!(files.credentials("missing").await.unwrap_err().is_config());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn environment_variables_by_tenant_and_field() {
        let env = EnvCredentials::new("PSA_TEST_ENV", ["client_secret", "client_id"]);
        let var = env.variable("acme-eu", "client_secret");
        assert_eq!(var, "PSA_TEST_ENV_ACME_EU_CLIENT_SECRET");
        // set_var is unsafe in edition 2024 (and the lints forbid unsafe):
        // an unset variable is simply absent.
        let home = EnvCredentials::new("X", ["y"]);
        assert_eq!(home.variable("a.b", "c d"), "X_A_B_C_D");
        let c = env.credentials("acme-eu").await.unwrap();
        assert_eq!(c.names().count(), 0, "nothing set");
    }
}
