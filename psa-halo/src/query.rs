//! Halo's query parameters: the filters of a listing (`open_only=true`,
//! `client_id=12`, `search=…`) and the options of a read, as an operation
//! collects them before it builds its request.
//!
//! Halo has no query language: every filter is one URL query parameter,
//! URL-encoded when sent, so caller text can never add a parameter. Caller
//! text bound for a `search` parameter is still checked ([`search_text`]):
//! not blank, no control characters, at most [`MAX_SEARCH_LEN`]
//! characters. Ids are checked to be positive and dates are sent in UTC
//! with a `Z`, so that Halo never applies the API agent's time zone.
//!
//! Invalid input does not fail the builder chain: the first error is kept
//! and returned by the operation's `request()` (and so by `send()`), before
//! any request is made.

use chrono::{DateTime, Utc};
use psa_core::http::ApiRequest;
use psa_core::{Error, Result, Timestamp};
use std::borrow::Cow;
use std::fmt;

/// The longest free-text search the SDK sends.
pub const MAX_SEARCH_LEN: usize = 255;

/// Checks free text bound for Halo's `search` parameters: not blank, no
/// control characters, at most [`MAX_SEARCH_LEN`] characters. Returns it
/// trimmed; `what` names it in the `InvalidInput` error.
pub(crate) fn search_text(what: &str, text: &str) -> Result<String> {
    // psa-core's rules first (nothing visible, control characters), then
    // Halo's own length.
    psa_core::input::search_text(what, text)?;
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::invalid_input(format!("{what} is empty")));
    }
    if t.chars().any(char::is_control) {
        return Err(Error::invalid_input(format!(
            "{what} contains control characters"
        )));
    }
    let n = t.chars().count();
    if n > MAX_SEARCH_LEN {
        return Err(Error::invalid_input(format!(
            "{what} is {n} characters long; the limit is {MAX_SEARCH_LEN}"
        )));
    }
    Ok(t.to_owned())
}

/// The query parameters of a request being built, in order, and the first
/// invalid input given for them (or for the request's path).
#[derive(Debug, Default)]
pub(crate) struct Params {
    pairs: Vec<(Cow<'static, str>, String)>,
    error: Option<Error>,
}

impl Params {
    /// Sets `key`, replacing an earlier value (keeping its place).
    pub(crate) fn set(&mut self, key: impl Into<Cow<'static, str>>, value: impl fmt::Display) {
        let key = key.into();
        let value = value.to_string();
        match self.pairs.iter_mut().find(|(k, _)| *k == key) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((key, value)),
        }
    }

    /// Sets a free-text `search` parameter after [`search_text`]'s checks.
    pub(crate) fn search(&mut self, key: &'static str, what: &str, text: &str) {
        match search_text(what, text) {
            Ok(t) => self.set(key, t),
            Err(e) => self.fail(e),
        }
    }

    /// Sets a record id, which must be positive (`what` names it).
    pub(crate) fn id(&mut self, key: &'static str, what: &str, id: i64) {
        match psa_core::id::positive(id, what) {
            Ok(id) => self.set(key, id),
            Err(e) => self.fail(e),
        }
    }

    /// Sets a comma-separated list of record ids (`status=1,2`), each
    /// positive.
    pub(crate) fn ids(&mut self, key: &'static str, what: &str, ids: &[i64]) {
        match ids
            .iter()
            .map(|id| psa_core::id::positive(*id, what).map(|id| id.to_string()))
            .collect::<Result<Vec<_>>>()
        {
            Ok(list) => self.set(key, list.join(",")),
            Err(e) => self.fail(e),
        }
    }

    /// Sets a date-time as the SDK sends them: UTC with a `Z`.
    pub(crate) fn date(&mut self, key: &'static str, t: DateTime<Utc>) {
        self.set(key, Timestamp::from(t));
    }

    /// Keeps `e` as the request's error, unless one came first.
    pub(crate) fn fail(&mut self, e: Error) {
        self.error.get_or_insert(e);
    }

    /// The first invalid input, as an error (each call returns the same
    /// kind, message and vendor: an operation may be asked for its request
    /// more than once).
    pub(crate) fn check(&self) -> Result<()> {
        match &self.error {
            None => Ok(()),
            Some(e) => {
                let mut out = Error::new(e.kind(), e.message().to_owned());
                if let Some(v) = e.vendor() {
                    out = out.with_vendor(v);
                }
                Err(out)
            }
        }
    }

    /// `request` with these parameters set (each replacing one of the same
    /// name), or the first invalid input.
    pub(crate) fn apply(&self, mut request: ApiRequest) -> Result<ApiRequest> {
        self.check()?;
        for (k, v) in &self.pairs {
            request = request.set_query(k.clone(), v);
        }
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_replace_and_keep_their_place() {
        let mut p = Params::default();
        p.set("a", 1);
        p.set("b", "x");
        p.set("a", 2);
        p.ids("status", "halo status id", &[1, 2]);
        let req = p.apply(ApiRequest::get("Tickets")).unwrap();
        assert_eq!(req.query_string(), "a=2&b=x&status=1%2C2");
    }

    #[test]
    fn the_first_invalid_input_is_kept_and_repeated() {
        let mut p = Params::default();
        p.id("client_id", "halo client id", 0);
        p.search("search", "halo ticket search text", " ");
        for _ in 0..2 {
            let err = p.apply(ApiRequest::get("Tickets")).unwrap_err();
            assert!(err.is_invalid_input());
            assert!(err.to_string().contains("halo client id"), "{err}");
        }
        let mut p = Params::default();
        p.ids("team", "halo team id", &[3, -1]);
        assert!(p.check().unwrap_err().to_string().contains("halo team id"));
    }

    #[test]
    fn search_text_is_checked() {
        assert_eq!(search_text("s", "  printer  ").unwrap(), "printer");
        for bad in ["", "   ", "a\u{0}b", "line\nbreak"] {
            assert!(
                search_text("s", bad).unwrap_err().is_invalid_input(),
                "{bad:?}"
            );
        }
        assert!(search_text("s", &"x".repeat(MAX_SEARCH_LEN)).is_ok());
        assert!(search_text("s", &"x".repeat(MAX_SEARCH_LEN + 1)).is_err());
    }
}
