//! Peak resident memory of this process, from Linux's `/proc/self/status`
//! (`VmHWM`, the resident high-water mark), resettable by writing `5` to
//! `/proc/self/clear_refs` (Linux ≥ 4.0).
//!
//! The workspace forbids `unsafe`, so a counting global allocator is not an
//! option; the resident high-water mark is the safe measure. It is coarser
//! (whole pages, and the allocator may keep freed memory), which is why the
//! paging bench compares the *growth* of the peak for two record counts: a
//! stream that held every record would grow ~10× between 10,000 and 100,000
//! records; one bounded by a page does not grow.

use std::io;

/// Resident memory now and its high-water mark, in KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resident {
    /// `VmRSS`.
    pub now_kib: u64,
    /// `VmHWM`.
    pub peak_kib: u64,
}

/// Reads `VmRSS` and `VmHWM`.
///
/// # Errors
/// On a system without `/proc/self/status` or without those lines.
pub fn resident() -> io::Result<Resident> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .ok_or_else(|| io::Error::other(format!("no {name} in /proc/self/status")))
    };
    Ok(Resident {
        now_kib: field("VmRSS:")?,
        peak_kib: field("VmHWM:")?,
    })
}

/// Resets the high-water mark to the current resident size.
///
/// # Errors
/// When `/proc/self/clear_refs` cannot be written (not Linux, or a kernel
/// older than 4.0).
pub fn reset_peak() -> io::Result<()> {
    std::fs::write("/proc/self/clear_refs", "5")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_resets_on_linux() {
        let Ok(r) = resident() else {
            return; // not Linux
        };
        assert!(r.peak_kib >= r.now_kib);
        if reset_peak().is_ok() {
            let after = resident().unwrap_or(r);
            assert!(after.peak_kib <= r.peak_kib.max(after.now_kib));
        }
    }
}
