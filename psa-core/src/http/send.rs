//! What [`HttpClient::send`] does with one request, in three parts:
//! [`attempt`](HttpClient::attempt) (permit, cool-down, credentials, one
//! exchange), [`classify`](HttpClient::classify) (what the answer means)
//! and the retry loop in [`execute`](HttpClient::execute).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::RETRY_AFTER;
use http::{HeaderMap, Method, StatusCode};
use tokio::time::Instant;
use url::Url;

use super::after;
use super::base_url::same_origin;
use super::client::{BodyOrTransport, kind_of, read_body_limited, transport_error};
use super::{
    ApiRequest, ApiResponse, AuthStamp, HttpClient, RatePermit, RetryPolicy, parse_retry_after,
};
use crate::{Error, ErrorKind, Result};

/// A shared pause after a 429 with `Retry-After`: one atomic, no lock.
pub(super) struct Cooldown {
    epoch: Instant,
    /// Nanoseconds after `epoch` until which requests wait; 0 for none.
    until: AtomicU64,
}

impl Cooldown {
    pub(super) fn new() -> Self {
        Cooldown {
            epoch: Instant::now(),
            until: AtomicU64::new(0),
        }
    }

    fn until(&self) -> Option<Instant> {
        match self.until.load(Ordering::Relaxed) {
            0 => None,
            n => Some(self.epoch + Duration::from_nanos(n)),
        }
    }

    fn extend_to(&self, at: Instant) {
        let nanos = u64::try_from(at.saturating_duration_since(self.epoch).as_nanos())
            .unwrap_or(u64::MAX)
            .max(1);
        self.until.fetch_max(nanos, Ordering::Relaxed);
    }
}

/// How a successful answer's body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BodyMode {
    /// Whole, within the configured body limit.
    Whole,
    /// As a stream of chunks, at most this many bytes in all.
    Stream(u64),
}

/// What a call produced.
pub(super) enum Answer {
    Whole(ApiResponse),
    Stream(super::StreamingResponse),
}

/// A streamed body being read: the response, the bytes so far, and the
/// rate-limit permit held until the stream ends.
struct Reading {
    resp: reqwest::Response,
    read: u64,
    _permit: Option<RatePermit>,
}

/// One call's settings, fixed before its first attempt.
struct Call<'a> {
    req: &'a ApiRequest,
    mode: BodyMode,
    url: Url,
    deadline: Instant,
    attempt_timeout: Duration,
    policy: &'a RetryPolicy,
    idempotent: bool,
    key: &'a str,
    headers: HeaderMap,
    with_auth: bool,
}

impl Call<'_> {
    fn what(&self) -> Described<'_> {
        Described {
            method: &self.req.method,
            path: self.url.path(),
        }
    }
}

/// What one exchange produced.
enum Exchange {
    Response(StatusCode, HeaderMap, Bytes),
    /// A 2xx whose body is left to be streamed.
    Streaming(StatusCode, HeaderMap, reqwest::Response),
    Transport(reqwest::Error),
    TooLarge(StatusCode, HeaderMap),
    TimedOut,
}

/// One attempt that was sent: what came back, the credentials it carried,
/// and the instant its time was up.
struct Sent {
    exchange: Exchange,
    stamp: AuthStamp,
    attempt_deadline: Instant,
    /// The rate-limit permit, kept while a streamed body is read.
    permit: Option<RatePermit>,
}

/// What an attempt means for the call.
enum Step {
    /// The call is over.
    Done(Result<Answer>),
    /// The credentials were renewed after a 401: send again, once.
    Replay,
    /// A transient failure: retry if the policy, the deadline and the
    /// budget allow, after `Retry-After` when the vendor gave one.
    Transient(Error, Option<Duration>),
}

