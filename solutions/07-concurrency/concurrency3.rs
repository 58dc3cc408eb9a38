//! The batching loop: one thread turns a stream of requests into batches.
//!
//! `run_batcher` reads requests from a channel, groups them with the
//! `Batcher` of the previous exercise (given below, finished), calls the model
//! once per batch, and sends every caller its own answer. It waits on the
//! channel only until the oldest request is due, and when the channel closes
//! it answers what is still pending before it returns. No request is lost or
//! answered twice, even when the model returns the wrong number of outputs.

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// One request: an input and where its answer goes.
#[derive(Debug)]
pub struct Request {
    pub input: f32,
    pub reply: Sender<Result<f32, BatchError>>,
}

/// Why a request got no output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchError {
    /// The model returned `got` outputs for a batch of `expected` inputs, so
    /// no output can be matched to its request.
    ModelMiscounted { expected: usize, got: usize },
}

/// Serves requests until `requests` is closed and every pending request is
/// answered. Returns the size of each batch the model saw, in order.
pub fn run_batcher<M>(
    requests: Receiver<Request>,
    max_items: usize,
    max_wait: Duration,
    mut model: M,
) -> Vec<usize>
where
    M: FnMut(&[f32]) -> Vec<f32>,
{
    let mut batcher = Batcher::new(max_items, max_wait);
    let mut sizes = Vec::new();
    loop {
        let next = match batcher.deadline() {
            None => requests.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(deadline) => {
                requests.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            }
        };
        let ready = match next {
            // Under a flood the deadline can pass while requests keep
            // arriving: check it after every push, not only on a timeout.
            Ok(request) => {
                let now = Instant::now();
                batcher.push(request, now).or_else(|| batcher.poll(now))
            }
            Err(RecvTimeoutError::Timeout) => batcher.flush(),
            Err(RecvTimeoutError::Disconnected) => {
                if let Some(batch) = batcher.flush() {
                    sizes.push(answer(batch, &mut model));
                }
                return sizes;
            }
        };
        if let Some(batch) = ready {
            sizes.push(answer(batch, &mut model));
        }
    }
}

/// Runs the model on one batch and answers each of its requests exactly
/// once. Returns the batch's size.
fn answer<M>(batch: Vec<Request>, model: &mut M) -> usize
where
    M: FnMut(&[f32]) -> Vec<f32>,
{
    let inputs: Vec<f32> = batch.iter().map(|request| request.input).collect();
    let outputs = model(&inputs);
    let expected = batch.len();
    if outputs.len() == expected {
        for (request, output) in batch.into_iter().zip(outputs) {
            // A caller that gave up is no reason to stop serving the others.
            let _ = request.reply.send(Ok(output));
        }
    } else {
        let error = BatchError::ModelMiscounted {
            expected,
            got: outputs.len(),
        };
        for request in batch {
            let _ = request.reply.send(Err(error.clone()));
        }
    }
    expected
}

/// Items waiting to be batched, and the rules for releasing them.
#[derive(Debug)]
pub struct Batcher<T> {
    max_items: usize,
    max_wait: Duration,
    pending: Vec<T>,
    /// When the oldest pending item arrived; `None` while nothing waits.
    oldest: Option<Instant>,
}

impl<T> Batcher<T> {
    /// A batcher releasing at most `max_items` at once (at least 1).
    #[must_use]
    pub fn new(max_items: usize, max_wait: Duration) -> Batcher<T> {
        Batcher {
            max_items: max_items.max(1),
            max_wait,
            pending: Vec::new(),
            oldest: None,
        }
    }

    /// How many items are waiting.
    #[must_use]
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether nothing is waiting.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Adds `item`, which arrived at `now`. Returns the batch, in arrival
    /// order, when this item fills it to `max_items`.
    pub fn push(&mut self, item: T, now: Instant) -> Option<Vec<T>> {
        if self.pending.is_empty() {
            self.oldest = Some(now);
        }
        self.pending.push(item);
        if self.pending.len() >= self.max_items {
            self.flush()
        } else {
            None
        }
    }

    /// When the pending items must go out: `max_wait` after the oldest one
    /// arrived. `None` while nothing waits.
    #[must_use]
    pub fn deadline(&self) -> Option<Instant> {
        self.oldest.map(|oldest| oldest + self.max_wait)
    }

    /// Releases the pending items if their deadline has come by `now`.
    pub fn poll(&mut self, now: Instant) -> Option<Vec<T>> {
        match self.deadline() {
            Some(deadline) if now >= deadline => self.flush(),
            _ => None,
        }
    }

    /// Releases whatever is pending, deadline or not; `None` when nothing is.
    pub fn flush(&mut self) -> Option<Vec<T>> {
        self.oldest = None;
        if self.pending.is_empty() {
            None
        } else {
            Some(std::mem::take(&mut self.pending))
        }
    }
}
