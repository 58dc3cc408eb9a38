//! One model, many threads: what may be shared, and how.
//!
//! A `Server` holds the model that answers requests, a count of requests
//! served and a count per model name. Every client thread shares the one
//! server through an `Arc`, so everything inside it must be safe to use from
//! several threads at once (`Sync`), and the model must be allowed to move to
//! and be used from any thread (`Send + Sync`). The model can be swapped while
//! requests are running; a request in flight finishes on the model it started
//! with.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread;

/// A model that answers one input.
pub trait Model {
    /// A short name for counts and logs, such as `"double"`.
    fn name(&self) -> &str;
    /// The model's output for `x`.
    fn predict(&self, x: f32) -> f32;
}

/// A model that every thread may hold and call.
pub type SharedModel = Arc<dyn Model + Send + Sync>;

/// Serves one model to many threads and counts what it served.
pub struct Server {
    model: RwLock<SharedModel>,
    served: AtomicU64,
    by_model: Mutex<HashMap<String, u64>>,
}

impl Server {
    /// A server answering with `model`.
    pub fn new(model: impl Model + Send + Sync + 'static) -> Server {
        Server {
            model: RwLock::new(Arc::new(model)),
            served: AtomicU64::new(0),
            by_model: Mutex::new(HashMap::new()),
        }
    }

    /// The current model's answer for `x`, counted under that model's name.
    pub fn predict(&self, x: f32) -> f32 {
        // Take a handle and let the lock go before the slow part.
        let model = Arc::clone(&self.model.read().unwrap_or_else(PoisonError::into_inner));
        let y = model.predict(x);
        self.served.fetch_add(1, Ordering::Relaxed);
        *self
            .by_model
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(model.name().to_owned())
            .or_insert(0) += 1;
        y
    }

    /// Puts `model` in place for the next requests and returns the old
    /// model's name. Requests in flight finish on the old model.
    pub fn swap_model(&self, model: impl Model + Send + Sync + 'static) -> String {
        let new: SharedModel = Arc::new(model);
        let old = std::mem::replace(
            &mut *self.model.write().unwrap_or_else(PoisonError::into_inner),
            new,
        );
        old.name().to_owned()
    }

    /// How many requests were answered, by any model.
    pub fn served(&self) -> u64 {
        self.served.load(Ordering::Relaxed)
    }

    /// How many requests the model called `name` answered.
    pub fn served_by(&self, name: &str) -> u64 {
        self.by_model
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(name)
            .copied()
            .unwrap_or(0)
    }
}

/// Serves each batch from a client thread of its own, all at the same time.
/// Returns the answers batch by batch, in the order the batches were given.
pub fn serve_from_threads(server: &Arc<Server>, batches: Vec<Vec<f32>>) -> Vec<Vec<f32>> {
    let clients: Vec<_> = batches
        .into_iter()
        .map(|batch| {
            let server = Arc::clone(server);
            thread::spawn(move || batch.iter().map(|&x| server.predict(x)).collect::<Vec<f32>>())
        })
        .collect();
    clients
        .into_iter()
        .map(|client| client.join().expect("a client thread panicked"))
        .collect()
}
