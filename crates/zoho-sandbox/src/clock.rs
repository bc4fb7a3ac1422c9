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
        self.timeline().unix_ms / 1000
    }

    /// The sandbox clock's now, both as the instant every expiry is measured with and as
    /// wall-clock time, read with one offset so that the two agree.
    pub(crate) fn timeline(&self) -> Timeline {
        let offset = self.offset();
        let (instant, wall) = (Instant::now(), SystemTime::now());
        let unix_ms = wall
            .checked_add(offset)
            .unwrap_or(wall)
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        Timeline {
            now: instant.checked_add(offset).unwrap_or(instant),
            unix_ms,
        }
    }
}

/// One moment of the sandbox clock seen two ways, to turn the instants the records keep
/// into wall-clock milliseconds a later run can read, and back.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeline {
    pub(crate) now: Instant,
    /// Milliseconds since the Unix epoch at `now`.
    pub(crate) unix_ms: u64,
}

impl Timeline {
    /// `at` in milliseconds since the Unix epoch.
    pub(crate) fn unix_ms_of(&self, at: Instant) -> u64 {
        if at >= self.now {
            self.unix_ms.saturating_add(millis(at - self.now))
        } else {
            self.unix_ms.saturating_sub(millis(self.now - at))
        }
    }

    /// An event's wall-clock time as an instant, if it happened less than `horizon` ago.
    /// A time after now (recorded while the clock was moved forward) is taken as now.
    pub(crate) fn event_at(&self, unix_ms: u64, horizon: Duration) -> Option<Instant> {
        let ago = Duration::from_millis(self.unix_ms.saturating_sub(unix_ms));
        if ago >= horizon {
            return None;
        }
        self.now.checked_sub(ago)
    }

    /// A deadline's wall-clock time as an instant, if it is still ahead; never further
    /// ahead than `longest`, the full length of whatever it ends.
    pub(crate) fn deadline_at(&self, unix_ms: u64, longest: Duration) -> Option<Instant> {
        let ahead = Duration::from_millis(unix_ms.saturating_sub(self.unix_ms));
        if ahead.is_zero() {
            return None;
        }
        self.now.checked_add(ahead.min(longest))
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
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
    fn instants_and_wall_clock_times_map_both_ways() {
        let clock = SandboxClock::default();
        let line = clock.timeline();
        let minute = Duration::from_secs(60);
        assert_eq!(line.unix_ms_of(line.now + minute), line.unix_ms + 60_000);
        assert_eq!(line.unix_ms_of(line.now - minute), line.unix_ms - 60_000);
        assert_eq!(
            line.event_at(line.unix_ms - 60_000, 2 * minute),
            Some(line.now - minute)
        );
        assert_eq!(
            line.deadline_at(line.unix_ms + 60_000, 2 * minute),
            Some(line.now + minute)
        );
    }

    #[test]
    fn old_events_and_past_deadlines_are_gone_and_the_future_is_brought_back() {
        let clock = SandboxClock::default();
        let line = clock.timeline();
        let minute = Duration::from_secs(60);
        assert_eq!(line.event_at(line.unix_ms - 120_000, 2 * minute), None);
        assert_eq!(
            line.event_at(line.unix_ms + 600_000, 2 * minute),
            Some(line.now)
        );
        assert_eq!(line.deadline_at(line.unix_ms, minute), None);
        assert_eq!(line.deadline_at(line.unix_ms - 1, minute), None);
        assert_eq!(
            line.deadline_at(line.unix_ms + 3_600_000, minute),
            Some(line.now + minute)
        );
    }

    #[test]
    fn the_timeline_follows_the_moved_clock() {
        let clock = SandboxClock::default();
        let before = clock.timeline();
        clock.advance(Duration::from_secs(3600));
        let after = clock.timeline();
        assert!(after.unix_ms >= before.unix_ms + 3_600_000);
        assert!(after.now >= before.now + Duration::from_secs(3600));
    }

    #[test]
    fn time_of_day_is_formatted_in_utc() {
        assert_eq!(utc_time_of_day(0), "00:00:00 UTC");
        assert_eq!(utc_time_of_day(86_400 + 3_723), "01:02:03 UTC");
    }
}
