//! The fault matrix: what each vendor client does when the network or the
//! vendor misbehaves.
//!
//! Every [`Case`] injects one fault in front of one probe on a fresh
//! simulator:
//!
//! - the **read probe** is `get_ticket` of an open ticket;
//! - the **write probe** is `add_note` (internal) on it, with a marker text,
//!   so that the notes that reached the simulator can be counted afterwards
//!   through an unfaulted client ("applied").
//!
//! The client is built with [`Tuning::default`] (1 s attempts, 4
//! attempts, 20 ms backoff) and warmed up first (a read and a note), so that
//! tokens, zone discovery and look-up caches are in place and the fault
//! meets the probe's own request.
//!
//! Faults at the HTTP level are wiremock mocks mounted on the simulator's
//! server at priority 1 (above every simulator route), matching only the
//! probe's class of request ([`RequestClass::Read`] or
//! [`RequestClass::Write`]) and counting what they answer ("hits"). A
//! write fault always answers **once** and then lets requests through to
//! the simulator: a client that re-sent the write would see it applied, so
//! `applied` is the proof that no write was sent twice. A read fault answers
//! once when the case expects a retry to recover, and every time when it
//! expects a typed error (then `hits` is the number of attempts).
//!
//! Faults at the connection level go through the loopback [`Proxy`].

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use psa_core::{Error, ErrorKind, Id, NewNote, Psa, TicketQuery, Vendor};
use wiremock::{Match, Mock, Request, Respond, ResponseTemplate};

use crate::proxy::{Proxy, ProxyFault};
use crate::scenarios::{self, must};
use crate::sim::{RequestClass, Sim, Tuning};

/// Which call a case probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// `get_ticket`.
    Read,
    /// `add_note` (internal).
    Write,
}

impl Probe {
    fn class(self) -> RequestClass {
        match self {
            Probe::Read => RequestClass::Read,
            Probe::Write => RequestClass::Write,
        }
    }
}

/// How a fault is injected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 429, with `Retry-After: 1` or without.
    TooManyRequests {
        /// Whether the answer carries `Retry-After: 1`.
        retry_after: bool,
    },
    /// This status with a small JSON error body.
    Status(u16),
    /// A 200 that arrives after three attempt timeouts.
    Slow,
    /// A 200 whose JSON body stops half-way (`Content-Length` matches).
    TruncatedJson,
    /// A proxy's HTML error page with this status (`text/html`).
    HtmlPage(u16),
    /// A 200 whose body is not JSON at all.
    InvalidJson,
    /// A 200 with an empty body.
    Empty,
    /// Nothing listens on the client's port any more: connection refused.
    Refused,
    /// A connection-level fault through the [`Proxy`].
    Proxy(ProxyFault),
}

/// What a case must observe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// The call succeeds after the fault.
    Ok,
    /// The call fails with this kind (and, when set, this HTTP status).
    Err(ErrorKind, Option<u16>),
    /// Either, depending on timing the client cannot control: success (the
    /// write applied once) or this kind (the write not applied). A
    /// connection reset as soon as it is accepted is one: on loopback the
    /// reset reaches the client while it is still connecting, hyper reports
    /// a connect error, nothing was sent, and psa-core retries any method
    /// (observed on every run); were the reset to arrive after the request
    /// was written, the outcome would be unknown to the client.
    OkOrErr(ErrorKind),
}

/// One cell of the matrix (for one vendor).
#[derive(Debug, Clone)]
pub struct Case {
    /// The test's name.
    pub name: &'static str,
    /// The fault.
    pub fault: Fault,
    /// The probe.
    pub probe: Probe,
    /// Whether the fault answers every matching request (else once).
    pub always: bool,
    /// The outcome.
    pub expected: Expected,
    /// How many requests the fault must have answered (the proxy: faults fired).
    pub hits: usize,
    /// For the write probe: how many notes must have reached the simulator
    /// (for [`Expected::OkOrErr`]: 1 after success, 0 after the error).
    pub applied: Option<usize>,
    /// The shortest time the call may take (a `Retry-After` honoured).
    pub min_elapsed: Duration,
}

