//! Ratios measured in one run: the SDK and its baseline timed in alternating
//! rounds, so that noise from other processes on a shared machine falls on
//! both sides alike.

use std::time::Duration;

/// The distribution of per-round ratios.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    /// The median round.
    pub median: f64,
    /// The first quartile.
    pub p25: f64,
    /// The third quartile.
    pub p75: f64,
    /// Rounds measured.
    pub rounds: usize,
}

impl Ratio {
    /// The summary of `samples` (unsorted); `None` when there are none or
    /// one is not a number.
    pub fn of(samples: &[f64]) -> Option<Ratio> {
        if samples.is_empty() || samples.iter().any(|s| s.is_nan()) {
            return None;
        }
        let mut s = samples.to_vec();
        s.sort_by(f64::total_cmp);
        Some(Ratio {
            median: quantile(&s, 0.5),
            p25: quantile(&s, 0.25),
            p75: quantile(&s, 0.75),
            rounds: s.len(),
        })
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.3} (IQR {:.3}–{:.3}, {} rounds)",
            self.median, self.p25, self.p75, self.rounds
        )
    }
}

#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    sorted[lo] * (1.0 - frac) + sorted[hi] * frac
}

/// `a / b` of two durations.
pub fn div(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE)
}

/// Times `rounds` rounds of `iters` calls of `sdk` and of `baseline`,
/// alternating which goes first, and returns the per-round ratios
/// `baseline time / sdk time` (a throughput ratio: 1.0 is parity, above 1.0
/// the SDK is faster).
pub fn throughput_ratios(
    rounds: usize,
    iters: usize,
    mut sdk: impl FnMut(),
    mut baseline: impl FnMut(),
) -> Vec<f64> {
    let time = |f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        for _ in 0..iters {
            f();
        }
        start.elapsed()
    };
    (0..rounds)
        .map(|r| {
            let (s, b) = if r % 2 == 0 {
                let s = time(&mut sdk);
                (s, time(&mut baseline))
            } else {
                let b = time(&mut baseline);
                (time(&mut sdk), b)
            };
            div(b, s)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarises() {
        let r = Ratio::of(&[3.0, 1.0, 2.0, 4.0, 5.0]).unwrap_or_else(|| unreachable!());
        assert!((r.median - 3.0).abs() < 1e-9);
        assert!((r.p25 - 2.0).abs() < 1e-9);
        assert!((r.p75 - 4.0).abs() < 1e-9);
        assert!(Ratio::of(&[]).is_none());
    }

    #[test]
    fn equal_work_is_near_parity() {
        let work = || {
            std::hint::black_box((0..2_000u64).sum::<u64>());
        };
        let r = Ratio::of(&throughput_ratios(5, 50, work, work)).unwrap_or_else(|| unreachable!());
        assert!(r.median > 0.2 && r.median < 5.0, "{r}");
    }
}