impl HttpClient {
    /// Runs the call: attempts until one is final, retrying transient
    /// failures of idempotent requests within the policy, the deadline and
    /// the retry budget.
    pub(super) async fn execute(
        &self,
        req: &ApiRequest,
        url: Url,
        mode: BodyMode,
    ) -> Result<Answer> {
        let inner = &*self.inner;
        let span = tracing::Span::current();
        let started = Instant::now();
        let call = Call {
            req,
            mode,
            deadline: after(started, req.deadline.unwrap_or(inner.config.deadline())),
            attempt_timeout: req
                .attempt_timeout
                .unwrap_or(inner.config.attempt_timeout()),
            policy: req.retry.as_ref().unwrap_or(inner.config.retry()),
            idempotent: req.is_idempotent(),
            key: req.rate_key.as_deref().unwrap_or(&inner.rate_key),
            headers: self.request_headers(req),
            with_auth: same_origin(&inner.base, &url),
            url,
        };

        inner.budget.deposit();
        let mut attempt: u32 = 0;
        let mut retries: u32 = 0;
        let mut replayed = false;
        let result = loop {
            attempt += 1;
            let step = match self.attempt(&call, attempt).await {
                Ok(sent) => self.classify(&call, sent, replayed, &span).await,
                Err(e) => Step::Done(Err(e)),
            };
            let (error, retry_after) = match step {
                Step::Done(result) => break result,
                Step::Replay => {
                    tracing::debug!(attempt, "401: credentials renewed, replaying once");
                    replayed = true;
                    continue;
                }
                Step::Transient(error, retry_after) => (error, retry_after),
            };
            let Some(delay) =
                self.retry_delay(&call, attempt - u32::from(replayed), retries, retry_after)
            else {
                break Err(error);
            };
            retries += 1;
            tracing::debug!(
                attempt,
                delay_ms = millis(delay),
                kind = %error.kind(),
                status = error.http_status().map(|s| s.as_u16()),
                "retrying"
            );
            tokio::time::sleep(delay).await;
        };
        span.record("attempts", attempt);
        span.record("elapsed_ms", millis(started.elapsed()));
        if let Err(e) = &result {
            tracing::debug!(kind = %e.kind(), status = e.http_status().map(|s| s.as_u16()), "call failed");
        }
        result
    }

    /// One attempt: a rate-limit permit, the cool-down after a 429, the
    /// credentials (each bounded by the call's deadline), then one exchange
    /// bounded by the attempt timeout. An error here means nothing was sent.
    async fn attempt(&self, call: &Call<'_>, attempt: u32) -> Result<Sent> {
        let inner = &*self.inner;
        let what = call.what();
        let deadline = call.deadline;
        let permit = self.permit(call).await?;
        let mut headers = call.headers.clone();
        let stamp = self.credentials(call, &mut headers).await?;
        let now = Instant::now();
        if now >= deadline {
            return Err(self.tag(Error::new(
                ErrorKind::Timeout,
                format!("{what}: the deadline passed before the request was sent"),
            )));
        }
        let attempt_deadline = deadline.min(after(now, call.attempt_timeout));
        let mut rq = reqwest::Request::new(call.req.method.clone(), call.url.clone());
        *rq.headers_mut() = headers;
        if let Some(body) = &call.req.body {
            *rq.body_mut() = Some(reqwest::Body::from(body.bytes.clone()));
        }
        tracing::debug!(attempt, "sending");
        let max_body = inner.config.max_body_size();
        let mode = call.mode;
        let exchange = tokio::time::timeout_at(attempt_deadline, async {
            let resp = match inner.http.execute(rq).await {
                Ok(resp) => resp,
                Err(e) => return Exchange::Transport(e),
            };
            let status = resp.status();
            let headers = resp.headers().clone();
            if matches!(mode, BodyMode::Stream(_)) && status.is_success() {
                return Exchange::Streaming(status, headers, resp);
            }
            match read_body_limited(resp, max_body).await {
                Ok(body) => Exchange::Response(status, headers, body),
                Err(BodyOrTransport::Transport(e)) => Exchange::Transport(e),
                Err(BodyOrTransport::TooLarge) => Exchange::TooLarge(status, headers),
            }
        })
        .await
        .unwrap_or(Exchange::TimedOut);
        let permit = if matches!(exchange, Exchange::Streaming(..)) {
            Some(permit)
        } else {
            drop(permit);
            None
        };
        Ok(Sent {
            exchange,
            stamp,
            attempt_deadline,
            permit,
        })
    }

