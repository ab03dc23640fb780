//! [`Scrubber`]: removes every encoding of a set of credentials from text
//! that leaves the SDK — a vendor's error body, a header value, a log line,
//! an [`Error`](crate::Error).
//!
//! A secret rarely comes back the way it was sent. A token endpoint echoes
//! a form-encoded client secret (`a%2Bb` or `a+b` for `a b`), a proxy
//! error page quotes an `Authorization: Basic dXNlcjpzM2NyZXQ=` header, a
//! JSON body escapes `/` as `\/`, a URL carries a token percent-encoded.
//! Replacing the raw text only (`text.replace(secret, …)`) misses all of
//! them. A `Scrubber` finds, for each secret:
//! - the raw text;
//! - its percent-encoding, any byte escaped or not, upper- or lower-case
//!   hex, a space as `%20` or `+`, and escaped twice (`%252B`);
//! - its JSON escaping (`\/`, `\"`, `\uXXXX`, surrogate pairs);
//! - its base64, standard or URL-safe, padded or not, at any offset inside
//!   a longer base64 text — so `Basic base64(user:secret)` is found for any
//!   user — in which case the whole base64 token is removed, since its
//!   neighbouring characters carry bits of the secret too.
//!
//! ```
//! use psa_core::secrets::Scrubber;
//! let s = Scrubber::new(["s3cr3t+/= pässword"]);
//! let body = r#"{"error":"invalid_client","detail":"client_secret=s3cr3t%2B%2f%3D+p%C3%A4ssword"}"#;
//! assert_eq!(
//!     s.scrub(body),
//!     r#"{"error":"invalid_client","detail":"client_secret=[redacted]"}"#
//! );
//! assert_eq!(s.scrub("Authorization: Basic YWdlbnQ6czNjcjN0Ky89IHDDpHNzd29yZA=="), "Authorization: Basic [redacted]");
//! assert_eq!(s.scrub("nothing to hide"), "nothing to hide");
//! ```

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use http::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this many bytes are not scrubbed: their raw text
/// would match ordinary words, and they protect nothing anyway.
pub const MIN_SECRET_LEN: usize = 4;

/// The fewest base64 characters a secret's encoding is searched by: fewer
/// would match unrelated base64 text by chance.
const MIN_BASE64_CORE: usize = 4;

/// One form a secret is searched in.
#[derive(Clone)]
struct Needle {
    /// The text matched, each character raw, percent-encoded or
    /// JSON-escaped.
    text: SecretString,
    /// A run of base64 (part of a secret's encoding): the whole base64
    /// token around a match is removed.
    base64: bool,
}

/// Removes credentials, in every encoding, from text. See the
/// [module docs](self).
///
/// Cheap to clone and share; its `Debug` shows how many secrets it holds,
/// never one of them (they are [`SecretString`]s, wiped when dropped).
///
/// ```
/// use psa_core::secrets::Scrubber;
/// use secrecy::SecretString;
/// let s = Scrubber::new(["client-secret-1"])
///     .with_secret(&SecretString::from("refresh-token-2"))
///     .with_basic("apiuser", "pw+2");
/// assert!(s.contains_secret("token=refresh%2Dtoken%2D2"));
/// assert_eq!(format!("{s:?}"), "Scrubber { secrets: 3, .. }");
/// ```
#[derive(Clone, Default)]
pub struct Scrubber {
    needles: Vec<Needle>,
    secrets: usize,
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scrubber")
            .field("secrets", &self.secrets)
            .finish_non_exhaustive()
    }
}

impl Scrubber {
    /// A scrubber for `secrets` (passwords, client secrets, API keys,
    /// tokens). Secrets shorter than [`MIN_SECRET_LEN`] bytes are skipped.
    pub fn new<I, S>(secrets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        secrets
            .into_iter()
            .fold(Scrubber::default(), Scrubber::with)
    }

    /// Adds a secret.
    #[must_use]
    pub fn with(mut self, secret: impl AsRef<str>) -> Self {
        self.add(secret.as_ref());
        self
    }

    /// Adds a secret kept as a [`SecretString`].
    #[must_use]
    pub fn with_secret(mut self, secret: &SecretString) -> Self {
        self.add(secret.expose_secret());
        self
    }

