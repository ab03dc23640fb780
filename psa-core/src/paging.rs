//! Pages, page tokens, and lazy streams over them.
//!
//! A vendor crate writes one closure that fetches a page given the token of
//! the previous one (`None` for the first page) and returns a [`Page`]; then
//! [`pages`] and [`items`] turn it into `futures::Stream`s that:
//! - fetch lazily: the next page only when the previous one is consumed, so
//!   memory is bounded by one page;
//! - stop when a page has no `next` token;
//! - stop (with a `tracing` warning) when a `next` token repeats one already
//!   seen — a vendor bug that would otherwise loop for ever;
//! - end with an error when a page repeats the records of an earlier page
//!   (a server that cycles through new tokens over the same records), which
//!   they see when the vendor gives each page a
//!   [fingerprint](Page::with_fingerprint_by);
//! - end with an error after [`DEFAULT_MAX_PAGES`] pages (or the cap of
//!   [`ListOptions::max_pages`]) when the server still announces another:
//!   a listing that never ends is a server bug, not a reason to run for
//!   ever;
//! - end after yielding an error.
//!
//! ```
//! use futures::{StreamExt, TryStreamExt};
//! use psa_core::paging::{self, Page, PageToken};
//!
//! # futures::executor::block_on(async {
//! // Three pages of two items, numbered 1, 2, 3.
//! let stream = paging::items(|token: Option<PageToken>| async move {
//!     let n = match token {
//!         None => 1,
//!         Some(PageToken::Number(n)) => n,
//!         Some(_) => unreachable!(),
//!     };
//!     let next = (n < 3).then(|| PageToken::Number(n + 1));
//!     Ok(Page::new(vec![n * 10, n * 10 + 1], next))
//! });
//! let all: Vec<u64> = stream.try_collect().await.unwrap();
//! assert_eq!(all, [10, 11, 20, 21, 30, 31]);
//! # });
//! ```
//!
//! # Decoding a page with a cap on its records
//!
//! A 31 MiB page of `{}` records fits the 32 MiB body limit, and decoded
//! into a `Vec` it takes hundreds of MiB (each element a heap allocation
//! and a `Vec` slot, the `Vec` doubling as it grows). A vendor asks for
//! pages of at most a few hundred records; a page with many more is a
//! misbehaving or hostile server. [`PageDecoder`] (and [`MaxRecords`], the
//! same cap as a field type of a vendor's envelope struct) decodes the
//! array *while counting*, and stops with a
//! [`Decode`](crate::ErrorKind::Decode) error at the first record past the
//! cap — before decoding it, with at most the cap's records in memory.
//!
//! # Servers that cap the page size
//!
//! HaloPSA returns at most 100 records a page whatever `page_size` asks
//! (homotechsual/HaloAPI#90: a client that trusted the requested size
//! stopped after 100 records). Never conclude "last page" from a short
//! page; compute `next` from the items actually returned and the server's
//! record count, with [`next_page_number`] or [`next_offset`], and ask for
//! a page size no larger than the server's cap so that page numbers line up.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};

use futures::stream::{self, BoxStream, StreamExt};
use http::HeaderMap;
use http::header::LINK;
use url::Url;

use crate::{Error, ErrorKind, Result, Vendor};

mod decode;

pub use decode::{MaxRecords, PageDecoder};

/// A token that fetches the next page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PageToken {
    /// A page number (HaloPSA `page_no`, ConnectWise `page`).
    Number(u64),
    /// A record offset (ServiceNow `sysparm_offset`).
    Offset(u64),
    /// A next-page URL (Autotask `nextPageUrl`, a `Link: rel="next"`).
    Url(Url),
    /// An opaque cursor (ConnectWise forward-only `pageId`).
    Cursor(String),
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The records of this page.
    pub items: Vec<T>,
    /// The token of the next page; `None` on the last page.
    pub next: Option<PageToken>,
    /// The total number of records, when the vendor says.
    pub total: Option<u64>,
    /// A hash of this page's records (their raw text or their ids), when
    /// the vendor computed one: a listing that meets the same fingerprint
    /// twice (on non-empty pages) ends with an error instead of cycling.
    pub fingerprint: Option<u64>,
}