    /// A rate-limit permit, then the wait out of a 429 cool-down; both
    /// bounded by the call's deadline. A cool-down that would outlast the
    /// deadline or the client's [longest wait](super::HttpConfig::max_rate_limit_wait)
    /// fails fast — before a permit is taken, so that no slot of the
    /// limiter is spent — with `RateLimited` and the time left. An error
    /// here means nothing was sent.
    async fn permit(&self, call: &Call<'_>) -> Result<RatePermit> {
        let inner = &*self.inner;
        let what = call.what();
        let deadline = call.deadline;
        self.cooldown_wait(call)?;
        let permit = match tokio::time::timeout_at(
            deadline,
            inner.limiter.acquire(call.key, deadline),
        )
        .await
        {
            Ok(Ok(permit)) => permit,
            Ok(Err(e)) => return Err(self.tag(e)),
            Err(_) => {
                return Err(self.tag(Error::new(
                    ErrorKind::Timeout,
                    format!("{what}: the deadline passed while waiting for the rate limiter; nothing was sent"),
                )));
            }
        };
        // Checked again: another call's 429 may have started a cool-down
        // while this one waited for its permit.
        if let Some(until) = self.cooldown_wait(call)? {
            tracing::debug!(
                wait_ms = millis(until.saturating_duration_since(Instant::now())),
                "cooling down after a 429"
            );
            tokio::time::sleep_until(until).await;
        }
        Ok(permit)
    }

    /// The end of the client's cool-down after a 429 when this call may
    /// wait for it, `None` when there is none, or the `RateLimited` error
    /// (with the time left as `retry_after`) when waiting would outlast the
    /// call's deadline or the client's longest wait.
    fn cooldown_wait(&self, call: &Call<'_>) -> Result<Option<Instant>> {
        let Some(until) = self.inner.cooldown.until() else {
            return Ok(None);
        };
        let now = Instant::now();
        if until <= now {
            return Ok(None);
        }
        let left = until - now;
        let max_wait = self.inner.config.max_rate_limit_wait();
        let why = if until > call.deadline {
            "its deadline".to_owned()
        } else if left > max_wait {
            format!(
                "the longest wait for a rate limit ({} ms)",
                millis(max_wait)
            )
        } else {
            return Ok(Some(until));
        };
        Err(self.tag(
            Error::new(
                ErrorKind::RateLimited,
                format!(
                    "{}: the vendor's rate limit cools down for {} ms more after a 429, past {why}; nothing was sent",
                    call.what(),
                    millis(left)
                ),
            )
            .with_retry_after(left),
        ))
    }

