//! How the device flow waits between two polls. Zoho refuses a poll that comes sooner
//! than the `interval` it named, so the flow always waits the whole interval before
//! every poll; what "waiting" means is the only thing a [`Pause`] decides. The app
//! sleeps for real ([`RealPause`]); a test can instead move a sandbox's clock by the
//! same length, so that the sandbox, which measures the interval on its own clock, sees
//! every poll come exactly as late as Zoho demands without anyone waiting 30 seconds.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A wait of a given length before the next poll.
pub trait Pause: Send + Sync + fmt::Debug {
    /// Returns once `length` has passed on the clock the polled server measures with.
    fn pause(&self, length: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// Sleeps for real: what the app uses against Zoho and in practice mode.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealPause;

impl Pause for RealPause {
    fn pause(&self, length: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(length))
    }
}
