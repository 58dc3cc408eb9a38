//! A deadline on a model call, and no call left running behind it.
//!
//! `complete_within` gives one call `limit` to answer. A call that takes
//! longer becomes `ApiError::Timeout`, the errors lesson's variant, so the
//! retry loop from that lesson can treat it like any other transient
//! failure. The client's own errors pass through unchanged.
//!
//! `complete_in_background` runs the call as a task of its own (a server
//! does this so the call goes on even while the handler waits on something
//! else). A task is not cancelled when you stop waiting for it: dropping its
//! `JoinHandle` only detaches it, and it runs to the end, holding its
//! connection and its tokens. On timeout, abort it.
//!
//! Write both functions.

use std::sync::Arc;
use std::time::Duration;

/// Every way a model call can fail (as in the errors lesson).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("the model API did not answer in time")]
    Timeout,
    #[error("rate limited by the model API")]
    RateLimited,
    #[error("the model API failed with status {status}")]
    Server { status: u16 },
    /// The task running the call panicked or was cancelled.
    #[error("the call's task failed: {0}")]
    TaskFailed(String),
}

/// A client of a model API that can be shared between tasks.
pub trait LlmClient: Send + Sync + 'static {
    /// Sends one prompt and waits for the model's answer.
    fn complete(&self, prompt: &str) -> impl Future<Output = Result<String, ApiError>> + Send;
}

/// The model's answer, or `Timeout` if it did not come within `limit`.
///
/// # Errors
/// `Timeout` after `limit`; the client's own error otherwise.
pub async fn complete_within<C: LlmClient>(
    client: &C,
    prompt: &str,
    limit: Duration,
) -> Result<String, ApiError> {
    // TODO: wrap the call in `tokio::time::timeout(limit, ..)`. What comes
    // back is a Result around the call's own Result: unwrap one layer.
    let _ = (client, prompt, limit);
    todo!()
}

/// Runs the call as a task of its own and waits for it at most `limit`; a
/// call that times out is aborted, not left running.
///
/// # Errors
/// `Timeout` after `limit`; `TaskFailed` if the task panicked; the client's
/// own error otherwise.
pub async fn complete_in_background<C: LlmClient>(
    client: Arc<C>,
    prompt: String,
    limit: Duration,
) -> Result<String, ApiError> {
    let task = tokio::spawn(async move { client.complete(&prompt).await });
    // TODO: this gives up on the task after `limit`, but does the task stop?
    // And a task that panicked should be `TaskFailed`, not a panic here.
    match tokio::time::timeout(limit, task).await {
        Ok(joined) => joined.unwrap(),
        Err(_elapsed) => Err(ApiError::Timeout),
    }
}