    /// The credentials of one attempt, added to `headers` (none for a URL
    /// off the base origin). Waiting for them (a token being fetched) is
    /// bounded like the exchange itself: by the attempt timeout and the
    /// call's deadline.
    async fn credentials(&self, call: &Call<'_>, headers: &mut HeaderMap) -> Result<AuthStamp> {
        if !call.with_auth {
            return Ok(AuthStamp::NONE);
        }
        let what = call.what();
        let deadline = call.deadline;
        let ready_by = deadline.min(after(Instant::now(), call.attempt_timeout));
        // `authorize_until` lets a shared wait (a token refresh other callers
        // also wait on) go on past this caller's deadline.
        let waited =
            tokio::time::timeout_at(ready_by, self.inner.auth.authorize_until(headers, ready_by))
                .await;
        match waited {
            Ok(Ok(stamp)) => Ok(stamp),
            Ok(Err(e)) => Err(self.tag(e)),
            Err(_) => {
                let which = if ready_by == deadline {
                    "the call's deadline"
                } else {
                    "the attempt timeout"
                };
                Err(self.tag(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "{what}: {which} passed while waiting for credentials; nothing was sent"
                    ),
                )))
            }
        }
    }

    /// What an attempt's outcome means: success, a final error, a replay
    /// after renewed credentials, or a transient failure to retry. A write
    /// whose outcome is unknown is an `AmbiguousWrite`, never retried.
    async fn classify(
        &self,
        call: &Call<'_>,
        sent: Sent,
        replayed: bool,
        span: &tracing::Span,
    ) -> Step {
        let inner = &*self.inner;
        let what = call.what();
        match sent.exchange {
            Exchange::Response(status, headers, body) => {
                inner.limiter.observe(call.key, status, &headers);
                span.record("status", status.as_u16());
                if status.is_success() {
                    tracing::debug!(status = status.as_u16(), "response");
                    return Step::Done(Ok(Answer::Whole(
                        ApiResponse::new(status, headers, body).with_vendor(inner.vendor),
                    )));
                }
                if status == StatusCode::UNAUTHORIZED
                    && call.with_auth
                    && !replayed
                    && inner.auth.on_unauthorized(sent.stamp).await
                {
                    return Step::Replay;
                }
                self.classify_status(call, status, &headers, &body)
            }
            Exchange::Streaming(status, headers, resp) => {
                inner.limiter.observe(call.key, status, &headers);
                span.record("status", status.as_u16());
                let BodyMode::Stream(max) = call.mode else {
                    return Step::Done(Err(self.tag(Error::new(
                        ErrorKind::Transport,
                        format!("{what}: a streamed answer to a whole-body call"),
                    ))));
                };
                Step::Done(self.stream_body(call, status, headers, resp, max, sent.permit))
            }
            Exchange::Transport(e) => {
                let kind = transport_error(&e);
                let e = e.without_url();
                match kind {
                    ErrorKind::Connect => Step::Transient(
                        self.tag(
                            Error::new(
                                kind,
                                format!("{what}: could not connect; nothing was sent"),
                            )
                            .with_source(e),
                        ),
                        None,
                    ),
                    ErrorKind::InvalidInput => Step::Done(Err(self.tag(
                        Error::new(kind, format!("{what}: the request could not be built"))
                            .with_source(e),
                    ))),
                    _ if !call.idempotent => Step::Done(Err(self.tag(
                        ambiguous(&what, "the connection failed after the request was sent")
                            .with_source(e),
                    ))),
                    _ => Step::Transient(
                        self.tag(
                            Error::new(kind, format!("{what}: the request failed")).with_source(e),
                        ),
                        None,
                    ),
                }
            }
            Exchange::TooLarge(status, headers) => {
                inner.limiter.observe(call.key, status, &headers);
                span.record("status", status.as_u16());
                let max_body = inner.config.max_body_size();
                Step::Done(Err(self.tag(
                    Error::new(
                        ErrorKind::Decode,
                        format!("{what}: the response body is larger than {max_body} bytes"),
                    )
                    .with_http(status, &headers, &[]),
                )))
            }
            Exchange::TimedOut => {
                let which = if sent.attempt_deadline == call.deadline {
                    "the call's deadline"
                } else {
                    "the attempt timeout"
                };
                if !call.idempotent {
                    return Step::Done(Err(self.tag(ambiguous(
                        &what,
                        &format!("{which} passed while the request was in flight"),
                    ))));
                }
                Step::Transient(
                    self.tag(Error::new(
                        ErrorKind::Timeout,
                        format!("{what}: {which} passed"),
                    )),
                    None,
                )
            }
        }
    }

    /// A non-2xx answer (after any 401 replay): its kind (the vendor's
    /// classifier first, then the status), the shared cool-down after a
    /// refusal with `Retry-After`, and whether it is worth retrying.
    fn classify_status(
        &self,
        call: &Call<'_>,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Step {
        let inner = &*self.inner;
        let what = call.what();
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let kind = inner
            .classifier
            .as_ref()
            .and_then(|c| c(status, headers, body))
            .unwrap_or_else(|| kind_of(status));
        // Refused unprocessed: safe to retry for any method.
        let refused = kind == ErrorKind::RateLimited;
        if let (true, Some(wait)) = (refused, retry_after) {
            // Every request of this client waits it out.
            let until = after(Instant::now(), wait.min(call.policy.max_retry_after()));
            inner.cooldown.extend_to(until);
        }
        let transient = refused || call.policy.is_retryable_status(status);
        if transient && !call.idempotent && !refused {
            return Step::Done(Err(self.response_error(
                ErrorKind::AmbiguousWrite,
                &what,
                Some(&format!(
                    "the vendor answered HTTP {} after the request was sent",
                    status.as_u16()
                )),
                status,
                headers,
                body,
                retry_after,
            )));
        }
        let error = self.response_error(kind, &what, None, status, headers, body, retry_after);
        if transient {
            Step::Transient(error, retry_after)
        } else {
            Step::Done(Err(error))
        }
    }

    /// The error this client gives for a non-2xx answer to `method path`,
    /// for an answer that arrived inside another one — an item of
    /// ServiceNow's Batch API, say — and so never went through
    /// [`send`](HttpClient::send): its kind from the vendor's classifier (or
    /// the status), its message and [`api_body`](Error::api_body) from the
    /// vendor's error parser, the status, headers and body kept on it, as
    /// for an answer of its own.
    ///
    /// ```
    /// use http::{HeaderMap, Method, StatusCode};
    /// use psa_core::Vendor;
    /// use psa_core::http::HttpClient;
    ///
    /// let http = HttpClient::builder(Vendor::ServiceNow, "https://acme.service-now.com").build()?;
    /// let e = http.error_for_answer(
    ///     &Method::GET,
    ///     "/api/now/table/incident/0123",
    ///     StatusCode::NOT_FOUND,
    ///     &HeaderMap::new(),
    ///     br#"{"error":{"message":"No Record found","detail":null},"status":"failure"}"#,
    /// );
    /// assert!(e.is_not_found());
    /// assert_eq!(e.vendor(), Some(Vendor::ServiceNow));
    /// assert!(e.to_string().contains("GET /api/now/table/incident/0123: No Record found"), "{e}");
    /// # Ok::<(), psa_core::Error>(())
    /// ```
    pub fn error_for_answer(
        &self,
        method: &Method,
        path: &str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Error {
        let kind = self
            .inner
            .classifier
            .as_ref()
            .and_then(|c| c(status, headers, body))
            .unwrap_or_else(|| kind_of(status));
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let what = Described { method, path };
        self.response_error(kind, &what, None, status, headers, body, retry_after)
    }

    /// A 2xx answer whose body is read chunk by chunk: refused at once when
    /// its announced length is over `max`, cut with an error when it goes
    /// past `max`, each chunk bounded by the attempt timeout and the whole
    /// by the call's deadline. The rate-limit permit is held until the
    /// stream ends or is dropped.
    fn stream_body(
        &self,
        call: &Call<'_>,
        status: StatusCode,
        headers: HeaderMap,
        resp: reqwest::Response,
        max: u64,
        permit: Option<RatePermit>,
    ) -> Result<Answer> {
        let what = call.what().to_string();
        let vendor = self.inner.vendor;
        if let Some(len) = resp.content_length() {
            if len > max {
                return Err(Error::new(
                    ErrorKind::Decode,
                    format!("{what}: the body is {len} bytes; the limit is {max}"),
                )
                .with_vendor(vendor)
                .with_http(status, &headers, &[]));
            }
        }
        let idle = call.attempt_timeout;
        let deadline = call.deadline;
        let state = Some(Reading {
            resp,
            read: 0,
            _permit: permit,
        });
        let body = futures::stream::unfold(state, move |state| {
            let what = what.clone();
            async move {
                let mut st = state?;
                let until = deadline.min(after(Instant::now(), idle));
                let fail = |kind: ErrorKind, msg: String| {
                    Some((Err(Error::new(kind, msg).with_vendor(vendor)), None))
                };
                match tokio::time::timeout_at(until, st.resp.chunk()).await {
                    Err(_) => fail(
                        ErrorKind::Timeout,
                        format!("{what}: the body stopped arriving (timeout)"),
                    ),
                    Ok(Err(e)) => Some((
                        Err(Error::new(
                            transport_error(&e),
                            format!("{what}: reading the body failed"),
                        )
                        .with_vendor(vendor)
                        .with_source(e.without_url())),
                        None,
                    )),
                    Ok(Ok(None)) => None,
                    Ok(Ok(Some(chunk))) => {
                        st.read = st.read.saturating_add(chunk.len() as u64);
                        if st.read > max {
                            return fail(
                                ErrorKind::Decode,
                                format!("{what}: the body is larger than the limit of {max} bytes"),
                            );
                        }
                        Some((Ok(chunk), Some(st)))
                    }
                }
            }
        });
        Ok(Answer::Stream(super::StreamingResponse {
            status,
            headers,
            body: Box::pin(body),
        }))
    }

    /// The wait before the next attempt, or `None` when the policy's
    /// attempts, the deadline or the tenant's retry budget say stop — or
    /// when the vendor's `Retry-After` is longer than the client waits
    /// ([`max_rate_limit_wait`](super::HttpConfig::max_rate_limit_wait)):
    /// the caller then gets the error with its `retry_after` at once.
    fn retry_delay(
        &self,
        call: &Call<'_>,
        attempts: u32,
        retries: u32,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempts >= call.policy.max_attempts() {
            return None;
        }
        if let Some(after) = retry_after {
            let max_wait = self.inner.config.max_rate_limit_wait();
            if after > max_wait {
                tracing::debug!(
                    attempts,
                    retry_after_ms = millis(after),
                    max_wait_ms = millis(max_wait),
                    "Retry-After is longer than the client waits; failing fast"
                );
                return None;
            }
        }
        let delay = call.policy.delay(retries + 1, retry_after);
        if after(Instant::now(), delay) >= call.deadline {
            tracing::debug!(attempts, "no time left for a retry before the deadline");
            return None;
        }
        if !self.inner.budget.try_withdraw() {
            tracing::debug!(attempts, "retry budget spent; not retrying");
            return None;
        }
        Some(delay)
    }

    #[allow(clippy::too_many_arguments)]
    fn response_error(
        &self,
        kind: ErrorKind,
        what: &Described<'_>,
        why: Option<&str>,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> Error {
        let api = (self.inner.error_parser)(status, headers, body);
        let detail = api
            .as_ref()
            .and_then(|a| a.message.as_deref())
            .map(|m| shorten(m, 300));
        let message = match (why, status.is_redirection(), detail) {
            (Some(why), _, detail) => ambiguous_text(what, why, detail.as_deref()),
            (None, true, _) => format!(
                "{what}: the vendor answered with a redirect, which is not followed (credentials never follow a redirect)"
            ),
            (None, false, Some(d)) => format!("{what}: {d}"),
            (None, false, None) => format!(
                "{what}: {}",
                status.canonical_reason().unwrap_or("unexpected status")
            ),
        };
        let mut e = Error::new(kind, message)
            .with_vendor(self.inner.vendor)
            .with_http(status, headers, body);
        if let Some(after) = retry_after {
            e = e.with_retry_after(after);
        }
        if let Some(api) = api {
            e = e.with_api_body(api);
        }
        e
    }
}

/// `METHOD /path`, for messages (never the query string).
struct Described<'a> {
    method: &'a Method,
    path: &'a str,
}