impl<T> Page<T> {
    /// A page with its next token.
    pub fn new(items: Vec<T>, next: Option<PageToken>) -> Self {
        Page {
            items,
            next,
            total: None,
            fingerprint: None,
        }
    }

    /// Sets the page's [fingerprint](Self::fingerprint) from a key of each
    /// record: its raw JSON text (`|r: &Box<RawValue>| r.get()`) or its id.
    /// Records are hashed in order; two pages have the same fingerprint
    /// when they hold the same keys in the same order.
    ///
    /// ```
    /// use psa_core::paging::Page;
    /// let a = Page::last(vec![(1, "a"), (2, "b")]).with_fingerprint_by(|r| r.0);
    /// let b = Page::last(vec![(1, "x"), (2, "y")]).with_fingerprint_by(|r| r.0);
    /// assert_eq!(a.fingerprint, b.fingerprint); // same ids
    /// ```
    #[must_use]
    pub fn with_fingerprint_by<K: Hash>(mut self, key: impl Fn(&T) -> K) -> Self {
        let mut h = DefaultHasher::new();
        self.items.len().hash(&mut h);
        for item in &self.items {
            key(item).hash(&mut h);
        }
        self.fingerprint = Some(h.finish());
        self
    }

    /// Sets the page's fingerprint from its records themselves.
    #[must_use]
    pub fn fingerprinted(mut self) -> Self
    where
        T: Hash,
    {
        let mut h = DefaultHasher::new();
        self.items.len().hash(&mut h);
        self.items.iter().for_each(|item| item.hash(&mut h));
        self.fingerprint = Some(h.finish());
        self
    }

    /// The last page.
    pub fn last(items: Vec<T>) -> Self {
        Page::new(items, None)
    }

    /// Sets the total number of records.
    #[must_use]
    pub fn with_total(mut self, total: Option<u64>) -> Self {
        self.total = total;
        self
    }

    /// Maps the items, keeping the token, total and fingerprint.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
            total: self.total,
            fingerprint: self.fingerprint,
        }
    }
}

/// The most pages a listing fetches by default before it ends with an
/// error: ten thousand pages is ten times the largest PSA table a tenant
/// lists in one go at the vendors' page sizes (100 to 1,000 records).
pub const DEFAULT_MAX_PAGES: u64 = 10_000;

/// How a listing guards against a server that never ends it.
///
/// ```
/// use futures::StreamExt;
/// use psa_core::paging::{self, ListOptions, Page, PageToken};
/// # futures::executor::block_on(async {
/// // A server that always announces another page.
/// let endless = |t: Option<PageToken>| async move {
///     let n = match t { Some(PageToken::Number(n)) => n, _ => 1 };
///     Ok(Page::new(vec![n], Some(PageToken::Number(n + 1))))
/// };
/// let options = ListOptions::new().max_pages(3).name("tickets");
/// let all: Vec<_> = paging::items_with(options, endless).collect().await;
/// assert_eq!(all.len(), 4); // three pages of one, then the error
/// let err = all[3].as_ref().unwrap_err();
/// assert!(err.to_string().contains("tickets listing still had a next page after 3 pages"), "{err}");
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct ListOptions {
    max_pages: u64,
    name: &'static str,
    vendor: Option<Vendor>,
}

impl Default for ListOptions {
    fn default() -> Self {
        ListOptions {
            max_pages: DEFAULT_MAX_PAGES,
            name: "",
            vendor: None,
        }
    }
}

impl ListOptions {
    /// The defaults: at most [`DEFAULT_MAX_PAGES`] pages.
    pub fn new() -> Self {
        ListOptions::default()
    }

    /// Sets the most pages fetched (at least 1). A listing whose server
    /// still announces another page after them ends with an error.
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// Names the listing in errors (`"tickets"`).
    pub fn name(mut self, name: &'static str) -> Self {
        self.name = name;
        self
    }

    /// Sets the vendor its errors name.
    pub fn vendor(mut self, vendor: Vendor) -> Self {
        self.vendor = Some(vendor);
        self
    }

    /// The most pages fetched.
    pub fn page_cap(&self) -> u64 {
        self.max_pages
    }

    fn error(&self, message: String) -> Error {
        let e = Error::new(ErrorKind::Api, message);
        match self.vendor {
            Some(v) => e.with_vendor(v),
            None => e,
        }
    }

