//! Blocking work off the runtime.
//!
//! A model server answers HTTP requests on a tokio runtime and runs a
//! CPU-bound model for each. `Model::predict` computes for a long time
//! without ever reaching an `.await`; on the runtime's own thread it would
//! stop every other task (health checks, other requests, timeouts) until it
//! returned. `spawn_blocking` runs it on tokio's pool of blocking threads
//! instead, and the async caller waits for the result without holding the
//! runtime.
//!
//! The code below gives the right answers, on the runtime's own thread.

use std::sync::Arc;

/// A model that computes on the CPU and blocks while it does.
pub trait Model: Send + Sync + 'static {
    /// The model's output for one row of features.
    fn predict(&self, features: &[f32]) -> f32;
}

/// Why a prediction failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PredictError {
    /// The model panicked (or its task was cancelled).
    #[error("the model crashed: {0}")]
    Crashed(String),
}

/// The model's output for one row, computed off the runtime's threads.
///
/// # Errors
/// `Crashed` if the model panicked.
pub async fn predict<M: Model>(model: Arc<M>, features: Vec<f32>) -> Result<f32, PredictError> {
    // TODO: this blocks the thread that runs every other task. Move the
    // call to `tokio::task::spawn_blocking` and await its handle; a panic in
    // the model comes back as a `JoinError`, which is `Crashed`.
    Ok(model.predict(&features))
}

/// The model's output for every row, in order, computed off the runtime's
/// threads in one hop.
///
/// # Errors
/// `Crashed` if the model panicked on any row.
pub async fn predict_batch<M: Model>(
    model: Arc<M>,
    batch: Vec<Vec<f32>>,
) -> Result<Vec<f32>, PredictError> {
    // TODO: the same, for the whole batch in one blocking task.
    Ok(batch.iter().map(|row| model.predict(row)).collect())
}