impl fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

fn ambiguous_text(what: &Described<'_>, why: &str, detail: Option<&str>) -> String {
    let detail = detail.map(|d| format!(" ({d})")).unwrap_or_default();
    format!(
        "{what}: {why}{detail}; the write may or may not have been applied — \
         it is not re-sent automatically: check the PSA before sending it again"
    )
}

fn ambiguous(what: &Described<'_>, why: &str) -> Error {
    Error::new(ErrorKind::AmbiguousWrite, ambiguous_text(what, why, None))
}

fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &text[..cut])
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn cooldown_only_grows() {
        let c = Cooldown::new();
        assert!(c.until().is_none());
        let t = Instant::now() + Duration::from_secs(5);
        c.extend_to(t);
        c.extend_to(t - Duration::from_secs(3));
        assert!(c.until().unwrap() >= t - Duration::from_micros(1));
    }

    #[test]
    fn messages_name_the_call_and_never_the_query() {
        let what = Described {
            method: &Method::POST,
            path: "/api/Actions",
        };
        let e = ambiguous(
            &what,
            "the attempt timeout passed while the request was in flight",
        );
        assert!(e.is_ambiguous_write());
        assert!(
            e.to_string()
                .contains("POST /api/Actions: the attempt timeout"),
            "{e}"
        );
        assert_eq!(shorten("aé", 2), "a…");
        assert_eq!(shorten("abc", 5), "abc");
    }
}
