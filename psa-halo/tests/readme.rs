//! The README's capability table says what `capabilities()` says: every
//! operation has exactly one row, and its support (full, partial,
//! unsupported) is the client's.

use psa_core::{Operation, Psa, Support};
use psa_halo::{Client, RateLimit};
use secrecy::SecretString;

/// The table's rows: the method names of the first column and the first
/// word of the last.
fn rows() -> Vec<(Vec<String>, String)> {
    let readme = include_str!("../README.md");
    let table = readme
        .split("## Capabilities")
        .nth(1)
        .expect("a Capabilities section");
    table
        .lines()
        .skip_while(|l| !l.starts_with("| Operation"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
            let names = cells[0]
                .split('/')
                .map(|n| n.trim().trim_matches('`').to_owned())
                .collect();
            let support = cells
                .last()
                .and_then(|c| c.split([' ', ':']).next())
                .unwrap_or_default()
                .to_owned();
            (names, support)
        })
        .collect()
}

#[test]
fn the_capability_table_matches_capabilities() {
    // Without a work-type look-up, as an operator starts.
    let client = Client::builder()
        .base_url("https://acme.halopsa.com")
        .client_id("id")
        .client_secret(SecretString::from("s"))
        .rate_limit(RateLimit::Disabled)
        .build()
        .unwrap();
    let caps = client.capabilities();
    let rows = rows();
    assert!(rows.len() > 30, "the table was not found: {rows:?}");
    for &op in Operation::ALL {
        let name = op.method_name();
        let found: Vec<_> = rows
            .iter()
            .filter(|(names, _)| names.iter().any(|n| n == name))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{name} should have exactly one row in the README table"
        );
        let expected = match caps.support(op) {
            Support::Full => "full",
            Support::Partial(_) => "partial",
            Support::Unsupported(_) => "unsupported",
        };
        assert_eq!(
            found[0].1, expected,
            "README and capabilities() disagree on {name}"
        );
    }
    for (names, _) in &rows {
        for n in names {
            assert!(
                Operation::ALL.iter().any(|op| op.method_name() == n),
                "the README lists {n}, which is no operation"
            );
        }
    }
}
