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

use std::sync::mpsc::{Receiver, Sender, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread::{self, JoinHandle};

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
        let intake = self.intake.read().unwrap_or_else(PoisonError::into_inner);
        let Some(queue) = intake.as_ref() else {
            return Err(Refused::ShuttingDown(request));
        };
        queue.try_send(request).map_err(|err| match err {
            TrySendError::Full(request) => Refused::Busy(request),
            TrySendError::Disconnected(request) => Refused::ShuttingDown(request),
        })
    }
}

impl Server {
    /// Starts `workers` threads that answer requests with `model`, behind a
    /// queue that holds at most `capacity` waiting requests.
    pub fn start<M>(workers: usize, capacity: usize, model: M) -> Server
    where
        M: Fn(&str) -> usize + Send + Sync + 'static,
    {
        let (intake, queue) = sync_channel(capacity);
        let queue = Arc::new(Mutex::new(queue));
        let model = Arc::new(model);
        let workers = (0..workers)
            .map(|_| {
                let queue = Arc::clone(&queue);
                let model = Arc::clone(&model);
                thread::spawn(move || work(&queue, &*model))
            })
            .collect();
        Server {
            intake: Arc::new(RwLock::new(Some(intake))),
            workers,
        }
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
        // 1. Close: the last sender goes, and no submit can get in after it.
        drop(
            self.intake
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        // 2 and 3. Each worker drains the queue and returns once it is closed
        // and empty; joining waits for exactly that.
        self.workers
            .into_iter()
            .map(|worker| worker.join().expect("a worker panicked"))
            .collect()
    }
}

/// One worker: takes requests until the queue is closed and empty, answers
/// each, and returns how many it answered.
fn work<M>(queue: &Mutex<Receiver<Request>>, model: &M) -> usize
where
    M: Fn(&str) -> usize,
{
    let mut answered = 0;
    loop {
        // The guard is dropped at the end of this statement: the lock is held
        // to take one request, never while the model runs.
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(request) = next else {
            return answered;
        };
        let tokens = model(&request.prompt);
        // The caller may have given up; that is no reason to stop.
        let _ = request.reply.send(Answer {
            id: request.id,
            tokens,
        });
        answered += 1;
    }
}
