//! Shutting a server down without losing a request.
//!
//! A pool of workers takes requests from one bounded queue. Clients hold a
//! `Client`, which shares the server's intake: one slot holding the queue's
//! only sender. Shutting down goes in three steps, in this order:
//!
//! 1. Close the intake: take the sender out of the slot. From then on every
//!    `submit` answers `ShuttingDown` and hands the request back, and with its
//!    last sender gone the queue counts as closed.
//! 2. Drain: each worker keeps taking requests until the queue is closed AND
//!    empty, so every request accepted before step 1 is still answered.
//! 3. Join every worker, which also collects how many requests each answered.
//!
//! If each client held its own clone of the sender instead, the queue could
//! only close once every client was gone, and the server could not decide to
//! stop.
//!
//! The types are given. Write `Client::submit`, `Server::start`,
//! `Server::shutdown` and the worker loop `work`.

use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;

/// One request: an id, a prompt, and where its answer goes.
#[derive(Debug)]
pub struct Request {
    pub id: u64,
    pub prompt: String,
    pub reply: Sender<Answer>,
}

/// The model's answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub id: u64,
    pub tokens: usize,
}

/// Why `submit` did not accept a request. Both hand the request back.
#[derive(Debug)]
pub enum Refused {
    /// The queue is full: try again later.
    Busy(Request),
    /// The server is shutting down and takes no new requests.
    ShuttingDown(Request),
}

/// The server's intake: the queue's only sender while the server is open,
/// `None` once it has begun shutting down.
type Intake = Arc<RwLock<Option<SyncSender<Request>>>>;

/// What a client holds to submit requests. Cheap to clone; any thread may
/// hold one.
#[derive(Clone)]
pub struct Client {
    intake: Intake,
}

/// A pool of workers behind one bounded queue.
pub struct Server {
    intake: Intake,
    workers: Vec<JoinHandle<usize>>,
}

impl Client {
    /// Queues `request` without ever waiting.
    ///
    /// # Errors
    /// `Busy` when the queue is full, `ShuttingDown` once shutdown has begun.
    pub fn submit(&self, request: Request) -> Result<(), Refused> {
        // TODO: read the intake. No sender means the server is shutting down.
        // Otherwise `try_send`, never `send`: a full queue is `Busy`.
        let _ = request;
        todo!()
    }
}

impl Server {
    /// Starts `workers` threads that answer requests with `model`, behind a
    /// queue that holds at most `capacity` waiting requests.
    pub fn start<M>(workers: usize, capacity: usize, model: M) -> Server
    where
        M: Fn(&str) -> usize + Send + Sync + 'static,
    {
        // TODO: a `sync_channel(capacity)`; its receiver shared by every
        // worker behind an `Arc<Mutex<..>>`, the model behind an `Arc`; one
        // thread per worker running `work`; the sender in the intake.
        let _ = (workers, capacity, model);
        todo!()
    }

    /// A handle for submitting requests.
    #[must_use]
    pub fn client(&self) -> Client {
        Client {
            intake: Arc::clone(&self.intake),
        }
    }

    /// Closes the intake, lets the workers answer everything already queued,
    /// joins them, and returns how many requests each worker answered.
    ///
    /// # Panics
    /// If a worker panicked.
    pub fn shutdown(self) -> Vec<usize> {
        // TODO: close the intake first (take the sender out of it), then
        // join every worker and collect what each returned.
        todo!()
    }
}

/// One worker: takes requests until the queue is closed and empty, answers
/// each, and returns how many it answered.
fn work<M>(queue: &Mutex<Receiver<Request>>, model: &M) -> usize
where
    M: Fn(&str) -> usize,
{
    // TODO: take one request at a time until the queue is closed and empty.
    // Hold the lock only to take a request, not while the model runs, and
    // answer with `let _ =`: a caller that gave up must not stop the worker.
    let _ = (queue, model);
    todo!()
}
