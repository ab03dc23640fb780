//! A tiny loopback HTTP/1.1 proxy that breaks connections on purpose.
//!
//! wiremock answers every request it receives, so it cannot reset a
//! connection or cut a body short. The fault matrix puts this proxy between
//! a vendor client and its simulator instead: the client's base URL is the
//! proxy's origin, and the proxy forwards each request to the simulator on a
//! fresh upstream connection (`Connection: close`), one request per client
//! connection, unless a fault is armed:
//!
//! - [`ProxyFault::ResetOnAccept`]: the next accepted connection is closed
//!   with a TCP reset before a byte of it is read (on loopback the reset
//!   reaches the client while it is still connecting: nothing is sent);
//! - [`ProxyFault::ResetAfterRequest`]: the whole request is read, not
//!   forwarded, and the connection reset;
//! - [`ProxyFault::LoseResponse`]: the request is forwarded and processed by
//!   the simulator, then the connection is reset instead of answered — the
//!   case where a write was applied and the client cannot know;
//! - [`ProxyFault::TruncateResponse`]: the simulator's answer is relayed up
//!   to half of its body, then the connection is closed cleanly (FIN): a
//!   body shorter than its `Content-Length`.
//!
//! [`Proxy::refuse`] closes the listening socket: every later connection
//! attempt is refused (nothing can be sent).
//!
//! The matching faults (all but `ResetOnAccept`) apply to requests of one
//! [`RequestClass`], so that credentials and set-up requests pass.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::sim::{RequestClass, Sim};

/// The largest request or response head the proxy reads.
const MAX_HEAD: usize = 64 * 1024;

/// A fault the proxy injects (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyFault {
    /// Reset the next accepted connection before reading it.
    ResetOnAccept,
    /// Read the request, do not forward it, reset the connection.
    ResetAfterRequest,
    /// Forward the request, then reset the connection instead of answering.
    LoseResponse,
    /// Forward the request, relay half of the answer's body, close.
    TruncateResponse,
}

#[derive(Debug)]
struct Rule {
    fault: ProxyFault,
    class: RequestClass,
    remaining: usize,
}

#[derive(Debug, Default)]
struct State {
    accept_resets: usize,
    rules: Vec<Rule>,
    fired: usize,
    requests: Vec<(String, String)>,
}

#[derive(Debug)]
struct Shared {
    sim: Sim,
    upstream: SocketAddr,
    state: Mutex<State>,
}

impl Shared {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running proxy; dropping it stops accepting connections.
#[derive(Debug)]
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl Proxy {
    /// Starts a proxy on `127.0.0.1` (any free port) in front of `upstream`,
    /// classifying requests as `sim`'s (see [`Sim::classify`]).
    ///
    /// # Errors
    /// When no loopback port can be bound.
    pub async fn start(sim: Sim, upstream: SocketAddr) -> io::Result<Proxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            sim,
            upstream,
            state: Mutex::new(State::default()),
        });
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        Ok(Proxy {
            addr,
            shared,
            accept,
        })
    }

    /// The origin to give a client, `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Arms `fault` for the next `times` requests of `class`
    /// ([`ProxyFault::ResetOnAccept`]: the next `times` connections).
    pub fn arm(&self, fault: ProxyFault, class: RequestClass, times: usize) {
        let mut st = self.shared.state();
        if fault == ProxyFault::ResetOnAccept {
            st.accept_resets += times;
        } else {
            st.rules.push(Rule {
                fault,
                class,
                remaining: times,
            });
        }
    }

    /// Stops listening: every later connection attempt is refused. Returns
    /// once the listening socket is closed — a connection made before that
    /// would sit in the kernel's backlog and be reset after the client sent
    /// its request, which is another fault (an ambiguous write).
    pub async fn refuse(&self) {
        self.accept.abort();
        while !self.accept.is_finished() {
            tokio::task::yield_now().await;
        }
    }

    /// How many times an armed fault fired.
    pub fn fired(&self) -> usize {
        self.shared.state().fired
    }

    /// `METHOD /path` of every request the proxy read, in order.
    pub fn requests(&self) -> Vec<(String, String)> {
        self.shared.state().requests.clone()
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        let reset = {
            let mut st = shared.state();
            if st.accept_resets > 0 {
                st.accept_resets -= 1;
                st.fired += 1;
                true
            } else {
                false
            }
        };
        if reset {
            abort(stream);
            continue;
        }
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            // A connection the client gave up on is not the proxy's failure.
            let _ = serve(stream, &shared).await;
        });
    }
}

