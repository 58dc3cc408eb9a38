//! Top-k without sorting everything.
//!
//! `largest` keeps the k greatest items of a stream in a min-heap of size k:
//! the smallest of the best so far sits on top, and a new item either beats
//! it (and takes its place) or is dropped at once. That is O(n log k)
//! comparisons and memory for k items, where sorting is O(n log n) and holds
//! all n. `largest` is generic over `T: Ord`, so a test can count its
//! comparisons.
//!
//! `top_k` ranks `f32` scores with it. `f32` is not `Ord` (NaN is neither
//! greater nor smaller than anything), so `Scored` gives the order: by
//! `total_cmp`, ties broken by the lower index. NaN scores are skipped.
//!
//! Write `largest`, `Scored::cmp` and `top_k`.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// The `k` greatest items of `items`, greatest first.
pub fn largest<T: Ord>(items: impl IntoIterator<Item = T>, k: usize) -> Vec<T> {
    // TODO: a `BinaryHeap<Reverse<T>>` of at most k items, the smallest of
    // the best on top. This version sorts everything: O(n log n), and it
    // holds all n items at once.
    let mut all: Vec<T> = items.into_iter().collect();
    all.sort_by(|a, b| b.cmp(a));
    all.truncate(k);
    all
}

/// A score and the position it came from, ordered for ranking.
#[derive(Debug, Clone, Copy)]
pub struct Scored {
    pub score: f32,
    pub index: usize,
}

impl Ord for Scored {
    /// Greater is better: the higher score by `total_cmp`, and on equal
    /// scores the LOWER index.
    fn cmp(&self, other: &Scored) -> Ordering {
        // TODO: by score with `total_cmp`; on equal scores, the lower index
        // is the greater (better) one.
        let _ = other;
        todo!()
    }
}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Scored) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Scored {
    fn eq(&self, other: &Scored) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Scored {}

/// The `k` best `(index, score)` pairs, best first; equal scores rank the
/// lower index first. NaN scores are skipped: they rank nowhere.
#[must_use]
pub fn top_k(scores: &[f32], k: usize) -> Vec<(usize, f32)> {
    // TODO: every score that is not NaN, as a `Scored`, through `largest`.
    let _ = (scores, k);
    todo!()
}
