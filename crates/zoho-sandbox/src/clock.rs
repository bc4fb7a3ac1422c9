//! The sandbox's clock: real time plus an offset that tests (and the practice console)
//! can move forward, so that code expiry, access-token expiry and the refresh rate
//! limit are exercised without anyone waiting for real minutes to pass.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Real time shifted by an offset that only grows.
#[derive(Debug, Default)]
pub(crate) struct SandboxClock {
    offset: Mutex<Duration>,
}

impl SandboxClock {
    /// Moves the clock forward by `by`.
    pub(crate) fn advance(&self, by: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(PoisonError::into_inner);
        *offset = offset.saturating_add(by);
    }

    /// How far the clock has been moved forward in all.
    pub(crate) fn offset(&self) -> Duration {
        *self.offset.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current instant on the sandbox clock; every expiry is measured with it.
    pub(crate) fn now(&self) -> Instant {
        let now = Instant::now();
        now.checked_add(self.offset()).unwrap_or(now)
    }

    /// Seconds since the Unix epoch on the sandbox clock, for showing times to people.
    pub(crate) fn unix_seconds(&self) -> u64 {
        let now = SystemTime::now();
        now.checked_add(self.offset())
            .unwrap_or(now)
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }
}

/// `HH:MM:SS` (UTC) of a Unix time, for the console's "valid until" line.
pub(crate) fn utc_time_of_day(unix_seconds: u64) -> String {
    let secs = unix_seconds % 86_400;
    format!(
        "{:02}:{:02}:{:02} UTC",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_by_at_least_the_offset() {
        let clock = SandboxClock::default();
        let before = clock.now();
        clock.advance(Duration::from_secs(90));
        clock.advance(Duration::from_secs(30));
        assert_eq!(clock.offset(), Duration::from_secs(120));
        assert!(clock.now().duration_since(before) >= Duration::from_secs(120));
    }

    #[test]
    fn time_of_day_is_formatted_in_utc() {
        assert_eq!(utc_time_of_day(0), "00:00:00 UTC");
        assert_eq!(utc_time_of_day(86_400 + 3_723), "01:02:03 UTC");
    }
}