const fn case(
    name: &'static str,
    fault: Fault,
    probe: Probe,
    always: bool,
    expected: Expected,
    hits: usize,
) -> Case {
    let applied = match (probe, &expected) {
        (Probe::Write, Expected::Ok) => Some(1),
        (Probe::Write, Expected::Err(..)) => Some(0),
        (Probe::Read, _) | (Probe::Write, Expected::OkOrErr(_)) => None,
    };
    Case {
        name,
        fault,
        probe,
        always,
        expected,
        hits,
        applied,
        min_elapsed: Duration::ZERO,
    }
}

/// Attempts of a retried request: `Tuning::default().max_attempts`, and
/// psa-core's default, which Autotask's client keeps.
const ATTEMPTS: usize = 4;

/// Every case, by name.
#[allow(clippy::too_many_lines)] // one table of cases, easier to read whole
pub fn cases() -> Vec<Case> {
    use ErrorKind::{AmbiguousWrite, Api, Connect, Decode, RateLimited};
    use Expected::{Err, Ok, OkOrErr};
    use Fault::{
        Empty, HtmlPage, InvalidJson, Proxy, Refused, Slow, Status, TooManyRequests, TruncatedJson,
    };
    use Probe::{Read, Write};
    use ProxyFault::{LoseResponse, ResetAfterRequest, ResetOnAccept, TruncateResponse};
    let with = TooManyRequests { retry_after: true };
    let without = TooManyRequests { retry_after: false };
    vec![
        Case {
            min_elapsed: Duration::from_millis(900),
            ..case("read_429_retry_after", with, Read, false, Ok, 1)
        },
        case("read_429_no_retry_after", without, Read, false, Ok, 1),
        Case {
            min_elapsed: Duration::from_millis(2900),
            ..case(
                "read_429_every_attempt",
                with,
                Read,
                true,
                Err(RateLimited, Some(429)),
                ATTEMPTS,
            )
        },
        case("read_500", Status(500), Read, true, Err(Api, Some(500)), 1),
        case("read_502", Status(502), Read, false, Ok, 1),
        case("read_503", Status(503), Read, false, Ok, 1),
        case("read_504", Status(504), Read, false, Ok, 1),
        case(
            "read_503_every_attempt",
            Status(503),
            Read,
            true,
            Err(Api, Some(503)),
            ATTEMPTS,
        ),
        case("read_slow", Slow, Read, false, Ok, 1),
        case(
            "read_truncated_json",
            TruncatedJson,
            Read,
            true,
            Err(Decode, None),
            1,
        ),
        case(
            "read_html_error_page",
            HtmlPage(500),
            Read,
            true,
            Err(Api, Some(500)),
            1,
        ),
        case(
            "read_html_200",
            HtmlPage(200),
            Read,
            true,
            Err(Decode, None),
            1,
        ),
        case(
            "read_invalid_json",
            InvalidJson,
            Read,
            true,
            Err(Decode, None),
            1,
        ),
        case("read_empty_200", Empty, Read, true, Err(Decode, None), 1),
        Case {
            min_elapsed: Duration::from_millis(900),
            ..case("write_429_retry_after", with, Write, false, Ok, 1)
        },
        case("write_429_no_retry_after", without, Write, false, Ok, 1),
        case(
            "write_429_every_attempt",
            without,
            Write,
            true,
            Err(RateLimited, Some(429)),
            ATTEMPTS,
        ),
        case(
            "write_500",
            Status(500),
            Write,
            false,
            Err(Api, Some(500)),
            1,
        ),
        case(
            "write_502",
            Status(502),
            Write,
            false,
            Err(AmbiguousWrite, Some(502)),
            1,
        ),
        case(
            "write_503",
            Status(503),
            Write,
            false,
            Err(AmbiguousWrite, Some(503)),
            1,
        ),
        case(
            "write_504",
            Status(504),
            Write,
            false,
            Err(AmbiguousWrite, Some(504)),
            1,
        ),
        case(
            "write_slow",
            Slow,
            Write,
            false,
            Err(AmbiguousWrite, None),
            1,
        ),
        case(
            "write_truncated_json",
            TruncatedJson,
            Write,
            false,
            Err(Decode, None),
            1,
        ),
        case(
            "write_html_error_page",
            HtmlPage(500),
            Write,
            false,
            Err(Api, Some(500)),
            1,
        ),
        case(
            "write_html_200",
            HtmlPage(200),
            Write,
            false,
            Err(Decode, None),
            1,
        ),
        case(
            "write_invalid_json",
            InvalidJson,
            Write,
            false,
            Err(Decode, None),
            1,
        ),
        case("write_empty_200", Empty, Write, false, Err(Decode, None), 1),
        case(
            "read_connection_refused",
            Refused,
            Read,
            true,
            Err(Connect, None),
            0,
        ),
        case(
            "write_connection_refused",
            Refused,
            Write,
            true,
            Err(Connect, None),
            0,
        ),
        case(
            "read_reset_before_request_read",
            Proxy(ResetOnAccept),
            Read,
            false,
            Ok,
            1,
        ),
        case(
            "write_reset_before_request_read",
            Proxy(ResetOnAccept),
            Write,
            false,
            OkOrErr(AmbiguousWrite),
            1,
        ),
        case(
            "read_reset_after_request_sent",
            Proxy(ResetAfterRequest),
            Read,
            false,
            Ok,
            1,
        ),
        case(
            "write_reset_after_request_sent",
            Proxy(ResetAfterRequest),
            Write,
            false,
            Err(AmbiguousWrite, None),
            1,
        ),
        case(
            "read_reset_instead_of_response",
            Proxy(LoseResponse),
            Read,
            false,
            Ok,
            1,
        ),
        // The simulator applied the write; only its answer was lost.
        Case {
            applied: Some(1),
            ..case(
                "write_reset_instead_of_response",
                Proxy(LoseResponse),
                Write,
                false,
                Err(AmbiguousWrite, None),
                1,
            )
        },
        case(
            "read_body_cut_by_connection_close",
            Proxy(TruncateResponse),
            Read,
            false,
            Ok,
            1,
        ),
        Case {
            applied: Some(1),
            ..case(
                "write_body_cut_by_connection_close",
                Proxy(TruncateResponse),
                Write,
                false,
                Err(AmbiguousWrite, None),
                1,
            )
        },
    ]
}

