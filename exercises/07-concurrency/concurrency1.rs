//! A bounded request queue that answers "busy" instead of growing.
//!
//! Requests wait in a queue of fixed capacity for one worker thread. When the
//! queue is full, `submit` refuses at once and hands the request back, so the
//! server can answer 429 and memory stays bounded. Each request carries its
//! own reply channel; the worker answers it and never dies because a caller
//! stopped listening.
//!
//! Write `status`, `queue`, `submit` and `spawn_worker`.

use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::thread::JoinHandle;

/// One request: an id, a prompt, and where its answer goes.
#[derive(Debug)]
pub struct Job {
    pub id: u64,
    pub prompt: String,
    pub reply: Sender<Answer>,
}

/// The model's answer to one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub id: u64,
    pub tokens: usize,
}

/// Why `submit` did not queue a job. Both give the job back to the caller.
#[derive(Debug)]
pub enum Rejected {
    /// The queue is full: try again later.
    Busy(Job),
    /// Nothing reads the queue any more: the server is shutting down.
    Closed(Job),
}

impl Rejected {
    /// The HTTP status a server answers with: 429 for busy, 503 for closed.
    #[must_use]
    pub fn status(&self) -> u16 {
        // TODO: 429 (Too Many Requests) for Busy, 503 (Service Unavailable)
        // for Closed.
        todo!()
    }

    /// The job that was refused.
    #[must_use]
    pub fn into_job(self) -> Job {
        match self {
            Rejected::Busy(job) | Rejected::Closed(job) => job,
        }
    }
}

/// A queue that holds at most `capacity` waiting jobs.
#[must_use]
pub fn queue(capacity: usize) -> (SyncSender<Job>, Receiver<Job>) {
    // TODO: a channel that holds `capacity` jobs and no more
    // (std::sync::mpsc::sync_channel).
    let _ = capacity;
    todo!()
}

/// Puts `job` on the queue without ever waiting.
///
/// # Errors
/// `Busy` when the queue is full, `Closed` when its receiver is gone.
pub fn submit(queue: &SyncSender<Job>, job: Job) -> Result<(), Rejected> {
    // TODO: never wait for room. `try_send` fails with a
    // `std::sync::mpsc::TrySendError` that holds the job: `Full(job)` means
    // busy, `Disconnected(job)` means closed.
    let _ = (queue, job);
    todo!()
}

/// Starts the worker: it answers every job with `model(prompt)` until the
/// queue is closed and empty, then returns how many jobs it took.
pub fn spawn_worker<M>(jobs: Receiver<Job>, model: M) -> JoinHandle<usize>
where
    M: Fn(&str) -> usize + Send + 'static,
{
    // TODO: spawn a thread (std::thread::spawn) that takes jobs until the
    // queue is closed and empty, sends each caller
    // `Answer { id, tokens: model(&prompt) }`, and returns how many jobs it
    // took. A caller that stopped listening must not stop the worker.
    let _ = (jobs, model);
    todo!()
}
