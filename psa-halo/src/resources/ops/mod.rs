//! The operation structs every resource handle returns: [`List`], [`Get`],
//! [`Create`], [`Update`], [`Delete`], and [`RawOp`] for any other
//! endpoint.
//!
//! Each is `#[must_use]` and does nothing until sent. Each builds its
//! request without IO in one method, `request()`, which returns the
//! [`ApiRequest`] `send()` will send (for a listing: its first page), so a
//! test can assert the method, path, query, body and idempotency; invalid
//! input is an `InvalidInput` error from `request()`, before any IO. Each
//! takes per-call overrides of its timeouts, retries and idempotency through
//! [`Customize`](psa_core::http::Customize), applied inside `request()`:
//!
//! ```
//! use std::time::Duration;
//! use psa_core::http::Customize;
//! # let client = psa_halo::Client::builder()
//! #     .base_url("https://acme.halopsa.com").client_id("id")
//! #     .client_secret("s".into()).build()?;
//! let get = client
//!     .tickets()
//!     .get(1001)
//!     .customize(|o| o.deadline(Duration::from_secs(2)).no_retry());
//! let req = get.request()?;
//! assert_eq!(req.deadline_override(), Some(Duration::from_secs(2)));
//! assert_eq!(req.retry_policy_override().map(|p| p.max_attempts()), Some(1));
//! # Ok::<(), psa_core::Error>(())
//! ```

mod get;
mod list;
mod raw;
mod write;

pub use get::{Delete, Get};
pub use list::{List, MAX_PAGE_SIZE};
pub use raw::RawOp;
pub use write::{Create, Update};

use http::Method;
use psa_core::Result;
use psa_core::http::{ApiRequest, RequestOptions};

use crate::query::Params;

/// One request to one path, with its query, body and per-call options:
/// what [`Get`], [`Delete`] and [`RawOp`] send.
#[derive(Debug)]
pub(crate) struct Call {
    method: Method,
    path: String,
    pub(crate) params: Params,
    body: Option<serde_json::Value>,
    pub(crate) options: RequestOptions,
}

impl Call {
    /// A request for `path`, or one that fails with the path's error (an
    /// invalid id) when it is built.
    pub(crate) fn new(method: Method, path: Result<String>) -> Self {
        let mut params = Params::default();
        let path = path.unwrap_or_else(|e| {
            params.fail(e);
            String::new()
        });
        Call {
            method,
            path,
            params,
            body: None,
            options: RequestOptions::default(),
        }
    }

    /// The same request with a JSON body.
    pub(crate) fn with_body(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The request, idempotent by its method's rule (GET and DELETE yes,
    /// POST no: Halo's POST creates or updates), then the per-call options.
    pub(crate) fn request(&self) -> Result<ApiRequest> {
        let mut req = self
            .params
            .apply(ApiRequest::new(self.method.clone(), self.path.clone()))?;
        if let Some(body) = &self.body {
            req = req.json(body)?;
        }
        Ok(self.options.apply(req))
    }
}

/// Implements [`Customize`](psa_core::http::Customize) for operations, by
/// the field holding their options.
macro_rules! customize {
    ($({$($g:tt)*} $ty:ty => $($field:ident).+;)*) => {$(
        impl<$($g)*> psa_core::http::Customize for $ty {
            fn options_mut(&mut self) -> &mut psa_core::http::RequestOptions {
                &mut self.$($field).+
            }
        }
    )*};
}

customize! {
    {T} List<'_, T> => options;
    {T} Get<'_, T> => call.options;
    {} Delete<'_> => call.options;
    {} RawOp<'_> => call.options;
    {T} Create<'_, T> => post.options;
    {T} Update<'_, T> => post.options;
}