/// The case named `name`.
///
/// # Panics
/// When there is none.
pub fn case_named(name: &str) -> Case {
    cases()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no fault case {name:?}"))
}

/// Matches the requests of one class to one vendor.
#[derive(Debug)]
struct ClassMatch(Sim, RequestClass);

impl Match for ClassMatch {
    fn matches(&self, request: &Request) -> bool {
        self.0.classify(&request.method, request.url.path()) == self.1
    }
}

/// Answers with a template and counts what it answered.
struct Counted(ResponseTemplate, Arc<AtomicUsize>);

impl Respond for Counted {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.1.fetch_add(1, Ordering::SeqCst);
        self.0.clone()
    }
}

const HTML_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
<body><h1>Bad Gateway</h1><p>The upstream server is unavailable. Please try again later.</p>\
<hr><address>nginx</address></body></html>\n";

fn template(fault: Fault, tuning: &Tuning) -> ResponseTemplate {
    match fault {
        Fault::TooManyRequests { retry_after } => {
            let t = ResponseTemplate::new(429)
                .set_body_raw("{\"message\":\"Too many requests\"}", "application/json");
            if retry_after {
                t.insert_header("Retry-After", "1")
            } else {
                t
            }
        }
        Fault::Status(code) => ResponseTemplate::new(code)
            .set_body_raw("{\"message\":\"injected failure\"}", "application/json"),
        Fault::Slow => ResponseTemplate::new(200)
            .set_body_raw("{}", "application/json")
            .set_delay(tuning.attempt_timeout * 3),
        Fault::TruncatedJson => ResponseTemplate::new(200).set_body_raw(
            "{\"id\":1001,\"summary\":\"Printer offline on 3rd fl",
            "application/json",
        ),
        Fault::HtmlPage(code) => ResponseTemplate::new(code).set_body_raw(HTML_PAGE, "text/html"),
        Fault::InvalidJson => ResponseTemplate::new(200)
            .set_body_raw("{\"id\": 1001,, \"summary\": }", "application/json"),
        Fault::Empty => {
            ResponseTemplate::new(200).insert_header("Content-Type", "application/json")
        }
        Fault::Refused | Fault::Proxy(_) => ResponseTemplate::new(599),
    }
}