    fn listing(&self) -> String {
        if self.name.is_empty() {
            "the listing".to_owned()
        } else {
            format!("the {} listing", self.name)
        }
    }
}

struct State<F> {
    fetch: F,
    options: ListOptions,
    /// The token of the next fetch.
    next: Option<PageToken>,
    done: bool,
    seen: HashSet<PageToken>,
    /// Pages fetched so far.
    fetched: u64,
    /// The fingerprint of each non-empty page, and its number (from 1).
    fingerprints: HashMap<u64, u64>,
}

/// A lazy stream of pages from `fetch`, starting at the first page.
pub fn pages<'a, T, F, Fut>(fetch: F) -> BoxStream<'a, Result<Page<T>>>
where
    F: FnMut(Option<PageToken>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>>> + Send + 'a,
    T: Send + 'a,
{
    pages_with(ListOptions::default(), None, fetch)
}

/// A lazy stream of pages from `fetch`, starting at `start` (resume a
/// listing from a saved token; `None` is the first page).
pub fn pages_from<'a, T, F, Fut>(
    start: Option<PageToken>,
    fetch: F,
) -> BoxStream<'a, Result<Page<T>>>
where
    F: FnMut(Option<PageToken>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>>> + Send + 'a,
    T: Send + 'a,
{
    pages_with(ListOptions::default(), start, fetch)
}

/// A lazy stream of pages from `fetch` with `options`, starting at `start`
/// (`None` is the first page).
pub fn pages_with<'a, T, F, Fut>(
    options: ListOptions,
    start: Option<PageToken>,
    fetch: F,
) -> BoxStream<'a, Result<Page<T>>>
where
    F: FnMut(Option<PageToken>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>>> + Send + 'a,
    T: Send + 'a,
{
    let mut seen = HashSet::new();
    if let Some(t) = &start {
        seen.insert(t.clone());
    }
    let state = State {
        fetch,
        options,
        next: start,
        done: false,
        seen,
        fetched: 0,
        fingerprints: HashMap::new(),
    };
    stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        state.done = true;
        if state.fetched >= state.options.max_pages {
            let e = state.options.error(format!(
                "{} still had a next page after {} pages: the server never ended it (a larger \
                 listing needs a higher ListOptions::max_pages)",
                state.options.listing(),
                state.fetched
            ));
            return Some((Err(e), state));
        }
        let token = state.next.take();
        state.fetched += 1;
        match (state.fetch)(token).await {
            Ok(mut page) => {
                if let Some(fp) = page.fingerprint.filter(|_| !page.items.is_empty()) {
                    if let Some(first) = state.fingerprints.insert(fp, state.fetched) {
                        let e = state.options.error(format!(
                            "{}: page {} repeats the records of page {first}: the server cycles \
                             through the same records; ending the listing",
                            state.options.listing(),
                            state.fetched
                        ));
                        return Some((Err(e), state));
                    }
                }
                if let Some(next) = page.next.take() {
                    if state.seen.insert(next.clone()) {
                        state.next = Some(next.clone());
                        state.done = false;
                    } else {
                        tracing::warn!(
                            token = token_kind(&next),
                            "the vendor returned a next-page token already seen; stopping the listing"
                        );
                    }
                    page.next = Some(next);
                }
                Some((Ok(page), state))
            }
            Err(e) => Some((Err(e), state)),
        }
    })
    .boxed()
}

