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

use std::collections::HashMap;
use std::sync::Arc;

use tokio::task::JoinSet;

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
    let mut tasks = JoinSet::new();
    let mut index_of = HashMap::new();
    let count = chunks.len();
    for (index, chunk) in chunks.into_iter().enumerate() {
        let embedder = Arc::clone(&embedder);
        let task = tasks.spawn(async move { (index, embedder.embed(&chunk).await) });
        index_of.insert(task.id(), index);
    }
    let mut embeddings: Vec<Vec<f32>> = vec![Vec::new(); count];
    while let Some(joined) = tasks.join_next().await {
        let failure = match joined {
            Ok((index, Ok(embedding))) => {
                embeddings[index] = embedding;
                continue;
            }
            Ok((index, Err(err))) => (index, err),
            Err(join_error) => (
                index_of[&join_error.id()],
                ApiError::TaskFailed(join_error.to_string()),
            ),
        };
        // Abort every task left and wait until each is gone.
        tasks.shutdown().await;
        return Err(failure);
    }
    Ok(embeddings)
}
