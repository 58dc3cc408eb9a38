//! A bounded request queue that answers "busy" instead of growing.
//!
//! Requests wait in a queue of fixed capacity for one worker thread. When the
//! queue is full, `submit` refuses at once and hands the request back, so the
//! server can answer 429 and memory stays bounded. Each request carries its
//! own reply channel; the worker answers it and never dies because a caller
//! stopped listening.

use std::sync::mpsc::{Receiver, Sender, SyncSender, TrySendError, sync_channel};
use std::thread::{self, JoinHandle};

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
        match self {
            Rejected::Busy(_) => 429,
            Rejected::Closed(_) => 503,
        }
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
    sync_channel(capacity)
}

/// Puts `job` on the queue without ever waiting.
///
/// # Errors
/// `Busy` when the queue is full, `Closed` when its receiver is gone.
pub fn submit(queue: &SyncSender<Job>, job: Job) -> Result<(), Rejected> {
    queue.try_send(job).map_err(|err| match err {
        TrySendError::Full(job) => Rejected::Busy(job),
        TrySendError::Disconnected(job) => Rejected::Closed(job),
    })
}

/// Starts the worker: it answers every job with `model(prompt)` until the
/// queue is closed and empty, then returns how many jobs it took.
pub fn spawn_worker<M>(jobs: Receiver<Job>, model: M) -> JoinHandle<usize>
where
    M: Fn(&str) -> usize + Send + 'static,
{
    thread::spawn(move || {
        let mut taken = 0;
        for job in jobs {
            taken += 1;
            let answer = Answer {
                id: job.id,
                tokens: model(&job.prompt),
            };
            // The caller may have given up; that is no reason to stop.
            let _ = job.reply.send(answer);
        }
        taken
    })
}
