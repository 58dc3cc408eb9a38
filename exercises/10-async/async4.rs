//! Fan-out with a `JoinSet`: the first error cancels the rest.
//!
//! Indexing a document embeds every chunk; the chunks are independent, so
//! each gets a task of its own. If one fails the document cannot be
//! indexed, and the other calls are money spent for nothing: return that
//! error at once and cancel the rest. No task may outlive the call, so
//! "cancel" means: asked to stop AND gone by the time `embed_all` returns.
//!
//! Tasks run on the runtime's threads, so what they hold must be `Send`.
//! An `async fn` in a trait cannot promise that its future is `Send`; a
//! method that returns `impl Future<Output = ..> + Send` can, and an
//! implementation may still be written as an `async fn`.
//!
//! The code below waits for the tasks in the order of the chunks and leaves
//! the others running when it meets an error.

use std::sync::Arc;

/// Every way a model call can fail (as in the errors lesson).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("rate limited by the model API")]
    RateLimited,
    #[error("the model API failed with status {status}")]
    Server { status: u16 },
    /// The task running the call panicked.
    #[error("the call's task failed: {0}")]
    TaskFailed(String),
}

/// An embedding model behind an API.
pub trait Embedder: Send + Sync + 'static {
    /// The embedding of one chunk of text.
    fn embed(&self, chunk: &str) -> impl Future<Output = Result<Vec<f32>, ApiError>> + Send;
}

/// Embeds every chunk in a task of its own and returns the embeddings in
/// the order of the chunks.
///
/// # Errors
/// The first failure in time, with its chunk's index; every other task is
/// cancelled and gone before this returns.
pub async fn embed_all<E: Embedder>(
    embedder: Arc<E>,
    chunks: Vec<String>,
) -> Result<Vec<Vec<f32>>, (usize, ApiError)> {
    // TODO: put the tasks in a `tokio::task::JoinSet` and take them in the
    // order they finish (`join_next`). At the first failure, shut the set
    // down (abort every task and wait until it is gone) and return it. A
    // task that panicked is `TaskFailed`, reported with its chunk's index.
    let tasks: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let embedder = Arc::clone(&embedder);
            tokio::spawn(async move { embedder.embed(&chunk).await })
        })
        .collect();
    let mut embeddings = Vec::new();
    for (index, task) in tasks.into_iter().enumerate() {
        match task.await {
            Ok(Ok(embedding)) => embeddings.push(embedding),
            Ok(Err(err)) => return Err((index, err)),
            Err(join_error) => return Err((index, ApiError::TaskFailed(join_error.to_string()))),
        }
    }
    Ok(embeddings)
}