    /// Adds HTTP Basic credentials: the password itself, and the exact
    /// `base64(user:password)` of the header (found for short passwords
    /// too, whose own base64 is too short to search for at any offset).
    #[must_use]
    pub fn with_basic(mut self, user: &str, password: &str) -> Self {
        self.add(password);
        let pair = format!("{user}:{password}");
        if pair.len() >= MIN_SECRET_LEN {
            for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
                self.needles.push(Needle {
                    text: SecretString::from(engine.encode(pair.as_bytes())),
                    base64: true,
                });
            }
        }
        self
    }

    /// How many secrets it removes.
    pub fn len(&self) -> usize {
        self.secrets
    }

    /// Whether it removes nothing.
    pub fn is_empty(&self) -> bool {
        self.secrets == 0
    }

    fn add(&mut self, secret: &str) {
        if secret.len() < MIN_SECRET_LEN {
            return;
        }
        self.secrets += 1;
        self.needles.push(Needle {
            text: SecretString::from(secret.to_owned()),
            base64: false,
        });
        for core in base64_cores(secret.as_bytes()) {
            self.needles.push(Needle {
                text: SecretString::from(core),
                base64: true,
            });
        }
        // Longest first: a longer form of the same secret wins at a position.
        self.needles
            .sort_by_key(|n| std::cmp::Reverse(n.text.expose_secret().len()));
    }

    /// `text` with every encoding of every secret replaced by
    /// [`REDACTED`]; borrowed when there was nothing to remove.
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.scrub_bytes(text.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            // Matches start and end on character boundaries (a secret's
            // first and last characters are whole; base64 is ASCII), so the
            // bytes stay UTF-8.
            Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
        }
    }

    /// [`scrub`](Self::scrub) for bytes that may not be UTF-8 (a response
    /// body).
    pub fn scrub_bytes<'a>(&self, text: &'a [u8]) -> Cow<'a, [u8]> {
        let spans = self.find_all(text);
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = Vec::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in spans {
            out.extend_from_slice(&text[at..start]);
            out.extend_from_slice(REDACTED.as_bytes());
            at = end;
        }
        out.extend_from_slice(&text[at..]);
        Cow::Owned(out)
    }

    /// A header value with every encoding of every secret removed; its
    /// sensitivity flag is kept.
    pub fn scrub_header_value(&self, value: &HeaderValue) -> HeaderValue {
        match self.scrub_bytes(value.as_bytes()) {
            Cow::Borrowed(_) => value.clone(),
            Cow::Owned(bytes) => {
                let mut v = HeaderValue::from_bytes(&bytes)
                    .unwrap_or_else(|_| HeaderValue::from_static(REDACTED));
                v.set_sensitive(value.is_sensitive());
                v
            }
        }
    }

    /// Every header with its value scrubbed.
    pub fn scrub_headers(&self, headers: &HeaderMap) -> HeaderMap {
        let mut out = HeaderMap::with_capacity(headers.len());
        for (name, value) in headers {
            out.append(name.clone(), self.scrub_header_value(value));
        }
        out
    }

    /// Whether `text` holds any encoding of any secret — what a test of
    /// logs or errors asserts is false.
    pub fn contains_secret(&self, text: &str) -> bool {
        (0..text.len()).any(|i| self.longest_at(text.as_bytes(), i).is_some())
    }

    /// The spans to remove, in order, not overlapping.
    fn find_all(&self, text: &[u8]) -> Vec<(usize, usize)> {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < text.len() {
            match self.longest_at(text, i) {
                Some((mut start, mut end)) => {
                    i = end.max(i + 1);
                    // A base64 token widened back over earlier spans
                    // absorbs them.
                    while let Some(&(s, e)) = spans.last() {
                        if e < start {
                            break;
                        }
                        start = start.min(s);
                        end = end.max(e);
                        spans.pop();
                    }
                    spans.push((start, end));
                }
                None => i += 1,
            }
        }
        spans
    }

    /// The span to remove for a match starting at `at`, the longest when
    /// several forms match.
    fn longest_at(&self, text: &[u8], at: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for needle in &self.needles {
            let secret = needle.text.expose_secret();
            let Some(end) = match_at(text, at, secret) else {
                continue;
            };
            let span = if needle.base64 {
                base64_token(text, at, end)
            } else {
                (at, end)
            };
            if best.is_none_or(|(s, e)| span.1 - span.0 > e - s) {
                best = Some(span);
            }
        }
        best
    }
}

