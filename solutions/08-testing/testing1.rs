//! Summarise a document through a model you can swap for a fake.
//!
//! `summarise` reaches the model only through the `ModelClient` trait, so a
//! test can hand it a `FakeClient`: a client that answers from a script and
//! writes down every prompt it was sent. No network, no key, no waiting, and
//! the test can see exactly what the code under test asked.

use std::cell::RefCell;
use std::collections::VecDeque;

/// A failed call, as a provider's HTTP API reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    /// The HTTP status code.
    pub status: u16,
    /// The provider's explanation.
    pub message: String,
}

impl ModelError {
    /// Worth another try: rate limited (429) or trouble at the provider
    /// (500 to 599). Any other status is a problem with the request itself,
    /// and sending it again gives the same answer. A simpler rule than the
    /// errors lesson's (which also refuses 501, 505 and a spent quota, and
    /// waits between tries): this exercise is about the fake, not the rule.
    pub fn is_retryable(&self) -> bool {
        self.status == 429 || (500..=599).contains(&self.status)
    }
}

/// Anything that turns a prompt into a completion: an HTTP client in
/// production, a fake in tests.
pub trait ModelClient {
    /// Sends `prompt` and returns the model's text.
    ///
    /// # Errors
    /// A `ModelError` when the call fails.
    fn complete(&self, prompt: &str) -> Result<String, ModelError>;
}

/// The most calls `summarise` makes for one document, retries included.
pub const MAX_ATTEMPTS: usize = 3;

/// The prompt for one (already trimmed) document.
pub fn summary_prompt(document: &str) -> String {
    format!("Summarise the following document in one sentence.\n\n{document}")
}

/// Why there is no summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryError {
    /// The document is blank: there is nothing to summarise, so no call is
    /// made.
    EmptyDocument,
    /// The model answered with nothing but whitespace.
    EmptyReply,
    /// The model failed: a request error at once, or the last retryable
    /// error once `MAX_ATTEMPTS` calls have failed.
    Model(ModelError),
}

/// Summarises `document` with whatever client it is given.
///
/// The document is trimmed; a blank one is `EmptyDocument` and the model is
/// never called. Otherwise the prompt is `summary_prompt(trimmed)`. A
/// retryable error is tried again with the same prompt, up to `MAX_ATTEMPTS`
/// calls in all; any other error is returned at once. The reply comes back
/// trimmed, and a blank reply is `EmptyReply` (not retried: the call
/// worked).
///
/// # Errors
/// As described above.
pub fn summarise(client: &impl ModelClient, document: &str) -> Result<String, SummaryError> {
    let document = document.trim();
    if document.is_empty() {
        return Err(SummaryError::EmptyDocument);
    }
    let prompt = summary_prompt(document);
    let mut attempts = 1;
    let reply = loop {
        match client.complete(&prompt) {
            Ok(reply) => break reply,
            Err(err) if err.is_retryable() && attempts < MAX_ATTEMPTS => attempts += 1,
            Err(err) => return Err(SummaryError::Model(err)),
        }
    };
    let reply = reply.trim();
    if reply.is_empty() {
        return Err(SummaryError::EmptyReply);
    }
    Ok(reply.to_owned())
}

/// A client for tests: it answers from a script, one reply per call in
/// order, and records every prompt it receives.
///
/// `complete` takes `&self`, as a real client shared between callers would,
/// so the fake keeps its script and its record in `RefCell`s.
#[derive(Debug)]
pub struct FakeClient {
    replies: RefCell<VecDeque<Result<String, ModelError>>>,
    prompts: RefCell<Vec<String>>,
}

impl FakeClient {
    /// A fake that gives `replies` back one per call, first one first.
    pub fn new(replies: Vec<Result<String, ModelError>>) -> FakeClient {
        FakeClient {
            replies: RefCell::new(replies.into()),
            prompts: RefCell::new(Vec::new()),
        }
    }

    /// Every prompt received so far, oldest first.
    pub fn prompts(&self) -> Vec<String> {
        self.prompts.borrow().clone()
    }
}

impl ModelClient for FakeClient {
    /// Records `prompt`, then gives the next reply of the script.
    ///
    /// # Panics
    /// When the script has run out, with a message that contains
    /// `no reply left` and the prompt: the code under test made a call the
    /// test did not plan for, and the test should stop right there.
    fn complete(&self, prompt: &str) -> Result<String, ModelError> {
        self.prompts.borrow_mut().push(prompt.to_owned());
        match self.replies.borrow_mut().pop_front() {
            Some(reply) => reply,
            None => panic!("FakeClient: no reply left for the prompt {prompt:?}"),
        }
    }
}
