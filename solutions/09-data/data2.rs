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
    let mut heap: BinaryHeap<Reverse<T>> = BinaryHeap::with_capacity(k);
    for item in items {
        if heap.len() < k {
            heap.push(Reverse(item));
        } else if let Some(mut smallest) = heap.peek_mut()
            && item > smallest.0
        {
            // Dropping the `PeekMut` restores the heap order.
            *smallest = Reverse(item);
        }
    }
    // Ascending `Reverse<T>` is descending `T`.
    heap.into_sorted_vec()
        .into_iter()
        .map(|Reverse(item)| item)
        .collect()
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
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.index.cmp(&self.index))
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
    let candidates = scores
        .iter()
        .enumerate()
        .filter(|(_, score)| !score.is_nan())
        .map(|(index, &score)| Scored { score, index });
    largest(candidates, k)
        .into_iter()
        .map(|s| (s.index, s.score))
        .collect()
}
