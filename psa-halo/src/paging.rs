//! Halo's paging: `pageinate=true&page_size=N&page_no=K`.
//!
//! Halo caps a page at 100 records whatever `page_size` asks
//! (homotechsual/HaloAPI#90: a client that computed the page count from the
//! size it asked for silently stopped after the first 100 records). The
//! next page is therefore decided from the records actually returned and
//! from `record_count`, never from the requested size:
//!
//! - an empty page ends the listing;
//! - with `record_count`, the listing ends once that many records were seen;
//! - without it, the listing goes on until an empty page.
//!
//! The streams are psa-core's ([`psa_core::paging`]): lazy, one page in
//! memory at a time, stopping if a page number would repeat.
//! [`List::pages`](crate::resources::List::pages) yields the pages,
//! [`List::stream`](crate::resources::List::stream) the records.

/// Halo's largest page: `page_size` above 100 is served as 100.
pub const MAX_PAGE_SIZE: u32 = 100;