/// A lazy stream of the items of every page from `fetch` (memory bounded by
/// one page). An error is yielded once and ends the stream.
pub fn items<'a, T, F, Fut>(fetch: F) -> BoxStream<'a, Result<T>>
where
    F: FnMut(Option<PageToken>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>>> + Send + 'a,
    T: Send + 'a,
{
    items_with(ListOptions::default(), fetch)
}

/// [`items`] with `options`: a page cap and a name for errors.
pub fn items_with<'a, T, F, Fut>(options: ListOptions, fetch: F) -> BoxStream<'a, Result<T>>
where
    F: FnMut(Option<PageToken>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>>> + Send + 'a,
    T: Send + 'a,
{
    pages_with(options, None, fetch)
        .flat_map(|page| match page {
            Ok(page) => stream::iter(page.items.into_iter().map(Ok)).left_stream(),
            Err(e) => stream::once(async move { Err(e) }).right_stream(),
        })
        .boxed()
}

fn token_kind(token: &PageToken) -> &'static str {
    match token {
        PageToken::Number(_) => "number",
        PageToken::Offset(_) => "offset",
        PageToken::Url(_) => "url",
        PageToken::Cursor(_) => "cursor",
    }
}

/// The next page number of a numbered listing, from what the server
/// actually returned.
///
/// `page_no` is the page just fetched, `returned` the items it held, `seen`
/// the items of all pages so far (this one included) and `total` the
/// server's record count when it sends one (HaloPSA `record_count`).
/// The listing ends on an empty page or once `seen` reaches `total` — never
/// because a page was shorter than the size asked for.
///
/// ```
/// use psa_core::paging::{next_page_number, PageToken};
///
/// // HaloPSA capped the page at 100 though 500 were asked: go on.
/// assert_eq!(next_page_number(1, 100, 100, Some(250)), Some(PageToken::Number(2)));
/// assert_eq!(next_page_number(3, 50, 250, Some(250)), None);
/// assert_eq!(next_page_number(4, 0, 250, None), None);
/// ```
pub fn next_page_number(
    page_no: u64,
    returned: usize,
    seen: u64,
    total: Option<u64>,
) -> Option<PageToken> {
    if returned == 0 || total.is_some_and(|t| seen >= t) {
        return None;
    }
    Some(PageToken::Number(page_no.checked_add(1)?))
}

/// The next offset of an offset listing.
///
/// `offset` is where the page just fetched started, `step` how far to
/// advance (the items returned for servers that cap pages; the limit asked
/// for on ServiceNow, whose `sysparm_limit` applies before ACLs so that a
/// page may come back short without being the last), `returned` the items
/// it held and `total` the server's count when known. Without a total, an
/// empty page ends the listing.
///
/// ```
/// use psa_core::paging::{next_offset, PageToken};
///
/// assert_eq!(next_offset(0, 100, 100, Some(150)), Some(PageToken::Offset(100)));
/// assert_eq!(next_offset(100, 100, 50, Some(150)), None);
/// // ServiceNow: a short page (ACLs) is not the end while the total says more.
/// assert_eq!(next_offset(0, 100, 7, Some(500)), Some(PageToken::Offset(100)));
/// ```
pub fn next_offset(
    offset: u64,
    step: u64,
    returned: usize,
    total: Option<u64>,
) -> Option<PageToken> {
    let next = offset.checked_add(step)?;
    match total {
        Some(t) if next >= t => None,
        Some(_) if step > 0 => Some(PageToken::Offset(next)),
        None if returned > 0 && step > 0 => Some(PageToken::Offset(next)),
        _ => None,
    }
}

/// The URL of the `rel="next"` link in the `Link` headers (RFC 8288), as
/// sent by ConnectWise and ServiceNow. Robust to odd spacing, quoting,
/// several links per header and several headers; never panics. Check the
/// URL's origin before following it ([`ApiRequest::absolute`](crate::http::ApiRequest::absolute)
/// does).
///
/// ```
/// use http::{HeaderMap, HeaderValue};
/// use psa_core::paging::parse_link_next;
///
/// let mut h = HeaderMap::new();
/// h.insert("link", HeaderValue::from_static(
///     r#"<https://x/api?page=1>; rel="first", <https://x/api?page=3>;rel=next"#));
/// assert_eq!(parse_link_next(&h).as_deref(), Some("https://x/api?page=3"));
/// ```
pub fn parse_link_next(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(find_next)
}

fn find_next(header: &str) -> Option<String> {
    let mut rest = header;
    loop {
        let open = rest.find('<')?;
        let after = &rest[open + 1..];
        let close = after.find('>')?;
        let target = after[..close].trim();
        let (params, remaining) = split_params(&after[close + 1..]);
        if params_have_next(params) && !target.is_empty() {
            return Some(target.to_owned());
        }
        rest = remaining;
    }
}

/// Splits the parameters of one link from the links after it, at the first
/// comma outside a quoted string.
fn split_params(s: &str) -> (&str, &str) {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => return (&s[..i], &s[i + 1..]),
            _ => {}
        }
    }
    (s, "")
}

