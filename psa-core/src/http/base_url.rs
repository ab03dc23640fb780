//! Base URL validation and the resolution of request targets against it.

use std::borrow::Cow;
use std::net::IpAddr;

use url::{Host, Url};

use crate::{Error, Result};

/// Validates and normalises a vendor base URL.
///
/// The rules:
/// - `https` only; plain `http` only for loopback hosts (`127.0.0.0/8`,
///   `::1`, `localhost`), which is what tests and local simulators use;
/// - no user name or password in the URL (credentials go through
///   [`Auth`](super::Auth), never through the URL);
/// - no query string and no fragment;
/// - the path ends with exactly one `/`, so that `https://x/api` and
///   `https://x/api/` behave the same and `Url::join("Tickets")` lands on
///   `https://x/api/Tickets`.
///
/// Errors are [`ErrorKind::Config`](crate::ErrorKind::Config) and name the
/// problem without echoing the input (which could hold a password).
///
/// ```
/// use psa_core::http::validate_base_url;
///
/// let a = validate_base_url("https://acme.halopsa.com/api").unwrap();
/// let b = validate_base_url("https://acme.halopsa.com/api/").unwrap();
/// assert_eq!(a, b);
/// assert_eq!(a.join("Tickets").unwrap().as_str(), "https://acme.halopsa.com/api/Tickets");
///
/// assert!(validate_base_url("http://acme.halopsa.com/api").unwrap_err().is_config());
/// assert!(validate_base_url("http://127.0.0.1:8080/").is_ok());
/// assert!(validate_base_url("https://user:pw@acme.halopsa.com/").is_err());
/// ```
pub fn validate_base_url(input: &str) -> Result<Url> {
    let mut url = check_url(input, "base URL")?;
    if url.query().is_some() {
        return Err(Error::config(
            "base URL must not have a query string; pass query parameters per request",
        ));
    }
    let trimmed_len = url.path().trim_end_matches('/').len();
    if trimmed_len + 1 != url.path().len() {
        let path = format!("{}/", &url.path()[..trimmed_len]);
        url.set_path(&path);
    }
    Ok(url)
}

/// Validates an endpoint URL (a token URL): the same rules as
/// [`validate_base_url`], except that the path is kept as given and a query
/// string is allowed.
pub(crate) fn validate_endpoint_url(input: &str, what: &'static str) -> Result<Url> {
    check_url(input, what)
}

fn check_url(input: &str, what: &'static str) -> Result<Url> {
    let url = Url::parse(input.trim())
        .map_err(|e| Error::config(format!("{what} is not a valid absolute URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!(
            "{what} must not contain a user name or password; configure credentials through auth"
        )));
    }
    if url.cannot_be_a_base() || url.host().is_none() {
        return Err(Error::config(format!("{what} must have a host")));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::config(format!(
                "{what} must use https (plain http is allowed only for loopback hosts)"
            )));
        }
        other => {
            return Err(Error::config(format!(
                "{what} must use https, not the `{other}` scheme"
            )));
        }
    }
    if url.fragment().is_some() {
        return Err(Error::config(format!("{what} must not have a fragment")));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Checks a request path relative to the base URL and returns it without a
/// leading `/`.
///
/// Rejected: absolute URLs (anything with a scheme), `//`, `.` and `..`
/// segments (also percent-encoded), backslashes, control characters, and `?`
/// or `#` (query parameters go through [`ApiRequest::query`](super::ApiRequest::query)).
pub(crate) fn check_relative_path(path: &str) -> Result<&str> {
    let rest = path.strip_prefix('/').unwrap_or(path);
    if is_clean_path(rest) {
        return Ok(rest);
    }
    check_each(rest)
}

/// [`check_relative_path`]'s checks one by one, on the path without its
/// leading `/`: the error names the first that fails.
fn check_each(rest: &str) -> Result<&str> {
    if rest.starts_with('/') || rest.contains("//") {
        return Err(Error::invalid_input(
            "request path must not contain `//` (an empty segment)",
        ));
    }
    if let Some(bad) = rest
        .chars()
        .find(|c| c.is_control() || matches!(c, '\\' | '?' | '#'))
    {
        let what = match bad {
            '\\' => "a backslash",
            '?' => "`?` (pass query parameters with .query())",
            '#' => "`#` (a fragment)",
            _ => "a control character",
        };
        return Err(Error::invalid_input(format!(
            "request path must not contain {what}"
        )));
    }
    // "a:b" would be taken as an absolute URL by `Url::join`.
    // (A URL needs a `:` after its scheme: a path without one is never
    // parsed as a URL, which saves a parse on every request.)
    let first = rest.split('/').next().unwrap_or_default();
    if first.contains(':') || (rest.contains(':') && Url::parse(rest).is_ok()) {
        return Err(Error::invalid_input(
            "request path must be relative to the base URL, not an absolute URL \
             (use ApiRequest::absolute for a next-page URL)",
        ));
    }
    if rest.split('/').any(is_dot_segment) {
        return Err(Error::invalid_input(
            "request path must not contain `.` or `..` segments",
        ));
    }
    Ok(rest)
}

/// Whether `rest` passes every check of [`check_relative_path`] at a glance,
/// in one pass over its bytes: printable ASCII without `\`, `?`, `#`, `:` or `%`, no
/// empty segment (`//`, or a leading `/`), no `.` or `..` segment. A path
/// this answers `false` for goes through the checks one by one, which name
/// what is wrong (or find nothing: `%41` is fine).
fn is_clean_path(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    let mut segment_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'/' => {
                let segment = &bytes[segment_start..i];
                if matches!(segment, b"" | b"." | b"..") {
                    return false;
                }
                segment_start = i + 1;
            }
            b'\\' | b'?' | b'#' | b':' | b'%' => return false,
            0x20..=0x7e => {}
            _ => return false,
        }
    }
    !matches!(&bytes[segment_start..], b"." | b"..")
}

