//! Zoho's throttling, as its documents and its users' reports describe it: a count of
//! requests in a sliding ten-minute window and, once the count is exceeded, a lockout
//! that lasts well beyond the window. Two things are throttled: access tokens minted
//! from one refresh token, and grant-code exchanges by one client at one data center.
//!
//! An app that retries the moment it is refused stays refused: every refused attempt
//! during a lockout starts the lockout again. Zoho's users report lockouts of 15 to 30
//! minutes, which restarting the lockout reproduces; it is also the stricter of the two
//! readings, so an app that behaves well here behaves well at Zoho.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The sliding window both limits count in.
pub(crate) const WINDOW: Duration = Duration::from_secs(10 * 60);
/// Access tokens one refresh token may mint within [`WINDOW`].
pub(crate) const MAX_ACCESS_TOKENS_PER_WINDOW: usize = 10;
/// Code exchange requests (`grant_type=authorization_code`) one client may make at one
/// data center within [`WINDOW`], failed ones included.
pub(crate) const MAX_CODE_REQUESTS_PER_WINDOW: usize = 10;
/// How long a refused refresh token or client stays refused, counted from its latest
/// refused attempt (the shortest lockout Zoho's users report).
pub(crate) const LOCKOUT: Duration = Duration::from_secs(15 * 60);

/// The recent history of one throttled thing, and its lockout if it has one.
#[derive(Clone, Debug, Default)]
pub(crate) struct Throttle {
    /// When each counted event happened, oldest first, within the last [`WINDOW`].
    counted: VecDeque<Instant>,
    locked_until: Option<Instant>,
}

impl Throttle {
    /// Whether one more event may happen at `now` with at most `limit` in the window.
    /// A refusal starts the lockout, or starts it again if one is running.
    pub(crate) fn admit(&mut self, now: Instant, limit: usize) -> bool {
        if self.locked_until.is_some_and(|until| now < until) {
            self.locked_until = Some(now + LOCKOUT);
            return false;
        }
        self.locked_until = None;
        while self
            .counted
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            self.counted.pop_front();
        }
        if self.counted.len() >= limit {
            self.locked_until = Some(now + LOCKOUT);
            return false;
        }
        true
    }

    /// Counts an event that happened at `now`.
    pub(crate) fn count(&mut self, now: Instant) {
        self.counted.push_back(now);
    }

    /// The counted events, oldest first (some may have slid out of the window).
    pub(crate) fn counted(&self) -> impl Iterator<Item = Instant> + '_ {
        self.counted.iter().copied()
    }

    pub(crate) fn locked_until(&self) -> Option<Instant> {
        self.locked_until
    }

    /// A throttle with this history, as a state file kept it.
    pub(crate) fn restored(
        counted: impl IntoIterator<Item = Instant>,
        locked_until: Option<Instant>,
    ) -> Self {
        let mut counted: Vec<Instant> = counted.into_iter().collect();
        counted.sort();
        Throttle {
            counted: counted.into(),
            locked_until,
        }
    }

    /// True when it neither counts anything nor locks anyone out: nothing to remember.
    pub(crate) fn is_idle(&self) -> bool {
        self.counted.is_empty() && self.locked_until.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(now: Instant, limit: usize) -> Throttle {
        let mut throttle = Throttle::default();
        for _ in 0..limit {
            assert!(throttle.admit(now, limit));
            throttle.count(now);
        }
        throttle
    }

    #[test]
    fn the_event_past_the_limit_is_refused_and_the_window_alone_does_not_lift_it() {
        let start = Instant::now();
        let mut throttle = filled(start, 3);
        assert!(!throttle.admit(start, 3));
        // The window has slid past every counted event, but the lockout holds.
        assert!(!throttle.admit(start + WINDOW, 3));
    }

    #[test]
    fn a_refusal_during_the_lockout_starts_it_again() {
        let start = Instant::now();
        let mut throttle = filled(start, 3);
        assert!(!throttle.admit(start, 3));
        assert!(!throttle.admit(start + Duration::from_secs(60), 3));
        // Without the retry the lockout would end here; the retry moved its end.
        assert!(!throttle.admit(start + LOCKOUT, 3));
        assert!(throttle.admit(start + LOCKOUT + LOCKOUT, 3));
    }

    #[test]
    fn the_lockout_ends_and_the_count_starts_afresh() {
        let start = Instant::now();
        let mut throttle = filled(start, 3);
        assert!(!throttle.admit(start, 3));
        let later = start + LOCKOUT;
        for _ in 0..3 {
            assert!(throttle.admit(later, 3));
            throttle.count(later);
        }
        assert!(!throttle.admit(later, 3));
    }

    #[test]
    fn counted_events_slide_out_of_the_window() {
        let start = Instant::now();
        let mut early = Throttle::default();
        early.count(start);
        early.count(start + Duration::from_secs(300));
        let mut late = early.clone();
        assert!(!early.admit(start + WINDOW - Duration::from_secs(1), 2));
        assert!(late.admit(start + WINDOW, 2));
    }

    #[test]
    fn a_refused_code_exchange_leaves_its_code_unspent() {
        use crate::clients::ClientSpec;
        use crate::ids::Digest32;
        use crate::params::Params;
        use crate::tokens::{token_request, TokenFailure};

        // Invisible over HTTP: the lockout outlasts every code, so the code is looked up
        // in the store itself.
        let shared = crate::state::Shared::new(([127, 0, 0, 1], 8765).into(), None);
        let client = shared
            .store()
            .register(&ClientSpec::self_client("us", crate::DEMO_US_USER), None)
            .expect("a valid spec");
        let (code, _) = crate::self_client::generate_code(
            &shared,
            &client.id,
            "ZohoBooks.settings.READ",
            10,
            None,
        )
        .expect("a code");
        let request = |code: &str| {
            let body = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("grant_type", "authorization_code")
                .append_pair("client_id", &client.id)
                .append_pair("client_secret", &client.secret)
                .append_pair("code", code)
                .finish();
            token_request(
                &shared,
                crate::dc::Dc::Us,
                &Params::from_query_and_body(None, body.as_bytes()),
            )
        };
        for _ in 0..MAX_CODE_REQUESTS_PER_WINDOW {
            assert_eq!(
                request("1000.unknown").err(),
                Some(TokenFailure::InvalidCode)
            );
        }
        assert_eq!(request(&code).err(), Some(TokenFailure::AccessDenied));
        assert!(shared.store().codes.contains_key(&Digest32::of(&code)));
    }
}
