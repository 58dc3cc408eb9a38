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
//! Nothing `serve` started may outlive it.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinSet;
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
    mut requests: mpsc::Receiver<u64>,
    shutdown: CancellationToken,
    grace: Duration,
) -> ShutdownReport {
    let mut running = JoinSet::new();
    let mut served = 0;
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            next = requests.recv() => match next {
                Some(id) => {
                    let handler = Arc::clone(&handler);
                    running.spawn(async move { handler.handle(id).await });
                }
                None => break,
            },
            Some(_) = running.join_next() => served += 1,
        }
    }
    // 1. Stop accepting.
    requests.close();
    // 2. Drain, until the deadline at the latest.
    let deadline = tokio::time::Instant::now() + grace;
    while let Ok(Some(_)) = tokio::time::timeout_at(deadline, running.join_next()).await {
        served += 1;
    }
    // 3. Cut the rest, and wait until they are gone.
    let cut = running.len();
    running.shutdown().await;
    ShutdownReport { served, cut }
}