/// What a case observed.
#[derive(Debug)]
pub struct Observed {
    /// The probe's result.
    pub result: Result<(), Error>,
    /// Requests the fault answered (the proxy: faults fired).
    pub hits: usize,
    /// For the write probe: notes with the case's marker on the ticket.
    pub applied: Option<usize>,
    /// How long the probe took.
    pub elapsed: Duration,
    /// Requests that reached an unknown simulator route.
    pub unexpected: u64,
    /// Through the proxy: the write requests it read during the probe (a
    /// write it reset on accept was never read).
    pub writes_read_by_proxy: Option<usize>,
}

async fn probe(psa: &dyn Psa, probe: Probe, ticket: &Id, marker: &str) -> Result<(), Error> {
    match probe {
        Probe::Read => psa.get_ticket(ticket).await.map(drop),
        Probe::Write => psa
            .add_note(ticket, NewNote::internal(marker.to_owned()))
            .await
            .map(drop),
    }
}

/// Runs `case` on a fresh simulator of `vendor`.
///
/// # Panics
/// When the set-up (simulator, proxy, warm-up) fails.
pub async fn run(vendor: Vendor, case: &Case) -> Observed {
    let tuning = Tuning::default();
    let sim = Sim::start(vendor).await;
    let direct = sim.psa();
    let ticket = scenarios::open_ticket(direct.as_ref()).await.id;
    let proxy = match case.fault {
        Fault::Proxy(_) | Fault::Refused => Some(
            Proxy::start(sim.clone(), *sim.server().address())
                .await
                .expect("a loopback port for the proxy"),
        ),
        _ => None,
    };
    let origin = proxy.as_ref().map(Proxy::origin);
    let client = sim.tuned_psa(&tuning, origin.as_deref());
    must(vendor, "warm-up read", client.get_ticket(&ticket)).await;
    must(
        vendor,
        "warm-up note",
        client.add_note(&ticket, NewNote::internal("[conformance] warm-up")),
    )
    .await;

    let hits = Arc::new(AtomicUsize::new(0));
    match (case.fault, &proxy) {
        (Fault::Proxy(f), Some(p)) => p.arm(f, case.probe.class(), 1),
        (Fault::Refused, Some(p)) => p.refuse().await,
        _ => {
            let mut mock = Mock::given(ClassMatch(sim.clone(), case.probe.class()))
                .respond_with(Counted(template(case.fault, &tuning), Arc::clone(&hits)))
                .with_priority(1);
            if !case.always {
                mock = mock.up_to_n_times(1);
            }
            mock.mount(sim.server()).await;
        }
    }

    let marker = format!("[conformance] fault case {}", case.name);
    let logged = proxy.as_ref().map_or(0, |p| p.requests().len());
    let started = Instant::now();
    let result = probe(client.as_ref(), case.probe, &ticket, &marker).await;
    let elapsed = started.elapsed();
    let hits = match (&proxy, case.fault) {
        (_, Fault::Refused) => 0,
        (Some(p), _) => p.fired(),
        (None, _) => hits.load(Ordering::SeqCst),
    };
    let applied = match case.probe {
        Probe::Read => None,
        Probe::Write => Some(
            scenarios::notes_with(direct.as_ref(), &ticket, &marker)
                .await
                .len(),
        ),
    };
    let writes_read_by_proxy = proxy.as_ref().map(|p| {
        p.requests()[logged..]
            .iter()
            .filter(|(m, path)| {
                http::Method::from_bytes(m.as_bytes())
                    .is_ok_and(|m| sim.classify(&m, path) == RequestClass::Write)
            })
            .count()
    });
    Observed {
        result,
        hits,
        applied,
        elapsed,
        unexpected: sim.unexpected_requests(),
        writes_read_by_proxy,
    }
}

