//! One model, many threads: what may be shared, and how.
//!
//! THIS FILE DOES NOT COMPILE ON PURPOSE. `Server` was written for one
//! thread: an `Rc` model in a `RefCell`, a `Cell` counter, a `RefCell` map,
//! the same tools as the autograd lesson's `Value`. `serve_from_threads`
//! shares it between client threads, and the compiler refuses. Read its
//! errors, then give `Server` the thread-safe counterparts.
//!
//! What the server must do: answer with the current model, count every
//! request, and count per model name. The model can be swapped while requests
//! are running; a request in flight finishes on the model it started with,
//! and a swap never waits for it.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::thread;

/// A model that answers one input.
pub trait Model {
    /// A short name for counts and logs, such as `"double"`.
    fn name(&self) -> &str;
    /// The model's output for `x`.
    fn predict(&self, x: f32) -> f32;
}

// TODO: a model that every thread may hold and call.
pub type SharedModel = Rc<dyn Model>;

/// Serves one model to many threads and counts what it served.
// TODO: each field needs a counterpart that is safe to share between threads.
pub struct Server {
    model: RefCell<SharedModel>,
    served: Cell<u64>,
    by_model: RefCell<HashMap<String, u64>>,
}

impl Server {
    /// A server answering with `model`.
    pub fn new(model: impl Model + 'static) -> Server {
        Server {
            model: RefCell::new(Rc::new(model)),
            served: Cell::new(0),
            by_model: RefCell::new(HashMap::new()),
        }
    }

    /// The current model's answer for `x`, counted under that model's name.
    pub fn predict(&self, x: f32) -> f32 {
        let y = self.model.borrow().predict(x);
        self.served.set(self.served.get() + 1);
        let name = self.model.borrow().name().to_owned();
        *self.by_model.borrow_mut().entry(name).or_insert(0) += 1;
        y
    }

    /// Puts `model` in place for the next requests and returns the old
    /// model's name. Requests in flight finish on the old model.
    pub fn swap_model(&self, model: impl Model + 'static) -> String {
        let old = self.model.replace(Rc::new(model));
        old.name().to_owned()
    }

    /// How many requests were answered, by any model.
    pub fn served(&self) -> u64 {
        self.served.get()
    }

    /// How many requests the model called `name` answered.
    pub fn served_by(&self, name: &str) -> u64 {
        self.by_model.borrow().get(name).copied().unwrap_or(0)
    }
}

/// Serves each batch from a client thread of its own, all at the same time.
/// Returns the answers batch by batch, in the order the batches were given.
// TODO: once it compiles, check that the clients really run at the same time.
pub fn serve_from_threads(server: &Arc<Server>, batches: Vec<Vec<f32>>) -> Vec<Vec<f32>> {
    let mut answers = Vec::new();
    for batch in batches {
        let server = Arc::clone(server);
        let client =
            thread::spawn(move || batch.iter().map(|&x| server.predict(x)).collect::<Vec<f32>>());
        answers.push(client.join().expect("a client thread panicked"));
    }
    answers
}
