//! The examples run end to end against every simulator, and their claims
//! hold: the quickstart's denied call and planned write send nothing; the
//! attribution and approval through the PSA run where the vendor can act for
//! a technician; the sync example's guard refuses its write unsent, and its
//! incremental pull finds exactly the ticket another agent changed.

use std::process::Command;

fn run_quickstart(args: &[&str]) -> (bool, String, String) {
    run(env!("CARGO_BIN_EXE_quickstart"), args)
}

fn run(exe: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(exe)
        .args(args)
        .env_remove("HALO_BASE_URL")
        .env_remove("HALO_CLIENT_ID")
        .env_remove("HALO_CLIENT_SECRET")
        .output()
        .expect("the quickstart binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn quickstart_runs_the_whole_flow_on_every_simulator() {
    for vendor in psa_examples::Simulator::NAMES {
        let (ok, stdout, stderr) = run_quickstart(&["--vendor", vendor]);
        assert!(
            ok,
            "{vendor}: quickstart failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        for expected in [
            "open tickets",
            "Added internal note",
            "Logged 15 minutes",
            "priority change denied",
            "requests sent for the denied call: 0",
            "Planned, not sent",
            "requests sent: 0",
            "Done.",
        ] {
            assert!(
                stdout.contains(expected),
                "{vendor}: missing {expected:?} in\n{stdout}"
            );
        }
        // Attribution and approval through the PSA, where the vendor can
        // act for a technician (its capabilities say why not otherwise).
        if !stdout.contains("Acting for a technician is not available here:") {
            for expected in [
                "written on behalf of",
                "waiting for approval: plan",
                "(not assigned) approves: still pending = true",
                "(assigned) approves: the change ran once",
                "a second execution is refused: true",
            ] {
                assert!(
                    stdout.contains(expected),
                    "{vendor}: missing {expected:?} in\n{stdout}"
                );
            }
        }
    }
}

#[test]
fn the_default_is_halo() {
    let (ok, stdout, stderr) = run_quickstart(&[]);
    assert!(ok, "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stdout.contains("Connected to halo"), "{stdout}");
}

#[test]
fn an_unknown_vendor_is_a_clear_error() {
    let (ok, _stdout, stderr) = run_quickstart(&["--vendor", "freshdesk"]);
    assert!(!ok);
    assert!(stderr.contains("unknown vendor \"freshdesk\""), "{stderr}");
}

#[test]
fn an_unknown_argument_is_a_clear_error() {
    let (ok, _stdout, stderr) = run_quickstart(&["--verbose"]);
    assert!(!ok);
    assert!(
        stderr.contains("unknown argument \"--verbose\""),
        "{stderr}"
    );
}

#[test]
fn sync_pulls_exactly_the_change_on_every_simulator() {
    for vendor in psa_examples::Simulator::NAMES {
        let (ok, stdout, stderr) = run(env!("CARGO_BIN_EXE_sync"), &["--vendor", vendor]);
        assert!(
            ok,
            "{vendor}: sync failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        for expected in [
            "Read Only guard: permission denied",
            "requests sent for it: 0",
            "Full sync:",
            "checkpoint:",
            "Another agent changed ticket",
            "1 changed, 1 request(s)",
            "(escalated)",
            "Done.",
        ] {
            assert!(
                stdout.contains(expected),
                "{vendor}: missing {expected:?} in\n{stdout}"
            );
        }
    }
}
