//! A shutdown with a grace period.
//!
//! `serve` takes request ids from a queue and handles each in a task of its
//! own, until the shutdown token is cancelled (a deploy, a SIGTERM) or every
//! client has gone. Then it shuts down in three steps:
//!
//! 1. Stop accepting: close the queue, so a client's `send` fails at once
//!    instead of queueing a request nobody will take.
//! 2. Drain: wait for the requests in flight, but no longer than `grace`
//!    after shutdown began.
//! 3. Cut: cancel whatever is still running when the grace period ends, and
//!    say how many were cut, so an operator can tell whether `grace` is long
//!    enough.
//!
//! Nothing `serve` started may outlive it. Write `serve`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// What handles one request.
pub trait Handler: Send + Sync + 'static {
    /// Handles request `id` to the end.
    fn handle(&self, id: u64) -> impl Future<Output = ()> + Send;
}

/// How a shutdown went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShutdownReport {
    /// Requests handled to the end.
    pub served: usize,
    /// Requests still running when the grace period ended, cancelled.
    pub cut: usize,
}

/// Serves requests until `shutdown` is cancelled or the queue is closed,
/// then drains for at most `grace` and cancels the rest.
pub async fn serve<H: Handler>(
    handler: Arc<H>,
    requests: mpsc::Receiver<u64>,
    shutdown: CancellationToken,
    grace: Duration,
) -> ShutdownReport {
    // TODO: keep the handlers in a `tokio::task::JoinSet`. Loop on
    // `tokio::select!` over `shutdown.cancelled()`, `requests.recv()` (a
    // `None` means every client is gone) and finished handlers. Then close
    // the queue, wait for the set until `grace` has passed
    // (`tokio::time::timeout_at`), count what is left as cut, and shut the
    // set down.
    let _ = (handler, requests, shutdown, grace);
    todo!()
}