/// Closes a connection with a TCP reset.
fn abort(stream: TcpStream) {
    let _ = stream.set_zero_linger();
    drop(stream);
}

/// One request: read it, apply a matching fault, or forward it and relay
/// the answer.
async fn serve(mut client: TcpStream, shared: &Shared) -> io::Result<()> {
    let Some((head, body)) = read_message(&mut client, true).await? else {
        return Ok(());
    };
    let (method, path) = request_line(&head);
    let class = http::Method::from_bytes(method.as_bytes())
        .map_or(RequestClass::Write, |m| shared.sim.classify(&m, &path));
    let fault = {
        let mut st = shared.state();
        st.requests.push((method.clone(), path.clone()));
        let fault = st
            .rules
            .iter_mut()
            .find(|r| r.class == class && r.remaining > 0)
            .map(|r| {
                r.remaining -= 1;
                r.fault
            });
        if fault.is_some() {
            st.fired += 1;
        }
        fault
    };
    if fault == Some(ProxyFault::ResetAfterRequest) {
        abort(client);
        return Ok(());
    }

    let mut upstream = TcpStream::connect(shared.upstream).await?;
    upstream.write_all(&with_connection_close(&head)).await?;
    upstream.write_all(&body).await?;
    let Some((resp_head, resp_body)) = read_message(&mut upstream, false).await? else {
        abort(client);
        return Ok(());
    };
    match fault {
        Some(ProxyFault::LoseResponse) => abort(client),
        Some(ProxyFault::TruncateResponse) => {
            client.write_all(&with_connection_close(&resp_head)).await?;
            client.write_all(&resp_body[..resp_body.len() / 2]).await?;
            client.shutdown().await?;
        }
        _ => {
            client.write_all(&with_connection_close(&resp_head)).await?;
            client.write_all(&resp_body).await?;
            client.shutdown().await?;
        }
    }
    Ok(())
}

/// Reads one HTTP/1.1 message: its head (through the blank line) and its
/// body (`Content-Length` bytes, a chunked body whole, or — for a response
/// without either — everything up to the end of the stream). `None` when the
/// peer closed before sending a head.
async fn read_message(
    stream: &mut TcpStream,
    is_request: bool,
) -> io::Result<Option<(Vec<u8>, Vec<u8>)>> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > MAX_HEAD {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "head too large"));
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let mut body = buf.split_off(head_end);
    let head = buf;
    let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let header = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_owned()))
    };
    if let Some(len) = header("content-length:").and_then(|v| v.parse::<usize>().ok()) {
        while body.len() < len {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if header("transfer-encoding:").is_some_and(|v| v.contains("chunked")) {
        while find(&body, b"0\r\n\r\n").is_none() {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if !is_request {
        stream.read_to_end(&mut body).await?;
    }
    Ok(Some((head, body)))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The method and the path (without query) of a request head.
fn request_line(head: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(head);
    let mut parts = text.lines().next().unwrap_or_default().split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    (method, path)
}

/// The head with its `Connection` and `Keep-Alive` headers replaced by
/// `Connection: close`: one message per connection, both ways.
fn with_connection_close(head: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(head);
    let mut out = String::with_capacity(text.len() + 20);
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        let lower = line.to_ascii_lowercase();
        if lower.starts_with("connection:") || lower.starts_with("keep-alive:") {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("connection: close\r\n\r\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_rewritten_to_close() {
        let head = b"GET /api/Tickets?x=1 HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n";
        let out = String::from_utf8(with_connection_close(head)).unwrap();
        assert_eq!(
            out,
            "GET /api/Tickets?x=1 HTTP/1.1\r\nHost: a\r\nconnection: close\r\n\r\n"
        );
        assert_eq!(
            request_line(head),
            ("GET".to_owned(), "/api/Tickets".to_owned())
        );
    }
}
