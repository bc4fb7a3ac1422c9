//! Fault knobs: make the emulated Zoho slow, failing, garbled or cut off, so clients can
//! prove they cope. Faults apply to every route except the control API (`/sandbox/*`).
//!
//! At most one fault of each kind is active; setting one replaces the previous fault of
//! the same kind. A delay holds the request and then lets it through; the other kinds
//! answer instead of the emulator (the request is not processed, so a code or token sent
//! with it stays as it was). When several are set, a dropped connection wins over a
//! server error, which wins over a malformed body. Each fault may be limited to a number
//! of requests it hits; a delay and another fault hitting the same request each count it.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// A fault to inject; see [`crate::Sandbox::set_fault`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// What goes wrong.
    pub kind: FaultKind,
    /// How many requests it hits before it clears itself; `None` until cleared.
    pub remaining: Option<u32>,
}

/// The kinds of fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// Wait this long before handling the request.
    Delay(Duration),
    /// Answer with this HTTP status (a 5xx) and a small HTML error page.
    ServerError(u16),
    /// Answer HTTP 200 with a `Content-Type: application/json` body that is not JSON.
    MalformedJson,
    /// Close the TCP connection without sending any response.
    DropConnection,
}

/// What the server does with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Handle it normally.
    Pass,
    ServerError(u16),
    MalformedJson,
    DropConnection,
}

/// The faults in force.
#[derive(Debug, Default)]
pub(crate) struct FaultBoard {
    active: Mutex<Vec<Fault>>,
}

impl FaultBoard {
    /// Adds a fault, replacing one of the same kind.
    pub(crate) fn set(&self, fault: Fault) {
        let mut active = self.active.lock().unwrap_or_else(PoisonError::into_inner);
        active.retain(|f| !same_kind(&f.kind, &fault.kind));
        if fault.remaining != Some(0) {
            active.push(fault);
        }
    }

    pub(crate) fn clear(&self) {
        self.active
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// Decides what happens to the next request, counting it against the faults it hits.
    pub(crate) fn next(&self) -> (Option<Duration>, Outcome) {
        let mut active = self.active.lock().unwrap_or_else(PoisonError::into_inner);
        let delay = take(&mut active, |k| matches!(k, FaultKind::Delay(_))).and_then(|k| match k {
            FaultKind::Delay(d) => Some(d),
            _ => None,
        });
        let outcome = if take(&mut active, |k| matches!(k, FaultKind::DropConnection)).is_some() {
            Outcome::DropConnection
        } else if let Some(FaultKind::ServerError(status)) =
            take(&mut active, |k| matches!(k, FaultKind::ServerError(_)))
        {
            Outcome::ServerError(status)
        } else if take(&mut active, |k| matches!(k, FaultKind::MalformedJson)).is_some() {
            Outcome::MalformedJson
        } else {
            Outcome::Pass
        };
        (delay, outcome)
    }
}

/// Uses up one hit of the first fault matching `wanted`, removing it when spent.
fn take(active: &mut Vec<Fault>, wanted: impl Fn(&FaultKind) -> bool) -> Option<FaultKind> {
    let index = active.iter().position(|f| wanted(&f.kind))?;
    let kind = active[index].kind;
    match &mut active[index].remaining {
        None => {}
        Some(n) => {
            *n = n.saturating_sub(1);
            if *n == 0 {
                active.remove(index);
            }
        }
    }
    Some(kind)
}

fn same_kind(a: &FaultKind, b: &FaultKind) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limited_faults_clear_themselves() {
        let board = FaultBoard::default();
        board.set(Fault {
            kind: FaultKind::ServerError(503),
            remaining: Some(2),
        });
        assert_eq!(board.next(), (None, Outcome::ServerError(503)));
        assert_eq!(board.next(), (None, Outcome::ServerError(503)));
        assert_eq!(board.next(), (None, Outcome::Pass));
    }

    #[test]
    fn same_kind_replaces_and_drop_wins() {
        let board = FaultBoard::default();
        board.set(Fault {
            kind: FaultKind::ServerError(500),
            remaining: None,
        });
        board.set(Fault {
            kind: FaultKind::ServerError(502),
            remaining: None,
        });
        board.set(Fault {
            kind: FaultKind::DropConnection,
            remaining: Some(1),
        });
        board.set(Fault {
            kind: FaultKind::Delay(Duration::from_millis(5)),
            remaining: Some(1),
        });
        assert_eq!(
            board.next(),
            (Some(Duration::from_millis(5)), Outcome::DropConnection)
        );
        assert_eq!(board.next(), (None, Outcome::ServerError(502)));
        board.clear();
        assert_eq!(board.next(), (None, Outcome::Pass));
    }
}
