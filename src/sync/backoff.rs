//! Exponential backoff with jitter, capped; "upload now" resets it.

use std::time::Duration;

/// Default first delay after a failure.
pub const DEFAULT_FIRST: Duration = Duration::from_secs(2);
/// Longest wait between two attempts.
pub const DEFAULT_CAP: Duration = Duration::from_secs(5 * 60);

/// Delays between failed attempts: `first · 2^(n-1)` after the n-th failure in a
/// row, capped at `cap`, each drawn at random from its upper half ("equal jitter")
/// so kiosks that lost the base together do not come back together.
#[derive(Debug, Clone)]
pub struct Backoff {
    first: Duration,
    cap: Duration,
    failures: u32,
}

impl Backoff {
    pub fn new(first: Duration, cap: Duration) -> Backoff {
        Backoff {
            first,
            cap: cap.max(first),
            failures: 0,
        }
    }

    /// Failures in a row since the last success or reset.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Forgets the failures (a success, or "upload now").
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// The delay before the next attempt after one more failure. `unit` is a
    /// random number in [0, 1) (the jitter); the caller draws it so this stays pure.
    pub fn next_delay(&mut self, unit: f64) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let ceiling = self.ceiling();
        let unit = unit.clamp(0.0, 1.0);
        ceiling / 2 + ceiling.mul_f64(unit / 2.0)
    }

    /// The longest delay the current failure count allows.
    fn ceiling(&self) -> Duration {
        let doublings = self.failures.saturating_sub(1).min(30);
        self.first
            .checked_mul(1u32 << doublings)
            .unwrap_or(self.cap)
            .min(self.cap)
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new(DEFAULT_FIRST, DEFAULT_CAP)
    }
}

/// A random number in [0, 1) for the jitter (0.5 if the OS gives none).
pub fn jitter_unit() -> f64 {
    getrandom::u32().map_or(0.5, |n| f64::from(n) / (f64::from(u32::MAX) + 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_after_each_failure_until_the_cap() {
        let mut b = Backoff::new(Duration::from_secs(2), Duration::from_secs(300));
        let tops: Vec<u64> = (0..12).map(|_| b.next_delay(0.999_999).as_secs()).collect();
        assert_eq!(tops, [1, 3, 7, 15, 31, 63, 127, 255, 299, 299, 299, 299]);
        assert!((0..100).all(|_| b.next_delay(0.999_999) <= DEFAULT_CAP));
    }

    #[test]
    fn jitter_stays_in_the_upper_half_of_the_window() {
        let mut low = Backoff::new(Duration::from_secs(8), DEFAULT_CAP);
        let mut high = low.clone();
        assert_eq!(low.next_delay(0.0), Duration::from_secs(4));
        assert_eq!(high.next_delay(0.5), Duration::from_secs(6));
        let unit = jitter_unit();
        assert!((0.0..1.0).contains(&unit));
    }

    #[test]
    fn upload_now_resets_the_delay_to_the_first_step() {
        let mut b = Backoff::new(Duration::from_secs(2), DEFAULT_CAP);
        for _ in 0..10 {
            b.next_delay(0.0);
        }
        assert_eq!(b.failures(), 10);
        b.reset();
        assert_eq!(b.next_delay(0.0), Duration::from_secs(1));
    }

    #[test]
    fn a_huge_failure_count_does_not_overflow() {
        let mut b = Backoff::new(Duration::from_secs(2), DEFAULT_CAP);
        b.failures = u32::MAX - 1;
        assert_eq!(b.next_delay(0.0), DEFAULT_CAP / 2);
    }
}
