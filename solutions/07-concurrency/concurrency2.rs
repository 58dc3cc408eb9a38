//! A micro-batcher's rules: release a batch at `max_items`, or once the
//! oldest waiting item has waited `max_wait`.
//!
//! `Batcher` holds no thread and reads no clock: every call is told the time
//! (`now`), so its rules can be tested exactly, with made-up instants. The
//! next exercise drives it from a channel and the real clock.

use std::time::{Duration, Instant};

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