/// Splits `s` at `sep` outside quoted strings.
fn split_unquoted(s: &str, sep: char) -> impl Iterator<Item = &str> {
    let mut quoted = false;
    let mut escaped = false;
    let mut start = 0;
    let mut parts = Vec::new();
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                parts.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts.into_iter()
}

fn params_have_next(params: &str) -> bool {
    split_unquoted(params, ';').any(|param| {
        let Some((name, value)) = param.split_once('=') else {
            return false;
        };
        if !name.trim().eq_ignore_ascii_case("rel") {
            return false;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        value
            .split_ascii_whitespace()
            .any(|rel| rel.eq_ignore_ascii_case("next"))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::needless_raw_string_hashes)]
    use super::*;
    use http::HeaderValue;

    fn link(values: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(LINK, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn link_next_variants() {
        let cases: &[(&[&'static str], Option<&str>)] = &[
            (
                &[r#"<https://a/x?page=2>; rel="next""#],
                Some("https://a/x?page=2"),
            ),
            (
                &[
                    r#"<https://a/x?p=1>;rel="prev",<https://a/x?p=3>;rel="next",<https://a/x?p=9>;rel="last""#,
                ],
                Some("https://a/x?p=3"),
            ),
            (
                &[r#"  < https://a/x?p=3 >  ;  REL = "NEXT"  "#],
                Some("https://a/x?p=3"),
            ),
            (
                &[r#"<https://a/x>; title="a, b; rel=next", <https://a/y>; rel="next""#],
                Some("https://a/y"),
            ),
            (&[r#"<https://a/x>; rel="last next""#], Some("https://a/x")),
            (&[r#"<https://a/x>; rel=next"#], Some("https://a/x")),
            (&[r#"<https://a/x>; rel='next'"#], Some("https://a/x")),
            (
                &[r#"<https://a/x?a=1,2>; rel="next""#],
                Some("https://a/x?a=1,2"),
            ),
            (
                &[
                    r#"<https://a/first>; rel="first""#,
                    r#"<https://a/next>; rel="next""#,
                ],
                Some("https://a/next"),
            ),
            (&[r#"<https://a/x>; rel="nextish""#], None),
            (&[r#"<https://a/x>; rel="prev""#], None),
            (&[r#"<>; rel="next""#], None),
            (&[r#"<https://a/x; rel="next""#], None),
            (&[r#"garbage"#], None),
            (&[r#""#], None),
            (&[r#"<<<>>>;;;==,,,"""#], None),
            (&[r#"rel="next""#], None),
        ];
        for (values, want) in cases {
            assert_eq!(
                parse_link_next(&link(values)).as_deref(),
                *want,
                "{values:?}"
            );
        }
        assert_eq!(parse_link_next(&HeaderMap::new()), None);
        let mut h = HeaderMap::new();
        h.insert(
            LINK,
            HeaderValue::from_bytes(b"<https://a/\xff>; rel=next").unwrap(),
        );
        assert_eq!(parse_link_next(&h), None);
    }

    #[test]
    fn link_parser_never_panics_on_fragments() {
        let s = r#"<https://a/x?p=3>; rel="next", <https://a/é>; rel="l\"ast""#;
        for i in 0..=s.len() {
            for j in i..=s.len() {
                if let (true, true) = (s.is_char_boundary(i), s.is_char_boundary(j)) {
                    let _ = find_next(&s[i..j]);
                }
            }
        }
    }

    #[test]
    fn count_helpers() {
        assert_eq!(
            next_page_number(1, 100, 100, None),
            Some(PageToken::Number(2))
        );
        assert_eq!(next_page_number(2, 100, 200, Some(200)), None);
        assert_eq!(next_page_number(u64::MAX, 1, 1, None), None);
        assert_eq!(next_offset(0, 0, 5, None), None);
        assert_eq!(next_offset(0, 5, 0, None), None);
        assert_eq!(next_offset(5, 5, 5, None), Some(PageToken::Offset(10)));
        assert_eq!(next_offset(u64::MAX, 1, 1, None), None);
    }

    #[test]
    fn page_helpers() {
        let p = Page::new(vec![1, 2], Some(PageToken::Cursor("c".into()))).with_total(Some(9));
        let q = p.map(|x| x * 2);
        assert_eq!(q.items, [2, 4]);
        assert_eq!(q.total, Some(9));
        assert!(Page::<u8>::last(vec![]).next.is_none());
    }
}