/// Whether a segment is one that the WHATWG URL parser treats as `.` or `..`.
fn is_dot_segment(seg: &str) -> bool {
    // At most six bytes (`%2e%2e`); longer segments are never dot segments.
    seg.len() <= 6
        && [".", "..", "%2e", ".%2e", "%2e.", "%2e%2e"]
            .iter()
            .any(|dot| seg.eq_ignore_ascii_case(dot))
}

/// Whether a checked relative path ([`check_relative_path`]) is made only of
/// characters a URL's path keeps as they are, so that joining it to a base
/// path that ends in `/` is concatenating the two.
pub(crate) fn is_plain_path(rel: &str) -> bool {
    rel.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'/' | b'-'
                    | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
            )
    })
}

/// Appends `?name=value&…` (nothing for no pair), each name and value
/// encoded as `application/x-www-form-urlencoded` — byte for byte what
/// `Url::query_pairs_mut` writes: ASCII letters, digits and `*-._` as they
/// are, a space as `+`, every other byte as `%XX` (upper-case hex).
pub(crate) fn append_form_query(out: &mut String, pairs: &[(Cow<'static, str>, String)]) {
    if pairs.is_empty() {
        return;
    }
    // Written as bytes (a `String` checks each pushed `char`), then
    // checked as UTF-8 once: the text so far and ASCII, so always valid.
    let mut bytes = std::mem::take(out).into_bytes();
    // Room for every byte kept, and a few escaped.
    bytes.reserve(pairs.iter().map(|(k, v)| k.len() + v.len() + 8).sum());
    for (i, (name, value)) in pairs.iter().enumerate() {
        bytes.push(if i == 0 { b'?' } else { b'&' });
        form_encode(&mut bytes, name);
        bytes.push(b'=');
        form_encode(&mut bytes, value);
    }
    *out = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

fn form_encode(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut rest = s.as_bytes();
    // Runs of bytes kept as they are, copied whole; each other byte escaped.
    while !rest.is_empty() {
        let run = rest
            .iter()
            .position(|&b| !FORM_KEEPS[usize::from(b)])
            .unwrap_or(rest.len());
        out.extend_from_slice(&rest[..run]);
        let Some((&b, tail)) = rest[run..].split_first() else {
            break;
        };
        if b == b' ' {
            out.push(b'+');
        } else {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]]);
        }
        rest = tail;
    }
}

/// The bytes `application/x-www-form-urlencoded` keeps as they are: ASCII
/// letters, digits and `*-._`.
const FORM_KEEPS: [bool; 256] = {
    let mut keeps = [false; 256];
    let mut b = 0;
    while b < 256 {
        // 0-9, A-Z, a-z, `*`, `-`, `.`, `_`
        keeps[b] = matches!(b, 0x30..=0x39 | 0x41..=0x5a | 0x61..=0x7a | 0x2a | 0x2d | 0x2e | 0x5f);
        b += 1;
    }
    keeps
};