/// The base64 characters that encode only bytes of `secret`, for each of
/// the three offsets it may have in a longer text, in both alphabets.
fn base64_cores(secret: &[u8]) -> Vec<String> {
    let mut cores = Vec::new();
    for offset in 0..3usize {
        let mut padded = vec![0u8; offset];
        padded.extend_from_slice(secret);
        let first = (8 * offset).div_ceil(6);
        let last = (8 * padded.len()) / 6;
        if last < first + MIN_BASE64_CORE {
            continue;
        }
        for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
            let encoded = engine.encode(&padded);
            if let Some(core) = encoded.get(first..last) {
                if !cores.iter().any(|c| c == core) {
                    cores.push(core.to_owned());
                }
            }
        }
    }
    cores
}

/// Whether `b` is a base64 character of either alphabet (padding aside).
fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_')
}

/// The length of a percent-escaped base64 character (`%2B`, `%2F`) at
/// `at`, or of its padding (`%3D`) when `padding`.
fn escaped_base64_at(text: &[u8], at: usize, padding: bool) -> Option<usize> {
    let hex = text.get(at + 1..at + 3)?;
    (text[at] == b'%'
        && (hex.eq_ignore_ascii_case(b"2B")
            || hex.eq_ignore_ascii_case(b"2F")
            || (padding && hex.eq_ignore_ascii_case(b"3D"))))
    .then_some(3)
}

/// The whole base64 token around `start..end`: widened over base64
/// characters (raw or percent-escaped) on both sides, then over its `=`
/// padding.
fn base64_token(text: &[u8], start: usize, end: usize) -> (usize, usize) {
    let mut s = start;
    loop {
        if s > 0 && is_base64(text[s - 1]) {
            s -= 1;
        } else if s >= 3 && escaped_base64_at(text, s - 3, false).is_some() {
            s -= 3;
        } else {
            break;
        }
    }
    let mut e = end;
    loop {
        if text.get(e).copied().is_some_and(is_base64) {
            e += 1;
        } else if let Some(n) = escaped_base64_at(text, e, false) {
            e += n;
        } else {
            break;
        }
    }
    for _ in 0..2 {
        if text.get(e) == Some(&b'=') {
            e += 1;
        } else if let Some(n) = escaped_base64_at(text, e, true) {
            e += n;
        } else {
            break;
        }
    }
    (s, e)
}

/// Where a match of `needle` that starts at `at` ends, each of its
/// characters raw, percent-encoded (once or twice), a space as `+`, or
/// JSON-escaped.
fn match_at(text: &[u8], at: usize, needle: &str) -> Option<usize> {
    let first = needle.chars().next()?;
    // A cheap filter before any work: how the first character may start.
    let b = *text.get(at)?;
    let mut buf = [0u8; 4];
    if b != first.encode_utf8(&mut buf).as_bytes()[0]
        && b != b'%'
        && b != b'\\'
        && !(b == b'+' && first == ' ')
    {
        return None;
    }
    match_chars(text, at, needle)
}

fn match_chars(text: &[u8], at: usize, rest: &str) -> Option<usize> {
    let mut chars = rest.chars();
    let Some(c) = chars.next() else {
        return Some(at);
    };
    let tail = chars.as_str();
    // Each way `c` may be written; a later mismatch tries the next way.
    for end in char_forms(text, at, c) {
        if let Some(done) = match_chars(text, end, tail) {
            return Some(done);
        }
    }
    None
}

/// The ends of every way `c` is written at `at` (at most a few).
fn char_forms(text: &[u8], at: usize, c: char) -> Vec<usize> {
    let mut buf = [0u8; 4];
    let utf8 = c.encode_utf8(&mut buf).as_bytes();
    // Each byte raw, or percent-escaped once or twice.
    let mut ends = vec![at];
    for &byte in utf8 {
        let mut next = Vec::with_capacity(ends.len());
        for &i in &ends {
            if text.get(i) == Some(&byte) {
                next.push(i + 1);
            }
            next.extend(escaped_byte(text, i, byte).map(|n| i + n));
        }
        next.dedup();
        ends = next;
        if ends.is_empty() {
            break;
        }
    }
    if c == ' ' && text.get(at) == Some(&b'+') {
        ends.push(at + 1);
    }
    if text.get(at) == Some(&b'\\') {
        ends.extend(json_escape(text, at, c));
    }
    ends
}

