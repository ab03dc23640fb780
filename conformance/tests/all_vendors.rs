//! What compares vendors: the same guarded script plans the same writes on
//! all four, and every vendor's capabilities agree with its calls for merge.

use psa_conformance::{VENDORS, guarded};
use psa_permissions::Profile;

/// Test mode under each profile plans the same writes on every vendor:
/// the same operations, groups, kinds, targets, written fields and payloads
/// (vendor ids replaced by `"<id>"`), and sends nothing (checked per vendor
/// by `guarded::test_mode`).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn test_mode_plans_the_same_writes_on_every_vendor() {
    for profile in Profile::ALL {
        let plans =
            futures::future::join_all(VENDORS.map(|v| guarded::test_mode(v, profile))).await;
        for (vendor, p) in VENDORS.iter().zip(&plans).skip(1) {
            assert_eq!(
                p, &plans[0],
                "{profile}: {vendor} plans differ from {}",
                VENDORS[0]
            );
        }
        println!(
            "{profile}: {} writes planned on every vendor",
            plans[0].len()
        );
    }
}
