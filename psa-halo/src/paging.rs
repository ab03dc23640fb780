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

/// Halo's largest page.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Where a listing is: the next page to ask for and the records seen so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cursor {
    /// The page to request next (1-based).
    pub(crate) page_no: u64,
    /// Records received so far.
    pub(crate) seen: u64,
}

impl Cursor {
    pub(crate) fn first(page_no: u64) -> Cursor {
        Cursor {
            page_no: page_no.max(1),
            seen: 0,
        }
    }

    /// The cursor after a page of `returned` records with Halo's
    /// `record_count`, or `None` when the listing is complete.
    pub(crate) fn after(self, returned: usize, record_count: Option<u64>) -> Option<Cursor> {
        let returned = u64::try_from(returned).unwrap_or(u64::MAX);
        if returned == 0 {
            return None;
        }
        let seen = self.seen.saturating_add(returned);
        if record_count.is_some_and(|total| seen >= total) {
            return None;
        }
        Some(Cursor {
            page_no: self.page_no + 1,
            seen,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_what_was_returned_not_what_was_asked() {
        // Asked for 100 a page; 250 records → 100, 100, 50.
        let c = Cursor::first(1);
        let c = c.after(100, Some(250)).unwrap();
        assert_eq!(c, Cursor { page_no: 2, seen: 100 });
        let c = c.after(100, Some(250)).unwrap();
        assert_eq!(c.after(50, Some(250)), None);
    }

    #[test]
    fn a_capped_page_does_not_end_the_listing() {
        // The server returned fewer than asked (its cap) but more remain.
        let c = Cursor::first(1).after(40, Some(100)).unwrap();
        assert_eq!(c.page_no, 2);
        assert_eq!(c.seen, 40);
    }

    #[test]
    fn empty_page_ends_and_unknown_totals_go_on() {
        assert_eq!(Cursor::first(1).after(0, Some(10)), None);
        assert_eq!(Cursor::first(3).after(0, None), None);
        assert_eq!(Cursor::first(1).after(7, None).map(|c| c.page_no), Some(2));
    }
}
