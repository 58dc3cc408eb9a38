//! Two model calls at once.
//!
//! A support tool asks a model for a summary of a ticket and for its tags.
//! Neither call needs the other's answer, so they should be in flight
//! together: the brief is ready when the slower call is done, not after the
//! sum of both. `complete_all` does the same for any number of prompts.
//!
//! `LlmClient` is an `async fn` in a trait: a real client sends an HTTP
//! request, the tests use a fake that waits on tokio's clock.
//!
//! The code below gives the right answers, one call after the other. Make
//! the calls run at the same time.

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
// `Send`. Everything here runs on one thread; the fan-out exercise shows the
// form that can.
#[allow(async_fn_in_trait)]
pub trait LlmClient {
    /// Sends one prompt and waits for the model's answer.
    async fn complete(&self, prompt: &str) -> Result<String, ApiError>;
}

/// What the tool shows for a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brief {
    pub summary: String,
    pub tags: String,
}

/// The prompt that asks for a summary.
pub fn summary_prompt(ticket: &str) -> String {
    format!("Summarise in one sentence: {ticket}")
}

/// The prompt that asks for tags.
pub fn tags_prompt(ticket: &str) -> String {
    format!("Give three tags for: {ticket}")
}

/// Asks for the summary and the tags at the same time.
///
/// # Errors
/// The first error either call returns; the other call is then dropped.
pub async fn brief<C: LlmClient>(client: &C, ticket: &str) -> Result<Brief, ApiError> {
    // TODO: the tags call waits here until the summary is back. Start both
    // and wait for the pair (`tokio::try_join!`), so the first error ends
    // the brief at once.
    let summary = client.complete(&summary_prompt(ticket)).await?;
    let tags = client.complete(&tags_prompt(ticket)).await?;
    Ok(Brief { summary, tags })
}

/// Sends every prompt at once and returns each answer in the place of its
/// prompt; one failure does not stop the others.
pub async fn complete_all<C: LlmClient>(
    client: &C,
    prompts: &[String],
) -> Vec<Result<String, ApiError>> {
    // TODO: one call at a time. Build every future first, then wait for all
    // of them together (`futures::future::join_all`).
    let mut answers = Vec::new();
    for prompt in prompts {
        answers.push(client.complete(prompt).await);
    }
    answers
}
