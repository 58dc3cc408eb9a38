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
            samples: VecDeque::with_capacity(capacity),
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
        self.evict(at);
        if self.samples.len() == self.capacity {
            self.samples.pop_front();
        }
        self.samples.push_back((at, latency));
    }

    /// Drops the samples more than `max_age` old at `now`.
    pub fn evict(&mut self, now: Instant) {
        while let Some(&(at, _)) = self.samples.front() {
            if now.saturating_duration_since(at) <= self.max_age {
                break;
            }
            self.samples.pop_front();
        }
    }

    /// The `p`-th percentile (0 < p ≤ 100) of the samples at most `max_age`
    /// old at `now`, by nearest rank; `None` when there are none. The
    /// window's own order (oldest first) is left as it was.
    pub fn percentile(&mut self, now: Instant, p: f64) -> Option<Duration> {
        self.evict(now);
        let sorted = self.sorted();
        nearest_rank(&sorted, p)
    }

    /// p50, p95, p99 and the maximum at `now`, from one sorted copy.
    pub fn summary(&mut self, now: Instant) -> Option<Summary> {
        self.evict(now);
        let sorted = self.sorted();
        Some(Summary {
            count: sorted.len(),
            p50: nearest_rank(&sorted, 50.0)?,
            p95: nearest_rank(&sorted, 95.0)?,
            p99: nearest_rank(&sorted, 99.0)?,
            max: *sorted.last()?,
        })
    }

    /// The latencies in the window, sorted, in a new `Vec`.
    fn sorted(&self) -> Vec<Duration> {
        let mut sorted: Vec<Duration> = self.samples.iter().map(|&(_, l)| l).collect();
        sorted.sort_unstable();
        sorted
    }
}

/// The sample at 1-based rank ⌈p/100 · n⌉ of `sorted`, clamped to 1..=n.
fn nearest_rank(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    // p · n first: 99 · 1000 / 100 is exactly 990, where 0.99 · 1000 is not.
    let rank = (p * n as f64 / 100.0).ceil() as usize;
    Some(sorted[rank.clamp(1, n) - 1])
}
