//! A sliding window of request latencies with percentiles on demand.
//!
//! The window keeps the last `capacity` samples and, of those, only the ones
//! at most `max_age` old: a `VecDeque` used as a ring buffer, new samples at
//! the back, old ones leaving from the front. Its memory is fixed when it is
//! made, however much traffic it sees. Time comes in as a parameter (`at`,
//! `now`), so tests use made-up instants.
//!
//! Percentiles use the nearest rank: the p-th percentile of n samples is the
//! sample at 1-based rank ⌈p/100 · n⌉ in sorted order, so p99 of 1..=1000 ms
//! is 990 ms and p100 is the maximum.
//!
//! Write `new`, `record`, `evict`, `percentile` and `summary`.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// p50, p95, p99 and the maximum of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub count: usize,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// The latencies of the last `capacity` requests, none older than `max_age`.
#[derive(Debug)]
pub struct LatencyWindow {
    capacity: usize,
    max_age: Duration,
    /// (when the request finished, how long it took), oldest at the front.
    samples: VecDeque<(Instant, Duration)>,
}

impl LatencyWindow {
    /// An empty window of at most `capacity` samples (at least 1), with its
    /// memory reserved now.
    #[must_use]
    pub fn new(capacity: usize, max_age: Duration) -> LatencyWindow {
        let capacity = capacity.max(1);
        LatencyWindow {
            capacity,
            max_age,
            // TODO: reserve the whole window now.
            samples: VecDeque::new(),
        }
    }

    /// How many samples the window holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// Whether the window holds no sample.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// Adds a request that took `latency` and finished at `at`, dropping the
    /// oldest sample when the window is full and every sample older than
    /// `max_age` at `at`.
    pub fn record(&mut self, at: Instant, latency: Duration) {
        // TODO: this window grows with the traffic. Drop what is too old at
        // `at`, and the oldest sample when the window is full.
        self.samples.push_back((at, latency));
    }

    /// Drops the samples more than `max_age` old at `now`.
    pub fn evict(&mut self, now: Instant) {
        // TODO: the oldest samples are at the front.
        let _ = now;
        todo!()
    }

    /// The `p`-th percentile (0 < p ≤ 100) of the samples at most `max_age`
    /// old at `now`, by nearest rank; `None` when there are none. The
    /// window's own order (oldest first) is left as it was.
    pub fn percentile(&mut self, now: Instant, p: f64) -> Option<Duration> {
        // TODO
        let _ = (now, p);
        todo!()
    }

    /// p50, p95, p99 and the maximum at `now`, from one sorted copy.
    pub fn summary(&mut self, now: Instant) -> Option<Summary> {
        // TODO
        let _ = now;
        todo!()
    }

    /// The latencies in the window, sorted, in a new `Vec`.
    fn sorted(&self) -> Vec<Duration> {
        // TODO: a copy; sorting `samples` itself loses which one is oldest.
        todo!()
    }
}

/// The sample at 1-based rank ⌈p/100 · n⌉ of `sorted`, clamped to 1..=n.
fn nearest_rank(sorted: &[Duration], p: f64) -> Option<Duration> {
    // TODO
    let _ = (sorted, p);
    todo!()
}
