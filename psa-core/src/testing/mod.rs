//! Helpers for the test suites of programs built on psa-sdk (feature
//! `testing`, off by default).
//!
//! [`CapturedLogs`] keeps everything the SDK — and, installed process-wide,
//! reqwest and hyper through the `log` bridge — writes to `tracing` at
//! TRACE level, so that a test can assert a tenant's credentials never reach
//! the logs:
//!
//! ```
//! use psa_core::testing::CapturedLogs;
//!
//! let logs = CapturedLogs::new();
//! let _guard = logs.set_default(); // this thread only; see `install_global`
//! tracing::info!(ticket = 1001, "note added");
//! assert!(logs.text().contains("note added"));
//! logs.assert_free_of("the session's logs", &["my-client-secret"]);
//! ```
//!
//! [`Simulator`] is what every vendor simulator (each vendor crate's `mock`
//! feature) offers a test suite, so that one suite drives all four vendors
//! the same way.
//!
//! Why dependencies (only with this feature): `tracing-subscriber` formats
//! the events, as a program's own subscriber would, so what is asserted is
//! what a real log would hold; `wiremock` is the server every simulator
//! runs on, which [`Simulator::server`] hands to a test for its faults.

mod simulator;

pub use simulator::{RequestClass, Simulator, classify_by};

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use crate::{Error, Result};

/// An in-memory log: every event written at any level, as
/// `tracing_subscriber::fmt` formats it (without colours).
///
/// Clones share the same log.
#[derive(Clone, Default)]
pub struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl std::fmt::Debug for CapturedLogs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The log may hold what a test is looking for; not shown here.
        f.debug_struct("CapturedLogs")
            .field("bytes", &self.lock().len())
            .finish()
    }
}

impl CapturedLogs {
    /// An empty log.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.lock()).into_owned()
    }

    /// A TRACE-level, colourless `fmt` subscriber that writes here.
    fn builder(
        &self,
    ) -> tracing_subscriber::fmt::SubscriberBuilder<
        tracing_subscriber::fmt::format::DefaultFields,
        tracing_subscriber::fmt::format::Format,
        tracing_subscriber::filter::LevelFilter,
        CapturedLogs,
    > {
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(self.clone())
            .with_ansi(false)
    }

    /// Captures the events of the current thread until the guard drops.
    ///
    /// Events of other threads (a multi-threaded runtime's workers) and of
    /// the `log` crate are not captured; use
    /// [`install_global`](Self::install_global) for those.
    #[must_use = "capturing stops when the guard drops"]
    pub fn set_default(&self) -> tracing::subscriber::DefaultGuard {
        tracing::subscriber::set_default(self.builder().finish())
    }

    /// Captures every thread's events for the rest of the process, and the
    /// `log` crate's records (reqwest's, hyper's) through the `log` bridge.
    ///
    /// A process has one global subscriber: put a test that installs it in
    /// its own test binary (its own file under `tests/`).
    ///
    /// # Errors
    /// [`Config`](crate::ErrorKind::Config) when a global subscriber or
    /// `log` logger is already installed.
    pub fn install_global(&self) -> Result<()> {
        self.builder().try_init().map_err(|e| {
            Error::config(format!(
                "a global tracing subscriber is already installed: {e}"
            ))
        })
    }

    /// Panics when the log holds any of `secrets`, as [`assert_free_of`]
    /// (the secret is never printed).
    ///
    /// # Panics
    /// When a secret is found (the assertion).
    #[track_caller]
    pub fn assert_free_of(&self, what: &str, secrets: &[&str]) {
        assert_free_of(what, &self.text(), secrets);
    }
}

/// Panics when `text` (a log, an error's `Display` or `Debug`, a request
/// dump) holds any of `secrets`, naming `what` was checked, which secret
/// (its place in `secrets`, never its value) and the line it appears on,
/// with the secret masked: the failure of a test run with real credentials
/// must not print them. Empty secrets are skipped.
///
/// ```should_panic
/// let err = "token refused for client-secret-123";
/// psa_core::testing::assert_free_of("the error", err, &["client-secret-123"]);
/// ```
///
/// # Panics
/// When a secret is found (the assertion).
#[track_caller]
pub fn assert_free_of(what: &str, text: &str, secrets: &[&str]) {
    for (n, secret) in secrets.iter().enumerate().filter(|(_, s)| !s.is_empty()) {
        if let Some(line) = text.lines().find(|l| l.contains(secret)) {
            let masked = line.replace(secret, "«secret»");
            panic!("{what} leaks secrets[{n}] in:\n{masked}");
        }
    }
}

/// Like [`assert_free_of`], but also finds each secret percent-encoded,
/// form-encoded, JSON-escaped or in base64 (inside a `Basic` header too):
/// every encoding [`Scrubber`](crate::secrets::Scrubber) removes. The
/// failure shows the line with the secret scrubbed.
///
/// ```should_panic
/// let log = "token request body: client_secret=p%40ss%2Bword";
/// psa_core::testing::assert_free_of_encodings("the log", log, &["p@ss+word"]);
/// ```
///
/// # Panics
/// When an encoding of a secret is found (the assertion).
#[track_caller]
pub fn assert_free_of_encodings(what: &str, text: &str, secrets: &[&str]) {
    for (n, secret) in secrets.iter().enumerate() {
        let scrubber = crate::secrets::Scrubber::new([secret]);
        if let Some(line) = text.lines().find(|l| scrubber.contains_secret(l)) {
            panic!(
                "{what} leaks an encoding of secrets[{n}] in:\n{}",
                scrubber.scrub(line)
            );
        }
    }
}

impl io::Write for CapturedLogs {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.lock().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for CapturedLogs {
    type Writer = CapturedLogs;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_default_captures_its_events() {
        let logs = CapturedLogs::new();
        {
            let _guard = logs.set_default();
            tracing::trace!(secret_free = true, "hello from a test");
        }
        tracing::trace!("after the guard");
        let text = logs.text();
        assert!(text.contains("hello from a test"), "{text}");
        assert!(!text.contains("after the guard"), "{text}");
        assert_eq!(
            format!("{logs:?}"),
            format!("CapturedLogs {{ bytes: {} }}", text.len())
        );
    }

    #[test]
    #[should_panic(expected = "the log leaks secrets[1] in:")]
    fn a_secret_in_the_log_fails() {
        let logs = CapturedLogs::new();
        let _guard = logs.set_default();
        tracing::debug!(header = "Bearer s3cret", "sending");
        logs.assert_free_of("the log", &["absent", "s3cret"]);
    }

    #[test]
    fn a_failure_never_prints_the_secret() {
        let line = std::panic::catch_unwind(|| {
            assert_free_of("text", "header: Bearer s3cret-token", &["s3cret-token"]);
        })
        .err()
        .and_then(|p| p.downcast_ref::<String>().cloned())
        .unwrap_or_default();
        assert!(line.contains("Bearer «secret»"), "{line}");
        assert!(!line.contains("s3cret"), "{line}");
    }

    #[test]
    fn absent_and_empty_secrets_pass() {
        assert_free_of("text", "nothing to see", &["s3cret", ""]);
    }
}
