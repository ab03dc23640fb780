//! Policy files: valid ones load and round-trip; every kind of mistake is a
//! `Config` error naming the key (and, for TOML, the line).

use std::path::PathBuf;

use psa_core::{Access, OpKind, Operation, PermissionGroup as G};
use psa_permissions::{Approval, Policy, Profile};

const EXAMPLE: &str = r#"
profile = "helpdesk"   # optional starting point; groups below override it
raw = false

[groups.tickets]
access = "read_write"
fields = ["status", "summary"]
merge = false
approval = "destructive"

[groups.ticket_notes]
fields = ["internal"]

[groups.time_entries]
access = "read_write"
approval = true

[groups.webhooks]
access = "disabled"
"#;

#[test]
fn the_documented_example_loads() {
    let p = Policy::from_toml_str(EXAMPLE).unwrap();
    let t = p.rules(G::Tickets);
    assert_eq!(t.access, Access::ReadWrite);
    assert_eq!(
        t.fields.as_ref().unwrap().iter().collect::<Vec<_>>(),
        ["status", "summary"]
    );
    assert!(!t.merge && !t.delete && !t.bundle);
    assert_eq!(t.approval, Approval::Destructive);
    // A key absent keeps the profile's value.
    assert_eq!(p.access(G::TicketNotes), Access::ReadWrite);
    assert!(p.rules(G::TicketNotes).allows_field("internal"));
    assert!(!p.rules(G::TicketNotes).allows_field("customer"));
    assert_eq!(p.access(G::Contacts), Access::ReadOnly);
    assert_eq!(p.access(G::Webhooks), Access::Disabled);
    // `approval = true` means "writes".
    assert_eq!(p.rules(G::TimeEntries).approval, Approval::Writes);
    assert!(p.needs_approval(G::TimeEntries, OpKind::Write));
    assert!(!p.raw_allowed());
}

#[test]
fn without_a_profile_absent_groups_are_disabled() {
    let p = Policy::from_toml_str("[groups.tickets]\naccess = \"read_only\"").unwrap();
    assert_eq!(p.access(G::Tickets), Access::ReadOnly);
    for g in G::ALL.into_iter().filter(|g| *g != G::Tickets) {
        assert_eq!(p.access(g), Access::Disabled, "{g}");
    }
    assert_eq!(Policy::from_toml_str("").unwrap(), Policy::empty());
    assert_eq!(Policy::from_json_str("{}").unwrap(), Policy::empty());
}

#[test]
fn star_lifts_a_profile_whitelist_and_false_means_never() {
    let p = Policy::from_toml_str(
        "profile = \"helpdesk\"\n[groups.tickets]\nfields = \"*\"\napproval = false",
    )
    .unwrap();
    assert!(p.rules(G::Tickets).fields.is_none());
    assert!(p.rules(G::Tickets).allows_field("priority"));
    assert_eq!(p.rules(G::Tickets).approval, Approval::Never);
    assert!(
        p.check(Operation::UpdateTicket, &["priority".into()])
            .is_ok()
    );
}

#[test]
fn every_profile_round_trips_through_toml_and_json() {
    for profile in Profile::ALL {
        let p = Policy::profile(profile);
        let toml = p.to_toml_string().unwrap();
        assert_eq!(
            Policy::from_toml_str(&toml).unwrap(),
            p,
            "{profile}:\n{toml}"
        );
        let json = p.to_json_string().unwrap();
        assert_eq!(
            Policy::from_json_str(&json).unwrap(),
            p,
            "{profile}:\n{json}"
        );
        // Loading by profile name gives the same policy.
        let named = Policy::from_toml_str(&format!("profile = \"{profile}\"")).unwrap();
        assert_eq!(named, p);
        assert_eq!(profile.as_str().parse::<Profile>().unwrap(), profile);
    }
    let custom = Policy::from_toml_str(EXAMPLE).unwrap();
    let again = Policy::from_toml_str(&custom.to_toml_string().unwrap()).unwrap();
    assert_eq!(again, custom);
    let json = serde_json::to_value(&custom).unwrap();
    assert_eq!(json["groups"]["tickets"]["approval"], "destructive");
    assert_eq!(
        json["groups"]["tickets"]["fields"],
        serde_json::json!(["status", "summary"])
    );
    assert_eq!(json["raw"], false);
}