/// Whether `url` is on the same origin (scheme, host, port) as `base`.
pub(crate) fn same_origin(base: &Url, url: &Url) -> bool {
    base.scheme() == url.scheme()
        && base.host() == url.host()
        && base.port_or_known_default() == url.port_or_known_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn normalises_trailing_slashes() {
        for input in [
            "https://x.example/api",
            "https://x.example/api/",
            "https://x.example/api//",
            " https://x.example/api ",
        ] {
            assert_eq!(
                validate_base_url(input).unwrap().as_str(),
                "https://x.example/api/",
                "{input}"
            );
        }
        assert_eq!(
            validate_base_url("https://x.example").unwrap().as_str(),
            "https://x.example/"
        );
    }

    #[test]
    fn http_only_for_loopback() {
        assert!(validate_base_url("http://127.0.0.1:1234/api").is_ok());
        assert!(validate_base_url("http://127.9.9.9/").is_ok());
        assert!(validate_base_url("http://[::1]:80/").is_ok());
        assert!(validate_base_url("http://LOCALHOST/").is_ok());
        for bad in [
            "http://example.com/",
            "http://10.0.0.1/",
            "http://localhost.evil.com/",
            "ftp://example.com/",
            "file:///etc/passwd",
            "mailto:a@b.c",
        ] {
            let e = validate_base_url(bad).unwrap_err();
            assert!(e.is_config(), "{bad}: {e}");
        }
    }

    #[test]
    fn rejects_userinfo_query_fragment_without_echoing() {
        let e = validate_base_url("https://bob:hunter2@x.example/").unwrap_err();
        assert!(e.is_config());
        assert!(!e.to_string().contains("hunter2"));
        assert!(!format!("{e:?}").contains("hunter2"));
        assert!(validate_base_url("https://bob@x.example/").is_err());
        assert!(validate_base_url("https://x.example/api?tenant=a").is_err());
        assert!(validate_base_url("https://x.example/api?").is_err());
        assert!(validate_base_url("https://x.example/api#top").is_err());
        assert!(validate_base_url("not a url").is_err());
        assert!(validate_base_url("").is_err());
    }

    #[test]
    fn a_path_clean_at_a_glance_passes_every_check() {
        // Every path of up to four characters from an alphabet of the
        // characters the checks look at.
        let alphabet = [
            'a', '2', 'e', '/', '.', '%', ':', '?', '#', '\\', ' ', 'é', '\u{7f}', '\u{85}',
        ];
        let mut paths = vec![String::new()];
        let mut all = vec![String::new()];
        for _ in 0..4 {
            paths = paths
                .iter()
                .flat_map(|p| alphabet.iter().map(move |c| format!("{p}{c}")))
                .collect();
            all.extend(paths.iter().cloned());
        }
        let mut clean = 0;
        for p in &all {
            if is_clean_path(p) {
                clean += 1;
                assert!(check_each(p).is_ok(), "{p:?}: {:?}", check_each(p));
            }
            assert_eq!(
                check_relative_path(&format!("/{p}")).is_ok(),
                check_each(p).is_ok(),
                "{p:?}"
            );
        }
        assert!(clean > 1_000, "the fast path is taken: {clean}");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(check_relative_path("Tickets").unwrap(), "Tickets");
        assert_eq!(check_relative_path("/Tickets/12").unwrap(), "Tickets/12");
        assert_eq!(check_relative_path("").unwrap(), "");
        // Only `.` and `..` (and their escapes) are dot segments.
        for fine in ["a/.../x", "a/.x/y", "a/%2e%2e%2e", "v1.0/x", "a/b:c"] {
            assert_eq!(check_relative_path(fine).unwrap(), fine);
        }
        assert_eq!(
            check_relative_path("service/tickets/1/notes").unwrap(),
            "service/tickets/1/notes"
        );
        for bad in [
            "https://evil.example/x",
            "//evil.example/x",
            "a//b",
            "../x",
            "a/../../x",
            "a/%2e%2E/x",
            "a/%2E/x",
            "a/.%2E/x",
            "a/%2e./x",
            "a/..",
            "./x",
            "a\\b",
            "a?b=1",
            "a#b",
            "a\nb",
            "javascript:alert(1)",
            "a\u{7f}",
        ] {
            let e = check_relative_path(bad).unwrap_err();
            assert!(e.is_invalid_input(), "{bad:?}");
        }
    }

    #[test]
    fn origins() {
        let base = Url::parse("https://x.example/api/").unwrap();
        assert!(same_origin(
            &base,
            &Url::parse("https://x.example:443/other").unwrap()
        ));
        assert!(!same_origin(
            &base,
            &Url::parse("http://x.example/api/").unwrap()
        ));
        assert!(!same_origin(
            &base,
            &Url::parse("https://x.example:8443/api/").unwrap()
        ));
        assert!(!same_origin(
            &base,
            &Url::parse("https://y.example/api/").unwrap()
        ));
    }
}