/// The lengths of `byte` percent-escaped at `at`: `%XX`, and `%25XX`
/// (escaped twice), hex in either case.
fn escaped_byte(text: &[u8], at: usize, byte: u8) -> impl Iterator<Item = usize> {
    let hex_at = |i: usize| text.get(i..i + 2).and_then(hex_value);
    let percent = text.get(at) == Some(&b'%');
    let once = percent && hex_at(at + 1) == Some(u16::from(byte));
    let twice = percent
        && hex_at(at + 1) == Some(u16::from(b'%'))
        && hex_at(at + 3) == Some(u16::from(byte));
    [once.then_some(3), twice.then_some(5)]
        .into_iter()
        .flatten()
}

/// The value of ASCII hex digits (no sign, either case).
fn hex_value(digits: &[u8]) -> Option<u16> {
    digits.iter().try_fold(0u16, |acc, &d| {
        let v = char::from(d).to_digit(16)?;
        acc.checked_mul(16)?.checked_add(u16::try_from(v).ok()?)
    })
}

/// The end of `c` written as a JSON escape at `at` (`\/`, `\"`, `\\`, `\n`
/// …, `\uXXXX`, a surrogate pair).
fn json_escape(text: &[u8], at: usize, c: char) -> Option<usize> {
    let short = match c {
        '/' => Some(b'/'),
        '"' => Some(b'"'),
        '\\' => Some(b'\\'),
        '\n' => Some(b'n'),
        '\r' => Some(b'r'),
        '\t' => Some(b't'),
        '\u{8}' => Some(b'b'),
        '\u{c}' => Some(b'f'),
        _ => None,
    };
    if short.is_some() && text.get(at + 1).copied() == short {
        return Some(at + 2);
    }
    let mut units = [0u16; 2];
    let mut i = at;
    for unit in c.encode_utf16(&mut units) {
        let esc = text.get(i..i + 6)?;
        if esc[0] != b'\\' || esc[1] != b'u' {
            return None;
        }
        if hex_value(&esc[2..])? != *unit {
            return None;
        }
        i += 6;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::format_push_string,
        clippy::format_collect
    )]
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};

    /// Secrets with the characters that encodings change: `+`, `/`, `=`,
    /// spaces, `%`, quotes, backslashes and non-ASCII.
    const SECRETS: [&str; 5] = [
        "Ab+c/d=e f",
        "p@ss w0rd/ü+ß==",
        "%41%zz\"quote\\",
        "トークン秘密🔑",
        "s3cr3t_-~.!*'()",
    ];

    /// `secret` percent-encoded: every byte outside `keep`, hex in `case`.
    fn percent(secret: &str, keep: &str, upper: bool, plus_for_space: bool) -> String {
        let mut out = String::new();
        for b in secret.bytes() {
            let c = char::from(b);
            if b.is_ascii_alphanumeric() || keep.contains(c) {
                out.push(c);
            } else if b == b' ' && plus_for_space {
                out.push('+');
            } else if upper {
                out.push_str(&format!("%{b:02X}"));
            } else {
                out.push_str(&format!("%{b:02x}"));
            }
        }
        out
    }

    fn forms(secret: &str) -> Vec<String> {
        let json = serde_json::to_string(secret).unwrap();
        let ascii_json: String = secret
            .chars()
            .map(|c| {
                let mut units = [0u16; 2];
                c.encode_utf16(&mut units)
                    .iter()
                    .map(|u| format!("\\u{u:04x}"))
                    .collect::<String>()
            })
            .collect();
        let mut v = vec![
            secret.to_owned(),
            percent(secret, "-._~", true, false),
            percent(secret, "-._~", false, false),
            percent(secret, "-._~*", true, true),
            percent(secret, "", false, true),
            percent(secret, "-._~!*'()", true, false),
            percent(&percent(secret, "-._~", true, false), "-._~", true, false),
            json[1..json.len() - 1].replace('/', "\\/"),
            ascii_json,
        ];
        for engine in [&STANDARD, &URL_SAFE, &STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
            v.push(engine.encode(secret));
            for user in ["u", "ab", "abc", "api-user"] {
                v.push(format!(
                    "Basic {}",
                    engine.encode(format!("{user}:{secret}"))
                ));
            }
        }
        v.push(percent(&STANDARD.encode(secret), "", true, false));
        v
    }

    #[test]
    fn every_encoding_of_every_secret_is_removed() {
        let s = Scrubber::new(SECRETS);
        assert_eq!(s.len(), SECRETS.len());
        for secret in SECRETS {
            for form in forms(secret) {
                for (before, after) in [("", ""), ("x=", "&y=1"), ("\"", "\""), ("a ", " b")] {
                    let text = format!("{before}{form}{after}");
                    let out = s.scrub(&text);
                    assert!(
                        !s.contains_secret(&out),
                        "a form of {secret:?} survived in {out:?}"
                    );
                    assert!(out.contains(REDACTED), "{form:?} of {secret:?} not found");
                    assert!(
                        out.starts_with(before) && out.ends_with(after),
                        "{text:?} -> {out:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn surrounding_text_is_kept() {
        let s = Scrubber::new(["Ab+c/d=e f"]);
        assert_eq!(
            s.scrub("secret=Ab%2Bc%2Fd%3De+f&next=1"),
            "secret=[redacted]&next=1"
        );
        assert_eq!(
            s.scrub(r#"{"client_secret":"Ab+c\/d=e f","ok":false}"#),
            r#"{"client_secret":"[redacted]","ok":false}"#
        );
        let basic = STANDARD.encode("agent:Ab+c/d=e f");
        assert_eq!(
            s.scrub(&format!("authorization: Basic {basic}\r\nx: y")),
            "authorization: Basic [redacted]\r\nx: y"
        );
        assert_eq!(
            s.scrub(&format!("token={}&z=2", STANDARD.encode("Ab+c/d=e f"))),
            "token=[redacted]&z=2"
        );
        assert!(matches!(s.scrub("all clear"), Cow::Borrowed(_)));
    }

    #[test]
    fn short_basic_passwords_are_found_through_the_pair() {
        let s = Scrubber::new(Vec::<String>::new()).with_basic("me", "pw12");
        let header = format!("Basic {}", STANDARD.encode("me:pw12"));
        assert_eq!(s.scrub(&header), "Basic [redacted]");
        assert_eq!(s.scrub("pw12"), REDACTED);
        // Too short to scrub safely: skipped, and said so by `len`.
        let none = Scrubber::new(["abc", ""]);
        assert!(none.is_empty());
        assert_eq!(none.scrub("abc"), "abc");
    }

    #[test]
    fn bytes_headers_and_debug() {
        let s = Scrubber::new(["tok-en/1234"]);
        let body = b"\xff\xfe token tok-en%2F1234 \xff";
        assert_eq!(
            s.scrub_bytes(body).as_ref(),
            b"\xff\xfe token [redacted] \xff".as_slice()
        );
        let mut v = HeaderValue::from_static("Bearer tok-en/1234");
        v.set_sensitive(true);
        let out = s.scrub_header_value(&v);
        assert_eq!(out, "Bearer [redacted]");
        assert!(out.is_sensitive());
        let mut h = HeaderMap::new();
        h.append("x-a", HeaderValue::from_static("tok-en/1234"));
        h.append("x-a", HeaderValue::from_static("fine"));
        let h = s.scrub_headers(&h);
        let all: Vec<_> = h.get_all("x-a").iter().collect();
        assert_eq!(all, [REDACTED, "fine"]);
        assert_eq!(format!("{s:?}"), "Scrubber { secrets: 1, .. }");
    }

    #[test]
    fn random_text_with_secrets_at_random_places_is_always_cleaned() {
        use rand::rngs::StdRng;
        use rand::{Rng as _, SeedableRng as _};
        let s = Scrubber::new(SECRETS);
        let filler = [
            "a", " ", "=", "+", "%", "\\", "\"", "/", "é", "Zm9v", "%2B", "\\u00",
        ];
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..2_000 {
            let mut text = String::new();
            for _ in 0..rng.random_range(0..6) {
                text.push_str(filler[rng.random_range(0..filler.len())]);
            }
            let secret = SECRETS[rng.random_range(0..SECRETS.len())];
            let all = forms(secret);
            text.push_str(&all[rng.random_range(0..all.len())]);
            for _ in 0..rng.random_range(0..6) {
                text.push_str(filler[rng.random_range(0..filler.len())]);
            }
            let out = s.scrub(&text);
            assert!(!s.contains_secret(&out), "{text:?} -> {out:?}");
            for secret in SECRETS {
                assert!(!out.contains(secret), "{text:?} -> {out:?}");
            }
        }
    }
}