#[test]
fn json_has_the_same_shape() {
    let p = Policy::from_json_str(
        r#"{"profile": "read_only", "raw": true,
            "groups": {"ticket_notes": {"access": "read_write", "fields": ["internal", "custom_fields"]}}}"#,
    );
    // `custom_fields` is not a field notes write.
    let err = p.unwrap_err();
    assert!(err.is_config());
    assert!(err.to_string().contains("custom_fields"), "{err}");

    let p = Policy::from_json_str(
        r#"{"profile": "read_only", "raw": true,
            "groups": {"ticket_notes": {"access": "read_write", "fields": ["internal"]},
                       "tickets": {"access": "read_write", "delete": true, "merge": true, "bundle": true}}}"#,
    )
    .unwrap();
    assert!(p.raw_allowed());
    assert!(p.allows(Operation::AddNote));
    assert!(p.allows(Operation::DeleteTicket));
    assert!(p.allows(Operation::MergeTickets));
    assert!(p.allows(Operation::BundleTickets));
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("psa-permissions-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file");
    path
}

#[test]
fn from_path_picks_the_format_by_extension() {
    let toml = temp_file("policy.toml", EXAMPLE);
    let json = temp_file(
        "policy.JSON",
        &Policy::from_toml_str(EXAMPLE)
            .unwrap()
            .to_json_string()
            .unwrap(),
    );
    assert_eq!(
        Policy::from_path(&toml).unwrap(),
        Policy::from_path(&json).unwrap()
    );

    let bad = temp_file(
        "bad.toml",
        "profile = \"helpdesk\"\n\n[groups.tickets]\nacess = 1\n",
    );
    let err = Policy::from_path(&bad).unwrap_err();
    assert!(err.is_config());
    let msg = err.to_string();
    assert!(
        msg.contains("bad.toml") && msg.contains("acess") && msg.contains("line 4"),
        "{msg}"
    );

    let yaml = temp_file("policy.yaml", "raw: true");
    let err = Policy::from_path(&yaml).unwrap_err();
    assert!(
        err.is_config() && err.to_string().contains("policy.yaml"),
        "{err}"
    );

    let err = Policy::from_path(toml.with_file_name("missing.toml")).unwrap_err();
    assert!(
        err.is_config() && err.to_string().contains("missing.toml"),
        "{err}"
    );
    assert!(std::error::Error::source(&err).is_some());
    if let Some(dir) = toml.parent() {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

/// Each mistake, the key its error must name, and the line (TOML).
const TOML_MISTAKES: &[(&str, &str, &str)] = &[
    ("unknown top-level key", "raw = false\nraws = true", "raws"),
    (
        "unknown group key",
        "[groups.tickets]\nacess = \"read_only\"",
        "groups.tickets.acess",
    ),
    (
        "unknown key, inline table",
        "[groups]\ntickets = { access = \"read_write\", fieldz = [] }",
        "groups.tickets.fieldz",
    ),
    (
        "unknown group",
        "\n[groups.tikets]\naccess = \"read_only\"",
        "tikets",
    ),
    (
        "unknown access level",
        "[groups.tickets]\naccess = \"rw\"",
        "groups.tickets.access",
    ),
    (
        "unknown field",
        "[groups.tickets]\naccess = \"read_write\"\nfields = [\"status\", \"staus\"]",
        "staus",
    ),
    (
        "field of another group",
        "[groups.contacts]\naccess = \"read_write\"\nfields = [\"status\"]",
        "groups.contacts",
    ),
    (
        "bad fields value",
        "[groups.tickets]\nfields = \"all\"",
        "groups.tickets.fields",
    ),
    ("unknown profile", "profile = \"admin\"", "admin"),
    (
        "unknown approval rule",
        "[groups.tickets]\napproval = \"sometimes\"",
        "groups.tickets.approval",
    ),
    (
        "merge on a group that cannot merge",
        "[groups.contacts]\nmerge = true",
        "merge",
    ),
    ("wrong type", "raw = \"yes\"", "raw"),
    ("syntax error", "[groups.tickets\naccess = 1", "line 1"),
];

#[test]
fn every_toml_mistake_names_its_key_and_line() {
    for (what, text, key) in TOML_MISTAKES {
        let err = Policy::from_toml_str(text).expect_err(what);
        assert!(err.is_config(), "{what}: {err:?}");
        let msg = err.to_string();
        assert!(msg.contains(key), "{what}: {msg:?} does not name {key:?}");
        assert!(msg.contains("line "), "{what}: {msg:?} has no line");
    }
    // The line is the right one.
    let err =
        Policy::from_toml_str("raw = false\n\n[groups.tickets]\naccess = \"rw\"").unwrap_err();
    assert!(err.to_string().contains("line 4"), "{err}");
    let err = Policy::from_toml_str("\n[groups.tikets]").unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
}

const JSON_MISTAKES: &[(&str, &str, &str)] = &[
    ("unknown top-level key", r#"{"raws": true}"#, "raws"),
    (
        "unknown group key",
        "{\n \"groups\": {\n  \"tickets\": {\"acess\": \"read_only\"}}}",
        "groups.tickets.acess",
    ),
    ("unknown group", r#"{"groups": {"tikets": {}}}"#, "tikets"),
    (
        "unknown access level",
        r#"{"groups": {"tickets": {"access": "rw"}}}"#,
        "groups.tickets.access",
    ),
    (
        "unknown field",
        r#"{"groups": {"tickets": {"fields": ["staus"]}}}"#,
        "staus",
    ),
    (
        "field of another group",
        r#"{"groups": {"contacts": {"fields": ["status"]}}}"#,
        "groups.contacts",
    ),
    (
        "duplicate group",
        r#"{"groups": {"tickets": {}, "tickets": {}}}"#,
        "tickets",
    ),
    ("unknown profile", r#"{"profile": "admin"}"#, "admin"),
    (
        "bundle on a group that cannot bundle",
        r#"{"groups": {"contacts": {"bundle": true}}}"#,
        "bundle",
    ),
    ("not JSON", "{raw: true}", "line 1"),
];

#[test]
fn every_json_mistake_names_its_key_and_line() {
    for (what, text, key) in JSON_MISTAKES {
        let err = Policy::from_json_str(text).expect_err(what);
        assert!(err.is_config(), "{what}: {err:?}");
        let msg = err.to_string();
        assert!(msg.contains(key), "{what}: {msg:?} does not name {key:?}");
        assert!(msg.contains("line "), "{what}: {msg:?} has no line");
    }
    let err = Policy::from_json_str(JSON_MISTAKES[1].1).unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
}

#[test]
fn validate_catches_misspelt_fields_in_code_built_policies() {
    let p = Policy::empty()
        .grant(G::Tickets, Access::ReadWrite)
        .fields(["status", "prority"])
        .build();
    let err = p.validate().unwrap_err();
    assert!(err.is_config());
    let msg = err.to_string();
    assert!(
        msg.contains("groups.tickets.fields") && msg.contains("prority"),
        "{msg}"
    );

    let p = Policy::empty()
        .grant(G::Slas, Access::ReadWrite)
        .merge(true)
        .build();
    assert!(
        p.validate()
            .unwrap_err()
            .to_string()
            .contains("groups.slas.merge")
    );

    for profile in Profile::ALL {
        Policy::profile(profile).validate().unwrap();
    }
    assert!("it-admin".parse::<Profile>().is_ok());
    assert!("root".parse::<Profile>().unwrap_err().is_config());
}

#[test]
fn a_policy_embeds_in_a_larger_config() {
    #[derive(serde::Deserialize)]
    struct AgentConfig {
        name: String,
        policy: Policy,
    }
    let cfg: AgentConfig = toml::from_str(
        "name = \"triage-bot\"\n[policy]\nprofile = \"read_only\"\n[policy.groups.ticket_notes]\naccess = \"read_write\"\nfields = [\"internal\"]",
    )
    .unwrap();
    assert_eq!(cfg.name, "triage-bot");
    assert!(cfg.policy.allows(Operation::AddNote));
    assert!(
        toml::from_str::<AgentConfig>("name = \"x\"\n[policy.groups.contacts]\nmerge = true")
            .is_err()
    );
}