/// Runs the case named `name` on `vendor` and checks it: the kind (and
/// status) of the result, the hits, the writes applied, the time a
/// `Retry-After` imposes, and no request to an unknown route. Returns what
/// it observed.
///
/// # Panics
/// When the observation differs from the case.
pub async fn check(vendor: Vendor, name: &str) -> Observed {
    let case = case_named(name);
    let seen = run(vendor, &case).await;
    let what = format!("{vendor} / {name}");
    let mut applied = case.applied;
    match (&case.expected, &seen.result) {
        (Expected::OkOrErr(_), Ok(())) if case.probe == Probe::Write => applied = Some(1),
        (Expected::OkOrErr(kind), Err(e)) => {
            assert_eq!(e.kind(), *kind, "{what}: {e} ({e:?})");
            if case.probe == Probe::Write {
                applied = Some(0);
            }
        }
        (Expected::Ok | Expected::OkOrErr(_), Ok(())) => {}
        (Expected::Ok, Err(e)) => {
            panic!("{what}: expected success after the fault, got {e} ({e:?})")
        }
        (Expected::Err(kind, _), Ok(())) => panic!("{what}: expected {kind:?}, got success"),
        (Expected::Err(kind, status), Err(e)) => {
            assert_eq!(e.kind(), *kind, "{what}: {e} ({e:?})");
            if let Some(s) = status {
                assert_eq!(
                    e.http_status().map(|s| s.as_u16()),
                    Some(*s),
                    "{what}: the error keeps the status: {e:?}"
                );
            }
            assert_eq!(
                e.vendor(),
                Some(vendor),
                "{what}: the error names its vendor"
            );
            if case.fault == (Fault::TooManyRequests { retry_after: true }) {
                assert_eq!(
                    e.retry_after(),
                    Some(Duration::from_secs(1)),
                    "{what}: the error keeps Retry-After"
                );
            }
            if let Fault::HtmlPage(_) = case.fault {
                assert!(
                    e.raw_body().is_some_and(|b| b.contains("<html>")),
                    "{what}: the HTML page is kept as the raw body: {e:?}"
                );
            }
        }
    }
    assert_eq!(seen.hits, case.hits, "{what}: requests the fault answered");
    assert_eq!(
        seen.applied, applied,
        "{what}: notes that reached the simulator"
    );
    assert!(
        seen.elapsed >= case.min_elapsed,
        "{what}: took {:?}, less than Retry-After asks",
        seen.elapsed
    );
    assert_eq!(seen.unexpected, 0, "{what}: requests to unknown routes");
    if let Some(n) = seen.writes_read_by_proxy {
        assert!(n <= 1, "{what}: the write reached the server {n} times");
    }
    seen
}

/// An expired token in the middle of a paged listing: list every ticket of
/// a simulator with [`PAGED_EXTRA_TICKETS`](crate::sim::PAGED_EXTRA_TICKETS)
/// more (several pages), expire the simulator's tokens after the first item,
/// and drain the rest. The listing must yield exactly the tickets of an
/// undisturbed listing, with exactly one more token request. `None` for a
/// vendor without tokens (Autotask).
///
/// # Panics
/// When the listing fails or differs.
pub async fn expired_token_mid_listing(vendor: Vendor) -> Option<(usize, u64)> {
    let sim = Sim::start_paged(vendor).await;
    let client = sim.tokened_psa()?;
    let all: Vec<Id> = scenarios::collect(
        vendor,
        "an undisturbed listing",
        client.list_tickets(TicketQuery::any()),
    )
    .await
    .into_iter()
    .map(|t| t.id)
    .collect();
    assert!(
        all.len() > 2 * crate::sim::PAGED_PAGE_SIZE as usize,
        "{vendor}: the listing spans several pages ({} tickets)",
        all.len()
    );
    let tokens = sim.token_requests();
    let mut stream = client.list_tickets(TicketQuery::any());
    let mut seen = Vec::new();
    while let Some(t) = stream.next().await {
        let t = t.unwrap_or_else(|e| {
            panic!(
                "{vendor}: listing failed after {} tickets: {e} ({e:?})",
                seen.len()
            )
        });
        seen.push(t.id);
        if seen.len() == 1 {
            assert!(sim.expire_tokens());
        }
    }
    assert_eq!(seen, all, "{vendor}: the listing after the token expired");
    let renewed = sim.token_requests() - tokens;
    assert_eq!(renewed, 1, "{vendor}: token requests after the expiry");
    assert_eq!(
        sim.unexpected_requests(),
        0,
        "{vendor}: requests to unknown routes"
    );
    Some((seen.len(), renewed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_named_once_and_match_the_tuning() {
        let all = cases();
        let mut names: Vec<_> = all.iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len(), "case names are unique");
        assert_eq!(ATTEMPTS, Tuning::default().max_attempts as usize);
        for c in &all {
            assert_eq!(
                c.name.starts_with("write_"),
                c.probe == Probe::Write,
                "{}",
                c.name
            );
        }
    }
}
