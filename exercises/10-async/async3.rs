//! Many prompts against a provider that allows N requests at a time.
//!
//! Providers limit how many requests a key may have open. Send a thousand
//! prompts at once and most come back 429; send them one by one and the
//! batch takes a thousand times one call. `complete_bounded` keeps exactly
//! `max_in_flight` calls open while there is work, starts the next prompt
//! the moment a call ends, returns the answers in the order of the prompts,
//! and reports every failure by the index of its prompt.
//!
//! The code below sends everything at once and stops at the first error.

/// Every way a model call can fail (as in the errors lesson).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("the model API did not answer in time")]
    Timeout,
    #[error("rate limited by the model API")]
    RateLimited,
    #[error("the model API failed with status {status}")]
    Server { status: u16 },
}

/// A client of a model API.
// Allowed: an `async fn` in a public trait cannot promise that its future is
// `Send`; everything here runs on one thread.
#[allow(async_fn_in_trait)]
pub trait LlmClient {
    /// Sends one prompt and waits for the model's answer.
    async fn complete(&self, prompt: &str) -> Result<String, ApiError>;
}

/// Completes every prompt with at most `max_in_flight` calls open at once
/// (a limit of 0 is taken as 1).
///
/// # Errors
/// Every failed prompt as `(index, error)`, in index order, once every
/// prompt has been tried.
pub async fn complete_bounded<C: LlmClient>(
    client: &C,
    prompts: &[String],
    max_in_flight: usize,
) -> Result<Vec<String>, Vec<(usize, ApiError)>> {
    // TODO: every prompt is in flight at once here, whatever the limit. Keep
    // at most `max_in_flight` open (a `tokio::sync::Semaphore`, or a stream
    // with `buffer_unordered`), and report every failure with its index
    // instead of only the first.
    let _ = max_in_flight;
    let results = futures::future::join_all(prompts.iter().map(|p| client.complete(p))).await;
    match results
        .into_iter()
        .collect::<Result<Vec<String>, ApiError>>()
    {
        Ok(answers) => Ok(answers),
        Err(first) => Err(vec![(0, first)]),
    }
}
