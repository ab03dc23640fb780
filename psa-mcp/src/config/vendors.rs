//! Each vendor's client from its section of the configuration.

use std::sync::Arc;

use psa_core::{Error, Psa, Result};
use secrecy::SecretString;

use super::source::{optional, required, secret};
use super::{AutotaskConfig, ConnectWiseConfig, HaloConfig, ServiceNowAuth, ServiceNowConfig};

pub(super) fn halo(c: &HaloConfig, secrets: &mut Vec<SecretString>) -> Result<Arc<dyn Psa>> {
    let s = secret(
        c.client_secret.as_ref(),
        "HALO_CLIENT_SECRET",
        "halo.client_secret",
    )?;
    secrets.push(s.clone());
    let mut b = psa_halo::Client::builder()
        .base_url(required(
            c.base_url.as_ref(),
            "HALO_BASE_URL",
            "halo.base_url",
        )?)
        .client_id(required(
            c.client_id.as_ref(),
            "HALO_CLIENT_ID",
            "halo.client_id",
        )?)
        .client_secret(s);
    if let Some(t) = optional(c.tenant.as_ref(), "HALO_TENANT", "halo.tenant")? {
        b = b.tenant(t);
    }
    if let Some(a) = optional(c.auth_url.as_ref(), "HALO_AUTH_URL", "halo.auth_url")? {
        b = b.auth_url(a);
    }
    Ok(Arc::new(b.build()?))
}

pub(super) async fn connectwise(
    c: &ConnectWiseConfig,
    secrets: &mut Vec<SecretString>,
) -> Result<Arc<dyn Psa>> {
    let public = secret(
        c.public_key.as_ref(),
        "CW_PUBLIC_KEY",
        "connectwise.public_key",
    )?;
    let private = secret(
        c.private_key.as_ref(),
        "CW_PRIVATE_KEY",
        "connectwise.private_key",
    )?;
    let client_id = secret(
        c.client_id.as_ref(),
        "CW_CLIENT_ID",
        "connectwise.client_id",
    )?;
    secrets.extend([public.clone(), private.clone(), client_id.clone()]);
    let creds = psa_connectwise::auth::Credentials::new(
        required(
            c.company_id.as_ref(),
            "CW_COMPANY_ID",
            "connectwise.company_id",
        )?,
        public,
        private,
        client_id,
    )?;
    let b = psa_connectwise::Client::builder().credentials(creds);
    Ok(
        match optional(c.base_url.as_ref(), "CW_BASE_URL", "connectwise.base_url")? {
            Some(base) => Arc::new(b.base_url(base).build()?),
            None => Arc::new(
                b.site(required(c.site.as_ref(), "CW_SITE", "connectwise.site")?)
                    .connect()
                    .await?,
            ),
        },
    )
}

pub(super) fn autotask(
    c: &AutotaskConfig,
    secrets: &mut Vec<SecretString>,
) -> Result<Arc<dyn Psa>> {
    let s = secret(c.secret.as_ref(), "AUTOTASK_SECRET", "autotask.secret")?;
    let code = secret(
        c.integration_code.as_ref(),
        "AUTOTASK_INTEGRATION_CODE",
        "autotask.integration_code",
    )?;
    secrets.extend([s.clone(), code.clone()]);
    let mut b = psa_autotask::Client::builder()
        .username(required(
            c.username.as_ref(),
            "AUTOTASK_USERNAME",
            "autotask.username",
        )?)
        .secret(s)
        .integration_code(code);
    if let Some(z) = optional(c.zone.as_ref(), "AUTOTASK_ZONE", "autotask.zone")? {
        b = b.base_url(z);
    }
    if let Some(z) = optional(
        c.zone_lookup_url.as_ref(),
        "AUTOTASK_ZONE_LOOKUP_URL",
        "autotask.zone_lookup_url",
    )? {
        b = b.zone_lookup_url(z);
    }
    Ok(Arc::new(b.build()?))
}

pub(super) fn servicenow(
    c: &ServiceNowConfig,
    secrets: &mut Vec<SecretString>,
) -> Result<Arc<dyn Psa>> {
    let base = required(
        c.base_url.as_ref(),
        "SERVICENOW_BASE_URL",
        "servicenow.base_url",
    )?;
    let client_id = optional(
        c.client_id.as_ref(),
        "SERVICENOW_CLIENT_ID",
        "servicenow.client_id",
    )?;
    let mode = c.auth.unwrap_or(if client_id.is_some() {
        ServiceNowAuth::Oauth
    } else {
        ServiceNowAuth::Basic
    });
    let auth = match mode {
        ServiceNowAuth::Oauth => {
            let id = client_id.ok_or_else(|| {
                Error::config(
                    "servicenow.client_id: the environment variable SERVICENOW_CLIENT_ID is not set",
                )
            })?;
            let s = secret(
                c.client_secret.as_ref(),
                "SERVICENOW_CLIENT_SECRET",
                "servicenow.client_secret",
            )?;
            secrets.push(s.clone());
            psa_servicenow::Auth::client_credentials(id, s)
        }
        ServiceNowAuth::Basic => {
            let user = required(
                c.username.as_ref(),
                "SERVICENOW_USERNAME",
                "servicenow.username",
            )?;
            let p = secret(
                c.password.as_ref(),
                "SERVICENOW_PASSWORD",
                "servicenow.password",
            )?;
            secrets.push(p.clone());
            psa_servicenow::Auth::basic(user, p)
        }
    };
    Ok(Arc::new(
        psa_servicenow::Client::builder()
            .base_url(base)
            .auth(auth)
            .build()?,
    ))
}
