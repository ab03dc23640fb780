//! SDK clients for a simulator that runs in *another* process.
//!
//! The paging bench measures the peak resident memory of the process that
//! lists; a simulator holding 100,000 records (and wiremock's log of every
//! request) must not be in that process. So the bench hosts the simulators
//! and runs each listing in a child process, which builds its client from
//! the simulator's address and the simulator's published credentials —
//! exactly what each mock's own `client_builder()` configures.

use std::sync::Arc;

use psa_core::{Psa, Vendor};
use secrecy::SecretString;

/// The address a child process needs to reach `sim`: the server root
/// (`http://127.0.0.1:PORT`) for every vendor.
pub fn address(sim: &crate::sims::Sim) -> String {
    use crate::sims::Sim;
    match sim {
        Sim::Halo(m, _) => m.base_url(),
        Sim::ConnectWise(m, _) => m.uri(),
        Sim::Autotask(m, _) => m.uri(),
        Sim::ServiceNow(m, _) => m.uri(),
    }
}

/// A client of `vendor`'s simulator at `root` (see [`address`]), configured
/// as the simulator's own `client_builder()` configures it.
///
/// # Errors
/// The vendor builder's configuration error; `Unsupported` for a vendor
/// without a simulator.
pub fn client(vendor: Vendor, root: &str) -> psa_core::Result<Arc<dyn Psa>> {
    Ok(match vendor {
        Vendor::Halo => {
            use psa_halo::mock::{
                API_AGENT_ID, CHARGE_TYPE_LOOKUP, CLIENT_ID, CLIENT_SECRET, CLOSED_STATUSES,
                WEBHOOK_PASSWORD, WEBHOOK_USER,
            };
            Arc::new(
                psa_halo::Client::builder()
                    .base_url(root)
                    .client_id(CLIENT_ID)
                    .client_secret(SecretString::from(CLIENT_SECRET))
                    .agent_id(API_AGENT_ID)
                    .closed_status_ids(CLOSED_STATUSES)
                    .work_type_lookup_id(CHARGE_TYPE_LOOKUP)
                    .webhook_auth(psa_halo::WebhookAuth::basic(
                        WEBHOOK_USER,
                        SecretString::from(WEBHOOK_PASSWORD),
                    ))
                    .rate_limit(psa_halo::RateLimit::Disabled)
                    .build()?,
            )
        }
        Vendor::ConnectWise => {
            use psa_connectwise::mock::{CLIENT_ID, COMPANY_ID, PRIVATE_KEY, PUBLIC_KEY};
            let credentials = psa_connectwise::auth::Credentials::new(
                COMPANY_ID,
                SecretString::from(PUBLIC_KEY),
                SecretString::from(PRIVATE_KEY),
                SecretString::from(CLIENT_ID),
            )?;
            Arc::new(
                psa_connectwise::Client::builder()
                    .credentials(credentials)
                    .base_url(format!("{root}/v4_6_release/apis/3.0"))
                    .default_board(1)
                    .build()?,
            )
        }
        Vendor::Autotask => {
            use psa_autotask::mock::{
                BOT_RESOURCE_ID, CI_PRODUCT_ID, INTEGRATION_CODE, SECRET, USERNAME,
            };
            Arc::new(
                psa_autotask::Client::builder()
                    .username(USERNAME)
                    .secret(SecretString::from(SECRET))
                    .integration_code(SecretString::from(INTEGRATION_CODE))
                    .zone_lookup_url(format!("{root}/atservicesrest/v1.0/zoneInformation"))
                    .agent_resource(BOT_RESOURCE_ID)
                    .configuration_product(CI_PRODUCT_ID)
                    .build()?,
            )
        }
        Vendor::ServiceNow => {
            use psa_servicenow::mock::seed::{CLIENT_ID, CLIENT_SECRET};
            Arc::new(
                psa_servicenow::Client::builder()
                    .base_url(root)
                    .auth(psa_servicenow::Auth::client_credentials(
                        CLIENT_ID,
                        SecretString::from(CLIENT_SECRET),
                    ))
                    .build()?,
            )
        }
        other => {
            return Err(psa_core::Error::unsupported(
                other,
                "psa-benches has no simulator of this vendor",
            ));
        }
    })
}
